import * as fs from "node:fs";
import * as path from "node:path";
import { ADOPTION_CONFIG_KEY } from "../../lib/inventory";
import { ACCOUNT_ID_CONFIG_KEY } from "../../lib/stack-contract";
import type { PulumiProject } from "./project";
import { StackFileError } from "./stack-file";

// The engine knows no project: the few stack config keys it reads before the program runs (the
// account id the mocks answer with, the adoption key's allowReplace list) live in the PROGRAM's
// config namespace, which the engine finds, never assumes.
//
// Pulumi namespaces every config key: a provider's by its package (`aws:region` for @pulumi/aws), a
// program's by the name it gives `new pulumi.Config(name)`, its project name by default. A program
// may choose another name (this repository's project and its config namespace differ), and neither
// Pulumi.yaml nor any Pulumi setting records that choice. The program's outputs come too late (the
// account id is needed while it runs: the budgets, which are not, come from its outputs instead,
// lib/stack-contract.ts); a full key exported by a shared module (lib/) would pin every project
// that uses the engine to this repository's namespace. So the namespace is, in order:
//   1. `--config-namespace NS`;
//   2. the project name, when the stack file has keys in it (Pulumi's default);
//   3. the one namespace of the stack file that no provider claims (a provider: `pulumi`, or a
//      namespace with an installed `@pulumi/<ns>` package);
//   4. the project name, when the stack file has no namespace of the program's at all.
// Several unclaimed namespaces are an error asking for --config-namespace.

/** Namespaces Pulumi itself reads (`pulumi:tags`, `pulumi:disable-default-providers`, …). */
const PULUMI_NAMESPACE = "pulumi";

export interface ProgramConfig {
  /** The program's config namespace. */
  readonly namespace: string;
  /** How the namespace was found, for messages. */
  readonly from: "flag" | "project name" | "stack file";
  /** The full key of the stack's account id (`<namespace>:accountId`). */
  readonly accountIdKey: string;
  /** The stack's account id: --account-id, else the stack file's, if it is 12 digits. */
  readonly accountId?: string;
  /** The full key of the adoption settings (`<namespace>:adoption`, lib/inventory.ts). */
  readonly adoptionKey: string;
}

export interface ProgramConfigOptions {
  /** --config-namespace. */
  readonly namespace?: string;
  /** --account-id. */
  readonly accountId?: string;
}

/** A provider's config namespace: Pulumi's own, or one with an installed `@pulumi/<ns>` package. */
function isProviderNamespace(ns: string, projectDir: string): boolean {
  if (ns === PULUMI_NAMESPACE) return true;
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "node_modules", "@pulumi", ns, "package.json"))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

const ACCOUNT_ID = /^\d{12}$/;
const NAMESPACE = /^[\w.-]+$/;

/** The program's config namespace and the keys the engine reads in it (see the comment above). */
export function programConfig(
  config: Record<string, string>,
  project: Pick<PulumiProject, "name" | "dir">,
  stackFile: string,
  options: ProgramConfigOptions = {},
): ProgramConfig {
  if (options.accountId !== undefined && !ACCOUNT_ID.test(options.accountId))
    throw new StackFileError(
      `--account-id must be a 12-digit AWS account id, got ${JSON.stringify(options.accountId)}`,
    );
  if (options.namespace !== undefined && !NAMESPACE.test(options.namespace))
    throw new StackFileError(
      `--config-namespace must be a config namespace (letters, digits, - _ .), got ${JSON.stringify(options.namespace)}`,
    );
  const namespaces = [...new Set(Object.keys(config).map((k) => k.slice(0, k.indexOf(":"))))].sort();
  let namespace: string;
  let from: ProgramConfig["from"];
  if (options.namespace !== undefined) {
    namespace = options.namespace;
    from = "flag";
  } else if (namespaces.includes(project.name)) {
    namespace = project.name;
    from = "project name";
  } else {
    const unclaimed = namespaces.filter((ns) => !isProviderNamespace(ns, project.dir));
    if (unclaimed.length > 1)
      throw new StackFileError(
        `${path.basename(stackFile)} sets keys in ${unclaimed.length} namespaces no provider claims (${unclaimed.join(", ")}) and none is the project's name (${project.name}): pass --config-namespace NS to name the program's`,
      );
    namespace = unclaimed[0] ?? project.name;
    from = unclaimed[0] === undefined ? "project name" : "stack file";
  }
  const accountIdKey = `${namespace}:${ACCOUNT_ID_CONFIG_KEY}`;
  const configured = config[accountIdKey];
  const accountId =
    options.accountId ?? (configured !== undefined && ACCOUNT_ID.test(configured) ? configured : undefined);
  return {
    namespace,
    from,
    accountIdKey,
    ...(accountId !== undefined ? { accountId } : {}),
    adoptionKey: `${namespace}:${ADOPTION_CONFIG_KEY}`,
  };
}
