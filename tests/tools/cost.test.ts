import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { describe, it } from "mocha";
import {
  budgetFromConfig,
  CostInputError,
  type CostLine,
  estimateCost,
  loadPriceTable,
  loadUsageProfile,
  parseUsageProfile,
  renderCostText,
  type UsageProfile,
} from "../../tools/engine/cost";
import type { RecordedResource } from "../../tools/engine/recorder";
import type { PlainObject } from "../../tools/engine/secrets";
import { runTool } from "../support/cli";
import { rec, stackRecord, syntheticStack } from "../support/records";

// The cost estimate: each quantity rule on its own resource, the seed's own figures, a golden
// table for a synthetic stack (with the types other parts of the project add), and the CLI.

const prices = loadPriceTable("us-east-1");
const goldenTable = path.join(__dirname, "..", "fixtures", "cost", "synthetic.txt");

function lineFor(
  type: string,
  inputs: PlainObject = {},
  usage: UsageProfile = {},
  extra: RecordedResource[] = [],
): CostLine {
  const r = rec({ type, name: "subject", inputs });
  const e = estimateCost([stackRecord(), ...extra, r], { prices, usage });
  const line = e.lines.find((l) => l.name === "subject");
  if (!line) throw new Error(`no line for ${type}: free? ${JSON.stringify(e.free)}`);
  return line;
}

const within = (actual: number, expected: number, ratio: number) =>
  expect(Math.abs(actual - expected) / expected, `${actual} vs ${expected}`).to.be.at.most(ratio);

