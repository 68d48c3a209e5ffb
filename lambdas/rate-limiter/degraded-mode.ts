// The handler's Redis state in one object: whether Redis is considered unreachable (degraded mode),
// the offset between this instance's clock and Redis' TIME, the recovery in progress, and the sends
// made while Redis was down that must be recorded once it answers again. Every call returns its
// outcome as a value — `ok` (with the reply) or `unavailable` — instead of throwing, so the
// handler reads as a decision table; only a Redis reply that is a bug (a script error) throws.

import type { AuthRetry } from "../shared/redis-auth";
import type { RateLimiterSettings } from "./config";
import { type LocalDecision, LocalLimiter, type RecordedSend } from "./degraded";
import type { RedisRateStore } from "./store";
import type { Logger, Metrics } from "./telemetry";

/** What a Redis call came to. */
export type RedisOutcome<T> =
  | { readonly status: "ok"; readonly value: T }
  | { readonly status: "unavailable"; readonly error: unknown };

export interface DegradedModeDeps {
  readonly store: RedisRateStore;
  readonly settings: RateLimiterSettings;
  readonly now: () => number;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** True when the client is connected (ioredis `status === "ready"`): recovery is tried only then. */
  readonly ready: () => boolean;
  /** Re-reads the AUTH token and retries a call once on WRONGPASS/NOAUTH (lambdas/shared/redis-auth.ts). @default - no retry */
  readonly redisAuth?: AuthRetry;
}

/**
 * A Redis error reply that is not about availability (a script error, a wrong key type) is a bug to
 * surface, not a reason for degraded mode; LOADING / MASTERDOWN / CLUSTERDOWN / TRYAGAIN / READONLY
 * (a restart or a failover in progress) and every connection error are outages.
 */
export function isBugNotOutage(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== "ReplyError") return false;
  return !/^(LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|BUSY|NOAUTH|WRONGPASS)/.test(error.message);
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export class DegradedMode {
  private degradedNow = false;
  private offsetMs: number | undefined;
  private recovering: Promise<boolean> | undefined;
  /** Sends made while Redis was down, to be recorded as done once it is back. */
  private readonly pendingDone: { userId: string; messageId: string }[] = [];
  private readonly local: LocalLimiter;

  constructor(private readonly deps: DegradedModeDeps) {
    this.local = new LocalLimiter(deps.settings.limits, deps.settings.maxConcurrency);
  }

  /** True while Redis is considered unreachable. */
  get degraded(): boolean {
    return this.degradedNow;
  }

  /** Runs one Redis call within `redisTimeoutMs`; an outage switches to degraded mode. */
  async call<T>(fn: () => Promise<T>): Promise<RedisOutcome<T>> {
    try {
      const attempt = () => withTimeout(fn(), this.deps.settings.redisTimeoutMs);
      return { status: "ok", value: await (this.deps.redisAuth ? this.deps.redisAuth.run(attempt) : attempt()) };
    } catch (error) {
      if (isBugNotOutage(error)) throw error;
      return this.unavailable(error);
    }
  }

  /** Switches to degraded mode (once), e.g. when a reply arrived after its deadline. */
  unavailable(error: unknown): { readonly status: "unavailable"; readonly error: unknown } {
    if (!this.degradedNow) {
      this.degradedNow = true;
      this.local.enterDegraded(this.deps.now());
      this.deps.metrics.count("RedisUnavailable");
      const b = this.local.perInstanceBudget;
      this.deps.logger.error("redis unavailable: degraded mode, per-instance budget", {
        event: "rate_limiter_degraded",
        perWindow: b.perWindow,
        burst: b.burst,
        windowSeconds: b.windowMs / 1000,
        quietSeconds: b.windowMs / 1000,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    return { status: "unavailable", error };
  }

  /**
   * `ok` when Redis may be used now. In degraded mode, once the client is connected again, merges
   * this instance's recent sends and pending outcomes into Redis (one recovery at a time) and
   * leaves degraded mode; `unavailable` until that succeeded.
   */
  async ensureAvailable(): Promise<"ok" | "unavailable"> {
    if (!this.degradedNow) return "ok";
    if (!this.deps.ready()) return "unavailable";
    this.recovering ??= this.recover().finally(() => {
      this.recovering = undefined;
    });
    return (await this.recovering) ? "ok" : "unavailable";
  }

  /**
   * The server-time deadline of a decision asked at local time `askedAt` (a retried call must not
   * act after it): 0 (none) until the clock offset is known.
   */
  deadlineFor(askedAt: number): number {
    return this.offsetMs === undefined ? 0 : askedAt + this.offsetMs + this.deps.settings.redisTimeoutMs;
  }

  /** Learns the clock offset from a reply's server time, taken between local `before` and `after`. */
  observeServerTime(serverMs: number, before: number, after: number): void {
    this.offsetMs = serverMs - Math.round((before + after) / 2);
  }

  /** Redis time estimated from this instance's clock. */
  serverTime(localMs: number): number {
    return localMs + (this.offsetMs ?? 0);
  }

  /** Remembers a send (in Redis mode too), so a merge after an outage puts it back into the window. */
  recordSend(userId: string, send: RecordedSend): void {
    this.local.record(userId, send);
  }

  /** May this instance send for `userId` now, on its share of the limits (Redis unreachable)? */
  decideLocally(userId: string, nowMs: number): LocalDecision {
    return this.local.decide(userId, nowMs);
  }

  /** A send whose outcome Redis could not record: recorded on recovery. */
  recordSentLater(userId: string, messageId: string): void {
    this.pendingDone.push({ userId, messageId });
  }

  private async recover(): Promise<boolean> {
    const { store, settings, now, metrics, logger } = this.deps;
    try {
      const at = now();
      for (const [userId, sends] of this.local.recent(at)) {
        await withTimeout(
          store.merge(
            userId,
            sends.map((s) => ({ member: s.member, ms: s.serverMs || this.serverTime(s.localMs) })),
          ),
          settings.redisTimeoutMs,
        );
      }
      while (this.pendingDone.length > 0) {
        const p = this.pendingDone[0] as { userId: string; messageId: string };
        await withTimeout(store.done(p.userId, p.messageId), settings.redisTimeoutMs);
        this.pendingDone.shift();
      }
      this.degradedNow = false;
      metrics.count("RedisRecovered");
      logger.info("redis available again: normal mode", { event: "rate_limiter_recovered" });
      return true;
    } catch (error) {
      logger.warn("redis still unavailable", { event: "rate_limiter_recovery_failed", error: String(error) });
      return false;
    }
  }
}
