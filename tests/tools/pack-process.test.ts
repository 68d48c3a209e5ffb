import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import { type AnalyzerSession, startAnalyzer } from "../../tools/engine/policy-client";
import { repoRoot } from "../support/cli";

// tools/engine/lazy-pack-typescript.js keeps the pack launcher's TypeScript compiler and ts-node
// unloaded in the pack's process until a .ts file is required: a JavaScript pack never loads them,
// and a pack that requires TypeScript at run time still gets it compiled (and type-checked) by ts-node.
describe("the policy pack's process (tools/engine/pack-process.ts)", function () {
  this.timeout(120_000);
  const packDir = path.join(repoRoot, ".build", `test-ts-pack-${process.pid}`);
  let session: AnalyzerSession | undefined;

  before(() => {
    fs.mkdirSync(packDir, { recursive: true });
    fs.writeFileSync(path.join(packDir, "package.json"), JSON.stringify({ name: "ts-pack", version: "0.0.1" }));
    fs.writeFileSync(path.join(packDir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    // A compiled (JavaScript) pack: it notes whether the compiler was loaded before it asks for a .ts file.
    fs.writeFileSync(
      path.join(packDir, "index.js"),
      [
        'const { PolicyPack } = require("@pulumi/policy");',
        // Modules, not their package.json (the preload reads the versions from there).
        "const loaded = () => Object.keys(require.cache).some((f) => /node_modules.(typescript|ts-node).*[.]js$/.test(f));",
        "const before = loaded();",
        'const { level } = require("./level.ts");',
        'new PolicyPack("ts-pack", { policies: [{ name: "from-ts", description: "compiler before: " + before + ", after: " + loaded(), enforcementLevel: level, validateResource: () => {} }] });',
      ].join("\n"),
    );
    fs.writeFileSync(path.join(packDir, "level.ts"), 'export const level: "advisory" | "mandatory" = "mandatory";\n');
  });

  after(async () => {
    await session?.close();
    fs.rmSync(packDir, { recursive: true, force: true });
  });

  it("starts a JavaScript pack without the TypeScript compiler, and compiles a .ts file it requires on demand", async () => {
    session = await startAnalyzer({ packDir });
    const policy = session.policies.find((p) => p.name === "from-ts");
    expect(policy?.enforcementLevel).to.equal("mandatory");
    expect(policy?.description).to.equal("compiler before: false, after: true");
  });
});

// The pack is bundled once and the bundle reused while its sources are unchanged: those include the
// modules it imports from outside its folder (the repository's pack imports lib/pulumi-internals.ts).
describe("the policy pack's bundle cache (tools/engine/pack-process.ts)", function () {
  this.timeout(120_000);
  const root = path.join(repoRoot, ".build", `test-bundle-cache-${process.pid}`);
  const packDir = path.join(root, "pack");
  const outside = path.join(root, "shared", "level.ts");

  before(() => {
    fs.mkdirSync(path.dirname(outside), { recursive: true });
    fs.mkdirSync(packDir, { recursive: true });
    fs.writeFileSync(path.join(packDir, "package.json"), JSON.stringify({ name: "cache-pack", version: "0.0.1" }));
    fs.writeFileSync(path.join(packDir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    fs.writeFileSync(
      path.join(packDir, "index.ts"),
      [
        'import { PolicyPack } from "@pulumi/policy";',
        'import { level } from "../shared/level";',
        'new PolicyPack("cache-pack", { policies: [{ name: "outside", description: "level " + level, enforcementLevel: level, validateResource: () => {} }] });',
      ].join("\n"),
    );
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  async function description(): Promise<string | undefined> {
    const session = await startAnalyzer({ packDir });
    try {
      return session.policies.find((p) => p.name === "outside")?.description;
    } finally {
      await session.close();
    }
  }

  it("rebuilds when a module the pack imports from outside its folder changes", async () => {
    fs.writeFileSync(outside, 'export const level = "advisory" as const;\n');
    expect(await description()).to.equal("level advisory");
    fs.writeFileSync(outside, 'export const level = "mandatory" as const;\n');
    expect(await description()).to.equal("level mandatory");
  });
});
