import { expect } from "chai";
import { describe, it } from "mocha";
import { WorkflowInputError, type WorkflowStep, workflowSendInput } from "../../../lambdas/workflows/message";

const URL = "https://sqs.us-east-1.amazonaws.com/317805897534/huntaze-hybrid-workflows-production.fifo";
const step = (over: Partial<WorkflowStep> = {}): WorkflowStep => ({
  workflowId: "wf-123",
  step: 2,
  agentType: "content",
  priority: 5,
  userId: "user-456",
  campaignId: "camp-789",
  data: { prompt: "hello" },
  ...over,
});

describe("workflow queue messages (producer side)", () => {
  it("groups by workflow and deduplicates by step, with the seed's attributes and body", () => {
    const input = workflowSendInput(URL, step());
    expect(input).to.deep.include({ QueueUrl: URL, MessageGroupId: "wf-123", MessageDeduplicationId: "wf-123#2" });
    expect(input.MessageAttributes).to.deep.equal({
      workflowId: { DataType: "String", StringValue: "wf-123" },
      step: { DataType: "Number", StringValue: "2" },
      agentType: { DataType: "String", StringValue: "content" },
      priority: { DataType: "Number", StringValue: "5" },
    });
    expect(JSON.parse(input.MessageBody!)).to.deep.equal({
      workflowId: "wf-123",
      userId: "user-456",
      campaignId: "camp-789",
      data: { prompt: "hello" },
      metadata: {},
    });
    // Same body, another step: another deduplication id (content-based dedup would drop it).
    const next = workflowSendInput(URL, step({ step: 3 }));
    expect(next.MessageBody).to.equal(input.MessageBody);
    expect(next.MessageDeduplicationId).to.not.equal(input.MessageDeduplicationId);
  });

  it("names every problem of a bad step", () => {
    let error: unknown;
    try {
      workflowSendInput(
        URL.replace(".fifo", ""),
        step({ workflowId: "wf 1", step: -1, priority: 11, agentType: "sales" as never }),
      );
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(WorkflowInputError);
    expect((error as WorkflowInputError).problems).to.deep.equal([
      `queueUrl must be a FIFO queue URL (ending in .fifo), got "${URL.replace(".fifo", "")}"`,
      'workflowId must be 1–100 letters, digits or _.:- , got "wf 1"',
      "step must be an integer from 0, got -1",
      'agentType must be one of content, chatbot, marketing, got "sales"',
      "priority must be an integer from 1 to 10, got 11",
    ]);
  });
});
