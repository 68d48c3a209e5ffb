// `npm run bench:redis-verify [-- --keys N]`: the migration of seed 000 at production-like size.
// Loads N keys of mixed types into a plaintext Redis, SAVEs, restores the RDB into a TLS + AUTH
// Redis, then runs tools/redis-verify.ts as a child process (so its peak RSS is its own) and
// prints throughput and memory. A command, not a test.

import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseOrExit, positiveInteger } from "../tools/cli/options";
import { type RunningRedis, rawCommand, startRedis } from "../tools/services/redis-server";

const ROOT = path.resolve(__dirname, "..");

interface BenchArgs {
  keys: number;
  batch: number;
  parallel: number;
}

const benchOptions = {
  keys: { type: "string", placeholder: "N", help: "keys written to the source (default 1000000)" },
  batch: { type: "string", placeholder: "N", help: "redis-verify --batch (default 1000)" },
  parallel: { type: "string", placeholder: "N", help: "redis-verify --parallel (default 4)" },
} as const;

function parseBenchArgs(argv: string[]): BenchArgs {
  const usage = `usage: npm run bench:redis-verify -- [--keys N] [--batch N] [--parallel N]`;
  const flags = parseOrExit(argv, benchOptions, usage);
  return {
    keys: positiveInteger("keys", flags.keys, 1_000_000),
    batch: positiveInteger("batch", flags.batch, 1000),
    parallel: positiveInteger("parallel", flags.parallel, 4),
  };
}

function resp(args: string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

/**
 * Key i's commands. Mix: 60 % strings, 10 % each hash / list / set / zset (5 elements each);
 * every 10th key has a TTL, long enough to outlive the run.
 */
function commandsFor(i: number): string {
  const key = `k:${i}`;
  const kind = i % 10;
  let out: string;
  if (kind < 6) out = resp(["SET", key, `value-${i}-${"x".repeat(i % 40)}`]);
  else if (kind === 6) out = resp(["HSET", key, "a", `${i}`, "b", "2", "c", "3", "d", "4", "e", `${i * 7}`]);
  else if (kind === 7) out = resp(["RPUSH", key, "1", "2", "3", `${i}`, "5"]);
  else if (kind === 8) out = resp(["SADD", key, "a", "b", "c", `${i}`, "e"]);
  else out = resp(["ZADD", key, "1", "a", "2.5", "b", "0.1", "c", `${i}`, "d", "-3", "e"]);
  if (i % 10 === 3) out += resp(["EXPIRE", key, "86400"]);
  return out;
}

/** Streams the generated protocol into `redis-cli --pipe`, honouring back-pressure. */
function loadWithPipe(server: RunningRedis, keys: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const cli = spawn("redis-cli", ["-h", server.host, "-p", String(server.port), "--pipe"], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    let output = "";
    cli.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    cli.on("error", reject);
    cli.on("exit", (code) => {
      if (code === 0 && /errors: 0\b/.test(output)) resolve();
      else reject(new Error(`redis-cli --pipe failed (exit ${code}): ${output.trim()}`));
    });
    let i = 0;
    const write = () => {
      while (i < keys) {
        let chunk = "";
        const end = Math.min(keys, i + 5000);
        for (; i < end; i++) chunk += commandsFor(i);
        if (!cli.stdin.write(chunk)) {
          cli.stdin.once("drain", write);
          return;
        }
      }
      cli.stdin.end();
    };
    write();
  });
}

function runVerify(
  source: RunningRedis,
  target: RunningRedis,
  args: BenchArgs,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        "tools/redis-verify.ts",
        "--ca",
        target.tls?.caFile ?? "",
        "--json",
        "--quiet",
        "--batch",
        String(args.batch),
        "--parallel",
        String(args.parallel),
      ],
      {
        cwd: ROOT,
        // URLs through the environment: the AUTH token stays out of argv.
        env: { ...process.env, REDIS_VERIFY_SOURCE: source.url, REDIS_VERIFY_TARGET: target.url },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const seconds = (since: number) => (Date.now() - since) / 1000;

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2));
  const started = Date.now();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-bench-verify-"));
  const servers: RunningRedis[] = [];
  try {
    const source = await startRedis();
    servers.push(source);
    let t = Date.now();
    await loadWithPipe(source, args.keys);
    const dbsize = Number((await rawCommand(source, ["DBSIZE"])).slice(1));
    if (dbsize !== args.keys) throw new Error(`loaded ${dbsize} keys, expected ${args.keys}`);
    const loadSeconds = seconds(t);

    t = Date.now();
    await rawCommand(source, ["SAVE"], 120000);
    const snapshot = path.join(workDir, "snapshot.rdb");
    fs.copyFileSync(path.join(source.dataDir, "dump.rdb"), snapshot);
    const token = `bench${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    const target = await startRedis({ password: token, tls: true, rdbFile: snapshot, startTimeoutMs: 120000 });
    servers.push(target);
    const restoreSeconds = seconds(t);

    t = Date.now();
    const result = await runVerify(source, target, args);
    const verifyWall = seconds(t);
    if (result.code !== 0) throw new Error(`verify exited ${result.code}: ${result.stderr.trim()}`);
    if (`${result.stdout}${result.stderr}`.includes(token))
      throw new Error("the verify output contains the AUTH token");
    const report = JSON.parse(result.stdout) as Record<string, number>;

    const mix = `${args.keys} keys: 60% strings, 10% each hashes/lists/sets/zsets, 10% with TTL`;
    const lines = [
      `bench:redis-verify ${mix} (${os.cpus().length} CPUs, Node ${process.version}, redis-server ${await serverVersion(source)})`,
      `load: ${args.keys} keys in ${loadSeconds.toFixed(1)} s via redis-cli --pipe; SAVE + restore into TLS+AUTH target in ${restoreSeconds.toFixed(1)} s`,
      `verify: compared ${report["compared"]} keys (missing ${report["missing"]}, different ${report["different"]}, extra ${report["extra"]}) in ${Number(report["seconds"]).toFixed(1)} s = ${Math.round(Number(report["compared"]) / Number(report["seconds"]))} keys/s compared (${report["keysPerSecond"]} keys/s scanned across both sides; batch ${args.batch}, parallel ${args.parallel})`,
      `verify process: peak RSS ${report["peakRssMiB"]} MiB (process.resourceUsage().maxRSS), wall ${verifyWall.toFixed(1)} s including Node/ts-node start-up`,
      `total: ${seconds(started).toFixed(1)} s`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`bench:redis-verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

async function serverVersion(server: RunningRedis): Promise<string> {
  return /redis_version:([^\r\n]+)/.exec(await rawCommand(server, ["INFO", "server"]))?.[1] ?? "?";
}

main().then((code) => {
  process.exitCode = code;
});
