// The library as another project uses it: `npm pack`, install the tarball into a fresh Pulumi
// TypeScript project (its own Pulumi.yaml, Pulumi.dev.yaml and program), type-check it against the
// shipped .d.ts, and preview it with the offline engine and the packaged policy pack — with no
// build step, no dev dependency, and nothing written inside node_modules. The README section "Use
// the components in another project" is these steps.

import { execFile } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { CONSUMER_PROJECT, writeConsumerProject } from "./consumer-project";

const repoRoot = path.resolve(__dirname, "..", "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Every file under `dir` with its size and modification time, to prove nothing was written there. */
function snapshot(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[]).sort().map((f) => {
    const s = fs.statSync(path.join(dir, f));
    return `${f} ${s.size} ${s.mtimeMs}`;
  });
}

const sha256 = (file: string, encoding: "hex" | "base64") =>
  crypto.createHash("sha256").update(fs.readFileSync(file)).digest(encoding);

describe("the installable package (npm pack → install → preview in another project)", function () {
  this.timeout(600_000);
  let tmp: string;
  let consumer: string;
  let installed: string;
  let tarball: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-pack-"));
    // 1. Pack: prepack builds dist/ (compiled JS, .d.ts, policy pack, Lambda bundle + sha256).
    const pack = await run(npm, ["pack", "--json", "--pack-destination", tmp], repoRoot);
    expect(pack.code, pack.stderr.slice(-3000)).to.equal(0);
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as { filename: string }[];
    tarball = path.join(tmp, info!.filename);

    // 2. A fresh project that depends on the tarball and nothing else of this repository.
    consumer = path.join(tmp, "acme");
    writeConsumerProject(consumer);
    fs.writeFileSync(
      path.join(consumer, "package.json"),
      `${JSON.stringify({ name: CONSUMER_PROJECT, private: true, dependencies: { "huntaze-hardening": `file:${tarball}` } }, null, 2)}\n`,
    );
    // Only the package's own dependencies are installed (from npm's cache when it has them). The
    // Pulumi SDKs are peer dependencies: the project's own copies, here the repository's (the
    // offline engine drives the program through the SDK instance it loaded itself).
    const install = await run(
      npm,
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--legacy-peer-deps", "--ignore-scripts"],
      consumer,
    );
    expect(install.code, install.stderr.slice(-3000)).to.equal(0);
    fs.symlinkSync(
      path.join(repoRoot, "node_modules", "@pulumi"),
      path.join(consumer, "node_modules", "@pulumi"),
      "dir",
    );
    installed = path.join(consumer, "node_modules", "huntaze-hardening");
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("ships compiled JS, .d.ts, the policy pack and the Lambda bundle with its sha256 — no sources, tests or benchmarks", () => {
    const files = fs.readdirSync(installed, { recursive: true, encoding: "utf8" }) as string[];
    expect(files).to.include.members([
      "package.json",
      "dist/components/index.js",
      "dist/components/index.d.ts",
      "dist/components/rate-limiter-pipeline.d.ts",
      "dist/lambdas/shared/redis-client.js",
      "dist/lambdas/shared/redis-client.d.ts",
      "dist/policy-pack/index.js",
      "dist/policy-pack/PulumiPolicy.yaml",
      "dist/policy-pack/package.json",
      "dist/bundles/rate-limiter/index.js",
      "dist/bundles/rate-limiter/index.js.sha256",
    ]);
    const sources = files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
    expect(sources, "TypeScript sources in the package").to.deep.equal([]);
    expect(files.filter((f) => /(^|\/)(tests?|bench|tools|stacks)\//.test(f) || /\.test\./.test(f))).to.deep.equal([]);
    const recorded = fs.readFileSync(path.join(installed, "dist/bundles/rate-limiter/index.js.sha256"), "utf8").trim();
    expect(recorded).to.equal(sha256(path.join(installed, "dist/bundles/rate-limiter/index.js"), "hex"));
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
    expect(manifest.peerDependencies).to.include.keys("@pulumi/pulumi", "@pulumi/aws");
    expect(manifest.engines.node).to.be.a("string");
    expect(Object.keys(manifest.dependencies ?? {})).to.not.include.members(["esbuild", "typescript", "ts-node"]);
  });

  it("resolves every public entry point through the exports map (components, policy pack, Redis client, bundles)", async () => {
    const script = `
      const c = require("huntaze-hardening");
      const p = require("huntaze-hardening/policy-pack");
      const r = require("huntaze-hardening/redis-client");
      const b = require("huntaze-hardening/lambda-bundles");
      console.log(JSON.stringify({
        components: ["EncryptedRedis", "HardenedBucket", "RateLimiterPipeline", "AlertTopics"].filter((k) => typeof c[k] === "function"),
        rules: p.allPolicies.length,
        redis: typeof r.createRedisClient,
        bundle: b.rateLimiterBundle(),
      }));`;
    const out = await run(process.execPath, ["-e", script], consumer);
    expect(out.code, out.stderr).to.equal(0);
    const seen = JSON.parse(out.stdout);
    expect(seen.components).to.have.length(4);
    expect(seen.rules).to.be.greaterThan(50);
    expect(seen.redis).to.equal("function");
    expect(fs.realpathSync(seen.bundle.path)).to.equal(
      fs.realpathSync(path.join(installed, "dist/bundles/rate-limiter/index.js")),
    );
    // A deep import outside the exports map is refused: the entry points are the API.
    const deep = await run(process.execPath, ["-e", 'require("huntaze-hardening/dist/lambdas/build.js")'], consumer);
    expect(deep.code).to.not.equal(0);
    expect(deep.stderr).to.match(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it("type-checks the project's program against the shipped .d.ts", async () => {
    const tsc = require.resolve("typescript/bin/tsc", { paths: [repoRoot] });
    const check = await run(process.execPath, [tsc, "-p", "tsconfig.json"], consumer);
    expect(check.code, check.stdout + check.stderr).to.equal(0);
  });

  it("previews the project offline with the packaged pack: exit 0, its project name, the pack's rules, the packaged Lambda code", async () => {
    const before = snapshot(installed);
    // As the README says, from the project's folder: relative paths are the caller's (INIT_CWD).
    const preview = await run(
      npm,
      [
        "--prefix",
        repoRoot,
        "run",
        "-s",
        "preview",
        "--",
        "--stack",
        "dev",
        "--program",
        "index.ts",
        "--stack-dir",
        ".",
        "--policy-pack",
        "node_modules/huntaze-hardening/dist/policy-pack",
        "--json",
        "--quiet",
      ],
      consumer,
    );
    expect(preview.code, preview.stderr.slice(-3000)).to.equal(0);
    const report = JSON.parse(preview.stdout) as {
      stack: string;
      policyPack: { name: string };
      resources: { urn: string; type: string; name: string; inputs: Record<string, unknown> }[];
      violations: { policy: string; enforcement: string; urn: string }[];
      outputs: Record<string, unknown>;
    };
    expect(report.stack).to.equal("dev");
    // The project is the one in the project's Pulumi.yaml, in every URN.
    for (const r of report.resources) expect(r.urn).to.contain(`::${CONSUMER_PROJECT}::`);
    const types = new Set(report.resources.map((r) => r.type));
    for (const t of [
      "huntaze:storage:HardenedBucket",
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "aws:lambda/function:Function",
      "aws:sqs/queue:Queue",
    ])
      expect(types, t).to.include(t);

    // The packaged pack ran: its advisory rules fired, nothing mandatory.
    expect(report.policyPack.name).to.equal("huntaze-hardening");
    expect(report.violations.map((v) => v.policy)).to.include("s3-bucket-event-notifications");
    expect(report.violations.filter((v) => v.enforcement === "mandatory")).to.deep.equal([]);

    // The Lambda code is the bundle inside the installed package, byte for byte.
    const fn = report.resources.find((r) => r.type === "aws:lambda/function:Function");
    const packaged = sha256(path.join(installed, "dist/bundles/rate-limiter/index.js"), "base64");
    expect(fn?.inputs.sourceCodeHash).to.equal(packaged);
    expect(report.outputs.codeHash).to.equal(packaged);

    // Nothing was written inside node_modules, nor a .build folder anywhere in the project.
    expect(snapshot(installed)).to.deep.equal(before);
    expect(fs.existsSync(path.join(consumer, ".build"))).to.equal(false);
  });
});
