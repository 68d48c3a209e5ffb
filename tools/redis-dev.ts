// `npm run redis:dev [-- --env-file FILE] [--port N] [--dir DIR] [--stop]`
// A local Redis like production, without Docker (seed 004 "Quick Start"): Debian's redis-server,
// TLS only with mutual TLS, the default user switched off, an ACL user `app` with a generated
// password, and the environment block the shared client factory reads.

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { connectRedis } from "../lambdas/shared/redis-client";
import { SEED_ENV_NAMES } from "../lambdas/shared/redis-config";
import { UsageError } from "./cli/options";
import { makeCa, makeLeaf } from "./tls/openssl";

const root = path.resolve(__dirname, "..");
export const DEFAULT_DIR = path.join(root, ".tmp", "redis-dev");
const DEFAULT_PORT = 6379;
const APP_USER = "app";
/** The ACL of `app`: every key and channel, every command but the dangerous ones (INFO stays, for ioredis' ready check). */
const APP_RULES = "~* &* +@all -@dangerous +info";

/** Seed 004's certificate file names (scripts/generate-redis-certs.sh). */
export const CERT_FILES = {
  caCert: "ca-cert.pem",
  caKey: "ca-key.pem",
  serverCert: "redis-server-cert.pem",
  serverKey: "redis-server-key.pem",
  clientCert: "redis-client-cert.pem",
  clientKey: "redis-client-key.pem",
} as const;

const usage = `usage: npm run redis:dev -- [--env-file FILE] [--port N] [--dir DIR]
       npm run redis:dev -- --stop [--dir DIR]

Starts redis-server for local development, configured like production: TLS only (no plaintext
port) with client certificates (mTLS), the default user off, an ACL user "${APP_USER}" with a new
generated password. Certificates (seed 004's names, keys 0600) are made once under DIR/certs and
reused by every later start. Prints the environment block the application needs; the password is
shown once, or written with the rest to FILE (mode 0600, KEY=value lines) with --env-file.

  --env-file FILE  write the environment to FILE instead of printing the password
  --port N         TLS port (default ${DEFAULT_PORT})
  --dir DIR        state directory: certificates, config, pid, log (default .tmp/redis-dev)
  --stop           stop the server started from DIR
  --help           this text

exit codes: 0 done, 1 redis-server failed to start or stop, 2 usage error`;

interface Paths {
  dir: string;
  certs: string;
  conf: string;
  pid: string;
  log: string;
  data: string;
}

function pathsOf(dir: string): Paths {
  return {
    dir,
    certs: path.join(dir, "certs"),
    conf: path.join(dir, "redis.conf"),
    pid: path.join(dir, "redis.pid"),
    log: path.join(dir, "redis.log"),
    data: path.join(dir, "data"),
  };
}

/** Whether `pid` is a live process; a daemon that exited may linger as a zombie until init reaps it. */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    try {
      process.kill(pid, 0);
      return !fs.existsSync("/proc/self");
    } catch {
      return false;
    }
  }
}

/** The pid of the running server started from this dir, if any. */
function runningPid(p: Paths): number | undefined {
  if (!fs.existsSync(p.pid)) return undefined;
  const pid = Number(fs.readFileSync(p.pid, "utf8").trim());
  return Number.isSafeInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

/** CA, server and client certificates, made once; returns whether they were reused. */
export function ensureCertificates(certs: string): boolean {
  const all = Object.values(CERT_FILES).map((f) => path.join(certs, f));
  if (all.every((f) => fs.existsSync(f))) return true;
  fs.mkdirSync(certs, { recursive: true, mode: 0o700 });
  const ca = { certFile: CERT_FILES.caCert, keyFile: CERT_FILES.caKey };
  makeCa(certs, ca, "/O=Huntaze development/CN=Huntaze dev Redis CA", 3650);
  makeLeaf(certs, {
    certFile: CERT_FILES.serverCert,
    keyFile: CERT_FILES.serverKey,
    ca,
    subject: "/O=Huntaze development/CN=localhost",
    days: 825,
    usages: ["serverAuth"],
    altNames: ["DNS:localhost", "IP:127.0.0.1", "IP:::1"],
  });
  makeLeaf(certs, {
    certFile: CERT_FILES.clientCert,
    keyFile: CERT_FILES.clientKey,
    ca,
    subject: `/O=Huntaze development/CN=${APP_USER}`,
    days: 825,
    usages: ["clientAuth"],
  });
  return false;
}

const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

function redisConf(p: Paths, port: number, password: string): string {
  const cert = (f: string) => quote(path.join(p.certs, f));
  return `${[
    // localhost may resolve to either; "-" skips an address the machine does not have.
    "bind 127.0.0.1 -::1",
    "protected-mode yes",
    "port 0",
    `tls-port ${port}`,
    `tls-cert-file ${cert(CERT_FILES.serverCert)}`,
    `tls-key-file ${cert(CERT_FILES.serverKey)}`,
    `tls-ca-cert-file ${cert(CERT_FILES.caCert)}`,
    "tls-auth-clients yes",
    'tls-protocols "TLSv1.2 TLSv1.3"',
    "daemonize yes",
    `pidfile ${quote(p.pid)}`,
    `logfile ${quote(p.log)}`,
    `dir ${quote(p.data)}`,
    "user default off",
    `user ${APP_USER} on ${quote(`>${password}`)} ${APP_RULES}`,
  ].join("\n")}\n`;
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(true));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
  });
}

