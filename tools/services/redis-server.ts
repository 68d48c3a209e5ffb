// Real Debian `redis-server` processes on loopback for tests, benches and local tools. Never a mock: Lua, ACL, TLS and
// cluster redirections must behave exactly as they do on ElastiCache.
//
// Secrets go into a mode-0600 config file in the data dir, never on the command line, so they do
// not show up in `ps` or in a failing test's output.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { makeTlsMaterial, type TlsMaterial } from "./tls-material";

export type { TlsMaterial } from "./tls-material";
export { makeTlsMaterial, NAME_NOT_IN_CERT, SERVER_CERT_NAMES } from "./tls-material";

export interface AclUser {
  name: string;
  password: string;
  /** ACL rules after `on >password`, e.g. "~* +@all -flushall". */
  rules: string;
}

export interface RedisServerOptions {
  /** `requirepass` for the default user. @default - no password */
  password?: string;
  /** Serve TLS only (`--port 0 --tls-port P`). @default false */
  tls?: boolean;
  /** `tls-auth-clients yes`: a client without a certificate signed by the CA is refused. @default false */
  requireClientCert?: boolean;
  aclUsers?: AclUser[];
  /** Start from this RDB file (copied into the data dir as dump.rdb). */
  rdbFile?: string;
  /** Extra redis.conf lines, e.g. `["maxmemory 10mb"]`. */
  extraConfig?: string[];
  /** Milliseconds to wait for the server to answer. @default 15000 (an RDB may need loading) */
  startTimeoutMs?: number;
}

export interface RunningRedis {
  host: string;
  port: number;
  password?: string;
  tls?: TlsMaterial;
  dataDir: string;
  /** redis:// or rediss:// carrying the default user's password, for tools. NEVER log it. */
  url: string;
  /** Graceful shutdown (no save) and removal of the data dir. */
  stop(): Promise<void>;
  /** SIGKILL, keeping the data dir so that `restart()` works: simulates a crash. */
  kill(): Promise<void>;
  /** Starts again on the same port with the same data dir (after stop-less kill, or while running). */
  restart(): Promise<void>;
}

export interface RunningCluster {
  nodes: RunningRedis[];
  startupNodes: { host: string; port: number }[];
  password?: string;
  tls?: TlsMaterial;
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const live = new Set<ChildProcess>();
const dirs = new Set<string>();
const reserved = new Set<number>();

function cleanUpEverything(): void {
  for (const child of live) child.kill("SIGKILL");
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
}
process.on("exit", cleanUpEverything);
// A CI timeout sends SIGTERM, which skips "exit": without this, servers outlive the run.
for (const signal of ["SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    cleanUpEverything();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

/** A free port whose cluster bus port (port + 10000) is free too, never handed out twice per process. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = await ephemeralPort();
    if (port + 10000 > 65535 || reserved.has(port)) continue;
    if (!(await portIsFree(port + 10000))) continue;
    reserved.add(port);
    return port;
  }
  throw new Error("no free port pair (P, P+10000) found on 127.0.0.1 after 200 attempts");
}

function encodeCommand(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

interface ProbeTarget {
  port: number;
  password?: string;
  tls?: TlsMaterial;
}

function connectSocket(target: ProbeTarget): net.Socket {
  if (!target.tls) return net.connect({ host: HOST, port: target.port });
  return tls.connect({
    host: HOST,
    port: target.port,
    servername: "localhost",
    ca: fs.readFileSync(target.tls.caFile),
    cert: fs.readFileSync(target.tls.clientCertFile),
    key: fs.readFileSync(target.tls.clientKeyFile),
  });
}

/**
 * Sends one command (after AUTH when a password is known) over a fresh connection and returns the
 * raw reply of that command. Test-support only: no dependency on the client under test.
 */
export function rawCommand(target: ProbeTarget, args: string[], timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectSocket(target);
    const ready = target.tls ? "secureConnect" : "connect";
    let reply = "";
    const authed = target.password !== undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply from 127.0.0.1:${target.port} within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (error: Error | null, value?: string) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value ?? "");
    };
    socket.once("error", (error) => finish(error));
    socket.once(ready, () => {
      const auth = authed ? encodeCommand(["AUTH", target.password as string]) : "";
      socket.write(auth + encodeCommand(args));
    });
    socket.on("data", (chunk: Buffer) => {
      reply += chunk.toString("utf8");
      let rest = reply;
      if (authed) {
        const end = rest.indexOf("\r\n");
        if (end < 0) return;
        const authReply = rest.slice(0, end);
        if (!authReply.startsWith("+OK")) {
          finish(new Error(`AUTH refused by 127.0.0.1:${target.port}: ${authReply.split(" ")[0]}`));
          return;
        }
        rest = rest.slice(end + 2);
      }
      if (isCompleteReply(rest)) finish(null, rest);
    });
  });
}

