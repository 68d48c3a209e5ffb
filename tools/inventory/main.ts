// `npm run inventory`: what already exists in a stack's account, read-only, from Terraform states
// and/or the live account, merged, checked against the stack's account and region, and written
// atomically to inventory/<stack>.json (lib/inventory.ts owns the format). Everything with side
// effects is injectable so tests run it in-process; the CLI (tools/inventory.ts) runs it for real.

import * as fs from "node:fs";
import * as path from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import * as yaml from "js-yaml";
import {
  compareEntries,
  entryKey,
  INVENTORY_FORMAT_VERSION,
  type Inventory,
  type InventoryEntry,
  InventoryError,
  inventoryPath,
  inventoryProblems,
} from "../../lib/inventory";
import { MAX_ATTEMPTS } from "../audit/collect";
import { reasonOf } from "../audit/errors";
import { EXIT_NOT_EVALUATED, EXIT_USAGE } from "../audit/report";
import { callerPath, formatOptions, parseCommandLine } from "../cli/options";
import { readStackFile, repoRoot, StackFileError } from "../engine/stack-file";
import { type Credentials, type LiveClients, type LiveExtras, liveClients, readLive } from "./live";
import { parseTerraformState } from "./terraform";

/** Exit codes: as the audit's for "could not read" (3) and bad arguments (4). */
export const EXIT_WRITTEN = 0;
/** A refused input: an invalid state file, another account or region than the stack's. */
export const EXIT_REFUSED = 1;
export { EXIT_NOT_EVALUATED as EXIT_UNREADABLE, EXIT_USAGE };

const OPTIONS = {
  stack: {
    type: "string",
    placeholder: "NAME",
    help: "the stack whose account is read (Pulumi.NAME.yaml: huntaze:accountId, aws:region)",
  },
  "terraform-state": {
    type: "string",
    placeholder: "FILE",
    multiple: true,
    help: "a Terraform state: the raw terraform.tfstate (version 4) or `terraform show -json` output;\nrepeat for several",
  },
  live: { type: "boolean", help: "read the live account with the default credential chain (read-only)" },
  profile: {
    type: "string",
    placeholder: "NAME",
    help: "a profile of ~/.aws/config for --live (default: the credential chain)",
  },
  out: { type: "string", placeholder: "FILE", help: "where to write (default: inventory/NAME.json)" },
  "propose-config": {
    type: "boolean",
    help: "also print the stack's placeholder config values found (network ids, ECS services,\ndatabase class/version, Redis snapshot) as YAML to paste into Pulumi.NAME.yaml",
  },
  help: { type: "boolean", short: "h", help: "this help" },
} as const;

export const USAGE = `Usage: npm run inventory -- --stack NAME [--terraform-state FILE]... [--live] [--out FILE] [--propose-config]

Lists what already exists in the stack's account (read-only) so the program adopts it instead of
creating it again: every managed aws_* resource of the Terraform states, and with --live what the
account holds (ECS clusters and services, RDS instances and parameter groups, log groups, ElastiCache
replication groups, GuardDuty, Security Hub, CloudTrail, SQS, DynamoDB, SNS, cost anomaly monitors,
budgets). Live attributes win over the state's; each resource is listed once. Written atomically to
inventory/NAME.json (nothing is written when anything fails).

Options:
${formatOptions(OPTIONS)}

Exit codes: 0 written; 1 refused input (invalid state file, another account or region than the
stack's); 3 something could not be read (credentials, AccessDenied, throttled after retries): nothing
written; 4 bad arguments. Runbook: docs/runbooks/terraform-to-pulumi.md
`;

export interface InventoryDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Where Pulumi.<stack>.yaml and inventory/ live. @default the repository root */
  readonly root?: string;
  /** SDK clients for --live (tests may pass their own). @default real clients */
  readonly clients?: (credentials: Credentials) => LiveClients;
  /** @default new Date() */
  readonly now?: () => Date;
}

interface StackTarget {
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
  readonly file: string;
}

