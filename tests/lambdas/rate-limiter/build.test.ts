// The Lambda bundle: deterministic bytes (the Pulumi archive hash must not change without a code
// change), loadable in a fresh node process, and the entry's configuration checks.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { bundleLambda } from "../../../lambdas/build";
import { settingsFromEnv } from "../../../lambdas/rate-limiter/config";
import { buildHandler, resolveSecrets } from "../../../lambdas/rate-limiter/index";

describe("rate limiter Lambda bundle and entry", function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "rl-bundle-"));
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("bundles deterministically and the bundle exports the handler", async () => {
    const a = await bundleLambda("lambdas/rate-limiter/index.ts", tmp());
    const b = await bundleLambda("lambdas/rate-limiter/index.ts", tmp());
    expect(a.sha256).to.equal(b.sha256);
    expect(a.bytes).to.equal(fs.statSync(a.file).size);
    expect(fs.readFileSync(a.file, "utf8")).to.not.match(/from"@aws-sdk|node_modules\/@aws-sdk/);
    // The runtime provides @aws-sdk/*; here node_modules stands in for it.
    const out = execFileSync(
      process.execPath,
      ["-e", `console.log(typeof require(${JSON.stringify(a.file)}).handler)`],
      {
        env: { ...process.env, NODE_PATH: path.resolve("node_modules") },
      },
    )
      .toString()
      .trim();
    expect(out).to.equal("function");
  });

  it("gives the same bytes whichever directory the build runs from", async () => {
    const entry = path.resolve("lambdas/rate-limiter/index.ts");
    const here = await bundleLambda(entry, tmp());
    const cwd = process.cwd();
    try {
      process.chdir(os.tmpdir());
      const elsewhere = await bundleLambda(entry, tmp());
      expect(elsewhere.sha256).to.equal(here.sha256);
    } finally {
      process.chdir(cwd);
    }
  });

  it("reads limits and tuning from the environment, reporting every problem at once", () => {
    const ok = settingsFromEnv({
      RATE_LIMIT_PER_WINDOW: "20",
      RATE_LIMIT_WINDOW_SECONDS: "30",
      RATE_LIMIT_BURST: "5",
      MAX_CONCURRENCY: "4",
    });
    expect(ok.ok && ok.value.limits).to.deep.equal({ perWindow: 20, windowSeconds: 30, burst: 5 });
    expect(ok.ok && ok.value.maxConcurrency).to.equal(4);
    const bad = settingsFromEnv({ RATE_LIMIT_PER_WINDOW: "ten", RATE_LIMIT_BURST: "50" });
    expect(bad.ok).to.equal(false);
    if (!bad.ok) {
      expect(bad.problems).to.include('RATE_LIMIT_PER_WINDOW must be an integer, got "ten"');
      expect(bad.problems).to.include("burst must be an integer from 1 to perWindow (10), got 50");
    }
  });

  it("resolves the OnlyFans token and the Redis AUTH token from Secrets Manager ARNs", async () => {
    const secrets: Record<string, string> = {
      "arn:redis": JSON.stringify({ authToken: "redis-auth-token", host: "h", port: 6379, tls: true }),
      "arn:of": "bare-onlyfans-token",
    };
    const read = async (arn: string) => secrets[arn] ?? "";
    const r = await resolveSecrets(
      { REDIS_AUTH_TOKEN_SECRET_ARN: "arn:redis", ONLYFANS_API_TOKEN_SECRET_ARN: "arn:of" },
      read,
    );
    expect(r.env["REDIS_AUTH_TOKEN"]).to.equal("redis-auth-token");
    expect(r.onlyFansToken).to.equal("bare-onlyfans-token");
    // A password given directly wins (and is not contradicted).
    const direct = await resolveSecrets({ REDIS_AUTH_TOKEN_SECRET_ARN: "arn:redis", REDIS_PASSWORD: "p" }, read);
    expect(direct.env["REDIS_AUTH_TOKEN"]).to.equal(undefined);
  });

  it("refuses to start without its queue and endpoint settings, naming each", async () => {
    let message = "";
    try {
      await buildHandler({ RATE_LIMIT_BURST: "0" });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ["QUEUE_URL", "DLQ_URL", "ONLYFANS_API_URL", "burst must be an integer"]) {
      expect(message).to.include(name);
    }
  });
});
