import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmRow } from "./alarms";
import { EncryptedQueue, type EncryptedQueueAlarmThresholds, queueAlarmRows } from "./encrypted-queue";
import { resolveArgs } from "./spec";
import { WorkflowQueueSpec } from "./specs/workflow-queue";

/** @deprecated The defaults are EncryptedQueue's: use DEFAULT_QUEUE_ALARM_THRESHOLDS (kept for the public API). */
export { DEFAULT_QUEUE_ALARM_THRESHOLDS as DEFAULT_WORKFLOW_ALARM_THRESHOLDS } from "./specs/encrypted-queue";
// The stack section reads against these fields through the package's entry point.
export { WorkflowQueueSpec, workflowAlarmThresholdFields, workflowQueueFields } from "./specs/workflow-queue";

// Seed 002 "SQS: huntaze-hybrid-workflows.fifo" / seed 003 §1.1: the hybrid orchestrator's FIFO
// queue and its FIFO DLQ. High-throughput FIFO (deduplication and throughput per message group),
// and content-based deduplication off: the producer sets MessageDeduplicationId to the workflow
// step (`<workflowId>#<step>`) and MessageGroupId to the workflow, so a re-sent step is dropped
// while two steps with the same body are not. The queue itself is an EncryptedQueue.

/** The SQS alarm thresholds; their defaults are EncryptedQueue's. */
export type WorkflowQueueAlarmThresholds = EncryptedQueueAlarmThresholds;

export interface WorkflowQueueArgs {
  /**
   * Physical name: queue `<name>.fifo`, DLQ `<name>-dlq.fifo`, alarms `<name>-…`. Must differ
   * between stacks sharing an account and region (carry the environment).
   */
  readonly queueName: string;
  /** SNS topic every alarm notifies (alarm and OK). */
  readonly alarmTopicArn: pulumi.Input<string>;
  /** How long a consumer owns a received step. */
  readonly visibilityTimeoutSeconds?: number;
  /** Source queue retention, seconds. */
  readonly messageRetentionSeconds?: number;
  /** At least the source queue's (SQS keeps a message's first enqueue time). */
  readonly dlqMessageRetentionSeconds?: number;
  /** Receives before a step moves to the DLQ. */
  readonly maxReceiveCount?: number;
  /** Roles that send and consume: allowed by the queue policy. @default - none (IAM in the account decides) */
  readonly producerRoleArns?: pulumi.Input<string>[];
  /** Customer-managed key for both queues. @default - a key with rotation is created */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Alarm thresholds. @default - DEFAULT_QUEUE_ALARM_THRESHOLDS (EncryptedQueue's), field by field */
  readonly alarmThresholds?: WorkflowQueueAlarmThresholds;
  readonly tags?: Record<string, string>;
}

/** What the producer and consumer roles may do on the queue (and nothing on the DLQ). */
const WORKFLOW_ROLE_ACCESS = {
  sid: "AllowWorkflowRoles",
  actions: [
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
  ],
} as const;

/** The alarms' descriptions, in the workflow's words. */
function workflowAlarmDescriptions(a: Required<WorkflowQueueAlarmThresholds>) {
  return {
    oldestMessageAge: `A workflow step has waited more than ${a.oldestMessageAgeSeconds} s: the orchestrator is not keeping up or a message group is stuck`,
    visibleMessages: `More than ${a.visibleMessages} workflow steps waiting`,
    dlqDepth: `More than ${a.dlqMessages} workflow steps in the DLQ (each failed every allowed receive)`,
  };
}

// Pure: the tests compare it with the design's thresholds.
/** The queue's alarm table. */
export function workflowAlarmRows(
  queueName: pulumi.Input<string>,
  dlqName: pulumi.Input<string>,
  a: Required<WorkflowQueueAlarmThresholds>,
): AlarmRow[] {
  return queueAlarmRows(a, { queueName, dlqName }, workflowAlarmDescriptions(a));
}

/** The hybrid workflows FIFO queue, its FIFO DLQ, their key, policies and alarms. */
export class WorkflowQueue extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly key?: aws.kms.Key;
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly alarms: aws.cloudwatch.MetricAlarm[];
  readonly queueUrl: pulumi.Output<string>;
  readonly dlqUrl: pulumi.Output<string>;

  constructor(name: string, args: WorkflowQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("huntaze:messaging:WorkflowQueue", name, {}, opts);
    const s = resolveArgs("WorkflowQueue", name, WorkflowQueueSpec, args);
    const alarmThresholds = s.alarmThresholds as Required<WorkflowQueueAlarmThresholds>;

    // Children under this component, named as before EncryptedQueue existed (same URNs).
    const q = new EncryptedQueue(
      name,
      {
        queueName: s.queueName,
        fifo: true,
        alarmTopicArn: s.alarmTopicArn,
        visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
        messageRetentionSeconds: s.messageRetentionSeconds,
        dlqMessageRetentionSeconds: s.dlqMessageRetentionSeconds,
        maxReceiveCount: s.maxReceiveCount,
        ...(s.kmsKeyArn !== undefined ? { kmsKeyArn: s.kmsKeyArn } : {}),
        roleArns: s.producerRoleArns,
        access: WORKFLOW_ROLE_ACCESS,
        alarmThresholds,
        alarmDescriptions: workflowAlarmDescriptions(alarmThresholds),
        ...(s.tags !== undefined ? { tags: s.tags } : {}),
      },
      { parent: this },
    );
    this.queue = q.queue;
    this.deadLetterQueue = q.deadLetterQueue;
    if (q.key) this.key = q.key;
    this.kmsKeyArn = q.kmsKeyArn;
    this.alarms = q.alarms;

    this.queueUrl = this.queue.url;
    this.dlqUrl = this.deadLetterQueue.url;
    this.registerOutputs({ queueUrl: this.queueUrl, dlqUrl: this.dlqUrl, kmsKeyArn: this.kmsKeyArn });
  }
}
