import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { engineHome } from "./home";
import { readProject } from "./project";

// Reads Pulumi.<stack>.yaml the way the CLI hands config to a program: "namespace:key" -> string,
// structured values as JSON text, and `secure:` values marked secret. Offline there is no key to
// decrypt them, so each becomes a placeholder that is itself treated as a secret (masked everywhere).

export interface StackFile {
  readonly stack: string;
  readonly path: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
  /** The file holds no config at all (empty, or only comments). */
  readonly empty: boolean;
}

export class StackFileError extends Error {}

export { repoRoot } from "./home";

export function availableStacks(root = engineHome().root): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

function placeholderFor(key: string): string {
  return `offline-secret-${createHash("sha256").update(key).digest("hex").slice(0, 24)}`;
}

/** `projectName` namespaces keys written without one, as the CLI does with the project's own name. */
export function readStackFile(
  stack: string,
  root = engineHome().root,
  projectName = readProject(root).name,
): StackFile {
  if (!/^[\w.-]+$/.test(stack)) throw new StackFileError(`invalid stack name ${JSON.stringify(stack)}`);
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new StackFileError(
      `no stack named "${stack}": looked for ${file}, which does not exist (stacks: ${availableStacks(root).join(", ") || "none"}). ` +
        "Run the command from the directory holding your Pulumi.<stack>.yaml, or point to it with --stack-dir DIR.",
    );
  }
  let doc: unknown;
  try {
    const text = fs.readFileSync(file, "utf8");
    // js-yaml 5 refuses an input with no document ("expected a document"); for a stack file holding
    // nothing but blank lines and comments that is no config, which the preview reports as such.
    const empty = text.split("\n").every((line) => line.trim() === "" || line.trim().startsWith("#"));
    doc = empty ? null : yaml.load(text);
  } catch (e) {
    throw new StackFileError(`${path.basename(file)} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const raw = (doc as { config?: Record<string, unknown> } | null)?.config ?? {};
  if (typeof raw !== "object" || Array.isArray(raw))
    throw new StackFileError(`${path.basename(file)}: "config" must be a map`);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const fullKey = key.includes(":") ? key : `${projectName}:${key}`;
    if (value !== null && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
      secretKeys.push(fullKey);
      config[fullKey] = placeholderFor(fullKey);
    } else if (value !== null && typeof value === "object") {
      config[fullKey] = JSON.stringify(value);
    } else {
      config[fullKey] = String(value);
    }
  }
  return {
    stack,
    path: file,
    config,
    secretKeys,
    empty: doc === undefined || doc === null || Object.keys(raw).length === 0,
  };
}
