import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { rateLimiterBundle } from "../lambdas/bundle";
import {
  DEFAULT_LIMITS,
  ENTRY_ENV,
  type Limits,
  limitProblems,
  SETTING_RANGES,
  SETTINGS_ENV,
} from "../lambdas/rate-limiter/config";
import { LAMBDA_NODE_MAJOR, LAMBDA_RUNTIME } from "../lambdas/runtime";
import { DEFAULT_REDIS_PORT, REDIS_ENV } from "../lambdas/shared/redis-config";
import { type AlarmRow, type AlarmTarget, alarmFromRow, type MathAlarmRow } from "./alarms";
import { createComponentKey } from "./kms-key";
import { isLogRetentionDays, LOG_RETENTION_DAYS } from "./log-retention";
import {
  lambdaAssumeRolePolicy,
  pipelineKeyStatements,
  pipelineRolePolicy,
  queuePolicyDocument,
} from "./rate-limiter-pipeline-policies";

// The runtime owns the limits (defaults and rules); the component takes them as its `limits` arg.
export { DEFAULT_LIMITS, type Limits, limitProblems } from "../lambdas/rate-limiter/config";

// The OnlyFans rate limiter's infrastructure: SQS queue + DLQ, the bundled Lambda, its event source
// mapping and alarms. The SQS + Lambda traps it avoids are in docs (aws-gotchas §SQS + Lambda):
// - concurrency is capped by the mapping's scalingConfig.maximumConcurrency, never by reserved
//   concurrency 1 (throttled polls count as receives and push valid messages into the DLQ);
// - visibility timeout ≥ 6 × function timeout, partial batch responses (ReportBatchItemFailures);
// - no Lambda dead-letter / on-failure destination: for an SQS-triggered function those apply to
//   asynchronous invocations only, which never happen here. The queue's redrive policy is the DLQ.

/** The Lambda runtime the function runs on; lambdas/runtime.ts owns it (the bundle targets the same Node.js major). */
export { LAMBDA_RUNTIME } from "../lambdas/runtime";

