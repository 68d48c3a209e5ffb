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
// - "sent" and "dead-lettered" are recorded without waiting (one SET, see RedisRateStore.done): the
//   command goes out at once and the creator's next decision follows it on the same connection, so
//   the common path is one round trip per message; the invocation waits for all of them before it
//   returns (a Lambda that dies first is a crash after the POST, as before: the lease expires);
// - Redis unreachable → degraded mode (degraded-mode.ts holds that state, degraded.ts the local
//   budget), logged and counted, until Redis answers again.
// Records of one creator run one after another (their order is the line's order); creators run in
// parallel.

import type { AuthRetry } from "../shared/redis-auth";
import { retryDelayMs, type SendOutcome } from "./backoff";
import { delaySecondsFor, type RateLimiterSettings } from "./config";
import { DegradedMode, type RedisOutcome } from "./degraded-mode";
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
  /** Where EMF documents go. @default stdout (CloudWatch Logs turns EMF lines into metrics) */
  readonly emitMetrics?: (emf: string) => void;
  /** Observes every decision Redis returned (tests and the local tools check order and grant times). */
  readonly onDecision?: (userId: string, messageId: string, decision: Decision) => void;
}

type GrantResult =
  | { readonly kind: "sent" }
  | { readonly kind: "dead" }
  | { readonly kind: "retry"; readonly delayMs: number; readonly attempts: number }
  | { readonly kind: "released" };

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
  const redisState = new DegradedMode({
    store,
    settings,
    now: () => clock.now(),
    metrics,
    logger,
    ready: () => (deps.redis as { status?: string }).status === "ready",
    ...(deps.redisAuth ? { redisAuth: deps.redisAuth } : {}),
  });
  const sentHere = new RecentIds();

  /** A best-effort Redis write: whatever happens, the message's own SQS copy carries the rest. */
  const bestEffort = <T>(fn: () => Promise<T>): Promise<RedisOutcome<T>> =>
    redisState.call(fn).catch((error: unknown) => ({ status: "unavailable", error }) as const);

  async function deadLetter(log: Logger, bodyText: string, reason: string, attempts: number): Promise<void> {
    await queue.deadLetter(bodyText, reason, { [ATTR_REASON]: reason, [ATTR_ATTEMPTS]: String(attempts) });
    metrics.count("DeadLettered");
    log.warn("message dead-lettered", { event: "rate_limiter_dlq", reason, attempts });
  }

  /**
   * POST one message; classify; record the outcome (in Redis when `later` is given: "sent" and
   * "dead-lettered" are not waited for, their promises go to `later`).
   */
  async function post(log: Logger, userId: string, grant: Grant, later?: Promise<unknown>[]): Promise<GrantResult> {
    const viaRedis = later !== undefined;
    const parsed = parseMessage(grant.body);
    if (parsed.kind === "malformed") {
      await deadLetter(log, grant.body, `malformed: ${parsed.reason}`, grant.attempts);
      if (later) later.push(recordDone(userId, grant.messageId, Outcome.deadLettered));
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
      log.info("sent", { event: "rate_limiter_sent", messageId: m.messageId, userId, status: outcome.status });
      if (later) later.push(recordDone(userId, m.messageId, Outcome.sent));
      else redisState.recordSentLater(userId, m.messageId);
      return { kind: "sent" };
    }
    const attempts = grant.attempts + 1;
    if (outcome.kind === "rejected" || attempts >= settings.maxAttempts) {
      const reason =
        outcome.kind === "rejected"
          ? `OnlyFans rejected the message (${outcome.reason})`
          : `OnlyFans send failed ${attempts} times (last: ${outcome.reason})`;
      await deadLetter(log, grant.body, reason, attempts);
      if (later) later.push(recordDone(userId, m.messageId, Outcome.deadLettered));
      return { kind: "dead" };
    }
    const delayMs = retryDelayMs(attempts, outcome.retryAfterMs, random, {
      baseMs: settings.retryBaseMs,
      capMs: 60_000,
    });
    metrics.count("SendRetries");
    log.warn("send failed, will retry", {
      event: "rate_limiter_retry",
      messageId: m.messageId,
      userId,
      reason: outcome.reason,
      attempts,
      delayMs,
    });
    // If Redis is gone, the message's own SQS copy carries the retry.
    if (viaRedis) await bestEffort(() => store.finish(userId, m.messageId, Outcome.failed, delayMs));
    return { kind: "retry", delayMs, attempts };
  }

  /** Records sent / dead-lettered (never throws); if Redis is gone, a send is recorded on recovery. */
  async function recordDone(
    userId: string,
    messageId: string,
    outcome: typeof Outcome.sent | typeof Outcome.deadLettered,
  ): Promise<void> {
    const r = await bestEffort(() => store.done(userId, messageId));
    if (r.status === "unavailable" && outcome === Outcome.sent) redisState.recordSentLater(userId, messageId);
  }

  /** POSTs grants in line order; after a retryable failure the rest go back to the line unsent. */
  async function postGrants(
    log: Logger,
    userId: string,
    grants: readonly Grant[],
    grantedAtMs: number,
    later: Promise<unknown>[],
  ): Promise<Map<string, GrantResult>> {
    // Remembered locally too: if Redis loses its data, the merge on recovery puts these back.
    const localNow = clock.now();
    for (const g of grants) {
      redisState.recordSend(userId, {
        localMs: localNow,
        serverMs: grantedAtMs,
        member: `${grantedAtMs}:${g.messageId}`,
      });
    }
    const results = new Map<string, GrantResult>();
    let stop = false;
    for (const g of grants) {
      if (stop) {
        // If Redis is gone, its own SQS copy will bring it back.
        await bestEffort(() => store.finish(userId, g.messageId, Outcome.released));
        results.set(g.messageId, { kind: "released" });
        continue;
      }
      const r = await post(log, userId, g, later);
      results.set(g.messageId, r);
      if (r.kind === "retry") stop = true;
    }
    return results;
  }

  async function requeue(record: SqsRecord, delaySeconds: number, attempts: number): Promise<void> {
    await queue.requeue(record.body, delaySeconds, { [ATTR_ATTEMPTS]: String(attempts), [ATTR_WAKEUP]: "1" });
  }

  async function processDegraded(
    log: Logger,
    record: SqsRecord,
    m: OutboundMessage,
    attempts: number,
    wakeup: boolean,
  ) {
    metrics.count("DegradedDecisions");
    if (sentHere.has(m.messageId)) {
      if (!wakeup) metrics.count("DuplicatesSuppressed");
      return;
    }
    const now = clock.now();
    const d = redisState.decideLocally(m.userId, now);
    if (!d.allowed) {
      metrics.count("ThrottledRequeues");
      await requeue(record, Math.max(1, delaySecondsFor(d.waitMs, true)), attempts);
      return;
    }
    const serverMs = redisState.serverTime(now);
    redisState.recordSend(m.userId, { localMs: now, serverMs, member: `${serverMs}:${m.messageId}` });
    const r = await post(log, m.userId, { messageId: m.messageId, attempts, body: record.body });
    if (r.kind === "retry") await requeue(record, Math.max(1, delaySecondsFor(r.delayMs, true)), r.attempts);
  }

  async function processRecord(
    log: Logger,
    record: SqsRecord,
    deadlineAt: number,
    later: Promise<unknown>[],
  ): Promise<void> {
    const parsed = parseMessage(record.body);
    const attempts = Number(record.messageAttributes?.[ATTR_ATTEMPTS]?.stringValue ?? "0") || 0;
    const wakeup = record.messageAttributes?.[ATTR_WAKEUP]?.stringValue === "1";
    if (parsed.kind === "malformed") {
      metrics.count("Malformed");
      await deadLetter(log, record.body, `malformed: ${parsed.reason}`, 0);
      return;
    }
    const m = parsed.value;
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? "1") || 1;
    let busyChecks = 0;
    let pass = 0;
    for (;;) {
      if ((await redisState.ensureAvailable()) === "unavailable")
        return processDegraded(log, record, m, attempts, wakeup);
      const before = clock.now();
      const reply = await redisState.call(() =>
        store.decide({
          userId: m.userId,
          messageId: m.messageId,
          attempts,
          body: record.body,
          deadlineMs: redisState.deadlineFor(before),
        }),
      );
      const outcome =
        reply.status === "ok" && reply.value.status === Status.stale
          ? redisState.unavailable(new Error("decision arrived after its deadline"))
          : reply;
      if (outcome.status === "unavailable") return processDegraded(log, record, m, attempts, wakeup);
      const d: Decision = outcome.value;
      redisState.observeServerTime(d.nowMs, before, clock.now());
      deps.onDecision?.(m.userId, m.messageId, d);
      const results = await postGrants(log, m.userId, d.grants, d.nowMs, later);
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
          log.info("duplicate suppressed", {
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
    // Outcomes recorded without waiting (recordDone, which never rejects): all settled before returning.
    const later: Promise<unknown>[] = [];
    const byUser = new Map<string, SqsRecord[]>();
    for (const r of event.Records) {
      const parsed = parseMessage(r.body);
      const key = parsed.kind === "ok" ? parsed.value.userId : `\u0000malformed:${r.messageId}`;
      const list = byUser.get(key) ?? [];
      list.push(r);
      byUser.set(key, list);
    }
    // The loop stays ours rather than Powertools' BatchProcessor: that processor runs the records
    // either all in sequence or all in parallel, while a creator's records must run one after another
    // (their order is the creator's line) and different creators in parallel; and it reports only
    // thrown records as failures, while a throttled record here is re-queued with a delay and acked
    // (a failure would spend a receive towards the DLQ).
    await Promise.all(
      [...byUser.values()].map(async (records) => {
        for (const r of records) {
          const log = logger.withCorrelationId?.(r.messageId) ?? logger;
          try {
            await processRecord(log, r, deadlineAt, later);
          } catch (error) {
            // Only unexpected failures (SQS SendMessage refused, a script error) go back to SQS.
            failures.push({ itemIdentifier: r.messageId });
            log.error("record failed", {
              event: "rate_limiter_record_failed",
              sqsMessageId: r.messageId,
              error: String(error),
            });
          }
        }
      }),
    );
    await Promise.all(later);
    const emf = metrics.flush(clock.now());
    if (emf !== undefined) emit(emf);
    return { batchItemFailures: failures };
  }) as RateLimiterHandler;
  Object.defineProperty(handler, "metrics", { value: metrics });
  Object.defineProperty(handler, "store", { value: store });
  Object.defineProperty(handler, "degraded", { value: () => redisState.degraded });
  return handler;
}
