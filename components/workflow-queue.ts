import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type AlarmRow, alarmFromRow } from "./alarms";
import { createComponentKey } from "./kms-key";
import { denyInsecureTransport } from "./policy-statements";
import { DEFAULT_ALARM_THRESHOLDS } from "./rate-limiter-pipeline";

// Seed 002 "SQS: huntaze-hybrid-workflows.fifo" / seed 003 §1.1: the hybrid orchestrator's FIFO
// queue and its FIFO DLQ. High-throughput FIFO (deduplication and throughput per message group),
// and content-based deduplication off: the producer sets MessageDeduplicationId to the workflow
// step (`<workflowId>#<step>`) and MessageGroupId to the workflow, so a re-sent step is dropped
// while two steps with the same body are not.

export interface WorkflowQueueAlarmThresholds {
  /** ApproximateAgeOfOldestMessage, 5-minute maximum. @default 300 */
  readonly oldestMessageAgeSeconds?: number;
  /** ApproximateNumberOfMessagesVisible, 5-minute maximum. @default 1000 */
  readonly visibleMessages?: number;
  /** Messages visible in the DLQ, 1-minute maximum. @default 10 */
  readonly dlqMessages?: number;
}

export interface WorkflowQueueArgs {
  /**
   * Physical name: queue `<name>.fifo`, DLQ `<name>-dlq.fifo`, alarms `<name>-…`. Must differ
   * between stacks sharing an account and region (carry the environment).
   */
  readonly queueName: string;
  /** SNS topic every alarm notifies (alarm and OK). */
  readonly alarmTopicArn: pulumi.Input<string>;
  /** How long a consumer owns a received step. @default 300 */
  readonly visibilityTimeoutSeconds?: number;
  /** @default 345600 (4 days) */
  readonly messageRetentionSeconds?: number;
  /** At least the source queue's (SQS keeps a message's first enqueue time). @default 1209600 (14 days) */
  readonly dlqMessageRetentionSeconds?: number;
  /** Receives before a step moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /** Roles that send and consume: allowed by the queue policy. @default - none (IAM in the account decides) */
  readonly producerRoleArns?: pulumi.Input<string>[];
  /** Customer-managed key for both queues. @default - a key with rotation is created */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** @default - the default thresholds (see each field) */
  readonly alarmThresholds?: WorkflowQueueAlarmThresholds;
  readonly tags?: Record<string, string>;
}

// The seed's SQS thresholds (seed 002 "Monitoring & Alerts").
/** The default SQS alarm thresholds, as the rate limiter's queue uses them. */
export const DEFAULT_WORKFLOW_ALARM_THRESHOLDS: Required<WorkflowQueueAlarmThresholds> = {
  oldestMessageAgeSeconds: DEFAULT_ALARM_THRESHOLDS.oldestMessageAgeSeconds,
  visibleMessages: DEFAULT_ALARM_THRESHOLDS.visibleMessages,
  dlqMessages: DEFAULT_ALARM_THRESHOLDS.dlqMessages,
};

interface Resolved {
  visibilityTimeoutSeconds: number;
  messageRetentionSeconds: number;
  dlqMessageRetentionSeconds: number;
  maxReceiveCount: number;
  alarms: Required<WorkflowQueueAlarmThresholds>;
}

const intIn = (v: number, min: number, max: number) => Number.isSafeInteger(v) && v >= min && v <= max;

export function resolveWorkflowQueueArgs(name: string, args: WorkflowQueueArgs): Resolved {
  const defined = Object.fromEntries(Object.entries(args.alarmThresholds ?? {}).filter(([, v]) => v !== undefined));
  const r: Resolved = {
    visibilityTimeoutSeconds: args.visibilityTimeoutSeconds ?? 300,
    messageRetentionSeconds: args.messageRetentionSeconds ?? 345_600,
    dlqMessageRetentionSeconds: args.dlqMessageRetentionSeconds ?? 1_209_600,
    maxReceiveCount: args.maxReceiveCount ?? 5,
    alarms: { ...DEFAULT_WORKFLOW_ALARM_THRESHOLDS, ...defined },
  };
  const rules: { check: boolean; message: string }[] = [
    {
      // 80 characters with ".fifo", and "-dlq" added for the DLQ.
      check: /^[A-Za-z0-9_-]{1,71}$/.test(args.queueName),
      message: `queueName must be 1–71 letters, digits, "-" or "_" without ".fifo" (the component adds it), got "${args.queueName}"`,
    },
    {
      check: intIn(r.visibilityTimeoutSeconds, 0, 43_200),
      message: `visibilityTimeoutSeconds must be an integer from 0 to 43200, got ${r.visibilityTimeoutSeconds}`,
    },
    {
      check: intIn(r.messageRetentionSeconds, 60, 1_209_600),
      message: `messageRetentionSeconds must be an integer from 60 to 1209600, got ${r.messageRetentionSeconds}`,
    },
    {
      check:
        intIn(r.dlqMessageRetentionSeconds, 60, 1_209_600) && r.dlqMessageRetentionSeconds >= r.messageRetentionSeconds,
      message: `dlqMessageRetentionSeconds must be an integer from messageRetentionSeconds (${r.messageRetentionSeconds}) to 1209600, got ${r.dlqMessageRetentionSeconds}`,
    },
    {
      check: intIn(r.maxReceiveCount, 1, 1000),
      message: `maxReceiveCount must be an integer from 1 to 1000, got ${r.maxReceiveCount}`,
    },
    ...Object.entries(r.alarms).map(([key, value]) => ({
      check: Number.isFinite(value) && value >= 0,
      message: `alarmThresholds.${key} must be a number ≥ 0, got ${value}`,
    })),
  ];
  const problems = rules.filter((x) => !x.check).map((x) => x.message);
  if (problems.length > 0) throw new Error(`WorkflowQueue ${name}: ${problems.join("; ")}`);
  return r;
}

