// The library as another team adopts it, from the package alone: `npm pack`, then in an empty
// directory holding only a copy of examples/payments, with nothing but Node and npm on PATH (no
// clone's node_modules/.bin, no npm_* variables of the running `npm test`): install the tarball and
// the peers the example's package.json lists (from npm's cache when it has them, else the
// registry), check `npm ls`, type-check against the shipped .d.ts, and run the package's bins.
// PACKAGE-README.md's walkthrough is these commands on this example (checked below), so it cannot drift.

import { execFile } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";

const repoRoot = path.resolve(__dirname, "..", "..");
const example = path.join(repoRoot, "examples", "payments");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const npx = process.platform === "win32" ? "npx.cmd" : "npx";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Only this Node's directory and the system's: nothing of the repository on PATH, no npm_* of the parent npm. */
function consumerEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== "INIT_CWD" && k !== "NODE_OPTIONS"),
  );
  // npm's own directory (wherever the machine installed it), after this Node's: npm is an `env node` script.
  const npmDir = (process.env.PATH ?? "")
    .split(path.delimiter)
    .find((d) => !d.startsWith(repoRoot) && fs.existsSync(path.join(d, npm)));
  const system = ["/usr/local/bin", "/usr/bin", "/bin"].filter((d) => fs.existsSync(d));
  const dirs = [path.dirname(process.execPath), ...(npmDir ? [npmDir] : []), ...system];
  return { ...env, PATH: [...new Set(dirs)].join(path.delimiter) };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = consumerEnv()): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 400_000 }, (error, stdout, stderr) =>
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

