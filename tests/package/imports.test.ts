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

describe("imports run one way", () => {
  it("nothing below the tools imports tools/ or tests/ (components, stacks, lambdas, policy-pack, lib)", () => {
    const offending = ["components", "stacks", "lambdas", "policy-pack", "lib"].flatMap((dir) =>
      importsUnder(dir)
        .filter(({ file, specifier }) => /^(tools|tests|bench)(\/|$)/.test(target(file, specifier) ?? ""))
        .map(({ file, specifier }) => `${file} → ${specifier}`),
    );
    expect(offending).to.deep.equal([]);
  });

  it("tools and benches do not import tests/: what both need (local services, harnesses) lives in tools/", () => {
    const offending = ["tools", "bench"].flatMap((dir) =>
      importsUnder(dir)
        .filter(({ file, specifier }) => /^tests(\/|$)/.test(target(file, specifier) ?? ""))
        .map(({ file, specifier }) => `${file} → ${specifier}`),
    );
    expect(offending).to.deep.equal([]);
  });

  it("the engine does not import the stacks", () => {
    const offending = importsUnder("tools/engine")
      .filter(({ file, specifier }) => (target(file, specifier) ?? "").startsWith("stacks"))
      .map(({ file, specifier }) => `${file} → ${specifier}`);
    expect(offending).to.deep.equal([]);
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
});
