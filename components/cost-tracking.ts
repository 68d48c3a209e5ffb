import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  ALERTS_TABLE,
  COST_MONITORING_ENV,
  COSTS_TABLE,
  costTableNames,
  DEFAULT_ALERTS_TTL_DAYS,
  DEFAULT_COSTS_TTL_DAYS,
  type TableLayout,
  TTL_ATTRIBUTE,
} from "../lambdas/cost-monitoring/contract";
import { type AlarmRow, alarmFromRow } from "./alarms";
import { createComponentKey } from "./kms-key";

// The runtime owns the retention defaults; the component takes them as args.
export { DEFAULT_ALERTS_TTL_DAYS, DEFAULT_COSTS_TTL_DAYS } from "../lambdas/cost-monitoring/contract";

// The FinOps pillar (seed 002 "FinOps Architecture", seed 003 §1.2–1.3, §10.3, §12): the cost and
// alert tables EnhancedCostMonitoring writes, the monthly budgets and the optional cost anomaly
// monitor, all reporting to the cost alert topic (AlertTopics owns it and its Budgets policy).
// Staging and production share one account (aws-gotchas §One account, §Budgets): every physical name
// carries the environment, the environment budget is filtered to the environment's cost allocation
// tag, and the unfiltered account budget and the anomaly monitor (one per account) are opt-in.

/** An anomaly monitor's ARN ("Controlling access for Cost Anomaly Detection": arn:${partition}:ce::${account-id}:anomalymonitor/${monitor-id}). */
export const ANOMALY_MONITOR_ARN = /^arn:aws[a-z-]*:ce::\d{12}:anomalymonitor\/[0-9a-f-]{36}$/;

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
  /** @default "huntaze" */
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
   * @default "Environment"
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
  readonly anomalyMonitor?: { readonly thresholdUsd: number; readonly existingArn?: string };
  /** Deletion protection on both tables. @default true */
  readonly deletionProtection?: boolean;
  /** @default 90 */
  readonly costsTtlDays?: number;
  /** @default 30 */
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
  /** Alarm when more cost-topic deliveries than this fail in 5 minutes. @default 0 */
  readonly failedNotificationsThreshold?: number;
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

const NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

interface Resolved {
  namePrefix: string;
  tagKey: string;
  deletionProtection: boolean;
  costsTtlDays: number;
  alertsTtlDays: number;
  failedNotificationsThreshold: number;
}

