import * as path from "node:path";
import { type ChildResult, runNode } from "../../tools/engine/child-process";

export const repoRoot = path.resolve(__dirname, "..", "..");

export type CliResult = ChildResult;

/** Runs one of the repo's TypeScript command-line tools as a user would (npm run <tool>), minus npm's banner. */
export function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runNode(["-r", "ts-node/register/transpile-only", path.join(repoRoot, "tools", tool), ...args], {
    cwd: repoRoot,
    // As `npm run <tool>` typed in the repository root: relative paths are the root's (INIT_CWD).
    env: { ...process.env, INIT_CWD: repoRoot, ...env },
  });
}
