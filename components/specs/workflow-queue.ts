import * as v from "valibot";
import { args, text } from "../spec";
import { dlqRetentionRule, encryptedQueueFields as q, queueAlarmThresholdFields } from "./encrypted-queue";

// WorkflowQueue's args as data. The queue fields, their SQS limits and shared defaults are
// EncryptedQueue's (specs/encrypted-queue.ts); what is the workflow queue's own is here.

/**
 * The name without ".fifo": the construct adds ".fifo" to the queue and "-dlq.fifo" to the DLQ, so
 * 71 characters keep both within SQS's 80 (CreateQueue, Amazon SQS API Reference).
 */
export const WORKFLOW_QUEUE_NAME = /^[A-Za-z0-9_-]{1,71}$/;

export const workflowQueueFields = {
  queueName: text(WORKFLOW_QUEUE_NAME, 'a FIFO queue name without ".fifo" (1–71 letters, digits, "-" or "_")'),
  alarmTopicArn: q.alarmTopicArn,
  /** A consumer owns a received workflow step for 5 minutes. */
  visibilityTimeoutSeconds: v.optional(q.visibilityTimeoutSeconds, 300),
  messageRetentionSeconds: q.messageRetentionSeconds,
  dlqMessageRetentionSeconds: q.dlqMessageRetentionSeconds,
  maxReceiveCount: q.maxReceiveCount,
  producerRoleArns: q.roleArns,
  kmsKeyArn: q.kmsKeyArn,
  alarmThresholds: q.alarmThresholds,
  tags: q.tags,
};

/** The alarm thresholds' fields (the stack section reads `alarms` against them). */
export const workflowAlarmThresholdFields = queueAlarmThresholdFields;

const base = args(workflowQueueFields);

/** WorkflowQueue's args. */
export const WorkflowQueueSpec = v.pipe(base, dlqRetentionRule<v.InferOutput<typeof base>>());
