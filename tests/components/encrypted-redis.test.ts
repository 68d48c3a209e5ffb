import { expect } from "chai";
import { describe, it } from "mocha";
import { EncryptedRedis, type EncryptedRedisArgs } from "../../components/encrypted-redis";
import { ArgsError } from "../../components/spec";
import type { ProgramRun, RecordedResource } from "../../tools/engine/recorder";
import { collectSecretStrings, maskSecrets, type PlainValue } from "../../tools/engine/secrets";
import { attempt } from "../support/args-error";
import { analyzer, evaluateProgram } from "../support/policy-harness";
import { inputsOf, jsonInput, ofType, one, record } from "../support/pulumi-harness";

const T = {
  group: "aws:elasticache/replicationGroup:ReplicationGroup",
  key: "aws:kms/key:Key",
  password: "random:index/randomPassword:RandomPassword",
  subnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
  parameterGroup: "aws:elasticache/parameterGroup:ParameterGroup",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  record: "aws:route53/record:Record",
};

const topicArn = "arn:aws:sns:us-east-1:317805897534:huntaze-ops-alerts";
const existingKeyArn = "arn:aws:kms:us-east-1:317805897534:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function baseArgs(overrides: Partial<EncryptedRedisArgs> = {}): EncryptedRedisArgs {
  return {
    description: "Huntaze Redis with encryption",
    nodeType: "cache.t3.micro",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
    allowedSecurityGroupIds: ["sg-0a1b2c3d4e5f60011"],
    alarmTopicArn: topicArn,
    ...overrides,
  };
}

/** Runs the component and returns the run plus its outputs as stack outputs (as a stack would export them). */
function run(overrides: Partial<EncryptedRedisArgs> = {}, name = "redis"): Promise<ProgramRun> {
  return record(() => {
    const r = new EncryptedRedis(name, baseArgs(overrides));
    return {
      primary: r.primaryEndpoint,
      reader: r.readerEndpoint,
      port: r.port,
      secretArn: r.authSecretArn,
      // Pulumi warns about an undefined stack output: export the CNAME only when there is one.
      ...(overrides.cname ? { cname: r.cname } : {}),
      servername: r.tlsServername,
      kmsKeyArn: r.kmsKeyArn,
    };
  });
}

let defaultRunPromise: Promise<ProgramRun> | undefined;
/** The component with only the required args, recorded once and shared by the tests that only read it. */
const defaultRun = () => {
  defaultRunPromise ??= run();
  return defaultRunPromise;
};

const outputOf = (resource: RecordedResource, key: string): PlainValue => maskSecrets(resource.outputs)![key as never];

function errorFrom(fn: () => unknown): ArgsError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ArgsError);
    return e as ArgsError;
  }
  throw new Error("expected an error");
}

const errorOf = (fn: () => unknown): string => errorFrom(fn).message;

