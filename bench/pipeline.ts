// npm run bench:pipeline -- [--minutes N] [--max-concurrency N] [--json]
//
// The seed's load tests, through the local pipeline (real handler, real TLS + AUTH redis-server,
// local SQS semantics, a local OnlyFans endpoint), default limits (10 per 60 s, burst 3):
//   sustained  1,000 messages a minute across 200 creators (for --minutes, default 1)
//   burst      100 messages within one second (25 creators, 4 each: one per creator must wait)
// For messages that were not throttled, enqueue-to-send p50 / p99 (seed goal: p50 < 100 ms, p99 <
// 500 ms); and, per creator, a check that no rolling window and no bucket was ever exceeded, on the
// limiter's grant times (exact) and on the endpoint's arrival times (50 ms tolerance for HTTP jitter).

import * as crypto from "node:crypto";
import { DEFAULT_SETTINGS, type Limits, units } from "../lambdas/rate-limiter/config";
import { createRateLimiterHandler } from "../lambdas/rate-limiter/handler";
import { checkInvariants, type Decision, Status } from "../lambdas/rate-limiter/model";
import { createOnlyFansClient } from "../lambdas/rate-limiter/onlyfans";
import { BUSY_WAIT_MS } from "../lambdas/rate-limiter/store";
import { silentLogger } from "../lambdas/rate-limiter/telemetry";
import { createRedisClient } from "../lambdas/shared/redis-client";
import { parseOrExit, positiveInteger } from "../tools/cli/options";
import { startFakeOnlyFans } from "../tools/local-sqs/fake-onlyfans";
import { createLocalQueues, runPipeline, type ScenarioMessage } from "../tools/local-sqs/pipeline";
import { startRedis } from "../tools/services/redis-server";

interface Report {
  messages: number;
  sent: number;
  notThrottled: number;
  p50Ms: number;
  p99Ms: number;
  receives: number;
  throttledRequeues: number;
  dlq: number;
  limitViolations: number;
  elapsedMs: number;
}

const benchOptions = {
  minutes: { type: "string", placeholder: "N", help: "simulated minutes of traffic (default 1)" },
  "max-concurrency": { type: "string", placeholder: "N", help: "concurrent handler invocations (default 4)" },
  json: { type: "boolean", help: "print one JSON object" },
} as const;

