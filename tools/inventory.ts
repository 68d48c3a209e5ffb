// `npm run inventory -- --stack NAME [--terraform-state FILE]... [--live] [--out FILE] [--propose-config]`:
// what already exists in the stack's account, read-only, written to inventory/NAME.json. The work
// is in tools/inventory/; the format is lib/inventory.ts.

import { EXIT_UNREADABLE, runInventory } from "./inventory/main";

runInventory(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // An unexpected failure writes nothing and is "could not read", never a success.
    process.stderr.write(
      `inventory: unexpected failure: ${error instanceof Error ? `${error.name}: ${error.message}` : "error"}\nNothing was written.\n`,
    );
    process.exitCode = EXIT_UNREADABLE;
  },
);
