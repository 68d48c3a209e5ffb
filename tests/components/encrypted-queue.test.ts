import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
  DEFAULT_QUEUE_ALARM_THRESHOLDS,
  EncryptedQueue,
  type EncryptedQueueArgs,
  encryptedQueuePolicyDocument,
  queueAlarmRows,
} from "../../components/encrypted-queue";
import type { PlainObject } from "../../tools/engine/secrets";
import { argsErrorOf } from "../support/args-error";
import { inputsOf, jsonInput, ofType, one, record } from "../support/pulumi-harness";

// EncryptedQueue: the queue both RateLimiterPipeline and WorkflowQueue are built on. A construct
// whose children take the caller's parent and name (their URNs are the components' own).

const TOPIC = "arn:aws:sns:us-east-1:317805897534:huntaze-ops-alerts";
const KEY = "arn:aws:kms:us-east-1:317805897534:key/11111111-2222-3333-4444-555555555555";
const ROLE = "arn:aws:iam::317805897534:role/huntaze-app-task";

class Owner extends pulumi.ComponentResource {
  constructor(build: (self: Owner) => void) {
    super("test:index:Owner", "owner", {}, {});
    build(this);
  }
}

const build = (args: Partial<EncryptedQueueArgs> = {}) =>
  record(() => {
    new Owner(
      (self) =>
        new EncryptedQueue(
          "q",
          { queueName: "orders", alarmTopicArn: TOPIC, visibilityTimeoutSeconds: 60, ...args },
          { parent: self },
        ),
    );
  });

