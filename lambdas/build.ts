// Bundles a Lambda entry point into one deterministic CommonJS file (same source → same bytes →
// same sha256), for the Pulumi components' code archives and for the bundle-size benchmark.
// @aws-sdk/* stays external: the Lambda Node.js runtime (lambdas/runtime.ts) ships SDK v3.

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { build } from "esbuild";
import { LAMBDA_BUNDLE_TARGET } from "./runtime";

export interface BundleResult {
  /** Absolute path of the bundle (`<outDir>/index.js`). */
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

export async function bundleLambda(entry: string, outDir: string): Promise<BundleResult> {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.resolve(outDir, "index.js");
  const result = await build({
    entryPoints: [path.resolve(entry)],
    outfile: file,
    bundle: true,
    platform: "node",
    target: LAMBDA_BUNDLE_TARGET,
    format: "cjs",
    minify: true,
    external: ["@aws-sdk/*"],
    // Nothing that depends on the machine or the moment: no source map (absolute paths), no
    // legal-comment files, no metafile, paths relative to the project root.
    sourcemap: false,
    legalComments: "none",
    // The repository root, not the caller's directory: the hash must not depend on where `pulumi up` ran.
    absWorkingDir: path.resolve(__dirname, ".."),
    charset: "utf8",
    logLevel: "silent",
    write: false,
  });
  const out = result.outputFiles.find((f) => f.path === file) ?? result.outputFiles[0];
  if (out === undefined) throw new Error(`esbuild produced no output for ${entry}`);
  fs.writeFileSync(file, out.contents);
  return {
    file,
    bytes: out.contents.byteLength,
    sha256: createHash("sha256").update(out.contents).digest("hex"),
  };
}
