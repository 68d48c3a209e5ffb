import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { describe, it } from "mocha";
import { ALERT_PUBLISHERS, alertKeyStatements, alertTopicPolicy } from "../../components/alert-topics";
import { DEFAULT_REDIS_ALARM_THRESHOLDS } from "../../components/encrypted-redis";
import {
  redisKeyAdministration,
  redisKeyStatements,
  redisNodeAlarmRows,
} from "../../components/encrypted-redis-policies";
import { bucketPolicyDocument, lifecycleRules, resolveBucketArgs } from "../../components/hardened-bucket";
import { keyPolicy } from "../../components/kms-key";
import { DEFAULT_ALARM_THRESHOLDS, pipelineAlarmRows } from "../../components/rate-limiter-pipeline";
import {
  lambdaAssumeRolePolicy,
  pipelineKeyStatements,
  pipelineRolePolicy,
  queuePolicyDocument,
} from "../../components/rate-limiter-pipeline-policies";
import { auditKeyStatements } from "../../stacks/program";

// The components' policy documents and alarm tables are pure: checked here without any resource.

const scope = { accountId: "111122223333", region: "eu-west-1" };
type Doc = { Statement: Record<string, unknown>[] };
const sids = (doc: Doc) => doc.Statement.map((s) => s["Sid"]);

describe("RateLimiterPipeline policies (pure)", () => {
  it("key: CloudWatch Logs for the function's log group only; senders only via SQS", () => {
    const [logs, senders] = pipelineKeyStatements(scope, "/aws/lambda/p", ["arn:aws:iam::111122223333:role/app"]);
    expect(logs).to.deep.include({ Principal: { Service: "logs.eu-west-1.amazonaws.com" } });
    expect(logs?.["Condition"]).to.deep.equal({
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/p",
      },
    });
    expect(senders?.["Condition"]).to.deep.equal({ StringEquals: { "kms:ViaService": "sqs.eu-west-1.amazonaws.com" } });
    expect(pipelineKeyStatements(scope, "/aws/lambda/p", [])).to.have.length(1);
  });

  it("queue policy: TLS only, senders only when named", () => {
    expect(sids(JSON.parse(queuePolicyDocument("arn:q", [])))).to.deep.equal(["DenyInsecureTransport"]);
    const doc = JSON.parse(queuePolicyDocument("arn:q", ["arn:r"])) as Doc;
    expect(sids(doc)).to.deep.equal(["DenyInsecureTransport", "AllowSenders"]);
    expect(doc.Statement[1]).to.deep.include({ Principal: { AWS: ["arn:r"] }, Resource: "arn:q" });
  });

  it("trust policy: Lambda for this account only", () => {
    const [s] = (JSON.parse(lambdaAssumeRolePolicy("111122223333")) as Doc).Statement;
    expect(s).to.deep.include({ Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });
    expect(s?.["Condition"]).to.deep.equal({ StringEquals: { "aws:SourceAccount": "111122223333" } });
  });

  it("role policy: one decrypt statement per foreign secret key, via Secrets Manager; none for the pipeline key", () => {
    const doc = JSON.parse(
      pipelineRolePolicy({
        queueArn: "arn:q",
        dlqArn: "arn:d",
        keyArn: "arn:k",
        logGroupArn: "arn:lg",
        onlyfansSecretArn: "arn:of",
        redisSecretArn: "arn:rs",
        secretKeyArns: ["arn:k", "arn:rk", "arn:rk"],
        region: "eu-west-1",
      }),
    ) as Doc;
    expect(sids(doc)).to.deep.equal([
      "ConsumeAndRequeue",
      "SendPoisonToDlq",
      "QueueKey",
      "ReadSecrets",
      "SecretKey0",
      "WriteOwnLogs",
      "Tracing",
      "VpcNetworkInterfaces",
    ]);
    expect(doc.Statement[3]?.["Resource"]).to.deep.equal(["arn:of", "arn:rs"]);
    expect(doc.Statement[4]).to.deep.include({ Resource: "arn:rk", Action: "kms:Decrypt" });
    expect(doc.Statement[5]?.["Resource"]).to.equal("arn:lg:*");
  });

  it("alarm table: the seed's six alarms with their thresholds, the error rate as metric math", () => {
    const rows = pipelineAlarmRows(DEFAULT_ALARM_THRESHOLDS, {
      namePrefix: "p",
      queueName: "p-queue",
      dlqName: "p-dlq",
      functionName: "p",
      lambdaTimeoutSeconds: 30,
    });
    expect(rows.map((r) => [r.key, r.threshold])).to.deep.equal([
      ["oldest-message-age", 300],
      ["visible-messages", 1000],
      ["dlq-depth", 10],
      ["error-rate", 5],
      ["duration", 10_000],
      ["throttles", 0],
    ]);
    const errorRate = rows[3] as { metricQueries: { id: string; expression?: string }[] };
    expect(errorRate.metricQueries.map((q) => q.id)).to.deep.equal(["errors", "invocations", "errorRate"]);
  });
});

