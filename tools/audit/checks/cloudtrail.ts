import { logFileValidationProblem, trailCoverageProblem } from "../../../policy-pack/lib/judgements";
import type { TrailFacts } from "../facts";
import { type AuditCheck, accountRef, check } from "./types";

const ref = (t: TrailFacts) => ({ arn: t.arn, type: "AwsCloudTrailTrail", region: t.homeRegion });
const covering = (trails: readonly TrailFacts[]) =>
  trails.filter((t) => !trailCoverageProblem({ multiRegion: t.multiRegion, logging: t.logging }));

export const cloudtrailMultiRegion: AuditCheck = check(
  {
    id: "cloudtrail-multi-region-logging",
    title: "A multi-region CloudTrail trail is logging",
    service: "cloudtrail",
    severity: "critical",
    risk: "API calls in unwatched regions (where attackers start crypto-miners) leave no record; an investigation has nothing to read.",
    remediation:
      "Set huntaze:manageAccountBaseline: true in the baseline stack: it owns the account's multi-region trail (then `aws cloudtrail start-logging` if someone stopped it)",
    fsbp: ["CloudTrail.1"],
  },
  (facts, r) => {
    const trails = facts.trails;
    if (trails === undefined) return [];
    const good = covering(trails);
    if (good.length)
      return good.map((t) => r.pass(ref(t), `multi-region and logging (status read in ${t.homeRegion})`));
    const seen = trails.map(
      (t) => `${t.name}: ${trailCoverageProblem({ multiRegion: t.multiRegion, logging: t.logging })}`,
    );
    return [
      r.fail(
        accountRef(facts, "AwsAccount"),
        trails.length ? `no multi-region trail is logging (${seen.join("; ")})` : "the account has no trail",
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
