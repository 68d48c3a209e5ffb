import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  ALERTS_TABLE,
  COST_MONITORING_ENV,
  COSTS_TABLE,
  costTableNames,
  type TableLayout,
  TTL_ATTRIBUTE,
} from "../lambdas/cost-monitoring/contract";
import { type AlarmRow, alarmFromRow } from "./alarms";
import { createComponentKey } from "./kms-key";
import { resolveArgs } from "./spec";
import { CostTrackingSpec, type ResolvedCostTrackingArgs } from "./specs/cost-tracking";

// The runtime owns the retention defaults; the component takes them as args.
export { DEFAULT_ALERTS_TTL_DAYS, DEFAULT_COSTS_TTL_DAYS } from "../lambdas/cost-monitoring/contract";
// The rules of the args (ranges, formats, defaults) live in the spec, with the AWS pages they follow.
export { ANOMALY_MONITOR_ARN } from "./specs/cost-tracking";

// The FinOps pillar (seed 002 "FinOps Architecture", seed 003 §1.2–1.3, §10.3, §12): the cost and
// alert tables EnhancedCostMonitoring writes, the monthly budgets and the optional cost anomaly
// monitor, all reporting to the cost alert topic (AlertTopics owns it and its Budgets policy).
// Staging and production share one account (aws-gotchas §One account, §Budgets): every physical name
// carries the environment, the environment budget is filtered to the environment's cost allocation
// tag, and the unfiltered account budget and the anomaly monitor (one per account) are opt-in.

export interface CostTopicArgs {
  readonly arn: pulumi.Input<string>;
  /** Topic name, for the failed-notifications alarm's TopicName dimension. */
  readonly name: pulumi.Input<string>;
  /** KMS key of the topic: the runtime policy grants the data key a publish needs. @default - the topic is not under a customer key */
  readonly kmsKeyArn?: pulumi.Input<string>;
}

export interface CostTrackingArgs {
  /** Environment in every physical name (`huntaze-ai-costs-<environment>`) and the budget's tag filter. */
  readonly environment: string;
  /** Prefix of every physical name. */
  readonly namePrefix?: string;
  /** The cost alert topic: budgets, the anomaly subscription and the runtime's threshold alerts publish there. */
  readonly costTopic: CostTopicArgs;
  /** The ops topic: the alarm on failed cost-topic deliveries notifies it. */
  readonly alarmTopicArn: pulumi.Input<string>;
  /** Monthly budget of this environment (USD): the AWS budget filtered to it and the runtime's threshold check. */
  readonly monthlyBudgetUsd: number;
  /**
   * The whole account's monthly budget (no filter). One per account: only the stack that owns the
   * account baseline sets it.
   * @default - none
   */
  readonly accountBudget?: {
    readonly limitUsd: number;
    /**
     * The budget's name, when the account's budget exists already (budget names are unique per
     * account) and is adopted rather than created beside it.
     * @default `<namePrefix>-account-monthly`
     */
    readonly name?: string;
  };
  /**
   * Cost allocation tag that marks the environment; it must be activated in Billing (cost
   * allocation tags) before the environment budget sees any cost.
   */
  readonly environmentTagKey?: string;
  /**
   * The account's cost anomaly monitor (SERVICE dimension) with an immediate SNS subscription for
   * anomalies of at least `thresholdUsd`. An account holds at most one AWS-services
   * (DIMENSIONAL / SERVICE) monitor ("Quotas and restrictions", AWS Cost Management guide:
   * docs.aws.amazon.com/cost-management/latest/userguide/management-limits.html), and accounts
   * often have one already (AWS creates a default one for new accounts): pass its ARN as
   * `existingArn` to subscribe to it; none is created then.
   * @default - none
   */
  readonly anomalyMonitor?: { readonly thresholdUsd?: number; readonly existingArn?: string };
  /** Deletion protection on both tables. */
  readonly deletionProtection?: boolean;
  /** Retention of cost entries (days). */
  readonly costsTtlDays?: number;
  /** Retention of cost alerts (days). */
  readonly alertsTtlDays?: number;
  /** Customer-managed key for both tables. @default - a key with rotation is created */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /**
   * Extra subscribers of the cost topic. HTTPS endpoints (a Slack relay) must confirm the SNS
   * subscription themselves; they are kept secret (a webhook URL carries its token).
   * @default - none
   */
  readonly subscriptions?: {
    readonly emails?: readonly string[];
    readonly httpsEndpoints?: readonly pulumi.Input<string>[];
  };
  /** Alarm when more cost-topic deliveries than this fail in 5 minutes. */
  readonly failedNotificationsThreshold?: number;
  /** Tags of every resource. @default - no tags */
  readonly tags?: Record<string, string>;
}