describe("EncryptedRedis policies (pure)", () => {
  it("key: the account administers without cryptographic actions; data use only via ElastiCache and Secrets Manager", () => {
    const doc = JSON.parse(keyPolicy(scope, redisKeyStatements(scope), redisKeyAdministration(scope))) as Doc;
    expect(sids(doc)).to.deep.equal(["AccountAdministration", "UseThroughElastiCacheAndSecretsManager"]);
    const admin = doc.Statement[0]?.["Action"] as string[];
    expect(admin).to.not.include("kms:*");
    expect(admin.filter((a) => /Decrypt|Encrypt|GenerateDataKey/.test(a))).to.deep.equal([]);
    expect(doc.Statement[1]?.["Condition"]).to.deep.equal({
      StringEquals: {
        "kms:ViaService": ["elasticache.eu-west-1.amazonaws.com", "secretsmanager.eu-west-1.amazonaws.com"],
      },
    });
  });

  it("alarm table: six alarms per node with the defaults and missing-data treatment", () => {
    const rows = redisNodeAlarmRows(DEFAULT_REDIS_ALARM_THRESHOLDS, pulumi.output("g-001"));
    expect(rows.map((r) => [r.key, r.metricName, r.threshold, r.treatMissingData])).to.deep.equal([
      ["cpu", "CPUUtilization", 70, "missing"],
      ["engine-cpu", "EngineCPUUtilization", 80, "missing"],
      ["memory", "DatabaseMemoryUsagePercentage", 80, "missing"],
      ["evictions", "Evictions", 0, "notBreaching"],
      ["replication-lag", "ReplicationLag", 1, "notBreaching"],
      ["connections", "CurrConnections", 1000, "missing"],
    ]);
  });
});

describe("AlertTopics, HardenedBucket and the audit key policies (pure)", () => {
  it("alert key: the publishing services and EventBridge, each by the topics' encryption context (no source key they do not send)", () => {
    const [s, events] = alertKeyStatements(scope, "huntaze-test");
    if (s === undefined) throw new Error("no AlertPublishers statement");
    expect(s).to.deep.include({ Sid: "AlertPublishers", Action: ["kms:Decrypt", "kms:GenerateDataKey*"] });
    expect((s["Principal"] as { Service: string[] }).Service).to.have.members(
      ALERT_PUBLISHERS.filter((p) => p !== "events.amazonaws.com"),
    );
    const topics = ["ops", "security", "cost"].map(
      (k) => `arn:aws:sns:${scope.region}:111122223333:huntaze-test-${k}-alerts`,
    );
    // CloudWatch, Budgets and Cost Anomaly Detection send no aws:SourceAccount on their KMS calls
    // for SNS (no AWS page shows it): a condition on it would drop every alarm at the key.
    expect(s["Condition"]).to.deep.equal({ StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": topics } });
    expect(JSON.stringify(s)).to.not.match(/aws:Source(Account|Arn)/);
    expect(events).to.deep.include({ Sid: "EventBridgePublishers", Principal: { Service: "events.amazonaws.com" } });
    expect(events?.["Condition"]).to.deep.equal({
      StringEquals: {
        "kms:EncryptionContext:aws:sns:topicArn": ["ops", "security", "cost"].map(
          (k) => `arn:aws:sns:${scope.region}:111122223333:huntaze-test-${k}-alerts`,
        ),
      },
    });
  });

  it("alert topic policy: the account publishes and subscribes, the services publish for it", () => {
    const doc = JSON.parse(alertTopicPolicy("arn:topic", "111122223333")) as Doc;
    expect(sids(doc)).to.deep.equal(["AccountPublish", "AlertPublishers"]);
    expect(doc.Statement[0]).to.deep.include({ Principal: { AWS: "arn:aws:iam::111122223333:root" } });
    expect(doc.Statement[1]).to.deep.include({ Action: "SNS:Publish", Resource: "arn:topic" });
  });

  it("bucket policy: TLS only first, log delivery only when accepted, then the caller's statements", () => {
    expect(sids(JSON.parse(bucketPolicyDocument("arn:b", {})))).to.deep.equal(["DenyInsecureTransport"]);
    const doc = JSON.parse(
      bucketPolicyDocument("arn:b", { acceptAccessLogsFrom: "111122223333", extra: [{ Sid: "Trail" }] }),
    ) as Doc;
    expect(sids(doc)).to.deep.equal(["DenyInsecureTransport", "AllowServerAccessLogDelivery", "Trail"]);
    expect(doc.Statement[0]?.["Resource"]).to.deep.equal(["arn:b", "arn:b/*"]);
    expect(doc.Statement[1]?.["Condition"]).to.deep.equal({ StringEquals: { "aws:SourceAccount": "111122223333" } });
  });

  it("bucket lifecycle: aborts uploads and expires old versions by default; tiers and expires when asked", () => {
    const ids = (args: Parameters<typeof resolveBucketArgs>[1]) =>
      lifecycleRules(resolveBucketArgs("b", args)).map((r) => r.id);
    expect(ids({})).to.deep.equal(["abort-incomplete-multipart-uploads", "expire-noncurrent-versions"]);
    expect(ids({ versioning: false, intelligentTieringAfterDays: 30, expirationDays: 365 })).to.deep.equal([
      "abort-incomplete-multipart-uploads",
      "intelligent-tiering",
      "expire-current-objects",
    ]);
    expect(() => resolveBucketArgs("b", { intelligentTieringAfterDays: 30, expirationDays: 10 })).to.throw(
      "expirationDays: expected more days than intelligentTieringAfterDays (0 when not set), got 10",
    );
  });

  it("audit key: S3 may use it for this account's buckets only", () => {
    const doc = JSON.parse(keyPolicy(scope, auditKeyStatements(scope))) as Doc;
    expect(sids(doc)).to.deep.equal(["AccountAdministration", "S3BucketEncryption"]);
    expect(doc.Statement[1]).to.deep.include({ Principal: { Service: "s3.amazonaws.com" } });
  });
});
