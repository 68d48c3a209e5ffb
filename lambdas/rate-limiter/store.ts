// Thin edge: runs the Lua scripts of lua.ts through ioredis (standalone or Cluster alike; EVALSHA
// with a transparent EVAL fallback via defineCommand) and turns replies into typed values.

import { createHash } from "node:crypto";
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
  // decide is given the state key and the message's done marker, finish and merge the state key.
  const keyCount = { decide: 2, finish: 1, merge: 1 } as const;
  const fn = (name: keyof typeof src): ScriptFn => {
    const command = `rl${name}${tag}`;
    if (typeof c[command] !== "function") {
      client.defineCommand(command, { numberOfKeys: keyCount[name], lua: src[name] });
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

export class RedisRateStore {
  readonly client: RedisClient;
  readonly settings: RateLimiterSettings;
  readonly units: Units;
  private readonly scripts: Scripts;

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
    });
  }

  /**
   * One decision. Asked first without the body: the common decision grants at once and needs none.
   * A message that must wait gets {@link NEEDS_BODY} and is asked again with it (see decideLua).
   */
  async decide(a: DecideArgs): Promise<Decision> {
    const state = stateKey(a.userId);
    const marker = markerKey(a.userId, a.messageId);
    let reply = await this.scripts.decide(state, marker, a.messageId, a.deadlineMs);
    if (Array.isArray(reply) && reply.length === 1 && reply[0] === NEEDS_BODY) {
      reply = await this.scripts.decide(state, marker, a.messageId, a.deadlineMs, a.attempts, a.body);
    }
    return parseDecision(reply, { messageId: a.messageId, attempts: a.attempts, body: a.body });
  }

  /**
   * Records that a granted message was sent or dead-lettered: one SET of its done marker with the
   * idempotency TTL (no script; the creator's next script drops the lease). A caller need not wait
   * for it before its next call for the creator: commands on one connection run in order.
   */
  async done(userId: string, messageId: string): Promise<void> {
    await this.client.set(markerKey(userId, messageId), "1", "PX", this.settings.idempotencyTtlSeconds * 1000);
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
