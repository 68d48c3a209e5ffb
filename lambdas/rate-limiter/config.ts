// Limits and runtime settings of the rate limiter, validated as data (every problem reported at
// once, each naming the allowed range and the value received). Pure: no I/O.
import { AUTH_TOKEN_SECRET_ARN_VAR } from "../shared/redis-auth";

/** Per-creator sending limits. OnlyFans bans accounts that exceed them, so they are hard limits. */
export interface Limits {
  /** Sends allowed in any rolling window of `windowSeconds`. @default 10 */
  readonly perWindow: number;
  /** Length of the rolling window. @default 60 */
  readonly windowSeconds: number;
  /** Token bucket capacity (refilled at `perWindow` per window). @default 3 */
  readonly burst: number;
}

export const DEFAULT_LIMITS: Limits = { perWindow: 10, windowSeconds: 60, burst: 3 };

export interface RateLimiterSettings {
  readonly limits: Limits;
  /** Lambda event source mapping `maximumConcurrency`; sizes the degraded-mode budget. @default 2 */
  readonly maxConcurrency: number;
  /** Failed OnlyFans attempts before a message goes to the DLQ. @default 5 */
  readonly maxAttempts: number;
  /** How long a sent messageId is remembered (duplicate suppression). @default 86400 */
  readonly idempotencyTtlSeconds: number;
  /** OnlyFans request timeout. @default 5000 */
  readonly httpTimeoutMs: number;
  /** A Redis call slower than this switches to degraded mode. @default 1000 */
  readonly redisTimeoutMs: number;
  /** Waits up to this long are slept in the invocation instead of re-queued (SQS delays are whole seconds). @default 1000 */
  readonly maxInlineWaitMs: number;
  /** First retry delay after a failed OnlyFans send (doubles per attempt, capped at 60 s). @default 1000 */
  readonly retryBaseMs: number;
}

export const DEFAULT_SETTINGS: RateLimiterSettings = {
  limits: DEFAULT_LIMITS,
  maxConcurrency: 2,
  maxAttempts: 5,
  idempotencyTtlSeconds: 86_400,
  httpTimeoutMs: 5_000,
  redisTimeoutMs: 1_000,
  maxInlineWaitMs: 1_000,
  retryBaseMs: 1_000,
};

/** Longest SQS DelaySeconds. */
export const MAX_DELAY_SECONDS = 900;

export type Validated<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: string[] };

interface Rule {
  readonly check: boolean;
  readonly message: string;
}

const isInt = (v: number) => Number.isSafeInteger(v);

/** A problem with one setting: the allowed values and the value received (stack config reports it by key). */
export interface SettingProblem<K extends string = string> {
  readonly key: K;
  readonly allowed: string;
  readonly got: number;
}

/** Ranges of the limits, inclusive; `burst` is also capped by `perWindow` (see {@link limitProblems}). */
export const LIMIT_RANGES = {
  perWindow: { min: 1, max: 10_000 },
  windowSeconds: { min: 1, max: 86_400 },
  burst: { min: 1, max: 10_000 },
} as const satisfies Record<keyof Limits, { min: number; max: number }>;

/** Checks limits; the window must hold the whole bucket (burst ≤ perWindow), or the window would never bind. */
export function limitProblems(limits: Limits): SettingProblem<keyof Limits>[] {
  const { perWindow, windowSeconds, burst } = limits;
  const r = LIMIT_RANGES;
  const rules: (SettingProblem<keyof Limits> & { check: boolean })[] = [
    {
      key: "perWindow",
      check: isInt(perWindow) && perWindow >= r.perWindow.min && perWindow <= r.perWindow.max,
      allowed: `an integer from ${r.perWindow.min} to ${r.perWindow.max}`,
      got: perWindow,
    },
    {
      key: "windowSeconds",
      check: isInt(windowSeconds) && windowSeconds >= r.windowSeconds.min && windowSeconds <= r.windowSeconds.max,
      allowed: `an integer from ${r.windowSeconds.min} to ${r.windowSeconds.max}`,
      got: windowSeconds,
    },
    {
      key: "burst",
      check: isInt(burst) && burst >= r.burst.min && burst <= perWindow,
      allowed: `an integer from ${r.burst.min} to perWindow (${perWindow})`,
      got: burst,
    },
  ];
  return rules.filter((p) => !p.check).map(({ key, allowed, got }) => ({ key, allowed, got }));
}

/** {@link limitProblems} as messages ("perWindow must be …, got …"). */
export function validateLimits(limits: Limits): string[] {
  return limitProblems(limits).map((p) => `${p.key} must be ${p.allowed}, got ${p.got}`);
}

export function resolveLimits(partial: Partial<Limits> | undefined): Validated<Limits> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...stripUndefined(partial ?? {}) };
  const problems = validateLimits(limits);
  return problems.length === 0 ? { ok: true, value: limits } : { ok: false, problems };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Ranges of the runtime settings, inclusive. */
export const SETTING_RANGES = {
  maxConcurrency: { min: 1, max: 1000 },
  maxAttempts: { min: 1, max: 100 },
  idempotencyTtlSeconds: { min: 60, max: 2_592_000 },
  httpTimeoutMs: { min: 100, max: 60_000 },
  redisTimeoutMs: { min: 10, max: 30_000 },
  maxInlineWaitMs: { min: 0, max: 5_000 },
  retryBaseMs: { min: 10, max: 60_000 },
} as const satisfies Record<keyof Omit<RateLimiterSettings, "limits">, { min: number; max: number }>;

