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
import { ArgsError } from "../../components/spec";
import { attempt } from "../support/args-error";
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
    // One ArgsError naming each field, what it allows and what was given (the shared validator's wording).
    expect(message).to.include("ArgsError");
    expect(message).to.include(
      'instanceClass: expected a class with Performance Insights (not db.t3.micro, db.t3.small, db.t4g.micro, db.t4g.small), got "db.t3.micro"',
    );
    expect(message).to.include("logMinDurationStatementMs: expected an integer from -1 to 2147483647, got -5");
  });

  it("refuses a class it has no memory for unless maxConnections is given (was: a plain Error from postgresMaxConnections)", async () => {
    let message = "";
    try {
      await build({ instanceClass: "db.r6gd.large" });
    } catch (e) {
      message = String(e);
    }
    expect(message).to.match(
      /ArgsError: .*\n {2}- instanceClass: expected one of db\.t3\.micro, .*db\.r7i\.16xlarge \(another class needs maxConnections\), got "db\.r6gd\.large"$/s,
    );
    const run = await build({ instanceClass: "db.r6gd.large", maxConnections: 1000 });
    expect(inputsOf(one(run, "aws:rds/instance:Instance")).instanceClass).to.equal("db.r6gd.large");
    const connections = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")
      .map(inputsOf)
      .find((a) => a.metricName === "DatabaseConnections")!;
    expect(connections.threshold).to.equal(800);
  });
});

/** `new HardenedDatabase` with args as another project might pass them: the error, and the AWS children registered. */
const fromAnotherProject = (given: unknown) => attempt(() => new HardenedDatabase("x", given as never));

describe("components/hardened-database: args from another project", () => {
  it("no args: an ArgsError naming each required field, before any child", async () => {
    for (const given of [{}, undefined]) {
      const { error, children } = await fromAnotherProject(given);
      expect(error).to.be.instanceOf(ArgsError);
      expect(children).to.deep.equal([]);
      expect((error as ArgsError).problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`)).to.deep.equal([
        "identifier: expected an RDS instance identifier (e.g. huntaze-postgres-production), got nothing (the key is missing)",
        "instanceClass: expected an RDS instance class (db.<class>.<size>, e.g. db.t3.medium), got nothing (the key is missing)",
        "engineVersion: expected a PostgreSQL version such as 16, 16.4 or 9.6.22, got nothing (the key is missing)",
        "alarmTopicArn: expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got nothing (the key is missing)",
      ]);
    }
  });

  it("wrong values, an unknown class among them: every one named with what is allowed and what was given, before any child", async () => {
    const { error, children } = await fromAnotherProject({
      identifier: "Huntaze--DB",
      instanceClass: "t3.medium",
      engineVersion: "latest",
      logMinDurationStatementMs: 1.5,
      maxConnections: 0,
      performanceInsightsKmsKeyId: "alias/aws/rds",
      multiAz: "yes",
      backupRetentionDays: 36,
      monitoringIntervalSeconds: 45,
      thresholds: { cpuPercent: 0, readLatencySeconds: -1 },
      alarmTopicArn: "arn:aws:sqs:us-east-1:317805897534:ops",
    });
    expect(error).to.be.instanceOf(ArgsError);
    expect(children).to.deep.equal([]);
    expect((error as ArgsError).problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`)).to.deep.equal([
      'identifier: expected an RDS instance identifier (e.g. huntaze-postgres-production), got "Huntaze--DB"',
      'instanceClass: expected an RDS instance class (db.<class>.<size>, e.g. db.t3.medium), got "t3.medium"',
      'engineVersion: expected a PostgreSQL version such as 16, 16.4 or 9.6.22, got "latest"',
      "logMinDurationStatementMs: expected an integer from -1 to 2147483647, got 1.5",
      "maxConnections: expected an integer from 1 to 262143, got 0",
      'performanceInsightsKmsKeyId: expected "aws-managed" or the ARN of the KMS key Performance Insights uses now (RDS refuses to change it), got "alias/aws/rds"',
      'multiAz: expected true or false, got "yes"',
      "backupRetentionDays: expected an integer from 0 to 35, got 36",
      "monitoringIntervalSeconds: expected one of 0, 1, 5, 10, 15, 30, 60, got 45",
      "thresholds.cpuPercent: expected a number ≥ 1 and ≤ 100, got 0",
      "thresholds.readLatencySeconds: expected a number > 0, got -1",
      'alarmTopicArn: expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got "arn:aws:sqs:us-east-1:317805897534:ops"',
    ]);
  });
});
