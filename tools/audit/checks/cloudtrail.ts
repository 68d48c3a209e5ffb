import { logFileValidationProblem, trailCoverageProblem } from "../../../policy-pack/lib/judgements";
import { managementEventExclusions, managementEventsProblem } from "../../../policy-pack/lib/trail-event-selectors";
import type { TrailFacts } from "../facts";
import { type AuditCheck, accountRef, check } from "./types";

const ref = (t: TrailFacts) => ({ arn: t.arn, type: "AwsCloudTrailTrail", region: t.homeRegion });

type Coverage =
  | { readonly kind: "ok" }
  | { readonly kind: "fails"; readonly problem: string }
  | { readonly kind: "unknown" };

/** Whether the trail counts as the account's audit trail: multi-region, logging, recording read and write management events. */
function coverage(t: TrailFacts): Coverage {
  const problem = trailCoverageProblem({ multiRegion: t.multiRegion, logging: t.logging });
  if (problem) return { kind: "fails", problem };
  if (t.logging === undefined || !t.eventSelectors) return { kind: "unknown" };
  const events = managementEventsProblem(t.eventSelectors);
  return events ? { kind: "fails", problem: events } : { kind: "ok" };
}

export const covering = (trails: readonly TrailFacts[]) => trails.filter((t) => coverage(t).kind === "ok");

function passDetail(t: TrailFacts): string {
  const excluded = t.eventSelectors ? managementEventExclusions(t.eventSelectors) : [];
  const events = excluded.length
    ? `records read and write management events except from ${excluded.join(", ")}`
    : "records read and write management events";
  return `multi-region, logging and ${events} (status and selectors read in ${t.homeRegion})`;
}

export const cloudtrailMultiRegion: AuditCheck = check(
  {
    id: "cloudtrail-multi-region-logging",
    title: "A multi-region CloudTrail trail is logging read and write management events",
    service: "cloudtrail",
    severity: "critical",
    risk: "API calls in unwatched regions (where attackers start crypto-miners), or management calls the selectors leave out, leave no record; an investigation has nothing to read.",
    remediation:
      'Set huntaze:manageAccountBaseline: true in the baseline stack: it owns the account\'s multi-region trail (then `aws cloudtrail start-logging` if someone stopped it; if its selectors drop management events, `aws cloudtrail put-event-selectors --trail-name <arn> --event-selectors \'[{"ReadWriteType":"All","IncludeManagementEvents":true}]\'`)',
    fsbp: ["CloudTrail.1"],
  },
  (facts, r) => {
    const trails = facts.trails;
    if (trails === undefined) return [];
    const good = covering(trails);
    if (good.length) return good.map((t) => r.pass(ref(t), passDetail(t)));
    // A trail that would count but whose status or selectors could not be read: not evaluated (listed as unreadable).
    if (trails.some((t) => coverage(t).kind === "unknown")) return [];
    // Here every trail fails (none is ok, none unknown).
    const seen = trails.flatMap((t) => {
      const c = coverage(t);
      return c.kind === "fails" ? [`${t.name}: ${c.problem}`] : [];
    });
    return [
      r.fail(
        accountRef(facts, "AwsAccount"),
        trails.length
          ? `no multi-region trail is logging read and write management events (${seen.join("; ")})`
          : "the account has no trail",
      ),
    ];
  },
);

export const cloudtrailValidation: AuditCheck = check(
  {
    id: "cloudtrail-log-file-validation",
    title: "Every trail validates its log files",
    service: "cloudtrail",
    severity: "warning",
    risk: "Deleted or edited log files go unnoticed, so the trail cannot be trusted as evidence.",
    remediation:
      "The baseline stack's trail sets enableLogFileValidation: true (huntaze:manageAccountBaseline); for another trail `aws cloudtrail update-trail --name <arn> --enable-log-file-validation`",
    fsbp: ["CloudTrail.4"],
  },
  // Every trail, not only the covering one: FSBP CloudTrail.4 and Prowler's
  // cloudtrail_log_file_validation_enabled judge each trail, and each one is paid for and read as evidence.
  (facts, r) =>
    (facts.trails ?? []).map((t) => {
      const problem = logFileValidationProblem(t.logFileValidation);
      return problem ? r.fail(ref(t), problem) : r.pass(ref(t), "log file validation is on");
    }),
);

export const cloudtrailKms: AuditCheck = check(
  {
    id: "cloudtrail-kms-encryption",
    title: "Every trail encrypts its log files with a KMS key (SSE-KMS)",
    service: "cloudtrail",
    severity: "warning",
    risk: "Log files are encrypted only with S3-managed keys: anyone who can read the bucket reads the account's API history, with no key policy to restrict or audit it.",
    remediation:
      "The baseline stack's trail takes a customer key (huntaze:manageAccountBaseline); for another trail `aws cloudtrail update-trail --name <arn> --kms-key-id <key ARN>` (the key policy must let cloudtrail.amazonaws.com use it)",
    fsbp: ["CloudTrail.2"],
  },
  // DescribeTrails' KmsKeyId "Specifies the KMS key ID that encrypts the logs and digest files
  // delivered by CloudTrail" (CloudTrail API Reference, Trail,
  // https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Trail.html): absent means
  // SSE-S3. Prowler's cloudtrail_kms_encryption_enabled passes exactly the trails that have one.
  (facts, r) =>
    (facts.trails ?? []).map((t) =>
      t.kmsKeyId
        ? r.pass(ref(t), `log files encrypted with ${t.kmsKeyId}`)
        : r.fail(ref(t), "log files are not encrypted with a KMS key (no KmsKeyId: SSE-S3 only)"),
    ),
);

export const cloudtrailChecks = [cloudtrailMultiRegion, cloudtrailValidation, cloudtrailKms];
