// moto in server mode on loopback: the AWS API emulator that the inventory and the audit read in
// tests and local runs, through the SDK's standard endpoint setting (AWS_ENDPOINT_URL). Installed by
// `node tools/bootstrap.js --services` into .venv-moto/ from tools/moto/requirements.txt (pinned).
//
// Shared by tests and tools (so it lives here, not under tests/). Each server is a separate
// process with its own in-memory account; `reset()` empties it between scenarios.

import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

const HOST = "127.0.0.1";
const root = path.resolve(__dirname, "..", "..");
/** The moto_server entry point bootstrap installs. */
export const MOTO_SERVER_BINARY = path.join(root, ".venv-moto", "bin", "moto_server");

export interface RunningMoto {
  /** http://127.0.0.1:PORT — give it to clients as `endpoint` or AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  /** The account every request of this server acts in. */
  readonly accountId: string;
  /**
   * Environment for a child process (a tool run end to end): the endpoint, region and throw-away
   * credentials. The server acts in `accountId` (MOTO_ACCOUNT_ID), so a tool sees it from STS
   * GetCallerIdentity.
   */
  readonly env: Record<string, string>;
  /** Client settings for an SDK v3 client constructed in this process. */
  clientConfig(region?: string): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    forcePathStyle: boolean;
  };
  /** Empties every service (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface MotoOptions {
  /** @default "123456789012" (moto's own default account) */
  readonly accountId?: string;
  /** @default "us-east-1" */
  readonly region?: string;
  /** @default 30000: the first start imports every moto backend */
  readonly startTimeoutMs?: number;
}

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});
for (const signal of ["SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    for (const child of live) child.kill("SIGKILL");
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts moto_server on a free loopback port and waits until it answers. */
export async function startMoto(options: MotoOptions = {}): Promise<RunningMoto> {
  if (!fs.existsSync(MOTO_SERVER_BINARY))
    throw new Error(
      `moto is not installed (${path.relative(process.cwd(), MOTO_SERVER_BINARY)} is missing): run \`node tools/bootstrap.js --services\``,
    );
  const accountId = options.accountId ?? "123456789012";
  const region = options.region ?? "us-east-1";
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  let lastError = "";
  // A port found free may be taken before moto binds it: try another.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const endpoint = `http://${HOST}:${port}`;
    const child = spawn(MOTO_SERVER_BINARY, ["-H", HOST, "-p", String(port)], {
      stdio: ["ignore", "ignore", "pipe"],
      // moto's first choice of the account a request acts in (moto/core/responses.py get_current_account).
      env: { ...process.env, PYTHONUNBUFFERED: "1", MOTO_ACCOUNT_ID: accountId },
    });
    live.add(child);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    let exited = false;
    child.once("exit", () => {
      exited = true;
      live.delete(child);
    });
    while (!exited && Date.now() < deadline) {
      if (await answers(endpoint)) {
        const stop = async () => {
          if (exited) return;
          const gone = new Promise((resolve) => child.once("exit", resolve));
          child.kill("SIGTERM");
          await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 3000))]);
          if (!exited) child.kill("SIGKILL");
        };
        const credentials = { accessKeyId: "AKIAMOTOTESTKEY00000", secretAccessKey: "moto-test-secret" };
        return {
          endpoint,
          accountId,
          env: {
            AWS_ENDPOINT_URL: endpoint,
            AWS_REGION: region,
            AWS_DEFAULT_REGION: region,
            AWS_ACCESS_KEY_ID: credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
            // No profile, no IMDS: the tool must use exactly these credentials.
            AWS_EC2_METADATA_DISABLED: "true",
          },
          clientConfig: (r = region) => ({ endpoint, region: r, credentials, forcePathStyle: true }),
          reset: async () => {
            const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
            await response.arrayBuffer();
            if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
          },
          stop,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill("SIGKILL");
    lastError = stderr.trim().split("\n").slice(-3).join("\n");
    if (!/address already in use/i.test(stderr)) break;
  }
  throw new Error(
    `moto_server did not answer within ${options.startTimeoutMs ?? 30_000} ms${lastError ? `:\n${lastError}` : ""}`,
  );
}