describe("EncryptedQueue", () => {
  it("creates its children under the caller, named after the caller's name (the components' URNs)", async () => {
    const run = await build();
    const owner = one(run, "test:index:Owner");
    const children = run.resources.filter((r) => r.parent === owner.urn);
    expect(children.map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal(
      [
        "aws:cloudwatch/metricAlarm:MetricAlarm q-dlq-depth",
        "aws:cloudwatch/metricAlarm:MetricAlarm q-oldest-message-age",
        "aws:cloudwatch/metricAlarm:MetricAlarm q-visible-messages",
        "aws:kms/alias:Alias q-key-alias",
        "aws:kms/key:Key q-key",
        "aws:sqs/queue:Queue q-dlq",
        "aws:sqs/queue:Queue q-queue",
        "aws:sqs/queuePolicy:QueuePolicy q-dlq-policy",
        "aws:sqs/queuePolicy:QueuePolicy q-queue-policy",
        "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy q-dlq-redrive-allow",
      ].sort(),
    );
    expect(run.resources.filter((r) => r.type.includes("EncryptedQueue"))).to.deep.equal([]);
  });

  it("standard: the queue long-polls, redrives to its DLQ after 5 receives; both under the created key", async () => {
    const run = await build();
    const key = one(run, "aws:kms/key:Key");
    const queue = one(run, "aws:sqs/queue:Queue", "q-queue");
    const dlq = one(run, "aws:sqs/queue:Queue", "q-dlq");
    expect(inputsOf(queue)).to.deep.include({
      name: "orders",
      receiveWaitTimeSeconds: 20,
      visibilityTimeoutSeconds: 60,
      messageRetentionSeconds: 345_600,
      kmsMasterKeyId: key.outputs.arn,
      kmsDataKeyReusePeriodSeconds: 300,
    });
    expect(inputsOf(queue).fifoQueue ?? null).to.equal(null);
    expect(jsonInput(queue, "redrivePolicy")).to.deep.equal({
      deadLetterTargetArn: dlq.outputs.arn,
      maxReceiveCount: 5,
    });
    expect(inputsOf(dlq)).to.deep.include({
      name: "orders-dlq",
      messageRetentionSeconds: 1_209_600,
      kmsMasterKeyId: key.outputs.arn,
    });
    expect(inputsOf(key)).to.deep.include({ description: "Encrypts the orders queues", enableKeyRotation: true });
    expect(inputsOf(one(run, "aws:kms/alias:Alias")).name).to.equal("alias/orders");
    expect(jsonInput(one(run, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy"), "redriveAllowPolicy")).to.deep.equal({
      redrivePermission: "byQueue",
      sourceQueueArns: [queue.outputs.arn],
    });
  });

  it("FIFO: .fifo added to both names, high-throughput settings on both queues", async () => {
    const run = await build({ fifo: true });
    const fifo = {
      fifoQueue: true,
      contentBasedDeduplication: false,
      deduplicationScope: "messageGroup",
      fifoThroughputLimit: "perMessageGroupId",
    };
    expect(inputsOf(one(run, "aws:sqs/queue:Queue", "q-queue"))).to.deep.include({ ...fifo, name: "orders.fifo" });
    expect(inputsOf(one(run, "aws:sqs/queue:Queue", "q-dlq"))).to.deep.include({ ...fifo, name: "orders-dlq.fifo" });
    expect(inputsOf(one(run, "aws:kms/key:Key")).description).to.equal("Encrypts the orders FIFO queues");
  });

  it("uses a given key, creating none", async () => {
    const run = await build({ kmsKeyArn: KEY });
    expect(ofType(run, "aws:kms/key:Key")).to.have.length(0);
    for (const q of ofType(run, "aws:sqs/queue:Queue")) expect(inputsOf(q).kmsMasterKeyId).to.equal(KEY);
  });

  it("denies plain HTTP on both queues; lets the roles in on the queue only, with the caller's statement", async () => {
    const run = await build({ roleArns: [ROLE], access: { sid: "AllowOrders", actions: ["sqs:SendMessage"] } });
    const policies = ofType(run, "aws:sqs/queuePolicy:QueuePolicy");
    for (const p of policies)
      expect((jsonInput(p, "policy") as { Statement: PlainObject[] }).Statement[0]).to.deep.include({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Action: "sqs:*",
      });
    const queuePolicy = policies.find((p) => p.name === "q-queue-policy");
    const dlqPolicy = policies.find((p) => p.name === "q-dlq-policy");
    expect((jsonInput(queuePolicy!, "policy") as { Statement: PlainObject[] }).Statement[1]).to.deep.equal({
      Sid: "AllowOrders",
      Effect: "Allow",
      Principal: { AWS: [ROLE] },
      Action: ["sqs:SendMessage"],
      Resource: one(run, "aws:sqs/queue:Queue", "q-queue").outputs.arn,
    });
    expect((jsonInput(dlqPolicy!, "policy") as { Statement: PlainObject[] }).Statement).to.have.length(1);
    expect(
      JSON.parse(encryptedQueuePolicyDocument("arn:q", [], { sid: "S", actions: ["sqs:SendMessage"] })),
    ).to.deep.equal(JSON.parse(encryptedQueuePolicyDocument("arn:q", [])));
  });

  it("alarms: the seed's thresholds by default, named <alarmNamePrefix>-<alarm>, on the queue and the DLQ", async () => {
    const run = await build({ alarmNamePrefix: "orders-prod", alarmThresholds: { dlqMessages: 3 } });
    const alarms = Object.fromEntries(
      ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => [a.name, inputsOf(a)]),
    );
    expect(alarms["q-oldest-message-age"]).to.deep.include({
      name: "orders-prod-oldest-message-age",
      threshold: DEFAULT_QUEUE_ALARM_THRESHOLDS.oldestMessageAgeSeconds,
      period: 300,
      alarmActions: [TOPIC],
    });
    expect(alarms["q-visible-messages"]?.threshold).to.equal(1000);
    expect(alarms["q-dlq-depth"]).to.deep.include({ threshold: 3, period: 60 });
    expect((alarms["q-dlq-depth"]?.dimensions as PlainObject | undefined)?.QueueName).to.equal("orders-dlq");
    const rows = queueAlarmRows(
      { ...DEFAULT_QUEUE_ALARM_THRESHOLDS },
      { queueName: "a", dlqName: "b" },
      { oldestMessageAge: "1", visibleMessages: "2", dlqDepth: "3" },
    );
    expect(rows.map((r) => [r.key, r.metricName, r.threshold, r.description])).to.deep.equal([
      ["oldest-message-age", "ApproximateAgeOfOldestMessage", 300, "1"],
      ["visible-messages", "ApproximateNumberOfMessagesVisible", 1000, "2"],
      ["dlq-depth", "ApproximateNumberOfMessagesVisible", 10, "3"],
    ]);
  });

  describe("from another project: named errors, before any child", () => {
    it("no args: names every required field with what it allows", async () => {
      const { error, resources } = await argsErrorOf(
        () => new Owner((self) => new EncryptedQueue("q", {} as never, { parent: self })),
      );
      expect(error.problems).to.deep.equal([
        {
          key: "queueName",
          allowed: 'a standard queue name (1–80 letters, digits, "-" or "_")',
          got: "nothing (the key is missing)",
        },
        {
          key: "alarmTopicArn",
          allowed: "an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)",
          got: "nothing (the key is missing)",
        },
        { key: "visibilityTimeoutSeconds", allowed: "an integer from 0 to 43200", got: "nothing (the key is missing)" },
      ]);
      expect(resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack", "test:index:Owner"]);
    });

    it("wrong values: each named with allowed and given, the name's length with .fifo and -dlq", async () => {
      const { error, resources } = await argsErrorOf(
        () =>
          new Owner(
            (self) =>
              new EncryptedQueue(
                "q",
                {
                  queueName: "x".repeat(72),
                  fifo: true,
                  alarmTopicArn: "topic",
                  visibilityTimeoutSeconds: 50_000,
                  messageRetentionSeconds: 600,
                  dlqMessageRetentionSeconds: 300,
                  kmsKeyArn: "alias/mine",
                  roleArns: ["role"],
                } as never,
                { parent: self },
              ),
          ),
      );
      expect(error.problems.map((p) => `${p.key}: ${p.allowed}, got ${p.got}`)).to.deep.equal([
        'alarmTopicArn: an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got "topic"',
        "visibilityTimeoutSeconds: an integer from 0 to 43200, got 50000",
        'kmsKeyArn: a KMS key ARN (arn:aws:kms:<region>:<account>:key/<uuid or mrk-…>), got "alias/mine"',
        'roleArns: a list, each an IAM role ARN (arn:aws:iam::<account>:role/<name>), got ["role"]',
        `queueName: a name whose queue and DLQ names (${"x".repeat(72)}.fifo, ${"x".repeat(72)}-dlq.fifo) are at most 80 characters, got "${"x".repeat(72)}"`,
        "dlqMessageRetentionSeconds: an integer from messageRetentionSeconds (600) to 1209600, got 300",
      ]);
      expect(resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack", "test:index:Owner"]);
    });
  });
});

describe("EncryptedQueue tags", () => {
  it("accepts Output tag values (the args type allows them) and refuses a value that is not a string", async () => {
    const run = await build({ tags: { Team: "payments", Owner: pulumi.output("ops") } });
    expect(inputsOf(one(run, "aws:sqs/queue:Queue", "q-queue")).tags).to.deep.equal({ Team: "payments", Owner: "ops" });
    const { error } = await argsErrorOf(
      () =>
        new Owner(
          (self) =>
            new EncryptedQueue(
              "q",
              { queueName: "orders", alarmTopicArn: TOPIC, visibilityTimeoutSeconds: 60, tags: { Team: 5 } } as never,
              { parent: self },
            ),
        ),
    );
    expect(error.problems.map((p) => p.key)).to.deep.equal(["tags"]);
  });
});