/** The variables the shared client factory reads (lambdas/shared/redis-config.ts), seed 004's spellings. */
export function environmentFor(p: Paths, port: number, password: string): [string, string][] {
  return [
    [SEED_ENV_NAMES.host, "localhost"],
    [SEED_ENV_NAMES.port, String(port)],
    [SEED_ENV_NAMES.username, APP_USER],
    [SEED_ENV_NAMES.password, password],
    [SEED_ENV_NAMES.tls, "true"],
    [SEED_ENV_NAMES.caFile, path.join(p.certs, CERT_FILES.caCert)],
    [SEED_ENV_NAMES.certFile, path.join(p.certs, CERT_FILES.clientCert)],
    [SEED_ENV_NAMES.keyFile, path.join(p.certs, CERT_FILES.clientKey)],
  ];
}

async function waitUntilServing(env: NodeJS.ProcessEnv, p: Paths, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const client = await connectRedis(env, { warn: () => {} });
      client.disconnect();
      return;
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const tail = fs.existsSync(p.log) ? fs.readFileSync(p.log, "utf8").trim().split("\n").slice(-5).join("\n") : "";
  throw new Error(`redis-server did not answer over TLS within ${timeoutMs} ms: ${(last as Error)?.message}\n${tail}`);
}

async function start(p: Paths, port: number, envFile: string | undefined): Promise<number> {
  const pid = runningPid(p);
  if (pid !== undefined) {
    process.stderr.write(
      `redis:dev is already running (pid ${pid}, state in ${p.dir}); its password was shown when it started. ` +
        "Run `npm run redis:dev -- --stop` and start again for a new one.\n",
    );
    return 0;
  }
  if (await portInUse(port)) throw new UsageError(`port ${port} is in use: choose another with --port`);
  fs.mkdirSync(p.data, { recursive: true, mode: 0o700 });
  const reused = ensureCertificates(p.certs);
  const password = randomBytes(32).toString("base64url");
  // The password lives in this file only (never on a command line, where `ps` would show it).
  fs.writeFileSync(p.conf, redisConf(p, port, password), { mode: 0o600 });
  fs.chmodSync(p.conf, 0o600);
  try {
    execFileSync("redis-server", [p.conf], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    throw new Error(`redis-server failed to start: ${(error as { stderr?: Buffer }).stderr?.toString().trim()}`);
  }
  const vars = environmentFor(p, port, password);
  await waitUntilServing(Object.fromEntries(vars), p);

  const header = [
    `# Redis for local development: TLS only on port ${port}, client certificates required, ACL user "${APP_USER}".`,
    `# Certificates ${reused ? "reused from" : "created in"} ${p.certs}; stop with: npm run redis:dev -- --stop`,
  ];
  if (envFile !== undefined) {
    const file = path.resolve(envFile);
    fs.writeFileSync(file, `${vars.map(([k, v]) => `${k}=${v}`).join("\n")}\n`, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    const shown = vars.map(([k, v]) => (k === SEED_ENV_NAMES.password ? `# ${k} is in ${file}` : `${k}=${v}`));
    process.stdout.write(`${[...header, `# Environment written to ${file} (mode 0600):`, ...shown].join("\n")}\n`);
  } else {
    process.stdout.write(
      `${[...header, "# The password is shown this once: copy the block now.", ...vars.map(([k, v]) => `${k}=${v}`)].join("\n")}\n`,
    );
  }
  return 0;
}

async function stop(p: Paths): Promise<number> {
  const pid = runningPid(p);
  if (pid === undefined) {
    process.stderr.write(`redis:dev is not running (no live pid in ${p.pid})\n`);
    fs.rmSync(p.conf, { force: true });
    return 0;
  }
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) {
    process.stderr.write(`redis-server (pid ${pid}) did not stop within 10 s\n`);
    return 1;
  }
  fs.rmSync(p.pid, { force: true });
  // The config holds the password: it leaves with the server. The certificates stay for the next start.
  fs.rmSync(p.conf, { force: true });
  process.stdout.write(`redis:dev stopped (pid ${pid}); certificates kept in ${p.certs}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  let values: { [k: string]: string | boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "env-file": { type: "string" },
        port: { type: "string" },
        dir: { type: "string" },
        stop: { type: "boolean" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const p = pathsOf(path.resolve((values.dir as string | undefined) ?? DEFAULT_DIR));
  if (values.stop) {
    if (values["env-file"] !== undefined || values.port !== undefined)
      throw new UsageError("--stop takes no --env-file or --port");
    return stop(p);
  }
  const rawPort = (values.port as string | undefined) ?? String(DEFAULT_PORT);
  if (!/^\d+$/.test(rawPort) || Number(rawPort) < 1 || Number(rawPort) > 65535)
    throw new UsageError(`--port must be an integer from 1 to 65535, got "${rawPort}"`);
  return start(p, Number(rawPort), values["env-file"] as string | undefined);
}

if (require.main === module) {
  // Node 20 reads `--env-file` anywhere on its command line, even after the script: the npm script
  // passes a `--` first so the flag reaches this tool, and the `--` is dropped here.
  const argv = process.argv.slice(2);
  main(argv[0] === "--" ? argv.slice(1) : argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`error: ${error.message}\n\n${usage}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`error: ${(error as Error).message}\n`);
        process.exitCode = 1;
      }
    },
  );
}
