import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { before, describe, it } from "mocha";
import { METRIC_NAMES } from "../../lambdas/rate-limiter/telemetry";
import { entryKey, type InventoryEntry } from "../../lib/inventory";
import {
  budgetsFromOutputs,
  budgetVerdict,
  CONTAINER_INSIGHTS_METRICS,
  type CostLine,
  CostUsageError,
  estimateCost,
  FREE_TIER_COMPONENT,
  loadPriceTable,
  loadUsageProfile,
  parseUsageProfile,
  rdsStorageFromInventory,
  renderCostText,
  type UsageProfile,
  xrayTracesOf,
} from "../../tools/engine/cost";
import { fromInfracost, type InfracostDoc } from "../../tools/engine/infracost";
import type { RecordedResource } from "../../tools/engine/recorder";
import type { PlainObject } from "../../tools/engine/secrets";
import { runTool } from "../support/cli";
import { schemaErrors } from "../support/infracost-schema";
import { component, rec, stackRecord, syntheticStack } from "../support/records";

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

const inventoryEntry = (type: string, physicalName: string, attributes: Record<string, unknown>): InventoryEntry => ({
  type,
  physicalName,
  importId: physicalName,
  source: { kind: "live", api: "test" },
  attributes,
});

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
    expect(x86.items.map((i) => i.monthlyUsd)).to.deep.equal([0.2, 16.6667, 0]);
    // Custom metrics have no default: named as depending on usage, not a silent $0.
    expect(x86.items[2]).to.deep.include({ dependsOnUsage: true, usageKeys: ["lambda.customMetrics"] });
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
      .to.throw(CostUsageError)
      .with.property("message")
      .that.matches(
        /lambda\.requests: not a setting \(settings: requestsPerMonth, averageDurationMs, xrayTracesPerMonth, customMetrics\)/,
      )
      .and.matches(/lambda\.averageDurationMs must be a number ≥ 0, got -1/)
      .and.matches(/sqs must be a mapping, got 3/)
      .and.matches(/bogus: not a usage group/)
      .and.matches(/resources\.q\.sns\.x: not a setting/);
    expect(loadUsageProfile("production").lambda?.requestsPerMonth).to.be.a("number");
    expect(loadUsageProfile("no-such-stack")).to.deep.equal({});
  });

  it("takes the budgets from the program's stack outputs, refusing a bad one by its output's name", () => {
    expect(budgetsFromOutputs({ monthlyBudgetUsd: 100, accountBudgetUsd: 500, other: "x" })).to.deep.equal({
      stackUsd: 100,
      accountUsd: 500,
    });
    // A stack that exports no account budget has none; nothing is read from the stack file.
    expect(budgetsFromOutputs({ monthlyBudgetUsd: 100 })).to.deep.equal({ stackUsd: 100, accountUsd: null });
    expect(budgetsFromOutputs({})).to.deep.equal({ stackUsd: null, accountUsd: null });
    expect(() => budgetsFromOutputs({ accountBudgetUsd: "x" })).to.throw(
      CostUsageError,
      /the program's stack output accountBudgetUsd must be a positive number of dollars, got "x"/,
    );
    expect(() => budgetsFromOutputs({ monthlyBudgetUsd: 0 })).to.throw(/monthlyBudgetUsd .*got 0/);
    // A secret output is refused without printing its value.
    expect(() => budgetsFromOutputs({ monthlyBudgetUsd: { "4dabf18193072939515e22adb298388d": "x", value: 7 } }))
      .to.throw(/monthlyBudgetUsd must be a plain number of dollars, not a secret/)
      .with.property("message")
      .that.does.not.match(/7/);
  });

  it("the usage profile keys by component and by resource; the most specific wins", () => {
    const parent = component("huntaze:queue:Q", "jobs");
    const queue = rec({ type: "aws:sqs/queue:Queue", name: "jobs-dlq", parent });
    const other = rec({ type: "aws:sqs/queue:Queue", name: "jobs-main", parent });
    const at = (usage: UsageProfile) =>
      estimateCost([stackRecord(), parent, queue, other], { prices, usage })
        .lines.filter((l) => l.component !== FREE_TIER_COMPONENT)
        .map((l) => [l.name, l.items[0]?.quantity, l.items[0]?.source]);
    expect(
      at({ sqs: { requestsPerMonth: 9e6 }, components: { jobs: { sqs: { requestsPerMonth: 2e6 } } } }),
    ).to.deep.equal([
      ["jobs-dlq", 2, "profile"],
      ["jobs-main", 2, "profile"],
    ]);
    expect(
      at({
        components: { jobs: { sqs: { requestsPerMonth: 2e6 } } },
        resources: { "jobs-dlq": { sqs: { requestsPerMonth: 1e3 } } },
      }),
    ).to.deep.equal([
      ["jobs-dlq", 0.001, "profile"],
      ["jobs-main", 2, "profile"],
    ]);
    expect(at({})).to.deep.equal([
      ["jobs-dlq", 1, "default"],
      ["jobs-main", 1, "default"],
    ]);
    expect(() => parseUsageProfile({ components: { jobs: { sqs: { requests: 1 } } } }, "p.yaml")).to.throw(
      /components\.jobs\.sqs\.requests: not a setting/,
    );
  });

  it("a quantity with no default depends on usage: named, not in the total; set, it is priced", () => {
    const td = "aws:ecs/service:Service";
    const unset = lineFor(td, { launchType: "FARGATE", desiredCount: 2, taskDefinition: "web" });
    expect(unset.monthlyUsd).to.equal(0);
    expect(unset.items.map((i) => [i.dependsOnUsage, i.usageKeys])).to.deep.equal([
      [true, ["fargate.vcpuPerTask"]],
      [true, ["fargate.memoryGbPerTask"]],
    ]);
    const e = estimateCost([rec({ type: td, name: "svc", inputs: { launchType: "FARGATE", taskDefinition: "web" } })], {
      prices,
    });
    expect(e.dependsOnUsage).to.deep.equal([
      { component: "(stack)", name: "svc", usageKeys: ["fargate.vcpuPerTask", "fargate.memoryGbPerTask"] },
    ]);
    expect(renderCostText(e))
      .to.match(/depends on usage \(set fargate\.vcpuPerTask\)/)
      .and.to.match(/at least \$0\.00/);
    const set = lineFor(
      td,
      { launchType: "FARGATE", desiredCount: 2, taskDefinition: "web" },
      { fargate: { vcpuPerTask: 0.25, memoryGbPerTask: 0.5 } },
    );
    expect(set.items.map((i) => [i.quantity, i.source])).to.deep.equal([
      [2 * 730 * 0.25, "profile"],
      [2 * 730 * 0.5, "profile"],
    ]);
  });

  it("a task size and an RDS storage size from the inventory when the stack does not carry them", () => {
    const inventory = new Map([
      [
        entryKey("aws:ecs/taskDefinition:TaskDefinition", "web"),
        inventoryEntry("aws:ecs/taskDefinition:TaskDefinition", "web", { cpu: "1024", memory: "2048" }),
      ],
      [
        entryKey("aws:rds/instance:Instance", "db-1"),
        inventoryEntry("aws:rds/instance:Instance", "db-1", { allocatedStorage: 100, storageType: "gp3" }),
      ],
    ]);
    const e = estimateCost(
      [
        rec({
          type: "aws:ecs/service:Service",
          name: "svc",
          inputs: { launchType: "FARGATE", taskDefinition: "web:7" },
        }),
        rec({
          type: "aws:rds/instance:Instance",
          name: "db",
          inputs: { instanceClass: "db.t3.micro", identifier: "db-1" },
        }),
      ],
      { prices, inventory },
    );
    const svc = e.lines.find((l) => l.name === "svc")!;
    expect(svc.items.map((i) => [i.quantity, i.source])).to.deep.equal([
      [730, "derived"],
      [1460, "derived"],
    ]);
    const db = e.lines.find((l) => l.name === "db")!;
    expect(db.items[1]).to.deep.include({ quantity: 100, source: "derived", priceKey: "rds.storage.gp3" });
    expect(db.items[1]?.description).to.include("from the inventory");
    expect(rdsStorageFromInventory(undefined)).to.equal(undefined);
    // No inventory: Infracost's 20 GB default, marked.
    const bare = lineFor("aws:rds/instance:Instance", { instanceClass: "db.t3.micro" });
    expect(bare.items[1]).to.deep.include({ quantity: 20, source: "default" });
  });

  it("Container Insights: enhanced by observations, standard as custom metrics, nothing for a cluster with no running task", () => {
    const cluster = (mode: string) =>
      rec({
        type: "aws:ecs/cluster:Cluster",
        name: "c",
        inputs: { settings: [{ name: "containerInsights", value: mode }] },
      });
    const svcOf = (c: RecordedResource) =>
      rec({
        type: "aws:ecs/service:Service",
        name: "s",
        inputs: { launchType: "FARGATE", desiredCount: 2 },
        deps: { cluster: [c] },
      });
    const enhanced = cluster("enhanced");
    const e1 = estimateCost([enhanced, svcOf(enhanced)], { prices }).lines.find((l) => l.name === "c")!;
    const m = CONTAINER_INSIGHTS_METRICS;
    expect(e1.items[0]).to.deep.include({
      priceKey: "cloudwatch.containerInsights.enhanced",
      source: "derived",
      quantity:
        Math.round((((m.perCluster + m.perService + 2 * (m.perTask + m.perContainer)) * 730 * 60) / 1e6) * 1e4) / 1e4,
    });
    const standard = cluster("enabled");
    const e2 = estimateCost([standard, svcOf(standard)], { prices }).lines.find((l) => l.name === "c")!;
    expect(e2.items[0]).to.deep.include({
      priceKey: "cloudwatch.metrics.custom",
      quantity: m.perCluster + m.perService,
    });
    const idle = estimateCost([cluster("enhanced")], { prices });
    expect(idle.lines.find((l) => l.name === "c")?.monthlyUsd).to.equal(0);
    const off = estimateCost([cluster("disabled")], { prices });
    expect(off.free.map((f) => f.type)).to.deep.equal(["aws:ecs/cluster:Cluster"]);
  });

  it("GuardDuty prices the protection plans its features enable; Lambda X-Ray by the default sampling rule", () => {
    const detector = rec({ type: "aws:guardduty/detector:Detector", name: "gd" });
    const feature = (name: string, extra: PlainObject = {}) =>
      rec({
        type: "aws:guardduty/detectorFeature:DetectorFeature",
        name: `gd-${name}`,
        inputs: { name, status: "ENABLED", ...extra },
        deps: { detectorId: [detector] },
      });
    const td = rec({
      type: "aws:ecs/taskDefinition:TaskDefinition",
      name: "td",
      inputs: { cpu: "512", memory: "1024" },
    });
    const svc = rec({
      type: "aws:ecs/service:Service",
      name: "svc",
      inputs: { launchType: "FARGATE", desiredCount: 3 },
      deps: { taskDefinition: [td] },
    });
    const e = estimateCost(
      [
        detector,
        feature("LAMBDA_NETWORK_LOGS"),
        feature("RUNTIME_MONITORING", {
          additionalConfigurations: [{ name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" }],
        }),
        td,
        svc,
      ],
      { prices, usage: { guardduty: { lambdaNetworkGbPerMonth: 2 } } },
    );
    const gd = e.lines.find((l) => l.name === "gd")!;
    const runtime = gd.items.find((i) => i.priceKey === "guardduty.runtime.fargate");
    expect(runtime).to.deep.include({ quantity: 1.5, source: "derived", monthlyUsd: 2.25 });
    expect(gd.items.find((i) => i.priceKey === "guardduty.lambda")).to.deep.include({ quantity: 2, monthlyUsd: 2 });
    expect(xrayTracesOf(1_000_000)).to.equal(1_000_000);
    expect(xrayTracesOf(4_000_000)).to.be.closeTo(2_628_000 + 0.05 * 1_372_000, 1e-6);
    const fn = lineFor(
      "aws:lambda/function:Function",
      { tracingConfig: { mode: "Active" } },
      { lambda: { requestsPerMonth: 4e6 } },
    );
    expect(fn.items.find((i) => i.priceKey === "xray.traces")?.quantity).to.be.closeTo(2.6966, 1e-4);
  });

  it("free tiers: credited once per account on their own line, and the output says so", () => {
    const queues = [1, 2].map((i) => rec({ type: "aws:sqs/queue:Queue", name: `q${i}` }));
    const e = estimateCost(queues, { prices, usage: { sqs: { requestsPerMonth: 3e6 } } });
    const credit = e.lines.find((l) => l.component === FREE_TIER_COMPONENT)!;
    expect(credit.items.map((i) => [i.priceKey, i.quantity, i.monthlyUsd])).to.deep.equal([
      ["sqs.requests.standard", -1, -0.4],
    ]);
    expect(e.monthlyUsd).to.equal(2 * 1.2 - 0.4);
    expect(e.freeTierUsd).to.equal(-0.4);
    expect(renderCostText(e)).to.include("(after account-wide free tiers, -$0.40)");
    const hub = lineFor(
      "aws:securityhub/account:Account",
      {},
      { securityHub: { checksPerMonth: 0, findingsPerMonth: 5000 } },
    );
    expect(hub.monthlyUsd).to.equal(0.15);
    const withHub = estimateCost([rec({ type: "aws:securityhub/account:Account", name: "h" })], {
      prices,
      usage: { securityHub: { checksPerMonth: 0, findingsPerMonth: 5000 } },
    });
    expect(withHub.monthlyUsd).to.equal(0);
  });

  it("the production profile counts the rate limiter's custom metrics as the function defines them", () => {
    expect(loadUsageProfile("production").resources?.["rate-limiter-fn"]?.lambda?.customMetrics).to.equal(
      METRIC_NAMES.length,
    );
  });

  it("says where a missing budget comes from: the program's output or --budget-usd, naming no project's key", () => {
    const e = estimateCost(syntheticStack(), { prices });
    expect(budgetVerdict(e)).to.match(
      /no budget: the program exports no `monthlyBudgetUsd` stack output \(export the stack's monthly budget in USD, or pass --budget-usd N\)$/,
    );
  });
});

describe("npm run preview -- --cost (end to end)", function () {
  this.timeout(120_000);
  let doc: InfracostDoc;
  let text: string;
  before(async () => {
    const [json, plain] = await Promise.all([
      runTool("preview.ts", ["--stack", "production", "--cost", "--json", "--quiet"]),
      runTool("preview.ts", ["--stack", "production", "--cost", "--quiet"]),
    ]);
    expect(json.code, json.stderr).to.equal(0);
    expect(plain.code, plain.stderr).to.equal(0);
    doc = JSON.parse(json.stdout) as InfracostDoc;
    text = plain.stdout;
  });
  const line = (name: string) => fromInfracost(doc, "stdout").estimate.lines.find((l) => l.name === name);

  it("--cost --json is Infracost's output document: it validates against the vendored schema", () => {
    expect(schemaErrors(doc)).to.equal("");
    expect(doc.projects.map((p) => p.name)).to.deep.equal(["production"]);
    expect(Number(doc.totalMonthlyCost)).to.be.greaterThan(0);
  });

  it("the Redis pair within 10 % of $24; RDS hours and its storage at Infracost's 20 GB default, marked", () => {
    within(line("redis")?.fixedUsd ?? 0, 24, 0.1);
    const rds = line("database");
    within(rds?.items[0]?.monthlyUsd ?? 0, 730 * 0.072, 0.01);
    expect(rds?.items[1]).to.deep.include({ quantity: 20, source: "default", usageKeys: ["rds.allocatedStorageGb"] });
  });

  it("prices the Fargate services and Container Insights into the production total", () => {
    const estimate = fromInfracost(doc, "stdout").estimate;
    expect(estimate.unpriced).to.deep.equal([]);
    for (const s of [
      "ecs-ai-team-ai-team-api",
      "ecs-huntaze-cluster-huntaze-app",
      "ecs-huntaze-of-fargate-huntaze-of-worker",
    ]) {
      const svc = line(s);
      expect(svc?.status, s).to.equal("priced");
      expect(svc?.monthlyUsd, s).to.be.greaterThan(0);
      expect(
        svc?.items.map((i) => i.source),
        s,
      ).to.deep.equal(["profile", "profile"]);
    }
    for (const c of ["ecs-ai-team", "ecs-huntaze-cluster", "ecs-huntaze-of-fargate"]) {
      const cluster = line(c);
      expect(cluster?.items[0]?.priceKey, c).to.equal("cloudwatch.containerInsights.enhanced");
      expect(cluster?.monthlyUsd, c).to.be.greaterThan(0);
    }
    const gd = line("account-baseline-guardduty");
    expect(gd?.items.map((i) => i.priceKey)).to.include.members(["guardduty.runtime.fargate", "guardduty.lambda"]);
    const fn = line("rate-limiter-fn");
    expect(fn?.items.map((i) => i.priceKey)).to.include.members(["xray.traces", "cloudwatch.metrics.custom"]);
  });

  it("prices the workflow DLQ and the idle log groups from their own usage, and marks every default", () => {
    expect(line("workflows-dlq")?.items[0]).to.deep.include({ source: "profile", quantity: 0.001 });
    for (const lg of ["database-log-upgrade", "ecs-ai-team-log-ecs-ai-team-exec"])
      expect(
        line(lg)?.items.map((i) => i.quantity),
        lg,
      ).to.deep.equal([0.01, 0.1]);
    expect(line("rate-limiter-logs")?.items.map((i) => i.quantity)).to.deep.equal([4, 4]);
    // Every quantity in the text view says where it came from; defaults read "default".
    const itemLines = text.split("\n").filter((l) => /^ {17}(fixed|usage) /.test(l));
    expect(itemLines.length).to.be.greaterThan(50);
    for (const l of itemLines) expect(l).to.match(/^ {17}(fixed|usage) (profile|default|derived|unset) /);
    expect(text).to.match(/usage default configuration items recorded: 5000 ×/);
    expect(text).to.include("usage profile usage/production.yaml");
    // The budget is the program's monthlyBudgetUsd output (stacks/program.ts), not a config key.
    expect(text).to.match(/total \$[\d.]+ = .*; \$[\d.]+ of the stack's \$500\.00 monthly budget/);
  });

  it("the usage profile keys by component: every queue of the component takes it unless the resource sets its own", () => {
    expect(line("workflows-queue")?.items[0]).to.deep.include({ source: "profile", quantity: 0.3 });
    expect(line("rate-limiter-queue")?.items[0]).to.deep.include({ source: "profile", quantity: 16 });
  });
});

describe("cost text view", () => {
  it("aligns the component column however long a component name is", () => {
    const longName = component("huntaze:observability:ObservedCluster", "ecs-a-component-name-well-past-twenty-four");
    const key = rec({ type: "aws:kms/key:Key", name: "k", parent: longName });
    const short = component("huntaze:storage:HardenedBucket", "b");
    const key2 = rec({ type: "aws:kms/key:Key", name: "k2", parent: short });
    const text = renderCostText(estimateCost([stackRecord(), longName, key, short, key2], { prices }));
    const rows = text.split("\n").filter((l) => /^ {4}\S.* \$\d+\.\d{2} {2}\(fixed/.test(l));
    expect(rows).to.have.length(2);
    const amountAt = rows.map((r) => r.indexOf("  (fixed"));
    expect(amountAt[0]).to.equal(amountAt[1]);
  });
});
