// Retry timing for OnlyFans failures (429 / 5xx / network). Pure.

export interface BackoffPolicy {
  /** First retry delay. @default 1000 */
  readonly baseMs: number;
  /** Upper bound of the exponential part. @default 60000 */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 60_000 };

/**
 * Delay before attempt `failedAttempts + 1`: exponential with equal jitter, never below the
 * server's Retry-After. `random` in [0, 1) is injected for determinism.
 */
export function retryDelayMs(
  failedAttempts: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  const jittered = Math.floor(exp / 2 + (exp / 2) * random());
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Retry-After: delta-seconds or an HTTP date (RFC 9110 §10.2.3). Unparseable → undefined. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export type SendOutcome =
  | { readonly kind: "sent"; readonly status: number }
  | { readonly kind: "retryable"; readonly status: number; readonly retryAfterMs?: number; readonly reason: string }
  | { readonly kind: "rejected"; readonly status: number; readonly reason: string };

/** 2xx sent; 408, 425, 429 and 5xx retryable (0 = network error); other 4xx rejected for good. */
export function classifyStatus(status: number, retryAfterMs: number | undefined): SendOutcome {
  if (status >= 200 && status < 300) return { kind: "sent", status };
  if (status === 0 || status === 408 || status === 425 || status === 429 || status >= 500) {
    return {
      kind: "retryable",
      status,
      reason: status === 0 ? "network error" : `HTTP ${status}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  return { kind: "rejected", status, reason: `HTTP ${status}` };
}
