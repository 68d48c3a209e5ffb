import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * One row of a component's alarm table: pure data, so a component's alarms read as a table and a
 * test can check every threshold without building resources. `alarmFromRow` turns a row into a
 * `MetricAlarm`.
 */
export interface AlarmRow {
  /** Suffix of the child's logical name and of the alarm's physical name. */
  readonly key: string;
  readonly description: pulumi.Input<string>;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: pulumi.Input<Record<string, pulumi.Input<string>>>;
  readonly statistic: "Average" | "Maximum" | "Minimum" | "Sum" | "SampleCount";
  readonly periodSeconds: number;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  readonly comparison:
    | "GreaterThanThreshold"
    | "GreaterThanOrEqualToThreshold"
    | "LessThanThreshold"
    | "LessThanOrEqualToThreshold";
  readonly threshold: number;
  /** @default "notBreaching" */
  readonly treatMissingData?: "missing" | "ignore" | "breaching" | "notBreaching";
}

export interface AlarmTarget {
  /** Logical name prefix of the children (`${name}-${row.key}`). */
  readonly name: string;
  /** Physical name prefix (`${namePrefix}-${row.key}`); alarm names are unique per account and region. */
  readonly namePrefix: pulumi.Input<string>;
  /** Topic notified on ALARM and on OK. */
  readonly topicArn: pulumi.Input<string>;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The inputs of the alarm a row describes (pure: tests compare them with the seed's thresholds). */
export function alarmArgs(target: AlarmTarget, row: AlarmRow): aws.cloudwatch.MetricAlarmArgs {
  return {
    name: pulumi.interpolate`${target.namePrefix}-${row.key}`,
    alarmDescription: row.description,
    namespace: row.namespace,
    metricName: row.metricName,
    dimensions: row.dimensions,
    statistic: row.statistic,
    period: row.periodSeconds,
    evaluationPeriods: row.evaluationPeriods ?? 1,
    comparisonOperator: row.comparison,
    threshold: row.threshold,
    treatMissingData: row.treatMissingData ?? "notBreaching",
    alarmActions: [target.topicArn],
    okActions: [target.topicArn],
    tags: target.tags,
  };
}

/** Turns one row of an alarm table into a `MetricAlarm` child. */
export function alarmFromRow(
  target: AlarmTarget,
  row: AlarmRow,
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(`${target.name}-${row.key}`, alarmArgs(target, row), opts);
}