function stackTarget(stack: string, root: string): StackTarget {
  const file = readStackFile(stack, root);
  const accountId = file.config["huntaze:accountId"];
  const region = file.config["aws:region"];
  const name = path.basename(file.path);
  if (!accountId || !/^\d{12}$/.test(accountId))
    throw new InventoryError(
      `huntaze:accountId must be the stack's 12-digit account id, got ${JSON.stringify(accountId)}`,
      name,
    );
  if (!region) throw new InventoryError(`aws:region must be set (e.g. us-east-1)`, name);
  return { stack, accountId, region, file: name };
}

/** Refuses entries read from another account or region than the stack's, naming both. */
function checkPlaces(target: StackTarget, what: string, accounts: Iterable<string>, regions: Iterable<string>): void {
  for (const account of accounts)
    if (account !== target.accountId)
      throw new InventoryError(
        `${what} is from account ${account}, but stack ${target.stack} is account ${target.accountId} (huntaze:accountId in ${target.file})`,
      );
  for (const region of regions)
    if (region !== target.region)
      throw new InventoryError(
        `${what} is from region ${region}, but stack ${target.stack} is in ${target.region} (aws:region in ${target.file})`,
      );
}

/**
 * Merges entries by type and physical name. A resource read from a state and live keeps the
 * state's source (its address: the runbook removes it from the state), takes the live import id
 * (what the account answers now) and the live attributes over the state's.
 */
export function mergeEntries(
  terraform: readonly InventoryEntry[],
  live: readonly InventoryEntry[],
  warn: (line: string) => void,
  stateOf: (entry: InventoryEntry) => string = () => "a state",
): InventoryEntry[] {
  const byKey = new Map<string, InventoryEntry>();
  for (const e of terraform) {
    const key = entryKey(e.type, e.physicalName);
    const seen = byKey.get(key);
    if (seen) {
      const where = (x: InventoryEntry) => `${(x.source as { address: string }).address} in ${stateOf(x)}`;
      warn(`${e.type} ${e.physicalName} is in two states (${where(seen)} and ${where(e)}): listed once`);
      continue;
    }
    byKey.set(key, e);
  }
  for (const e of live) {
    const key = entryKey(e.type, e.physicalName);
    const seen = byKey.get(key);
    byKey.set(
      key,
      seen
        ? { ...seen, importId: e.importId, arn: e.arn ?? seen.arn, attributes: { ...seen.attributes, ...e.attributes } }
        : e,
    );
  }
  return [...byKey.values()].sort(compareEntries);
}

