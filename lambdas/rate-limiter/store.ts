// Thin edge: runs the Lua scripts of lua.ts through ioredis (standalone or Cluster alike; EVALSHA
// with a transparent EVAL fallback via defineCommand) and turns replies into typed values.

import { createHash } from "node:crypto";
import calculateSlot from "cluster-key-slot";
import type { Cluster, Redis } from "ioredis";
import { keyTtlMs, leaseMs, type RateLimiterSettings, type Units, units } from "./config";
import { decideLua, doneMarkerKey, finishLua, mergeLua, NEEDS_BODY, type ScriptConstants } from "./lua";
import { KEY_SUFFIX, keyBase } from "./message";
import { type Decision, type FinishReply, type Grant, Outcome, Status, type StatusCode } from "./model";

export type RedisClient = Redis | Cluster;

/** How soon a message waiting behind an in-flight send of its creator asks again (a POST takes ms). */
export const BUSY_WAIT_MS = 20;

type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

export interface Scripts {
  readonly decide: ScriptFn;
  readonly finish: ScriptFn;
  readonly merge: ScriptFn;
}

/**
 * Registers the scripts for one set of constants on a client, once (idempotent): as ioredis
 * commands named after a digest of their text, so stores with other limits on the same client get
 * their own.
 */
export function withScripts(client: RedisClient, constants: ScriptConstants): Scripts {
  const src = { decide: decideLua(constants), finish: finishLua(constants), merge: mergeLua(constants) };
  const tag = createHash("sha1").update(`${src.decide}\0${src.finish}\0${src.merge}`).digest("hex").slice(0, 16);
  const c = client as unknown as Record<string, ScriptFn | undefined>;
  // finish and merge are given the state key; decide two keys per decision of its batch (the count
  // is then its first argument).
  const keyCount = { decide: undefined, finish: 1, merge: 1 } as const;
  const fn = (name: keyof typeof src): ScriptFn => {
    const command = `rl${name}${tag}`;
    if (typeof c[command] !== "function") {
      const count = keyCount[name];
      client.defineCommand(command, count === undefined ? { lua: src[name] } : { numberOfKeys: count, lua: src[name] });
    }
    return (c[command] as ScriptFn).bind(client);
  };
  return { decide: fn("decide"), finish: fn("finish"), merge: fn("merge") };
}

/** The state key of a creator: KEYS[1] of every script (they build the creator's other keys from it). */
export function stateKey(userId: string): string {
  return keyBase(userId) + KEY_SUFFIX.state;
}

/** The done marker of one message: KEYS[2] of decide, written by {@link RedisRateStore.done}. */
export function markerKey(userId: string, messageId: string): string {
  return doneMarkerKey(keyBase(userId) + KEY_SUFFIX.done, messageId);
}

function toInt(v: unknown, what: string): number {
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`rate limiter script replied a non-integer ${what}`);
  return n;
}

/** A decision script's reply; `own` is the grant a fast-path reply (nowMs alone) stands for. */
export function parseDecision(reply: unknown, own: Grant): Decision {
  if (typeof reply === "number") {
    return { status: Status.granted, waitMs: 0, nowMs: toInt(reply, "now"), known: false, grants: [own] };
  }
  if (!Array.isArray(reply) || reply.length < 4) throw new Error("rate limiter script replied an unexpected shape");
  const grants: Grant[] = [];
  for (let i = 4; i + 2 < reply.length; i += 3) {
    grants.push({
      messageId: String(reply[i]),
      attempts: toInt(reply[i + 1], "attempts"),
      body: String(reply[i + 2]),
    });
  }
  return {
    status: toInt(reply[0], "status") as StatusCode,
    waitMs: toInt(reply[1], "wait"),
    nowMs: toInt(reply[2], "now"),
    known: toInt(reply[3], "known") === 1,
    grants,
  };
}

export interface DecideArgs {
  readonly userId: string;
  readonly messageId: string;
  readonly attempts: number;
  readonly body: string;
  /** Server-time ms after which the call must not act (it was retried after a timeout). 0 = none. */
  readonly deadlineMs: number;
}

