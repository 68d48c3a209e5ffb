import * as v from "valibot";
import {
  DEFAULT_LIMITS,
  LIMIT_RANGES,
  type Limits,
  limitProblems,
  SETTING_RANGES,
} from "../../lambdas/rate-limiter/config";
import { LAMBDA_NODE_MAJOR, LAMBDA_RUNTIME } from "../../lambdas/runtime";
import { DEFAULT_REDIS_PORT } from "../../lambdas/shared/redis-config";
import { isLogRetentionDays, LOG_RETENTION_DAYS } from "../log-retention";
import {
  args,
  describedAs,
  fieldRule,
  flag,
  input,
  integer,
  list,
  nonEmpty,
  number,
  present,
  refine,
  text,
} from "../spec";
import {
  DEFAULT_QUEUE_ALARM_THRESHOLDS,
  dlqRetentionRule,
  QUEUE_ALARM_THRESHOLD_MAX,
  QUEUE_DEFAULTS,
  encryptedQueueFields as q,
  queueAlarmThresholdFields,
  SQS_RANGES,
} from "./encrypted-queue";
import { httpsUrl, iamRoleArn, kmsKeyArn, secretArn, securityGroupId, subnetId, vpcId } from "./formats";

// RateLimiterPipeline's args as data: the one home of its defaults, ranges and rules. The queue's
// fields and shared defaults are EncryptedQueue's; the limits' defaults and rules are the runtime's
// (lambdas/rate-limiter/config.ts). The stack section `huntaze:rateLimiter` reads against these fields.

/** Defaults of the plain-number arguments (the stack config defaults to them too). */
export const PIPELINE_DEFAULTS = {
  namePrefix: "huntaze-rate-limiter",
  runtime: LAMBDA_RUNTIME,
  lambdaTimeoutSeconds: 30,
  memoryMb: 256,
  messageRetentionSeconds: QUEUE_DEFAULTS.messageRetentionSeconds,
  dlqMessageRetentionSeconds: QUEUE_DEFAULTS.dlqMessageRetentionSeconds,
  maxReceiveCount: QUEUE_DEFAULTS.maxReceiveCount,
  batchSize: 1,
  maximumConcurrency: 2,
  logRetentionDays: 30,
  redisPort: DEFAULT_REDIS_PORT,
} as const;

/** Inclusive ranges of the integer arguments (Lambda: "Lambda quotas", AWS Lambda Developer Guide; SQS: CreateQueue). */
export const PIPELINE_RANGES = {
  /** Function timeout: up to 900 s (15 minutes). */
  lambdaTimeoutSeconds: { min: 1, max: 900 },
  /** Function memory: 128 MB to 10,240 MB. */
  memoryMb: { min: 128, max: 10_240 },
  /** 12 hours, the SQS maximum; the floor is {@link minVisibilityTimeoutSeconds}. */
  visibilityTimeoutSeconds: SQS_RANGES.visibilityTimeoutSeconds,
  messageRetentionSeconds: SQS_RANGES.messageRetentionSeconds,
  dlqMessageRetentionSeconds: SQS_RANGES.messageRetentionSeconds,
  /** Passed to the function as its attempt limit: the runtime's range caps it. */
  maxReceiveCount: { min: 1, max: SETTING_RANGES.maxAttempts.max },
  /** SQS event source mapping: 1–10 for a queue without a batching window. */
  batchSize: { min: 1, max: 10 },
  /** 2 is the scalingConfig minimum; passed to the function as its degraded-mode divisor. */
  maximumConcurrency: { min: 2, max: SETTING_RANGES.maxConcurrency.max },
  reservedConcurrentExecutions: { min: 0, max: 10_000 },
} as const;

/** The queue's visibility timeout must cover six function timeouts (AWS's SQS + Lambda guidance). */
export const minVisibilityTimeoutSeconds = (lambdaTimeoutSeconds: number) => 6 * lambdaTimeoutSeconds;

/** Largest value of the function's alarm thresholds: 100 %, the 15-minute Lambda maximum, 10⁹ throttles. */
const FUNCTION_ALARM_THRESHOLD_MAX = { errorRatePercent: 100, durationMs: 900_000, throttles: 1_000_000_000 } as const;

// From seed 002, "Monitoring & Alerts".
/** The default alarm thresholds: the queue's (EncryptedQueue's) and the function's. */
export const DEFAULT_ALARM_THRESHOLDS = {
  ...DEFAULT_QUEUE_ALARM_THRESHOLDS,
  errorRatePercent: 5,
  durationMs: 10_000,
  throttles: 0,
} as const;

/** Largest value each threshold may take. */
export const ALARM_THRESHOLD_MAX = { ...QUEUE_ALARM_THRESHOLD_MAX, ...FUNCTION_ALARM_THRESHOLD_MAX } as const;

/** The OnlyFans API token's shortest accepted length (a Pulumi secret; never shown in a problem). */
export const ONLYFANS_TOKEN_MIN_LENGTH = 16;

