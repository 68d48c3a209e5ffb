// npm run pipeline:local -- --scenario FILE --onlyfans-url URL [--redis-url URL] [--max-concurrency N]
//
// Runs the real rate-limiter handler against real Redis (a TLS + AUTH redis-server on loopback is
// started when no --redis-url is given) behind a local queue with SQS semantics, POSTs every send
// to the given URL, and stops when every message is sent or dead-lettered, or after the
// scenario's durationSeconds. Logs go to stderr; the last line of stdout is the JSON summary
// {"sent","throttledRequeues","receives","dlq","duplicatesSuppressed"}.
// The OnlyFans token, if any, is read from ONLYFANS_API_TOKEN; Redis TLS settings for --redis-url
// from the usual REDIS_* variables (see lambdas/shared/redis-config.ts).

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { resolveSettings } from "../lambdas/rate-limiter/config";
import { createRateLimiterHandler } from "../lambdas/rate-limiter/handler";
import { createOnlyFansClient } from "../lambdas/rate-limiter/onlyfans";
import { jsonLogger } from "../lambdas/rate-limiter/telemetry";
import { createRotatingRedisClient } from "../lambdas/shared/redis-auth";
import { createLocalQueues, parseScenario, runPipeline } from "./local-sqs/pipeline";

interface Args {
  scenario: string;
  onlyFansUrl: string;
  redisUrl?: string;
  maxConcurrency: number;
}

const USAGE =
  "usage: npm run pipeline:local -- --scenario FILE --onlyfans-url URL [--redis-url URL] [--max-concurrency N]";

export function parseArgs(argv: string[]): Args | { error: string } {
  const get = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const scenario = get("--scenario");
  const onlyFansUrl = get("--onlyfans-url");
  if (scenario === undefined || onlyFansUrl === undefined) return { error: USAGE };
  const mc = Number(get("--max-concurrency") ?? "2");
  if (!Number.isInteger(mc) || mc < 1) return { error: "--max-concurrency must be a positive integer" };
  const redisUrl = get("--redis-url");
  return { scenario, onlyFansUrl, maxConcurrency: mc, ...(redisUrl !== undefined ? { redisUrl } : {}) };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if ("error" in args) {
    process.stderr.write(`${args.error}\n`);
    return 2;
  }
  const scenario = parseScenario(fs.readFileSync(args.scenario, "utf8"));
  const settings = resolveSettings({ limits: scenario.limits ?? {}, maxConcurrency: args.maxConcurrency });
  if (!settings.ok) {
    process.stderr.write(`invalid scenario limits:\n  - ${settings.problems.join("\n  - ")}\n`);
    return 2;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let stopRedis: (() => Promise<void>) | undefined;
  let env: NodeJS.ProcessEnv;
  if (args.redisUrl !== undefined) {
    env = { ...process.env, REDIS_URL: args.redisUrl };
  } else {
    // Test-support harness: a throwaway TLS + requirepass redis-server with a CA made now.
    const { startRedis } = await import("../tests/support/redis-server");
    const password = crypto.randomBytes(24).toString("hex");
    const server = await startRedis({ password, tls: true });
    stopRedis = () => server.stop();
    env = {
      REDIS_URL: `rediss://127.0.0.1:${server.port}`,
      REDIS_PASSWORD: password,
      REDIS_TLS_CA_FILE: server.tls?.caFile,
      REDIS_TLS_SERVERNAME: "localhost",
    };
    log(JSON.stringify({ level: "info", msg: "started redis-server (TLS + AUTH)", port: server.port }));
  }
  // The Lambda's wiring: the token is re-read (here from the environment) on WRONGPASS/NOAUTH.
  const { client: redis, auth: redisAuth } = await createRotatingRedisClient(env);
  redis.on("error", () => {});
  const queues = createLocalQueues({ visibilityTimeoutMs: 30_000, maxReceiveCount: 5 });
  const handler = createRateLimiterHandler({
    redis,
    redisAuth,
    queue: queues.sender,
    onlyFans: createOnlyFansClient({
      url: args.onlyFansUrl,
      timeoutMs: settings.value.httpTimeoutMs,
      ...(process.env["ONLYFANS_API_TOKEN"] ? { token: process.env["ONLYFANS_API_TOKEN"] } : {}),
    }),
    settings: settings.value,
    logger: jsonLogger(log),
    emitMetrics: log,
  });
  try {
    const res = await runPipeline({
      queues,
      handler,
      messages: scenario.messages,
      durationSeconds: scenario.durationSeconds,
      maxConcurrency: args.maxConcurrency,
    });
    const t = handler.metrics.totals;
    if (res.timedOut)
      log(JSON.stringify({ level: "warn", msg: "stopped after durationSeconds", pending: queues.queue.size }));
    process.stdout.write(
      `${JSON.stringify({
        sent: t.Sent,
        throttledRequeues: t.ThrottledRequeues,
        receives: res.receives,
        dlq: queues.dlq.size,
        duplicatesSuppressed: t.DuplicatesSuppressed,
      })}\n`,
    );
    return 0;
  } finally {
    redis.disconnect();
    await stopRedis?.();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`pipeline:local failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