/** Defaults resolved once, every rule checked; all problems in one error. */
export function resolveCostTrackingArgs(name: string, args: CostTrackingArgs): Resolved {
  const r: Resolved = {
    namePrefix: args.namePrefix ?? "huntaze",
    tagKey: args.environmentTagKey ?? "Environment",
    deletionProtection: args.deletionProtection ?? true,
    costsTtlDays: args.costsTtlDays ?? DEFAULT_COSTS_TTL_DAYS,
    alertsTtlDays: args.alertsTtlDays ?? DEFAULT_ALERTS_TTL_DAYS,
    failedNotificationsThreshold: args.failedNotificationsThreshold ?? 0,
  };
  const money = (v: number | undefined) => v !== undefined && Number.isFinite(v) && v > 0 && v <= 1e9;
  const rules: { check: boolean; message: string }[] = [
    {
      check: NAME.test(args.environment),
      message: `environment must be 1–31 lowercase letters, digits or "-", got "${args.environment}"`,
    },
    {
      check: NAME.test(r.namePrefix),
      message: `namePrefix must be 1–31 lowercase letters, digits or "-", got "${r.namePrefix}"`,
    },
    {
      check: /^[A-Za-z0-9 _.:/=+@-]{1,128}$/.test(r.tagKey) && !r.tagKey.startsWith("aws:"),
      message: `environmentTagKey must be a user tag key (1–128 characters, not aws:), got "${r.tagKey}"`,
    },
    {
      // Budget: "The : and \ characters, and the "/action/" substring, aren't allowed in BudgetName",
      // 1–100 characters (Budget, AWS Billing and Cost Management API Reference,
      // https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html).
      check:
        args.accountBudget?.name === undefined ||
        (/^[^:\\]{1,100}$/.test(args.accountBudget.name) && !args.accountBudget.name.includes("/action/")),
      message: `accountBudget.name must be 1–100 characters without ":", "\\" or "/action/", got "${args.accountBudget?.name}"`,
    },
    {
      check: money(args.monthlyBudgetUsd),
      message: `monthlyBudgetUsd must be > 0 and ≤ 1e9, got ${args.monthlyBudgetUsd}`,
    },
    {
      check: args.accountBudget === undefined || money(args.accountBudget.limitUsd),
      message: `accountBudget.limitUsd must be > 0 and ≤ 1e9, got ${args.accountBudget?.limitUsd}`,
    },
    {
      check: args.anomalyMonitor === undefined || money(args.anomalyMonitor.thresholdUsd),
      message: `anomalyMonitor.thresholdUsd must be > 0, got ${args.anomalyMonitor?.thresholdUsd}`,
    },
    {
      check:
        args.anomalyMonitor?.existingArn === undefined || ANOMALY_MONITOR_ARN.test(args.anomalyMonitor.existingArn),
      message: `anomalyMonitor.existingArn must be an anomaly monitor ARN (arn:aws:ce::<account>:anomalymonitor/<id>), got "${args.anomalyMonitor?.existingArn}"`,
    },
    {
      check: Number.isInteger(r.costsTtlDays) && r.costsTtlDays >= 1 && r.costsTtlDays <= 3650,
      message: `costsTtlDays must be an integer from 1 to 3650, got ${r.costsTtlDays}`,
    },
    {
      check: Number.isInteger(r.alertsTtlDays) && r.alertsTtlDays >= 1 && r.alertsTtlDays <= 3650,
      message: `alertsTtlDays must be an integer from 1 to 3650, got ${r.alertsTtlDays}`,
    },
    {
      check: Number.isFinite(r.failedNotificationsThreshold) && r.failedNotificationsThreshold >= 0,
      message: `failedNotificationsThreshold must be a number ≥ 0, got ${r.failedNotificationsThreshold}`,
    },
    ...(args.subscriptions?.emails ?? []).map((e, i) => ({
      check: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e),
      message: `subscriptions.emails[${i}] must be an email address, got "${e}"`,
    })),
  ];
  const problems = rules.filter((x) => !x.check).map((x) => x.message);
  if (problems.length > 0) throw new Error(`CostTracking ${name}: ${problems.join("; ")}`);
  return r;
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
    const s = resolveCostTrackingArgs(name, args);
    const parent = { parent: this };
    const tags = args.tags;
    const env = args.environment;
    const prefix = `${s.namePrefix}-${env}`;
    const names = costTableNames(env, s.namePrefix);

    if (args.kmsKeyArn === undefined) {
      // Account administration only: DynamoDB uses the key through the caller's IAM grants.
      this.key = createComponentKey(
        `${name}-key`,
        { description: `Encrypts the ${prefix} cost tables`, alias: `${prefix}-cost-tracking`, tags },
        parent,
      );
    }
    const kmsKeyArn = this.key ? this.key.arn : pulumi.output(args.kmsKeyArn!);
    this.kmsKeyArn = kmsKeyArn;

    const table = { kmsKeyArn, deletionProtection: s.deletionProtection, tags };
    this.costsTable = new aws.dynamodb.Table(`${name}-costs`, tableArgs(names.costs, COSTS_TABLE, table), parent);
    this.alertsTable = new aws.dynamodb.Table(`${name}-alerts`, tableArgs(names.alerts, ALERTS_TABLE, table), parent);

    // --- Budgets -------------------------------------------------------------------------------
    this.environmentBudget = new aws.budgets.Budget(
      `${name}-environment-budget`,
      {
        name: `${prefix}-monthly`,
        budgetType: "COST",
        limitAmount: args.monthlyBudgetUsd.toFixed(2),
        limitUnit: "USD",
        timeUnit: "MONTHLY",
        costFilters: [environmentCostFilter(s.tagKey, env)],
        notifications: budgetNotifications(args.costTopic.arn),
        tags,
      },
      parent,
    );
    if (args.accountBudget !== undefined) {
      this.accountBudget = new aws.budgets.Budget(
        `${name}-account-budget`,
        {
          name: args.accountBudget.name ?? `${s.namePrefix}-account-monthly`,
          budgetType: "COST",
          limitAmount: args.accountBudget.limitUsd.toFixed(2),
          limitUnit: "USD",
          timeUnit: "MONTHLY",
          notifications: budgetNotifications(args.costTopic.arn),
          tags,
        },
        parent,
      );
    }
    if (args.anomalyMonitor !== undefined) {
      // One AWS-services monitor per account: adopt the existing one, never create a second.
      const existing = args.anomalyMonitor.existingArn;
      this.anomalyMonitor =
        existing === undefined
          ? new aws.costexplorer.AnomalyMonitor(
              `${name}-anomaly-monitor`,
              {
                name: `${s.namePrefix}-account-services`,
                monitorType: "DIMENSIONAL",
                monitorDimension: "SERVICE",
                tags,
              },
              parent,
            )
          : undefined;
      const monitorArn = this.anomalyMonitor?.arn ?? pulumi.output(existing as string);
      this.anomalySubscription = new aws.costexplorer.AnomalySubscription(
        `${name}-anomaly-subscription`,
        {
          name: `${s.namePrefix}-account-anomalies`,
          // IMMEDIATE is the only frequency that delivers to SNS.
          frequency: "IMMEDIATE",
          monitorArnLists: [monitorArn],
          subscribers: [{ type: "SNS", address: args.costTopic.arn }],
          thresholdExpression: {
            dimension: {
              key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
              matchOptions: ["GREATER_THAN_OR_EQUAL"],
              values: [args.anomalyMonitor.thresholdUsd.toFixed(2)],
            },
          },
          tags,
        },
        parent,
      );
    }

    // --- Subscribers ---------------------------------------------------------------------------
    (args.subscriptions?.emails ?? []).forEach((endpoint, i) => {
      new aws.sns.TopicSubscription(
        `${name}-email-${i}`,
        { topic: args.costTopic.arn, protocol: "email", endpoint },
        parent,
      );
    });
    (args.subscriptions?.httpsEndpoints ?? []).forEach((endpoint, i) => {
      new aws.sns.TopicSubscription(
        `${name}-https-${i}`,
        {
          topic: args.costTopic.arn,
          protocol: "https",
          endpoint: pulumi.secret(endpoint),
          endpointAutoConfirms: true,
          // Retry a failing webhook instead of dropping the alert at the first 5xx.
          deliveryPolicy: JSON.stringify({
            healthyRetryPolicy: {
              numRetries: 5,
              minDelayTarget: 5,
              maxDelayTarget: 60,
              backoffFunction: "exponential",
            },
          }),
        },
        parent,
      );
    });

    // --- Alarm: a budget/runtime alert that SNS could not deliver ------------------------------
    const row: AlarmRow = {
      key: "cost-notifications-failed",
      description: pulumi.interpolate`Deliveries from the cost topic ${args.costTopic.name} failed (email/HTTPS subscribers did not receive a cost alert)`,
      namespace: "AWS/SNS",
      metricName: "NumberOfNotificationsFailed",
      dimensions: { TopicName: args.costTopic.name },
      statistic: "Sum",
      periodSeconds: 300,
      comparison: "GreaterThanThreshold",
      threshold: s.failedNotificationsThreshold,
    };
    this.notificationFailuresAlarm = alarmFromRow(
      { name, namePrefix: prefix, topicArn: args.alarmTopicArn, tags },
      row,
      parent,
    );

    // --- What a service needs to use the library ------------------------------------------------
    this.runtimePolicy = new aws.iam.Policy(
      `${name}-runtime-policy`,
      {
        name: `${prefix}-cost-monitoring`,
        description: `Use of the ${prefix} cost tables and cost alert topic by EnhancedCostMonitoring`,
        policy: pulumi
          .all([
            this.costsTable.arn,
            this.alertsTable.arn,
            kmsKeyArn,
            pulumi.output(args.costTopic.arn),
            pulumi.output(args.costTopic.kmsKeyArn),
          ])
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
    this.environment = pulumi
      .all([this.costsTable.name, this.alertsTable.name, pulumi.output(args.costTopic.arn)])
      .apply(
        ([costs, alerts, topic]): Record<string, string> => ({
          [E.costsTable]: costs,
          [E.alertsTable]: alerts,
          [E.alertTopicArn]: topic,
          [E.monthlyBudgetUsd]: String(args.monthlyBudgetUsd),
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
