// `npm run redis:verify -- --source URL --target URL`: proves a snapshot/restore lost nothing.
// Stdout carries only the final report; progress and errors go to stderr, always with every
// password masked. Argument parsing, digests and formatting live in tools/redis-verify/.

import type { Redis } from "ioredis";
import { connectRedisWithConfig, RedisConnectionError } from "../lambdas/shared/redis-client";
import { parseRedisConfig } from "../lambdas/shared/redis-config";
import { UsageError } from "./cli/options";
import { clientEnv, parseArgs, USAGE, type VerifyOptions } from "./redis-verify/args";
import { maskUrl, scrub, secretsOf } from "./redis-verify/mask";
import { speaksPlaintextRedis } from "./redis-verify/probe";
import {
  EXIT_USAGE,
  exitCodeFor,
  formatJson,
  formatText,
  keysPerSecond,
  type VerifyCounts,
} from "./redis-verify/report";
import { verifyKeyspaces } from "./redis-verify/verify";

function progressPrinter(quiet: boolean, secrets: string[]) {
  const started = Date.now();
  let last = 0;
  return (phase: "source" | "target", counts: Readonly<VerifyCounts>) => {
    const now = Date.now();
    if (quiet || now - last < 1000) return;
    last = now;
    const seconds = (now - started) / 1000;
    const scanned = counts.sourceKeys + counts.targetKeys;
    const line =
      phase === "source"
        ? `source: ${counts.sourceKeys} keys compared, missing ${counts.missing}, different ${counts.different}`
        : `target: ${counts.targetKeys} keys checked for extras, extra ${counts.extra}`;
    process.stderr.write(scrub(`[redis-verify] ${line} (${keysPerSecond(scanned, seconds)} keys/s)\n`, secrets));
  };
}

async function connect(side: "source" | "target", url: string, ca?: string, servername?: string): Promise<Redis> {
  const parsed = parseRedisConfig(clientEnv(url, ca, servername));
  if (!parsed.ok) throw new UsageError(`${side} ${maskUrl(url)}: ${parsed.problems.join("; ")}`);
  for (const warning of parsed.warnings) process.stderr.write(`[redis-verify] ${side}: warning: ${warning}\n`);
  const { host, port, tls } = parsed.config;
  if (tls && !parsed.config.cluster && (await speaksPlaintextRedis(host, port))) {
    throw new UsageError(
      `cannot connect to the ${side}: TLS mismatch: ${maskUrl(url)} asks for TLS (rediss://) but ${host}:${port} answers in plaintext; use redis:// for a server without transit encryption`,
    );
  }
  try {
    // No reconnect loop: a verification that silently waits on a dead server helps nobody. A short
    // disconnectTimeout because ioredis keeps a timer of that length alive after a failed connect.
    return (await connectRedisWithConfig(parsed.config, {
      redisOptions: {
        connectTimeout: 10000,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        disconnectTimeout: 100,
      },
    })) as Redis;
  } catch (error) {
    if (error instanceof RedisConnectionError) throw new UsageError(`cannot connect to the ${side}: ${error.message}`);
    throw error;
  }
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv, process.env);
  if (parsed.kind === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`redis-verify: ${parsed.problems.join("\n  ")}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const options: VerifyOptions = parsed.options;
  const secrets = [...secretsOf(options.source), ...secretsOf(options.target)];
  const clients: Redis[] = [];
  try {
    const settled = await Promise.allSettled([
      connect("source", options.source, options.sourceCa, options.sourceServername),
      connect("target", options.target, options.targetCa, options.targetServername),
    ]);
    for (const result of settled) if (result.status === "fulfilled") clients.push(result.value);
    for (const result of settled) if (result.status === "rejected") throw result.reason;
    const [source, target] = clients as [Redis, Redis];
    for (const [side, client] of [
      ["source", source],
      ["target", target],
    ] as const) {
      // SCAN on one cluster node sees only that node's slots: the result would be wrong, not partial.
      // INFO is in @dangerous: a least-privilege verification user may not have it; skip then.
      const info = await client.info("cluster").catch((error: Error) => {
        if (error.message.startsWith("NOPERM")) return "";
        throw error;
      });
      if (/cluster_enabled:1/.test(info)) {
        throw new UsageError(
          `the ${side} is a Redis Cluster node; redis-verify compares standalone keyspaces (cluster mode disabled, as in the ElastiCache migration)`,
        );
      }
    }
    for (const [side, client] of [
      ["source", source],
      ["target", target],
    ] as const) {
      // Without a listener ioredis prints its own unformatted "Unhandled error event".
      client.on("error", (error: Error) => {
        process.stderr.write(scrub(`[redis-verify] ${side}: connection error: ${error.message}\n`, secrets));
      });
    }
    const report = await verifyKeyspaces(source, target, {
      batch: options.batch,
      parallel: options.parallel,
      match: options.match,
      onProgress: progressPrinter(options.quiet, secrets),
    });
    const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    const context = { source: maskUrl(options.source), target: maskUrl(options.target), strict: options.strict };
    const out = options.json
      ? `${formatJson(report, { keysPerSecond: keysPerSecond(report.sourceKeys + report.targetKeys, report.seconds), peakRssMiB })}\n`
      : formatText(report, context);
    process.stdout.write(scrub(out, secrets));
    return exitCodeFor(report, options.strict);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`redis-verify: ${scrub(message, secrets)}\n`);
    return EXIT_USAGE;
  } finally {
    for (const client of clients) client.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`redis-verify: unexpected failure: ${error instanceof Error ? error.name : "error"}\n`);
    process.exitCode = EXIT_USAGE;
  },
);
