// The one home of the Node.js version the Lambda code runs on: the function's runtime identifier and
// the bundle's esbuild target both derive from it, so they cannot drift apart. Node 24 is AWS's
// newest Node.js runtime; its deprecation is scheduled for 2028-04-30 (policy-pack/rules/lambda.ts).

/** Major Node.js version of the Lambda runtime and of the bundle target. */
export const LAMBDA_NODE_MAJOR = 24;

/** The Lambda runtime identifier, e.g. "nodejs24.x". */
export const LAMBDA_RUNTIME = `nodejs${LAMBDA_NODE_MAJOR}.x`;

/** The esbuild target of Lambda bundles, e.g. "node24". */
export const LAMBDA_BUNDLE_TARGET = `node${LAMBDA_NODE_MAJOR}`;
