// npm run bench:rate-limiter -- [--json] [--seconds N]
//
// Decisions per second and p50/p99 latency over TLS (+ AUTH) to a loopback redis-server, at
// concurrency 1 and 64, side by side in one run:
//   ours                 the decide script (sliding window + token bucket + line + idempotency);
//                        a granted message's outcome is recorded too (finish), as the handler does,
//                        and that time counts in ours' ops/s (not in its latency, which is the decision)
//   rateLimiterFlexible  rate-limiter-flexible's RateLimiterRedis (fixed window, 10 per 60 s) on the
//                        same server and client
//   evalshaCeiling       EVALSHA of a trivial script (TIME + SET): the most a script-per-decision can do
// plus the Lambda bundle size and its cold init (require time in a fresh node process).
// --json prints one object {ours, rateLimiterFlexible, evalshaCeiling}, each {opsPerSec, p50Ms, p99Ms}
// at concurrency 64.

import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RateLimiterRedis } from "rate-limiter-flexible";
import { bundleLambda } from "../lambdas/build";
import { DEFAULT_SETTINGS } from "../lambdas/rate-limiter/config";
import { TRIVIAL_LUA } from "../lambdas/rate-limiter/lua";
import { Outcome, Status } from "../lambdas/rate-limiter/model";
import { RedisRateStore } from "../lambdas/rate-limiter/store";
import { createRedisClient } from "../lambdas/shared/redis-client";
import { startRedis } from "../tests/support/redis-server";

interface Result {
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

type Op = (i: number) => Promise<void>;

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function measure(
  op: Op,
  concurrency: number,
  seconds: number,
  timed: (i: number) => Promise<void>,
): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() < end) {
      const i = next++;
      const t = performance.now();
      await timed(i);
      latencies.push(performance.now() - t);
      await op(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - start) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    opsPerSec: Math.round(latencies.length / elapsed),
    p50Ms: round(quantile(sorted, 0.5)),
    p99Ms: round(quantile(sorted, 0.99)),
  };
}

function coldInitMs(file: string, runs = 5): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(
      process.execPath,
      [
        "-e",
        `const t=process.hrtime.bigint();require(${JSON.stringify(file)});console.log(Number(process.hrtime.bigint()-t)/1e6)`,
      ],
      // The nodejs22.x runtime provides @aws-sdk/*; node_modules stands in for it here.
      { env: { ...process.env, NODE_PATH: path.resolve("node_modules") } },
    );
    samples.push(Number(out.toString().trim()));
  }
  samples.sort((a, b) => a - b);
  return Math.round((samples[Math.floor(samples.length / 2)] as number) * 10) / 10;
}

async function main(): Promise<void> {
  const json = process.argv.includes("--json");
  const secIdx = process.argv.indexOf("--seconds");
  const seconds = secIdx >= 0 ? Number(process.argv[secIdx + 1]) : 3;
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);

  const password = crypto.randomBytes(24).toString("hex");
  const server = await startRedis({ password, tls: true });
  const client = createRedisClient({
    REDIS_URL: `rediss://127.0.0.1:${server.port}`,
    REDIS_PASSWORD: password,
    REDIS_TLS_CA_FILE: server.tls?.caFile,
    REDIS_TLS_SERVERNAME: "localhost",
  });
  try {
    await client.ping();
    const run = crypto.randomBytes(4).toString("hex");
    const users = 20_000;
    const store = new RedisRateStore(client, DEFAULT_SETTINGS);
    const body = JSON.stringify({ messageId: "m", userId: "u", fanId: "f", message: "Hey! Thanks for subscribing" });
    const grantedBy = new Map<number, string>();
    const ours: Op = async (i) => {
      const user = grantedBy.get(i);
      if (user !== undefined) {
        grantedBy.delete(i);
        await store.finish(user, `m${i}`, Outcome.sent);
      }
    };
    const oursTimed = async (i: number) => {
      const userId = `ours-${run}-${i % users}`;
      const d = await store.decide({ userId, messageId: `m${i}`, attempts: 0, body, deadlineMs: 0 });
      if (d.status === Status.granted) grantedBy.set(i, userId);
    };
    const rlf = new RateLimiterRedis({ storeClient: client, points: 10, duration: 60, keyPrefix: `rlf-${run}` });
    const rlfTimed = async (i: number) => {
      await rlf.consume(`u${i % users}`).catch(() => undefined);
    };
    client.defineCommand("benchTrivial", { numberOfKeys: 1, lua: TRIVIAL_LUA });
    const trivial = client as unknown as { benchTrivial(key: string): Promise<unknown> };
    const ceilTimed = async (i: number) => {
      await trivial.benchTrivial(`ceil-${run}:{${i % users}}`);
    };
    const none: Op = async () => {};

    // Warm up: scripts loaded, TLS session and JIT settled.
    await measure(ours, 8, 0.5, oursTimed);
    await measure(none, 8, 0.5, rlfTimed);
    await measure(none, 8, 0.5, ceilTimed);

    const table: Record<string, Record<number, Result>> = { ours: {}, rateLimiterFlexible: {}, evalshaCeiling: {} };
    for (const c of [1, 64]) {
      (table["ours"] as Record<number, Result>)[c] = await measure(ours, c, seconds, oursTimed);
      (table["rateLimiterFlexible"] as Record<number, Result>)[c] = await measure(none, c, seconds, rlfTimed);
      (table["evalshaCeiling"] as Record<number, Result>)[c] = await measure(none, c, seconds, ceilTimed);
    }

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rl-bench-bundle-"));
    const bundle = await bundleLambda("lambdas/rate-limiter/index.ts", dir);
    const init = coldInitMs(bundle.file);
    fs.rmSync(dir, { recursive: true, force: true });

    const fmt = (r: Result) =>
      `${String(r.opsPerSec).padStart(7)} ops/s  p50 ${r.p50Ms.toFixed(3)} ms  p99 ${r.p99Ms.toFixed(3)} ms`;
    say(
      `rate limiter decisions over TLS+AUTH to redis-server ${server.port} on 127.0.0.1, ${seconds} s per cell, ${users} creators`,
    );
    for (const c of [1, 64]) {
      const o = table["ours"]?.[c] as Result;
      const r = table["rateLimiterFlexible"]?.[c] as Result;
      const e = table["evalshaCeiling"]?.[c] as Result;
      say(
        `concurrency ${String(c).padStart(2)} | ours ${fmt(o)} | rate-limiter-flexible ${fmt(r)} | EVALSHA ceiling ${fmt(e)}`,
      );
      say(
        `concurrency ${String(c).padStart(2)} | ours/rate-limiter-flexible throughput ${(o.opsPerSec / r.opsPerSec).toFixed(2)}x, ours/ceiling ${(o.opsPerSec / e.opsPerSec).toFixed(2)}x, p99 ours ${o.p99Ms.toFixed(3)} ms vs rlf ${r.p99Ms.toFixed(3)} ms`,
      );
    }
    say(
      `lambda bundle ${bundle.bytes} bytes (sha256 ${bundle.sha256.slice(0, 16)}), cold init (require, median of 5) ${init} ms`,
    );
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ ours: table["ours"]?.[64], rateLimiterFlexible: table["rateLimiterFlexible"]?.[64], evalshaCeiling: table["evalshaCeiling"]?.[64] })}\n`,
      );
    }
  } finally {
    client.disconnect();
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:rate-limiter failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
