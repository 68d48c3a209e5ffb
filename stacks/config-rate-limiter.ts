import * as v from "valibot";
import type { RateLimiterAlarmThresholds, RateLimiterLimits } from "../components";
import {
  alarmThresholdFields,
  limitFields,
  limitsRule,
  minVisibilityTimeoutSeconds,
  ONLYFANS_TOKEN_MIN_LENGTH,
  onlyfansFields,
  rateLimiterPipelineFields as P,
  pipelineRules,
  strictObject,
} from "../components/specs";
import type { ConfigReader } from "./validation";

// `huntaze:rateLimiter` (the OnlyFans send pipeline) and `huntaze:onlyfansApiToken` (a Pulumi
// secret, read at the namespace level so `pulumi config set --secret huntaze:onlyfansApiToken`
// is the one way to set it). The section is read against RateLimiterPipeline's spec: its keys are
// the component's argument names and each key's schema is the component's own field (defaults,
// ranges, the runtime's limit rules, the visibility and reserved-concurrency rules), so a bad stack
// file is reported with every problem at once before any component is built, and the program
// passes values through.

/** `huntaze:rateLimiter`: the component's fields, unknown keys named. */
export const RateLimiterSection = v.pipe(
  strictObject({
    limits: v.optional(v.pipe(strictObject(limitFields), limitsRule()), () => ({})),
    batchSize: P.batchSize,
    maximumConcurrency: P.maximumConcurrency,
    reservedConcurrentExecutions: P.reservedConcurrentExecutions,
    lambdaTimeoutSeconds: P.lambdaTimeoutSeconds,
    memoryMb: P.memoryMb,
    visibilityTimeoutSeconds: P.visibilityTimeoutSeconds,
    logRetentionDays: P.logRetentionDays,
    dlqName: P.dlqName,
    onlyfans: strictObject({ apiUrl: onlyfansFields.apiUrl }),
    alarmThresholds: v.optional(strictObject(alarmThresholdFields), () => ({})),
  }),
  pipelineRules.visibility(),
  pipelineRules.reserved(),
);

export interface RateLimiterConfig {
  /** The runtime's limits. @default DEFAULT_LIMITS (10 per 60 s, burst 3) */
  readonly limits: Required<RateLimiterLimits>;
  readonly batchSize: number;
  readonly maximumConcurrency: number;
  /** @default - unreserved */
  readonly reservedConcurrentExecutions?: number;
  readonly lambdaTimeoutSeconds: number;
  readonly memoryMb: number;
  /** @default 6 × lambdaTimeoutSeconds */
  readonly visibilityTimeoutSeconds: number;
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
  const r = c.spec("rateLimiter", RateLimiterSection);
  // Must be a Pulumi secret; its value is never shown in a problem.
  const onlyfansApiToken = c.secret("onlyfansApiToken", { minLength: ONLYFANS_TOKEN_MIN_LENGTH });
  // Undefined only when the section has problems, which parseStackConfig then throws: never used.
  if (r === undefined) return { onlyfansApiToken } as RateLimiterConfig;
  const { reservedConcurrentExecutions, dlqName, ...rest } = r;
  return {
    ...rest,
    ...(reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions } : {}),
    // The component's computed default, applied here so the program passes one value through.
    visibilityTimeoutSeconds: r.visibilityTimeoutSeconds ?? minVisibilityTimeoutSeconds(r.lambdaTimeoutSeconds),
    ...(dlqName !== undefined ? { dlqName } : {}),
    limits: r.limits as Required<RateLimiterLimits>,
    alarmThresholds: r.alarmThresholds as Required<RateLimiterAlarmThresholds>,
    onlyfansApiToken,
  };
}
