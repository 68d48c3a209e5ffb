import * as fs from "node:fs";
import * as path from "node:path";
import { type AdoptionPlan, importFile, terraformStateRm } from "./adoption-plan";
import type { RecordedResource } from "./recorder";

// `preview --import-file FILE`: the hand-over to the real CLI (docs/runbooks/terraform-to-pulumi.md):
// Pulumi's bulk import file and the `terraform state rm` commands for what Pulumi then owns.

/** The state-rm list's file, beside the import file. */
export const stateRmFileOf = (importFilePath: string): string =>
  `${importFilePath.replace(/\.json$/, "")}.terraform-state-rm.txt`;

/** Writes both files whole (each to a temporary name, then renamed): nothing is left half written. */
export function writeHandOver(
  file: string,
  resources: readonly RecordedResource[],
  plan: AdoptionPlan,
  verbose: boolean,
): void {
  const rm = terraformStateRm(plan);
  const contents: [string, string][] = [
    [file, `${JSON.stringify(importFile(resources, plan), null, 2)}\n`],
    [
      stateRmFileOf(file),
      `# Run in infra/terraform/production-hardening AFTER \`pulumi import --file ${path.basename(file)}\` succeeded, once.\n${rm.join("\n")}${rm.length ? "\n" : ""}`,
    ],
  ];
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  for (const [target, text] of contents) fs.writeFileSync(`${target}.tmp`, text);
  for (const [target] of contents) fs.renameSync(`${target}.tmp`, target);
  if (verbose)
    process.stderr.write(
      `… wrote ${file} (pulumi import --file) and ${stateRmFileOf(file)} (${rm.length} terraform state rm)\n`,
    );
}