/**
 * At most this many decisions per script call: a full batch goes at once (see {@link Batcher}).
 * `npm run bench:rate-limiter` at concurrency 64, ours / rate-limiter-flexible per run on a quiet
 * machine: 8 → 0.78×; 16 → 0.99×, 1.34×; 24 → 1.18×, 0.94×; 32 → 1.19×, 1.39×, 1.14×, 0.99×,
 * 1.17×; 64 → 0.72×, 0.82× (Redis answers a whole round of callers at once, and this process and
 * Redis then work in turn rather than side by side).
 */
export const MAX_DECISIONS_PER_CALL = 32;

/** A decision or an outcome waiting for its batch. */
interface Queued {
  /** The decision, or undefined for an outcome (its done marker is `marker`). */
  readonly a: DecideArgs | undefined;
  readonly withBody: boolean;
  /** The creator's state key (its hash slot is the batch's). */
  readonly state: string;
  /** The message's done marker. */
  readonly marker: string;
  resolve(reply: unknown): void;
  reject(error: unknown): void;
}

/**
 * Gathers the decisions and outcomes asked in one tick into one decide script call: the records of
 * an SQS batch, whose creators the handler runs in parallel, or concurrent callers. One round trip,
 * one script start and one TIME for all of them instead of one each, in the order they were asked
 * (outcomes first: recording one early only ends a lease sooner). The same idea as ioredis'
 * auto-pipelining and DataLoader's batching, one level up: a pipeline would still run one script
 * per decision and one command per outcome. On Redis Cluster a batch is split by hash slot (a
 * script's keys must share one); each decision keeps its own deadline.
 */
export class Batcher {
  private readonly client: RedisClient;
  private readonly decide: ScriptFn;
  private queue: Queued[] = [];
  /** Decisions in the queue. */
  private decisions = 0;
  /** Script calls sent and not yet answered. */
  private inFlight = 0;

  constructor(client: RedisClient, decide: ScriptFn) {
    this.client = client;
    this.decide = decide;
  }

  /** A decision's reply (see decideLua). */
  ask(a: DecideArgs, withBody: boolean): Promise<unknown> {
    return this.enqueue(a, withBody, a.userId, a.messageId);
  }

  /** Records the outcome sent or dead-lettered: the message's done marker, with the idempotency TTL. */
  done(userId: string, messageId: string): Promise<unknown> {
    return this.enqueue(undefined, false, userId, messageId);
  }

  private enqueue(a: DecideArgs | undefined, withBody: boolean, userId: string, messageId: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const state = stateKey(userId);
      const marker = markerKey(userId, messageId);
      const queued = this.queue.push({ a, withBody, state, marker, resolve, reject });
      if (a === undefined) {
        // An outcome waits for the next decision (or the end of the tick).
        if (queued === 1) process.nextTick(() => this.flush());
      } else if (this.inFlight === 0 || ++this.decisions >= MAX_DECISIONS_PER_CALL) {
        // Nothing in flight: there is no batch to gather while waiting, so a decision goes at once
        // (a lone caller pays no tick). A full batch goes at once too: Redis starts on it while this
        // process is still answering the callers whose replies came together (the two then work
        // side by side, not in turn).
        this.flush();
      } else if (this.decisions === 1 && queued === 1) {
        process.nextTick(() => this.flush());
      }
    });
  }

  private flush(): void {
    const queued = this.queue;
    if (queued.length === 0) return;
    this.queue = [];
    this.decisions = 0;
    if (!(this.client as { isCluster?: boolean }).isCluster) {
      this.send(queued);
      return;
    }
    const bySlot = new Map<number, Queued[]>();
    for (const q of queued) {
      const slot = calculateSlot(q.state);
      const group = bySlot.get(slot);
      if (group === undefined) bySlot.set(slot, [q]);
      else group.push(q);
    }
    for (const group of bySlot.values()) this.send(group);
  }

  /** One script call: the outcomes' markers, then two keys per decision (see decideLua). */
  private send(queued: readonly Queued[]): void {
    const outcomes = queued.filter((q) => q.a === undefined);
    const decisions = queued.filter((q) => q.a !== undefined);
    const keys: string[] = outcomes.map((q) => q.marker);
    const argv: (string | number)[] = [outcomes.length];
    for (const q of decisions) {
      const a = q.a as DecideArgs;
      keys.push(q.state, q.marker);
      argv.push(a.messageId, a.deadlineMs, q.withBody ? `${a.attempts}:${a.body}` : "");
    }
    const fail = (error: unknown) => {
      for (const q of queued) q.reject(error);
    };
    this.inFlight++;
    this.decide(keys.length, ...keys, ...argv).then(
      (replies) => {
        this.inFlight--;
        if (!Array.isArray(replies) || replies.length !== decisions.length) {
          fail(new Error("rate limiter script replied an unexpected shape"));
          return;
        }
        for (const q of outcomes) q.resolve(undefined);
        for (let i = 0; i < decisions.length; i++) (decisions[i] as Queued).resolve(replies[i]);
      },
      (error: unknown) => {
        this.inFlight--;
        fail(error);
      },
    );
  }
}

