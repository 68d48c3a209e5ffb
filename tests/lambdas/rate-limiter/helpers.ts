// Shared bits of the rate limiter tests: a real redis-server per suite and small factories.

import Redis, { type Cluster } from "ioredis";
import { CLIENT_DEFAULTS, createRedisClient } from "../../../lambdas/shared/redis-client";
import { type RunningRedis, startRedis, startRedisCluster } from "../../../tools/services/redis-server";

export interface PlainRedis {
  server: RunningRedis;
  client: Redis;
  stop(): Promise<void>;
}

/** A plaintext, password-protected redis-server on loopback and a client for it. */
export async function plainRedis(): Promise<PlainRedis> {
  const server = await startRedis({ password: "test-password-1234567890" });
  const client = new Redis({
    host: server.host,
    port: server.port,
    password: server.password,
    protocol: CLIENT_DEFAULTS.protocol,
    lazyConnect: true,
  });
  await client.connect();
  return {
    server,
    client,
    async stop() {
      client.disconnect();
      await server.stop();
    },
  };
}

/** A 3-master redis-server Cluster on loopback and a Cluster client for it (as the Lambda makes it). */
export async function clusterRedis(): Promise<{ client: Cluster; stop(): Promise<void> }> {
  const password = "cluster-password-123456";
  const cluster = await startRedisCluster({ masters: 3, password });
  const first = cluster.startupNodes[0];
  if (!first) {
    await cluster.stop();
    throw new Error("no cluster node");
  }
  const client = createRedisClient({
    REDIS_HOST: first.host,
    REDIS_PORT: String(first.port),
    REDIS_PASSWORD: password,
    REDIS_CLUSTER: "true",
  }) as Cluster;
  return {
    client,
    async stop() {
      client.disconnect();
      await cluster.stop();
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it is true, or fails after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export function body(messageId: string, userId = "creator-1", extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ messageId, userId, fanId: "fan-9", message: "Hey! Thanks for subscribing", ...extra });
}

import { DEFAULT_SETTINGS, type Limits, type RateLimiterSettings, units } from "../../../lambdas/rate-limiter/config";
import { createRateLimiterHandler, type RateLimiterHandler } from "../../../lambdas/rate-limiter/handler";
import { checkInvariants, type Decision, type InvariantViolation } from "../../../lambdas/rate-limiter/model";
import { createOnlyFansClient } from "../../../lambdas/rate-limiter/onlyfans";
import type { RedisClient } from "../../../lambdas/rate-limiter/store";
import { type FakeOnlyFans, startFakeOnlyFans } from "../../../tools/local-sqs/fake-onlyfans";
import {
  createLocalQueues,
  type LocalQueues,
  runPipeline,
  type ScenarioMessage,
} from "../../../tools/local-sqs/pipeline";

export interface Rig {
  fake: FakeOnlyFans;
  queues: LocalQueues;
  handler: RateLimiterHandler;
  settings: RateLimiterSettings;
  logs: Record<string, unknown>[];
  emf: string[];
  /** Every decision, in the order Redis made them. */
  decisions: { userId: string; messageId: string; d: Decision }[];
  run(messages: ScenarioMessage[], durationSeconds: number, maxConcurrency?: number): ReturnType<typeof runPipeline>;
  /**
   * Violations of the limits, per creator, on Redis grant times (exact) and on POST arrival times
   * (within the measured grant-to-POST jitter, at least `minToleranceMs`).
   */
  violations(minToleranceMs?: number): { grants: InvariantViolation[]; posts: InvariantViolation[] };
  close(): Promise<void>;
}

export async function rig(
  redis: RedisClient,
  limits: Limits,
  overrides: Partial<RateLimiterSettings> = {},
): Promise<Rig> {
  const fake = await startFakeOnlyFans();
  const queues = createLocalQueues({ visibilityTimeoutMs: 5000 });
  const settings: RateLimiterSettings = { ...DEFAULT_SETTINGS, limits, httpTimeoutMs: 2000, ...overrides };
  const logs: Record<string, unknown>[] = [];
  const emf: string[] = [];
  const decisions: Rig["decisions"] = [];
  const handler = createRateLimiterHandler({
    redis,
    queue: queues.sender,
    onlyFans: createOnlyFansClient({ url: fake.url, token: "test-token-secret", timeoutMs: settings.httpTimeoutMs }),
    settings,
    logger: {
      info: (msg, f) => logs.push({ level: "info", msg, ...f }),
      warn: (msg, f) => logs.push({ level: "warn", msg, ...f }),
      error: (msg, f) => logs.push({ level: "error", msg, ...f }),
    },
    emitMetrics: (l) => emf.push(l),
    onDecision: (userId, messageId, d) => decisions.push({ userId, messageId, d }),
  });
  const u = units(limits);
  return {
    fake,
    queues,
    handler,
    settings,
    logs,
    emf,
    decisions,
    run: (messages, durationSeconds, maxConcurrency = 2) =>
      runPipeline({ queues, handler, messages, durationSeconds, maxConcurrency }),
    violations(minToleranceMs = 50) {
      const grantsByUser = new Map<string, number[]>();
      const grantTimes = new Map<string, number[]>();
      for (const { userId, d } of decisions) {
        for (const g of d.grants) {
          grantsByUser.set(userId, [...(grantsByUser.get(userId) ?? []), d.nowMs]);
          grantTimes.set(g.messageId, [...(grantTimes.get(g.messageId) ?? []), d.nowMs]);
        }
      }
      const postsByUser = new Map<string, number[]>();
      for (const p of fake.posts) postsByUser.set(p.userId, [...(postsByUser.get(p.userId) ?? []), p.atMs]);
      const tolerance = Math.max(minToleranceMs, postJitterMs(fake.posts, grantTimes));
      const loose = { ...u, windowMs: u.windowMs - tolerance };
      return {
        grants: [...grantsByUser.values()].flatMap((t) => checkInvariants(t, u)),
        posts: [...postsByUser.values()].flatMap((t) => checkInvariants(t, loose).filter((v) => v.kind === "window")),
      };
    },
    async close() {
      await fake.close();
    },
  };
}

/**
 * The spread of grant-to-POST delays (+ 2 ms for the two clocks' millisecond rounding): two POSTs
 * whose grants were W apart arrive at least W - spread apart, so a window check on arrival times
 * is only as exact as this. On a loaded machine the spread exceeds any fixed tolerance while the
 * grants, checked exactly, stay within the limits. A POST is paired with the latest grant of its
 * message before it; degraded-mode sends have no grant and add nothing.
 */
export function postJitterMs(
  posts: readonly { messageId: string; atMs: number }[],
  grantTimes: ReadonlyMap<string, readonly number[]>,
): number {
  const delays: number[] = [];
  for (const p of posts) {
    const before = (grantTimes.get(p.messageId) ?? []).filter((t) => t <= p.atMs + 2);
    if (before.length) delays.push(p.atMs - Math.max(...before));
  }
  return delays.length ? Math.max(...delays) - Math.min(...delays) + 2 : 0;
}

export function msg(messageId: string, userId = "creator-1", atMs = 0): ScenarioMessage {
  return { atMs, body: { messageId, userId, fanId: "fan-9", message: `hello ${messageId}` } };
}
