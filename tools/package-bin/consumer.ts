import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineHome } from "../engine/home";
import { findProjectDir } from "../engine/project";

// What the package's bins (huntaze-preview, huntaze-policy-check) share: they run in another
// project, from the installed package (node_modules/@huntaze/hardening/dist/tools/package-bin/), on that
// project's Node and with that project's @pulumi/* SDKs (peer dependencies: one SDK instance
// drives the program and the recording mocks). Defaults are the project's, not this repository's:
// the stack files beside the Pulumi.yaml at or above the current directory, the compiled pack
// shipped in the package (dist/policy-pack), usage profiles in the project's usage/ folder.

/** dist/ of the installed package (this file is dist/tools/package-bin/consumer.js). */
const distDir = path.resolve(__dirname, "..", "..");
const packageManifest = path.join(distDir, "..", "package.json");

export class ConsumerSetupError extends Error {}

/** The lowest Node major the package's engines accepts (">=24" -> 24). */
export function minimumNodeMajor(manifestFile = packageManifest): number | undefined {
  const range = (JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { engines?: { node?: string } }).engines?.node;
  const match = /^>=\s*(\d+)/.exec(range ?? "");
  return match ? Number(match[1]) : undefined;
}

/** Refuses an older Node with the version needed and how to get it, before anything else loads. */
export function checkNodeVersion(bin: string, running = process.versions.node, manifestFile = packageManifest): void {
  const minimum = minimumNodeMajor(manifestFile);
  const major = Number(running.split(".")[0]);
  if (minimum !== undefined && major < minimum) {
    throw new ConsumerSetupError(
      `${bin} needs Node ${minimum} or later (the package's "engines"), and this is Node ${running}: ` +
        `install Node ${minimum} (e.g. \`nvm install ${minimum}\`) and run it again.`,
    );
  }
}

/** The project the bin works in: the directory holding Pulumi.yaml at or above `cwd`, else `cwd` itself. */
export function consumerHome(cwd: string, bin: "huntaze-preview" | "huntaze-policy-check"): EngineHome {
  const root = findProjectDir(cwd) ?? cwd;
  return {
    root,
    policyPack: path.join(distDir, "policy-pack"),
    usageDir: path.join(root, "usage"),
    previewCommand: "npx huntaze-preview",
    policyCheckCommand: "npx huntaze-policy-check",
    previewProcess: [path.join(__dirname, "huntaze-preview.js")],
    // Only a TypeScript pack given with --policy-pack is bundled; never inside the project or node_modules.
    cacheDir: path.join(os.tmpdir(), `huntaze-engine-${bin === "huntaze-preview" ? "preview" : "policy"}`),
  };
}

/**
 * Loads the project's TypeScript program as `pulumi up` does, with the project's own `typescript`
 * (the Pulumi Node.js SDK runs TypeScript programs with the project's compiler, an optional peer
 * dependency of @pulumi/pulumi): each .ts file is transpiled to CommonJS (type-only syntax removed,
 * no type check — `npx tsc --noEmit` does that). The package adds no compiler of its own.
 */
export function registerTypeScript(projectDir: string): void {
  let ts: typeof import("typescript") | undefined;
  require.extensions[".ts"] = (module, filename) => {
    if (filename.includes(`${path.sep}node_modules${path.sep}`))
      throw new Error(`will not compile ${filename}: packages in node_modules ship JavaScript`);
    ts ??= loadTypeScript(projectDir, filename);
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        inlineSourceMap: true,
      },
    });
    (module as unknown as { _compile(code: string, file: string): void })._compile(outputText, filename);
  };
}

function loadTypeScript(projectDir: string, filename: string): typeof import("typescript") {
  let resolved: string;
  try {
    resolved = require.resolve("typescript", { paths: [projectDir] });
  } catch {
    throw new ConsumerSetupError(
      `${path.relative(process.cwd(), filename) || filename} is TypeScript, and there is no \`typescript\` in ${projectDir}: ` +
        "install it as `pulumi up` needs it too (npm install --save-dev --save-exact typescript@5).",
    );
  }
  return require(resolved) as typeof import("typescript");
}

/** Prints a set-up problem as the commands print errors, and exits 2. */
export function exitWith(error: unknown): never {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
