// What a new user hit on a fresh clone (issue 8, item 7), each pinned by a test: the engine uses
// the previewed project's name; --program / --stack-dir are the caller's paths; policy:check
// --state prints the resource tree; pipeline:local explains itself and refuses bad endpoints;
// redis:verify says "TLS mismatch"; an empty stack file says it is empty.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { HardenedBucket } from "../../components";
import { renderText } from "../../tools/engine/render";
import { parseStackExport, toStackExport } from "../../tools/engine/state-file";
import { type FakeOnlyFans, startFakeOnlyFans } from "../../tools/local-sqs/fake-onlyfans";
import { speaksPlaintextRedis } from "../../tools/redis-verify/probe";
import { type RunningRedis, startRedis } from "../../tools/services/redis-server";
import { runTool } from "../support/cli";
import { record } from "../support/pulumi-harness";

const repoRoot = path.resolve(__dirname, "..", "..");

describe("rough edges a new user hit (issue 8)", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-rough-"));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("the offline engine previews another project as that project", function () {
    // The preview type-checks this new program first, as `pulumi preview` does: cold (no build info
    // for a fresh temporary project), that is the TypeScript compiler's full start, ~25 s of CPU.
    this.timeout(300_000);
    let project: string;
    before(() => {
      project = path.join(dir, "other");
      fs.mkdirSync(project);
      // The project's own SDK install: the repository's, so the engine and the program share it.
      fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(project, "node_modules"), "dir");
      fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: other-project\nruntime: nodejs\nmain: index.ts\n");
      fs.writeFileSync(path.join(project, "Pulumi.dev.yaml"), "config:\n  greeting: hello\n  aws:region: us-east-1\n");
      fs.writeFileSync(path.join(project, "Pulumi.empty.yaml"), "# nothing here yet\n");
      fs.writeFileSync(
        path.join(project, "index.ts"),
        `import * as pulumi from "@pulumi/pulumi";
import { HardenedBucket } from ${JSON.stringify(path.join(repoRoot, "components"))};
const config = new pulumi.Config();
export const greeting = config.require("greeting");
export const bucket = new HardenedBucket("files", {}).bucketName;
`,
      );
    });

    it("reads the project name from its Pulumi.yaml (config namespace and URNs), with paths relative to the caller (INIT_CWD)", async () => {
      // npm runs the script in the repository; INIT_CWD is where the user typed the command.
      const result = await runTool(
        "preview.ts",
        ["--stack", "dev", "--program", "index.ts", "--stack-dir", ".", "--json", "--quiet"],
        { INIT_CWD: project },
      );
      expect(result.code, result.stderr).to.equal(0);
      const report = JSON.parse(result.stdout) as { resources: { urn: string }[]; outputs: Record<string, unknown> };
      expect(report.outputs.greeting).to.equal("hello");
      expect(report.resources.length).to.be.greaterThan(3);
      for (const r of report.resources) expect(r.urn).to.match(/^urn:pulumi:dev::other-project::/);
    });

    it("says a stack file is empty when the program then fails for want of config, naming the project's key", async () => {
      const result = await runTool(
        "preview.ts",
        ["--stack", "empty", "--program", "index.ts", "--stack-dir", ".", "--quiet"],
        { INIT_CWD: project },
      );
      expect(result.code).to.equal(2);
      expect(result.stderr).to.include('Pulumi.empty.yaml is empty (no "config:" values)');
      expect(result.stderr).to.include("other-project:greeting");
      expect(result.stderr).to.not.include("huntaze-hardening:");
      expect(result.stderr).to.not.match(/\n\s+at /);
    });
  });

  it("policy:check --state prints the resource tree of a stack export (not an empty Resources: section)", async () => {
    const run = await record(() => {
      new HardenedBucket("files", {});
    });
    const state = parseStackExport(JSON.stringify(toStackExport("prod", run.resources)));
    const text = renderText({
      title: "t",
      stack: state.stack,
      policyPack: { name: "p", version: "1" },
      resources: state.resources,
      violations: [],
      outputs: state.outputs,
    });
    const section = text.slice(text.indexOf("Resources:\n") + "Resources:\n".length, text.indexOf("\nCounts by type"));
    const lines = section.split("\n").filter(Boolean);
    expect(lines.length).to.equal(state.resources.length);
    expect(lines[0]).to.match(/^\+ huntaze:storage:HardenedBucket\s+files$/);
    expect(lines.slice(1).every((l) => l.startsWith("    + "))).to.equal(true);
  });

  describe("pipeline:local", () => {
    let fake: FakeOnlyFans;
    let scenario: string;
    before(async () => {
      fake = await startFakeOnlyFans();
      scenario = path.join(dir, "scenario.json");
      fs.writeFileSync(
        scenario,
        JSON.stringify({
          durationSeconds: 5,
          messages: [{ atMs: 0, body: { messageId: "m1", userId: "u", fanId: "f", message: "hi" } }],
        }),
      );
    });
    after(async () => {
      await fake?.close();
    });
    const tool = (args: string[]) => runTool("pipeline-local.ts", args, { INIT_CWD: dir });

    it("answers --help with the full usage (exit 0), refuses bad arguments listing every problem (exit 2)", async () => {
      const [help, bad] = await Promise.all([
        tool(["--help"]),
        tool(["--onlyfans-url", "notaurl", "--max-concurrency", "0", "--bogus"]),
      ]);
      expect(help.code).to.equal(0);
      for (const flag of [
        "--scenario FILE",
        "--onlyfans-url URL",
        "--redis-url URL",
        "--max-concurrency N",
        "Scenario:",
      ])
        expect(help.stdout).to.include(flag);
      expect(bad.code).to.equal(2);
      for (const problem of [
        "unknown option --bogus",
        "--scenario FILE is required",
        '--onlyfans-url must be an http:// or https:// URL with a host, got "notaurl"',
        '--max-concurrency must be a positive integer, got "0"',
      ])
        expect(bad.stderr).to.include(problem);
    });

    it("names a missing scenario file and lists every scenario problem, without a stack trace", async () => {
      const broken = path.join(dir, "broken.json");
      fs.writeFileSync(
        broken,
        JSON.stringify({ durationSeconds: 0, messages: [{ atMs: -1 }, { body: "x" }], limts: {} }),
      );
      const [missing, invalid] = await Promise.all([
        tool(["--scenario", "nope.json", "--onlyfans-url", fake.url]),
        tool(["--scenario", "broken.json", "--onlyfans-url", fake.url]),
      ]);
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.include(`scenario file ${path.join(dir, "nope.json")} does not exist`);
      expect(missing.stderr).to.not.include("ENOENT");
      expect(invalid.code).to.equal(2);
      for (const problem of [
        "invalid scenario (5 problems)",
        "scenario.durationSeconds must be a positive number, got 0",
        "scenario.messages[0].atMs must be a number ≥ 0, got -1",
        "scenario.messages[0].body is missing",
        "scenario.messages[1].atMs must be a number ≥ 0, got undefined",
        "scenario.limts: no such setting (did you mean limits?)",
      ])
        expect(invalid.stderr).to.include(problem);
      expect(fake.posts).to.deep.equal([]);
    });

    it("refuses an unreachable --onlyfans-url or --redis-url (exit 2, nothing sent) instead of a silent degraded run", async () => {
      const [noOnlyFans, noRedis] = await Promise.all([
        tool(["--scenario", scenario, "--onlyfans-url", "http://127.0.0.1:1/send"]),
        tool(["--scenario", scenario, "--onlyfans-url", fake.url, "--redis-url", "redis://127.0.0.1:1"]),
      ]);
      expect(noOnlyFans.code).to.equal(2);
      expect(noOnlyFans.stderr).to.include("nothing answers at --onlyfans-url http://127.0.0.1:1/send");
      expect(noRedis.code).to.equal(2);
      expect(noRedis.stderr).to.match(/cannot use --redis-url: .*connection refused/);
      expect(noOnlyFans.stdout + noRedis.stdout).to.equal("");
      expect(fake.posts).to.deep.equal([]);
    });
  });

  describe("redis:verify with rediss:// against a server without TLS", () => {
    let plain: RunningRedis;
    let tls: RunningRedis;
    before(async () => {
      [plain, tls] = await Promise.all([startRedis({}), startRedis({ tls: true, password: "probe-secret-1234" })]);
    });
    after(async () => {
      await Promise.all([plain?.stop(), tls?.stop()]);
    });

    it("the probe tells a plaintext Redis from a TLS one", async () => {
      expect(await speaksPlaintextRedis("127.0.0.1", plain.port)).to.equal(true);
      expect(await speaksPlaintextRedis("127.0.0.1", tls.port)).to.equal(false);
      expect(await speaksPlaintextRedis("127.0.0.1", 1)).to.equal(false);
    });

    it("says TLS mismatch (exit 2) instead of blaming security groups", async () => {
      const result = await runTool("redis-verify.ts", [
        "--source",
        `rediss://127.0.0.1:${plain.port}`,
        "--target",
        plain.url,
        "--quiet",
      ]);
      expect(result.code).to.equal(2);
      expect(result.stderr).to.include("TLS mismatch");
      expect(result.stderr).to.include(`but 127.0.0.1:${plain.port} answers in plaintext; use redis://`);
      expect(result.stderr).to.not.include("security group");
    });
  });
});
