import { expect } from "chai";
import { describe, it } from "mocha";
import { parseStackConfig } from "../../stacks/config";
import { buildStack } from "../../stacks/program";
import { readStackFile } from "../../tools/engine/stack-file";
import { inputsOf, jsonInput, ofType, one, record } from "../support/pulumi-harness";

async function build(stack: string) {
  const file = readStackFile(stack);
  const config = parseStackConfig(file.config, file.secretKeys);
  return record(() => buildStack(config), { stack, config: file.config, secretKeys: file.secretKeys });
}

describe("stack program: budget, alert topics, audit logs, account baseline", () => {
  it("budgets $500 a month for production, alerting the cost topic at 80 % forecast and 100 % actual", async () => {
    const run = await build("production");
    const budget = inputsOf(one(run, "aws:budgets/budget:Budget", "account-budget"));
    expect(budget).to.deep.include({
      budgetType: "COST",
      limitAmount: "500.00",
      limitUnit: "USD",
      timeUnit: "MONTHLY",
    });
    const costTopic = one(run, "aws:sns/topic:Topic", "alerts-cost").outputs.arn;
    const notifications = budget.notifications as Record<string, unknown>[];
    expect(
      notifications.map((n) => [n.notificationType, n.threshold, n.thresholdType, n.subscriberSnsTopicArns]),
    ).to.deep.equal([
      ["FORECASTED", 80, "PERCENTAGE", [costTopic]],
      ["ACTUAL", 100, "PERCENTAGE", [costTopic]],
    ]);
  });

  it("encrypts the alert topics with a rotating key that the publishing services may use, and subscribes the emails", async () => {
    const run = await build("production");
    const key = one(run, "aws:kms/key:Key", "alerts-key");
    expect(inputsOf(key).enableKeyRotation).to.equal(true);
    const statements = (jsonInput(key, "policy") as { Statement: { Sid: string; Principal: { Service?: string[] } }[] })
      .Statement;
    expect(statements.find((s) => s.Sid === "AlertPublishers")?.Principal.Service).to.include.members([
      "cloudwatch.amazonaws.com",
      "budgets.amazonaws.com",
    ]);
    for (const topic of ofType(run, "aws:sns/topic:Topic"))
      expect(inputsOf(topic).kmsMasterKeyId).to.equal(key.outputs.arn);
    const emails = ofType(run, "aws:sns/topicSubscription:TopicSubscription").map((s) => inputsOf(s));
    expect(emails.map((e) => e.protocol)).to.deep.equal(["email", "email", "email"]);
    expect(emails.map((e) => e.endpoint)).to.include("finops@huntaze.com");
  });

  it("keeps audit logs in a KMS-encrypted hardened bucket whose access logs go to a second bucket", async () => {
    const run = await build("production");
    const auditKey = one(run, "aws:kms/key:Key", "audit-logs-key");
    expect(inputsOf(auditKey)).to.deep.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect((jsonInput(auditKey, "policy") as { Statement: unknown[] }).Statement).to.have.length(2);
    const sse = inputsOf(
      one(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "audit-logs"),
    ).rules as {
      applyServerSideEncryptionByDefault: { kmsMasterKeyId: string };
    }[];
    expect(sse[0]?.applyServerSideEncryptionByDefault.kmsMasterKeyId).to.equal(auditKey.outputs.arn);
    expect(inputsOf(one(run, "aws:s3/bucketLogging:BucketLogging", "audit-logs")).targetBucket).to.equal(
      one(run, "aws:s3/bucket:Bucket", "access-logs").id,
    );
    expect(run.outputs.auditLogBucketName).to.equal(one(run, "aws:s3/bucket:Bucket", "audit-logs").outputs.bucket);
  });

  it("blocks public S3 access account-wide in production only (the stacks share an account)", async () => {
    const [production, staging] = [await build("production"), await build("staging")];
    expect(inputsOf(one(production, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"))).to.deep.equal({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(ofType(staging, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock")).to.deep.equal([]);
  });
});
