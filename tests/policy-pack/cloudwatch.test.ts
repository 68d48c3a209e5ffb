import { describe } from "mocha";
import { complies, factory, UNKNOWN_NUMBER, violates } from "../support/policy-cases";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const logGroup = factory(LOG_GROUP, "limiter-logs", {
  retentionInDays: 30,
  kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/abcd",
});
const alarm = factory(ALARM, "dlq-depth", {
  comparisonOperator: "GreaterThanThreshold",
  evaluationPeriods: 1,
  threshold: 10,
  alarmActions: ["arn:aws:sns:eu-west-1:111122223333:ops"],
});

describe("CloudWatch rules", () => {
  complies({ rule: "cloudwatch-log-group-retention", title: "30 days (the default minimum)", resources: [logGroup()] });
  complies({
    rule: "cloudwatch-log-group-retention",
    title: "retention unknown during preview",
    resources: [logGroup({ retentionInDays: UNKNOWN_NUMBER })],
  });
  violates({
    rule: "cloudwatch-log-group-retention",
    title: "never expire",
    resources: [logGroup({ retentionInDays: undefined })],
    message: /never expire/,
  });
  violates({
    rule: "cloudwatch-log-group-retention",
    title: "7 days",
    resources: [logGroup({ retentionInDays: 7 })],
    message: /at least 30 days/,
  });
  violates({
    rule: "cloudwatch-log-group-retention",
    title: "90 days when minimumRetentionDays is 365",
    resources: [logGroup({ retentionInDays: 90 })],
    config: { "cloudwatch-log-group-retention": { minimumRetentionDays: 365 } },
    message: /at least 365/,
  });

  complies({ rule: "cloudwatch-log-group-kms", title: "a CMK", resources: [logGroup()] });
  violates({
    rule: "cloudwatch-log-group-kms",
    title: "no kmsKeyId",
    resources: [logGroup({ kmsKeyId: undefined })],
    message: /not encrypted/,
  });

  complies({ rule: "cloudwatch-alarm-actions-enabled", title: "an SNS action", resources: [alarm()] });
  violates({
    rule: "cloudwatch-alarm-actions-enabled",
    title: "no actions",
    resources: [alarm({ alarmActions: [] })],
    message: /no alarmActions/,
  });
  violates({
    rule: "cloudwatch-alarm-actions-enabled",
    title: "actions disabled",
    resources: [alarm({ actionsEnabled: false })],
    message: /actionsEnabled is false/,
  });
});
