import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

// The Pulumi project a program belongs to, read from its Pulumi.yaml as the CLI reads it: the name
// namespaces the project's own config keys (`new pulumi.Config()`) and appears in every URN.

export class ProjectFileError extends Error {}

export interface PulumiProject {
  readonly name: string;
  /** The directory holding Pulumi.yaml. */
  readonly dir: string;
  /** The entry module, resolved. @default the project directory's index.ts */
  readonly main: string;
}

/** The directory holding Pulumi.yaml: `start` or the nearest parent, as the CLI looks for it. */
export function findProjectDir(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function readProject(dir: string): PulumiProject {
  const file = path.join(dir, "Pulumi.yaml");
  let doc: unknown;
  try {
    doc = yaml.load(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new ProjectFileError(`cannot read the project file ${file}: ${(e as Error).message.split("\n")[0]}`);
  }
  const name = (doc as { name?: unknown } | null)?.name;
  if (typeof name !== "string" || !/^[\w.-]+$/.test(name)) {
    throw new ProjectFileError(
      `${file}: "name" must be a project name (letters, digits, - _ .), got ${JSON.stringify(name)}`,
    );
  }
  const main = (doc as { main?: unknown }).main;
  return { name, dir, main: path.resolve(dir, typeof main === "string" ? main : "index.ts") };
}

/**
 * The project of a preview: the Pulumi.yaml in or above the stack directory, else in or above the
 * program's directory, else in `fallbackDir` (the default program's project).
 */
export function locateProject(stackDir: string, program: string | undefined, fallbackDir: string): PulumiProject {
  const starts = [stackDir, program === undefined ? fallbackDir : path.dirname(program)];
  for (const start of starts) {
    const dir = findProjectDir(start);
    if (dir !== undefined) return readProject(dir);
  }
  const looked = [...new Set(starts.map((s) => path.resolve(s)))];
  throw new ProjectFileError(
    `no Pulumi.yaml in ${looked.join(" or ")} or any parent directory: run the command from your Pulumi project's directory, or point to it with --stack-dir DIR`,
  );
}
