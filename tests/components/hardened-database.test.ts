import { expect } from "chai";
import { describe, it } from "mocha";
import {
  connectionsThreshold,
  DEFAULT_DATABASE_THRESHOLDS,
  databaseAlarmRows,
  HardenedDatabase,
  type HardenedDatabaseArgs,
  KEEP_PERFORMANCE_INSIGHTS_KEY,
  performanceInsightsKeyInput,
  postgresFamily,
  postgresMaxConnections,
} from "../../components/hardened-database";
import { inputsOf, ofType, one, record } from "../support/pulumi-harness";

const topic = "arn:aws:sns:us-east-1:317805897534:huntaze-ops-alerts";
const args: HardenedDatabaseArgs = {
  identifier: "huntaze-postgres-production",
  instanceClass: "db.t3.medium",
  engineVersion: "15",
  alarmTopicArn: topic,
};
const build = (extra: Partial<HardenedDatabaseArgs> = {}) =>
  record(() => new HardenedDatabase("database", { ...args, ...extra }));

describe("components/hardened-database: pure functions", () => {
  it("computes max_connections from the class memory (LEAST(memory/9531392, 5000))", () => {
    expect(postgresMaxConnections("db.t3.micro")).to.equal(112);
    expect(postgresMaxConnections("db.t3.medium")).to.equal(450);
    expect(postgresMaxConnections("db.m6g.large")).to.equal(901);
    expect(postgresMaxConnections("db.r6g.xlarge")).to.equal(3604);
    expect(postgresMaxConnections("db.r6g.2xlarge")).to.equal(5000);
    expect(() => postgresMaxConnections("db.x9.huge")).to.throw(
      /unknown RDS instance class "db.x9.huge": one of db.t3.micro/,
    );
  });

  it("alarms at 80 % of max connections, rounded down", () => {
    expect(connectionsThreshold(450, 80)).to.equal(360);
    expect(connectionsThreshold(112, 80)).to.equal(89);
  });

  it("derives the parameter group family from the engine version", () => {
    expect(postgresFamily("15")).to.equal("postgres15");
    expect(postgresFamily("16.4")).to.equal("postgres16");
    expect(postgresFamily("9.6.22")).to.equal("postgres9.6");
    expect(() => postgresFamily("latest")).to.throw(/engineVersion must look like 16 or 16.4, got "latest"/);
  });

  it("has the seed's alarms: CPU > 80 %, FreeableMemory < 1 GiB, connections > 80 % of max, over 5 minutes", () => {
    const rows = databaseAlarmRows("db", 450, { ...DEFAULT_DATABASE_THRESHOLDS });
    expect(rows.map((r) => [r.metricName, r.comparison, r.threshold, r.periodSeconds])).to.deep.equal([
      ["CPUUtilization", "GreaterThanThreshold", 80, 300],
      ["FreeableMemory", "LessThanThreshold", 1073741824, 300],
      ["DatabaseConnections", "GreaterThanThreshold", 360, 300],
      ["ReadLatency", "GreaterThanThreshold", 0.1, 300],
      ["WriteLatency", "GreaterThanThreshold", 0.1, 300],
    ]);
  });
});

describe("components/hardened-database: HardenedDatabase", () => {
  it("attaches a postgres15 group forcing TLS and logging slow queries to the existing instance", async () => {
    const run = await build({ logMinDurationStatementMs: 500 });
    const group = one(run, "aws:rds/parameterGroup:ParameterGroup");
    expect(inputsOf(group).family).to.equal("postgres15");
    const params = inputsOf(group).parameters as { name: string; value: string }[];
    expect(params.map((p) => [p.name, p.value])).to.deep.equal([
      ["rds.force_ssl", "1"],
      ["log_min_duration_statement", "500"],
    ]);
    const instance = one(run, "aws:rds/instance:Instance");
    expect(inputsOf(instance)).to.include({
      identifier: "huntaze-postgres-production",
      parameterGroupName: group.outputs.name,
      storageEncrypted: true,
      publiclyAccessible: false,
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 7,
    });
    // RDS refuses to change the PI key once PI is on: by default the input is omitted (the key the
    // instance has is kept), never set to the component's new key (it was, before: a refused update).
    expect(inputsOf(instance)).to.not.have.property("performanceInsightsKmsKeyId");
    expect(instance.options.protect).to.equal(true);
  });

  it("passes the PI key it is given (the one PI uses now) through, and refuses anything but a key ARN", async () => {
    const arn = "arn:aws:kms:us-east-1:317805897534:key/0b6f5d2e-1111-2222-3333-444455556666";
    const run = await build({ performanceInsightsKmsKeyId: arn });
    expect(inputsOf(one(run, "aws:rds/instance:Instance")).performanceInsightsKmsKeyId).to.equal(arn);
    const kept = await build({ performanceInsightsKmsKeyId: KEEP_PERFORMANCE_INSIGHTS_KEY });
    expect(inputsOf(one(kept, "aws:rds/instance:Instance"))).to.not.have.property("performanceInsightsKmsKeyId");
    expect(performanceInsightsKeyInput(undefined)).to.equal(undefined);
    expect(() => performanceInsightsKeyInput("alias/aws/rds")).to.throw(
      /performanceInsightsKmsKeyId must be the ARN of the KMS key Performance Insights uses now .* or "aws-managed", got "alias\/aws\/rds"/,
    );
  });

  it("sends five alarms to the topic, the connection one at 80 % of the class's max", async () => {
    const run = await build();
    const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map(inputsOf);
    expect(alarms).to.have.length(5);
    const connections = alarms.find((a) => a.metricName === "DatabaseConnections")!;
    expect(connections.threshold).to.equal(360);
    for (const a of alarms) expect(a.alarmActions).to.deep.equal([topic]);
  });

  it("refuses classes without Performance Insights and bad settings, listing every problem", async () => {
    let message = "";
    try {
      await build({ instanceClass: "db.t3.micro", logMinDurationStatementMs: -5 });
    } catch (e) {
      message = String(e);
    }
    expect(message).to.include("instanceClass db.t3.micro has no Performance Insights");
    expect(message).to.include("logMinDurationStatementMs must be an integer >= -1");
  });
});