const R = PIPELINE_RANGES;
const D = PIPELINE_DEFAULTS;
const int = (key: keyof typeof R) => integer(R[key].min, R[key].max);

/** The thresholds' fields: the queue's three and the function's three. */
export const alarmThresholdFields = {
  ...queueAlarmThresholdFields,
  errorRatePercent: v.optional(
    number({ min: 0, max: ALARM_THRESHOLD_MAX.errorRatePercent }),
    DEFAULT_ALARM_THRESHOLDS.errorRatePercent,
  ),
  durationMs: v.optional(number({ min: 0, max: ALARM_THRESHOLD_MAX.durationMs }), DEFAULT_ALARM_THRESHOLDS.durationMs),
  throttles: v.optional(number({ min: 0, max: ALARM_THRESHOLD_MAX.throttles }), DEFAULT_ALARM_THRESHOLDS.throttles),
};

/** The limits' fields: the runtime's ranges and defaults. */
export const limitFields = {
  perWindow: v.optional(integer(LIMIT_RANGES.perWindow.min, LIMIT_RANGES.perWindow.max), DEFAULT_LIMITS.perWindow),
  windowSeconds: v.optional(
    integer(LIMIT_RANGES.windowSeconds.min, LIMIT_RANGES.windowSeconds.max),
    DEFAULT_LIMITS.windowSeconds,
  ),
  burst: v.optional(integer(LIMIT_RANGES.burst.min, LIMIT_RANGES.burst.max), DEFAULT_LIMITS.burst),
};

/** The runtime's cross-limit rule (burst ≤ perWindow), in its own words (limitProblems). */
export function limitsRule<T extends Limits>() {
  const burst = (l: T) => limitProblems(l).find((p) => p.key === "burst");
  return fieldRule<T>(
    // burst ≤ perWindow reads only those two: reported even beside a wrong windowSeconds.
    ["perWindow", "burst"],
    "burst",
    (l) => burst(l)?.allowed ?? "",
    (l) => burst(l) === undefined,
  );
}

/** The OnlyFans API: its URL (https) and the credentials, by an existing secret or a token. */
export const onlyfansFields = {
  apiUrl: httpsUrl(),
  credentialsSecretArn: v.optional(input(secretArn())),
  credentialsSecretKmsKeyArn: v.optional(input(kmsKeyArn())),
  apiToken: v.optional(
    input(
      text(
        new RegExp(`^[\\s\\S]{${ONLYFANS_TOKEN_MIN_LENGTH},}$`),
        `a token of at least ${ONLYFANS_TOKEN_MIN_LENGTH} characters`,
      ),
    ),
  ),
};
const onlyfansBase = args(onlyfansFields);
type OnlyFans = v.InferOutput<typeof onlyfansBase>;