/** A table's inputs from its contract layout (shared with the runtime and the dynalite harness). */
export function tableArgs(
  tableName: string,
  layout: TableLayout,
  settings: { kmsKeyArn: pulumi.Input<string>; deletionProtection: boolean; tags?: Record<string, string> },
): aws.dynamodb.TableArgs {
  const keys = new Set([
    layout.hashKey,
    layout.rangeKey,
    ...layout.globalSecondaryIndexes.flatMap((i) => [i.hashKey, i.rangeKey]),
  ]);
  return {
    name: tableName,
    billingMode: "PAY_PER_REQUEST",
    hashKey: layout.hashKey,
    rangeKey: layout.rangeKey,
    attributes: [...keys].map((name) => ({ name, type: "S" })),
    globalSecondaryIndexes: layout.globalSecondaryIndexes.map((i) => ({
      name: i.name,
      keySchemas: [
        { attributeName: i.hashKey, keyType: "HASH" },
        { attributeName: i.rangeKey, keyType: "RANGE" },
      ],
      projectionType: i.projectionType,
    })),
    ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn: settings.kmsKeyArn },
    deletionProtectionEnabled: settings.deletionProtection,
    tags: settings.tags,
  };
}

/** The two budget notifications: 80 % forecasted, 100 % actual, each to the one topic. */
export function budgetNotifications(topicArn: pulumi.Input<string>): aws.types.input.budgets.BudgetNotification[] {
  return [
    { notificationType: "FORECASTED", threshold: 80 },
    { notificationType: "ACTUAL", threshold: 100 },
  ].map((n) => ({
    ...n,
    comparisonOperator: "GREATER_THAN",
    thresholdType: "PERCENTAGE",
    // A budget notification takes one SNS subscriber: the topic fans out to people.
    subscriberSnsTopicArns: [topicArn],
  }));
}

/** The budget filter that keeps one environment's cost: the cost allocation tag `user:<key>$<value>`. */
export function environmentCostFilter(tagKey: string, environment: string): aws.types.input.budgets.BudgetCostFilter {
  return { name: "TagKeyValue", values: [`user:${tagKey}$${environment}`] };
}

/** What a service using EnhancedCostMonitoring may do: write and query the tables, publish alerts. */
export function costMonitoringPolicyDocument(a: {
  costsTableArn: string;
  alertsTableArn: string;
  tableKeyArn: string;
  topicArn: string;
  topicKeyArn?: string;
}): string {
  const tables = [a.costsTableArn, a.alertsTableArn];
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        // No Scan and no DeleteItem: the library never needs them.
        Sid: "CostTables",
        Effect: "Allow",
        Action: [
          "dynamodb:PutItem",
          "dynamodb:BatchWriteItem",
          "dynamodb:UpdateItem",
          "dynamodb:GetItem",
          "dynamodb:Query",
        ],
        Resource: [...tables, ...tables.map((t) => `${t}/index/*`)],
      },
      {
        Sid: "CostTablesKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        Resource: a.tableKeyArn,
      },
      { Sid: "PublishCostAlerts", Effect: "Allow", Action: "sns:Publish", Resource: a.topicArn },
      ...(a.topicKeyArn
        ? [
            {
              Sid: "CostTopicKey",
              Effect: "Allow",
              Action: ["kms:Decrypt", "kms:GenerateDataKey"],
              Resource: a.topicKeyArn,
            },
          ]
        : []),
    ],
  });
}

type Parent = { parent: pulumi.Resource };

/** A monthly COST budget notifying the cost topic at 80 % forecasted and 100 % actual. */
function monthlyBudget(
  resourceName: string,
  b: { name: string; limitUsd: number; costFilters?: aws.types.input.budgets.BudgetCostFilter[] },
  s: ResolvedCostTrackingArgs,
  parent: Parent,
): aws.budgets.Budget {
  return new aws.budgets.Budget(
    resourceName,
    {
      name: b.name,
      budgetType: "COST",
      limitAmount: b.limitUsd.toFixed(2),
      limitUnit: "USD",
      timeUnit: "MONTHLY",
      ...(b.costFilters ? { costFilters: b.costFilters } : {}),
      notifications: budgetNotifications(s.costTopic.arn),
      tags: s.tags,
    },
    parent,
  );
}