/** What a bundler returns: the bundle file, its size and its sha256 (hex or base64). */
export interface LambdaBundle {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Same source in, same bytes out: the function's code hash changes only when the code does. */
export type LambdaBundler = (entry: string, outDir: string) => Promise<LambdaBundle>;

/**
 * Per-creator sending limits passed to the runtime (ARCHITECTURE.md: rate limiter invariants); the
 * runtime's config (lambdas/rate-limiter/config.ts) owns their defaults and validation.
 */
export type RateLimiterLimits = Partial<Limits>;

export interface RateLimiterRedisArgs {
  /** Redis primary endpoint (or a CNAME to it; then set tlsServername). */
  readonly host: pulumi.Input<string>;
  /** @default 6379 */
  readonly port?: number;
  /** TLS in transit. Opting out is for local experiments only. @default true */
  readonly tls?: boolean;
  /** Name checked against the server certificate, when `host` is a CNAME. @default - the host */
  readonly tlsServername?: pulumi.Input<string>;
  /** Secrets Manager secret holding the AUTH token; passed by ARN, read at runtime. @default - no AUTH */
  readonly authTokenSecretArn?: pulumi.Input<string>;
  /** KMS key encrypting that secret (the role gets kms:Decrypt on it). @default - the secret uses the AWS-managed key */
  readonly authTokenSecretKmsKeyArn?: pulumi.Input<string>;
  /**
   * Security group of the Redis cluster. The component adds one ingress rule to it (from the
   * function's security group, on `port`) and scopes the function's egress to it.
   * @default - the caller admits `securityGroup` on the Redis side; Lambda egress on `port` goes to the VPC only via `vpcCidrBlock`
   */
  readonly securityGroupId?: pulumi.Input<string>;
}

export interface OnlyFansApiArgs {
  /** Base URL of the OnlyFans API (https only). */
  readonly apiUrl: string;
  /** Existing Secrets Manager secret with the API credentials. Give this or `apiToken`. */
  readonly credentialsSecretArn?: pulumi.Input<string>;
  /** KMS key of that existing secret. @default - the secret uses the AWS-managed key */
  readonly credentialsSecretKmsKeyArn?: pulumi.Input<string>;
  /**
   * The API token (a Pulumi secret). The component stores it in a new Secrets Manager secret
   * encrypted with the pipeline's key; the function gets only the secret's ARN. Give this or
   * `credentialsSecretArn`.
   */
  readonly apiToken?: pulumi.Input<string>;
}

export interface RateLimiterAlarmThresholds {
  /** ApproximateAgeOfOldestMessage, 5-minute maximum. @default 300 */
  readonly oldestMessageAgeSeconds?: number;
  /** ApproximateNumberOfMessagesVisible, 5-minute maximum. @default 1000 */
  readonly visibleMessages?: number;
  /** Messages visible in the DLQ, 1-minute maximum. @default 10 */
  readonly dlqMessages?: number;
  /** Errors / Invocations over 5 minutes, percent. @default 5 */
  readonly errorRatePercent?: number;
  /** Duration, 5-minute maximum, milliseconds. @default 10000 */
  readonly durationMs?: number;
  /** Throttles per minute. @default 0 */
  readonly throttles?: number;
}

// From seed 002, "Monitoring & Alerts".
/** The default alarm thresholds; stack config defaults to them too. */
export const DEFAULT_ALARM_THRESHOLDS: Required<RateLimiterAlarmThresholds> = {
  oldestMessageAgeSeconds: 300,
  visibleMessages: 1000,
  dlqMessages: 10,
  errorRatePercent: 5,
  durationMs: 10_000,
  throttles: 0,
};

/** Largest value each threshold may take (14 days of age, 100 %, the 15-minute Lambda maximum). */
export const ALARM_THRESHOLD_MAX: Required<RateLimiterAlarmThresholds> = {
  oldestMessageAgeSeconds: 1_209_600,
  visibleMessages: 1_000_000_000,
  dlqMessages: 1_000_000_000,
  errorRatePercent: 100,
  durationMs: 900_000,
  throttles: 1_000_000_000,
};

export interface RateLimiterPipelineArgs {
  /**
   * Physical name prefix: queue `<prefix>-queue`, DLQ `<prefix>-dlq`, function `<prefix>`, log
   * group `/aws/lambda/<prefix>`. Must differ between stacks sharing an account and region.
   * @default "huntaze-rate-limiter"
   */
  readonly namePrefix?: string;
  /**
   * The source queue's physical name, when it exists already under a name the prefix does not give.
   * @default `<namePrefix>-queue`
   */
  readonly queueName?: string;
  /**
   * The DLQ's physical name, when it exists already under a name the prefix does not give
   * (production's Terraform-made `huntaze-rate-limiter-queue-dlq`).
   * @default `<namePrefix>-dlq`
   */
  readonly dlqName?: string;
  /** Private subnets the function runs in (it reaches Redis there). */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** VPC of those subnets, for the function's security group. */
  readonly vpcId: pulumi.Input<string>;
  /** CIDR that Redis lives in, used for the Redis egress rule only when `redis.securityGroupId` is not given. @default - none (then `redis.securityGroupId` is required) */
  readonly vpcCidrBlock?: pulumi.Input<string>;
  readonly redis: RateLimiterRedisArgs;
  readonly onlyfans: OnlyFansApiArgs;
  /** SNS topic every alarm notifies (alarm and OK). */
  readonly alarmTopicArn: pulumi.Input<string>;
  /**
   * Customer-managed KMS key for the queues, the created secret and the environment variables.
   * Its policy must let IAM grant use (the account-root statement). @default - a key with rotation is created
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /**
   * KMS key for the log group; its policy must admit logs.<region>.amazonaws.com.
   * @default - the created key when the component creates one (its policy admits CloudWatch Logs), otherwise none
   */
  readonly logGroupKmsKeyArn?: pulumi.Input<string>;
  /** IAM roles that send to the queue: allowed by the queue policy and, for a created key, by the key policy. @default - none (senders in the account need their own IAM grants) */
  readonly senderRoleArns?: pulumi.Input<string>[];
  /**
   * Where the code comes from: an entry module bundled by `bundler` into `buildDir`.
   * @default - the rate-limiter bundle prebuilt and shipped with the package (lambdas/bundle.ts); nothing is built at deploy time
   */
  readonly code?: { readonly entry?: string; readonly buildDir?: string; readonly bundler?: LambdaBundler };
  /** Node.js runtime, at least the bundle's target version (lambdas/runtime.ts). @default "nodejs24.x" (LAMBDA_RUNTIME) */
  readonly runtime?: string;
  /** @default 30 */
  readonly lambdaTimeoutSeconds?: number;
  /** @default 256 */
  readonly memoryMb?: number;
  /** Queue visibility timeout, at least 6 × lambdaTimeoutSeconds. @default 6 × lambdaTimeoutSeconds (180) */
  readonly visibilityTimeoutSeconds?: number;
  /** Source queue retention. @default 345600 (4 days) */
  readonly messageRetentionSeconds?: number;
  /** DLQ retention, at least the source queue's (SQS keeps a message's original enqueue time). @default 1209600 (14 days) */
  readonly dlqMessageRetentionSeconds?: number;
  /** Receives before SQS moves a message to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /** Messages per invocation, 1–10. @default 1 */
  readonly batchSize?: number;
  /** Concurrency cap of the event source mapping (scalingConfig), at least 2. @default 2 */
  readonly maximumConcurrency?: number;
  /** Reserved concurrency; must be ≥ maximumConcurrency or Lambda throttles the poller. @default - unreserved */
  readonly reservedConcurrentExecutions?: number;
  /** @default DEFAULT_LIMITS of the runtime: { perWindow: 10, windowSeconds: 60, burst: 3 } */
  readonly limits?: RateLimiterLimits;
  /** One of the retention periods CloudWatch Logs accepts (LOG_RETENTION_DAYS). @default 30 */
  readonly logRetentionDays?: number;
  /** @default - the default thresholds (see each field) */
  readonly alarmThresholds?: RateLimiterAlarmThresholds;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Defaults of the plain-number arguments (the stack config defaults to them too). */
export const PIPELINE_DEFAULTS = {
  namePrefix: "huntaze-rate-limiter",
  runtime: LAMBDA_RUNTIME,
  lambdaTimeoutSeconds: 30,
  memoryMb: 256,
  messageRetentionSeconds: 345_600,
  dlqMessageRetentionSeconds: 1_209_600,
  maxReceiveCount: 5,
  batchSize: 1,
  maximumConcurrency: 2,
  logRetentionDays: 30,
  redisPort: DEFAULT_REDIS_PORT,
} as const;

/** Inclusive ranges of the integer arguments (the stack config checks its keys against them too). */
export const PIPELINE_RANGES = {
  lambdaTimeoutSeconds: { min: 1, max: 900 },
  memoryMb: { min: 128, max: 10_240 },
  /** 12 hours, the SQS maximum; the floor is {@link minVisibilityTimeoutSeconds}. */
  visibilityTimeoutSeconds: { min: 0, max: 43_200 },
  messageRetentionSeconds: { min: 60, max: 1_209_600 },
  dlqMessageRetentionSeconds: { min: 60, max: 1_209_600 },
  /** Passed to the function as its attempt limit: the runtime's range caps it. */
  maxReceiveCount: { min: 1, max: SETTING_RANGES.maxAttempts.max },
  batchSize: { min: 1, max: 10 },
  /** 2 is the scalingConfig minimum; passed to the function as its degraded-mode divisor. */
  maximumConcurrency: { min: 2, max: SETTING_RANGES.maxConcurrency.max },
  reservedConcurrentExecutions: { min: 0, max: 10_000 },
} as const;

/** The queue's visibility timeout must cover six function timeouts (AWS's SQS + Lambda guidance). */
export const minVisibilityTimeoutSeconds = (lambdaTimeoutSeconds: number) => 6 * lambdaTimeoutSeconds;

/** Environment variables the function reads, named once by the runtime (config.ts, redis-config.ts). */
export const RATE_LIMITER_ENV = {
  queueUrl: ENTRY_ENV.queueUrl,
  dlqUrl: ENTRY_ENV.dlqUrl,
  onlyfansApiUrl: ENTRY_ENV.onlyfansApiUrl,
  onlyfansSecretArn: ENTRY_ENV.onlyfansSecretArn,
  perWindow: SETTINGS_ENV.perWindow,
  windowSeconds: SETTINGS_ENV.windowSeconds,
  burst: SETTINGS_ENV.burst,
  maxConcurrency: SETTINGS_ENV.maxConcurrency,
  maxAttempts: SETTINGS_ENV.maxAttempts,
  redisHost: REDIS_ENV.host,
  redisPort: REDIS_ENV.port,
  redisTls: REDIS_ENV.tls,
  redisServername: REDIS_ENV.servername,
  redisAuthSecretArn: ENTRY_ENV.redisAuthSecretArn,
} as const;

/** Every argument with its default applied: the constructor reads only this. */
export interface ResolvedPipelineArgs {
  readonly namePrefix: string;
  readonly queueName: string;
  readonly dlqName: string;
  readonly functionName: string;
  readonly logGroupName: string;
  readonly runtime: string;
  readonly lambdaTimeoutSeconds: number;
  readonly memoryMb: number;
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly dlqMessageRetentionSeconds: number;
  readonly maxReceiveCount: number;
  readonly batchSize: number;
  readonly maximumConcurrency: number;
  readonly reservedConcurrentExecutions?: number;
  readonly limits: Limits;
  readonly logRetentionDays: number;
  readonly alarms: Required<RateLimiterAlarmThresholds>;
  readonly redisPort: number;
  readonly redisTls: boolean;
  readonly senderRoleArns: pulumi.Input<string>[];
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

const isInt = (v: number) => Number.isSafeInteger(v);
const intIn = (v: number, min: number, max: number) => isInt(v) && v >= min && v <= max;

/** Defaults resolved once, then every rule checked; all problems are reported in one error. */
export function resolveRateLimiterArgs(name: string, args: RateLimiterPipelineArgs): ResolvedPipelineArgs {
  const d = PIPELINE_DEFAULTS;
  const lambdaTimeoutSeconds = args.lambdaTimeoutSeconds ?? d.lambdaTimeoutSeconds;
  const namePrefix = args.namePrefix ?? d.namePrefix;
  const r: ResolvedPipelineArgs = {
    namePrefix,
    queueName: args.queueName ?? `${namePrefix}-queue`,
    dlqName: args.dlqName ?? `${namePrefix}-dlq`,
    functionName: namePrefix,
    logGroupName: `/aws/lambda/${namePrefix}`,
    runtime: args.runtime ?? d.runtime,
    lambdaTimeoutSeconds,
    memoryMb: args.memoryMb ?? d.memoryMb,
    visibilityTimeoutSeconds: args.visibilityTimeoutSeconds ?? minVisibilityTimeoutSeconds(lambdaTimeoutSeconds),
    messageRetentionSeconds: args.messageRetentionSeconds ?? d.messageRetentionSeconds,
    dlqMessageRetentionSeconds: args.dlqMessageRetentionSeconds ?? d.dlqMessageRetentionSeconds,
    maxReceiveCount: args.maxReceiveCount ?? d.maxReceiveCount,
    batchSize: args.batchSize ?? d.batchSize,
    maximumConcurrency: args.maximumConcurrency ?? d.maximumConcurrency,
    ...(args.reservedConcurrentExecutions !== undefined
      ? { reservedConcurrentExecutions: args.reservedConcurrentExecutions }
      : {}),
    limits: { ...DEFAULT_LIMITS, ...stripUndefined(args.limits ?? {}) },
    logRetentionDays: args.logRetentionDays ?? d.logRetentionDays,
    alarms: { ...DEFAULT_ALARM_THRESHOLDS, ...stripUndefined(args.alarmThresholds ?? {}) },
    redisPort: args.redis.port ?? d.redisPort,
    redisTls: args.redis.tls ?? true,
    senderRoleArns: args.senderRoleArns ?? [],
    ...(args.tags !== undefined ? { tags: args.tags } : {}),
  };
  const problems = pipelineProblems(r, args);
  if (problems.length > 0) throw new Error(`RateLimiterPipeline ${name}: ${problems.join("; ")}`);
  return r;
}

/** The rules, as data: each message names the allowed values and the value received. */
function pipelineProblems(r: ResolvedPipelineArgs, args: RateLimiterPipelineArgs): string[] {
  const R = PIPELINE_RANGES;
  const minVisibility = minVisibilityTimeoutSeconds(r.lambdaTimeoutSeconds);
  const of = args.onlyfans;
  const ranged = (key: keyof typeof R & keyof ResolvedPipelineArgs, note = "") => ({
    check: intIn(r[key] as number, R[key].min, R[key].max),
    message: `${key} must be an integer from ${R[key].min}${note} to ${R[key].max}, got ${r[key]}`,
  });
  const rules: { check: boolean; message: string }[] = [
    {
      check: /^[A-Za-z0-9_-]{1,56}$/.test(r.namePrefix),
      message: `namePrefix must be 1–56 letters, digits, "-" or "_" (function names are ≤ 64), got "${r.namePrefix}"`,
    },
    // SQS: "A queue name can have up to 80 characters. Valid values: alphanumeric characters,
    // hyphens (-), and underscores (_)" (CreateQueue, Amazon SQS API Reference,
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html).
    ...(["queueName", "dlqName"] as const).map((key) => ({
      check: /^[A-Za-z0-9_-]{1,80}$/.test(r[key]),
      message: `${key} must be 1–80 letters, digits, "-" or "_" (a standard queue), got "${r[key]}"`,
    })),
    {
      // The bundle targets LAMBDA_NODE_MAJOR: an older runtime may not run it.
      check: /^nodejs(\d+)\.x$/.test(r.runtime) && Number(/^nodejs(\d+)/.exec(r.runtime)?.[1]) >= LAMBDA_NODE_MAJOR,
      message: `runtime must be a Node.js runtime the bundle targets (${LAMBDA_RUNTIME} or later), got "${r.runtime}"`,
    },
    ranged("lambdaTimeoutSeconds"),
    ranged("memoryMb"),
    {
      check: isInt(r.visibilityTimeoutSeconds) && r.visibilityTimeoutSeconds >= minVisibility,
      message: `visibilityTimeoutSeconds must be ≥ 6 × lambda timeout (${minVisibility}), got ${r.visibilityTimeoutSeconds}`,
    },
    {
      check: r.visibilityTimeoutSeconds <= R.visibilityTimeoutSeconds.max,
      message: `visibilityTimeoutSeconds must be ≤ ${R.visibilityTimeoutSeconds.max} (12 hours, the SQS maximum), got ${r.visibilityTimeoutSeconds}`,
    },
    ranged("messageRetentionSeconds"),
    {
      check:
        intIn(r.dlqMessageRetentionSeconds, R.dlqMessageRetentionSeconds.min, R.dlqMessageRetentionSeconds.max) &&
        r.dlqMessageRetentionSeconds >= r.messageRetentionSeconds,
      message: `dlqMessageRetentionSeconds must be an integer from messageRetentionSeconds (${r.messageRetentionSeconds}) to ${R.dlqMessageRetentionSeconds.max}, got ${r.dlqMessageRetentionSeconds}`,
    },
    ranged("maxReceiveCount"),
    ranged("batchSize"),
    ranged("maximumConcurrency", " (the scalingConfig minimum)"),
    {
      check:
        r.reservedConcurrentExecutions === undefined ||
        (isInt(r.reservedConcurrentExecutions) && r.reservedConcurrentExecutions >= r.maximumConcurrency),
      message: `reservedConcurrentExecutions must be ≥ maximumConcurrency (${r.maximumConcurrency}) or unset (a lower reservation throttles the SQS poller and sends valid messages to the DLQ), got ${r.reservedConcurrentExecutions}`,
    },
    ...limitProblems(r.limits).map((p) => ({
      check: false,
      message: `limits.${p.key} must be ${p.allowed}, got ${p.got}`,
    })),
    {
      check: isLogRetentionDays(r.logRetentionDays),
      message: `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")}, got ${r.logRetentionDays}`,
    },
    {
      check: intIn(r.redisPort, 1, 65_535),
      message: `redis.port must be an integer from 1 to 65535, got ${r.redisPort}`,
    },
    {
      check: args.redis.securityGroupId !== undefined || args.vpcCidrBlock !== undefined,
      message: "redis.securityGroupId or vpcCidrBlock must be given (the function's Redis egress needs a destination)",
    },
    {
      check: /^https:\/\/[^\s/]+/.test(of.apiUrl),
      message: `onlyfans.apiUrl must be an https:// URL, got "${of.apiUrl}"`,
    },
    {
      check: (of.credentialsSecretArn === undefined) !== (of.apiToken === undefined),
      message:
        of.apiToken === undefined
          ? "onlyfans.credentialsSecretArn or onlyfans.apiToken must be given, got neither"
          : "onlyfans.credentialsSecretArn and onlyfans.apiToken are exclusive, got both",
    },
    {
      check: of.credentialsSecretKmsKeyArn === undefined || of.credentialsSecretArn !== undefined,
      message:
        "onlyfans.credentialsSecretKmsKeyArn needs onlyfans.credentialsSecretArn (a created secret uses the pipeline key)",
    },
    ...Object.entries(r.alarms).map(([key, value]) => ({
      check: Number.isFinite(value) && value >= 0,
      message: `alarmThresholds.${key} must be a number ≥ 0, got ${value}`,
    })),
  ];
  return rules.filter((rule) => !rule.check).map((rule) => rule.message);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Lambda wants the code hash as base64 sha256; accept a bundler's hex digest too. */
export function toBase64Sha256(digest: string): string {
  return /^[0-9a-f]{64}$/i.test(digest) ? Buffer.from(digest, "hex").toString("base64") : digest;
}

/** The function's code: the prebuilt bundle by default, or `code`'s own entry bundled by its bundler. */
async function codeBundle(name: string, code: RateLimiterPipelineArgs["code"]): Promise<LambdaBundle> {
  if (code === undefined) {
    const prebuilt = rateLimiterBundle();
    return { file: prebuilt.path, bytes: fs.statSync(prebuilt.path).size, sha256: prebuilt.sha256 };
  }
  // Loaded lazily: only custom code needs esbuild (a dev dependency of this package).
  const bundler = code.bundler ?? (require("../lambdas/build") as { bundleLambda: LambdaBundler }).bundleLambda;
  const entry = code.entry ?? path.resolve(__dirname, "../lambdas/rate-limiter/index.ts");
  return bundler(entry, code.buildDir ?? path.resolve(".build", "lambdas", name));
}

/** What the alarm table watches. */
export interface PipelineAlarmSubjects {
  readonly namePrefix: string;
  readonly queueName: pulumi.Input<string>;
  readonly dlqName: pulumi.Input<string>;
  readonly functionName: pulumi.Input<string>;
  readonly lambdaTimeoutSeconds: number;
}

// Seed 002 "Monitoring & Alerts".
/** The pipeline's alarms, one row each. */
export function pipelineAlarmRows(
  a: Required<RateLimiterAlarmThresholds>,
  w: PipelineAlarmSubjects,
): (AlarmRow | MathAlarmRow)[] {
  const prefix = w.namePrefix;
  const queueDims = { QueueName: w.queueName };
  const fnDims = { FunctionName: w.functionName };
  const lambdaMetric = (id: string, metricName: string) => ({
    id,
    metric: { namespace: "AWS/Lambda", metricName, dimensions: fnDims, stat: "Sum", period: 300 },
  });
  const over = "GreaterThanThreshold" as const;
  return [
    {
      key: "oldest-message-age",
      description: `Oldest message in ${prefix}-queue is older than ${a.oldestMessageAgeSeconds} s: the limiter is not keeping up or is stuck`,
      namespace: "AWS/SQS",
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: queueDims,
      statistic: "Maximum",
      periodSeconds: 300,
      comparison: over,
      threshold: a.oldestMessageAgeSeconds,
    },
    {
      key: "visible-messages",
      description: `More than ${a.visibleMessages} messages waiting in ${prefix}-queue`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: queueDims,
      statistic: "Maximum",
      periodSeconds: 300,
      comparison: over,
      threshold: a.visibleMessages,
    },
    {
      key: "dlq-depth",
      description: `More than ${a.dlqMessages} messages in ${prefix}-dlq: sends failed 5 times or were malformed`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: w.dlqName },
      statistic: "Maximum",
      periodSeconds: 60,
      comparison: over,
      threshold: a.dlqMessages,
    },
    {
      key: "error-rate",
      description: `More than ${a.errorRatePercent} % of ${prefix} invocations failed over 5 minutes`,
      metricQueries: [
        lambdaMetric("errors", "Errors"),
        lambdaMetric("invocations", "Invocations"),
        {
          id: "errorRate",
          expression: "IF(invocations > 0, 100 * errors / invocations, 0)",
          label: "Error rate (%)",
          returnData: true,
        },
      ],
      comparison: over,
      threshold: a.errorRatePercent,
    },
    {
      key: "duration",
      description: `An invocation of ${prefix} took longer than ${a.durationMs} ms (timeout ${w.lambdaTimeoutSeconds} s)`,
      namespace: "AWS/Lambda",
      metricName: "Duration",
      dimensions: fnDims,
      statistic: "Maximum",
      periodSeconds: 300,
      comparison: over,
      threshold: a.durationMs,
    },
    {
      key: "throttles",
      description: `${prefix} invocations were throttled (check reserved concurrency vs the mapping's cap)`,
      namespace: "AWS/Lambda",
      metricName: "Throttles",
      dimensions: fnDims,
      statistic: "Sum",
      periodSeconds: 60,
      comparison: over,
      threshold: a.throttles,
    },
  ];
}

/**
 * The OnlyFans send pipeline: a KMS-encrypted SQS queue with a DLQ, the rate-limiter Lambda (bundled
 * from lambdas/ at program run time, VPC access to Redis, least-privilege role, X-Ray, its own log
 * group), the event source mapping with partial batch responses and a concurrency cap, and alarms.
 */
export class RateLimiterPipeline extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly function: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly eventSourceMapping: aws.lambda.EventSourceMapping;
  readonly key?: aws.kms.Key;
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly onlyfansSecretArn: pulumi.Output<string>;
  readonly alarms: aws.cloudwatch.MetricAlarm[];
  readonly queueUrl: pulumi.Output<string>;
  readonly dlqUrl: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  /** sha256 (base64) of the deployed bundle. */
  readonly sourceCodeHash: pulumi.Output<string>;