/** Every argument's field; the stack section reuses them by name. */
export const rateLimiterPipelineFields = {
  namePrefix: v.optional(
    text(/^[A-Za-z0-9_-]{1,56}$/, '1–56 letters, digits, "-" or "_" (the function name, ≤ 64, is the prefix)'),
    D.namePrefix,
  ),
  queueName: v.optional(q.queueName),
  dlqName: v.optional(q.queueName),
  subnetIds: input(list(input(subnetId()), { minItems: 1 })),
  vpcId: input(vpcId()),
  vpcCidrBlock: v.optional(
    // An IPv4 CIDR block ("VPC CIDR blocks", Amazon VPC User Guide).
    input(
      text(/^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(\d|[12]\d|3[0-2])$/, "an IPv4 CIDR block"),
    ),
  ),
  redis: describedAs(
    args({
      host: input(nonEmpty("a host name")),
      port: v.optional(integer(1, 65_535), D.redisPort),
      tls: v.optional(flag(), true),
      tlsServername: v.optional(input(nonEmpty("a host name"))),
      authTokenSecretArn: v.optional(input(secretArn())),
      authTokenSecretKmsKeyArn: v.optional(input(kmsKeyArn())),
      securityGroupId: v.optional(input(securityGroupId())),
    }),
    "an object { host, port?, tls?, tlsServername?, authTokenSecretArn?, authTokenSecretKmsKeyArn?, securityGroupId? }",
  ),
  onlyfans: describedAs(
    v.pipe(
      onlyfansBase,
      fieldRule<OnlyFans>(
        ["credentialsSecretArn", "apiToken"],
        "credentialsSecretArn",
        (o) =>
          o.apiToken === undefined
            ? "a Secrets Manager secret ARN, or apiToken (one of the two is needed)"
            : "unset when apiToken is given (the two are exclusive)",
        (o) => (o.credentialsSecretArn === undefined) !== (o.apiToken === undefined),
      ),
      fieldRule<OnlyFans>(
        ["credentialsSecretArn", "credentialsSecretKmsKeyArn"],
        "credentialsSecretKmsKeyArn",
        "unset unless credentialsSecretArn is given (a created secret uses the pipeline key)",
        (o) => o.credentialsSecretKmsKeyArn === undefined || o.credentialsSecretArn !== undefined,
      ),
    ),
    "an object { apiUrl, and credentialsSecretArn (+ credentialsSecretKmsKeyArn?) or apiToken }",
  ),
  alarmTopicArn: q.alarmTopicArn,
  kmsKeyArn: q.kmsKeyArn,
  logGroupKmsKeyArn: v.optional(input(kmsKeyArn())),
  senderRoleArns: v.optional(input(list(input(iamRoleArn()))), () => []),
  code: v.optional(
    present<unknown>("an object { entry?, buildDir?, bundler? }", (x) => typeof x === "object" && x !== null),
  ),
  runtime: v.optional(
    // The bundle targets LAMBDA_NODE_MAJOR: an older runtime may not run it.
    refine(
      text(/^nodejs\d+\.x$/, "a Node.js runtime"),
      `a Node.js runtime the bundle targets (${LAMBDA_RUNTIME} or later)`,
      (r) => Number(/^nodejs(\d+)/.exec(r)?.[1]) >= LAMBDA_NODE_MAJOR,
    ),
    D.runtime,
  ),
  lambdaTimeoutSeconds: v.optional(int("lambdaTimeoutSeconds"), D.lambdaTimeoutSeconds),
  memoryMb: v.optional(int("memoryMb"), D.memoryMb),
  /** Default: minVisibilityTimeoutSeconds(lambdaTimeoutSeconds), computed in the resolve step. */
  visibilityTimeoutSeconds: v.optional(q.visibilityTimeoutSeconds),
  messageRetentionSeconds: q.messageRetentionSeconds,
  dlqMessageRetentionSeconds: q.dlqMessageRetentionSeconds,
  maxReceiveCount: v.optional(int("maxReceiveCount"), D.maxReceiveCount),
  batchSize: v.optional(int("batchSize"), D.batchSize),
  maximumConcurrency: v.optional(int("maximumConcurrency"), D.maximumConcurrency),
  reservedConcurrentExecutions: v.optional(int("reservedConcurrentExecutions")),
  limits: v.optional(
    describedAs(
      v.pipe(args(limitFields), limitsRule()),
      "an object { perWindow?, windowSeconds?, burst? }, burst ≤ perWindow",
    ),
    () => ({}),
  ),
  logRetentionDays: v.optional(
    refine(integer(1, 3653), `one of ${LOG_RETENTION_DAYS.join(", ")}`, isLogRetentionDays),
    D.logRetentionDays,
  ),
  alarmThresholds: v.optional(
    describedAs(
      args(alarmThresholdFields),
      "an object { oldestMessageAgeSeconds?, visibleMessages?, dlqMessages?, errorRatePercent?, durationMs?, throttles? }",
    ),
    () => ({}),
  ),
  tags: q.tags,
};

/** The cross-field rules, for any object with the fields they read (the args, the stack section). */
export const pipelineRules = {
  /** Visibility ≥ 6 × the function timeout (AWS's SQS + Lambda guidance), when set. */
  visibility: <T extends { lambdaTimeoutSeconds: number; visibilityTimeoutSeconds?: number | undefined }>() =>
    fieldRule<T>(
      ["lambdaTimeoutSeconds", "visibilityTimeoutSeconds"],
      "visibilityTimeoutSeconds",
      (a) => `≥ 6 × lambda timeout (${minVisibilityTimeoutSeconds(a.lambdaTimeoutSeconds)})`,
      (a) =>
        a.visibilityTimeoutSeconds === undefined ||
        a.visibilityTimeoutSeconds >= minVisibilityTimeoutSeconds(a.lambdaTimeoutSeconds),
    ),
  /** A lower reservation throttles the SQS poller and pushes valid messages into the DLQ. */
  reserved: <T extends { maximumConcurrency: number; reservedConcurrentExecutions?: number | undefined }>() =>
    fieldRule<T>(
      ["maximumConcurrency", "reservedConcurrentExecutions"],
      "reservedConcurrentExecutions",
      (a) =>
        `≥ maximumConcurrency (${a.maximumConcurrency}), or unset (a lower reservation throttles the SQS poller and sends valid messages to the DLQ)`,
      (a) => a.reservedConcurrentExecutions === undefined || a.reservedConcurrentExecutions >= a.maximumConcurrency,
    ),
};

const base = args(rateLimiterPipelineFields);
type Base = v.InferOutput<typeof base>;

/** RateLimiterPipeline's args: the fields and their rules (the resolve step then derives the names). */
export const RateLimiterPipelineSpec = v.pipe(
  base,
  pipelineRules.visibility<Base>(),
  dlqRetentionRule<Base>(),
  pipelineRules.reserved<Base>(),
  fieldRule<Base>(
    ["vpcCidrBlock", "redis"],
    "vpcCidrBlock",
    "a CIDR block, or redis.securityGroupId (the function's Redis egress needs a destination)",
    (a) => a.redis.securityGroupId !== undefined || a.vpcCidrBlock !== undefined,
  ),
);