export function resolveSettings(
  partial: Partial<Omit<RateLimiterSettings, "limits">> & { limits?: Partial<Limits> },
): Validated<RateLimiterSettings> {
  const limits = resolveLimits(partial.limits);
  const s: RateLimiterSettings = {
    ...DEFAULT_SETTINGS,
    ...stripUndefined({ ...partial, limits: undefined }),
    limits: limits.ok ? limits.value : DEFAULT_LIMITS,
  };
  const rules: Rule[] = (Object.keys(SETTING_RANGES) as (keyof typeof SETTING_RANGES)[]).map((key) => {
    const { min, max } = SETTING_RANGES[key];
    const v = s[key];
    return {
      check: isInt(v) && v >= min && v <= max,
      message: `${key} must be an integer from ${min} to ${max}, got ${v}`,
    };
  });
  const problems = [...(limits.ok ? [] : limits.problems), ...rules.filter((r) => !r.check).map((r) => r.message)];
  return problems.length === 0 ? { ok: true, value: s } : { ok: false, problems };
}

/** Integer arithmetic used by the Lua script and the reference model alike (Redis truncates Lua floats). */
export interface Units {
  /** perWindow: bucket units refilled per millisecond. */
  readonly refillPerMs: number;
  /** windowMs: one token, in bucket units. */
  readonly cost: number;
  /** burst × windowMs. */
  readonly capacity: number;
  readonly windowMs: number;
  readonly perWindow: number;
}

/** One token = windowMs units, refill = perWindow units per ms: exact integers, no fractional tokens. */
export function units(limits: Limits): Units {
  const windowMs = limits.windowSeconds * 1000;
  return {
    refillPerMs: limits.perWindow,
    cost: windowMs,
    capacity: limits.burst * windowMs,
    windowMs,
    perWindow: limits.perWindow,
  };
}

/** Lease on a granted send: after this, an unfinished send (crashed invocation) goes back to the line. */
export function leaseMs(settings: RateLimiterSettings): number {
  return Math.max(30_000, settings.httpTimeoutMs * 3);
}

/** Per-user keys live at least as long as the idempotency memory and the window. */
export function keyTtlMs(settings: RateLimiterSettings): number {
  return Math.max(settings.idempotencyTtlSeconds * 1000, settings.limits.windowSeconds * 1000) + 60_000;
}

/** SQS DelaySeconds for a wait: whole seconds, rounded down (the rest is slept inline), within 0..900. */
export function delaySecondsFor(waitMs: number, roundUp = false): number {
  const seconds = roundUp ? Math.ceil(waitMs / 1000) : Math.floor(waitMs / 1000);
  return Math.min(MAX_DELAY_SECONDS, Math.max(0, seconds));
}

/** Environment variables of the settings, read by the Lambda (the Pulumi component sets them). */
export const SETTINGS_ENV = {
  perWindow: "RATE_LIMIT_PER_WINDOW",
  windowSeconds: "RATE_LIMIT_WINDOW_SECONDS",
  burst: "RATE_LIMIT_BURST",
  maxConcurrency: "MAX_CONCURRENCY",
  maxAttempts: "MAX_ATTEMPTS",
  idempotencyTtlSeconds: "IDEMPOTENCY_TTL_SECONDS",
  httpTimeoutMs: "ONLYFANS_TIMEOUT_MS",
  redisTimeoutMs: "REDIS_TIMEOUT_MS",
  maxInlineWaitMs: "MAX_INLINE_WAIT_MS",
  retryBaseMs: "RETRY_BASE_MS",
} as const;

/**
 * Environment variables of the Lambda's connections (the Pulumi component sets them; the Redis
 * connection's own variables are REDIS_ENV in lambdas/shared/redis-config.ts).
 */
export const ENTRY_ENV = {
  queueUrl: "QUEUE_URL",
  dlqUrl: "DLQ_URL",
  onlyfansApiUrl: "ONLYFANS_API_URL",
  /** Secrets Manager secret holding the OnlyFans bearer token (JSON {token} or the bare token). */
  onlyfansSecretArn: "ONLYFANS_API_TOKEN_SECRET_ARN",
  /** The token itself (local runs only). */
  onlyfansToken: "ONLYFANS_API_TOKEN",
  /** Secrets Manager secret of the Redis AUTH token (EncryptedRedis' JSON {authToken, ...}). */
  redisAuthSecretArn: AUTH_TOKEN_SECRET_ARN_VAR,
} as const;

/** Reads the settings from the environment; unset variables take the defaults; every problem at once. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): Validated<RateLimiterSettings> {
  const problems: string[] = [];
  const num = (name: string): number | undefined => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === "") return undefined;
    if (!/^-?\d+$/.test(raw)) {
      problems.push(`${name} must be an integer, got "${raw}"`);
      return undefined;
    }
    return Number(raw);
  };
  const resolved = resolveSettings({
    limits: {
      perWindow: num(SETTINGS_ENV.perWindow),
      windowSeconds: num(SETTINGS_ENV.windowSeconds),
      burst: num(SETTINGS_ENV.burst),
    } as Partial<Limits>,
    maxConcurrency: num(SETTINGS_ENV.maxConcurrency),
    maxAttempts: num(SETTINGS_ENV.maxAttempts),
    idempotencyTtlSeconds: num(SETTINGS_ENV.idempotencyTtlSeconds),
    httpTimeoutMs: num(SETTINGS_ENV.httpTimeoutMs),
    redisTimeoutMs: num(SETTINGS_ENV.redisTimeoutMs),
    maxInlineWaitMs: num(SETTINGS_ENV.maxInlineWaitMs),
    retryBaseMs: num(SETTINGS_ENV.retryBaseMs),
  } as Partial<Omit<RateLimiterSettings, "limits">> & { limits?: Partial<Limits> });
  if (!resolved.ok) problems.push(...resolved.problems);
  return problems.length === 0 && resolved.ok ? resolved : { ok: false, problems };
}
