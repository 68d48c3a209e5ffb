import { type AuditCheck, check } from "./types";

/**
 * FSBP CloudWatch.16 (and its AWS Config rule cw-loggroup-retention-period-check, and Prowler's
 * cloudwatch_log_group_retention_policy_specific_days_enabled): a group whose events never expire
 * (no retentionInDays) is COMPLIANT; one that keeps them fewer than the minimum days is not.
 * "The rule is NON_COMPLIANT if the retention period is less than MinRetentionTime, if specified,
 * or else 365 days. Note: If the retention setting is "Never expire" for a log group, the rule is
 * marked as COMPLIANT." — AWS Config Developer Guide, cw-loggroup-retention-period-check,
 * https://docs.aws.amazon.com/config/latest/developerguide/cw-loggroup-retention-period-check.html
 */
export function logRetentionShortfall(days: number | undefined, minimumDays: number): string | undefined {
  if (days === undefined || days === 0) return undefined;
  return days < minimumDays ? `retention is ${days} days: events are deleted before ${minimumDays} days` : undefined;
}

export const logsRetention: AuditCheck = check(
  {
    id: "logs-retention",
    title: "CloudWatch log groups keep events at least the minimum retention (CloudWatch.16)",
    service: "logs",
    severity: "warning",
    risk: "Logs deleted too early are missing when an incident is investigated, months after it started.",
    remediation:
      "Raise retentionInDays on the group in code (the components take it; a Lambda's implicit group needs an explicit aws.cloudwatch.LogGroup), or audit with --min-log-retention-days if a shorter period is a decision",
    fsbp: ["CloudWatch.16"],
  },
  (facts, r, settings) =>
    facts.regions
      .flatMap((region) => region.logGroups ?? [])
      .map((g) => {
        const ref = { arn: g.arn, type: "AwsLogsLogGroup", region: g.region };
        const problem = logRetentionShortfall(g.retentionInDays, settings.minLogRetentionDays);
        if (problem) return r.fail(ref, problem);
        return r.pass(
          ref,
          g.retentionInDays
            ? `retention ${g.retentionInDays} days (minimum ${settings.minLogRetentionDays})`
            : "events never expire (no retention set), which CloudWatch.16 treats as compliant",
        );
      }),
);

export const logsChecks = [logsRetention];
