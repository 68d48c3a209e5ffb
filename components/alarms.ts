import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

type Comparison =
  | "GreaterThanThreshold"
  | "GreaterThanOrEqualToThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";
type MissingData = "missing" | "ignore" | "breaching" | "notBreaching";

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
  readonly comparison: Comparison;
  readonly threshold: number;
  /** @default "notBreaching" */
  readonly treatMissingData?: MissingData;
}

/** A row whose alarm watches a metric-math expression (e.g. an error rate) instead of one metric. */
export interface MathAlarmRow {
  readonly key: string;
  readonly description: pulumi.Input<string>;
  /** The metrics and the expression; exactly one query has `returnData: true`. */
  readonly metricQueries: pulumi.Input<aws.types.input.cloudwatch.MetricAlarmMetricQuery>[];
  /** @default 1 */
  readonly evaluationPeriods?: number;
  readonly comparison: Comparison;
  readonly threshold: number;
  /** @default "notBreaching" */
  readonly treatMissingData?: MissingData;
}

export interface AlarmTarget {
  /** Logical name prefix of the children (`${name}-${row.key}`). */
  readonly name: string;
  /**
   * Physical name prefix (`${namePrefix}-${row.key}`); alarm names are unique per account and region.
   * @default - the alarm is auto-named from its logical name
   */
  readonly namePrefix?: pulumi.Input<string>;
  /** Topic notified on ALARM and on OK. */
  readonly topicArn: pulumi.Input<string>;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

const isMath = (row: AlarmRow | MathAlarmRow): row is MathAlarmRow => "metricQueries" in row;

// Pure: the tests compare these with the design's thresholds.
/** The inputs of the alarm a row describes. */
export function alarmArgs(target: AlarmTarget, row: AlarmRow | MathAlarmRow): aws.cloudwatch.MetricAlarmArgs {
  const metric = isMath(row)
    ? { metricQueries: row.metricQueries }
    : {
        namespace: row.namespace,
        metricName: row.metricName,
        dimensions: row.dimensions,
        statistic: row.statistic,
        period: row.periodSeconds,
      };
  return {
    ...(target.namePrefix !== undefined ? { name: pulumi.interpolate`${target.namePrefix}-${row.key}` } : {}),
    alarmDescription: row.description,
    ...metric,
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
  row: AlarmRow | MathAlarmRow,
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(`${target.name}-${row.key}`, alarmArgs(target, row), opts);
}
