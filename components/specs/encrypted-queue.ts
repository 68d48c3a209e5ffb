import * as v from "valibot";
import { args, describedAs, fieldRule, flag, input, integer, list, nonEmpty, number, present, text } from "../spec";
import { iamRoleArn, kmsKeyArn, snsTopicArn } from "./formats";

// EncryptedQueue's args as data: the SQS limits every queue of the package meets, and the defaults
// the rate limiter's and the workflow queue share (one home: RateLimiterPipeline and WorkflowQueue
// take these fields, and their stack sections read against them).
//
// SQS limits ("CreateQueue", Amazon SQS API Reference,
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html):
// - QueueName: "up to 80 characters. Valid values: alphanumeric characters, hyphens (-), and
//   underscores (_)"; "A FIFO queue name must end with the .fifo suffix" (within the 80);
// - VisibilityTimeout: 0 to 43,200 seconds (12 hours);
// - MessageRetentionPeriod: 60 seconds (1 minute) to 1,209,600 seconds (14 days);
// - RedrivePolicy maxReceiveCount: 1 to 1,000 ("Using dead-letter queues", Amazon SQS Developer Guide).

/** A queue name as SQS accepts it (a FIFO queue's ".fifo" is added by the construct). */
export const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** The longest queue name, ".fifo" included. */
export const MAX_QUEUE_NAME_LENGTH = 80;
const FIFO_SUFFIX = ".fifo";

/** SQS's inclusive ranges (above). */
export const SQS_RANGES = {
  visibilityTimeoutSeconds: { min: 0, max: 43_200 },
  messageRetentionSeconds: { min: 60, max: 1_209_600 },
  maxReceiveCount: { min: 1, max: 1000 },
} as const;

/** The defaults both queues share: 4 days (the SQS default), 14 days in the DLQ (a message keeps its first enqueue time), 5 receives. */
export const QUEUE_DEFAULTS = {
  messageRetentionSeconds: 345_600,
  dlqMessageRetentionSeconds: 1_209_600,
  maxReceiveCount: 5,
} as const;

/** Largest value each alarm threshold may take: 14 days of age (the longest retention), 10⁹ messages. */
export const QUEUE_ALARM_THRESHOLD_MAX = {
  oldestMessageAgeSeconds: 1_209_600,
  visibleMessages: 1_000_000_000,
  dlqMessages: 1_000_000_000,
} as const;

// From seed 002, "Monitoring & Alerts": the SQS thresholds both queues use.
/** The default alarm thresholds (the stack configs default to them too). */
export const DEFAULT_QUEUE_ALARM_THRESHOLDS = {
  oldestMessageAgeSeconds: 300,
  visibleMessages: 1000,
  dlqMessages: 10,
} as const;

/** The three alarm thresholds, each with its default: RateLimiterPipeline adds its function's. */
export const queueAlarmThresholdFields = {
  oldestMessageAgeSeconds: v.optional(
    number({ min: 0, max: QUEUE_ALARM_THRESHOLD_MAX.oldestMessageAgeSeconds }),
    DEFAULT_QUEUE_ALARM_THRESHOLDS.oldestMessageAgeSeconds,
  ),
  visibleMessages: v.optional(
    number({ min: 0, max: QUEUE_ALARM_THRESHOLD_MAX.visibleMessages }),
    DEFAULT_QUEUE_ALARM_THRESHOLDS.visibleMessages,
  ),
  dlqMessages: v.optional(
    number({ min: 0, max: QUEUE_ALARM_THRESHOLD_MAX.dlqMessages }),
    DEFAULT_QUEUE_ALARM_THRESHOLDS.dlqMessages,
  ),
};

const retention = () => integer(SQS_RANGES.messageRetentionSeconds.min, SQS_RANGES.messageRetentionSeconds.max);