/** Deterministic PRNG (mulberry32) so runs are comparable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function scenario(
  redisEnv: NodeJS.ProcessEnv,
  messages: ScenarioMessage[],
  limits: Limits,
  maxConcurrency: number,
  durationSeconds: number,
): Promise<Report> {
  const fake = await startFakeOnlyFans();
  const client = createRedisClient(redisEnv);
  client.on("error", () => {});
  const queues = createLocalQueues();
  const settings = { ...DEFAULT_SETTINGS, limits, maxConcurrency };
  const decisions: { userId: string; messageId: string; d: Decision }[] = [];
  const handler = createRateLimiterHandler({
    redis: client,
    queue: queues.sender,
    onlyFans: createOnlyFansClient({ url: fake.url, timeoutMs: settings.httpTimeoutMs }),
    settings,
    logger: silentLogger,
    emitMetrics: () => {},
    onDecision: (userId, messageId, d) => decisions.push({ userId, messageId, d }),
  });
  const enqueuedAt = new Map<string, number>();
  try {
    const res = await runPipeline({
      queues,
      handler,
      messages,
      durationSeconds,
      maxConcurrency,
      onEnqueue: (body) => enqueuedAt.set((JSON.parse(body) as { messageId: string }).messageId, Date.now()),
    });
    const throttled = new Set(
      decisions.filter((x) => x.d.status === Status.wait && x.d.waitMs > BUSY_WAIT_MS).map((x) => x.messageId),
    );
    const lat = fake.posts
      .filter((p) => !throttled.has(p.messageId))
      .map((p) => p.atMs - (enqueuedAt.get(p.messageId) ?? p.atMs))
      .sort((a, b) => a - b);
    const q = (f: number) => lat[Math.min(lat.length - 1, Math.floor(f * lat.length))] ?? Number.NaN;
    const u = units(limits);
    const grants = new Map<string, number[]>();
    for (const { userId, d } of decisions)
      for (const _g of d.grants) grants.set(userId, [...(grants.get(userId) ?? []), d.nowMs]);
    const posts = new Map<string, number[]>();
    for (const p of fake.posts) posts.set(p.userId, [...(posts.get(p.userId) ?? []), p.atMs]);
    const loose = { ...u, windowMs: u.windowMs - 50 };
    const violations =
      [...grants.values()].reduce((n, t) => n + checkInvariants(t, u).length, 0) +
      [...posts.values()].reduce((n, t) => n + checkInvariants(t, loose).filter((v) => v.kind === "window").length, 0);
    return {
      messages: messages.length,
      sent: fake.posts.length,
      notThrottled: lat.length,
      p50Ms: q(0.5),
      p99Ms: q(0.99),
      receives: res.receives,
      throttledRequeues: handler.metrics.totals.ThrottledRequeues,
      dlq: queues.dlq.size,
      limitViolations: violations,
      elapsedMs: res.elapsedMs,
    };
  } finally {
    client.disconnect();
    await fake.close();
  }
}

async function main(): Promise<void> {
  const flags = parseOrExit(
    process.argv.slice(2),
    benchOptions,
    `usage: npm run bench:pipeline -- [--minutes N] [--max-concurrency N] [--json]`,
  );
  const minutes = positiveInteger("minutes", flags.minutes, 1);
  const maxConcurrency = positiveInteger("max-concurrency", flags["max-concurrency"], 4);
  const json = flags.json === true;
  const password = crypto.randomBytes(24).toString("hex");
  const server = await startRedis({ password, tls: true });
  const env = {
    REDIS_URL: `rediss://127.0.0.1:${server.port}`,
    REDIS_PASSWORD: password,
    REDIS_TLS_CA_FILE: server.tls?.caFile,
    REDIS_TLS_SERVERNAME: "localhost",
  };
  const limits = DEFAULT_SETTINGS.limits;
  const run = crypto.randomBytes(3).toString("hex");
  const body = (messageId: string, userId: string) => ({
    messageId,
    userId,
    fanId: "fan-1",
    message: "Hey! Thanks for subscribing",
  });
  try {
    const rnd = prng(42);
    const total = Math.round(1000 * minutes);
    const sustained = Array.from({ length: total }, (_, i) => {
      const creator = Math.floor(rnd() * 200);
      return { atMs: i * 60, body: body(`s-${run}-${i}`, `creator-${run}-s-${creator}`) };
    });
    // Enough time for throttled messages to drain (default limits: up to a minute of wait).
    const a = await scenario(env, sustained, limits, maxConcurrency, minutes * 60 + 180);
    const burst = Array.from({ length: 100 }, (_, i) => ({
      atMs: Math.floor((i * 1000) / 100),
      body: body(`b-${run}-${i}`, `creator-${run}-b-${i % 25}`),
    }));
    const b = await scenario(env, burst, limits, maxConcurrency, 120);
    const line = (name: string, r: Report) =>
      `${name.padEnd(10)} ${r.sent}/${r.messages} sent in ${(r.elapsedMs / 1000).toFixed(1)} s | not throttled ${r.notThrottled}: enqueue-to-send p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (goal < 100 / < 500) | ${r.receives} receives, ${r.throttledRequeues} throttled re-queues, dlq ${r.dlq} | limit violations ${r.limitViolations}`;
    const out = (s: string) => (json ? process.stderr : process.stdout).write(`${s}\n`);
    out(
      `pipeline bench: limits ${limits.perWindow}/${limits.windowSeconds}s burst ${limits.burst}, maxConcurrency ${maxConcurrency}, TLS+AUTH redis-server on 127.0.0.1`,
    );
    out(line(`sustained (${total} msgs, 200 creators)`, a));
    out(line("burst (100 msgs in 1 s, 25 creators)", b));
    process.stdout.write(`${JSON.stringify({ sustained: a, burst: b })}\n`);
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:pipeline failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
