// `npm run build`          the installable package: dist/ (compiled JS + .d.ts, the policy pack, the
//                          Lambda bundles with their sha256); `npm pack` runs it (prepack).
// `npm run build:lambdas`  only the Lambda bundles, into bundles/ (a clone's tests and previews; the
//                          bootstrap runs it when the runtime sources changed).
// Both write the bundles with the same deterministic esbuild options (lambdas/build.ts).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { bundleLambda } from "../lambdas/build";
import { bundlesRoot, HASH_FILE, LAMBDA_BUNDLES, type LambdaBundleName } from "../lambdas/bundle";
import { parseOrExit } from "./cli/options";

const repoRoot = path.resolve(__dirname, "..");
export const distDir = path.join(repoRoot, "dist");

/** Bundles every Lambda into `<root>/<name>/index.js` with its sha256 beside it. */
export async function buildLambdaBundles(root: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const [name, { entry }] of Object.entries(LAMBDA_BUNDLES) as [LambdaBundleName, { entry: string }][]) {
    const dir = path.join(root, name);
    fs.rmSync(dir, { recursive: true, force: true });
    const bundle = await bundleLambda(path.join(repoRoot, entry), dir);
    fs.writeFileSync(path.join(dir, HASH_FILE), `${bundle.sha256}\n`);
    hashes[name] = bundle.sha256;
  }
  return hashes;
}

/** The policy pack as a directory `pulumi preview --policy-pack` takes: compiled JS, PulumiPolicy.yaml, package.json. */
function writePolicyPackManifest(version: string): void {
  const dir = path.join(distDir, "policy-pack");
  const source = fs.readFileSync(path.join(repoRoot, "policy-pack", "PulumiPolicy.yaml"), "utf8");
  fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), source.replace(/^main: .*$/m, "main: index.js"));
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "policy-pack", "package.json"), "utf8"));
  fs.writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify({ ...manifest, version, main: "index.js", description: "CrossGuard policy pack (compiled); @pulumi/policy resolves from the installing project." }, null, 2)}\n`,
  );
}

/**
 * The offline engine's bins (dist/tools/package-bin) need, beside the compiled JS: the price tables the
 * cost estimate reads and the preloads that defer @pulumi/pulumi's closure dependencies and the pack
 * launcher's TypeScript compiler. The
 * engine is a command, not an API: its .d.ts files are left out.
 */
function writeEngineFiles(): void {
  const engine = path.join(distDir, "tools", "engine");
  fs.mkdirSync(path.join(engine, "prices"), { recursive: true });
  for (const f of fs.readdirSync(path.join(repoRoot, "tools", "engine", "prices")).filter((f) => f.endsWith(".json")))
    fs.copyFileSync(path.join(repoRoot, "tools", "engine", "prices", f), path.join(engine, "prices", f));
  // Preloads of the engine and of the policy pack's process (plain JavaScript, not compiled by tsc).
  for (const f of ["lazy-closure-deps.js", "lazy-pack-typescript.js"])
    fs.copyFileSync(path.join(repoRoot, "tools", "engine", f), path.join(engine, f));
  for (const f of fs.readdirSync(path.join(distDir, "tools"), { recursive: true, encoding: "utf8" }))
    if (f.endsWith(".d.ts")) fs.rmSync(path.join(distDir, "tools", f));
}

async function buildPackage(): Promise<void> {
  fs.rmSync(distDir, { recursive: true, force: true });
  const tsc = require.resolve("typescript/bin/tsc", { paths: [repoRoot] });
  execFileSync(process.execPath, [tsc, "-p", path.join(repoRoot, "tsconfig.build.json")], { stdio: "inherit" });
  const version = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).version as string;
  writePolicyPackManifest(version);
  writeEngineFiles();
  // Where lambdas/bundle.ts looks from dist/lambdas/bundle.js.
  const hashes = await buildLambdaBundles(path.join(distDir, "bundles"));
  for (const [name, sha256] of Object.entries(hashes))
    process.stderr.write(`[build] bundle ${name}: sha256 ${sha256}\n`);
}

const buildOptions = {
  lambdas: { type: "boolean", help: "only the Lambda bundles, into bundles/ (for a clone's tests and previews)" },
} as const;

async function main(): Promise<void> {
  const flags = parseOrExit(
    process.argv.slice(2),
    buildOptions,
    `usage: npm run build            (dist/: the installable package)\n       npm run build:lambdas    (bundles/ only)`,
  );
  if (flags.lambdas) {
    const hashes = await buildLambdaBundles(bundlesRoot);
    for (const [name, sha256] of Object.entries(hashes))
      process.stderr.write(`[build] bundle ${name}: sha256 ${sha256}\n`);
  } else {
    await buildPackage();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
