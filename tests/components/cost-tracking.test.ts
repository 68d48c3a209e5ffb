import { expect } from "chai";
import { describe, it } from "mocha";
import {
  CostTracking,
  type CostTrackingArgs,
  costMonitoringPolicyDocument,
  environmentCostFilter,
} from "../../components/cost-tracking";
import { ArgsError } from "../../components/spec";
import { DEFAULT_WORKFLOW_ALARM_THRESHOLDS, WorkflowQueue, workflowAlarmRows } from "../../components/workflow-queue";
import { ALERTS_TABLE, COST_MONITORING_ENV, COSTS_TABLE } from "../../lambdas/cost-monitoring/contract";
import { createTableInput } from "../../tools/services/dynalite";
import { attempt } from "../support/args-error";
import { evaluateProgram, of } from "../support/policy-harness";
import { inputsOf, jsonInput, ofType, one, record } from "../support/pulumi-harness";

// CostTracking and WorkflowQueue: the inputs that matter (aws-gotchas §DynamoDB, §Budgets, §SQS):
// TTL in epoch seconds on `ttl`, PITR, a customer key, deletion protection, the indexes the runtime
// queries, names carrying the environment, budgets filtered to the environment with the seed's two
// notifications, account singletons only on request, high-throughput FIFO with producer dedup ids.

const COST_TOPIC = "arn:aws:sns:us-east-1:317805897534:huntaze-cost-alerts";
const OPS_TOPIC = "arn:aws:sns:us-east-1:317805897534:huntaze-ops-alerts";

const args = (over: Partial<CostTrackingArgs> = {}): CostTrackingArgs => ({
  environment: "staging",
  costTopic: { arn: COST_TOPIC, name: "huntaze-cost-alerts" },
  alarmTopicArn: OPS_TOPIC,
  monthlyBudgetUsd: 100,
  ...over,
});

const costTracking = (over: Partial<CostTrackingArgs> = {}) =>
  record(() => {
    new CostTracking("cost-tracking", args(over));
  });