export class RedisRateStore {
  readonly client: RedisClient;
  readonly settings: RateLimiterSettings;
  readonly units: Units;
  private readonly scripts: Scripts;
  private readonly batcher: Batcher;

  /** `lease` overrides {@link leaseMs} (tests exercise expiry with short leases). */
  constructor(client: RedisClient, settings: RateLimiterSettings, lease?: number) {
    this.client = client;
    this.settings = settings;
    this.units = units(settings.limits);
    this.scripts = withScripts(client, {
      perWindow: settings.limits.perWindow,
      windowMs: this.units.windowMs,
      burst: settings.limits.burst,
      keyTtlMs: keyTtlMs(settings),
      leaseMs: lease ?? leaseMs(settings),
      busyWaitMs: BUSY_WAIT_MS,
      doneTtlMs: settings.idempotencyTtlSeconds * 1000,
    });
    this.batcher = new Batcher(client, this.scripts.decide);
  }

  /**
   * One decision. Asked first without the body: the common decision grants at once and needs none.
   * A message that must wait gets {@link NEEDS_BODY} and is asked again with it (see decideLua).
   * Decisions asked in the same tick go to Redis as one batch (see {@link Batcher}).
   */
  async decide(a: DecideArgs): Promise<Decision> {
    let reply = await this.batcher.ask(a, false);
    if (Array.isArray(reply) && reply.length === 1 && reply[0] === NEEDS_BODY) {
      reply = await this.batcher.ask(a, true);
    }
    return parseDecision(reply, { messageId: a.messageId, attempts: a.attempts, body: a.body });
  }

  /**
   * Records that a granted message was sent or dead-lettered: its done marker, with the idempotency
   * TTL, set by the next batch's script (the creator's next decision drops the lease). A caller
   * need not wait for it before its next call for the creator: the batch sets the markers before
   * it decides, and batches reach Redis in order on the one connection.
   */
  async done(userId: string, messageId: string): Promise<void> {
    await this.batcher.done(userId, messageId);
  }

  /** Records that a granted send failed (back to the line, paused `pauseMs`) or was released unsent. */
  async finish(
    userId: string,
    messageId: string,
    outcome: typeof Outcome.failed | typeof Outcome.released,
    pauseMs = 0,
  ): Promise<FinishReply> {
    if (outcome !== Outcome.failed && outcome !== Outcome.released) {
      throw new Error(
        `finish records outcome 3 (failed) or 4 (released), got ${String(outcome)}; sent and dead-lettered go through done()`,
      );
    }
    const reply = (await this.scripts.finish(stateKey(userId), messageId, outcome, pauseMs)) as unknown[];
    return { nowMs: toInt(reply[0], "now"), attempts: toInt(reply[1], "attempts") };
  }

  /** Adds sends Redis does not know (members "<ms>:<messageId>") to the window and bucket. */
  async merge(userId: string, sends: readonly { member: string; ms: number }[]): Promise<number> {
    const flat = sends.flatMap((s) => [s.member, s.ms]);
    const reply = (await this.scripts.merge(stateKey(userId), ...flat)) as unknown[];
    return toInt(reply[1], "count");
  }
}
