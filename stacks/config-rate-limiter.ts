import {
  ALARM_THRESHOLD_MAX,
  DEFAULT_ALARM_THRESHOLDS,
  DEFAULT_LIMITS,
  isLogRetentionDays,
  type Limits,
  LOG_RETENTION_DAYS,
  limitProblems,
  minVisibilityTimeoutSeconds,
  PIPELINE_DEFAULTS,
  PIPELINE_RANGES,
  type RateLimiterAlarmThresholds,
} from "../components";
import { type ConfigReader, patterns } from "./validation";

// `huntaze:rateLimiter` (the OnlyFans send pipeline) and `huntaze:onlyfansApiToken` (a Pulumi
// secret, read at the namespace level so `pulumi config set --secret huntaze:onlyfansApiToken`
// is the one way to set it). Keys are RateLimiterPipeline's argument names, and defaults, ranges
// and rules are the component's and the runtime's own (imported), so a bad stack file is reported
// with every problem at once before any component is built, and the program passes values through.

export interface RateLimiterConfig {
  /** The runtime's limits. @default DEFAULT_LIMITS (10 per 60 s, burst 3) */
  readonly limits: Limits;
  /** @default 1 */
  readonly batchSize: number;
  /** @default 2 */
  readonly maximumConcurrency: number;
  /** @default - unreserved */
  readonly reservedConcurrentExecutions?: number;
  /** @default 30 */
  readonly lambdaTimeoutSeconds: number;
  /** @default 256 */
  readonly memoryMb: number;
  /** @default 6 × lambdaTimeoutSeconds */
  readonly visibilityTimeoutSeconds: number;
  /** @default 30 */
  readonly logRetentionDays: number;
  /**
   * The DLQ's physical name when it exists under another name than `<prefix>-dlq` (production's
   * Terraform-made `huntaze-rate-limiter-queue-dlq`, adopted). @default `<prefix>-dlq`
   */
  readonly dlqName?: string;
  /** https URL of the OnlyFans API (the token is `onlyfansApiToken`). */
  readonly onlyfans: { readonly apiUrl: string };
  /** @default DEFAULT_ALARM_THRESHOLDS (the seed's) */
  readonly alarmThresholds: Required<RateLimiterAlarmThresholds>;
  /**
   * `huntaze:onlyfansApiToken`, a Pulumi secret. Plain here (config is plain data): the stack
   * wraps it in pulumi.secret() and only the created Secrets Manager secret ever holds it.
   */
  readonly onlyfansApiToken: string;
}

/**
 * Reads `huntaze:rateLimiter` and `huntaze:onlyfansApiToken` from the namespace reader `c`;
 * problems land in `c.problems`.
 */
export function readRateLimiterConfig(c: ConfigReader): RateLimiterConfig {
  const r = c.object("rateLimiter");
  const D = PIPELINE_DEFAULTS;
  const R = PIPELINE_RANGES;
  const int = (key: keyof typeof R & keyof typeof D) => r?.integer(key, { ...R[key], default: D[key] }) ?? D[key];

  // The runtime's rules (ranges and burst ≤ perWindow), reported under limits.<key>.
  const l = r?.object("limits", { optional: true });
  const limit = (key: keyof Limits) => l?.integer(key, { default: DEFAULT_LIMITS[key] }) ?? DEFAULT_LIMITS[key];
  const limits: Limits = {
    perWindow: limit("perWindow"),
    windowSeconds: limit("windowSeconds"),
    burst: limit("burst"),
  };
  for (const p of limitProblems(limits)) l?.problem(p.key, p.allowed, p.got);
  l?.rejectUnknownKeys();

  const batchSize = int("batchSize");
  const maximumConcurrency = int("maximumConcurrency");
  const reservedConcurrentExecutions = r?.has("reservedConcurrentExecutions")
    ? r.integer("reservedConcurrentExecutions", R.reservedConcurrentExecutions)
    : undefined;
  // Lower reserved concurrency throttles the SQS poller and pushes valid messages into the DLQ.
  if (reservedConcurrentExecutions !== undefined && reservedConcurrentExecutions < maximumConcurrency)
    r?.problem(
      "reservedConcurrentExecutions",
      `≥ maximumConcurrency (${maximumConcurrency}), or unset`,
      reservedConcurrentExecutions,
    );
  const lambdaTimeoutSeconds = int("lambdaTimeoutSeconds");
  const memoryMb = int("memoryMb");
  const minVisibility = minVisibilityTimeoutSeconds(lambdaTimeoutSeconds);
  const visibilityTimeoutSeconds = r?.has("visibilityTimeoutSeconds")
    ? r.integer("visibilityTimeoutSeconds", R.visibilityTimeoutSeconds)
    : minVisibility;
  if (visibilityTimeoutSeconds < minVisibility)
    r?.problem("visibilityTimeoutSeconds", `≥ 6 × lambda timeout (${minVisibility})`, visibilityTimeoutSeconds);
  const logRetentionDays = r?.integer("logRetentionDays", { default: D.logRetentionDays }) ?? D.logRetentionDays;
  if (!isLogRetentionDays(logRetentionDays))
    r?.problem("logRetentionDays", `one of ${LOG_RETENTION_DAYS.join(", ")}`, logRetentionDays);

  // SQS queue names: up to 80 letters, digits, "-" and "_" (CreateQueue, Amazon SQS API Reference).
  const dlqName = r?.optionalString("dlqName", {
    pattern: /^[A-Za-z0-9_-]{1,80}$/,
    describe: 'a queue name (1–80 letters, digits, "-" or "_")',
  });

  const o = r?.object("onlyfans");
  const onlyfans = { apiUrl: o?.string("apiUrl", { pattern: patterns.httpsUrl, describe: "an https:// URL" }) ?? "" };
  o?.rejectUnknownKeys();

  const a = r?.object("alarmThresholds", { optional: true });
  const threshold = (key: keyof RateLimiterAlarmThresholds) =>
    a?.number(key, { min: 0, max: ALARM_THRESHOLD_MAX[key], default: DEFAULT_ALARM_THRESHOLDS[key] }) ??
    DEFAULT_ALARM_THRESHOLDS[key];
  const alarmThresholds = Object.fromEntries(
    (Object.keys(DEFAULT_ALARM_THRESHOLDS) as (keyof RateLimiterAlarmThresholds)[]).map((k) => [k, threshold(k)]),
  ) as Required<RateLimiterAlarmThresholds>;
  a?.rejectUnknownKeys();
  r?.rejectUnknownKeys();

  return {
    limits,
    batchSize,
    maximumConcurrency,
    ...(reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions } : {}),
    lambdaTimeoutSeconds,
    memoryMb,
    visibilityTimeoutSeconds,
    logRetentionDays,
    ...(dlqName !== undefined ? { dlqName } : {}),
    onlyfans,
    alarmThresholds,
    // Must be a Pulumi secret; its value is never shown in a problem.
    onlyfansApiToken: c.secret("onlyfansApiToken", { minLength: 16 }),
  };
}
