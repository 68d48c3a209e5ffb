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

const covering = (trails: readonly TrailFacts[]) => trails.filter((t) => coverage(t).kind === "ok");

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
    title: "The multi-region trail validates its log files",
    service: "cloudtrail",
    severity: "warning",
    risk: "Deleted or edited log files go unnoticed, so the trail cannot be trusted as evidence.",
    remediation: "The baseline stack's trail sets enableLogFileValidation: true (huntaze:manageAccountBaseline)",
    fsbp: ["CloudTrail.4"],
  },
  (facts, r) =>
    covering(facts.trails ?? []).map((t) => {
      const problem = logFileValidationProblem(t.logFileValidation);
      return problem ? r.fail(ref(t), problem) : r.pass(ref(t), "log file validation is on");
    }),
);

export const cloudtrailChecks = [cloudtrailMultiRegion, cloudtrailValidation];
