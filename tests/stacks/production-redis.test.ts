import { expect } from "chai";
import { describe, it } from "mocha";
import { parseStackConfig } from "../../stacks/config";
import { buildStack } from "../../stacks/program";
import { ConfigValidationError } from "../../stacks/validation";
import type { ProgramRun } from "../../tools/engine/recorder";
import { collectSecretStrings, maskSecrets } from "../../tools/engine/secrets";
import { readStackFile } from "../../tools/engine/stack-file";
import { inputsOf, ofType, one, record } from "../support/pulumi-harness";

// Pulumi.<stack>.yaml read the way the CLI hands it to the program (objects as JSON text,
// `secure:` values as secret keys), then the whole stack built under the recording mocks.

function build(stack: string): Promise<ProgramRun> {
  const { config, secretKeys } = readStackFile(stack);
  return record(() => buildStack(parseStackConfig(config, secretKeys)), { stack, config, secretKeys });
}

const T = {
  group: "aws:elasticache/replicationGroup:ReplicationGroup",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  record: "aws:route53/record:Record",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  topic: "aws:sns/topic:Topic",
};

let production: Promise<ProgramRun> | undefined;
const productionRun = () => {
  production ??= build("production");
  return production;
};

describe("production stack: encrypted Redis (seed 000)", function () {
  this.timeout(30_000);

  it("reads huntaze:redis from Pulumi.production.yaml", () => {
    const { config, secretKeys } = readStackFile("production");
    expect(parseStackConfig(config, secretKeys).redis).to.deep.include({
      nodeType: "cache.t3.micro",
      numCacheClusters: 2,
      replicationGroupId: "huntaze-redis-encrypted",
      snapshotRetentionDays: 7,
      cname: { zoneId: "Z0HUNTAZEINTERNAL1", name: "redis.huntaze.internal", allowOverwrite: false },
    });
  });

  it("builds the replication group with every setting of the target state, restored from the snapshot", async () => {
    const run = await productionRun();
    const group = one(run, T.group);
    const inputs = inputsOf(group);
    expect(inputs).to.include({
      replicationGroupId: "huntaze-redis-encrypted",
      engine: "redis",
      engineVersion: "7.1",
      nodeType: "cache.t3.micro",
      numCacheClusters: 2,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      authToken: "[secret]",
      authTokenUpdateStrategy: "SET",
      multiAzEnabled: true,
      automaticFailoverEnabled: true,
      snapshotRetentionLimit: 7,
      snapshotWindow: "01:00-02:00",
      maintenanceWindow: "sun:03:00-sun:04:00",
      autoMinorVersionUpgrade: true,
    });
    expect(inputs.finalSnapshotIdentifier).to.match(/^huntaze-redis-encrypted-final-[0-9a-f]{8}$/);
    expect(inputs.snapshotName).to.match(/^huntaze-redis-pre-encryption-\d{8}-\d{4}$/);
    expect(inputs.kmsKeyId).to.match(/^arn:aws:kms:us-east-1:317805897534:key\//);
    expect(group.options.ignoreChanges).to.include("snapshotName");
  });

  it("stores the token in a KMS-encrypted secret and points redis.huntaze.internal at the new primary", async () => {
    const run = await productionRun();
    const group = inputsOf(one(run, T.group));
    expect(inputsOf(one(run, T.secret, "redis")).kmsKeyId).to.equal(group.kmsKeyId);
    expect(inputsOf(one(run, T.secretVersion, "redis")).secretString).to.equal("[secret]");
    const record = inputsOf(one(run, T.record, "redis"));
    expect(record).to.include({ name: "redis.huntaze.internal", type: "CNAME", ttl: 60, zoneId: "Z0HUNTAZEINTERNAL1" });
    expect(record.records).to.deep.equal([run.outputs.redisPrimaryEndpoint]);
  });

  it("admits the app security groups only and alarms to the ops topic", async () => {
    const run = await productionRun();
    const rules = ofType(run, T.ingress)
      .filter((r) => r.name.startsWith("redis-"))
      .map(inputsOf);
    expect(rules.map((r) => r.referencedSecurityGroupId)).to.deep.equal(["sg-0a1b2c3d4e5f60011"]);
    const opsTopic = maskSecrets(one(run, T.topic, "alerts-ops").outputs) as { arn: string };
    const alarms = ofType(run, T.alarm).filter((a) => a.name.startsWith("redis-"));
    expect(alarms).to.have.length(12);
    for (const a of alarms) expect(inputsOf(a).alarmActions).to.deep.equal([opsTopic.arn]);
  });

  it("exports the endpoints, port, secret ARN, CNAME and TLS servername, never the token", async () => {
    const run = await productionRun();
    const o = run.outputs;
    expect(o.redisPrimaryEndpoint).to.match(/^master\.huntaze-redis-encrypted\..*\.cache\.amazonaws\.com$/);
    expect(o.redisReaderEndpoint).to.match(/\.cache\.amazonaws\.com$/);
    expect(o.redisPort).to.equal(6379);
    expect(o.redisAuthSecretArn).to.match(/^arn:aws:secretsmanager:us-east-1:317805897534:secret:/);
    expect(o.redisCname).to.equal("redis.huntaze.internal");
    expect(o.redisTlsServername).to.equal(o.redisPrimaryEndpoint);

    const secrets = collectSecretStrings(one(run, T.group).inputs);
    expect(secrets.size).to.equal(1);
    const printed = JSON.stringify([
      maskSecrets(run.outputs),
      run.resources.map((r) => [maskSecrets(r.inputs), maskSecrets(r.outputs)]),
    ]);
    for (const s of secrets) expect(printed.includes(s)).to.equal(false);
  });

  it("staging gets a smaller group: no restore, no CNAME, auto-named", async () => {
    const run = await build("staging");
    const group = inputsOf(one(run, T.group));
    expect(group).to.include({
      nodeType: "cache.t4g.micro",
      numCacheClusters: 2,
      snapshotRetentionLimit: 1,
    });
    expect(group.finalSnapshotIdentifier).to.match(/^huntaze-staging-redis-final-[0-9a-f]{8}$/);
    expect(group).to.not.have.property("snapshotName");
    expect(group).to.not.have.property("replicationGroupId");
    expect(ofType(run, T.record).filter((r) => r.name.startsWith("redis-"))).to.have.length(0);
    expect(run.outputs).to.not.have.property("redisCname");
  });

  it("reports every bad redis setting at once", () => {
    const { config, secretKeys } = readStackFile("production");
    const redis = JSON.parse(config["huntaze:redis"]!);
    const bad = {
      ...config,
      "huntaze:redis": JSON.stringify({
        ...redis,
        nodeType: "cache.x9.huge",
        numCacheClusters: 1,
        cname: { ...redis.cname, zoneId: "bad" },
      }),
    };
    let error: unknown;
    try {
      parseStackConfig(bad, secretKeys);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems.map((p) => `${p.key}: ${p.got}`);
    expect(problems).to.have.members([
      'huntaze:redis.nodeType: "cache.x9.huge"',
      "huntaze:redis.numCacheClusters: 1",
      'huntaze:redis.cname.zoneId: "bad"',
    ]);
    const message = (error as Error).message;
    expect(message).to.include("one of cache.t3.micro");
    expect(message).to.include(
      "huntaze:redis.numCacheClusters: expected an integer from 2 to 6 for Multi-AZ with automatic failover (1 only with multiAz false), got 1",
    );
    expect(message).to.include("a Route53 hosted zone id (Z…)");
  });

  it("requires the section and rejects unknown keys in it", () => {
    const { config, secretKeys } = readStackFile("production");
    const { "huntaze:redis": _omitted, ...without } = config;
    const missing = (() => {
      try {
        parseStackConfig(without, secretKeys);
      } catch (e) {
        return (e as ConfigValidationError).problems;
      }
    })();
    expect(missing?.map((p) => p.key)).to.deep.equal(["huntaze:redis"]);

    const redis = JSON.parse(config["huntaze:redis"]!);
    const typo = (() => {
      try {
        parseStackConfig(
          { ...config, "huntaze:redis": JSON.stringify({ ...redis, snapshotRetention: 7 }) },
          secretKeys,
        );
      } catch (e) {
        return (e as ConfigValidationError).problems;
      }
    })();
    expect(typo?.map((p) => p.key)).to.deep.equal(["huntaze:redis.snapshotRetention"]);
  });
});
