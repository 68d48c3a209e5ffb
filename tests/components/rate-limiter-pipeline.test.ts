import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
  type LambdaBundler,
  RATE_LIMITER_ENV,
  RateLimiterPipeline,
  type RateLimiterPipelineArgs,
} from "../../components/rate-limiter-pipeline";
import type { RecordedResource } from "../../tools/engine/recorder";
import type { PlainObject, PlainValue } from "../../tools/engine/secrets";
import { argsErrorOf } from "../support/args-error";
import { evaluateProgram } from "../support/policy-harness";
import { inputsOf, jsonInput, ofType, one, record } from "../support/pulumi-harness";

// RateLimiterPipeline: the inputs that keep the OnlyFans limiter safe (aws-gotchas §SQS + Lambda):
// encrypted queues with a 5-receive DLQ, visibility ≥ 6 × timeout, concurrency capped by the
// mapping (never reserved concurrency below the cap), least-privilege role, no secret values in the
// environment, and the seed's alarms.

const TOKEN = "of-token-do-not-leak-7f3a9c";
const TOPIC = "arn:aws:sns:us-east-1:317805897534:huntaze-ops-alerts";
const REDIS_SECRET = "arn:aws:secretsmanager:us-east-1:317805897534:secret:redis-auth-AbCdEf";
const REDIS_KEY = "arn:aws:kms:us-east-1:317805897534:key/11111111-2222-3333-4444-555555555555";

// A fixed stand-in bundle for the structural tests: bundling itself is tested below.
const fakeBundler: LambdaBundler = async () => ({
  file: path.join(__dirname, "rate-limiter-pipeline.test.ts"),
  bytes: 1,
  sha256: "a".repeat(64),
});

function baseArgs(overrides: Partial<RateLimiterPipelineArgs> = {}): RateLimiterPipelineArgs {
  return {
    vpcId: "vpc-0a1b2c3d4e5f60718",
    subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
    redis: {
      host: "master.huntaze-redis.abc123.use1.cache.amazonaws.com",
      tlsServername: "master.huntaze-redis.abc123.use1.cache.amazonaws.com",
      authTokenSecretArn: REDIS_SECRET,
      authTokenSecretKmsKeyArn: REDIS_KEY,
      securityGroupId: "sg-0a1b2c3d4e5f60099",
    },
    onlyfans: { apiUrl: "https://onlyfansapi.example.com/v1", apiToken: pulumi.secret(TOKEN) },
    alarmTopicArn: TOPIC,
    code: { bundler: fakeBundler },
    ...overrides,
  };
}

const pipeline = (overrides: Partial<RateLimiterPipelineArgs> = {}) =>
  record(() => {
    new RateLimiterPipeline("rate-limiter", baseArgs(overrides));
  });

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[] };
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

