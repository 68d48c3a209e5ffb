// SQS → OnlyFans, one creator's limits at a time. Everything with side effects is injected (Redis
// client, queue sender, OnlyFans client, clock, logger, metrics), so tests and the local pipeline
// drive this very handler.
//
// Per record:
// - malformed body → DLQ at once, with the reason (never failed back: each receive would count);
// - otherwise the decision script runs on Redis: it grants the head(s) of the creator's line that
//   both limits allow now (possibly other messages than this record: their wake-ups arrive later
//   and find them done), or tells how long this message waits for its reserved place;
// - a short wait (< maxInlineWaitMs, below SQS's one-second granularity) is slept here, a longer one
//   re-queues this record with DelaySeconds = floor(wait) and acks it: throttling never spends a
//   receive towards the DLQ;
// - each grant is POSTed in order; 429 / 5xx put it back at the head of the line with a backoff
//   (Retry-After respected) and the line pauses; after maxAttempts failures it is dead-lettered;
// - Redis unreachable → degraded mode (degraded.ts), logged and counted, until Redis answers again.
// Records of one creator run one after another (their order is the line's order); creators run in
// parallel.

import type { AuthRetry } from "../shared/redis-auth";
import { retryDelayMs, type SendOutcome } from "./backoff";
import { delaySecondsFor, type RateLimiterSettings } from "./config";
import { LocalLimiter } from "./degraded";
import { type OutboundMessage, parseMessage } from "./message";
import { type Decision, type Grant, Outcome, Status } from "./model";
import type { OnlyFansClient } from "./onlyfans";
import { type RedisClient, RedisRateStore } from "./store";
import { type Logger, Metrics } from "./telemetry";

export interface SqsRecord {
  readonly messageId: string;
  readonly body: string;
  readonly attributes?: { readonly ApproximateReceiveCount?: string };
  readonly messageAttributes?: Record<string, { readonly stringValue?: string; readonly dataType?: string }>;
}
export interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}
export interface LambdaContextLike {
  getRemainingTimeInMillis?(): number;
}

/** Message attributes the limiter puts on the copies it re-queues. */
export const ATTR_ATTEMPTS = "rl-attempts";
export const ATTR_WAKEUP = "rl-wakeup";
export const ATTR_REASON = "rl-dlq-reason";

export interface QueueSender {
  /** SendMessage to the source queue with DelaySeconds (0..900). */
  requeue(body: string, delaySeconds: number, attributes: Record<string, string>): Promise<void>;
  /** SendMessage to the DLQ. */
  deadLetter(body: string, reason: string, attributes: Record<string, string>): Promise<void>;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export interface HandlerDeps {
  readonly redis: RedisClient;
  /** Re-reads the AUTH token and retries a call once on WRONGPASS/NOAUTH (lambdas/shared/redis-auth.ts). @default - no retry */
  readonly redisAuth?: AuthRetry;
  readonly queue: QueueSender;
  readonly onlyFans: OnlyFansClient;
  readonly settings: RateLimiterSettings;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Where EMF lines go. @default the logger's stdout */
  readonly emitMetrics?: (emf: string) => void;
  /** Observes every decision Redis returned (tests and the local tools check order and grant times). */
  readonly onDecision?: (userId: string, messageId: string, decision: Decision) => void;
}

type GrantResult =
  | { readonly kind: "sent" }
  | { readonly kind: "dead" }
  | { readonly kind: "retry"; readonly delayMs: number; readonly attempts: number }
  | { readonly kind: "released" };

class RedisDown extends Error {
  constructor(cause: unknown) {
    super("Redis unavailable", { cause });
    this.name = "RedisDown";
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
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

/**
 * A Redis error reply that is not about availability (a script error, a wrong key type) is a bug to
 * surface, not a reason for degraded mode; LOADING / MASTERDOWN / CLUSTERDOWN / TRYAGAIN / READONLY
 * (a restart or a failover in progress) and every connection error are outages.
 */
function isBugNotOutage(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== "ReplyError") return false;
  return !/^(LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|BUSY|NOAUTH|WRONGPASS)/.test(error.message);
}

/** Remembers recently sent messageIds per instance (duplicate guard when Redis lost its data). */
class RecentIds {
  private readonly ids = new Map<string, number>();
  constructor(private readonly max = 50_000) {}
  add(id: string, now: number): void {
    this.ids.set(id, now);
    if (this.ids.size > this.max) {
      const first = this.ids.keys().next().value;
      if (first !== undefined) this.ids.delete(first);
    }
  }
  has(id: string): boolean {
    return this.ids.has(id);
  }
}

export interface RateLimiterHandler {
  (event: SqsEvent, context?: LambdaContextLike): Promise<BatchResponse>;
  readonly metrics: Metrics;
  readonly store: RedisRateStore;
  /** true while Redis is considered unreachable. */
  degraded(): boolean;
}

export function createRateLimiterHandler(deps: HandlerDeps): RateLimiterHandler {
  const { queue, onlyFans, settings, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? Math.random;
  const metrics = deps.metrics ?? new Metrics();
  const emit = deps.emitMetrics ?? ((line: string) => process.stdout.write(`${line}\n`));
  const store = new RedisRateStore(deps.redis, settings);
  const local = new LocalLimiter(settings.limits, settings.maxConcurrency);
  const sentHere = new RecentIds();
  /** Sends made while Redis was down, to be recorded as done once it is back. */
  const pendingDone: { userId: string; messageId: string }[] = [];
  let degraded = false;
  let offsetMs: number | undefined;
  let recovering: Promise<boolean> | undefined;

  const redisReady = () => (deps.redis as { status?: string }).status === "ready";

  function enterDegraded(error: unknown): void {
    if (degraded) return;
    degraded = true;
    local.enterDegraded(clock.now());
    metrics.count("RedisUnavailable");
    const b = local.perInstanceBudget;
    logger.error("redis unavailable: degraded mode, per-instance budget", {
      event: "rate_limiter_degraded",
      perWindow: b.perWindow,
      burst: b.burst,
      windowSeconds: b.windowMs / 1000,
      quietSeconds: b.windowMs / 1000,
      error: error instanceof Error ? error.message : String(error),
    });
  }

  async function redisCall<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const attempt = () => withTimeout(fn(), settings.redisTimeoutMs);
      return await (deps.redisAuth ? deps.redisAuth.run(attempt) : attempt());
    } catch (error) {
      if (isBugNotOutage(error)) throw error;
      enterDegraded(error);
      throw new RedisDown(error);
    }
  }