/** The fields the two queue users share, with the defaults they share. */
export const encryptedQueueFields = {
  /** A standard queue's name, or a FIFO queue's name without ".fifo". */
  queueName: text(QUEUE_NAME, 'a standard queue name (1–80 letters, digits, "-" or "_")'),
  fifo: v.optional(flag(), false),
  alarmTopicArn: input(snsTopicArn()),
  visibilityTimeoutSeconds: integer(SQS_RANGES.visibilityTimeoutSeconds.min, SQS_RANGES.visibilityTimeoutSeconds.max),
  messageRetentionSeconds: v.optional(retention(), QUEUE_DEFAULTS.messageRetentionSeconds),
  dlqMessageRetentionSeconds: v.optional(retention(), QUEUE_DEFAULTS.dlqMessageRetentionSeconds),
  maxReceiveCount: v.optional(
    integer(SQS_RANGES.maxReceiveCount.min, SQS_RANGES.maxReceiveCount.max),
    QUEUE_DEFAULTS.maxReceiveCount,
  ),
  kmsKeyArn: v.optional(input(kmsKeyArn())),
  /** Roles the queue policy lets use the queue. */
  roleArns: v.optional(input(list(input(iamRoleArn()))), () => []),
  alarmThresholds: v.optional(
    describedAs(
      args(queueAlarmThresholdFields),
      "an object { oldestMessageAgeSeconds?, visibleMessages?, dlqMessages? }",
    ),
    () => ({}),
  ),
  /** Tags: an object of strings, each value possibly an Output (the args type allows it). */
  tags: v.optional(
    input(
      describedAs(
        v.record(v.string("a string"), input(text(/^[\s\S]*$/, "a string")), "an object of string values"),
        "an object of string values",
      ),
    ),
  ),
};

/** The DLQ must keep a message at least as long as its queue (SQS keeps the first enqueue time). */
export function dlqRetentionRule<T extends { messageRetentionSeconds: number; dlqMessageRetentionSeconds: number }>() {
  return fieldRule<T>(
    ["messageRetentionSeconds", "dlqMessageRetentionSeconds"],
    "dlqMessageRetentionSeconds",
    (a) =>
      `an integer from messageRetentionSeconds (${a.messageRetentionSeconds}) to ${SQS_RANGES.messageRetentionSeconds.max}`,
    (a) => a.dlqMessageRetentionSeconds >= a.messageRetentionSeconds,
  );
}

/** The physical names: ".fifo" added for a FIFO queue; the DLQ `<queueName>-dlq` unless named. */
export function queueNames(a: { queueName: string; dlqName?: string | undefined; fifo: boolean }): {
  queue: string;
  dlq: string;
} {
  const suffix = a.fifo ? FIFO_SUFFIX : "";
  return { queue: `${a.queueName}${suffix}`, dlq: `${a.dlqName ?? `${a.queueName}-dlq`}${suffix}` };
}

const base = args({
  ...encryptedQueueFields,
  /** @default `<queueName>-dlq` (and ".fifo") */
  dlqName: v.optional(encryptedQueueFields.queueName),
  /** Who may use the queue (queue policy statement id and actions), when `roleArns` are given. */
  access: v.optional(
    describedAs(
      args({
        sid: text(/^[A-Za-z0-9]{1,128}$/, "a statement id (letters and digits)"),
        actions: list(text(/^sqs:[A-Za-z]+$/, "an SQS action (sqs:<Action>)"), { minItems: 1 }),
      }),
      "an object { sid, actions }",
    ),
  ),
  keyDescription: v.optional(input(nonEmpty())),
  keyAlias: v.optional(input(nonEmpty())),
  keyStatements: v.optional(present<unknown>("a function of the key's scope", (x) => typeof x === "function")),
  alarmNamePrefix: v.optional(input(nonEmpty())),
  alarmDescriptions: v.optional(
    describedAs(
      args({ oldestMessageAge: input(nonEmpty()), visibleMessages: input(nonEmpty()), dlqDepth: input(nonEmpty()) }),
      "an object { oldestMessageAge, visibleMessages, dlqDepth }",
    ),
  ),
});
type Base = v.InferOutput<typeof base>;

/** EncryptedQueue's args: the fields above, the DLQ retention rule, and names that fit SQS's 80 characters. */
export const EncryptedQueueSpec = v.pipe(
  base,
  fieldRule<Base>(
    ["queueName", "dlqName", "fifo"],
    "queueName",
    (a) =>
      `a name whose queue and DLQ names (${queueNames(a).queue}, ${queueNames(a).dlq}) are at most ${MAX_QUEUE_NAME_LENGTH} characters`,
    (a) => Object.values(queueNames(a)).every((n) => n.length <= MAX_QUEUE_NAME_LENGTH),
  ),
  dlqRetentionRule<Base>(),
);
