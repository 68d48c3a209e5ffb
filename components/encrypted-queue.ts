import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type AlarmRow, alarmFromRow } from "./alarms";
import { createComponentKey, type KeyScope, type PolicyStatement } from "./kms-key";
import { denyInsecureTransport } from "./policy-statements";
import { resolveArgs } from "./spec";
import { EncryptedQueueSpec, queueNames } from "./specs/encrypted-queue";

export {
  DEFAULT_QUEUE_ALARM_THRESHOLDS,
  EncryptedQueueSpec,
  QUEUE_ALARM_THRESHOLD_MAX,
} from "./specs/encrypted-queue";

// One SQS queue as this package builds it: the queue and its DLQ (redrive policy on the queue,
// redrive-allow on the DLQ: only this queue may redrive into it), both encrypted with a
// customer-managed key (created unless given), TLS-only queue policies, and three alarms (oldest
// message age, visible messages, DLQ depth). RateLimiterPipeline (standard) and WorkflowQueue
// (FIFO) are built on it.
//
// A plain construct, not a ComponentResource: its children are created under the caller's parent
// with the caller's name (`${name}-queue`, `${name}-dlq`, `${name}-key`, …), so their URNs (type,
// name and parent chain) are exactly those the two components gave them before EncryptedQueue
// existed. A ComponentResource level would put `huntaze:messaging:EncryptedQueue` into every
// child's URN and parent: `pulumi up` would then need an alias on each moved child, or it would
// replace the live queues (production's are adopted from Terraform by name, inventory/production.json),
// and the offline preview would record new URNs and parents. The resources and their inputs are
// unchanged, so the preview JSON of both stacks is too.

export interface EncryptedQueueAlarmThresholds {
  /** ApproximateAgeOfOldestMessage, 5-minute maximum, seconds. */
  readonly oldestMessageAgeSeconds?: number;
  /** ApproximateNumberOfMessagesVisible, 5-minute maximum. */
  readonly visibleMessages?: number;
  /** Messages visible in the DLQ, 1-minute maximum. */
  readonly dlqMessages?: number;
}

/** The alarms' descriptions (shown in notifications): each user says what a breach means for it. */
export interface QueueAlarmDescriptions {
  readonly oldestMessageAge: pulumi.Input<string>;
  readonly visibleMessages: pulumi.Input<string>;
  readonly dlqDepth: pulumi.Input<string>;
}