  /** Merge this instance's recent sends and pending outcomes into Redis; then leave degraded mode. */
  async function recover(): Promise<boolean> {
    try {
      const now = clock.now();
      const offset = offsetMs ?? 0;
      for (const [userId, sends] of local.recent(now)) {
        await withTimeout(
          store.merge(
            userId,
            sends.map((s) => ({ member: s.member, ms: s.serverMs || s.localMs + offset })),
          ),
          settings.redisTimeoutMs,
        );
      }
      while (pendingDone.length > 0) {
        const p = pendingDone[0] as { userId: string; messageId: string };
        await withTimeout(store.finish(p.userId, p.messageId, Outcome.sent), settings.redisTimeoutMs);
        pendingDone.shift();
      }
      degraded = false;
      metrics.count("RedisRecovered");
      logger.info("redis available again: normal mode", { event: "rate_limiter_recovered" });
      return true;
    } catch (error) {
      logger.warn("redis still unavailable", { event: "rate_limiter_recovery_failed", error: String(error) });
      return false;
    }
  }

  async function healthy(): Promise<boolean> {
    if (!degraded) return true;
    if (!redisReady()) return false;
    recovering ??= recover().finally(() => {
      recovering = undefined;
    });
    return recovering;
  }

  async function deadLetter(bodyText: string, reason: string, attempts: number): Promise<void> {
    await queue.deadLetter(bodyText, reason, { [ATTR_REASON]: reason, [ATTR_ATTEMPTS]: String(attempts) });
    metrics.count("DeadLettered");
    logger.warn("message dead-lettered", { event: "rate_limiter_dlq", reason, attempts });
  }