describe("the installable package (npm pack → a copy of examples/payments in an empty directory → npx huntaze-preview)", function () {
  this.timeout(900_000);
  let tmp: string;
  let consumer: string;
  let installed: string;
  let tarball: string;
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-pack-"));
    // 1. Pack: prepack builds dist/ (compiled JS, .d.ts, policy pack, engine, Lambda bundle + sha256)
    //    and ships PACKAGE-README.md as the README.
    const pack = await run(npm, ["pack", "--json", "--pack-destination", tmp], repoRoot, process.env);
    expect(pack.code, pack.stderr.slice(-3000)).to.equal(0);
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as { filename: string }[];
    tarball = path.join(tmp, info!.filename);

    // 2. The example, copied into an empty directory, installed as the README says.
    consumer = path.join(tmp, "payments");
    fs.cpSync(example, consumer, {
      recursive: true,
      filter: (f) => !/(^|[/\\])(node_modules|package-lock\.json)$/.test(f),
    });
    const install = await run(
      npm,
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--save-exact", tarball],
      consumer,
    );
    expect(install.code, install.stderr.slice(-3000)).to.equal(0);
    installed = path.join(consumer, "node_modules", ...manifest.name.split("/"));
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    // The repository's README is back after the pack (postpack).
    expect(fs.existsSync(path.join(repoRoot, ".repository-readme.md"))).to.equal(false);
  });

  it("ships the components, the runtime helpers, the pack, the engine and its bins, a consumer README — no sources, tests, benchmarks or internal docs", () => {
    const files = fs.readdirSync(installed, { recursive: true, encoding: "utf8" }) as string[];
    expect(files).to.include.members([
      "package.json",
      "README.md",
      "CHANGELOG.md",
      "dist/components/index.js",
      "dist/components/index.d.ts",
      "dist/components/rate-limiter-pipeline.d.ts",
      "dist/lambdas/shared/redis-client.js",
      "dist/lambdas/shared/redis-client.d.ts",
      "dist/lambdas/cost-monitoring/index.js",
      "dist/lambdas/cost-monitoring/index.d.ts",
      "dist/lambdas/workflows/message.js",
      "dist/lambdas/workflows/message.d.ts",
      "dist/policy-pack/index.js",
      "dist/policy-pack/PulumiPolicy.yaml",
      "dist/policy-pack/package.json",
      "dist/bundles/rate-limiter/index.js",
      "dist/bundles/rate-limiter/index.js.sha256",
      "dist/tools/package-bin/huntaze-preview.js",
      "dist/tools/package-bin/huntaze-policy-check.js",
      "dist/tools/engine/prices/us-east-1.json",
    ]);
    const sources = files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
    expect(sources, "TypeScript sources in the package").to.deep.equal([]);
    expect(
      files.filter((f) => /(^|\/)(tests?|bench|stacks|docs|usage|examples)\//.test(f) || /\.test\./.test(f)),
    ).to.deep.equal([]);
    // Of tools/, only the engine and its command line: no audit, moto, build or bench tooling, and no .d.ts (a command, not an API).
    const tools = files.filter(
      (f) => f.startsWith("dist/tools/") && !fs.statSync(path.join(installed, f)).isDirectory(),
    );
    expect(
      tools.filter(
        (f) => !/^dist\/tools\/(package-bin|engine|cli)\/|^dist\/tools\/(preview|policy-check)\.js$/.test(f),
      ),
    ).to.deep.equal([]);
    expect(tools.filter((f) => f.endsWith(".d.ts"))).to.deep.equal([]);
    // The README is the consumer's, not the repository's manual.
    const readme = fs.readFileSync(path.join(installed, "README.md"), "utf8");
    expect(readme).to.equal(fs.readFileSync(path.join(repoRoot, "PACKAGE-README.md"), "utf8"));
    expect(readme).to.not.match(/bootstrap|docs\/benchmarks|\.venv-moto/);
    const recorded = fs.readFileSync(path.join(installed, "dist/bundles/rate-limiter/index.js.sha256"), "utf8").trim();
    expect(recorded).to.equal(sha256(path.join(installed, "dist/bundles/rate-limiter/index.js"), "hex"));
    const shipped = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
    expect(shipped.peerDependencies).to.include.keys("@pulumi/pulumi", "@pulumi/aws");
    expect(shipped.bin).to.include.keys("huntaze-preview", "huntaze-policy-check");
    expect(Object.keys(shipped.dependencies ?? {})).to.not.include.members(["esbuild", "typescript", "ts-node"]);
  });

  it("the public .d.ts (what the API reference is generated from) cite no internal documents or repository paths", () => {
    const files = (fs.readdirSync(installed, { recursive: true, encoding: "utf8" }) as string[]).filter((f) =>
      f.endsWith(".d.ts"),
    );
    expect(files.length).to.be.greaterThan(20);
    // The design's seed documents ("seed 000", "the seed's thresholds"), this repository's folders and scripts.
    const internal = /\bseeds?\b(?! the new group)|(?<![\w.])(docs|tests?|tools|stacks|bench)\/|npm run /i;
    const offending = files.flatMap((f) =>
      fs
        .readFileSync(path.join(installed, f), "utf8")
        .split("\n")
        .filter((line) => internal.test(line))
        .map((line) => `${f}: ${line.trim()}`),
    );
    expect(offending).to.deep.equal([]);
  });

  it("installs clean: `npm ls` exits 0 with the peers the example pins, which satisfy the package's peer ranges", async () => {
    const ls = await run(npm, ["ls", "--all", "--json"], consumer);
    expect(ls.code, ls.stdout.slice(-3000) + ls.stderr).to.equal(0);
    const tree = JSON.parse(ls.stdout) as { dependencies: Record<string, { version: string }>; problems?: string[] };
    expect(tree.problems ?? []).to.deep.equal([]);
    // The example pins the versions this repository is tested with (its devDependencies): one source.
    for (const peer of ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/random", "@pulumi/policy", "typescript"])
      expect(tree.dependencies[peer]?.version, peer).to.equal(manifest.devDependencies[peer]);
    expect(tree.dependencies[manifest.name]?.version).to.equal(manifest.version);
  });

  it("resolves every public entry point through the exports map, with the runtime helpers services import", async () => {
    const script = `
      const name = ${JSON.stringify(manifest.name)};
      const c = require(name);
      const p = require(name + "/policy-pack");
      const r = require(name + "/redis-client");
      const b = require(name + "/lambda-bundles");
      const m = require(name + "/cost-monitoring");
      const w = require(name + "/workflows");
      console.log(JSON.stringify({
        components: ["EncryptedRedis", "HardenedBucket", "RateLimiterPipeline", "AlertTopics"].filter((k) => typeof c[k] === "function"),
        rules: p.allPolicies.length,
        redis: typeof r.createRedisClient,
        bundle: b.rateLimiterBundle(),
        costMonitoring: typeof m.EnhancedCostMonitoring.fromEnvironment,
        message: w.workflowSendInput("https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo",
          { workflowId: "wf-1", step: 1, agentType: "content", priority: 5, userId: "u-1" }),
      }));`;
    const out = await run(process.execPath, ["-e", script], consumer);
    expect(out.code, out.stderr).to.equal(0);
    const seen = JSON.parse(out.stdout);
    expect(seen.components).to.have.length(4);
    expect(seen.rules).to.be.greaterThan(50);
    expect(seen.redis).to.equal("function");
    expect(seen.costMonitoring).to.equal("function");
    expect(seen.message.QueueUrl).to.equal("https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo");
    expect(seen.message.MessageGroupId).to.equal("wf-1");
    expect(fs.realpathSync(seen.bundle.path)).to.equal(
      fs.realpathSync(path.join(installed, "dist/bundles/rate-limiter/index.js")),
    );
    // A deep import outside the exports map is refused: the entry points are the API.
    const deep = await run(process.execPath, ["-e", `require("${manifest.name}/dist/lambdas/build.js")`], consumer);
    expect(deep.code).to.not.equal(0);
    expect(deep.stderr).to.match(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it("type-checks the example against the shipped .d.ts with the project's own TypeScript (`npx tsc`)", async () => {
    const check = await run(npx, ["--no-install", "tsc", "-p", "tsconfig.json"], consumer);
    expect(check.code, check.stdout + check.stderr).to.equal(0);
  });

  it("`npx huntaze-preview --stack dev --cost` previews offline: the example's resources, the pack's verdict, the cost against the budget", async () => {
    const before = snapshot(installed);
    const preview = await run(
      npx,
      // --cost with --json prints the Infracost document alone; --cost-file keeps it beside the preview JSON.
      [
        "--no-install",
        "huntaze-preview",
        "--stack",
        "dev",
        "--json",
        "--cost-file",
        "cost.json",
        "--quiet",
        "--diagram",
        "arch.svg",
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
    // The project is the example's Pulumi.yaml, in every URN.
    for (const r of report.resources) expect(r.urn).to.contain("::payments::");
    const types = new Set(report.resources.map((r) => r.type));
    for (const t of [
      "huntaze:storage:HardenedBucket",
      "aws:sns/topic:Topic",
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "aws:lambda/function:Function",
      "aws:sqs/queue:Queue",
    ])
      expect(types, t).to.include(t);

    // The packaged pack ran: its advisory rules fired, nothing mandatory.
    expect(report.policyPack.name).to.equal("huntaze-hardening");
    expect(report.violations.map((v) => v.policy)).to.include("s3-bucket-event-notifications");
    expect(report.violations.filter((v) => v.enforcement === "mandatory")).to.deep.equal([]);

    // The cost, in Infracost's shape, and against the budget the example's stack file sets.
    const cost = JSON.parse(fs.readFileSync(path.join(consumer, "cost.json"), "utf8")) as {
      totalMonthlyCost: string;
      projects: { name: string }[];
    };
    fs.rmSync(path.join(consumer, "cost.json"));
    expect(cost.projects.map((p) => p.name)).to.deep.equal(["dev"]);
    expect(Number(cost.totalMonthlyCost)).to.be.greaterThan(0);
    const text = await run(npx, ["--no-install", "huntaze-preview", "--stack", "dev", "--cost", "--quiet"], consumer);
    expect(text.code, text.stderr.slice(-2000)).to.equal(0);
    expect(text.stdout).to.match(/of the stack's \$400\.00 monthly budget/);

    // The Lambda code is the bundle inside the installed package, byte for byte.
    const fn = report.resources.find((r) => r.type === "aws:lambda/function:Function");
    const packaged = sha256(path.join(installed, "dist/bundles/rate-limiter/index.js"), "base64");
    expect(fn?.inputs.sourceCodeHash).to.equal(packaged);
    expect(report.outputs.codeHash).to.equal(packaged);

    // The diagram, with the engine's Graphviz, where the caller asked.
    expect(fs.readFileSync(path.join(consumer, "arch.svg"), "utf8")).to.match(/<svg [^>]*viewBox=/);
    fs.rmSync(path.join(consumer, "arch.svg"));

    // Nothing was written inside node_modules, nor a .build folder anywhere in the project.
    expect(snapshot(installed)).to.deep.equal(before);
    expect(fs.existsSync(path.join(consumer, ".build"))).to.equal(false);
  });

  it("`npx huntaze-preview --all` previews every stack file of the project, each in its own process, then checks the account", async () => {
    const all = await run(npx, ["--no-install", "huntaze-preview", "--all", "--json", "--quiet"], consumer);
    expect(all.code, all.stderr.slice(-2000)).to.equal(0);
    const report = JSON.parse(all.stdout) as { stacks: { stack: string; preview?: { resources: unknown[] } }[] };
    expect(report.stacks.map((s) => s.stack)).to.deep.equal(["dev"]);
    expect(report.stacks[0]?.preview?.resources.length, all.stdout.slice(0, 2000)).to.be.greaterThan(40);
  });

  it("a mandatory violation in the project's own code fails the preview with exit 1, naming the rule", async () => {
    const program = path.join(consumer, "unencrypted.ts");
    fs.writeFileSync(
      program,
      'import * as aws from "@pulumi/aws";\nexport const topic = new aws.sns.Topic("plain", {}).arn;\n',
    );
    try {
      const preview = await run(
        npx,
        ["--no-install", "huntaze-preview", "--stack", "dev", "--program", "unencrypted.ts", "--quiet"],
        consumer,
      );
      expect(preview.code, preview.stderr.slice(-2000)).to.equal(1);
      expect(preview.stdout).to.match(/\[mandatory\] sns-topic-encrypted/);
    } finally {
      fs.rmSync(program);
    }
  });

  it("errors name the fix: an unknown stack lists the file looked for, the stacks there and --stack-dir; outside a project, where Pulumi.yaml was looked for", async () => {
    const unknown = await run(npx, ["--no-install", "huntaze-preview", "--stack", "prod"], consumer);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include(`looked for ${path.join(fs.realpathSync(consumer), "Pulumi.prod.yaml")}`);
    expect(unknown.stderr).to.match(/stacks: dev\)/);
    expect(unknown.stderr).to.include("--stack-dir DIR");
    const elsewhere = fs.mkdtempSync(path.join(tmp, "empty-"));
    const bin = path.join(consumer, "node_modules", ".bin", "huntaze-preview");
    const outside = await run(bin, ["--stack", "dev"], elsewhere);
    expect(outside.code).to.equal(2);
    expect(outside.stderr).to.match(
      /no Pulumi\.yaml in .*empty-.* or any parent directory: run the command from your Pulumi project's directory, or point to it with --stack-dir DIR/,
    );
  });

  it("`npx huntaze-policy-check --list` lists the shipped pack's rules; --help names the npx command", async () => {
    const list = await run(npx, ["--no-install", "huntaze-policy-check", "--list", "--json"], consumer);
    expect(list.code, list.stderr).to.equal(0);
    expect((JSON.parse(list.stdout) as { count: number }).count).to.be.greaterThan(50);
    const help = await run(npx, ["--no-install", "huntaze-preview", "--help"], consumer);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^usage: npx huntaze-preview --stack <dev>/);
  });

  it("PACKAGE-README.md's walkthrough is this example: its program verbatim and the commands this test runs", () => {
    const readme = fs.readFileSync(path.join(repoRoot, "PACKAGE-README.md"), "utf8");
    expect(readme).to.include(fs.readFileSync(path.join(example, "index.ts"), "utf8"));
    for (const line of [
      `npm install --save-exact ./${path.basename(tarball)}`,
      "npx tsc -p tsconfig.json",
      "npx huntaze-preview --stack dev --cost",
    ])
      expect(readme, line).to.include(line);
  });
});
