import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { policyPackLauncher } from "../../lib/pulumi-launcher";
import { engineHome } from "./home";

// Starting the policy pack as an Analyzer plugin process, apart from speaking to it
// (policy-client.ts): this module loads nothing of the SDK, so a command can start the pack first
// and load the protocol code, read its input, etc. while the pack's own process starts.
// The default pack and the bundle cache come from the engine's home (this repository, or the project
// a package bin runs in: tools/engine/home.ts).

/**
 * The pack is TypeScript; the CLI's loader would type-check it on every start (seconds). We bundle
 * it once with esbuild (dependencies left external) and reuse the bundle while the sources are unchanged.
 * A pack without index.ts is compiled already and is started from its own directory.
 * Here: where the pack in `packDir` runs from, and whether it must be bundled first.
 */
function packBundle(packDir: string): { dir: string; built: boolean } {
  // A compiled pack (the installed package's dist/policy-pack) runs as it is.
  if (!fs.existsSync(path.join(packDir, "index.ts"))) return { dir: packDir, built: true };
  const sources = fs
    .readdirSync(packDir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") || f.endsWith(".yaml") || f === "package.json")
    .sort();
  const hash = createHash("sha256");
  for (const f of sources) hash.update(f).update(fs.readFileSync(path.join(packDir, f)));
  const dir = path.join(engineHome().cacheDir, `policy-pack-${hash.digest("hex").slice(0, 16)}`);
  return { dir, built: fs.existsSync(path.join(dir, "index.js")) && inputsUnchanged(dir) };
}

/** The bundle's record of the files it was built from, outside node_modules (esbuild's metafile). */
const INPUTS_FILE = "inputs.json";
const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/**
 * Whether every source the bundle was built from is as it was: the pack also bundles modules outside
 * its folder (lib/pulumi-internals.ts), which the folder's hash does not see.
 */
function inputsUnchanged(dir: string): boolean {
  try {
    const inputs = JSON.parse(fs.readFileSync(path.join(dir, INPUTS_FILE), "utf8")) as Record<string, string>;
    return Object.entries(inputs).every(([file, digest]) => fs.existsSync(file) && sha256(file) === digest);
  } catch {
    return false;
  }
}

async function buildPack(packDir: string, outDir: string): Promise<string> {
  const outFile = path.join(outDir, "index.js");
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [path.join(packDir, "index.ts")],
    absWorkingDir: packDir,
    metafile: true,
    outfile: `${outFile}.${process.pid}.tmp`,
    bundle: true,
    platform: "node",
    // The pack runs on this same Node binary (process.execPath, below).
    target: `node${process.versions.node.split(".")[0]}`,
    format: "cjs",
    packages: "external",
    logLevel: "silent",
  });
  // The pack reads its version from package.json in its working directory.
  for (const f of ["PulumiPolicy.yaml", "package.json"]) fs.copyFileSync(path.join(packDir, f), path.join(outDir, f));
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs)
      .map((f) => path.resolve(packDir, f))
      .filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`))
      .map((f) => [f, sha256(f)]),
  );
  fs.writeFileSync(`${path.join(outDir, INPUTS_FILE)}.${process.pid}.tmp`, JSON.stringify(inputs));
  fs.renameSync(`${path.join(outDir, INPUTS_FILE)}.${process.pid}.tmp`, path.join(outDir, INPUTS_FILE));
  fs.renameSync(`${outFile}.${process.pid}.tmp`, outFile);
  // Bundles of earlier pack sources are dead weight once the sources changed.
  for (const stale of fs.readdirSync(path.dirname(outDir))) {
    const full = path.join(path.dirname(outDir), stale);
    if (stale.startsWith("policy-pack-") && full !== outDir) fs.rmSync(full, { recursive: true, force: true });
  }
  return outDir;
}

/** A started pack process and the port it serves the Analyzer protocol on. */
export interface LaunchedPack {
  readonly child: ChildProcess;
  readonly port: number;
}

/**
 * Starts the policy pack in `packDir` the way the CLI does and waits for the port it prints.
 * Aborting `signal` stops the pack at once, whether it is still starting or serving.
 * A pack that needs no bundling is spawned before this returns, not at the caller's next `await`:
 * the caller's own start (loading modules, reading its input) then overlaps the pack's.
 */
export function launchPack(packDir: string = engineHome().policyPack, signal?: AbortSignal): Promise<LaunchedPack> {
  try {
    const { dir, built } = packBundle(packDir);
    return built ? startPack(dir, signal) : buildPack(packDir, dir).then((d) => startPack(d, signal));
  } catch (error) {
    return Promise.reject(error);
  }
}

async function startPack(dir: string, signal?: AbortSignal): Promise<LaunchedPack> {
  signal?.throwIfAborted();
  // The SDK the pack runs on: the one the pack's directory resolves (the installing project's).
  const launcher = policyPackLauncher(dir);
  // The first argument is the engine address; the pack only needs it for logging, which we don't serve.
  // The pack never serializes a function: defer @pulumi/pulumi's closure dependencies (~0.3 s of its
  // start); and it is JavaScript here: defer the launcher's TypeScript compiler and ts-node until a
  // .ts file is required, which never happens for the bundle (see both files).
  const lazyDeps = path.join(__dirname, "lazy-closure-deps.js");
  const lazyTypeScript = path.join(__dirname, "lazy-pack-typescript.js");
  const child: ChildProcess = spawn(
    process.execPath,
    ["-r", lazyDeps, "-r", lazyTypeScript, launcher, "127.0.0.1:0", dir],
    {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      ...(signal ? { signal } : {}),
    },
  );
  // An abort kills the child and reports an AbortError here; the exit below rejects the start.
  child.on("error", () => {});
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    const onData = (d: Buffer) => {
      stdout += d;
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line) {
        child.stdout?.off("data", onData);
        const n = Number(line.trim());
        if (Number.isInteger(n) && n > 0) resolve(n);
        else reject(new Error(`policy pack printed ${JSON.stringify(line)} instead of its port\n${stderr}`));
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`policy pack exited (${code}) before serving:\n${stderr}`)));
  });
  return { child, port };
}

/**
 * Stops a pack started with `launchPack(dir, controller.signal)` that no session took over (the
 * command failed on its input first, or the session failed to start), without waiting for it to
 * finish starting; a pack whose session closed has exited already and is left alone.
 */
export async function stopPack(pack: Promise<LaunchedPack>, controller: AbortController): Promise<void> {
  controller.abort();
  const launched = await pack.catch(() => undefined);
  // Killed by a signal, a child has a signalCode and no exitCode.
  if (!launched || launched.child.exitCode !== null || launched.child.signalCode !== null) return;
  await new Promise((r) => launched.child.once("exit", r));
}