/** The account's AWS-services anomaly monitor (or the existing one, adopted) and its SNS subscription. */
function anomalyDetection(
  name: string,
  m: NonNullable<ResolvedCostTrackingArgs["anomalyMonitor"]>,
  s: ResolvedCostTrackingArgs,
  parent: Parent,
): { monitor?: aws.costexplorer.AnomalyMonitor; subscription: aws.costexplorer.AnomalySubscription } {
  // One AWS-services monitor per account: adopt the existing one, never create a second.
  const monitor =
    m.existingArn === undefined
      ? new aws.costexplorer.AnomalyMonitor(
          `${name}-anomaly-monitor`,
          {
            name: `${s.namePrefix}-account-services`,
            monitorType: "DIMENSIONAL",
            monitorDimension: "SERVICE",
            tags: s.tags,
          },
          parent,
        )
      : undefined;
  const subscription = new aws.costexplorer.AnomalySubscription(
    `${name}-anomaly-subscription`,
    {
      name: `${s.namePrefix}-account-anomalies`,
      // IMMEDIATE is the only frequency that delivers to SNS.
      frequency: "IMMEDIATE",
      monitorArnLists: [monitor?.arn ?? pulumi.output(m.existingArn as string)],
      subscribers: [{ type: "SNS", address: s.costTopic.arn }],
      thresholdExpression: {
        dimension: {
          key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
          matchOptions: ["GREATER_THAN_OR_EQUAL"],
          values: [m.thresholdUsd.toFixed(2)],
        },
      },
      tags: s.tags,
    },
    parent,
  );
  return { ...(monitor ? { monitor } : {}), subscription };
}

/** The cost topic's extra subscribers: emails, and HTTPS webhooks kept secret and retried. */
function subscribers(name: string, s: ResolvedCostTrackingArgs, parent: Parent): void {
  (s.subscriptions?.emails ?? []).forEach((endpoint, i) => {
    new aws.sns.TopicSubscription(
      `${name}-email-${i}`,
      { topic: s.costTopic.arn, protocol: "email", endpoint },
      parent,
    );
  });
  (s.subscriptions?.httpsEndpoints ?? []).forEach((endpoint, i) => {
    new aws.sns.TopicSubscription(
      `${name}-https-${i}`,
      {
        topic: s.costTopic.arn,
        protocol: "https",
        endpoint: pulumi.secret(endpoint),
        endpointAutoConfirms: true,
        // Retry a failing webhook instead of dropping the alert at the first 5xx.
        deliveryPolicy: JSON.stringify({
          healthyRetryPolicy: { numRetries: 5, minDelayTarget: 5, maxDelayTarget: 60, backoffFunction: "exponential" },
        }),
      },
      parent,
    );
  });
}

/** The alarm row: a budget/runtime alert that SNS could not deliver. */
export function notificationFailuresRow(topicName: pulumi.Input<string>, threshold: number): AlarmRow {
  return {
    key: "cost-notifications-failed",
    description: pulumi.interpolate`Deliveries from the cost topic ${topicName} failed (email/HTTPS subscribers did not receive a cost alert)`,
    namespace: "AWS/SNS",
    metricName: "NumberOfNotificationsFailed",
    dimensions: { TopicName: topicName },
    statistic: "Sum",
    periodSeconds: 300,
    comparison: "GreaterThanThreshold",
    threshold,
  };
}

/**
 * DynamoDB tables for AI costs and cost alerts (on-demand, TTL, PITR, customer-managed key,
 * deletion protection, the indexes EnhancedCostMonitoring queries), the environment's monthly
 * budget (80 % forecasted, 100 % actual), optionally the account budget and anomaly monitor, the
 * cost topic's extra subscribers, an alarm on failed cost-topic deliveries, and the IAM policy and
 * environment a service attaches to use the library.
 */
export class CostTracking extends pulumi.ComponentResource {
  readonly costsTable: aws.dynamodb.Table;
  readonly alertsTable: aws.dynamodb.Table;
  readonly key?: aws.kms.Key;
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly environmentBudget: aws.budgets.Budget;
  readonly accountBudget?: aws.budgets.Budget;
  readonly anomalyMonitor?: aws.costexplorer.AnomalyMonitor;
  readonly anomalySubscription?: aws.costexplorer.AnomalySubscription;
  readonly notificationFailuresAlarm: aws.cloudwatch.MetricAlarm;
  /** Attach to the role of every service that imports EnhancedCostMonitoring. */
  readonly runtimePolicy: aws.iam.Policy;
  readonly costsTableName: pulumi.Output<string>;
  readonly alertsTableName: pulumi.Output<string>;
  /** COST_MONITORING_ENV names to values, for the services' environment. */
  readonly environment: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: CostTrackingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("huntaze:finops:CostTracking", name, {}, opts);
    const s = resolveArgs("CostTracking", name, CostTrackingSpec, args);
    const parent = { parent: this };
    const { tags, environment: env } = s;
    const prefix = `${s.namePrefix}-${env}`;
    const names = costTableNames(env, s.namePrefix);