describe("CostTracking", () => {
  it("creates both tables on-demand with TTL on `ttl`, PITR, the component's CMK and deletion protection, named with the environment", async () => {
    const run = await costTracking();
    const key = one(run, "aws:kms/key:Key", "cost-tracking-key");
    expect(inputsOf(key)).to.deep.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(inputsOf(one(run, "aws:kms/alias:Alias")).name).to.equal("alias/huntaze-staging-cost-tracking");
    for (const [suffix, name] of [
      ["costs", "huntaze-ai-costs-staging"],
      ["alerts", "huntaze-cost-alerts-staging"],
    ]) {
      const t = inputsOf(one(run, "aws:dynamodb/table:Table", `cost-tracking-${suffix}`));
      expect(t).to.deep.include({
        name,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "pk",
        rangeKey: "sk",
        ttl: { attributeName: "ttl", enabled: true },
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: key.outputs.arn },
        deletionProtectionEnabled: true,
      });
    }
  });

  it("defines the indexes the runtime queries, with the same keys as the dynalite tables the tests use", async () => {
    const run = await costTracking();
    for (const [suffix, layout, tableName] of [
      ["costs", COSTS_TABLE, "x"],
      ["alerts", ALERTS_TABLE, "y"],
    ] as const) {
      const t = inputsOf(one(run, "aws:dynamodb/table:Table", `cost-tracking-${suffix}`));
      const harness = createTableInput(tableName, layout);
      const deployed = (
        t.globalSecondaryIndexes as {
          name: string;
          keySchemas: { attributeName: string; keyType: string }[];
          projectionType: string;
        }[]
      ).map((i) => ({
        IndexName: i.name,
        KeySchema: i.keySchemas.map((k) => ({ AttributeName: k.attributeName, KeyType: k.keyType })),
        Projection: { ProjectionType: i.projectionType },
      }));
      expect(deployed).to.deep.equal(harness.GlobalSecondaryIndexes);
      expect(
        (t.attributes as { name: string; type: string }[]).map((a) => ({
          AttributeName: a.name,
          AttributeType: a.type,
        })),
      ).to.deep.equal(harness.AttributeDefinitions);
    }
    const costs = inputsOf(one(run, "aws:dynamodb/table:Table", "cost-tracking-costs"));
    expect((costs.globalSecondaryIndexes as { name: string }[]).map((i) => i.name)).to.deep.equal(["byAgent"]);
    const alerts = inputsOf(one(run, "aws:dynamodb/table:Table", "cost-tracking-alerts"));
    expect((alerts.globalSecondaryIndexes as { name: string }[]).map((i) => i.name)).to.deep.equal(["pending"]);
  });

  it("budgets the environment, filtered to its cost allocation tag, with 80 % forecasted and 100 % actual to the cost topic", async () => {
    const run = await costTracking();
    const budgets = ofType(run, "aws:budgets/budget:Budget");
    expect(budgets).to.have.length(1);
    const b = inputsOf(budgets[0]!);
    expect(b).to.deep.include({
      name: "huntaze-staging-monthly",
      budgetType: "COST",
      limitAmount: "100.00",
      limitUnit: "USD",
      timeUnit: "MONTHLY",
      costFilters: [{ name: "TagKeyValue", values: ["user:Environment$staging"] }],
    });
    expect(
      (b.notifications as Record<string, unknown>[]).map((n) => [
        n.notificationType,
        n.comparisonOperator,
        n.threshold,
        n.thresholdType,
        n.subscriberSnsTopicArns,
      ]),
    ).to.deep.equal([
      ["FORECASTED", "GREATER_THAN", 80, "PERCENTAGE", [COST_TOPIC]],
      ["ACTUAL", "GREATER_THAN", 100, "PERCENTAGE", [COST_TOPIC]],
    ]);
    expect(ofType(run, "aws:costexplorer/anomalyMonitor:AnomalyMonitor")).to.deep.equal([]);
    expect(environmentCostFilter("Stage", "production").values).to.deep.equal(["user:Stage$production"]);
  });

  it("adds the unfiltered account budget and the anomaly monitor only when asked (one per account)", async () => {
    const run = await costTracking({
      environment: "production",
      accountBudget: { limitUsd: 500 },
      anomalyMonitor: { thresholdUsd: 50 },
    });
    const account = inputsOf(one(run, "aws:budgets/budget:Budget", "account-budget"));
    expect(account).to.deep.include({ name: "huntaze-account-monthly", limitAmount: "500.00" });
    expect(account.costFilters).to.equal(undefined);
    expect((account.notifications as { notificationType: string }[]).map((n) => n.notificationType)).to.deep.equal([
      "FORECASTED",
      "ACTUAL",
    ]);
    const monitor = one(run, "aws:costexplorer/anomalyMonitor:AnomalyMonitor");
    expect(inputsOf(monitor)).to.deep.include({ monitorType: "DIMENSIONAL", monitorDimension: "SERVICE" });
    const sub = inputsOf(one(run, "aws:costexplorer/anomalySubscription:AnomalySubscription"));
    expect(sub).to.deep.include({
      frequency: "IMMEDIATE",
      monitorArnLists: [monitor.outputs.arn],
      subscribers: [{ type: "SNS", address: COST_TOPIC }],
    });
    expect(sub.thresholdExpression).to.deep.equal({
      dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", matchOptions: ["GREATER_THAN_OR_EQUAL"], values: ["50.00"] },
    });
  });

  it("adopts the account's existing AWS-services monitor: subscribes to it, creates none (one per account)", async () => {
    const existing = "arn:aws:ce::317805897534:anomalymonitor/0b6f5d2e-1111-2222-3333-444455556666";
    const run = await costTracking({
      environment: "production",
      anomalyMonitor: { thresholdUsd: 50, existingArn: existing },
    });
    expect(ofType(run, "aws:costexplorer/anomalyMonitor:AnomalyMonitor")).to.deep.equal([]);
    const sub = inputsOf(one(run, "aws:costexplorer/anomalySubscription:AnomalySubscription"));
    expect(sub.monitorArnLists).to.deep.equal([existing]);
    let message = "";
    try {
      await costTracking({ environment: "production", anomalyMonitor: { thresholdUsd: 50, existingArn: "monitor-1" } });
    } catch (e) {
      message = String(e);
    }
    expect(message).to.include(
      'anomalyMonitor.existingArn: expected the ARN of the account\'s existing AWS-services anomaly monitor (arn:aws:ce::<account>:anomalymonitor/<id>), got "monitor-1"',
    );
  });

  it("subscribes emails and HTTPS webhooks (kept secret) to the cost topic", async () => {
    const hook = "https://hooks.example.com/services/T000/B000/secret-token-123";
    const run = await costTracking({ subscriptions: { emails: ["finops@huntaze.com"], httpsEndpoints: [hook] } });
    const subs = ofType(run, "aws:sns/topicSubscription:TopicSubscription").map(inputsOf);
    expect(subs.map((s) => [s.protocol, s.topic])).to.deep.equal([
      ["email", COST_TOPIC],
      ["https", COST_TOPIC],
    ]);
    expect(subs[0]?.endpoint).to.equal("finops@huntaze.com");
    expect(subs[1]?.endpoint).to.equal("[secret]");
    expect(JSON.stringify(subs)).to.not.include("secret-token-123");
  });

  it("warns the ops topic when the cost topic fails to deliver", async () => {
    const run = await costTracking();
    const alarm = inputsOf(one(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "cost-notifications-failed"));
    expect(alarm).to.deep.include({
      name: "huntaze-staging-cost-notifications-failed",
      namespace: "AWS/SNS",
      metricName: "NumberOfNotificationsFailed",
      dimensions: { TopicName: "huntaze-cost-alerts" },
      statistic: "Sum",
      period: 300,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      alarmActions: [OPS_TOPIC],
    });
  });

  it("publishes the runtime's environment under the contract's names and a least-privilege policy", async () => {
    let env: Record<string, string> = {};
    const run = await record(() => {
      const c = new CostTracking("cost-tracking", args({ costsTtlDays: 60 }));
      c.environment.apply((e) => {
        env = e;
      });
    });
    expect(env).to.deep.equal({
      [COST_MONITORING_ENV.costsTable]: "huntaze-ai-costs-staging",
      [COST_MONITORING_ENV.alertsTable]: "huntaze-cost-alerts-staging",
      [COST_MONITORING_ENV.alertTopicArn]: COST_TOPIC,
      [COST_MONITORING_ENV.monthlyBudgetUsd]: "100",
      [COST_MONITORING_ENV.costsTtlDays]: "60",
      [COST_MONITORING_ENV.alertsTtlDays]: "30",
      [COST_MONITORING_ENV.environment]: "staging",
    });
    const policy = jsonInput(one(run, "aws:iam/policy:Policy"), "policy") as {
      Statement: { Sid: string; Action: string | string[] }[];
    };
    const actions = policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).to.not.include("dynamodb:Scan");
    expect(actions).to.not.include("dynamodb:DeleteItem");
    expect(actions.some((a) => a.endsWith("*"))).to.equal(false);
    const doc = JSON.parse(
      costMonitoringPolicyDocument({
        costsTableArn: "arn:t1",
        alertsTableArn: "arn:t2",
        tableKeyArn: "arn:k",
        topicArn: "arn:s",
        topicKeyArn: "arn:tk",
      }),
    ) as { Statement: { Sid: string; Resource: string | string[] }[] };
    expect(doc.Statement.map((s) => [s.Sid, s.Resource])).to.deep.equal([
      ["CostTables", ["arn:t1", "arn:t2", "arn:t1/index/*", "arn:t2/index/*"]],
      ["CostTablesKey", "arn:k"],
      ["PublishCostAlerts", "arn:s"],
      ["CostTopicKey", "arn:tk"],
    ]);
  });

  it("reports every bad argument at once", () => {
    expect(
      () =>
        new CostTracking(
          "bad",
          args({ environment: "Prod!", monthlyBudgetUsd: -5, costsTtlDays: 0, anomalyMonitor: { thresholdUsd: 0 } }),
        ),
    ).to.throw(
      [
        'CostTracking "bad": invalid arguments (4 problems):',
        '  - environment: expected 1–31 lowercase letters, digits or "-", got "Prod!"',
        "  - monthlyBudgetUsd: expected a number ≥ 0.01 and ≤ 1000000000, got -5",
        "  - anomalyMonitor.thresholdUsd: expected a number ≥ 0.01 and ≤ 1000000000, got 0",
        "  - costsTtlDays: expected an integer from 1 to 3650, got 0",
      ].join("\n"),
    );
  });

  it("passes the policy pack's DynamoDB, SNS and SQS rules (no violation at all)", async () => {
    const { violations } = await evaluateProgram(() => {
      new CostTracking(
        "cost-tracking",
        args({ accountBudget: { limitUsd: 500 }, anomalyMonitor: { thresholdUsd: 50 } }),
      );
      new WorkflowQueue("workflows", { queueName: "huntaze-hybrid-workflows-staging", alarmTopicArn: OPS_TOPIC });
    });
    expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);
    expect(of(violations, "dynamodb-encryption-cmk")).to.deep.equal([]);
  });
});

