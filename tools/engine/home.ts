import * as path from "node:path";

// Where the engine works, and how its commands are spelled in help and error messages. Two homes:
//   - a clone of this repository (`npm run preview --`): the stack files, policy-pack/ and usage/
//     of the repository (the default, set below);
//   - another project, through the package's bins (`npx huntaze-preview`, tools/package-bin/): that
//     project's directory (the Pulumi.yaml at or above the current directory), the compiled pack
//     shipped in the package (dist/policy-pack) and the project's own usage/ folder.
// The bins set the home before loading the command; everything else reads it when it runs.

export interface EngineHome {
  /** Where Pulumi.<stack>.yaml files are looked for without --stack-dir, and the fallback project. */
  readonly root: string;
  /** The policy pack enforced without --policy-pack. */
  readonly policyPack: string;
  /** Where usage/<stack>.yaml profiles for the cost estimate live. */
  readonly usageDir: string;
  /** The preview command as the user types it, for help and error texts. */
  readonly previewCommand: string;
  /** The policy-check command as the user types it. */
  readonly policyCheckCommand: string;
  /** The node arguments that start one single-stack preview (`--all` runs one per stack). */
  readonly previewProcess: readonly string[];
  /** Where the engine may cache build outputs (a TypeScript pack's bundle). */
  readonly cacheDir: string;
}

/** This repository (tools/engine/../..). */
export const repoRoot = path.resolve(__dirname, "..", "..");

const cloneHome: EngineHome = {
  root: repoRoot,
  policyPack: path.join(repoRoot, "policy-pack"),
  usageDir: path.join(repoRoot, "usage"),
  previewCommand: "npm run preview --",
  policyCheckCommand: "npm run policy:check --",
  previewProcess: ["-r", "ts-node/register/transpile-only", path.join(repoRoot, "tools", "preview.ts")],
  cacheDir: path.join(repoRoot, ".build"),
};

let current: EngineHome = cloneHome;

export function engineHome(): EngineHome {
  return current;
}

/** Called once by a bin, before the command module is loaded. */
export function setEngineHome(home: EngineHome): void {
  current = home;
}