  /** POST one message; classify; record the outcome (in Redis when `viaRedis`). */
  async function post(userId: string, grant: Grant, viaRedis: boolean): Promise<GrantResult> {
    const parsed = parseMessage(grant.body);
    if (parsed.kind === "malformed") {
      await deadLetter(grant.body, `malformed: ${parsed.reason}`, grant.attempts);
      if (viaRedis) await finishSafe(userId, grant.messageId, Outcome.deadLettered);
      return { kind: "dead" };
    }
    const m = parsed.value;
    let outcome: SendOutcome;
    if (sentHere.has(m.messageId)) {
      outcome = { kind: "sent", status: 200 };
    } else {
      outcome = await onlyFans.send(m);
    }
    if (outcome.kind === "sent") {
      sentHere.add(m.messageId, clock.now());
      metrics.count("Sent");
      logger.info("sent", { event: "rate_limiter_sent", messageId: m.messageId, userId, status: outcome.status });
      if (viaRedis) await finishSafe(userId, m.messageId, Outcome.sent);
      else pendingDone.push({ userId, messageId: m.messageId });
      return { kind: "sent" };
    }
    const attempts = grant.attempts + 1;
    if (outcome.kind === "rejected" || attempts >= settings.maxAttempts) {
      const reason =
        outcome.kind === "rejected"
          ? `OnlyFans rejected the message (${outcome.reason})`
          : `OnlyFans send failed ${attempts} times (last: ${outcome.reason})`;
      await deadLetter(grant.body, reason, attempts);
      if (viaRedis) await finishSafe(userId, m.messageId, Outcome.deadLettered);
      return { kind: "dead" };
    }
    const delayMs = retryDelayMs(attempts, outcome.retryAfterMs, random, {
      baseMs: settings.retryBaseMs,
      capMs: 60_000,
    });
    metrics.count("SendRetries");
    logger.warn("send failed, will retry", {
      event: "rate_limiter_retry",
      messageId: m.messageId,
      userId,
      reason: outcome.reason,
      attempts,
      delayMs,
    });
    if (viaRedis) {
      try {
        await redisCall(() => store.finish(userId, m.messageId, Outcome.failed, delayMs));
      } catch {
        // Redis is gone: the message's own SQS copy carries the retry.
      }
    }
    return { kind: "retry", delayMs, attempts };
  }

  async function finishSafe(
    userId: string,
    messageId: string,
    outcome: typeof Outcome.sent | typeof Outcome.deadLettered,
  ) {
    try {
      await redisCall(() => store.finish(userId, messageId, outcome));
    } catch {
      if (outcome === Outcome.sent) pendingDone.push({ userId, messageId });
    }
  }

  /** POSTs grants in line order; after a retryable failure the rest go back to the line unsent. */
  async function postGrants(
    userId: string,
    grants: readonly Grant[],
    grantedAtMs: number,
  ): Promise<Map<string, GrantResult>> {
    // Remembered locally too: if Redis loses its data, the merge on recovery puts these back.
    const localNow = clock.now();
    for (const g of grants) {
      local.record(userId, { localMs: localNow, serverMs: grantedAtMs, member: `${grantedAtMs}:${g.messageId}` });
    }
    const results = new Map<string, GrantResult>();
    let stop = false;
    for (const g of grants) {
      if (stop) {
        try {
          await redisCall(() => store.finish(userId, g.messageId, Outcome.released));
        } catch {
          // Its own SQS copy will bring it back.
        }
        results.set(g.messageId, { kind: "released" });
        continue;
      }
      const r = await post(userId, g, true);
      results.set(g.messageId, r);
      if (r.kind === "retry") stop = true;
    }
    return results;
  }

  async function requeue(record: SqsRecord, delaySeconds: number, attempts: number): Promise<void> {
    await queue.requeue(record.body, delaySeconds, { [ATTR_ATTEMPTS]: String(attempts), [ATTR_WAKEUP]: "1" });
  }

  async function processDegraded(record: SqsRecord, m: OutboundMessage, attempts: number, wakeup: boolean) {
    metrics.count("DegradedDecisions");
    if (sentHere.has(m.messageId)) {
      if (!wakeup) metrics.count("DuplicatesSuppressed");
      return;
    }
    const now = clock.now();
    const d = local.decide(m.userId, now);
    if (!d.allowed) {
      metrics.count("ThrottledRequeues");
      await requeue(record, Math.max(1, delaySecondsFor(d.waitMs, true)), attempts);
      return;
    }
    const serverMs = now + (offsetMs ?? 0);
    local.record(m.userId, { localMs: now, serverMs, member: `${serverMs}:${m.messageId}` });
    const r = await post(m.userId, { messageId: m.messageId, attempts, body: record.body }, false);
    if (r.kind === "retry") await requeue(record, Math.max(1, delaySecondsFor(r.delayMs, true)), r.attempts);
  }