    // Account administration only: DynamoDB uses the key through the caller's IAM grants.
    this.key =
      s.kmsKeyArn === undefined
        ? createComponentKey(
            `${name}-key`,
            { description: `Encrypts the ${prefix} cost tables`, alias: `${prefix}-cost-tracking`, tags },
            parent,
          )
        : undefined;
    const kmsKeyArn = this.key ? this.key.arn : pulumi.output(s.kmsKeyArn!);
    this.kmsKeyArn = kmsKeyArn;
    const table = { kmsKeyArn, deletionProtection: s.deletionProtection, tags };
    this.costsTable = new aws.dynamodb.Table(`${name}-costs`, tableArgs(names.costs, COSTS_TABLE, table), parent);
    this.alertsTable = new aws.dynamodb.Table(`${name}-alerts`, tableArgs(names.alerts, ALERTS_TABLE, table), parent);

    const costFilters = [environmentCostFilter(s.environmentTagKey, env)];
    const budget = { name: `${prefix}-monthly`, limitUsd: s.monthlyBudgetUsd, costFilters };
    this.environmentBudget = monthlyBudget(`${name}-environment-budget`, budget, s, parent);
    if (s.accountBudget !== undefined) {
      const account = {
        name: s.accountBudget.name ?? `${s.namePrefix}-account-monthly`,
        limitUsd: s.accountBudget.limitUsd,
      };
      this.accountBudget = monthlyBudget(`${name}-account-budget`, account, s, parent);
    }
    if (s.anomalyMonitor !== undefined) {
      const anomaly = anomalyDetection(name, s.anomalyMonitor, s, parent);
      this.anomalyMonitor = anomaly.monitor;
      this.anomalySubscription = anomaly.subscription;
    }
    subscribers(name, s, parent);
    this.notificationFailuresAlarm = alarmFromRow(
      { name, namePrefix: prefix, topicArn: s.alarmTopicArn, tags },
      notificationFailuresRow(s.costTopic.name, s.failedNotificationsThreshold),
      parent,
    );

    // --- What a service needs to use the library ------------------------------------------------
    const topicArn = pulumi.output(s.costTopic.arn);
    this.runtimePolicy = new aws.iam.Policy(
      `${name}-runtime-policy`,
      {
        name: `${prefix}-cost-monitoring`,
        description: `Use of the ${prefix} cost tables and cost alert topic by EnhancedCostMonitoring`,
        policy: pulumi
          .all([this.costsTable.arn, this.alertsTable.arn, kmsKeyArn, topicArn, pulumi.output(s.costTopic.kmsKeyArn)])
          .apply(([costsTableArn, alertsTableArn, tableKeyArn, topicArn, topicKeyArn]) =>
            costMonitoringPolicyDocument({ costsTableArn, alertsTableArn, tableKeyArn, topicArn, topicKeyArn }),
          ),
        tags,
      },
      parent,
    );
    this.costsTableName = this.costsTable.name;
    this.alertsTableName = this.alertsTable.name;
    const E = COST_MONITORING_ENV;
    this.environment = pulumi.all([this.costsTable.name, this.alertsTable.name, topicArn]).apply(
      ([costs, alerts, topic]): Record<string, string> => ({
        [E.costsTable]: costs,
        [E.alertsTable]: alerts,
        [E.alertTopicArn]: topic,
        [E.monthlyBudgetUsd]: String(s.monthlyBudgetUsd),
        [E.costsTtlDays]: String(s.costsTtlDays),
        [E.alertsTtlDays]: String(s.alertsTtlDays),
        [E.environment]: env,
      }),
    );
    this.registerOutputs({
      costsTableName: this.costsTableName,
      alertsTableName: this.alertsTableName,
      kmsKeyArn: this.kmsKeyArn,
      runtimePolicyArn: this.runtimePolicy.arn,
      environment: this.environment,
    });
  }
}