/** True when `text` holds one full RESP2 reply (simple, error, integer, bulk or a flat array). */
function isCompleteReply(text: string): boolean {
  const end = text.indexOf("\r\n");
  if (end < 0) return false;
  const head = text[0];
  if (head === "+" || head === "-" || head === ":") return true;
  if (head === "$") {
    const length = Number(text.slice(1, end));
    return length < 0 || Buffer.byteLength(text) >= Buffer.byteLength(text.slice(0, end + 2)) + length + 2;
  }
  if (head === "*") {
    // Good enough for the short arrays tests ask for: wait for as many CRLFs as elements need.
    const count = Number(text.slice(1, end));
    return count <= 0 || text.split("\r\n").length - 1 >= 1 + count * 2;
  }
  return true;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, onFail?: () => string) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await delay(50);
  }
  const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}${onFail ? `\n${onFail()}` : ""}`);
}

function logTail(dataDir: string): string {
  try {
    const lines = fs.readFileSync(path.join(dataDir, "redis.log"), "utf8").trim().split("\n");
    return `redis.log (last lines):\n${lines.slice(-15).join("\n")}`;
  } catch {
    return "(no redis.log)";
  }
}

function quoteConf(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function buildConfig(port: number, dataDir: string, opts: RedisServerOptions, material?: TlsMaterial): string {
  const lines = [
    `bind ${HOST}`,
    "daemonize no",
    `dir ${quoteConf(dataDir)}`,
    "dbfilename dump.rdb",
    `logfile ${quoteConf(path.join(dataDir, "redis.log"))}`,
    'save ""',
    "appendonly no",
  ];
  if (material) {
    lines.push(
      "port 0",
      `tls-port ${port}`,
      `tls-cert-file ${quoteConf(material.certFile)}`,
      `tls-key-file ${quoteConf(material.keyFile)}`,
      `tls-ca-cert-file ${quoteConf(material.caFile)}`,
      `tls-auth-clients ${opts.requireClientCert ? "yes" : "no"}`,
    );
  } else {
    lines.push(`port ${port}`);
  }
  if (opts.password !== undefined) lines.push(`requirepass ${quoteConf(opts.password)}`);
  for (const user of opts.aclUsers ?? []) {
    lines.push(`user ${user.name} on ${quoteConf(`>${user.password}`)} ${user.rules}`);
  }
  lines.push(...(opts.extraConfig ?? []));
  return `${lines.join("\n")}\n`;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Starts a redis-server on a free loopback port and resolves once it answers PING. */
export async function startRedis(opts: RedisServerOptions = {}): Promise<RunningRedis> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-redis-"));
  dirs.add(dataDir);
  const material = opts.tls ? makeTlsMaterial() : undefined;
  if (opts.rdbFile !== undefined) fs.copyFileSync(opts.rdbFile, path.join(dataDir, "dump.rdb"));
  const configFile = path.join(dataDir, "redis.conf");
  const timeoutMs = opts.startTimeoutMs ?? 15000;

  let child: ChildProcess | undefined;
  let port = 0;

  const launch = async () => {
    const probe: ProbeTarget = { port, password: opts.password, tls: material };
    const proc = spawn("redis-server", [configFile], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    proc.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    live.add(proc);
    proc.once("exit", () => live.delete(proc));
    const spawnError = new Promise<never>((_, reject) => {
      proc.once("error", (error) => reject(new Error(`cannot run redis-server: ${error.message}`, { cause: error })));
    });
    child = proc;
    const exitedEarly = () => proc.exitCode !== null || proc.signalCode !== null;
    await Promise.race([
      spawnError,
      waitUntil(
        `redis-server on 127.0.0.1:${port}`,
        async () => {
          if (exitedEarly()) throw new Error(`redis-server exited (code ${proc.exitCode}) ${stderr.trim()}`);
          // Our own process must answer (other test runs share this machine's ports), and
          // loading:0 means any RDB has been read.
          const info = await rawCommand(probe, ["INFO", "server", "persistence"], 1000);
          return info.includes(`process_id:${proc.pid}\r\n`) && info.includes("loading:0\r\n");
        },
        timeoutMs,
        () => logTail(dataDir),
      ),
    ]).catch(async (error: unknown) => {
      proc.kill("SIGKILL");
      await waitForExit(proc, 5000);
      child = undefined;
      throw error;
    });
  };

  // freePort() can race with other processes on the machine: retry on a port taken meanwhile.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    fs.writeFileSync(configFile, buildConfig(port, dataDir, opts, material), { mode: 0o600 });
    try {
      await launch();
      break;
    } catch (error) {
      const portTaken = /in use/i.test(logTail(dataDir));
      if (!portTaken || attempt >= 5) {
        fs.rmSync(dataDir, { recursive: true, force: true });
        dirs.delete(dataDir);
        throw error;
      }
      fs.rmSync(path.join(dataDir, "redis.log"), { force: true });
    }
  }

  const halt = async (signal: NodeJS.Signals) => {
    const proc = child;
    child = undefined;
    if (!proc) return;
    proc.kill(signal);
    await waitForExit(proc, 5000);
  };

  const scheme = material ? "rediss" : "redis";
  const auth = opts.password !== undefined ? `:${encodeURIComponent(opts.password)}@` : "";
  return {
    host: HOST,
    port,
    password: opts.password,
    tls: material,
    dataDir,
    url: `${scheme}://${auth}${HOST}:${port}`,
    async stop() {
      // SIGTERM with `save ""` shuts down without writing an RDB, and quickly.
      await halt("SIGTERM");
      reserved.delete(port);
      fs.rmSync(dataDir, { recursive: true, force: true });
      dirs.delete(dataDir);
    },
    async kill() {
      await halt("SIGKILL");
    },
    async restart() {
      await halt("SIGTERM");
      await launch();
    },
  };
}

function runRedisCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("redis-cli", args, { env, timeout: 30000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`redis-cli ${args.slice(0, 2).join(" ")} failed: ${stderr || stdout}`));
      else resolve(stdout);
    });
  });
}

/**
 * Starts `masters` cluster-enabled servers (no replicas), assigns all 16384 slots with
 * `redis-cli --cluster create` and waits until every node reports cluster_state:ok.
 */
export async function startRedisCluster(
  opts: { masters?: number; password?: string; tls?: boolean } = {},
): Promise<RunningCluster> {
  const masters = opts.masters ?? 3;
  const clusterConfig = [
    "cluster-enabled yes",
    // Relative to `dir`, so each node keeps its own nodes.conf in its data dir.
    "cluster-config-file nodes.conf",
    "cluster-node-timeout 5000",
    ...(opts.password !== undefined ? [`masterauth ${quoteConf(opts.password)}`] : []),
    ...(opts.tls ? ["tls-cluster yes", "tls-replication yes"] : []),
  ];
  const nodes: RunningRedis[] = [];
  try {
    for (let i = 0; i < masters; i++) {
      nodes.push(await startRedis({ password: opts.password, tls: opts.tls, extraConfig: clusterConfig }));
    }
    const cliArgs = ["--cluster", "create", ...nodes.map((n) => `${n.host}:${n.port}`)];
    cliArgs.push("--cluster-replicas", "0", "--cluster-yes");
    const material = nodes[0]?.tls;
    if (material) {
      cliArgs.push(
        "--tls",
        "--cacert",
        material.caFile,
        "--cert",
        material.clientCertFile,
        "--key",
        material.clientKeyFile,
      );
    }
    // REDISCLI_AUTH keeps the password off the command line.
    const env = { ...process.env, ...(opts.password !== undefined ? { REDISCLI_AUTH: opts.password } : {}) };
    await runRedisCli(cliArgs, env);
    for (const node of nodes) {
      await waitUntil(
        `cluster_state:ok on 127.0.0.1:${node.port}`,
        async () =>
          (await rawCommand({ port: node.port, password: node.password, tls: node.tls }, ["CLUSTER", "INFO"])).includes(
            "cluster_state:ok",
          ),
        20000,
      );
    }
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw error;
  }
  return {
    nodes,
    startupNodes: nodes.map((n) => ({ host: n.host, port: n.port })),
    password: opts.password,
    tls: nodes[0]?.tls,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
