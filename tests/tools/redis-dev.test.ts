import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import { connectRedis } from "../../lambdas/shared/redis-client";
import { freePort } from "../../tools/services/redis-server";
import { type CliResult, runTool } from "../support/cli";

// `npm run redis:dev`: a TLS-only, mTLS, ACL-protected redis-server for local work, whose env file
// the shared client factory reads as is.

/** KEY=value lines, as a shell or dotenv reads them. */
function readEnvFile(file: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) env[m[1] as string] = m[2];
  }
  return env;
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe("redis:dev (tools/redis-dev.ts)", function () {
  this.timeout(60_000);
  let dir: string;
  let port: number;
  // Node 20 reads --env-file after the script too: the npm script passes "--" first, and so do we.
  const tool = (...args: string[]): Promise<CliResult> => runTool("redis-dev.ts", ["--", "--dir", dir, ...args]);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "redis-dev-"));
    port = await freePort();
  });
  after(async () => {
    await tool("--stop");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("starts TLS-only with mTLS and an ACL user, writes a 0600 env file the client factory connects with", async () => {
    const envFile = path.join(dir, "secrets.env");
    const res = await tool("--port", String(port), "--env-file", envFile);
    expect(res.code, res.stderr).to.equal(0);
    expect(mode(envFile)).to.equal(0o600);
    const env = readEnvFile(envFile);
    expect(Object.keys(env)).to.deep.equal([
      "REDIS_HOST",
      "REDIS_PORT",
      "REDIS_USERNAME",
      "REDIS_PASSWORD",
      "REDIS_SSL",
      "REDIS_SSL_CA_CERTS",
      "REDIS_SSL_CERTFILE",
      "REDIS_SSL_KEYFILE",
    ]);
    expect(env).to.include({
      REDIS_HOST: "localhost",
      REDIS_PORT: String(port),
      REDIS_USERNAME: "app",
      REDIS_SSL: "true",
    });
    const password = env.REDIS_PASSWORD ?? "";
    expect(password).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(res.stdout + res.stderr, "the password stays in the file").to.not.include(password);
    for (const key of ["REDIS_SSL_CA_CERTS", "REDIS_SSL_CERTFILE", "REDIS_SSL_KEYFILE"]) {
      expect(path.isAbsolute(env[key] ?? ""), key).to.equal(true);
      expect(fs.existsSync(env[key] ?? ""), key).to.equal(true);
    }
    const certs = path.join(dir, "certs");
    expect(fs.readdirSync(certs)).to.include.members([
      "ca-cert.pem",
      "ca-key.pem",
      "redis-server-cert.pem",
      "redis-server-key.pem",
      "redis-client-cert.pem",
      "redis-client-key.pem",
    ]);
    for (const key of ["ca-key.pem", "redis-server-key.pem", "redis-client-key.pem"])
      expect(mode(path.join(certs, key)), key).to.equal(0o600);
    expect(mode(path.join(dir, "redis.conf"))).to.equal(0o600);

    const client = await connectRedis(env, { warn: () => {} });
    try {
      expect(await client.set("redis-dev:probe", "ok", "EX", 30)).to.equal("OK");
      expect(await client.call("ACL", "WHOAMI")).to.equal("app");
      // Dangerous commands stay with no one: the default user is off and app may not run them.
      const flush = await client.flushall().catch((e: Error) => e.message);
      expect(flush).to.match(/^NOPERM/);
    } finally {
      client.disconnect();
    }
    // No certificate, no connection (mutual TLS); plaintext has no port at all.
    const noCert = { ...env, REDIS_SSL_CERTFILE: undefined, REDIS_SSL_KEYFILE: undefined };
    const refused = await connectRedis(noCert, { warn: () => {} }).then(
      (c) => {
        c.disconnect();
        return "connected";
      },
      (e: { reason?: string }) => e.reason,
    );
    expect(refused).to.be.oneOf(["tls-client-certificate", "reset"]);
    const plain = await connectRedis(
      {
        ...env,
        REDIS_SSL: "false",
        REDIS_SSL_CA_CERTS: undefined,
        REDIS_SSL_CERTFILE: undefined,
        REDIS_SSL_KEYFILE: undefined,
      },
      { warn: () => {} },
    ).then(
      (c) => {
        c.disconnect();
        return "connected";
      },
      () => "refused",
    );
    expect(plain).to.equal("refused");
  });

  it("says it is already running instead of showing a password again", async () => {
    const res = await tool("--port", String(port));
    expect(res.code).to.equal(0);
    expect(res.stdout).to.equal("");
    expect(res.stderr).to.include("already running");
  });

  it("stops, then starts again on the same certificates with a new password shown once", async () => {
    const ca = fs.readFileSync(path.join(dir, "certs", "ca-cert.pem"), "utf8");
    const before = readEnvFile(path.join(dir, "secrets.env")).REDIS_PASSWORD;
    const stopped = await tool("--stop");
    expect(stopped.code, stopped.stderr).to.equal(0);
    expect(stopped.stdout).to.include("redis:dev stopped");
    expect(fs.existsSync(path.join(dir, "redis.conf")), "the config holding the password is gone").to.equal(false);

    const res = await tool("--port", String(port));
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.include(`Certificates reused from ${path.join(dir, "certs")}`);
    expect(fs.readFileSync(path.join(dir, "certs", "ca-cert.pem"), "utf8")).to.equal(ca);
    const password = /^REDIS_PASSWORD=(.+)$/m.exec(res.stdout)?.[1] ?? "";
    expect(password).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(password).to.not.equal(before);
    expect(res.stdout.split(password)).to.have.length(2);
  });

  it("explains its usage and refuses bad input", async () => {
    const help = await tool("--help");
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include("usage: npm run redis:dev");
    const bad = await tool("--port", "70000");
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('--port must be an integer from 1 to 65535, got "70000"');
    const unknown = await tool("--bogus");
    expect(unknown.code).to.equal(2);
  });
});