/** Writes `text` to `file` through a temporary file and a rename: never half a file. */
export function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** The YAML fragment --propose-config prints: values found, under the stack's config keys. */
export function proposeConfig(target: StackTarget, entries: readonly InventoryEntry[], extras: LiveExtras): string {
  const of = (type: string) => entries.filter((e) => e.type === type);
  const config: Record<string, unknown> = {};
  const comments: string[] = [];
  if (extras.network?.vpcIds.length) {
    config["huntaze:network"] = {
      ...(extras.network.vpcIds.length === 1 ? { vpcId: extras.network.vpcIds[0] } : {}),
      privateSubnetIds: extras.network.subnetIds,
    };
    if (extras.network.vpcIds.length > 1)
      comments.push(`several VPCs hold the services' subnets: ${extras.network.vpcIds.join(", ")}`);
    if (extras.network.routeTableIds.length)
      config["huntaze:security"] = { privateRouteTableIds: extras.network.routeTableIds };
  }
  const services = of("aws:ecs/service:Service");
  const clusters = of("aws:ecs/cluster:Cluster").map((c) => ({
    name: c.physicalName,
    services: services
      .filter((s) => s.physicalName.startsWith(`${c.physicalName}/`))
      .map((s) => ({ name: s.attributes.name, taskDefinition: s.attributes.taskDefinition })),
  }));
  if (clusters.length) config["huntaze:ecs"] = { clusters };
  const postgres = of("aws:rds/instance:Instance").filter((i) =>
    String(i.attributes.engine ?? "").includes("postgres"),
  );
  if (postgres.length === 1) {
    const db = postgres[0]!;
    config["huntaze:database"] = {
      identifier: db.physicalName,
      instanceClass: db.attributes.instanceClass,
      engineVersion: db.attributes.engineVersion,
      multiAz: db.attributes.multiAz,
    };
    if (db.attributes.performanceInsightsKmsKeyId)
      comments.push(
        `Performance Insights KMS key of ${db.physicalName} (RDS refuses to change it once PI is on): ${String(db.attributes.performanceInsightsKmsKeyId)}`,
      );
  } else if (postgres.length > 1)
    comments.push(`several PostgreSQL instances: ${postgres.map((p) => p.physicalName).join(", ")}`);
  if (extras.redisSnapshot) config["huntaze:redis"] = { snapshotName: extras.redisSnapshot.name };
  if (extras.redisSnapshot?.replicationGroupId)
    comments.push(
      `snapshot ${extras.redisSnapshot.name} was taken from ${extras.redisSnapshot.replicationGroupId} at ${extras.redisSnapshot.createdAt ?? "?"}`,
    );
  for (const m of of("aws:costexplorer/anomalyMonitor:AnomalyMonitor"))
    if (m.attributes.monitorType === "DIMENSIONAL")
      comments.push(
        `existing AWS-services anomaly monitor (one per account: adopt it, do not create another): ${m.importId}`,
      );
  const header = [
    `# Proposed by npm run inventory for stack ${target.stack} (account ${target.accountId}, ${target.region}): values read,`,
    `# to review and paste into ${target.file}. Nothing was written to it.`,
    ...comments.map((c) => `# ${c}`),
  ];
  return `${header.join("\n")}\n${Object.keys(config).length ? yaml.dump({ config }, { lineWidth: 120 }) : "# (no placeholder values found)\n"}`;
}

function credentialsFor(profile: string | undefined): Credentials {
  if (profile) return fromIni({ profile });
  // The metadata service's short timeout: a laptop without credentials says so at once.
  return fromNodeProviderChain({ timeout: 1000, maxRetries: 0 });
}