describe("WorkflowQueue", () => {
  it("is a high-throughput FIFO queue (dedup by producer id, per message group) with a FIFO DLQ after 5 receives, encrypted with its CMK", async () => {
    const run = await record(() => {
      new WorkflowQueue("workflows", { queueName: "huntaze-hybrid-workflows-production", alarmTopicArn: OPS_TOPIC });
    });
    const key = one(run, "aws:kms/key:Key");
    const dlq = one(run, "aws:sqs/queue:Queue", "workflows-dlq");
    const queue = inputsOf(one(run, "aws:sqs/queue:Queue", "workflows-queue"));
    const fifo = {
      fifoQueue: true,
      contentBasedDeduplication: false,
      deduplicationScope: "messageGroup",
      fifoThroughputLimit: "perMessageGroupId",
      kmsMasterKeyId: key.outputs.arn,
    };
    expect(queue).to.deep.include({
      ...fifo,
      name: "huntaze-hybrid-workflows-production.fifo",
      visibilityTimeoutSeconds: 300,
    });
    expect(inputsOf(dlq)).to.deep.include({
      ...fifo,
      name: "huntaze-hybrid-workflows-production-dlq.fifo",
      messageRetentionSeconds: 1_209_600,
    });
    expect(JSON.parse(queue.redrivePolicy as string)).to.deep.equal({
      deadLetterTargetArn: dlq.outputs.arn,
      maxReceiveCount: 5,
    });
    const allow = JSON.parse(
      inputsOf(one(run, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy")).redriveAllowPolicy as string,
    );
    expect(allow.redrivePermission).to.equal("byQueue");
    for (const p of ofType(run, "aws:sqs/queuePolicy:QueuePolicy")) {
      const st = (jsonInput(p, "policy") as { Statement: { Sid: string; Effect: string }[] }).Statement;
      expect(st[0]).to.deep.include({ Sid: "DenyInsecureTransport", Effect: "Deny" });
    }
  });

  it("alarms with the seed's SQS thresholds to the ops topic", async () => {
    const run = await record(() => {
      new WorkflowQueue("workflows", { queueName: "huntaze-hybrid-workflows-staging", alarmTopicArn: OPS_TOPIC });
    });
    const byKey = (a: Record<string, unknown>) =>
      ["oldest", "visible", "dlq"].findIndex((k) => String(a.name).includes(k));
    const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")
      .map(inputsOf)
      .sort((a, b) => byKey(a) - byKey(b));
    expect(
      alarms.map((a) => [
        a.name,
        a.metricName,
        a.period,
        a.threshold,
        (a.dimensions as { QueueName: string }).QueueName,
      ]),
    ).to.deep.equal([
      [
        "huntaze-hybrid-workflows-staging-oldest-message-age",
        "ApproximateAgeOfOldestMessage",
        300,
        300,
        "huntaze-hybrid-workflows-staging.fifo",
      ],
      [
        "huntaze-hybrid-workflows-staging-visible-messages",
        "ApproximateNumberOfMessagesVisible",
        300,
        1000,
        "huntaze-hybrid-workflows-staging.fifo",
      ],
      [
        "huntaze-hybrid-workflows-staging-dlq-depth",
        "ApproximateNumberOfMessagesVisible",
        60,
        10,
        "huntaze-hybrid-workflows-staging-dlq.fifo",
      ],
    ]);
    expect(alarms.every((a) => (a.alarmActions as string[])[0] === OPS_TOPIC)).to.equal(true);
    expect(
      workflowAlarmRows("q", "d", { ...DEFAULT_WORKFLOW_ALARM_THRESHOLDS, dlqMessages: 3 })[2]?.threshold,
    ).to.equal(3);
  });

  it("refuses a name with .fifo or too long, and a DLQ that forgets sooner than its queue", () => {
    expect(
      () =>
        new WorkflowQueue("bad", {
          queueName: "q.fifo",
          alarmTopicArn: OPS_TOPIC,
          messageRetentionSeconds: 1_209_600,
          dlqMessageRetentionSeconds: 60,
        }),
    ).to.throw(
      [
        'WorkflowQueue "bad": invalid arguments (2 problems):',
        '  - queueName: expected a FIFO queue name without ".fifo" (1–71 letters, digits, "-" or "_"), got "q.fifo"',
        "  - dlqMessageRetentionSeconds: expected an integer from messageRetentionSeconds (1209600) to 1209600, got 60",
      ].join("\n"),
    );
  });
});

describe("CostTracking explicit names (adoption)", () => {
  it("names the account budget accountBudget.name when given, else <prefix>-account-monthly", async () => {
    const named = await costTracking({ accountBudget: { limitUsd: 500, name: "huntaze-monthly-budget" } });
    expect(inputsOf(one(named, "aws:budgets/budget:Budget", "account-budget")).name).to.equal("huntaze-monthly-budget");
    const unnamed = await costTracking({ accountBudget: { limitUsd: 500 } });
    expect(inputsOf(one(unnamed, "aws:budgets/budget:Budget", "account-budget")).name).to.equal(
      "huntaze-account-monthly",
    );
  });

  it("refuses a budget name AWS refuses, naming the value", () => {
    expect(() => new CostTracking("bad", args({ accountBudget: { limitUsd: 500, name: "a:b" } }))).to.throw(
      'accountBudget.name: expected a budget name (1–100 characters without ":", "\\" or "/action/"), got "a:b"',
    );
    // The "/action/" substring too (the stack's copy of the rule used to let it through).
    expect(() => new CostTracking("bad", args({ accountBudget: { limitUsd: 500, name: "x/action/y" } }))).to.throw(
      'accountBudget.name: expected a budget name (1–100 characters without ":", "\\" or "/action/"), got "x/action/y"',
    );
  });
});

describe("CostTracking from another project (no TypeScript to catch the args)", () => {
  // The constructor throws inside the mocked program; nothing but the component itself is registered.
  async function refused(args: unknown) {
    const { error, children } = await attempt(() => new CostTracking("x", args as never));
    expect(error, "an ArgsError, not a TypeError").to.be.instanceOf(ArgsError);
    expect(children).to.deep.equal([]);
    return (error as ArgsError).problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`);
  }

  it("no args at all: names every required field (costTopic.arn, not `reading 'arn'`)", async () => {
    expect(await refused({})).to.deep.equal([
      'environment: expected 1–31 lowercase letters, digits or "-", got nothing (the key is missing)',
      "costTopic.arn: expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got nothing (the key is missing)",
      'costTopic.name: expected a standard topic name (1–256 letters, digits, "-" or "_"), got nothing (the key is missing)',
      "alarmTopicArn: expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got nothing (the key is missing)",
      "monthlyBudgetUsd: expected a number ≥ 0.01 and ≤ 1000000000, got nothing (the key is missing)",
    ]);
    expect(await refused(undefined)).to.have.length(5);
  });

  it("wrong values: each named with what is allowed and what was given", async () => {
    expect(
      await refused({
        environment: "Staging",
        costTopic: { arn: "huntaze-cost-alerts", name: "cost alerts" },
        alarmTopicArn: 42,
        monthlyBudgetUsd: "lots",
        accountBudget: { name: "a\\b" },
        anomalyMonitor: { thresholdUsd: 0.001 },
        kmsKeyArn: "alias/aws/dynamodb",
        subscriptions: { emails: ["finops"], httpsEndpoints: ["http://hooks.example.com/x"] },
        failedNotificationsThreshold: -1,
        tags: { Team: 1 },
      }),
    ).to.deep.equal([
      'environment: expected 1–31 lowercase letters, digits or "-", got "Staging"',
      'costTopic.arn: expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got "huntaze-cost-alerts"',
      'costTopic.name: expected a standard topic name (1–256 letters, digits, "-" or "_"), got "cost alerts"',
      "alarmTopicArn: expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got 42",
      'monthlyBudgetUsd: expected a number ≥ 0.01 and ≤ 1000000000, got "lots"',
      "accountBudget.limitUsd: expected a number ≥ 0.01 and ≤ 1000000000, got nothing (the key is missing)",
      'accountBudget.name: expected a budget name (1–100 characters without ":", "\\" or "/action/"), got "a\\\\b"',
      "anomalyMonitor.thresholdUsd: expected a number ≥ 0.01 and ≤ 1000000000, got 0.001",
      'kmsKeyArn: expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<uuid or mrk-…>), got "alias/aws/dynamodb"',
      'subscriptions.emails[0]: expected an email address, got "finops"',
      'subscriptions.httpsEndpoints[0]: expected an https:// URL, got "http://hooks.example.com/x"',
      "failedNotificationsThreshold: expected a number ≥ 0, got -1",
      "tags.Team: expected a string, got 1",
    ]);
  });
});
