import { logRetentionProblem } from "../../../policy-pack/lib/judgements";
import { type AuditCheck, check } from "./types";

/** Any retention passes here; the policy rule cloudwatch-log-group-retention sets the minimum for groups in code. */
const MINIMUM_DAYS = 1;

export const logsRetention: AuditCheck = check(
  {
    id: "logs-retention",
    title: "CloudWatch log groups have a retention period",
    service: "logs",
    severity: "warning",
    risk: "Logs kept forever keep any secret or personal data they captured forever, and are billed forever.",
    remediation:
      "Declare the log group in code with retentionInDays (the components do; a Lambda's implicit group needs an explicit aws.cloudwatch.LogGroup)",
    fsbp: ["CloudWatch.16"],
  },
  (facts, r) =>
    facts.regions
      .flatMap((region) => region.logGroups ?? [])
      .map((g) => {
        const ref = { arn: g.arn, type: "AwsLogsLogGroup", region: g.region };
        const problem = logRetentionProblem(g.retentionInDays, MINIMUM_DAYS);
        return problem ? r.fail(ref, problem) : r.pass(ref, `retention ${g.retentionInDays} days`);
      }),
);

export const logsChecks = [logsRetention];
