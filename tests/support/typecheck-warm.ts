// Mocha set-up (.mocharc "require"): the preview type-checks the program as `pulumi preview` does
// (tools/engine/typecheck.ts). Checking the project's program once here, before any test starts,
// fills the incremental cache, so no test's timeout pays for the compiler's cold start; every later
// preview of the unchanged program costs one hash per source file. A type error is not reported
// here: `npm run typecheck` and the preview tests report it.
import * as path from "node:path";
import { typeCheckProgram } from "../../tools/engine/typecheck";

const root = path.resolve(__dirname, "..", "..");
try {
  typeCheckProgram({ program: path.join(root, "stacks", "index.ts"), projectDir: root, cacheRoot: root });
} catch {
  // reported by the tests that run the preview
}
