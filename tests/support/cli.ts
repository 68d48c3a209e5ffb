import { spawn } from "node:child_process";
import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "..", "..");

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one of the repo's TypeScript command-line tools as a user would (npm run <tool>), minus npm's banner. */
export function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(repoRoot, "tools", tool), ...args],
      {
        cwd: repoRoot,
        // As `npm run <tool>` typed in the repository root: relative paths are the root's (INIT_CWD).
        env: { ...process.env, INIT_CWD: repoRoot, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