function alarm(resources: RecordedResource[], suffix: string): PlainObject {
  const found = resources.find((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.name.endsWith(suffix));
  if (!found) throw new Error(`no alarm *${suffix}`);
  return inputsOf(found);
}

describe("RateLimiterPipeline", () => {
  describe("queues", () => {
    it("creates the long-polling, KMS-encrypted queue with visibility 6 × timeout and a 5-receive redrive", async () => {
      const run = await pipeline();
      const queue = one(run, "aws:sqs/queue:Queue", "rate-limiter-queue");
      const dlq = one(run, "aws:sqs/queue:Queue", "rate-limiter-dlq");
      const key = one(run, "aws:kms/key:Key");
      const q = inputsOf(queue);
      expect(q.name).to.equal("huntaze-rate-limiter-queue");
      expect(q.receiveWaitTimeSeconds).to.equal(20);
      expect(q.visibilityTimeoutSeconds).to.equal(180);
      expect(q.kmsMasterKeyId).to.equal(key.outputs.arn);
      expect(jsonInput(queue, "redrivePolicy")).to.deep.equal({
        deadLetterTargetArn: dlq.outputs.arn,
        maxReceiveCount: 5,
      });
      const d = inputsOf(dlq);
      expect(d.name).to.equal("huntaze-rate-limiter-dlq");
      expect(d.messageRetentionSeconds).to.equal(1_209_600);
      expect(d.kmsMasterKeyId).to.equal(key.outputs.arn);
      expect(inputsOf(key).enableKeyRotation).to.equal(true);
    });

    it("lets CloudWatch Logs use the created key for its log group only, and named senders encrypt via SQS", async () => {
      const sender = "arn:aws:iam::317805897534:role/huntaze-app-task";
      const run = await pipeline({ senderRoleArns: [sender] });
      const policy = jsonInput(one(run, "aws:kms/key:Key"), "policy") as { Statement: PlainObject[] };
      const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid as string, s]));
      expect(bySid.CloudWatchLogsOfTheFunction?.Principal).to.deep.equal({ Service: "logs.us-east-1.amazonaws.com" });
      expect(bySid.CloudWatchLogsOfTheFunction?.Condition).to.deep.equal({
        ArnEquals: {
          "kms:EncryptionContext:aws:logs:arn":
            "arn:aws:logs:us-east-1:317805897534:log-group:/aws/lambda/huntaze-rate-limiter",
        },
      });
      expect(bySid.QueueSendersEncrypt).to.deep.include({
        Principal: { AWS: [sender] },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Condition: { StringEquals: { "kms:ViaService": "sqs.us-east-1.amazonaws.com" } },
      });
      const queuePolicy = ofType(run, "aws:sqs/queuePolicy:QueuePolicy").find((p) => p.name.endsWith("-queue-policy"));
      const statements = (jsonInput(queuePolicy!, "policy") as { Statement: PlainObject[] }).Statement;
      expect(statements[1]).to.deep.include({ Effect: "Allow", Principal: { AWS: [sender] } });
    });

    it("uses a given key instead of creating one", async () => {
      const run = await pipeline({ kmsKeyArn: REDIS_KEY });
      expect(ofType(run, "aws:kms/key:Key")).to.have.length(0);
      expect(inputsOf(one(run, "aws:sqs/queue:Queue", "-queue")).kmsMasterKeyId).to.equal(REDIS_KEY);
      expect(inputsOf(one(run, "aws:lambda/function:Function")).kmsKeyArn).to.equal(REDIS_KEY);
    });

    it("lets only its queue redrive into the DLQ and denies plain-HTTP access to both", async () => {
      const run = await pipeline();
      const queue = one(run, "aws:sqs/queue:Queue", "rate-limiter-queue");
      expect(jsonInput(one(run, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy"), "redriveAllowPolicy")).to.deep.equal({
        redrivePermission: "byQueue",
        sourceQueueArns: [queue.outputs.arn],
      });
      for (const policy of ofType(run, "aws:sqs/queuePolicy:QueuePolicy")) {
        const doc = jsonInput(policy, "policy") as { Statement: PlainObject[] };
        expect(doc.Statement[0]).to.include({ Effect: "Deny", Action: "sqs:*" });
      }
    });
  });

  describe("function", () => {
    it("runs the bundle on nodejs24.x with 256 MB, 30 s, in the VPC, traced, logging to its own group", async () => {
      const run = await pipeline();
      const fn = one(run, "aws:lambda/function:Function");
      const sg = one(run, "aws:ec2/securityGroup:SecurityGroup");
      const logs = one(run, "aws:cloudwatch/logGroup:LogGroup");
      const f = inputsOf(fn);
      expect(f.name).to.equal("huntaze-rate-limiter");
      expect(f.runtime).to.equal("nodejs24.x");
      expect(f.handler).to.equal("index.handler");
      expect(f.memorySize).to.equal(256);
      expect(f.timeout).to.equal(30);
      expect(f.vpcConfig).to.deep.include({
        subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        securityGroupIds: [sg.outputs.id],
      });
      expect(f.tracingConfig).to.deep.equal({ mode: "Active" });
      expect(f.sourceCodeHash).to.equal(Buffer.from("a".repeat(64), "hex").toString("base64"));
      expect(f.kmsKeyArn).to.equal(one(run, "aws:kms/key:Key").outputs.arn);
      expect(f.deadLetterConfig ?? null).to.equal(null);
      expect(f.reservedConcurrentExecutions ?? null).to.equal(null);

      // The log group exists before the function, with retention and the pipeline key.
      expect(inputsOf(logs)).to.include({ name: "/aws/lambda/huntaze-rate-limiter", retentionInDays: 30 });
      expect(inputsOf(logs).kmsKeyId).to.equal(one(run, "aws:kms/key:Key").outputs.arn);
      expect(fn.dependencies).to.include(logs.urn);
      // VPC functions and SQS mappings are validated against the role at creation: policy first.
      const rolePolicy = one(run, "aws:iam/rolePolicy:RolePolicy");
      expect(fn.dependencies).to.include(rolePolicy.urn);
      expect(one(run, "aws:lambda/eventSourceMapping:EventSourceMapping").dependencies).to.include(rolePolicy.urn);
    });

    it("passes configuration and secret ARNs in the environment, never a secret value", async () => {
      const run = await pipeline();
      const fn = one(run, "aws:lambda/function:Function");
      const vars = (inputsOf(fn).environment as PlainObject).variables as PlainObject;
      const secret = one(run, "aws:secretsmanager/secret:Secret");
      expect(vars).to.deep.equal({
        [RATE_LIMITER_ENV.queueUrl]: one(run, "aws:sqs/queue:Queue", "-queue").outputs.url,
        [RATE_LIMITER_ENV.dlqUrl]: one(run, "aws:sqs/queue:Queue", "-dlq").outputs.url,
        [RATE_LIMITER_ENV.onlyfansApiUrl]: "https://onlyfansapi.example.com/v1",
        [RATE_LIMITER_ENV.onlyfansSecretArn]: secret.outputs.arn,
        [RATE_LIMITER_ENV.perWindow]: "10",
        [RATE_LIMITER_ENV.windowSeconds]: "60",
        [RATE_LIMITER_ENV.burst]: "3",
        [RATE_LIMITER_ENV.maxConcurrency]: "2",
        [RATE_LIMITER_ENV.maxAttempts]: "5",
        [RATE_LIMITER_ENV.redisHost]: "master.huntaze-redis.abc123.use1.cache.amazonaws.com",
        [RATE_LIMITER_ENV.redisPort]: "6379",
        [RATE_LIMITER_ENV.redisTls]: "true",
        [RATE_LIMITER_ENV.redisServername]: "master.huntaze-redis.abc123.use1.cache.amazonaws.com",
        [RATE_LIMITER_ENV.redisAuthSecretArn]: REDIS_SECRET,
      });
      // The raw inputs (secrets unmasked) of everything but the secret version never hold the token.
      for (const r of run.resources.filter((x) => x.type !== "aws:secretsmanager/secretVersion:SecretVersion"))
        expect(JSON.stringify(r.inputs), r.name).not.to.include(TOKEN);
      const version = one(run, "aws:secretsmanager/secretVersion:SecretVersion");
      expect(inputsOf(version).secretString).to.equal("[secret]");
      expect(inputsOf(secret).kmsKeyId).to.equal(one(run, "aws:kms/key:Key").outputs.arn);
    });

    it("uses an existing credentials secret by ARN without creating one", async () => {
      const arn = "arn:aws:secretsmanager:us-east-1:317805897534:secret:onlyfans-AbCdEf";
      const run = await pipeline({
        onlyfans: { apiUrl: "https://onlyfansapi.example.com", credentialsSecretArn: arn },
      });
      expect(ofType(run, "aws:secretsmanager/secret:Secret")).to.have.length(0);
      const vars = (inputsOf(one(run, "aws:lambda/function:Function")).environment as PlainObject)
        .variables as PlainObject;
      expect(vars[RATE_LIMITER_ENV.onlyfansSecretArn]).to.equal(arn);
    });
  });

  describe("role", () => {
    it("grants exactly what the function does, per resource", async () => {
      const run = await pipeline();
      const queue = one(run, "aws:sqs/queue:Queue", "-queue").outputs.arn;
      const dlq = one(run, "aws:sqs/queue:Queue", "-dlq").outputs.arn;
      const key = one(run, "aws:kms/key:Key").outputs.arn;
      const logs = one(run, "aws:cloudwatch/logGroup:LogGroup").outputs.arn;
      const secret = one(run, "aws:secretsmanager/secret:Secret").outputs.arn;
      const doc = jsonInput(one(run, "aws:iam/rolePolicy:RolePolicy"), "policy") as { Statement: Statement[] };
      const grants = doc.Statement.map((s) => ({ actions: list(s.Action).sort(), resources: list(s.Resource) }));
      expect(grants).to.deep.equal([
        {
          actions: [
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
            "sqs:SendMessage",
          ],
          resources: [queue],
        },
        { actions: ["sqs:SendMessage"], resources: [dlq] },
        { actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [key] },
        { actions: ["secretsmanager:GetSecretValue"], resources: [secret, REDIS_SECRET] },
        { actions: ["kms:Decrypt"], resources: [REDIS_KEY] },
        { actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${logs}:*`] },
        // X-Ray has no resource-level permissions; ENI management happens on ENIs that do not
        // exist yet and the Describe calls cannot be scoped: AWS requires "*" for both.
        { actions: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], resources: ["*"] },
        {
          actions: [
            "ec2:AssignPrivateIpAddresses",
            "ec2:CreateNetworkInterface",
            "ec2:DeleteNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSubnets",
            "ec2:UnassignPrivateIpAddresses",
          ],
          resources: ["*"],
        },
      ]);
      for (const s of doc.Statement) {
        expect(s.Effect).to.equal("Allow");
        for (const action of list(s.Action)) expect(action, s.Sid).not.to.include("*");
        if (list(s.Resource).includes("*"))
          expect(
            list(s.Action).every((a) => /^(xray|ec2):/.test(a)),
            s.Sid,
          ).to.equal(true);
      }
      const trust = jsonInput(one(run, "aws:iam/role:Role"), "assumeRolePolicy") as { Statement: PlainObject[] };
      expect(trust.Statement[0]).to.deep.include({
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
      });
      expect(ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).to.have.length(0);
    });
  });

  describe("network", () => {
    it("gives the function egress to Redis and HTTPS only, and admits it on the Redis security group", async () => {
      const run = await pipeline();
      const sg = one(run, "aws:ec2/securityGroup:SecurityGroup");
      expect(inputsOf(sg).ingress ?? []).to.deep.equal([]);
      const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => inputsOf(r));
      expect(egress.map((e) => [e.fromPort, e.toPort, e.cidrIpv4 ?? e.referencedSecurityGroupId])).to.have.deep.members(
        [
          [443, 443, "0.0.0.0/0"],
          [6379, 6379, "sg-0a1b2c3d4e5f60099"],
        ],
      );
      const ingress = inputsOf(one(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"));
      expect(ingress).to.include({
        securityGroupId: "sg-0a1b2c3d4e5f60099",
        referencedSecurityGroupId: sg.outputs.id as string,
        fromPort: 6379,
        toPort: 6379,
      });
    });
  });

  it("without the Redis security group, sends Redis traffic to the given CIDR and touches no other group", async () => {
    const { securityGroupId: _, ...redis } = baseArgs().redis;
    const run = await pipeline({ redis, vpcCidrBlock: "10.20.0.0/16" });
    const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => inputsOf(r));
    expect(egress.find((e) => e.fromPort === 6379)).to.include({ cidrIpv4: "10.20.0.0/16" });
    expect(ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).to.have.length(0);
    expect(() => new RateLimiterPipeline("bad", baseArgs({ redis }))).to.throw(
      "vpcCidrBlock: expected a CIDR block, or redis.securityGroupId (the function's Redis egress needs a destination), got nothing",
    );
  });

  describe("event source mapping", () => {
    it("caps concurrency on the mapping and reports partial batch failures", async () => {
      const run = await pipeline({ batchSize: 5, maximumConcurrency: 4 });
      const esm = one(run, "aws:lambda/eventSourceMapping:EventSourceMapping");
      const m = inputsOf(esm);
      expect(m.eventSourceArn).to.equal(one(run, "aws:sqs/queue:Queue", "-queue").outputs.arn);
      expect(m.batchSize).to.equal(5);
      expect(m.functionResponseTypes).to.deep.equal(["ReportBatchItemFailures"]);
      expect(m.scalingConfig).to.deep.equal({ maximumConcurrency: 4 });
      const fn = inputsOf(one(run, "aws:lambda/function:Function"));
      expect(fn.reservedConcurrentExecutions ?? null).to.equal(null);
      expect(((fn.environment as PlainObject).variables as PlainObject)[RATE_LIMITER_ENV.maxConcurrency]).to.equal("4");
    });

    it("accepts reserved concurrency at or above the cap", async () => {
      const run = await pipeline({ maximumConcurrency: 3, reservedConcurrentExecutions: 3 });
      const reserved = inputsOf(one(run, "aws:lambda/function:Function")).reservedConcurrentExecutions as number;
      const cap = (inputsOf(one(run, "aws:lambda/eventSourceMapping:EventSourceMapping")).scalingConfig as PlainObject)
        .maximumConcurrency as number;
      expect(reserved).to.be.at.least(cap);
    });
  });

  describe("alarms", () => {
    const cases: { suffix: string; namespace: string; metric: string; threshold: number; queue?: string }[] = [
      { suffix: "oldest-message-age", namespace: "AWS/SQS", metric: "ApproximateAgeOfOldestMessage", threshold: 300 },
      {
        suffix: "visible-messages",
        namespace: "AWS/SQS",
        metric: "ApproximateNumberOfMessagesVisible",
        threshold: 1000,
      },
      { suffix: "dlq-depth", namespace: "AWS/SQS", metric: "ApproximateNumberOfMessagesVisible", threshold: 10 },
      { suffix: "duration", namespace: "AWS/Lambda", metric: "Duration", threshold: 10_000 },
      { suffix: "throttles", namespace: "AWS/Lambda", metric: "Throttles", threshold: 0 },
    ];
    for (const c of cases) {
      it(`${c.suffix}: ${c.metric} > ${c.threshold} notifies the topic`, async () => {
        const run = await pipeline();
        const a = alarm(run.resources, c.suffix);
        expect(a).to.include({
          namespace: c.namespace,
          metricName: c.metric,
          threshold: c.threshold,
          comparisonOperator: "GreaterThanThreshold",
        });
        expect(a.alarmActions).to.deep.equal([TOPIC]);
        expect(a.okActions).to.deep.equal([TOPIC]);
      });
    }

    it("watches the right queue and function", async () => {
      const run = await pipeline();
      const queueName = one(run, "aws:sqs/queue:Queue", "-queue").outputs.name;
      const dlqName = one(run, "aws:sqs/queue:Queue", "-dlq").outputs.name;
      const fnName = one(run, "aws:lambda/function:Function").outputs.name;
      expect(alarm(run.resources, "oldest-message-age").dimensions).to.deep.equal({ QueueName: queueName });
      expect(alarm(run.resources, "dlq-depth").dimensions).to.deep.equal({ QueueName: dlqName });
      expect(alarm(run.resources, "throttles").dimensions).to.deep.equal({ FunctionName: fnName });
    });

    it("error-rate: Errors / Invocations > 5 % over 5 minutes", async () => {
      const run = await pipeline();
      const a = alarm(run.resources, "error-rate");
      expect(a).to.include({ threshold: 5, comparisonOperator: "GreaterThanThreshold" });
      const queries = a.metricQueries as PlainObject[];
      const metrics = queries.filter((q) => q.metric).map((q) => (q.metric as PlainObject).metricName);
      expect(metrics).to.have.members(["Errors", "Invocations"]);
      const expression = queries.find((q) => q.returnData === true);
      expect(expression?.expression).to.equal("IF(invocations > 0, 100 * errors / invocations, 0)");
      expect(a.alarmActions).to.deep.equal([TOPIC]);
    });
  });

  describe("validation", () => {
    it("lists every problem at once, naming the allowed range and the value", () => {
      let message = "";
      try {
        new RateLimiterPipeline(
          "bad",
          baseArgs({ visibilityTimeoutSeconds: 90, lambdaTimeoutSeconds: 30, maximumConcurrency: 1, batchSize: 0 }),
        );
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).to.include("visibilityTimeoutSeconds: expected ≥ 6 × lambda timeout (180), got 90");
      expect(message).to.include("maximumConcurrency: expected an integer from 2 to 1000, got 1");
      expect(message).to.include("batchSize: expected an integer from 1 to 10, got 0");
      expect(message).to.match(/^RateLimiterPipeline "bad": invalid arguments \(3 problems\)/);
    });

    const table: [string, Partial<RateLimiterPipelineArgs>, string][] = [
      [
        "reserved concurrency below the cap",
        { maximumConcurrency: 5, reservedConcurrentExecutions: 1 },
        "reservedConcurrentExecutions: expected ≥ maximumConcurrency (5), or unset (a lower reservation throttles the SQS poller and sends valid messages to the DLQ), got 1",
      ],
      [
        "an old runtime",
        { runtime: "nodejs18.x" },
        'runtime: expected a Node.js runtime the bundle targets (nodejs24.x or later), got "nodejs18.x"',
      ],
      [
        "a runtime older than the bundle's target",
        { runtime: "nodejs22.x" },
        'runtime: expected a Node.js runtime the bundle targets (nodejs24.x or later), got "nodejs22.x"',
      ],
      [
        "burst above perWindow",
        { limits: { perWindow: 2, burst: 3 } },
        "limits.burst: expected an integer from 1 to perWindow (2), got 3",
      ],
      [
        "a plain-HTTP API",
        { onlyfans: { apiUrl: "http://api.example.com", apiToken: TOKEN } },
        'onlyfans.apiUrl: expected an https:// URL, got "http://api.example.com"',
      ],
      [
        "both credential sources",
        { onlyfans: { apiUrl: "https://api.example.com", apiToken: TOKEN, credentialsSecretArn: REDIS_SECRET } },
        `onlyfans.credentialsSecretArn: expected unset when apiToken is given (the two are exclusive), got "${REDIS_SECRET}"`,
      ],
      [
        "neither credential source",
        { onlyfans: { apiUrl: "https://api.example.com" } },
        "onlyfans.credentialsSecretArn: expected a Secrets Manager secret ARN, or apiToken (one of the two is needed), got nothing",
      ],
      [
        "a log retention CloudWatch refuses",
        { logRetentionDays: 10 },
        "logRetentionDays: expected one of 1, 3, 5, 7, 14, 30,",
      ],
    ];
    for (const [what, overrides, expected] of table) {
      it(`rejects ${what}`, () => {
        expect(() => new RateLimiterPipeline("bad", baseArgs(overrides))).to.throw(expected);
      });
    }
  });

  describe("policy pack", () => {
    it("reports no mandatory violation", async () => {
      const { violations } = await evaluateProgram(() => {
        new RateLimiterPipeline("rate-limiter", baseArgs());
      });
      const mandatory = violations.filter((v) => v.enforcement === "mandatory");
      expect(mandatory, JSON.stringify(mandatory, null, 2)).to.deep.equal([]);
    });
  });
});

describe("RateLimiterPipeline code bundle", function () {
  this.timeout(30_000);
  let tmp: string;
  before(function () {
    // lambdas/build.ts (the esbuild bundler) is written alongside the runtime.
    if (!fs.existsSync(path.resolve(__dirname, "../../lambdas/build.ts"))) this.skip();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rate-limiter-bundle-"));
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const hashOf = async (entry: string, buildDir: string): Promise<PlainValue> => {
    const run = await record(() => {
      new RateLimiterPipeline("rate-limiter", baseArgs({ code: { entry, buildDir } }));
    });
    return inputsOf(one(run, "aws:lambda/function:Function")).sourceCodeHash ?? null;
  };

  it("bundles lambdas/rate-limiter at run time: same source, same hash; the hash is the bundle's sha256", async () => {
    const entry = path.resolve(__dirname, "../../lambdas/rate-limiter/index.ts");
    const first = await hashOf(entry, path.join(tmp, "a"));
    const second = await hashOf(entry, path.join(tmp, "b"));
    expect(first).to.be.a("string").and.equal(second);
    const bytes = fs.readFileSync(path.join(tmp, "a", "index.js"));
    expect(first).to.equal(crypto.createHash("sha256").update(bytes).digest("base64"));
  });

  it("changes the hash when the code changes", async () => {
    const entry = path.join(tmp, "handler.ts");
    fs.writeFileSync(entry, 'export const handler = async () => ({ batchItemFailures: [] as string[], v: "one" });\n');
    const before = await hashOf(entry, path.join(tmp, "c"));
    fs.writeFileSync(entry, 'export const handler = async () => ({ batchItemFailures: [] as string[], v: "two" });\n');
    const after = await hashOf(entry, path.join(tmp, "d"));
    expect(before).to.be.a("string");
    expect(after).to.be.a("string").and.not.equal(before);
  });
});

describe("RateLimiterPipeline explicit queue names (adoption)", () => {
  it("names the queue and DLQ queueName/dlqName when given; the redrive policy targets that DLQ", async () => {
    const run = await pipeline({ dlqName: "huntaze-rate-limiter-queue-dlq", queueName: "huntaze-rate-limiter-queue" });
    expect(inputsOf(one(run, "aws:sqs/queue:Queue", "dlq")).name).to.equal("huntaze-rate-limiter-queue-dlq");
    const queue = inputsOf(one(run, "aws:sqs/queue:Queue", "rate-limiter-queue"));
    expect(queue.name).to.equal("huntaze-rate-limiter-queue");
    expect(JSON.parse(queue.redrivePolicy as string).deadLetterTargetArn).to.match(/:huntaze-rate-limiter-queue-dlq$/);
  });

  it("defaults to <prefix>-queue and <prefix>-dlq", async () => {
    const run = await pipeline({ namePrefix: "huntaze-staging-rate-limiter" });
    expect(inputsOf(one(run, "aws:sqs/queue:Queue", "dlq")).name).to.equal("huntaze-staging-rate-limiter-dlq");
    expect(inputsOf(one(run, "aws:sqs/queue:Queue", "rate-limiter-queue")).name).to.equal(
      "huntaze-staging-rate-limiter-queue",
    );
  });

  it("refuses a DLQ name SQS refuses, naming the value", () => {
    expect(() => new RateLimiterPipeline("bad", baseArgs({ dlqName: "bad.name" }))).to.throw(
      'dlqName: expected a standard queue name (1–80 letters, digits, "-" or "_"), got "bad.name"',
    );
  });
});

describe("RateLimiterPipeline from another project", () => {
  const MISSING = "nothing (the key is missing)";
  const COMPONENT = ["pulumi:pulumi:Stack", "huntaze:messaging:RateLimiterPipeline"];

  it("no args: every required field named with what it allows, before any child (no TypeError)", async () => {
    const { error, resources } = await argsErrorOf(() => new RateLimiterPipeline("rate-limiter", {} as never));
    expect(error.problems.map((p) => [p.key, p.got])).to.deep.equal([
      ["subnetIds", MISSING],
      ["vpcId", MISSING],
      ["redis", MISSING],
      ["onlyfans", MISSING],
      ["alarmTopicArn", MISSING],
    ]);
    expect(error.problems.map((p) => p.allowed)).to.deep.equal([
      "a list of at least 1 item, each a subnet id (subnet- and 8 or 17 hex digits)",
      "a VPC id (vpc- and 8 or 17 hex digits)",
      "an object { host, port?, tls?, tlsServername?, authTokenSecretArn?, authTokenSecretKmsKeyArn?, securityGroupId? }",
      "an object { apiUrl, and credentialsSecretArn (+ credentialsSecretKmsKeyArn?) or apiToken }",
      "an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)",
    ]);
    expect(resources.map((r) => r.type)).to.deep.equal(COMPONENT);
  });

  it("wrong values: each named with allowed and given, the token never shown", async () => {
    const { error, resources } = await argsErrorOf(
      () =>
        new RateLimiterPipeline("rate-limiter", {
          ...baseArgs(),
          vpcId: "vpc-nope",
          subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-x"],
          redis: { host: "", port: 70_000 },
          onlyfans: { apiUrl: "https://onlyfansapi.example.com", apiToken: "short-token" },
          alarmTopicArn: "ops",
          namePrefix: "Huntaze Limiter!",
          memoryMb: 64,
          alarmThresholds: { errorRatePercent: 150 },
        } as never),
    );
    expect(error.problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`)).to.deep.equal([
      'namePrefix: expected 1–56 letters, digits, "-" or "_" (the function name, ≤ 64, is the prefix), got "Huntaze Limiter!"',
      'subnetIds: expected a list of at least 1 item, each a subnet id (subnet- and 8 or 17 hex digits), got ["subnet-0a1b2c3d4e5f60001","subnet-x"]',
      'vpcId: expected a VPC id (vpc- and 8 or 17 hex digits), got "vpc-nope"',
      'redis.host: expected a host name, got ""',
      "redis.port: expected an integer from 1 to 65535, got 70000",
      "onlyfans.apiToken: expected a token of at least 16 characters, got a secret value (not shown)",
      'alarmTopicArn: expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got "ops"',
      "memoryMb: expected an integer from 128 to 10240, got 64",
      "alarmThresholds.errorRatePercent: expected a number ≥ 0 and ≤ 100, got 150",
    ]);
    expect(error.message).not.to.include("short-token");
    expect(resources.map((r) => r.type)).to.deep.equal(COMPONENT);
  });
});