export async function runInventory(argv: readonly string[], deps: InventoryDeps): Promise<number> {
  const parsed = parseCommandLine(argv, OPTIONS);
  const v = parsed.values;
  if (v.help) {
    deps.stdout(USAGE);
    return EXIT_WRITTEN;
  }
  const problems = [...parsed.problems];
  if (!v.stack) problems.push("--stack is required (e.g. --stack production)");
  const states = v["terraform-state"] ?? [];
  if (!v.live && states.length === 0) problems.push("give at least one --terraform-state FILE, or --live");
  if (v.profile !== undefined && !v.live) problems.push("--profile applies to --live only");
  if (problems.length) {
    deps.stderr(`inventory: ${problems.join("\n  ")}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const root = deps.root ?? repoRoot;
  const progress = (line: string) => deps.stderr(`[inventory] ${line}\n`);
  const now = (deps.now ?? (() => new Date()))().toISOString();

  let target: StackTarget;
  try {
    target = stackTarget(v.stack!, root);
  } catch (error) {
    deps.stderr(`inventory: ${(error as Error).message}\n`);
    return error instanceof StackFileError ? EXIT_USAGE : EXIT_REFUSED;
  }
  const out = v.out ? callerPath(v.out, deps.env) : path.join(root, inventoryPath(target.stack));

  const sources: Inventory["sources"][number][] = [];
  const terraformEntries: InventoryEntry[] = [];
  const stateOf = new Map<InventoryEntry, string>();
  try {
    for (const state of states) {
      const file = callerPath(state, deps.env);
      const shown = path.relative(root, file).startsWith("..") ? file : path.relative(root, file);
      let text: string;
      try {
        text = fs.readFileSync(file, "utf8");
      } catch (cause) {
        throw new InventoryError(`cannot be read (${(cause as Error).message})`, shown, { cause });
      }
      const read = parseTerraformState(shown, text);
      checkPlaces(target, `Terraform state ${shown}`, read.accounts, read.regions);
      terraformEntries.push(...read.entries);
      for (const e of read.entries) stateOf.set(e, shown);
      const unmapped = read.entries.filter((e) => e.adoptable === false).length;
      progress(
        `${shown}: ${read.entries.length} aws_* resources${unmapped ? ` (${unmapped} of a type the inventory cannot adopt)` : ""}`,
      );
      sources.push({
        kind: "terraform",
        detail: `${shown}: ${read.detail}; ${read.entries.length} managed aws_* resources. Resources made with the console or CLI are not in a state: run with --live to add them`,
        readAt: now,
      });
    }
  } catch (error) {
    deps.stderr(`inventory: ${(error as Error).message}\nNothing was written.\n`);
    return EXIT_REFUSED;
  }

  let liveEntries: InventoryEntry[] = [];
  let extras: LiveExtras = {};
  if (v.live) {
    const envRegion = deps.env.AWS_REGION || deps.env.AWS_DEFAULT_REGION;
    if (envRegion && envRegion !== target.region) {
      deps.stderr(
        `inventory: the environment's region is ${envRegion} (AWS_REGION), but stack ${target.stack} is in ${target.region} (aws:region in ${target.file})\nNothing was written.\n`,
      );
      return EXIT_REFUSED;
    }
    const credentials = credentialsFor(v.profile);
    let accountId: string;
    let partition: string;
    try {
      const sts = new STSClient({
        region: target.region,
        credentials,
        retryMode: "standard",
        maxAttempts: MAX_ATTEMPTS,
      });
      const me = await sts.send(new GetCallerIdentityCommand({}));
      accountId = me.Account ?? "";
      partition = me.Arn?.split(":")[1] || "aws";
    } catch (error) {
      deps.stderr(
        `inventory: the caller's identity (sts:GetCallerIdentity) could not be read: ${reasonOf(error)}\nNothing was written.\n`,
      );
      return EXIT_NOT_EVALUATED;
    }
    try {
      checkPlaces(target, "the live account (sts:GetCallerIdentity)", [accountId], []);
    } catch (error) {
      deps.stderr(`inventory: ${(error as Error).message}\nNothing was written.\n`);
      return EXIT_REFUSED;
    }
    progress(`reading account ${accountId} in ${target.region}...`);
    const read = await readLive((deps.clients ?? liveClients)(credentials), {
      accountId,
      partition,
      region: target.region,
      progress,
      extras: v["propose-config"] === true,
    });
    if (read.problems.length) {
      deps.stderr(
        `inventory: ${read.problems.length} read(s) failed; nothing was written:\n${read.problems.map((p) => `  - ${p.what} (${p.region}): ${p.reason}`).join("\n")}\n`,
      );
      return EXIT_NOT_EVALUATED;
    }
    liveEntries = read.entries;
    extras = read.extras;
    sources.push({
      kind: "live",
      detail: `account ${accountId} in ${target.region} (and the global Cost Explorer and Budgets APIs): ${read.services.join(", ")}; ${liveEntries.length} resources`,
      readAt: now,
    });
  }

  const resources = mergeEntries(
    terraformEntries,
    liveEntries,
    (line) => progress(`warning: ${line}`),
    (e) => stateOf.get(e) ?? "a state",
  );
  const inventory: Inventory = {
    version: INVENTORY_FORMAT_VERSION,
    stack: target.stack,
    accountId: target.accountId,
    region: target.region,
    sources,
    resources,
  };
  const invalid = inventoryProblems(inventory);
  if (invalid.length) {
    deps.stderr(
      `inventory: the result is not a valid inventory; nothing was written:\n  - ${invalid.join("\n  - ")}\n`,
    );
    return EXIT_REFUSED;
  }
  writeAtomically(out, `${JSON.stringify(inventory, null, 2)}\n`);
  progress(
    `wrote ${path.relative(root, out).startsWith("..") ? out : path.relative(root, out)}: ${resources.length} resources`,
  );
  if (v["propose-config"]) deps.stdout(proposeConfig(target, resources, extras));
  return EXIT_WRITTEN;
}
