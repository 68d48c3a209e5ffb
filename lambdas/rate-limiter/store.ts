// Thin edge: runs the Lua scripts of lua.ts through ioredis (standalone or Cluster alike; EVALSHA
// with a transparent EVAL fallback via defineCommand) and turns replies into typed values.

import type { Cluster, Redis } from "ioredis";
import { keyTtlMs, leaseMs, type RateLimiterSettings, type Units, units } from "./config";
import { DECIDE_LUA, FINISH_LUA, MERGE_LUA } from "./lua";
import { userKeys } from "./message";
import type { Decision, FinishReply, Grant, OutcomeCode, StatusCode } from "./model";

export type RedisClient = Redis | Cluster;

/** How soon a message waiting behind an in-flight send of its creator asks again (a POST takes ms). */
export const BUSY_WAIT_MS = 20;

type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

interface WithScripts {
  rlDecide: ScriptFn;
  rlFinish: ScriptFn;
  rlMerge: ScriptFn;
}

/** Registers the scripts once per client (idempotent). */
export function withScripts(client: RedisClient): RedisClient & WithScripts {
  const c = client as RedisClient & Partial<WithScripts>;
  if (typeof c.rlDecide !== "function") {
    client.defineCommand("rlDecide", { numberOfKeys: 4, lua: DECIDE_LUA });
    client.defineCommand("rlFinish", { numberOfKeys: 4, lua: FINISH_LUA });
    client.defineCommand("rlMerge", { numberOfKeys: 4, lua: MERGE_LUA });
  }
  return c as RedisClient & WithScripts;
}

/** The scripts' four keys (KEYS[1..4] in lua.ts), in that order. */
export function scriptKeys(userId: string): [string, string, string, string] {
  const k = userKeys(userId);
  return [k.state, k.line, k.body, k.done];
}

function toInt(v: unknown, what: string): number {
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`rate limiter script replied a non-integer ${what}`);
  return n;
}

export function parseDecision(reply: unknown): Decision {
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
  readonly client: RedisClient & WithScripts;
  readonly settings: RateLimiterSettings;
  readonly units: Units;
  private readonly limitArgs: number[];
  private readonly leaseMs: number;

  /** `lease` overrides {@link leaseMs} (tests exercise expiry with short leases). */
  constructor(client: RedisClient, settings: RateLimiterSettings, lease?: number) {
    this.client = withScripts(client);
    this.settings = settings;
    this.leaseMs = lease ?? leaseMs(settings);
    this.units = units(settings.limits);
    this.limitArgs = [settings.limits.perWindow, this.units.windowMs, settings.limits.burst, keyTtlMs(settings)];
  }

  async decide(a: DecideArgs): Promise<Decision> {
    const reply = await this.client.rlDecide(
      ...scriptKeys(a.userId),
      ...this.limitArgs,
      this.leaseMs,
      a.messageId,
      a.attempts,
      a.body,
      a.deadlineMs,
      BUSY_WAIT_MS,
    );
    return parseDecision(reply);
  }

  async finish(userId: string, messageId: string, outcome: OutcomeCode, pauseMs = 0): Promise<FinishReply> {
    const reply = (await this.client.rlFinish(
      ...scriptKeys(userId),
      ...this.limitArgs,
      messageId,
      outcome,
      this.settings.idempotencyTtlSeconds * 1000,
      pauseMs,
    )) as unknown[];
    return { nowMs: toInt(reply[0], "now"), attempts: toInt(reply[1], "attempts") };
  }

  /** Adds sends Redis does not know (members "<ms>:<messageId>") to the window and bucket. */
  async merge(userId: string, sends: readonly { member: string; ms: number }[]): Promise<number> {
    const flat = sends.flatMap((s) => [s.member, s.ms]);
    const reply = (await this.client.rlMerge(...scriptKeys(userId), ...this.limitArgs, ...flat)) as unknown[];
    return toInt(reply[1], "count");
  }
}