export interface EncryptedQueueArgs {
  /**
   * Physical name of a standard queue, or of a FIFO queue without ".fifo" (added). Must differ between
   * stacks sharing an account and region.
   */
  readonly queueName: string;
  /** The DLQ's physical name (without ".fifo" for a FIFO queue). @default `<queueName>-dlq` */
  readonly dlqName?: string;
  /** A FIFO queue (and FIFO DLQ), high-throughput, deduplicated by the producer's id per message group. */
  readonly fifo?: boolean;
  /** SNS topic every alarm notifies (alarm and OK). */
  readonly alarmTopicArn: pulumi.Input<string>;
  /** How long a consumer owns a received message. */
  readonly visibilityTimeoutSeconds: number;
  /** Source queue retention. */
  readonly messageRetentionSeconds?: number;
  /** DLQ retention, at least the source queue's (SQS keeps a message's first enqueue time). */
  readonly dlqMessageRetentionSeconds?: number;
  /** Receives before SQS moves a message to the DLQ. */
  readonly maxReceiveCount?: number;
  /** Customer-managed key of both queues; its policy must let IAM grant use. @default - a key with rotation is created */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Description of the created key. @default - "Encrypts the <queueName> queues" */
  readonly keyDescription?: pulumi.Input<string>;
  /** Alias of the created key (without `alias/`). @default - queueName */
  readonly keyAlias?: pulumi.Input<string>;
  /**
   * Service statements of the created key's policy, after the account administration (e.g. CloudWatch
   * Logs for a log group the caller encrypts with it). @default - none: IAM in the account grants use
   */
  readonly keyStatements?: (scope: KeyScope) => pulumi.Input<PolicyStatement[]>;
  /** Roles the queue policy lets use the queue, with `access`. @default - none (IAM in the account decides) */
  readonly roleArns?: pulumi.Input<pulumi.Input<string>[]>;
  /** The queue policy's statement for `roleArns`: its Sid and the actions it allows. @default - none */
  readonly access?: { readonly sid: string; readonly actions: readonly string[] };
  /** Alarm thresholds. @default - DEFAULT_QUEUE_ALARM_THRESHOLDS, field by field */
  readonly alarmThresholds?: EncryptedQueueAlarmThresholds;
  /** Physical name prefix of the alarms (`<prefix>-<alarm>`). @default - queueName */
  readonly alarmNamePrefix?: pulumi.Input<string>;
  /** @default - generic descriptions naming the queue and the threshold */
  readonly alarmDescriptions?: QueueAlarmDescriptions;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** A queue's resource policy: TLS only, and `access` for the roles when there are any. Pure. */
export function encryptedQueuePolicyDocument(
  queueArn: string,
  roleArns: readonly string[],
  access?: { readonly sid: string; readonly actions: readonly string[] },
): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      denyInsecureTransport("sqs", queueArn),
      ...(access && roleArns.length > 0
        ? [
            {
              Sid: access.sid,
              Effect: "Allow",
              Principal: { AWS: [...roleArns] },
              Action: [...access.actions],
              Resource: queueArn,
            },
          ]
        : []),
    ],
  });
}

/** The queue's three alarms, as a table (pure: the components' tests compare it with the design's thresholds). */
export function queueAlarmRows(
  a: Required<EncryptedQueueAlarmThresholds>,
  subjects: { readonly queueName: pulumi.Input<string>; readonly dlqName: pulumi.Input<string> },
  descriptions: QueueAlarmDescriptions,
): AlarmRow[] {
  const sqs = { namespace: "AWS/SQS", statistic: "Maximum", comparison: "GreaterThanThreshold" } as const;
  return [
    {
      key: "oldest-message-age",
      description: descriptions.oldestMessageAge,
      ...sqs,
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: subjects.queueName },
      periodSeconds: 300,
      threshold: a.oldestMessageAgeSeconds,
    },
    {
      key: "visible-messages",
      description: descriptions.visibleMessages,
      ...sqs,
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: subjects.queueName },
      periodSeconds: 300,
      threshold: a.visibleMessages,
    },
    {
      key: "dlq-depth",
      description: descriptions.dlqDepth,
      ...sqs,
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: subjects.dlqName },
      periodSeconds: 60,
      threshold: a.dlqMessages,
    },
  ];
}

const genericDescriptions = (queue: string, dlq: string, a: Required<EncryptedQueueAlarmThresholds>) => ({
  oldestMessageAge: `Oldest message in ${queue} is older than ${a.oldestMessageAgeSeconds} s`,
  visibleMessages: `More than ${a.visibleMessages} messages waiting in ${queue}`,
  dlqDepth: `More than ${a.dlqMessages} messages in ${dlq}`,
});

type Resolved = ReturnType<typeof resolveArgs<typeof EncryptedQueueSpec>>;

