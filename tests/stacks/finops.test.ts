import { expect } from "chai";
import { describe, it } from "mocha";
import { BUDGET_OUTPUTS } from "../../lib/stack-contract";
import { parseStackConfig } from "../../stacks/config";
import { buildStack } from "../../stacks/program";
import { readStackFile } from "../../tools/engine/stack-file";
import { inputsOf, ofType, one, record } from "../support/pulumi-harness";

// The FinOps part of both stacks, which share one account: each environment's budget sees only its
// own cost allocation tag, the account-wide budget and anomaly monitor exist once (production), and
// every physical name carries the environment.

async function build(stack: string) {
  const file = readStackFile(stack);
  const config = parseStackConfig(file.config, file.secretKeys);
  return record(() => buildStack(config), { stack, config: file.config, secretKeys: file.secretKeys });
}

function problems(overrides: Record<string, string>, secretKeys: string[] = []): string[] {
  const file = readStackFile("staging");
  try {
    parseStackConfig({ ...file.config, ...overrides }, [...file.secretKeys, ...secretKeys]);
  } catch (e) {
    return (e as { problems: { key: string; allowed: string; got: string }[] }).problems.map(
      (p) => `${p.key}: ${p.allowed}, got ${p.got}`,
    );
  }
  return [];
}

describe("stacks: FinOps (cost tables, budgets, workflow queue, outputs)", () => {
  it("filters staging's budget to staging and gives staging no account budget and no anomaly monitor", async () => {
    const run = await build("staging");
    const budgets = ofType(run, "aws:budgets/budget:Budget").map(inputsOf);
    expect(budgets).to.have.length(1);
    expect(budgets[0]).to.deep.include({
      name: "huntaze-staging-monthly",
      limitAmount: "100.00",
      costFilters: [{ name: "TagKeyValue", values: ["user:Environment$staging"] }],
    });
    expect(ofType(run, "aws:costexplorer/anomalyMonitor:AnomalyMonitor")).to.deep.equal([]);
  });

  it("gives production its filtered budget plus the one account budget and anomaly monitor", async () => {
    const run = await build("production");
    const env = inputsOf(one(run, "aws:budgets/budget:Budget", "environment-budget"));
    expect(env.costFilters).to.deep.equal([{ name: "TagKeyValue", values: ["user:Environment$production"] }]);
    const account = inputsOf(one(run, "aws:budgets/budget:Budget", "account-budget"));
    // Terraform's budget, under the name the production inventory records (adopted, not created twice).
    expect(account).to.deep.include({ name: "huntaze-monthly-budget", limitAmount: "500.00" });
    expect(account.costFilters).to.equal(undefined);
    expect(ofType(run, "aws:costexplorer/anomalyMonitor:AnomalyMonitor")).to.have.length(1);
    expect(ofType(run, "aws:costexplorer/anomalySubscription:AnomalySubscription")).to.have.length(1);
  });

  it("names every FinOps resource with its environment, so the two stacks never collide", async () => {
    const [production, staging] = [await build("production"), await build("staging")];
    const physical = (run: Awaited<ReturnType<typeof build>>) =>
      [
        "aws:dynamodb/table:Table",
        "aws:sqs/queue:Queue",
        "aws:budgets/budget:Budget",
        "aws:iam/policy:Policy",
        "aws:kms/alias:Alias",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
      ]
        .flatMap((t) => ofType(run, t).map((r) => inputsOf(r).name))
        // Auto-named resources (no name input) get a unique suffix from Pulumi.
        .filter((n): n is string => typeof n === "string");
    const shared = physical(production).filter((n) => physical(staging).includes(n));
    expect(shared).to.deep.equal([]);
    expect(physical(staging)).to.include.members([
      "huntaze-ai-costs-staging",
      "huntaze-cost-alerts-staging",
      "huntaze-hybrid-workflows-staging.fifo",
      "huntaze-hybrid-workflows-staging-dlq.fifo",
    ]);
  });

  it("outputs the seed's Terraform outputs", async () => {
    const run = await build("production");
    expect(run.outputs).to.deep.include({
      // The seed's live queue, adopted (Pulumi.production.yaml huntaze:finops.workflowQueue.queueName).
      sqsWorkflowQueueUrl: "https://sqs.us-east-1.amazonaws.com/317805897534/huntaze-hybrid-workflows.fifo",
      sqsRateLimiterQueueUrl: "https://sqs.us-east-1.amazonaws.com/317805897534/huntaze-rate-limiter-queue",
      dynamodbCostsTableName: "huntaze-ai-costs-production",
      snsCostAlertsArn: one(run, "aws:sns/topic:Topic", "alerts-cost").outputs.arn,
      redisEncryptedEndpoint: run.outputs.redisPrimaryEndpoint,
    });
    expect(run.outputs.redisEncryptedEndpoint)
      .to.be.a("string")
      .and.match(/cache\.amazonaws\.com$/);
  });

  it("exports the budgets the offline engine's cost estimate compares with: the account's from production only", async () => {
    const [production, staging] = [await build("production"), await build("staging")];
    expect(production.outputs).to.deep.include({ [BUDGET_OUTPUTS.stack]: 500, [BUDGET_OUTPUTS.account]: 500 });
    expect(staging.outputs).to.deep.include({ [BUDGET_OUTPUTS.stack]: 100 });
    expect(staging.outputs).to.not.have.property(BUDGET_OUTPUTS.account);
  });

  it("reports FinOps config mistakes with the rest: an account budget outside the baseline owner, a plain-text webhook", () => {
    expect(
      problems({
        "huntaze:finops": JSON.stringify({
          accountBudgetUsd: 500,
          costsTtlDays: 0,
          workflowQueue: { maxReceiveCount: 0 },
        }),
        "huntaze:costAlertWebhookUrl": "https://hooks.slack.com/services/T/B/x",
      }),
    ).to.deep.equal([
      "huntaze:finops.accountBudgetUsd: unset unless huntaze:manageAccountBaseline is true (one account budget), got 500",
      "huntaze:finops.costsTtlDays: an integer from 1 to 3650, got 0",
      "huntaze:finops.workflowQueue.maxReceiveCount: an integer from 1 to 1000, got 0",
      "huntaze:costAlertWebhookUrl: a value stored with `pulumi config set --secret`, got a plain-text value (not shown)",
    ]);
    expect(
      problems({ "huntaze:costAlertWebhookUrl": "http://hooks.example.com/x" }, ["huntaze:costAlertWebhookUrl"]),
    ).to.deep.equal(["huntaze:costAlertWebhookUrl: an https:// URL, got a secret value (not shown)"]);
    // Stored in plain text by mistake, a non-https webhook is still never shown (it carries its token).
    const plain = problems({ "huntaze:costAlertWebhookUrl": "http://hooks.example.com/T/B/token-123" });
    expect(plain).to.deep.equal([
      "huntaze:costAlertWebhookUrl: a value stored with `pulumi config set --secret`, got a plain-text value (not shown)",
      "huntaze:costAlertWebhookUrl: an https:// URL, got a secret value (not shown)",
    ]);
    expect(plain.join("\n")).to.not.include("token-123");
  });
});
