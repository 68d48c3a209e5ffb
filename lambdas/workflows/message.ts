// What a producer sends to the hybrid workflows FIFO queue (seed 002 "SQS:
// huntaze-hybrid-workflows.fifo"). The queue has content-based deduplication off: the producer's
// deduplication id is the workflow step, so a re-sent step is dropped within SQS's 5-minute window
// while two steps with equal bodies are both delivered; the message group is the workflow, so its
// steps stay in order while different workflows run in parallel. Pure: no I/O.

import type { SendMessageCommandInput } from "@aws-sdk/client-sqs";

// Seed 002.
/** Agents that run workflow steps. */
export const WORKFLOW_AGENTS = ["content", "chatbot", "marketing"] as const;
export type WorkflowAgent = (typeof WORKFLOW_AGENTS)[number];

export interface WorkflowStep {
  readonly workflowId: string;
  /** The step's number in its workflow, from 0. */
  readonly step: number;
  readonly agentType: WorkflowAgent;
  /** 1 (lowest) to 10. */
  readonly priority: number;
  readonly userId: string;
  readonly campaignId?: string;
  readonly data?: Record<string, unknown>;
  readonly metadata?: Record<string, unknown>;
}

/** A step that cannot be sent: every problem named (field, allowed, value given). */
export class WorkflowInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid workflow step: ${problems.join("; ")}`);
    this.name = "WorkflowInputError";
  }
}

// MessageGroupId allows 128 characters; the deduplication id adds "#<step>" (up to 11 more).
const ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : String(v));

/** The SendMessage input of one workflow step. */
export function workflowSendInput(queueUrl: string, s: WorkflowStep): SendMessageCommandInput {
  const p: string[] = [];
  const i = (s ?? {}) as Partial<Record<keyof WorkflowStep, unknown>>;
  if (!/\.fifo$/.test(queueUrl)) p.push(`queueUrl must be a FIFO queue URL (ending in .fifo), got ${show(queueUrl)}`);
  if (typeof i.workflowId !== "string" || !ID.test(i.workflowId))
    p.push(`workflowId must be 1–100 letters, digits or _.:- , got ${show(i.workflowId)}`);
  if (typeof i.step !== "number" || !Number.isSafeInteger(i.step) || i.step < 0 || i.step > 9_999_999_999)
    p.push(`step must be an integer from 0, got ${show(i.step)}`);
  if (!(WORKFLOW_AGENTS as readonly unknown[]).includes(i.agentType))
    p.push(`agentType must be one of ${WORKFLOW_AGENTS.join(", ")}, got ${show(i.agentType)}`);
  if (typeof i.priority !== "number" || !Number.isInteger(i.priority) || i.priority < 1 || i.priority > 10)
    p.push(`priority must be an integer from 1 to 10, got ${show(i.priority)}`);
  if (typeof i.userId !== "string" || i.userId.length === 0)
    p.push(`userId must be a non-empty string, got ${show(i.userId)}`);
  const body = JSON.stringify({
    workflowId: i.workflowId,
    userId: i.userId,
    ...(i.campaignId !== undefined ? { campaignId: i.campaignId } : {}),
    data: i.data ?? {},
    metadata: i.metadata ?? {},
  });
  // SQS's limit is 256 KiB per message, attributes included.
  if (Buffer.byteLength(body) > 250_000)
    p.push(`the message body must be at most 250000 bytes, got ${Buffer.byteLength(body)}`);
  if (p.length > 0) throw new WorkflowInputError(p);
  const workflowId = i.workflowId as string;
  return {
    QueueUrl: queueUrl,
    MessageBody: body,
    MessageGroupId: workflowId,
    MessageDeduplicationId: `${workflowId}#${i.step}`,
    MessageAttributes: {
      workflowId: { DataType: "String", StringValue: workflowId },
      step: { DataType: "Number", StringValue: String(i.step) },
      agentType: { DataType: "String", StringValue: String(i.agentType) },
      priority: { DataType: "Number", StringValue: String(i.priority) },
    },
  };
}
