// The prebuilt Lambda bundles (lambdas/bundle.ts): what RateLimiterPipeline deploys by default,
// found relative to the compiled module, checked against the sha256 recorded at build time, and
// identical to a fresh deterministic build of the runtime sources. Nothing is built at deploy time.

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { RateLimiterPipeline } from "../../components";
import { bundleLambda } from "../../lambdas/build";
import { bundlesRoot, HASH_FILE, MissingBundleError, prebuiltBundle, rateLimiterBundle } from "../../lambdas/bundle";
import { inputsOf, one, record } from "../support/pulumi-harness";

describe("prebuilt Lambda bundles (lambdas/bundle.ts)", function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-bundles-"));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("finds the rate-limiter bundle beside the module, with the sha256 recorded at build time", () => {
    const bundle = rateLimiterBundle();
    expect(bundle.path).to.equal(path.join(bundlesRoot, "rate-limiter", "index.js"));
    expect(bundle.sha256).to.equal(crypto.createHash("sha256").update(fs.readFileSync(bundle.path)).digest("hex"));
  });

  it("is the same bytes as a fresh build of lambdas/rate-limiter (up to date, deterministic)", async () => {
    const fresh = await bundleLambda("lambdas/rate-limiter/index.ts", path.join(tmp, "fresh"));
    expect(fresh.sha256).to.equal(rateLimiterBundle().sha256);
  });

  it("refuses a missing or altered bundle, saying how to rebuild it", () => {
    expect(() => prebuiltBundle("rate-limiter", path.join(tmp, "none"))).to.throw(
      MissingBundleError,
      /bundle is missing .*npm run build:lambdas/,
    );
    const dir = path.join(tmp, "altered", "rate-limiter");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "index.js"), "exports.handler = async () => ({});\n");
    fs.writeFileSync(path.join(dir, HASH_FILE), `${"0".repeat(64)}\n`);
    expect(() => prebuiltBundle("rate-limiter", path.join(tmp, "altered"))).to.throw(
      MissingBundleError,
      /does not match its recorded sha256/,
    );
  });

  it("RateLimiterPipeline deploys the prebuilt bundle by default and builds nothing", async () => {
    const cwd = process.cwd();
    const project = path.join(tmp, "project");
    fs.mkdirSync(project);
    process.chdir(project);
    try {
      const run = await record(() => {
        new RateLimiterPipeline("rate-limiter", {
          vpcId: "vpc-0a1b2c3d4e5f60718",
          subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
          redis: { host: "redis.example.internal", securityGroupId: "sg-0a1b2c3d4e5f60099" },
          onlyfans: { apiUrl: "https://onlyfansapi.example.com/v1", apiToken: "t0ken-for-the-test" },
          alarmTopicArn: "arn:aws:sns:us-east-1:317805897534:ops",
        });
      });
      const fn = inputsOf(one(run, "aws:lambda/function:Function"));
      expect(fn.sourceCodeHash).to.equal(Buffer.from(rateLimiterBundle().sha256, "hex").toString("base64"));
      expect(fs.readdirSync(project)).to.deep.equal([]);
    } finally {
      process.chdir(cwd);
    }
  });
});
