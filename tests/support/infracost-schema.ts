import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv-draft-04";

// Infracost's JSON output schema (vendored in tools/engine/schemas/, see its README), compiled once
// with ajv's draft-04 build, for the tests that check `--cost --json` against it.

const schema = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "..", "tools", "engine", "schemas", "infracost.schema.json"), "utf8"),
) as object;
// strict: false — the schema carries a non-keyword ("usage" under google_container_cluster).
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat("date-time", (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s));
const validateInfracost = ajv.compile(schema);

/** "" when `doc` validates, else ajv's messages, one a line. */
export function schemaErrors(doc: unknown): string {
  return validateInfracost(doc) ? "" : ajv.errorsText(validateInfracost.errors, { separator: "\n" });
}
