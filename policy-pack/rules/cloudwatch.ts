import { cloudwatch } from "../lib/aws-types";
import { asArray, isUnknown, resourcePolicy } from "../lib/inspect";
import { logRetentionProblem } from "../lib/judgements";
import type { HuntazePolicy } from "../rule";

const retention = resourcePolicy({
  name: "cloudwatch-log-group-retention",
  summary:
    'CloudWatch log groups set a retention (never "never expire") of at least minimumRetentionDays (default 30; 1 is CKV_AWS_66\'s "any retention", 365 is CKV_AWS_338\'s); unlike CKV_AWS_338, retentionInDays 0 (never expire) fails',
  // Advisory, default 30 days: the production stack keeps Lambda logs 30-90 days (seed 002) for
  // cost, while CloudWatch.16 / CKV_AWS_338 ask for 365. Users with that requirement set it.
  enforcementLevel: "advisory",
  references: { catalogue: [49], fsbp: ["CloudWatch.16 (not FSBP)"], checkov: ["CKV_AWS_66", "CKV_AWS_338"] },
  resourceTypes: cloudwatch.logGroup,
  configSchema: {
    properties: {
      minimumRetentionDays: {
        type: "integer",
        minimum: 1,
        maximum: 3653,
        default: 30,
        description: "Fewest days a log group must keep events (CloudWatch.16 and CKV_AWS_338 use 365).",
      },
    },
  },
  check: (c) => {
    const min = Number(c.config.minimumRetentionDays ?? 30);
    const days = c.props.retentionInDays;
    const problem = isUnknown(days) ? undefined : logRetentionProblem(days, min);
    if (isUnknown(days)) c.unknown("retentionInDays");
    else if (problem) c.report(`retentionInDays: ${problem} (minimumRetentionDays ${min})`);
  },
});

const encrypted = resourcePolicy({
  name: "cloudwatch-log-group-kms",
  summary: "CloudWatch log groups are encrypted with a customer-managed KMS key (kmsKeyId)",
  enforcementLevel: "mandatory",
  references: { catalogue: [50], fsbp: [], checkov: ["CKV_AWS_158"] },
  resourceTypes: cloudwatch.logGroup,
  check: (c) => {
    const key = c.props.kmsKeyId;
    if (isUnknown(key)) c.unknown("kmsKeyId");
    else if (typeof key !== "string" || key === "")
      c.report(
        "the log group is not encrypted with a KMS key: set kmsKeyId (the key policy must allow logs.<region>.amazonaws.com)",
      );
  },
});

const alarmActions = resourcePolicy({
  name: "cloudwatch-alarm-actions-enabled",
  summary: "CloudWatch alarms have actions enabled and at least one alarm/OK/insufficient-data action",
  enforcementLevel: "advisory",
  references: {
    catalogue: [51],
    fsbp: ["CloudWatch.15 (not FSBP)", "CloudWatch.17 (not FSBP)"],
    checkov: ["CKV_AWS_319"],
  },
  resourceTypes: [...cloudwatch.metricAlarm, ...cloudwatch.compositeAlarm],
  check: (c) => {
    const enabled = c.props.actionsEnabled;
    if (isUnknown(enabled)) c.unknown("actionsEnabled");
    else if (enabled === false) c.report("actionsEnabled is false: the alarm notifies nobody");
    const actions = ["alarmActions", "okActions", "insufficientDataActions"].map((k) => c.props[k]);
    if (actions.some(isUnknown) || actions.some((a) => asArray(a).length > 0)) return;
    c.report("the alarm has no alarmActions, okActions or insufficientDataActions: add an SNS topic");
  },
});

export const cloudwatchPolicies: HuntazePolicy[] = [retention, encrypted, alarmActions];
