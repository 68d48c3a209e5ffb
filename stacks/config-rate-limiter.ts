import { DEFAULT_ALARM_THRESHOLDS } from "../components";
import { type ConfigReader, patterns } from "./validation";

// `huntaze:rateLimiter` (the OnlyFans send pipeline) and `huntaze:onlyfansApiToken` (a Pulumi
// secret, read at the namespace level so `pulumi config set --secret huntaze:onlyfansApiToken`
// is the one way to set it). Ranges mirror RateLimiterPipeline's validation, so a bad stack file
// is reported with every problem at once before any component is built.

export interface RateLimiterAlarmsConfig {
  readonly oldestMessageAgeSeconds: number;
  readonly visibleMessages: number;
  readonly dlqMessages: number;
  readonly errorRatePercent: number;
  readonly durationMs: number;
  readonly throttles: number;
}

export interface RateLimiterConfig {
  /** Sends per creator in any rolling window. @default 10 */
  readonly perWindow: number;
  /** @default 60 */
  readonly windowSeconds: number;
  /** Token bucket capacity (≤ perWindow). @default 3 */
  readonly burst: number;
  /** Messages per invocation, 1–10. @default 1 */
  readonly batchSize: number;
  /** Event source mapping concurrency cap, ≥ 2. @default 2 */
  readonly maximumConcurrency: number;
  /** ≥ maximumConcurrency when set. @default - unreserved */
  readonly reservedConcurrentExecutions?: number;
  /** @default 30 */
  readonly lambdaTimeoutSeconds: number;
  /** @default 256 */
  readonly memoryMb: number;
  /** ≥ 6 × lambdaTimeoutSeconds. @default 6 × lambdaTimeoutSeconds */
  readonly visibilityTimeoutSeconds: number;
  /** @default 30 */
  readonly logRetentionDays: number;
  /** https URL of the OnlyFans API. */
  readonly onlyfansApiUrl: string;
  /**
   * `huntaze:onlyfansApiToken`, a Pulumi secret. Plain here (config is plain data): the stack
   * wraps it in pulumi.secret() and only the created Secrets Manager secret ever holds it.
   */
  readonly onlyfansApiToken: string;
  readonly alarms: RateLimiterAlarmsConfig;
}

const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 3653];

/**
 * Reads `huntaze:rateLimiter` and `huntaze:onlyfansApiToken` from the namespace reader `c`;
 * problems land in `c.problems`.
 */
export function readRateLimiterConfig(c: ConfigReader): RateLimiterConfig {
  const r = c.object("rateLimiter");
  const int = (key: string, min: number, max: number, fallback: number) =>
    r?.integer(key, { min, max, default: fallback }) ?? fallback;

  const perWindow = int("perWindow", 1, 10_000, 10);
  const windowSeconds = int("windowSeconds", 1, 86_400, 60);
  const burst = int("burst", 1, 10_000, 3);
  if (burst > perWindow) r?.problem("burst", `an integer from 1 to perWindow (${perWindow})`, burst);
  const batchSize = int("batchSize", 1, 10, 1);
  const maximumConcurrency = int("maximumConcurrency", 2, 1000, 2);
  const reservedConcurrentExecutions = r?.has("reservedConcurrentExecutions")
    ? r.integer("reservedConcurrentExecutions", { min: 0, max: 10_000 })
    : undefined;
  // Lower reserved concurrency throttles the SQS poller and pushes valid messages into the DLQ.
  if (reservedConcurrentExecutions !== undefined && reservedConcurrentExecutions < maximumConcurrency)
    r?.problem(
      "reservedConcurrentExecutions",
      `≥ maximumConcurrency (${maximumConcurrency}), or unset`,
      reservedConcurrentExecutions,
    );
  const lambdaTimeoutSeconds = int("lambdaTimeoutSeconds", 1, 900, 30);
  const memoryMb = int("memoryMb", 128, 10_240, 256);
  const minVisibility = 6 * lambdaTimeoutSeconds;
  const visibilityTimeoutSeconds = r?.has("visibilityTimeoutSeconds")
    ? r.integer("visibilityTimeoutSeconds", { min: 0, max: 43_200 })
    : minVisibility;
  if (visibilityTimeoutSeconds < minVisibility)
    r?.problem("visibilityTimeoutSeconds", `≥ 6 × lambda timeout (${minVisibility})`, visibilityTimeoutSeconds);
  const logRetentionDays = int("logRetentionDays", 1, 3653, 30);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays))
    r?.problem("logRetentionDays", `one of ${LOG_RETENTION_DAYS.join(", ")}`, logRetentionDays);
  const onlyfansApiUrl = r?.string("onlyfansApiUrl", { pattern: patterns.httpsUrl, describe: "an https:// URL" }) ?? "";

  const a = r?.object("alarms", { optional: true });
  const threshold = (key: keyof RateLimiterAlarmsConfig, max: number) =>
    a?.number(key, { min: 0, max, default: DEFAULT_ALARM_THRESHOLDS[key] }) ?? DEFAULT_ALARM_THRESHOLDS[key];
  const alarms: RateLimiterAlarmsConfig = {
    oldestMessageAgeSeconds: threshold("oldestMessageAgeSeconds", 1_209_600),
    visibleMessages: threshold("visibleMessages", 1_000_000_000),
    dlqMessages: threshold("dlqMessages", 1_000_000_000),
    errorRatePercent: threshold("errorRatePercent", 100),
    durationMs: threshold("durationMs", 900_000),
    throttles: threshold("throttles", 1_000_000_000),
  };
  a?.rejectUnknownKeys();
  r?.rejectUnknownKeys();

  return {
    perWindow,
    windowSeconds,
    burst,
    batchSize,
    maximumConcurrency,
    ...(reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions } : {}),
    lambdaTimeoutSeconds,
    memoryMb,
    visibilityTimeoutSeconds,
    logRetentionDays,
    onlyfansApiUrl,
    // Must be a Pulumi secret; its value is never shown in a problem.
    onlyfansApiToken: c.secret("onlyfansApiToken", { minLength: 16 }),
    alarms,
  };
}
