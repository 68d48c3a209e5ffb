import { GUARDDUTY_REQUIRED_FEATURES } from "../../../policy-pack/lib/judgements";
import type { DetectorFacts } from "../facts";
import { type AuditCheck, accountRef, check } from "./types";

/**
 * Required features that are not ENABLED: DISABLED ones, and ones the detector does not list at
 * all. Absent is not enabled: nothing says the protection runs. Prowler's
 * guardduty_rds_protection_enabled and its siblings start at FAIL and pass only a feature they
 * find ENABLED; the policy pack's disabledGuardDutyFeatures judges planned DetectorFeature
 * resources, where "not declared here" may be declared elsewhere, so it is not used here.
 */
export function featuresNotEnabled(
  features: DetectorFacts["features"],
  required: readonly string[] = GUARDDUTY_REQUIRED_FEATURES,
): { disabled: string[]; absent: string[] } {
  const status = new Map(features.map((f) => [f.name, f.status]));
  return {
    disabled: required.filter((name) => status.has(name) && status.get(name) !== "ENABLED"),
    absent: required.filter((name) => !status.has(name)),
  };
}

const ref = (d: DetectorFacts) => ({ arn: d.arn, type: "AwsGuardDutyDetector", region: d.region });

export const guarddutyEnabled: AuditCheck = check(
  {
    id: "guardduty-enabled",
    title: "GuardDuty is enabled (not suspended) in every audited region",
    service: "guardduty",
    severity: "critical",
    risk: "Credential theft, crypto-mining and data exfiltration produce no finding and no alert.",
    remediation:
      "Set huntaze:manageAccountBaseline: true in the baseline stack: it owns the account's GuardDuty detector (enable: true)",
    fsbp: ["GuardDuty.1"],
  },
  (facts, r) =>
    facts.regions.flatMap((region) => {
      const detectors = region.detectors;
      if (detectors === undefined) return [];
      if (detectors.length === 0)
        return [
          r.fail(accountRef(facts, "AwsAccount", region.region), `GuardDuty has no detector in ${region.region}`),
        ];
      return detectors.map((d) =>
        d.status === "ENABLED"
          ? r.pass(ref(d), "enabled")
          : r.fail(ref(d), `the detector is ${d.status} (suspended): no findings are produced`),
      );
    }),
);

export const guarddutyFeatures: AuditCheck = check(
  {
    id: "guardduty-features",
    title: `GuardDuty protection features are on (${GUARDDUTY_REQUIRED_FEATURES.join(", ")})`,
    service: "guardduty",
    severity: "warning",
    risk: "Whole classes of threat (S3 data access, malware on EBS, RDS logins, Lambda network, runtime) go unwatched.",
    remediation:
      "The baseline stack declares aws.guardduty.DetectorFeature for each (huntaze:manageAccountBaseline); the policy rule guardduty-protection-features keeps them on",
    fsbp: ["GuardDuty.5", "GuardDuty.6", "GuardDuty.7", "GuardDuty.8", "GuardDuty.9", "GuardDuty.10", "GuardDuty.11"],
  },
  (facts, r) =>
    facts.regions
      .flatMap((region) => region.detectors ?? [])
      .filter((d) => d.status === "ENABLED")
      .map((d) => {
        const { disabled, absent } = featuresNotEnabled(d.features);
        const problems = [
          ...(disabled.length ? [`features DISABLED: ${disabled.join(", ")}`] : []),
          ...(absent.length ? [`features not listed by the detector (never enabled): ${absent.join(", ")}`] : []),
        ];
        return problems.length ? r.fail(ref(d), problems.join("; ")) : r.pass(ref(d), "required features on");
      }),
);

export const guarddutyChecks = [guarddutyEnabled, guarddutyFeatures];
