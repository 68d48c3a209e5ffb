import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

// The Lambda bundles the components deploy, built ahead of time: by `npm pack` (prepack) into the
// package's dist/bundles/, and in a clone by `npm run build:lambdas` (run by the bootstrap before
// tests and previews) into bundles/. Both sit one level above this module, so the component finds
// its code relative to its own compiled file and nothing is written at `pulumi up` — not inside
// node_modules, not anywhere.

/** A prebuilt bundle: the file a code archive points at, and the sha256 recorded when it was built. */
export interface PrebuiltBundle {
  /** Absolute path of the bundle's index.js. */
  readonly path: string;
  /** sha256 of the file, hex. */
  readonly sha256: string;
}

/** Every bundle the package ships: its folder under bundles/ and its entry module (relative to the repository root). */
export const LAMBDA_BUNDLES = {
  "rate-limiter": { entry: "lambdas/rate-limiter/index.ts" },
} as const;

export type LambdaBundleName = keyof typeof LAMBDA_BUNDLES;

/** Where the bundles live: `bundles/` beside this module's folder (dist/bundles in the package). */
export const bundlesRoot = path.resolve(__dirname, "..", "bundles");

/** The file holding the hex sha256 recorded beside each bundle. */
export const HASH_FILE = "index.js.sha256";

export class MissingBundleError extends Error {}

/** Reads a prebuilt bundle and checks it against its recorded hash. */
export function prebuiltBundle(name: LambdaBundleName, root = bundlesRoot): PrebuiltBundle {
  const dir = path.join(root, name);
  const file = path.join(dir, "index.js");
  const hashFile = path.join(dir, HASH_FILE);
  if (!fs.existsSync(file) || !fs.existsSync(hashFile)) {
    throw new MissingBundleError(
      `the ${name} Lambda bundle is missing (${file}): in a clone run \`npm run build:lambdas\`; an installed package ships it, so reinstall it`,
    );
  }
  const recorded = fs.readFileSync(hashFile, "utf8").trim();
  const actual = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  if (recorded !== actual) {
    throw new MissingBundleError(
      `the ${name} Lambda bundle ${file} does not match its recorded sha256 (${recorded}, file has ${actual}): rebuild it with \`npm run build:lambdas\` or reinstall the package`,
    );
  }
  return { path: file, sha256: recorded };
}

/** The rate-limiter Lambda's prebuilt bundle (RateLimiterPipeline's default code). */
export function rateLimiterBundle(): PrebuiltBundle {
  return prebuiltBundle("rate-limiter");
}
