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
import * as net from "node:net";
import { resolveSettings } from "../lambdas/rate-limiter/config";
import { createRateLimiterHandler } from "../lambdas/rate-limiter/handler";
import { createOnlyFansClient } from "../lambdas/rate-limiter/onlyfans";
import { jsonLogger } from "../lambdas/rate-limiter/telemetry";
import { createRotatingRedisClient } from "../lambdas/shared/redis-auth";
import { connectRedis } from "../lambdas/shared/redis-client";
import { callerPath, formatOptions, parseCommandLine } from "./cli/options";
import { createLocalQueues, parseScenario, runPipeline, type Scenario, ScenarioError } from "./local-sqs/pipeline";

/** The command line, one entry per flag: add a flag here and it is parsed and listed in --help. */
export const pipelineLocalOptions = {
  scenario: {
    type: "string",
    placeholder: "FILE",
    help: "the scenario: limits, durationSeconds, messages (see below)",
  },
  "onlyfans-url": { type: "string", placeholder: "URL", help: "where each send is POSTed (http:// or https://)" },
  "redis-url": {
    type: "string",
    placeholder: "URL",
    help: "redis:// or rediss:// URL of a running Redis (TLS settings from the REDIS_* variables);\ndefault: a throwaway TLS + AUTH redis-server started for the run",
  },
  "max-concurrency": { type: "string", placeholder: "N", help: "concurrent handler invocations (default 2)" },
  help: { type: "boolean", short: "h", help: "this help" },
} as const;

export const USAGE = `usage: npm run pipeline:local -- --scenario FILE --onlyfans-url URL [--redis-url URL] [--max-concurrency N]

Runs the real rate-limiter handler against real Redis behind a local queue with SQS semantics,
POSTing every send to --onlyfans-url; the last stdout line is the JSON summary
{"sent", "throttledRequeues", "receives", "dlq", "duplicatesSuppressed"}.

${formatOptions(pipelineLocalOptions)}

Scenario: {"limits": {"perWindow": 10, "windowSeconds": 60, "burst": 3}, "durationSeconds": 90,
  "messages": [{"atMs": 0, "body": {"messageId": "m1", "userId": "creator-1", "fanId": "fan-1", "message": "hi"}}]}
The OnlyFans token, if any, is read from ONLYFANS_API_TOKEN. Relative paths are resolved against
the directory the command was run from.
exit codes: 0 the scenario ran, 1 an unexpected failure, 2 bad arguments, scenario or endpoints`;

export interface Args {
  readonly scenario: string;
  readonly onlyFansUrl: string;
  readonly redisUrl?: string;
  readonly maxConcurrency: number;
}

/** The command line checked: every problem at once, or the arguments (or a request for help). */
export function parseArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Args | { help: true } | { problems: string[] } {
  const { values, problems } = parseCommandLine(argv, pipelineLocalOptions);
  if (values.help) return { help: true };
  if (values.scenario === undefined) problems.push("--scenario FILE is required");
  const onlyFansUrl = values["onlyfans-url"];
  if (onlyFansUrl === undefined) problems.push("--onlyfans-url URL is required");
  else if (!isHttpUrl(onlyFansUrl))
    problems.push(`--onlyfans-url must be an http:// or https:// URL with a host, got ${JSON.stringify(onlyFansUrl)}`);
  const redisUrl = values["redis-url"];
  if (redisUrl !== undefined && !/^rediss?:\/\/[^/\s]/.test(redisUrl))
    problems.push("--redis-url must be a redis:// or rediss:// URL (not shown: it may hold a password)");
  const mc = values["max-concurrency"] ?? "2";
  if (!/^\d+$/.test(mc) || Number(mc) < 1)
    problems.push(`--max-concurrency must be a positive integer, got ${JSON.stringify(mc)}`);
  if (problems.length > 0) return { problems };
  return {
    scenario: callerPath(values.scenario as string, env),
    onlyFansUrl: onlyFansUrl as string,
    maxConcurrency: Number(mc),
    ...(redisUrl !== undefined ? { redisUrl } : {}),
  };
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

class SetupError extends Error {}

/** Whether something accepts TCP connections at the URL's host and port, within `timeoutMs`. */
function reachable(raw: string, timeoutMs = 3000): Promise<boolean> {
  const url = new URL(raw);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname.replace(/^\[|\]$/g, ""), port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

function readScenario(file: string): Scenario {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SetupError(
      code === "ENOENT" ? `scenario file ${file} does not exist` : `cannot read scenario file ${file} (${code ?? e})`,
    );
  }
  return parseScenario(text, file);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), process.env);
  if ("help" in args) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if ("problems" in args) {
    process.stderr.write(`error: ${args.problems.join("\n       ")}\n\n${USAGE}\n`);
    return 2;
  }
  const scenario = readScenario(args.scenario);
  if (!(await reachable(args.onlyFansUrl))) {
    throw new SetupError(`nothing answers at --onlyfans-url ${args.onlyFansUrl}: start the endpoint first`);
  }
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
    // A dead Redis must stop the run, not start it in degraded mode with nothing sent.
    try {
      const probe = await connectRedis(env, {
        redisOptions: {
          connectTimeout: 5000,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
          disconnectTimeout: 100,
        },
      });
      probe.disconnect();
    } catch (error) {
      throw new SetupError(`cannot use --redis-url: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    // Test-support harness: a throwaway TLS + requirepass redis-server with a CA made now.
    const { startRedis } = await import("./services/redis-server");
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
      if (error instanceof SetupError || error instanceof ScenarioError) {
        process.stderr.write(`error: ${error.message}\n`);
        process.exit(2);
      }
      process.stderr.write(`pipeline:local failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