/** The queue and its DLQ (FIFO settings on both when FIFO), the redrive policy and the redrive allowance. */
function queuePair(
  name: string,
  s: Resolved,
  names: { queue: string; dlq: string },
  kmsKeyArn: pulumi.Output<string>,
  parent: pulumi.CustomResourceOptions,
): [aws.sqs.Queue, aws.sqs.Queue] {
  const common = {
    ...(s.fifo
      ? {
          fifoQueue: true,
          // Producers deduplicate by their own id; a body hash would drop two equal messages.
          contentBasedDeduplication: false,
          // High-throughput FIFO: both settings per message group.
          deduplicationScope: "messageGroup",
          fifoThroughputLimit: "perMessageGroupId",
        }
      : {}),
    kmsMasterKeyId: kmsKeyArn,
    kmsDataKeyReusePeriodSeconds: 300,
    tags: s.tags,
  };
  const dlq = new aws.sqs.Queue(
    `${name}-dlq`,
    { ...common, name: names.dlq, messageRetentionSeconds: s.dlqMessageRetentionSeconds },
    parent,
  );
  const queue = new aws.sqs.Queue(
    `${name}-queue`,
    {
      ...common,
      name: names.queue,
      receiveWaitTimeSeconds: 20,
      visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
      messageRetentionSeconds: s.messageRetentionSeconds,
      redrivePolicy: dlq.arn.apply((deadLetterTargetArn) =>
        JSON.stringify({ deadLetterTargetArn, maxReceiveCount: s.maxReceiveCount }),
      ),
    },
    parent,
  );
  // Only this queue may redrive into the DLQ (separate resource: the two ARNs refer to each other).
  new aws.sqs.RedriveAllowPolicy(
    `${name}-dlq-redrive-allow`,
    {
      queueUrl: dlq.url,
      redriveAllowPolicy: queue.arn.apply((arn) =>
        JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn] }),
      ),
    },
    parent,
  );
  return [queue, dlq];
}

/**
 * A KMS-encrypted SQS queue with its DLQ, redrive and redrive-allow policies, TLS-only queue
 * policies and alarms. A construct (see above): `opts.parent` is the component it belongs to.
 */
export class EncryptedQueue {
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly key?: aws.kms.Key;
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly alarms: aws.cloudwatch.MetricAlarm[];

  constructor(name: string, args: EncryptedQueueArgs, opts: { readonly parent: pulumi.Resource }) {
    const s = resolveArgs("EncryptedQueue", name, EncryptedQueueSpec, args);
    const parent = { parent: opts.parent };
    const names = queueNames(s);
    const { tags } = s;

    if (s.kmsKeyArn === undefined) {
      this.key = createComponentKey(
        `${name}-key`,
        {
          description: s.keyDescription ?? `Encrypts the ${s.queueName}${s.fifo ? " FIFO" : ""} queues`,
          alias: s.keyAlias ?? s.queueName,
          ...(args.keyStatements !== undefined ? { statements: args.keyStatements } : {}),
          tags,
        },
        parent,
      );
    }
    this.kmsKeyArn = this.key ? this.key.arn : pulumi.output(s.kmsKeyArn as pulumi.Input<string>);

    [this.queue, this.deadLetterQueue] = queuePair(name, s, names, this.kmsKeyArn, parent);
    const policy = (q: aws.sqs.Queue, suffix: string, roles: pulumi.Input<pulumi.Input<string>[]>) =>
      new aws.sqs.QueuePolicy(
        `${name}-${suffix}-policy`,
        {
          queueUrl: q.url,
          policy: pulumi
            .all([q.arn, pulumi.output(roles)])
            .apply(([arn, arns]) => encryptedQueuePolicyDocument(arn, arns, s.access)),
        },
        parent,
      );
    policy(this.queue, "queue", s.roleArns);
    policy(this.deadLetterQueue, "dlq", []);

    const thresholds = s.alarmThresholds as Required<EncryptedQueueAlarmThresholds>;
    const target = { name, namePrefix: s.alarmNamePrefix ?? s.queueName, topicArn: s.alarmTopicArn, tags };
    const descriptions = s.alarmDescriptions ?? genericDescriptions(names.queue, names.dlq, thresholds);
    this.alarms = queueAlarmRows(
      thresholds,
      { queueName: this.queue.name, dlqName: this.deadLetterQueue.name },
      descriptions,
    ).map((row) => alarmFromRow(target, row, parent));
  }
}