  async function processRecord(record: SqsRecord, deadlineAt: number): Promise<void> {
    const parsed = parseMessage(record.body);
    const attempts = Number(record.messageAttributes?.[ATTR_ATTEMPTS]?.stringValue ?? "0") || 0;
    const wakeup = record.messageAttributes?.[ATTR_WAKEUP]?.stringValue === "1";
    if (parsed.kind === "malformed") {
      metrics.count("Malformed");
      await deadLetter(record.body, `malformed: ${parsed.reason}`, 0);
      return;
    }
    const m = parsed.value;
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? "1") || 1;
    let busyChecks = 0;
    let pass = 0;
    for (;;) {
      if (!(await healthy())) return processDegraded(record, m, attempts, wakeup);
      let d: Decision;
      try {
        const before = clock.now();
        d = await redisCall(() =>
          store.decide({
            userId: m.userId,
            messageId: m.messageId,
            attempts,
            body: record.body,
            deadlineMs: offsetMs === undefined ? 0 : before + offsetMs + settings.redisTimeoutMs,
          }),
        );
        if (d.status === Status.stale) throw new RedisDown(new Error("decision arrived after its deadline"));
        offsetMs = d.nowMs - Math.round((before + clock.now()) / 2);
        deps.onDecision?.(m.userId, m.messageId, d);
      } catch (error) {
        if (!(error instanceof RedisDown)) throw error;
        enterDegraded(error);
        return processDegraded(record, m, attempts, wakeup);
      }
      const results = await postGrants(m.userId, d.grants, d.nowMs);
      if (d.status === Status.granted) {
        const own = results.get(m.messageId);
        if (own?.kind === "retry") await requeue(record, delaySecondsFor(own.delayMs, true), own.attempts);
        if (own?.kind === "released") await requeue(record, 1, attempts);
        return;
      }
      // `known` on a later pass only means this record's own first pass put the message in the line.
      const firstPass = pass++ === 0;
      if (d.status === Status.done) {
        if (firstPass && !wakeup && !results.has(m.messageId)) {
          metrics.count("DuplicatesSuppressed");
          logger.info("duplicate suppressed", {
            event: "rate_limiter_duplicate",
            messageId: m.messageId,
            userId: m.userId,
          });
        }
        return;
      }
      // wait or busy
      if (firstPass && !wakeup && d.known && receiveCount === 1) {
        // A second copy of a message that is already waiting in the line (its own copy will wake it).
        metrics.count("DuplicatesSuppressed");
        return;
      }
      // Busy: another invocation is POSTing this very message; its outcome is due in milliseconds,
      // so look again shortly rather than after the whole lease (a crashed sender's lease does expire).
      const waitMs = d.status === Status.busy && busyChecks++ < 10 ? Math.min(d.waitMs, 200) : d.waitMs;
      const inlineOk = waitMs <= settings.maxInlineWaitMs && clock.now() + waitMs < deadlineAt;
      if (inlineOk) {
        metrics.count("InlineWaits");
        await clock.sleep(Math.max(1, waitMs));
        continue;
      }
      metrics.count("ThrottledRequeues");
      // Rounded down when the remainder (< 1 s) can be slept on arrival, so the send lands on its slot.
      await requeue(record, Math.max(1, delaySecondsFor(d.waitMs, settings.maxInlineWaitMs < 1000)), attempts);
      return;
    }
  }

  const handler = (async (event: SqsEvent, context?: LambdaContextLike): Promise<BatchResponse> => {
    const started = clock.now();
    const remaining = context?.getRemainingTimeInMillis?.() ?? 30_000;
    // Leave time for the sends and the SQS calls after the last inline wait.
    const deadlineAt = started + remaining - Math.min(remaining / 2, 5_000);
    const failures: { itemIdentifier: string }[] = [];
    const byUser = new Map<string, SqsRecord[]>();
    for (const r of event.Records) {
      const parsed = parseMessage(r.body);
      const key = parsed.kind === "ok" ? parsed.value.userId : `\u0000malformed:${r.messageId}`;
      const list = byUser.get(key) ?? [];
      list.push(r);
      byUser.set(key, list);
    }
    await Promise.all(
      [...byUser.values()].map(async (records) => {
        for (const r of records) {
          try {
            await processRecord(r, deadlineAt);
          } catch (error) {
            // Only unexpected failures (SQS SendMessage refused, a script error) go back to SQS.
            failures.push({ itemIdentifier: r.messageId });
            logger.error("record failed", {
              event: "rate_limiter_record_failed",
              sqsMessageId: r.messageId,
              error: String(error),
            });
          }
        }
      }),
    );
    const emf = metrics.flush(clock.now());
    if (emf !== undefined) emit(emf);
    return { batchItemFailures: failures };
  }) as RateLimiterHandler;
  Object.defineProperty(handler, "metrics", { value: metrics });
  Object.defineProperty(handler, "store", { value: store });
  Object.defineProperty(handler, "degraded", { value: () => degraded });
  return handler;
}