describe("EncryptedRedis", () => {
  describe("replication group", () => {
    it("encrypts at rest with the created key's ARN and in transit with TLS required", async () => {
      const r = await defaultRun();
      const group = inputsOf(one(r, T.group));
      const key = one(r, T.key, "redis-key");
      expect(group.atRestEncryptionEnabled).to.equal(true);
      expect(group.kmsKeyId).to.be.a("string").and.to.equal(outputOf(key, "arn"));
      expect(group.kmsKeyId).to.match(/^arn:aws:kms:us-east-1:317805897534:key\/[0-9a-f-]{36}$/);
      expect(inputsOf(key).enableKeyRotation).to.equal(true);
      type Statement = { Principal: unknown; Action: string[]; Condition?: unknown };
      const statements = (jsonInput(key, "policy") as { Statement: Statement[] }).Statement;
      expect(statements.map((st) => st.Principal)).to.deep.equal([
        { AWS: "arn:aws:iam::317805897534:root" },
        { AWS: "arn:aws:iam::317805897534:root" },
      ]);
      // Administration without data use; data use only through the two services.
      expect(statements[0]!.Action).to.not.include.members(["kms:Decrypt", "kms:*"]);
      expect(statements[1]!.Action).to.include("kms:Decrypt");
      expect(statements[1]!.Condition).to.deep.equal({
        StringEquals: {
          "kms:ViaService": ["elasticache.us-east-1.amazonaws.com", "secretsmanager.us-east-1.amazonaws.com"],
        },
      });
      expect(group.transitEncryptionEnabled).to.equal(true);
      expect(group.transitEncryptionMode).to.equal("required");
    });

    it("uses an existing key ARN as given and creates no key", async () => {
      const r = await run({ kmsKeyArn: existingKeyArn });
      expect(inputsOf(one(r, T.group)).kmsKeyId).to.equal(existingKeyArn);
      expect(ofType(r, T.key)).to.have.length(0);
      expect(inputsOf(one(r, T.secret)).kmsKeyId).to.equal(existingKeyArn);
    });

    it("authenticates with a 64-character alphanumeric generated token, masked, and SET as the update strategy", async () => {
      const r = await defaultRun();
      const group = inputsOf(one(r, T.group));
      expect(group.authToken).to.equal("[secret]");
      expect(group.authTokenUpdateStrategy).to.equal("SET");
      const password = inputsOf(one(r, T.password));
      expect(password.length).to.equal(64);
      expect(password.special).to.equal(false);
      const tokens = [...collectSecretStrings(one(r, T.group).inputs)];
      expect(tokens).to.have.length(1);
      expect(tokens[0]).to.match(/^[A-Za-z0-9]{64}$/);
    });

    it("runs Redis 7.1, Multi-AZ with automatic failover on 2 nodes by default", async () => {
      const group = inputsOf(one(await defaultRun(), T.group));
      expect(group).to.include({
        engine: "redis",
        engineVersion: "7.1",
        nodeType: "cache.t3.micro",
        multiAzEnabled: true,
        automaticFailoverEnabled: true,
        numCacheClusters: 2,
        autoMinorVersionUpgrade: true,
        description: "Huntaze Redis with encryption",
        port: 6379,
      });
    });

    it("keeps 7 days of snapshots in its windows and takes a final snapshot", async () => {
      const group = inputsOf(one(await run({ replicationGroupId: "huntaze-redis-encrypted" }), T.group));
      expect(group).to.include({
        snapshotRetentionLimit: 7,
        snapshotWindow: "01:00-02:00",
        maintenanceWindow: "sun:03:00-sun:04:00",
        replicationGroupId: "huntaze-redis-encrypted",
      });
      expect(group.finalSnapshotIdentifier).to.match(/^huntaze-redis-encrypted-final-[0-9a-f]{8}$/);
    });

    it("auto-names the group (replaceable before delete) unless an id is given", async () => {
      const group = inputsOf(one(await defaultRun(), T.group));
      expect(group).to.not.have.property("replicationGroupId");
    });

    it("runs in its own subnet group and parameter group (redis7, volatile-lru)", async () => {
      const r = await defaultRun();
      const group = inputsOf(one(r, T.group));
      const subnets = one(r, T.subnetGroup);
      const params = one(r, T.parameterGroup);
      expect(group.subnetGroupName).to.equal(outputOf(subnets, "name"));
      expect(group.parameterGroupName).to.equal(outputOf(params, "name"));
      expect(inputsOf(subnets).subnetIds).to.deep.equal(["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]);
      expect(inputsOf(params).family).to.equal("redis7");
      expect(inputsOf(params).parameters).to.deep.equal([{ name: "maxmemory-policy", value: "volatile-lru" }]);
    });

    it("restores from the given snapshot and ignores later changes to it (no replace-on-edit)", async () => {
      const r = await run({ snapshotName: "huntaze-redis-pre-encryption-20261122-1500" });
      const group = one(r, T.group);
      expect(inputsOf(group).snapshotName).to.equal("huntaze-redis-pre-encryption-20261122-1500");
      expect(group.options.ignoreChanges).to.include.members(["snapshotName", "snapshotArns"]);
    });

    it("restores from RDB files in S3 as well, under the same ignoreChanges guard", async () => {
      const r = await run({ snapshotArns: ["arn:aws:s3:::huntaze-redis-exports/dump.rdb"] });
      const group = one(r, T.group);
      expect(inputsOf(group).snapshotArns).to.deep.equal(["arn:aws:s3:::huntaze-redis-exports/dump.rdb"]);
      expect(group.options.ignoreChanges).to.include("snapshotArns");
    });

    it("rotates: a new token version regenerates the token, applied with ROTATE", async () => {
      const r = await run({ authTokenVersion: 2, authTokenUpdateStrategy: "ROTATE", applyImmediately: true });
      expect(inputsOf(one(r, T.password)).keepers).to.deep.equal({ version: "2" });
      expect(inputsOf(one(r, T.group))).to.include({ authTokenUpdateStrategy: "ROTATE", applyImmediately: true });
      const [rotated] = [...collectSecretStrings(one(r, T.group).inputs)];
      const [original] = [...collectSecretStrings(one(await defaultRun(), T.group).inputs)];
      expect(rotated).to.match(/^[A-Za-z0-9]{64}$/);
      expect(inputsOf(one(await defaultRun(), T.password)).keepers).to.deep.equal({ version: "1" });
      expect(original).to.match(/^[A-Za-z0-9]{64}$/);
      expect(rotated).to.not.equal(original);
    });

    it("offers transit mode preferred only behind the migration flag", async () => {
      const group = inputsOf(one(await run({ transitEncryptionMigration: true }), T.group));
      expect(group.transitEncryptionEnabled).to.equal(true);
      expect(group.transitEncryptionMode).to.equal("preferred");
    });
  });

  describe("security group", () => {
    it("admits the Redis port only from the given security groups and CIDRs, with descriptions and no egress", async () => {
      const r = await run({
        allowedSecurityGroupIds: ["sg-0a1b2c3d4e5f60011", "sg-0a1b2c3d4e5f60022"],
        allowedCidrBlocks: ["10.20.0.0/16", "fd00:10::/64"],
      });
      const sg = one(r, T.sg);
      const sgId = outputOf(sg, "id") ?? sg.id;
      expect(inputsOf(sg).description).to.be.a("string").and.not.equal("Managed by Pulumi");
      expect(inputsOf(sg)).to.not.have.property("ingress");
      expect(inputsOf(sg)).to.not.have.property("egress");
      expect(ofType(r, T.egress)).to.have.length(0);
      expect(inputsOf(one(r, T.group)).securityGroupIds).to.deep.equal([sg.id]);

      const rules = ofType(r, T.ingress).map(inputsOf);
      expect(rules).to.have.length(4);
      for (const rule of rules) {
        expect(rule).to.include({ securityGroupId: sgId, ipProtocol: "tcp", fromPort: 6379, toPort: 6379 });
        expect(rule.description).to.be.a("string").and.not.be.empty;
        expect(rule.cidrIpv4).to.not.equal("0.0.0.0/0");
        expect(rule.cidrIpv6).to.not.equal("::/0");
      }
      const sources = rules.map((x) => x.referencedSecurityGroupId ?? x.cidrIpv4 ?? x.cidrIpv6).sort();
      expect(sources).to.deep.equal(["10.20.0.0/16", "fd00:10::/64", "sg-0a1b2c3d4e5f60011", "sg-0a1b2c3d4e5f60022"]);
    });
  });

  describe("alarms", () => {
    const expected = [
      ["cpu", "CPUUtilization", 70],
      ["engine-cpu", "EngineCPUUtilization", 80],
      ["memory", "DatabaseMemoryUsagePercentage", 80],
      ["evictions", "Evictions", 0],
      ["replication-lag", "ReplicationLag", 1],
      ["connections", "CurrConnections", 1000],
    ] as const;

    it("watches every member node for each metric with its threshold, to the topic", async () => {
      const r = await run({ replicationGroupId: "huntaze-redis-encrypted" });
      expect(ofType(r, T.alarm)).to.have.length(12);
      for (const node of [1, 2]) {
        for (const [key, metric, threshold] of expected) {
          const alarm = inputsOf(one(r, T.alarm, `redis-node-${node}-${key}`));
          expect(alarm, `${key} on node ${node}`).to.include({
            namespace: "AWS/ElastiCache",
            metricName: metric,
            threshold,
            comparisonOperator: "GreaterThanThreshold",
          });
          expect(alarm.dimensions).to.deep.equal({ CacheClusterId: `huntaze-redis-encrypted-00${node}` });
          expect(alarm.alarmActions).to.deep.equal([topicArn]);
          expect(alarm.okActions).to.deep.equal([topicArn]);
          expect(alarm.treatMissingData).to.be.oneOf(["missing", "notBreaching"]);
        }
      }
    });

    it("derives member cluster ids from the auto-named group and takes thresholds from args", async () => {
      const r = await run({
        numCacheClusters: 3,
        alarms: { engineCpuPercentThreshold: 65, connectionsThreshold: 250, replicationLagSecondsThreshold: 2 },
      });
      const groupId = outputOf(one(r, T.group), "replicationGroupId");
      expect(ofType(r, T.alarm)).to.have.length(18);
      const engine = inputsOf(one(r, T.alarm, "redis-node-3-engine-cpu"));
      expect(engine.threshold).to.equal(65);
      expect(engine.dimensions).to.deep.equal({ CacheClusterId: `${groupId}-003` });
      expect(inputsOf(one(r, T.alarm, "redis-node-1-connections")).threshold).to.equal(250);
      expect(inputsOf(one(r, T.alarm, "redis-node-2-replication-lag")).threshold).to.equal(2);
    });
  });

  describe("secret and cutover", () => {
    it("stores the token and connection settings in a secret encrypted with the key", async () => {
      const r = await defaultRun();
      const secret = one(r, T.secret);
      expect(inputsOf(secret).kmsKeyId).to.equal(outputOf(one(r, T.key), "arn"));
      const version = one(r, T.secretVersion);
      expect(inputsOf(version).secretString).to.equal("[secret]");
      expect(inputsOf(version).secretId).to.equal(outputOf(secret, "id") ?? secret.id);
      const [json] = [...collectSecretStrings(version.inputs)];
      const content = JSON.parse(json!);
      const group = one(r, T.group);
      const [token] = [...collectSecretStrings(group.inputs)];
      expect(content).to.deep.equal({
        authToken: token,
        host: outputOf(group, "primaryEndpointAddress"),
        port: 6379,
        tls: true,
        servername: outputOf(group, "primaryEndpointAddress"),
      });
    });

    it("points a CNAME (TTL 60) at the primary endpoint and keeps the real endpoint as TLS servername", async () => {
      const r = await run({ cname: { zoneId: "Z0HUNTAZEINTERNAL1", name: "redis.huntaze.internal" } });
      const group = one(r, T.group);
      const primary = outputOf(group, "primaryEndpointAddress");
      expect(inputsOf(one(r, T.record))).to.include({
        zoneId: "Z0HUNTAZEINTERNAL1",
        name: "redis.huntaze.internal",
        type: "CNAME",
        ttl: 60,
      });
      expect(inputsOf(one(r, T.record)).records).to.deep.equal([primary]);
      expect(r.outputs).to.include({ cname: "redis.huntaze.internal", servername: primary, primary });
      expect(String(primary)).to.match(/\.cache\.amazonaws\.com$/);
      const [json] = [...collectSecretStrings(one(r, T.secretVersion).inputs)];
      expect(JSON.parse(json!)).to.include({ host: "redis.huntaze.internal", servername: primary });
    });

    it("rolls back by pointing the CNAME at the old endpoint", async () => {
      const old = "huntaze-redis-production.asmyhp.0001.use1.cache.amazonaws.com";
      const r = await run({
        cname: { zoneId: "Z0HUNTAZEINTERNAL1", name: "redis.huntaze.internal", rollbackToEndpoint: old },
      });
      expect(inputsOf(one(r, T.record)).records).to.deep.equal([old]);
    });

    it("exports endpoints, port, secret ARN and servername; no CNAME output without a record", async () => {
      const r = await defaultRun();
      expect(ofType(r, T.record)).to.have.length(0);
      expect(r.outputs.port).to.equal(6379);
      expect(r.outputs.secretArn).to.match(/^arn:aws:secretsmanager:us-east-1:317805897534:secret:/);
      expect(r.outputs.primary).to.equal(r.outputs.servername);
      expect(r.outputs.reader).to.match(/\.cache\.amazonaws\.com$/);
      expect(r.outputs.cname ?? null).to.equal(null);
    });

    it("never shows the generated token in clear, in any resource or output", async () => {
      const r = await run({ cname: { zoneId: "Z0HUNTAZEINTERNAL1", name: "redis.huntaze.internal" } });
      const tokens = new Set<string>();
      for (const res of r.resources) {
        collectSecretStrings(res.inputs, tokens);
        collectSecretStrings(res.outputs, tokens);
      }
      const token = [...collectSecretStrings(one(r, T.group).inputs)][0]!;
      expect(tokens).to.include(token);
      const printed = [
        JSON.stringify(
          r.resources.map((res) => ({ inputs: maskSecrets(res.inputs), outputs: maskSecrets(res.outputs) })),
        ),
        JSON.stringify(maskSecrets(r.outputs)),
      ].join("\n");
      for (const secret of tokens) expect(printed.includes(secret), "a secret string in masked output").to.equal(false);
      expect(printed).to.include("[secret]");
    });
  });

  describe("validation", () => {
    it("lists every problem in one error, with the allowed range and the value received", () => {
      const error = errorFrom(
        () =>
          new EncryptedRedis(
            "bad",
            baseArgs({
              numCacheClusters: 1,
              allowedSecurityGroupIds: [],
              allowedCidrBlocks: [],
              snapshotRetentionDays: 0,
              kmsKeyArn: "alias/huntaze-redis",
              authTokenLength: 8,
              replicationGroupId: "Huntaze_Redis",
              snapshotName: "snap-1",
              snapshotArns: ["arn:aws:s3:::bucket/dump.rdb"],
              maintenanceWindow: "sun:01:00-sun:02:00",
            }),
          ),
      );
      // Wording changed with the shared validator (components/spec.ts): "<field>: expected <allowed>, got <given>".
      for (const fragment of [
        "numCacheClusters: expected an integer from 2 to 6 for Multi-AZ with automatic failover (1 only with multiAz false), got 1",
        "allowedSecurityGroupIds: expected at least one source here or in allowedCidrBlocks (with none, nothing could connect), got []",
        "snapshotRetentionDays: expected an integer from 1 to 35, got 0",
        'kmsKeyArn: expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>): an alias or key id reads back as the ARN and replaces the group, got "alias/huntaze-redis"',
        "authTokenLength: expected an integer from 16 to 128, got 8",
        'replicationGroupId: expected 1–40 lowercase letters, digits or hyphens, starting with a letter, not ending with or doubling a hyphen (e.g. huntaze-redis-encrypted), got "Huntaze_Redis"',
        'snapshotArns: expected no snapshotArns when snapshotName is given (restore from one of them, not both), got ["arn:aws:s3:::bucket/dump.rdb"]',
        'snapshotWindow: expected a daily window that does not overlap maintenanceWindow "sun:01:00-sun:02:00", got "01:00-02:00"',
      ]) {
        expect(error.message).to.include(fragment);
      }
      expect(error.problems).to.have.length(8);
    });

    const refusedCidrs = ["0.0.0.0/0", "::/0"];
    for (const cidr of refusedCidrs) {
      it(`refuses ${cidr} as a source`, () => {
        expect(errorOf(() => new EncryptedRedis("open", baseArgs({ allowedCidrBlocks: [cidr] })))).to.include(
          `allowedCidrBlocks[0]: expected an IPv4 or IPv6 CIDR block that is not a /0 (Redis is never opened to the whole internet), got "${cidr}"`,
        );
      });
    }

    it("rejects malformed windows, node types, thresholds and CNAMEs", () => {
      const message = errorOf(
        () =>
          new EncryptedRedis(
            "bad",
            baseArgs({
              nodeType: "t3.micro",
              engineVersion: "6.2",
              snapshotWindow: "01:00-01:30",
              maintenanceWindow: "sunday 3am",
              alarms: { cpuPercentThreshold: 150, evictionsThreshold: -1 },
              allowedCidrBlocks: ["10.0.0.0/33"],
              allowedSecurityGroupIds: ["default"],
              cname: { zoneId: "bad", name: "Redis_Huntaze" },
              description: " ",
            }),
          ),
      );
      for (const fragment of [
        "nodeType: expected one of cache.t3.micro, cache.t3.small",
        'cache.r7g.16xlarge, got "t3.micro"',
        'engineVersion: expected 7.x as major.minor (transitEncryptionMode needs ≥ 7.0.5), got "6.2"',
        'snapshotWindow: expected a UTC window hh24:mi-hh24:mi of at least 60 minutes (e.g. 01:00-02:00), got "01:00-01:30"',
        'maintenanceWindow: expected a UTC window ddd:hh24:mi-ddd:hh24:mi of 60 minutes to 24 hours (e.g. sun:03:00-sun:04:00), got "sunday 3am"',
        "alarms.cpuPercentThreshold: expected a number > 0 and ≤ 100, got 150",
        "alarms.evictionsThreshold: expected an integer ≥ 0, got -1",
        'allowedCidrBlocks[0]: expected an IPv4 or IPv6 CIDR block that is not a /0 (Redis is never opened to the whole internet), got "10.0.0.0/33"',
        'allowedSecurityGroupIds[0]: expected a security group id (sg- and 8 or 17 hex digits), got "default"',
        'cname.zoneId: expected a Route53 hosted zone id (Z…), got "bad"',
        'cname.name: expected a lowercase DNS name (e.g. redis.huntaze.internal), got "Redis_Huntaze"',
        'description: expected a non-empty string (ElastiCache requires a description), got " "',
      ]) {
        expect(message).to.include(fragment);
      }
    });

    it("refuses a node type of the right form that ElastiCache does not have (it previewed green and failed at deploy)", () => {
      for (const nodeType of ["cache.t3.mirco", "cache.x9.huge", "cache.r7g.3xlarge"]) {
        const error = errorFrom(() => new EncryptedRedis("typo", baseArgs({ nodeType })));
        expect(error.problems).to.have.length(1);
        expect(error.problems[0]).to.deep.include({ key: "nodeType", got: JSON.stringify(nodeType) });
        expect(error.problems[0]?.allowed).to.match(/^one of cache\.t3\.micro, .*cache\.r7g\.16xlarge$/);
      }
      for (const nodeType of ["cache.t4g.small", "cache.m7g.large", "cache.r6g.16xlarge"]) {
        expect(() => new EncryptedRedis(`ok-${nodeType.replace(/\./g, "-")}`, baseArgs({ nodeType }))).to.not.throw();
      }
    });

    it("checks a finalSnapshotPrefix taken from the resource name", () => {
      const error = errorFrom(() => new EncryptedRedis("my_redis", baseArgs()));
      expect(error.problems).to.deep.equal([
        {
          key: "finalSnapshotPrefix",
          allowed:
            'a prefix, since its default (the resource name "my_redis") is not one: a letter, then letters, digits or single hyphens, at most 240 characters',
          got: "nothing (the key is missing)",
        },
      ]);
      // Not when the prefix comes from elsewhere, or is not used.
      for (const extra of [
        { finalSnapshotPrefix: "huntaze-redis" },
        { replicationGroupId: "huntaze-redis" },
        { finalSnapshotIdentifier: "huntaze-redis-last" },
      ]) {
        expect(() => new EncryptedRedis("my_redis", baseArgs(extra))).to.not.throw();
      }
    });

    it("accepts a single node only when Multi-AZ is explicitly off", async () => {
      const group = inputsOf(one(await run({ multiAz: false, numCacheClusters: 1 }), T.group));
      expect(group).to.include({ multiAzEnabled: false, automaticFailoverEnabled: false, numCacheClusters: 1 });
    });
  });

  describe("from another project (plain JavaScript, no type checks)", () => {
    /** The error of `new EncryptedRedis("x", given)` inside the mocks, and the resources registered before it. */
    async function refused(given: unknown): Promise<{ error: ArgsError; children: string[] }> {
      const { error, children } = await attempt(() => new EncryptedRedis("x", given as never));
      expect(error, "a named ArgsError, not a TypeError").to.be.instanceOf(ArgsError);
      return { error: error as ArgsError, children };
    }

    it("names every required argument when none is given, before any child is registered", async () => {
      for (const given of [{}, undefined]) {
        const { error, children } = await refused(given);
        expect(children).to.deep.equal([]);
        const byKey = Object.fromEntries(error.problems.map((p) => [p.key, p]));
        for (const key of ["description", "nodeType", "vpcId", "subnetIds", "alarmTopicArn"]) {
          expect(byKey[key], key).to.deep.include({ got: "nothing (the key is missing)" });
          expect(byKey[key]?.allowed, key).to.be.a("string").and.not.equal("");
        }
        expect(byKey.description?.allowed).to.equal("a non-empty string (ElastiCache requires a description)");
        expect(byKey.alarmTopicArn?.allowed).to.equal("an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)");
        // And the rule that needs a source (both lists default to empty).
        expect(byKey.allowedSecurityGroupIds?.got).to.equal("[]");
        expect(error.message).to.match(/^EncryptedRedis "x": invalid arguments \(6 problems\)/);
      }
    });

    it("names every wrong argument with what is allowed and what was given", async () => {
      const { error, children } = await refused({
        description: 42,
        nodeType: "cache.t3.mirco",
        vpcId: "vpc-1",
        subnetIds: "subnet-0a1b2c3d4e5f60001",
        alarmTopicArn: "ops-alerts",
        allowedSecurityGroupIds: ["sg-0a1b2c3d4e5f60011"],
        port: "six",
        multiAz: "yes",
        authTokenUpdateStrategy: "set",
        maxmemoryPolicy: "lru",
        secretRecoveryWindowDays: 3,
        alarms: { cpuPercent: 70 },
        cname: { zoneId: "Z0HUNTAZEINTERNAL1" },
      });
      expect(children).to.deep.equal([]);
      const lines = error.problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`);
      expect(lines).to.have.length(12);
      expect(lines).to.include.members([
        "description: expected a non-empty string (ElastiCache requires a description), got 42",
        'vpcId: expected a VPC id (vpc- and 8 or 17 hex digits), got "vpc-1"',
        'subnetIds: expected a list of at least 1 item, each a subnet id (subnet- and 8 or 17 hex digits), got "subnet-0a1b2c3d4e5f60001"',
        'alarmTopicArn: expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got "ops-alerts"',
        'port: expected an integer from 1 to 65535, got "six"',
        'multiAz: expected true or false, got "yes"',
        'authTokenUpdateStrategy: expected one of SET, ROTATE, got "set"',
        'maxmemoryPolicy: expected one of volatile-lru, allkeys-lru, volatile-lfu, allkeys-lfu, volatile-ttl, noeviction, got "lru"',
        "secretRecoveryWindowDays: expected 0 or an integer from 7 to 30, got 3",
        "cname.name: expected a lowercase DNS name (e.g. redis.huntaze.internal), got nothing (the key is missing)",
      ]);
      const byKey = Object.fromEntries(error.problems.map((p) => [p.key, p]));
      expect(byKey.nodeType).to.deep.include({ got: '"cache.t3.mirco"' });
      expect(byKey.nodeType?.allowed).to.match(/^one of cache\.t3\.micro, /);
      expect(byKey["alarms.cpuPercent"]).to.deep.include({ got: "70" });
      expect(byKey["alarms.cpuPercent"]?.allowed).to.match(/^no such setting.*cpuPercentThreshold/);
      // Multi-AZ could not be read, so the rule that needs it waits for a valid value.
      expect(byKey).to.not.have.property("numCacheClusters");
    });
  });

  describe("policy pack", () => {
    it("produces no mandatory violation, and none from the ElastiCache rules", async () => {
      const { violations } = await evaluateProgram(() => {
        new EncryptedRedis(
          "redis",
          baseArgs({ cname: { zoneId: "Z0HUNTAZEINTERNAL1", name: "redis.huntaze.internal" } }),
        );
      });
      expect(violations.filter((v) => v.enforcement === "mandatory")).to.deep.equal([]);
      expect(violations.filter((v) => v.policy.startsWith("elasticache") || v.policy.startsWith("ec2"))).to.deep.equal(
        [],
      );
    });

    it("needs the pack's allowPreferredMode for the TLS migration step, and passes with it", async function () {
      const names = (await analyzer()).policies.map((p) => p.name);
      if (!names.includes("elasticache-in-transit-encryption")) this.skip(); // rule not in the pack yet
      const program = () => {
        new EncryptedRedis("redis", baseArgs({ transitEncryptionMigration: true }));
      };
      const strict = await evaluateProgram(program);
      const mandatory = strict.violations.filter((v) => v.enforcement === "mandatory");
      expect(mandatory.map((v) => v.policy)).to.deep.equal(["elasticache-in-transit-encryption"]);
      const migrating = await evaluateProgram(program, {
        "elasticache-in-transit-encryption": { allowPreferredMode: true },
      });
      expect(migrating.violations.filter((v) => v.enforcement === "mandatory")).to.deep.equal([]);
    });

    it("reports at-rest, in-transit and auth violations for a plain replication group", async function () {
      const names = (await analyzer()).policies.map((p) => p.name);
      // Only when the pack has no ElastiCache rule at all is there nothing to assert against.
      if (!names.some((n) => n.startsWith("elasticache"))) this.skip();
      const aws = await import("@pulumi/aws");
      const { violations } = await evaluateProgram(
        () =>
          new aws.elasticache.ReplicationGroup("plain", {
            description: "unencrypted",
            nodeType: "cache.t3.micro",
            numCacheClusters: 1,
          }),
      );
      const mandatory = [...new Set(violations.filter((v) => v.enforcement === "mandatory").map((v) => v.policy))];
      const wanted = ["elasticache-at-rest-encryption", "elasticache-in-transit-encryption", "elasticache-auth"];
      if (wanted.every((w) => names.includes(w))) expect(mandatory).to.include.members(wanted);
      else expect(mandatory.filter((p) => p.startsWith("elasticache"))).to.not.be.empty;
    });
  });
});
