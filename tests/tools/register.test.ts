import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { describe, it } from "mocha";
import { runNode } from "../../tools/engine/child-process";
import { type CliResult, repoRoot, runTool } from "../support/cli";

// tools/register.js (esbuild + content-hash cache, plus tools/engine/lazy-closure-deps.js) is how
// `npm run preview` loads TypeScript; the tests otherwise run tools through ts-node. Both must give
// the same preview, byte for byte.

function runFast(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runNode(["-r", "./tools/register.js", "tools/preview.ts", ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
  });
}

describe("fast TypeScript loader (tools/register.js)", function () {
  this.timeout(90_000);

  it("previews staging exactly as ts-node does, and again from its cache", async () => {
    const args = ["--stack", "staging", "--json", "--quiet", "--cost"];
    const cacheDir = path.join(repoRoot, ".build", "ts-cache");
    const entriesBefore = fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).length : 0;
    const [reference, fast] = await Promise.all([runTool("preview.ts", args), runFast(args)]);
    expect(fast.code, fast.stderr).to.equal(0);
    expect(fast.stdout).to.equal(reference.stdout);
    expect(fs.readdirSync(cacheDir).length).to.be.at.least(Math.max(entriesBefore, 1));
    const warm = await runFast(args);
    expect(warm.stdout).to.equal(reference.stdout);
  });

  it("defers @pulumi/pulumi's closure dependencies yet serializes a function on demand", async () => {
    const script = [
      "const seen = () => Object.keys(require.cache).filter((f) => /node_modules.(typescript|@npmcli.arborist)./.test(f)).length;",
      'const pulumi = require("@pulumi/pulumi");',
      "const before = seen();",
      "pulumi.runtime.serializeFunction(() => 6 * 7).then((f) => {",
      '  process.stdout.write(JSON.stringify({ before, after: seen(), ok: f.text.includes("6 * 7") }));',
      "});",
    ].join("\n");
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ["-r", "./tools/engine/lazy-closure-deps.js", "-e", script], {
        cwd: repoRoot,
      });
      let stdout = "";
      child.stdout.on("data", (d) => {
        stdout += d;
      });
      child.on("error", reject);
      child.on("close", () => resolve(stdout));
    });
    const result = JSON.parse(out) as { before: number; after: number; ok: boolean };
    expect(result.before).to.equal(0);
    expect(result.after).to.be.greaterThan(0);
    expect(result.ok).to.equal(true);
  });

  it("reports a program error the same way (no stack trace unless DEBUG)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-register-"));
    const program = path.join(dir, "index.ts");
    fs.writeFileSync(program, "const broken: number = 1;\nthrow new Error('boom ' + String(broken));\n");
    const res = await runFast(["--stack", "staging", "--quiet", "--program", program]);
    expect(res.code).to.equal(2);
    expect(res.stderr).to.match(/error: the stack program failed: boom 1/);
    expect(res.stderr).to.not.match(/\n\s+at /);
  });
});