describe("cost estimate (tools/engine/cost.ts)", () => {
  it("the price table is dated and every figure names its source", () => {
    expect(prices.transcribed).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect(prices.hoursPerMonth).to.equal(730);
    for (const [key, p] of Object.entries(prices.prices)) {
      expect(p.usd, key).to.be.a("number").and.to.be.greaterThan(0);
      expect(p.source, key).to.match(/^https:\/\/aws\.amazon\.com\//);
    }
  });

  it("reproduces seed 000: a cache.t3.micro ≈ $12/month, the encrypted pair ≈ $24/month (within 10 %)", () => {
    const single = lineFor("aws:elasticache/replicationGroup:ReplicationGroup", {
      nodeType: "cache.t3.micro",
      numCacheClusters: 1,
    });
    within(single.monthlyUsd, 12, 0.1);
    const pair = lineFor("aws:elasticache/replicationGroup:ReplicationGroup", {
      nodeType: "cache.t3.micro",
      numCacheClusters: 2,
    });
    within(pair.fixedUsd, 24, 0.1);
    expect(pair.items[0]).to.deep.include({ quantity: 1460, unit: "node-hour", unitPriceUsd: 0.017, basis: "fixed" });
  });

  it("ElastiCache: nodes × 730 h, shards × replicas, backups beyond one day from the usage profile", () => {
    const sharded = lineFor(
      "aws:elasticache/replicationGroup:ReplicationGroup",
      {
        nodeType: "cache.t4g.micro",
        numNodeGroups: 2,
        replicasPerNodeGroup: 1,
        snapshotRetentionLimit: 7,
      },
      { elasticache: { snapshotGbPerShard: 0.5 } },
    );
    expect(sharded.items[0]?.quantity).to.equal(4 * 730);
    expect(sharded.items[1]).to.deep.include({ basis: "usage", quantity: 2 * 6 * 0.5, priceKey: "elasticache.backup" });
    const oneDay = lineFor("aws:elasticache/replicationGroup:ReplicationGroup", {
      nodeType: "cache.t3.micro",
      snapshotRetentionLimit: 1,
    });
    expect(oneDay.items).to.have.length(1);
  });

  it("an unknown node type is unpriced and named, never $0", () => {
    const r = rec({
      type: "aws:elasticache/replicationGroup:ReplicationGroup",
      name: "big",
      inputs: { nodeType: "cache.x9.huge" },
    });
    const e = estimateCost([r], { prices });
    expect(e.unpriced).to.deep.equal([
      { type: r.type, name: "big", reason: 'no price "elasticache.node.cache.x9.huge" in prices/us-east-1.json' },
    ]);
    expect(e.lines[0]).to.deep.include({ status: "unpriced", monthlyUsd: 0 });
  });

  it("KMS keys, secrets and alarms per month; a metric-math alarm per metric it reads; high resolution", () => {
    expect(lineFor("aws:kms/key:Key", {}, { kms: { requestsPerKeyPerMonth: 20_000 } }).monthlyUsd).to.equal(1.06);
    const secret = lineFor(
      "aws:secretsmanager/secret:Secret",
      {},
      { secretsManager: { apiCallsPerSecretPerMonth: 0 } },
    );
    expect(secret).to.deep.include({ monthlyUsd: 0.4, fixedUsd: 0.4, usageUsd: 0 });
    expect(lineFor("aws:cloudwatch/metricAlarm:MetricAlarm", { period: 300 }).monthlyUsd).to.equal(0.1);
    const math = lineFor("aws:cloudwatch/metricAlarm:MetricAlarm", {
      metricQueries: [
        { id: "e", metric: { metricName: "Errors" } },
        { id: "i", metric: { metricName: "Invocations" } },
        { id: "rate", expression: "e/i" },
      ],
    });
    expect(math.monthlyUsd).to.equal(0.2);
    expect(lineFor("aws:cloudwatch/metricAlarm:MetricAlarm", { period: 10 }).monthlyUsd).to.equal(0.3);
  });

  it("Lambda: requests and GB-seconds by architecture; SQS standard vs FIFO; logs ingest + storage", () => {
    const usage: UsageProfile = { lambda: { requestsPerMonth: 1_000_000, averageDurationMs: 1000 } };
    const x86 = lineFor("aws:lambda/function:Function", { memorySize: 1024 }, usage);
    expect(x86.items.map((i) => i.monthlyUsd)).to.deep.equal([0.2, 16.6667]);
    const arm = lineFor("aws:lambda/function:Function", { memorySize: 512, architectures: ["arm64"] }, usage);
    expect(arm.items[1]).to.deep.include({ quantity: 500_000, priceKey: "lambda.duration.arm64" });
    expect(lineFor("aws:sqs/queue:Queue", {}, { sqs: { requestsPerMonth: 2e6 } }).monthlyUsd).to.equal(0.8);
    expect(lineFor("aws:sqs/queue:Queue", { fifoQueue: true }, { sqs: { requestsPerMonth: 2e6 } }).monthlyUsd).to.equal(
      1,
    );
    const logs = lineFor(
      "aws:cloudwatch/logGroup:LogGroup",
      {},
      { cloudwatchLogs: { ingestedGbPerMonth: 10, storedGb: 100 } },
    );
    expect(logs).to.deep.include({ monthlyUsd: 8, usageUsd: 8, fixedUsd: 0 });
  });

  it("per-resource overrides win over the stack's profile, which wins over the defaults", () => {
    const profile: UsageProfile = {
      sqs: { requestsPerMonth: 10e6 },
      resources: { subject: { sqs: { requestsPerMonth: 1e6 } } },
    };
    expect(lineFor("aws:sqs/queue:Queue", {}, profile).monthlyUsd).to.equal(0.4);
    expect(lineFor("aws:sqs/queue:Queue", {}, { sqs: { requestsPerMonth: 10e6 } }).monthlyUsd).to.equal(4);
    expect(lineFor("aws:sqs/queue:Queue").monthlyUsd).to.equal(0.4);
  });

  it("DynamoDB on-demand with PITR; provisioned capacity is unpriced with the reason", () => {
    const usage: UsageProfile = {
      dynamodb: { writeRequestsPerTablePerMonth: 2e6, readRequestsPerTablePerMonth: 4e6, storedGbPerTable: 10 },
    };
    const table = lineFor(
      "aws:dynamodb/table:Table",
      { billingMode: "PAY_PER_REQUEST", pointInTimeRecovery: { enabled: true } },
      usage,
    );
    expect(table.items.map((i) => [i.description, i.monthlyUsd])).to.deep.equal([
      ["on-demand writes", 1.25],
      ["on-demand reads", 0.5],
      ["storage", 2.5],
      ["point-in-time recovery", 2],
    ]);
    const provisioned = lineFor("aws:dynamodb/table:Table", { billingMode: "PROVISIONED" });
    expect(provisioned.status).to.equal("unpriced");
    expect(provisioned.note).to.match(/provisioned capacity/);
  });

  it("CloudTrail data events, GuardDuty and Security Hub by usage", () => {
    expect(lineFor("aws:cloudtrail/trail:Trail", {}, { cloudtrail: { dataEventsPerMonth: 1e6 } }).monthlyUsd).to.equal(
      1,
    );
    const gd = lineFor(
      "aws:guardduty/detector:Detector",
      {},
      {
        guardduty: { managementEventsPerMonth: 2e6, flowDnsGbPerMonth: 10, s3EventsPerMonth: 1e6 },
      },
    );
    expect(gd.monthlyUsd).to.equal(8 + 10 + 0.8);
    const hub = lineFor(
      "aws:securityhub/account:Account",
      {},
      { securityHub: { checksPerMonth: 10_000, findingsPerMonth: 100_000 } },
    );
    expect(hub.monthlyUsd).to.equal(10 + 3);
  });

  it("ECS Fargate services from their task definition; EC2 launch type is unpriced", () => {
    const td = rec({
      type: "aws:ecs/taskDefinition:TaskDefinition",
      name: "td",
      inputs: { cpu: "512", memory: "1024" },
    });
    const svc = rec({
      type: "aws:ecs/service:Service",
      name: "subject",
      inputs: { launchType: "FARGATE", desiredCount: 2 },
      deps: { taskDefinition: [td] },
    });
    const e = estimateCost([td, svc], { prices });
    const line = e.lines.find((l) => l.name === "subject")!;
    expect(line.items.map((i) => i.quantity)).to.deep.equal([2 * 730 * 0.5, 2 * 730 * 1]);
    expect(line.monthlyUsd).to.equal(Math.round((730 * 0.04048 + 1460 * 0.004445) * 1e4) / 1e4);
    expect(e.free.map((f) => f.type)).to.include("aws:ecs/taskDefinition:TaskDefinition");
    expect(lineFor("aws:ecs/service:Service", { launchType: "EC2" }).status).to.equal("unpriced");
  });

  it("RDS: instance hours and storage, doubled for Multi-AZ", () => {
    const single = lineFor("aws:rds/instance:Instance", {
      instanceClass: "db.t4g.micro",
      allocatedStorage: 20,
      storageType: "gp3",
    });
    expect(single.monthlyUsd).to.equal(Math.round((730 * 0.016 + 20 * 0.115) * 1e4) / 1e4);
    const multi = lineFor("aws:rds/instance:Instance", {
      instanceClass: "db.t4g.micro",
      allocatedStorage: 20,
      multiAz: true,
    });
    expect(multi.monthlyUsd).to.equal(Math.round(2 * single.monthlyUsd * 1e4) / 1e4);
  });

  it("free types are listed with their reason; a type with no rule is unpriced by name", () => {
    const e = estimateCost(
      [rec({ type: "aws:iam/role:Role", name: "r" }), rec({ type: "aws:apigateway/restApi:RestApi", name: "api" })],
      { prices },
    );
    expect(e.free).to.deep.equal([{ type: "aws:iam/role:Role", count: 1, reason: "IAM is free" }]);
    expect(e.unpriced).to.deep.equal([
      { type: "aws:apigateway/restApi:RestApi", name: "api", reason: "no pricing rule for this type" },
    ]);
    expect(e.monthlyUsd).to.equal(0);
  });

  it("matches the golden table for the synthetic stack (UPDATE_GOLDEN=1 rewrites it)", () => {
    const e = estimateCost(syntheticStack(), { prices, budgetUsd: 500 });
    expect(e.monthlyUsd).to.equal(Math.round(e.lines.reduce((s, l) => s + l.monthlyUsd, 0) * 1e4) / 1e4);
    expect(e.fixedUsd + e.usageUsd).to.be.closeTo(e.monthlyUsd, 1e-6);
    const text = renderCostText(e);
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(goldenTable, `${text}\n`);
    expect(`${text}\n`).to.equal(fs.readFileSync(goldenTable, "utf8"));
  });

  it("validates a usage profile, reporting every problem with the allowed keys", () => {
    expect(() =>
      parseUsageProfile(
        { lambda: { requests: 1, averageDurationMs: -1 }, sqs: 3, bogus: {}, resources: { q: { sns: { x: 1 } } } },
        "p.yaml",
      ),
    )
      .to.throw(CostInputError)
      .with.property("message")
      .that.matches(/lambda\.requests: not a setting \(settings: requestsPerMonth, averageDurationMs\)/)
      .and.matches(/lambda\.averageDurationMs must be a number ≥ 0, got -1/)
      .and.matches(/sqs must be a mapping, got 3/)
      .and.matches(/bogus: not a usage group/)
      .and.matches(/resources\.q\.sns\.x: not a setting/);
    expect(loadUsageProfile("production").lambda?.requestsPerMonth).to.be.a("number");
    expect(loadUsageProfile("no-such-stack")).to.deep.equal({});
  });

  it("reads the budget from config and rejects a bad one by name", () => {
    expect(budgetFromConfig({ "huntaze:monthlyBudgetUsd": "500" })).to.equal(500);
    expect(budgetFromConfig({})).to.equal(null);
    expect(() => budgetFromConfig({ "huntaze:monthlyBudgetUsd": "lots" })).to.throw(
      /huntaze:monthlyBudgetUsd must be a positive number of dollars, got "lots"/,
    );
  });
});

describe("npm run preview -- --cost (end to end)", function () {
  this.timeout(60_000);

  it("--cost --json gives a positive monthlyUsd, the budget and lines; the Redis pair within 10 % of $24", async () => {
    const res = await runTool("preview.ts", ["--stack", "production", "--cost", "--json", "--quiet"]);
    expect(res.code, res.stderr).to.equal(0);
    const { cost } = JSON.parse(res.stdout) as {
      cost: { monthlyUsd: number; budgetUsd: number; lines: CostLine[]; unpriced: unknown[] };
    };
    expect(cost.monthlyUsd).to.be.greaterThan(0);
    expect(cost.budgetUsd).to.equal(500);
    expect(cost.monthlyUsd).to.be.lessThan(cost.budgetUsd);
    const redis = cost.lines.find((l) => l.type === "aws:elasticache/replicationGroup:ReplicationGroup");
    within(redis?.fixedUsd ?? 0, 24, 0.1);
    // The adopted ECS services run task definitions deployed outside the stack: named, never $0.
    expect(cost.unpriced).to.deep.equal(
      ["ai-team-ai-team-api", "huntaze-cluster-huntaze-app", "huntaze-of-fargate-huntaze-of-worker"].map((s) => ({
        type: "aws:ecs/service:Service",
        name: `ecs-${s}`,
        reason: "its task definition (cpu, memory) is not in the stack",
      })),
    );
    const rds = cost.lines.find((l) => l.type === "aws:rds/instance:Instance");
    within(rds?.fixedUsd ?? 0, 730 * 0.072, 0.01);
  });
});
