import { expect } from "chai";
import { describe, it } from "mocha";
import { type AlarmRow, alarmArgs, alarmFromRow } from "../../components/alarms";
import { createComponentKey, keyPolicy } from "../../components/kms-key";
import { inputsOf, jsonInput, ofType, one, record, testAccount } from "../support/pulumi-harness";

const row: AlarmRow = {
  key: "cpu",
  description: "CPU above 70 % for 5 minutes",
  namespace: "AWS/ECS",
  metricName: "CPUUtilization",
  dimensions: { ClusterName: "c", ServiceName: "s" },
  statistic: "Average",
  periodSeconds: 300,
  comparison: "GreaterThanThreshold",
  threshold: 70,
};

describe("components/kms-key", () => {
  it("keyPolicy puts the account administration first, then the given statements", () => {
    const doc = JSON.parse(keyPolicy(testAccount, [{ Sid: "Logs", Effect: "Allow" }]));
    expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).to.deep.equal(["AccountAdministration", "Logs"]);
    expect(doc.Statement[0].Principal).to.deep.equal({ AWS: `arn:aws:iam::${testAccount.accountId}:root` });
  });

  it("creates a rotating key with a 30-day window, an explicit policy and an optional alias", async () => {
    const run = await record(() =>
      createComponentKey(
        "k",
        {
          description: "test",
          alias: "huntaze-test-k",
          statements: ({ region }) => [
            { Sid: "Svc", Effect: "Allow", Principal: { Service: `logs.${region}.amazonaws.com` } },
          ],
        },
        {},
      ),
    );
    const key = inputsOf(one(run, "aws:kms/key:Key"));
    expect(key.enableKeyRotation).to.equal(true);
    expect(key.deletionWindowInDays).to.equal(30);
    const policy = jsonInput(one(run, "aws:kms/key:Key"), "policy") as {
      Statement: { Sid: string; Principal: unknown }[];
    };
    expect(policy.Statement[1]).to.deep.include({ Sid: "Svc", Principal: { Service: "logs.us-east-1.amazonaws.com" } });
    expect(inputsOf(one(run, "aws:kms/alias:Alias")).name).to.equal("alias/huntaze-test-k");
  });

  it("creates no alias unless asked", async () => {
    const run = await record(() => createComponentKey("k", { description: "test" }, {}));
    expect(ofType(run, "aws:kms/alias:Alias")).to.have.length(0);
  });
});

describe("components/alarms", () => {
  it("alarmArgs maps a row to the alarm's inputs, notifying the topic on ALARM and OK", async () => {
    const run = await record(() =>
      alarmFromRow({ name: "svc", namePrefix: "huntaze-production-svc", topicArn: "arn:topic" }, row, {}),
    );
    const alarm = inputsOf(one(run, "aws:cloudwatch/metricAlarm:MetricAlarm"));
    expect(alarm).to.deep.include({
      name: "huntaze-production-svc-cpu",
      namespace: "AWS/ECS",
      metricName: "CPUUtilization",
      statistic: "Average",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 70,
      treatMissingData: "notBreaching",
      alarmActions: ["arn:topic"],
      okActions: ["arn:topic"],
    });
  });

  it("keeps a row's evaluation periods and missing-data treatment", () => {
    const args = alarmArgs(
      { name: "n", namePrefix: "p", topicArn: "t" },
      { ...row, evaluationPeriods: 3, treatMissingData: "breaching" },
    );
    expect(args.evaluationPeriods).to.equal(3);
    expect(args.treatMissingData).to.equal("breaching");
  });
});