// Pure: the tests compare it with the design's thresholds.
/** The queue's alarm table. */
export function workflowAlarmRows(
  queueName: pulumi.Input<string>,
  dlqName: pulumi.Input<string>,
  a: Required<WorkflowQueueAlarmThresholds>,
): AlarmRow[] {
  return [
    {
      key: "oldest-message-age",
      description: `A workflow step has waited more than ${a.oldestMessageAgeSeconds} s: the orchestrator is not keeping up or a message group is stuck`,
      namespace: "AWS/SQS",
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: queueName },
      statistic: "Maximum",
      periodSeconds: 300,
      comparison: "GreaterThanThreshold",
      threshold: a.oldestMessageAgeSeconds,
    },
    {
      key: "visible-messages",
      description: `More than ${a.visibleMessages} workflow steps waiting`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queueName },
      statistic: "Maximum",
      periodSeconds: 300,
      comparison: "GreaterThanThreshold",
      threshold: a.visibleMessages,
    },
    {
      key: "dlq-depth",
      description: `More than ${a.dlqMessages} workflow steps in the DLQ (each failed every allowed receive)`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: dlqName },
      statistic: "Maximum",
      periodSeconds: 60,
      comparison: "GreaterThanThreshold",
      threshold: a.dlqMessages,
    },
  ];
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
    const s = resolveWorkflowQueueArgs(name, args);
    const parent = { parent: this };
    const tags = args.tags;

    if (args.kmsKeyArn === undefined) {
      this.key = createComponentKey(
        `${name}-key`,
        { description: `Encrypts the ${args.queueName} FIFO queues`, alias: args.queueName, tags },
        parent,
      );
    }
    const kmsKeyArn = this.key ? this.key.arn : pulumi.output(args.kmsKeyArn!);
    this.kmsKeyArn = kmsKeyArn;

    const fifo = {
      fifoQueue: true,
      // Producers deduplicate by workflow step; a body hash would drop two equal steps.
      contentBasedDeduplication: false,
      // High-throughput FIFO: both settings per message group.
      deduplicationScope: "messageGroup",
      fifoThroughputLimit: "perMessageGroupId",
      kmsMasterKeyId: kmsKeyArn,
      kmsDataKeyReusePeriodSeconds: 300,
      tags,
    };
    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      { ...fifo, name: `${args.queueName}-dlq.fifo`, messageRetentionSeconds: s.dlqMessageRetentionSeconds },
      parent,
    );
    this.queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        ...fifo,
        name: `${args.queueName}.fifo`,
        receiveWaitTimeSeconds: 20,
        visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
        messageRetentionSeconds: s.messageRetentionSeconds,
        redrivePolicy: this.deadLetterQueue.arn.apply((deadLetterTargetArn) =>
          JSON.stringify({ deadLetterTargetArn, maxReceiveCount: s.maxReceiveCount }),
        ),
      },
      parent,
    );
    new aws.sqs.RedriveAllowPolicy(
      `${name}-dlq-redrive-allow`,
      {
        queueUrl: this.deadLetterQueue.url,
        redriveAllowPolicy: this.queue.arn.apply((arn) =>
          JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn] }),
        ),
      },
      parent,
    );
    const producers = pulumi.output(args.producerRoleArns ?? []);
    for (const [queue, suffix, allow] of [
      [this.queue, "queue", true],
      [this.deadLetterQueue, "dlq", false],
    ] as const) {
      new aws.sqs.QueuePolicy(
        `${name}-${suffix}-policy`,
        {
          queueUrl: queue.url,
          policy: pulumi.all([queue.arn, producers]).apply(([arn, roles]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                denyInsecureTransport("sqs", arn),
                ...(allow && roles.length > 0
                  ? [
                      {
                        Sid: "AllowWorkflowRoles",
                        Effect: "Allow",
                        Principal: { AWS: roles },
                        Action: [
                          "sqs:SendMessage",
                          "sqs:ReceiveMessage",
                          "sqs:DeleteMessage",
                          "sqs:ChangeMessageVisibility",
                          "sqs:GetQueueAttributes",
                        ],
                        Resource: arn,
                      },
                    ]
                  : []),
              ],
            }),
          ),
        },
        parent,
      );
    }

    const target = { name, namePrefix: args.queueName, topicArn: args.alarmTopicArn, tags };
    this.alarms = workflowAlarmRows(this.queue.name, this.deadLetterQueue.name, s.alarms).map((row) =>
      alarmFromRow(target, row, parent),
    );

    this.queueUrl = this.queue.url;
    this.dlqUrl = this.deadLetterQueue.url;
    this.registerOutputs({ queueUrl: this.queueUrl, dlqUrl: this.dlqUrl, kmsKeyArn: this.kmsKeyArn });
  }
}