  constructor(name: string, args: RateLimiterPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("huntaze:messaging:RateLimiterPipeline", name, {}, opts);
    const s = resolveRateLimiterArgs(name, args);
    const parent = { parent: this };
    const { tags, namePrefix: prefix } = s;

    // --- Key -----------------------------------------------------------------------------------
    if (args.kmsKeyArn === undefined) {
      this.key = createComponentKey(
        `${name}-key`,
        {
          description: `Encrypts the ${prefix} queues, secret, environment and logs`,
          alias: prefix,
          // The account administers the key; the function's role policy grants its own use.
          statements: (scope) =>
            pulumi.output(s.senderRoleArns).apply((senders) => pipelineKeyStatements(scope, s.logGroupName, senders)),
          ...(tags !== undefined ? { tags } : {}),
        },
        parent,
      );
    }
    const kmsKeyArn = this.key ? this.key.arn : pulumi.output(args.kmsKeyArn!);
    this.kmsKeyArn = kmsKeyArn;
    const logKeyArn = args.logGroupKmsKeyArn ?? this.key?.arn;

    [this.queue, this.deadLetterQueue] = this.queues(name, s, kmsKeyArn);

    // --- OnlyFans credentials: by ARN only ------------------------------------------------------
    const credentials = this.credentials(name, s, args, kmsKeyArn);
    this.onlyfansSecretArn = credentials.arn;

    this.securityGroup = this.network(name, s, args);

    // --- Logs ----------------------------------------------------------------------------------
    // Created before the function: otherwise Lambda creates /aws/lambda/<name> itself, kept forever.
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: s.logGroupName, retentionInDays: s.logRetentionDays, kmsKeyId: logKeyArn, tags },
      parent,
    );

