// Imports run one way (issue 8, item 4): stacks → components → runtime / pure modules; tools may
// import anything and nothing imports tools; the engine knows no stack; Pulumi SDK and policy SDK
// internals are used in one module (lib/pulumi-internals.ts); the repository's stacks use the
// components only through the package's public entry points, as another project does.

import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";

const repoRoot = path.resolve(__dirname, "..", "..");

/** Every .ts file under `dir` (relative to the repository) with the module specifiers it imports or requires. */
function importsUnder(dir: string): { file: string; specifier: string }[] {
  const out: { file: string; specifier: string }[] = [];
  const root = path.join(repoRoot, dir);
  for (const f of fs.readdirSync(root, { recursive: true, encoding: "utf8" }) as string[]) {
    if (!f.endsWith(".ts") || f.includes("node_modules")) continue;
    const file = path.join(dir, f);
    const text = fs.readFileSync(path.join(repoRoot, file), "utf8");
    for (const m of text.matchAll(/(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)["']([^"']+)["']/g))
      out.push({ file, specifier: m[1] as string });
  }
  return out;
}

/** The repository folder a relative specifier lands in (e.g. "tools/engine/cli"). */
function target(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return path.relative(repoRoot, path.resolve(repoRoot, path.dirname(file), specifier));
}

/**
 * What each folder may not import, by the house rule "stacks → components → runtime / pure modules
 * (lambdas/, lib/); tools/ may import anything; nothing imports tools/; tools/ and bench/ never import
 * tests/; components/ never imports tools/". Folders are matched by prefix, the longest first.
 */
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  lambdas: ["tools", "tests", "bench", "stacks", "components", "policy-pack"],
  lib: ["tools", "tests", "bench", "stacks", "components", "policy-pack"],
  components: ["tools", "tests", "bench", "stacks"],
  stacks: ["tools", "tests", "bench"],
  "policy-pack": ["tools", "tests", "bench"],
  // The engine knows no project: not its stacks, not its components.
  "tools/engine": ["tests", "stacks", "components"],
  tools: ["tests"],
  bench: ["tests"],
};

/** The imports that break FORBIDDEN, as "file → specifier (folder may not import target)". */
function layerViolations(imports: readonly { file: string; specifier: string }[]): string[] {
  const folders = Object.keys(FORBIDDEN).sort((a, b) => b.length - a.length);
  const under = (p: string, folder: string) => p === folder || p.startsWith(`${folder}/`);
  return imports.flatMap(({ file, specifier }) => {
    const from = folders.find((f) => under(file.split(path.sep).join("/"), f));
    const to = target(file, specifier)?.split(path.sep).join("/");
    if (from === undefined || to === undefined) return [];
    const bad = (FORBIDDEN[from] ?? []).find((t) => under(to, t));
    return bad === undefined ? [] : [`${file} → ${specifier} (${from} may not import ${bad})`];
  });
}

