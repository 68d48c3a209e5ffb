import { expect } from "chai";
import { WorkflowQueue } from "../../components/workflow-queue";
import { argsErrorOf } from "../support/args-error";

// WorkflowQueue used from another project (plain JavaScript, or `as never`): named errors, not
// TypeErrors or a queue named "undefined.fifo"; its behaviour is tested in cost-tracking.test.ts.

const TOPIC = "arn:aws:sns:us-east-1:317805897534:huntaze-ops-alerts";
const MISSING = "nothing (the key is missing)";

describe("WorkflowQueue from another project", () => {
  it("no queueName: an ArgsError naming it (was a queue named undefined.fifo), before any child", async () => {
    const { error, resources } = await argsErrorOf(
      () => new WorkflowQueue("workflows", { alarmTopicArn: TOPIC } as never),
    );
    expect(error.message).to.equal(
      [
        'WorkflowQueue "workflows": invalid arguments (1 problem):',
        `  - queueName: expected a FIFO queue name without ".fifo" (1–71 letters, digits, "-" or "_"), got ${MISSING}`,
      ].join("\n"),
    );
    expect(resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack", "huntaze:messaging:WorkflowQueue"]);
  });

  it("no args at all: every required field named", async () => {
    const { error } = await argsErrorOf(() => new WorkflowQueue("workflows", undefined as never));
    expect(error.problems.map((p) => [p.key, p.got])).to.deep.equal([
      ["queueName", MISSING],
      ["alarmTopicArn", MISSING],
    ]);
    expect(error.problems[1]?.allowed).to.equal("an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)");
  });

  it("wrong values: each named with what is allowed and what was given", async () => {
    const { error, resources } = await argsErrorOf(
      () =>
        new WorkflowQueue("workflows", {
          queueName: "Workflows Queue",
          alarmTopicArn: TOPIC,
          visibilityTimeoutSeconds: "soon",
          maxReceiveCount: 0,
          producerRoleArns: "arn:aws:iam::317805897534:role/app",
          alarmThresholds: { oldestMessageAgeSeconds: -1 },
        } as never),
    );
    expect(error.problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`)).to.deep.equal([
      'queueName: expected a FIFO queue name without ".fifo" (1–71 letters, digits, "-" or "_"), got "Workflows Queue"',
      'visibilityTimeoutSeconds: expected an integer from 0 to 43200, got "soon"',
      "maxReceiveCount: expected an integer from 1 to 1000, got 0",
      'producerRoleArns: expected a list, each an IAM role ARN (arn:aws:iam::<account>:role/<name>), got "arn:aws:iam::317805897534:role/app"',
      "alarmThresholds.oldestMessageAgeSeconds: expected a number ≥ 0 and ≤ 1209600, got -1",
    ]);
    expect(resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack", "huntaze:messaging:WorkflowQueue"]);
  });
});
