// tools/bootstrap.js: the project's own Node is linked where npm scripts find it, it is the Node the
// Lambda targets, and HUNTAZE_SYSTEM_NODE=1 (no download) refuses a system Node older than engines.

import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { after, describe, it } from "mocha";
import { LAMBDA_NODE_MAJOR } from "../../lambdas/runtime";
import { repoRoot } from "../support/cli";
import { MINIMUM_NODE_MAJOR } from "../support/node-runtime";

const runtimePackage = JSON.parse(
  fs.readFileSync(path.join(repoRoot, "tools", "node-runtime", "package.json"), "utf8"),
) as { version: string; optionalDependencies: Record<string, string> };
const runtimeMajor = Number(runtimePackage.version.split(".")[0]);

describe("the project's Node (tools/bootstrap.js, tools/node-runtime)", () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("pins one Node version for every platform package, satisfying engines, the Lambda's major", () => {
    for (const [name, version] of Object.entries(runtimePackage.optionalDependencies)) {
      expect(version, name).to.equal(runtimePackage.version);
    }
    expect(runtimeMajor).to.be.at.least(MINIMUM_NODE_MAJOR);
    // The Lambda code under test runs on the Node it is deployed on.
    expect(runtimeMajor).to.equal(LAMBDA_NODE_MAJOR);
  });

  it("runs these tests on the linked project Node (unless HUNTAZE_SYSTEM_NODE=1)", function () {
    if (process.env.HUNTAZE_SYSTEM_NODE === "1") this.skip();
    const link = path.join(repoRoot, "node_modules", ".bin", "node");
    expect(fs.realpathSync(link)).to.equal(fs.realpathSync(process.execPath));
    expect(process.version).to.equal(`v${runtimePackage.version}`);
  });

  /** A copy of the bootstrap whose dependencies count as installed, with `node` on PATH a stub printing `version`. */
  function sandbox(version: string): { dir: string; env: NodeJS.ProcessEnv } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-"));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, "tools"));
    fs.copyFileSync(path.join(repoRoot, "tools", "bootstrap.js"), path.join(dir, "tools", "bootstrap.js"));
    for (const f of ["package.json", "package-lock.json"]) fs.copyFileSync(path.join(repoRoot, f), path.join(dir, f));
    const hash = crypto
      .createHash("sha256")
      .update(fs.readFileSync(path.join(dir, "package-lock.json")))
      .digest("hex");
    fs.mkdirSync(path.join(dir, "node_modules", ".bin"), { recursive: true });
    fs.writeFileSync(path.join(dir, "node_modules", ".huntaze-lockfile-sha256"), `${hash}\n`);
    // A stale link to the project's Node, which the system-Node mode must remove.
    fs.symlinkSync(process.execPath, path.join(dir, "node_modules", ".bin", "node"));
    const stubDir = path.join(dir, "stub-bin");
    fs.mkdirSync(stubDir);
    fs.writeFileSync(path.join(stubDir, "node"), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
    const env = {
      ...process.env,
      HUNTAZE_SYSTEM_NODE: "1",
      PATH: `${path.join(dir, "node_modules", ".bin")}:${stubDir}:/usr/bin:/bin`,
    };
    return { dir, env };
  }

  it("HUNTAZE_SYSTEM_NODE=1 refuses a system Node older than engines, naming both versions", () => {
    const { dir, env } = sandbox("v20.20.2");
    const run = spawnSync(process.execPath, [path.join(dir, "tools", "bootstrap.js")], { env, encoding: "utf8" });
    expect(run.status).to.equal(2);
    expect(run.stderr).to.include(
      `HUNTAZE_SYSTEM_NODE is set but the node on PATH is v20.20.2; this project runs on Node ${MINIMUM_NODE_MAJOR} or newer`,
    );
    expect(fs.lstatSync(path.join(dir, "node_modules", ".bin", "node"), { throwIfNoEntry: false })).to.equal(undefined);
  });

  it("HUNTAZE_SYSTEM_NODE=1 accepts a system Node that satisfies engines, without installing one", () => {
    const { dir, env } = sandbox(`v${MINIMUM_NODE_MAJOR}.0.0`);
    const run = spawnSync(process.execPath, [path.join(dir, "tools", "bootstrap.js")], { env, encoding: "utf8" });
    expect(run.stderr).to.equal("");
    expect(run.status).to.equal(0);
    expect(fs.existsSync(path.join(dir, "tools", "node-runtime"))).to.equal(false);
  });
});
