// `npm run audit -- [--region R] [--profile P] [--json] [--fail-on critical|warning]`: a read-only
// security audit of the live account (docs/runbooks/security-audit.md). The work is in tools/audit/.

import { runAudit } from "./audit/main";
import { EXIT_NOT_EVALUATED } from "./audit/report";

runAudit(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // An unexpected failure is still "not evaluated", never a pass.
    process.stderr.write(
      `audit: unexpected failure: ${error instanceof Error ? `${error.name}: ${error.message}` : "error"}\n`,
    );
    process.exitCode = EXIT_NOT_EVALUATED;
  },
);