    // --- Role ----------------------------------------------------------------------------------
    const secretKeys = [credentials.keyArn, args.redis.authTokenSecretKmsKeyArn].filter(
      (k): k is pulumi.Input<string> => k !== undefined,
    );
    const { role, policy: rolePolicy } = this.executionRole(name, s, args, { kmsKeyArn, secretKeys });
    this.role = role;

    // --- Code ----------------------------------------------------------------------------------
    const bundle = pulumi.output(codeBundle(name, args.code));
    this.sourceCodeHash = bundle.apply((b) => toBase64Sha256(b.sha256));

    this.function = new aws.lambda.Function(
      `${name}-fn`,
      {
        name: s.functionName,
        description: "OnlyFans send rate limiter (per-creator window + token bucket in Redis)",
        runtime: s.runtime,
        handler: "index.handler",
        code: bundle.apply((b) => new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(b.file) })),
        sourceCodeHash: this.sourceCodeHash,
        role: this.role.arn,
        memorySize: s.memoryMb,
        timeout: s.lambdaTimeoutSeconds,
        reservedConcurrentExecutions: s.reservedConcurrentExecutions,
        vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [this.securityGroup.id] },
        environment: { variables: this.environment(s, args) },
        kmsKeyArn,
        tracingConfig: { mode: "Active" },
        loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
        // No deadLetterConfig / destination: they apply to async invocations; SQS redrive is the DLQ.
        tags,
      },
      { parent: this, dependsOn: [this.logGroup, rolePolicy] },
    );

    this.eventSourceMapping = new aws.lambda.EventSourceMapping(
      `${name}-trigger`,
      {
        eventSourceArn: this.queue.arn,
        functionName: this.function.arn,
        batchSize: s.batchSize,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: s.maximumConcurrency },
        tags,
      },
      // The mapping checks at creation that the role can receive from the queue.
      { parent: this, dependsOn: [rolePolicy] },
    );

    // --- Alarms --------------------------------------------------------------------------------
    const target: AlarmTarget = { name, namePrefix: prefix, topicArn: args.alarmTopicArn, ...(tags ? { tags } : {}) };
    const rows = pipelineAlarmRows(s.alarms, {
      namePrefix: prefix,
      queueName: this.queue.name,
      dlqName: this.deadLetterQueue.name,
      functionName: this.function.name,
      lambdaTimeoutSeconds: s.lambdaTimeoutSeconds,
    });
    this.alarms = rows.map((row) => alarmFromRow(target, row, parent));

    this.queueUrl = this.queue.url;
    this.dlqUrl = this.deadLetterQueue.url;
    this.functionName = this.function.name;
    this.registerOutputs({
      queueUrl: this.queueUrl,
      dlqUrl: this.dlqUrl,
      functionName: this.functionName,
      sourceCodeHash: this.sourceCodeHash,
    });
  }

  /** The OnlyFans credentials: a secret created from `apiToken` (under the pipeline key), or the given one. */
  private credentials(
    name: string,
    s: ResolvedPipelineArgs,
    args: RateLimiterPipelineArgs,
    kmsKeyArn: pulumi.Output<string>,
  ): { arn: pulumi.Output<string>; keyArn?: pulumi.Input<string> } {
    const { tags, namePrefix: prefix } = s;
    if (args.onlyfans.apiToken === undefined) {
      const keyArn = args.onlyfans.credentialsSecretKmsKeyArn;
      return { arn: pulumi.output(args.onlyfans.credentialsSecretArn!), ...(keyArn !== undefined ? { keyArn } : {}) };
    }
    const parent = { parent: this };
    const secret = new aws.secretsmanager.Secret(
      `${name}-onlyfans-credentials`,
      {
        namePrefix: `${prefix}/onlyfans-api-`,
        description: `OnlyFans API credentials of ${prefix}; set from the stack's secret config`,
        kmsKeyId: kmsKeyArn,
        recoveryWindowInDays: 7,
        tags,
      },
      parent,
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-onlyfans-credentials-value`,
      { secretId: secret.id, secretString: pulumi.secret(args.onlyfans.apiToken) },
      parent,
    );
    return { arn: secret.arn, keyArn: kmsKeyArn };
  }

  /** The function's role and its least-privilege policy (pipelineRolePolicy). */
  private executionRole(
    name: string,
    s: ResolvedPipelineArgs,
    args: RateLimiterPipelineArgs,
    keys: { kmsKeyArn: pulumi.Output<string>; secretKeys: pulumi.Input<string>[] },
  ): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
    const parent = { parent: this };
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    const region = aws.getRegionOutput({}, parent).region;
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Execution role of the ${s.namePrefix} Lambda`,
        assumeRolePolicy: accountId.apply(lambdaAssumeRolePolicy),
        tags: s.tags,
      },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([
            this.queue.arn,
            this.deadLetterQueue.arn,
            keys.kmsKeyArn,
            this.logGroup.arn,
            this.onlyfansSecretArn,
            pulumi.output(args.redis.authTokenSecretArn),
            pulumi.all(keys.secretKeys),
            region,
          ])
          .apply(([queueArn, dlqArn, keyArn, logGroupArn, ofSecret, redisSecret, secretKeyArns, reg]) =>
            pipelineRolePolicy({
              queueArn,
              dlqArn,
              keyArn,
              logGroupArn,
              onlyfansSecretArn: ofSecret,
              ...(redisSecret ? { redisSecretArn: redisSecret } : {}),
              secretKeyArns,
              region: reg,
            }),
          ),
      },
      parent,
    );
    return { role, policy };
  }

  /** The source queue and its DLQ (both under the pipeline key), the redrive allowance and the queue policies. */
  private queues(
    name: string,
    s: ResolvedPipelineArgs,
    kmsKeyArn: pulumi.Output<string>,
  ): [aws.sqs.Queue, aws.sqs.Queue] {
    const parent = { parent: this };
    const { tags } = s;
    const dlq = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        name: s.dlqName,
        messageRetentionSeconds: s.dlqMessageRetentionSeconds,
        kmsMasterKeyId: kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
        tags,
      },
      parent,
    );
    const queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        name: s.queueName,
        receiveWaitTimeSeconds: 20,
        visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
        messageRetentionSeconds: s.messageRetentionSeconds,
        kmsMasterKeyId: kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
        redrivePolicy: dlq.arn.apply((deadLetterTargetArn) =>
          JSON.stringify({ deadLetterTargetArn, maxReceiveCount: s.maxReceiveCount }),
        ),
        tags,
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
    const policy = (q: aws.sqs.Queue, suffix: string, senders: pulumi.Input<string>[]) =>
      new aws.sqs.QueuePolicy(
        `${name}-${suffix}-policy`,
        {
          queueUrl: q.url,
          policy: pulumi.all([q.arn, pulumi.output(senders)]).apply(([arn, arns]) => queuePolicyDocument(arn, arns)),
        },
        parent,
      );
    policy(queue, "queue", s.senderRoleArns);
    policy(dlq, "dlq", []);
    return [queue, dlq];
  }

  /** The function's security group: no ingress, egress to HTTPS and to Redis (admitted there when its group is given). */
  private network(name: string, s: ResolvedPipelineArgs, args: RateLimiterPipelineArgs): aws.ec2.SecurityGroup {
    const parent = { parent: this };
    const { tags, namePrefix: prefix } = s;
    const group = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: `${prefix} Lambda: no ingress; egress to Redis and HTTPS only`, tags },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-egress-https`,
      {
        securityGroupId: group.id,
        description: "HTTPS to the OnlyFans API and AWS APIs (SQS, Secrets Manager, X-Ray)",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
        tags,
      },
      parent,
    );
    const redisGroup = args.redis.securityGroupId;
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-egress-redis`,
      {
        securityGroupId: group.id,
        description: "Redis (TLS) of the rate limiter",
        ipProtocol: "tcp",
        fromPort: s.redisPort,
        toPort: s.redisPort,
        ...(redisGroup !== undefined ? { referencedSecurityGroupId: redisGroup } : { cidrIpv4: args.vpcCidrBlock }),
        tags,
      },
      parent,
    );
    if (redisGroup !== undefined) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-redis-ingress`,
        {
          securityGroupId: redisGroup,
          description: `Redis from the ${prefix} Lambda`,
          ipProtocol: "tcp",
          fromPort: s.redisPort,
          toPort: s.redisPort,
          referencedSecurityGroupId: group.id,
          tags,
        },
        parent,
      );
    }
    return group;
  }

  /** The function's environment: settings and secret ARNs, never a secret value. */
  private environment(s: ResolvedPipelineArgs, args: RateLimiterPipelineArgs): Record<string, pulumi.Input<string>> {
    const env = RATE_LIMITER_ENV;
    return {
      [env.queueUrl]: this.queue.url,
      [env.dlqUrl]: this.deadLetterQueue.url,
      [env.onlyfansApiUrl]: args.onlyfans.apiUrl,
      [env.onlyfansSecretArn]: this.onlyfansSecretArn,
      [env.perWindow]: String(s.limits.perWindow),
      [env.windowSeconds]: String(s.limits.windowSeconds),
      [env.burst]: String(s.limits.burst),
      [env.maxConcurrency]: String(s.maximumConcurrency),
      [env.maxAttempts]: String(s.maxReceiveCount),
      [env.redisHost]: args.redis.host,
      [env.redisPort]: String(s.redisPort),
      [env.redisTls]: String(s.redisTls),
      ...(args.redis.tlsServername !== undefined ? { [env.redisServername]: args.redis.tlsServername } : {}),
      ...(args.redis.authTokenSecretArn !== undefined
        ? { [env.redisAuthSecretArn]: args.redis.authTokenSecretArn }
        : {}),
    };
  }
}
