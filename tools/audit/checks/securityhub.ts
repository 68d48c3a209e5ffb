import type { StandardFacts } from "../facts";
import { type AuditCheck, accountRef, check } from "./types";

/** FSBP's standards ARN, whatever the region and version: `arn:aws:securityhub:<region>::standards/aws-foundational-security-best-practices/v/1.0.0`. */
export const isFsbp = (s: StandardFacts) => s.arn.includes(":standards/aws-foundational-security-best-practices/");

export const securityhubFsbp: AuditCheck = check(
  {
    id: "securityhub-fsbp",
    title: "Security Hub is enabled with the FSBP standard subscribed and READY",
    service: "securityhub",
    severity: "critical",
    risk: "Nobody is told when a resource drifts from AWS's baseline (public snapshots, open security groups, unencrypted volumes).",
    remediation:
      "Set huntaze:manageAccountBaseline: true in the baseline stack: it enables Security Hub and subscribes FSBP; most FSBP controls also need AWS Config recording",
    fsbp: [],
  },
  (facts, r) =>
    facts.regions.flatMap((region) => {
      const hub = region.securityHub;
      if (hub === undefined) return [];
      if (hub.hubArn === undefined)
        return [
          r.fail(accountRef(facts, "AwsAccount", region.region), `Security Hub is not enabled in ${region.region}`),
        ];
      const ref = { arn: hub.hubArn, type: "AwsSecurityHubHub", region: region.region };
      const fsbp = hub.standards.find(isFsbp);
      if (!fsbp) return [r.fail(ref, "Security Hub is on but FSBP is not subscribed")];
      if (fsbp.status === "READY") return [r.pass(ref, "FSBP subscribed and READY")];
      if (fsbp.status === "INCOMPLETE")
        return [
          r.fail(
            ref,
            fsbp.reason === "NO_AVAILABLE_CONFIGURATION_RECORDER"
              ? "FSBP is INCOMPLETE because AWS Config is not recording: most controls cannot be evaluated; turn Config recording on"
              : `FSBP is INCOMPLETE (${fsbp.reason ?? "no reason given"})`,
            "warning",
          ),
        ];
      const reason = fsbp.reason ? ` (${fsbp.reason})` : "";
      return [r.fail(ref, `FSBP is ${fsbp.status}${reason}`, fsbp.status === "FAILED" ? "critical" : "warning")];
    }),
);

export const securityhubChecks = [securityhubFsbp];