describe("imports run one way", () => {
  it("no folder imports a layer above it (FORBIDDEN), in every folder of the repository", () => {
    const offending = layerViolations(Object.keys(FORBIDDEN).flatMap((dir) => importsUnder(dir)));
    expect(offending).to.deep.equal([]);
  });

  it("the checker fails on each kind of upward import (a synthetic file list)", () => {
    const synthetic = [
      { file: "components/a.ts", specifier: "../tools/engine/cli" },
      { file: "components/a.ts", specifier: "../stacks/config" },
      { file: "lambdas/x/handler.ts", specifier: "../../components/b" },
      { file: "lambdas/x/handler.ts", specifier: "../../stacks/program" },
      { file: "lambdas/x/handler.ts", specifier: "../../tools/redis-dev" },
      { file: "lib/c.ts", specifier: "../components" },
      { file: "lib/c.ts", specifier: "../stacks/config" },
      { file: "lib/c.ts", specifier: "../tools/engine/cost" },
      { file: "stacks/s.ts", specifier: "../tools/preview" },
      { file: "tools/engine/e.ts", specifier: "../../components/index" },
      { file: "tools/engine/e.ts", specifier: "../../stacks/config" },
      { file: "tools/t.ts", specifier: "../tests/support/cli" },
      { file: "bench/b.ts", specifier: "../tests/support/cli" },
      { file: "policy-pack/p.ts", specifier: "../tools/engine/cli" },
    ];
    expect(layerViolations(synthetic)).to.have.length(synthetic.length);
    expect(layerViolations([synthetic[0] as { file: string; specifier: string }])).to.deep.equal([
      "components/a.ts → ../tools/engine/cli (components may not import tools)",
    ]);
    // What the rules allow stays allowed: downward imports, tools importing anything but tests.
    expect(
      layerViolations([
        { file: "stacks/s.ts", specifier: "../components" },
        { file: "stacks/s.ts", specifier: "../lib/inventory" },
        { file: "components/a.ts", specifier: "../lambdas/bundle" },
        { file: "components/a.ts", specifier: "../lib/pulumi-internals" },
        { file: "lambdas/x/handler.ts", specifier: "../../lib/map-limit" },
        { file: "tools/audit.ts", specifier: "../components" },
        { file: "tools/engine/e.ts", specifier: "../../lib/inventory" },
        { file: "lib/c.ts", specifier: "@pulumi/pulumi" },
      ]),
    ).to.deep.equal([]);
  });

  it("the stacks use the components only through the package's public entry points", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
      exports: Record<string, string | { default: string }>;
    };
    // "./dist/components/index.js" → "components" (the source module the entry point compiles from).
    const entryPoints = new Set(
      Object.values(manifest.exports)
        .map((e) => (typeof e === "string" ? e : e.default))
        .filter((e) => e.startsWith("./dist/"))
        .map((e) =>
          e
            .slice("./dist/".length)
            .replace(/\.js$/, "")
            .replace(/\/index$/, ""),
        ),
    );
    expect(entryPoints).to.include("components");
    const offending = importsUnder("stacks")
      .map(({ file, specifier }) => ({ file, specifier, to: target(file, specifier) }))
      .filter(({ to }) => to !== undefined && !to.startsWith("stacks") && !to.startsWith("lib"))
      .filter(({ to }) => !entryPoints.has(to as string))
      .map(({ file, specifier }) => `${file} → ${specifier}`);
    expect(offending).to.deep.equal([]);
  });

  it("Pulumi SDK and policy SDK internals are reached from lib/pulumi-internals.ts only", () => {
    const offending = ["components", "stacks", "lambdas", "policy-pack", "lib", "tools", "tests", "bench"].flatMap(
      (dir) =>
        importsUnder(dir)
          .filter(({ specifier }) => /^@pulumi\/(pulumi|policy)\/./.test(specifier))
          .filter(({ file }) => file !== path.join("lib", "pulumi-internals.ts"))
          .map(({ file, specifier }) => `${file} → ${specifier}`),
    );
    expect(offending).to.deep.equal([]);
  });

  it("the engine takes the project name from Pulumi.yaml: no project literal in tools/ or the test harnesses", () => {
    const project = /^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8"))?.[1];
    expect(project).to.be.a("string");
    const literal = new RegExp(`["'\`]${project}["'\`]|::${project}::`);
    const files = ["tools", "tests/support"].flatMap((dir) =>
      (fs.readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: "utf8" }) as string[])
        .filter((f) => f.endsWith(".ts"))
        .map((f) => path.join(dir, f)),
    );
    const offending = files.filter((f) => literal.test(fs.readFileSync(path.join(repoRoot, f), "utf8")));
    expect(offending).to.deep.equal([]);
  });

  it("the engine knows no project's config: no `huntaze:` key or type prefix in tools/engine/, but for the allow-list", () => {
    // Each allowed occurrence: the file, the line it may stand on, and why it is not the program's.
    const allowed: { file: string; line: RegExp; why: string }[] = [
      {
        file: "tools/engine/infracost.ts",
        line: /\bhuntaze: (\{|HuntazeResourceMetadata\b)/,
        why: "metadata.huntaze is the engine's own key in the Infracost document it writes (named after the package; Infracost's metadata is free-form): renaming it would break --compare against documents already written",
      },
    ];
    const engine = path.join("tools", "engine");
    const files = (fs.readdirSync(path.join(repoRoot, engine), { recursive: true, encoding: "utf8" }) as string[])
      .filter((f) => /\.(ts|js)$/.test(f))
      .map((f) => path.join(engine, f).split(path.sep).join("/"));
    expect(files).to.include("tools/engine/cost.ts");
    const offending = files.flatMap((file) =>
      fs
        .readFileSync(path.join(repoRoot, file), "utf8")
        .split("\n")
        .map((text, i) => ({ text, at: `${file}:${i + 1}` }))
        .filter(({ text }) => text.includes("huntaze:"))
        .filter(({ text }) => !allowed.some((a) => a.file === file && a.line.test(text)))
        .map(({ at, text }) => `${at}: ${text.trim()}`),
    );
    expect(offending).to.deep.equal([]);
  });
});
