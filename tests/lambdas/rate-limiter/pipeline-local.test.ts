// `npm run pipeline:local` end to end: the tool starts its own TLS + AUTH redis-server, runs the
// real handler behind the local SQS harness and prints the JSON summary as its last stdout line.

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { type FakeOnlyFans, startFakeOnlyFans } from "../../../tools/local-sqs/fake-onlyfans";

const root = path.resolve(__dirname, "../../..");

function runTool(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "tools/pipeline-local.ts", ...args],
      { cwd: root, timeout: 60_000, env: { ...process.env, ONLYFANS_API_TOKEN: "tool-token-secret" } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("pipeline:local tool", function () {
  this.timeout(90_000);
  let fake: FakeOnlyFans;
  let dir: string;
  before(async () => {
    fake = await startFakeOnlyFans();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-local-"));
  });
  after(async () => {
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("runs a scenario and ends with the JSON summary", async () => {
    const m = (messageId: string, userId: string) => ({ messageId, userId, fanId: "fan-1", message: "hi there" });
    const scenario = {
      limits: { perWindow: 2, windowSeconds: 2, burst: 2 },
      durationSeconds: 40,
      messages: [
        { atMs: 0, body: m("s1", "u-a") },
        { atMs: 0, body: m("s2", "u-a") },
        { atMs: 0, body: m("s3", "u-a") },
        { atMs: 0, body: m("s4", "u-b") },
        { atMs: 50, body: m("s1", "u-a") },
        { atMs: 60, body: "{not json" },
      ],
    };
    const file = path.join(dir, "scenario.json");
    fs.writeFileSync(file, JSON.stringify(scenario));
    const res = await runTool(["--scenario", file, "--onlyfans-url", fake.url]);
    expect(res.code, res.stderr.slice(-2000)).to.equal(0);
    const last = res.stdout.trim().split("\n").pop() ?? "";
    const summary = JSON.parse(last) as Record<string, number>;
    expect(Object.keys(summary).sort()).to.deep.equal([
      "dlq",
      "duplicatesSuppressed",
      "receives",
      "sent",
      "throttledRequeues",
    ]);
    expect(summary).to.include({ sent: 4, dlq: 1, duplicatesSuppressed: 1 });
    expect(summary["throttledRequeues"]).to.be.at.least(1);
    expect(summary["receives"]).to.be.at.most(8);
    expect(fake.posts.map((p) => p.messageId).sort()).to.deep.equal(["s1", "s2", "s3", "s4"]);
    expect(fake.posts.every((p) => p.authorization === "Bearer tool-token-secret")).to.equal(true);
    expect(res.stderr).to.not.include("tool-token-secret");
  });

  it("explains its usage when arguments are missing", async () => {
    const res = await runTool(["--scenario", "x.json"]);
    expect(res.code).to.equal(2);
    expect(res.stderr).to.include("usage: npm run pipeline:local");
  });
});
