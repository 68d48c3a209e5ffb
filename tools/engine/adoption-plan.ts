import * as fs from "node:fs";
import * as path from "node:path";
import {
  ADOPTION_CONFIG_KEY,
  allowReplaceOf,
  entryFor,
  entryKey,
  type Inventory,
  type InventoryEntry,
  indexInventory,
  inventoryPath,
  physicalNameOf,
  STATEFUL_TYPES,
} from "../../lib/inventory";
import type { RecordedResource } from "./recorder";
import { REPLACE_PROPERTIES } from "./replace-properties";
import { isSecret, maskSecrets, type PlainValue } from "./secrets";
import { StackFileError } from "./stack-file";

// What `pulumi up` will do to each resource, given what the stack's inventory says exists: Pulumi's
// step names. `import` reads an existing resource into the state; since pulumi/pulumi#19339 (CLI
// 3.276, "import" resource option docs) an import whose declared inputs differ from the resource
// succeeds and is followed by an update to the declared inputs (`update` here, with the diff), and a
// difference in a property the provider cannot update (replace-properties.ts) is a `replace`.
// The offline engine has no Pulumi state, so `same` (a resource already in the state, unchanged)
// never appears before the first `pulumi up`.

export type Op = "create" | "import" | "update" | "replace" | "same";

export interface PropertyDiff {
  readonly key: string;
  /** The program's input (secrets masked). */
  readonly program: PlainValue;
  /** The inventory's recorded attribute. */
  readonly recorded: PlainValue;
  readonly forcesReplacement: boolean;
}

export interface ResourceStep {
  readonly urn: string;
  readonly op: Op;
  readonly importId?: string;
  readonly entry?: InventoryEntry;
  readonly diffs: readonly PropertyDiff[];
}

export interface AdoptionFinding {
  readonly kind: "replace-stateful" | "create-held-name";
  readonly urn: string;
  readonly message: string;
}

export interface AdoptionPlan {
  readonly inventoryFile: string;
  readonly steps: ReadonlyMap<string, ResourceStep>;
  /** Inventory entries no resource adopts: left as they are, outside Pulumi. */
  readonly unmanaged: readonly InventoryEntry[];
  /** Each one fails the preview (exit 1). */
  readonly findings: readonly AdoptionFinding[];
}

/** The stack's default inventory, inventory/<stack>.json beside its stack file, when it exists. */
export function defaultInventoryFile(stack: string, stackDir: string): string | undefined {
  const file = path.resolve(stackDir, inventoryPath(stack));
  return fs.existsSync(file) ? file : undefined;
}

/**
 * `<namespace>:adoption.allowReplace` from the stack's config, `key` the full key in the program's
 * namespace (program-config.ts finds it; lib/inventory.ts owns the key's name). The program validates
 * the key with the rest of its config (a bad value fails its run first); this reads the same contract.
 */
export function allowReplaceFrom(config: Record<string, string>, key: string): readonly string[] {
  const raw = config[key];
  let value: unknown;
  try {
    value = raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    value = raw;
  }
  const { allowReplace, problems } = allowReplaceOf(value, key);
  if (problems.length > 0) throw new StackFileError(`invalid stack config:\n  - ${problems.join("\n  - ")}`);
  return allowReplace;
}

/** JSON-equal after key ordering; numbers and their string forms compare equal (Terraform states hold both). */
function same(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (typeof v === "object" && v !== null)
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
      );
    if (typeof v === "number") return String(v);
    return v;
  };
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

const PROVIDER_OR_STACK = /^pulumi:(providers:|pulumi:Stack)/;

/**
 * Each resource's step against `inventory`, the inventory entries left unmanaged, and the findings
 * that fail the preview: a replacement of an adopted stateful resource the config does not allow
 * (`allowReplace`, read from `adoptionKey`),
 * and a create of a name the inventory holds (it would fail with "already exists", or duplicate).
 */
export function planAdoption(
  resources: readonly RecordedResource[],
  inventory: Inventory,
  inventoryFile: string,
  allowReplace: readonly string[] = [],
  /** The stack config key that holds allowReplace, named in the findings (program-config.ts). */
  adoptionKey: string = ADOPTION_CONFIG_KEY,
): AdoptionPlan {
  const index = indexInventory(inventory);
  const steps = new Map<string, ResourceStep>();
  const adopted = new Set<string>();
  const findings: AdoptionFinding[] = [];
  const allowed = new Set(allowReplace);
  for (const r of resources) {
    if (PROVIDER_OR_STACK.test(r.type)) continue;
    const plain = maskSecrets(r.inputs) as Record<string, PlainValue>;
    const importId = r.options.import;
    const held = r.custom ? entryFor(index, r.type, plain, inventory.accountId) : undefined;
    if (!importId) {
      steps.set(r.urn, { urn: r.urn, op: "create", diffs: [] });
      if (held)
        findings.push({
          kind: "create-held-name",
          urn: r.urn,
          message: `${r.urn} creates ${r.type} "${held.physicalName}", which exists already (inventory entry ${held.type} ${held.physicalName}, import id ${held.importId}, from ${held.source.kind === "terraform" ? `Terraform ${held.source.address}` : `the live account (${held.source.api})`}): adopt it or rename the resource`,
        });
      continue;
    }
    const entry = held ?? inventory.resources.find((e) => e.type === r.type && e.importId === importId);
    if (entry) adopted.add(entryKey(entry.type, entry.physicalName));
    const forceNew = new Set(REPLACE_PROPERTIES[r.type] ?? []);
    const diffs: PropertyDiff[] = [];
    for (const [key, recorded] of Object.entries(entry?.attributes ?? {})) {
      if (!(key in r.inputs) || isSecret(r.inputs[key])) continue; // only keys both sides know
      if (same(r.inputs[key], recorded)) continue;
      diffs.push({
        key,
        program: plain[key] ?? null,
        recorded: recorded as PlainValue,
        forcesReplacement: forceNew.has(key),
      });
    }
    const op: Op = diffs.some((d) => d.forcesReplacement) ? "replace" : diffs.length > 0 ? "update" : "import";
    steps.set(r.urn, { urn: r.urn, op, importId, ...(entry ? { entry } : {}), diffs });
    if (op === "replace" && STATEFUL_TYPES.has(r.type)) {
      const name = entry?.physicalName ?? physicalNameOf(r.type, plain, inventory.accountId) ?? r.name;
      if (!allowed.has(r.urn) && !allowed.has(`${r.type} ${name}`)) {
        const props = diffs.filter((d) => d.forcesReplacement).map((d) => d.key);
        findings.push({
          kind: "replace-stateful",
          urn: r.urn,
          message: `${r.urn} would REPLACE the adopted ${r.type} "${name}" (its data is deleted with it): ${props.map((p) => `${p} cannot be changed in place`).join(", ")}. Keep the live value, or allow it in ${adoptionKey}.allowReplace ("${r.type} ${name}")`,
        });
      }
    }
  }
  const unmanaged = inventory.resources.filter((e) => !adopted.has(entryKey(e.type, e.physicalName)));
  return { inventoryFile, steps, unmanaged, findings };
}

/** Pulumi's bulk import file (`pulumi import --file`), components included so children land in them. */
export interface ImportFile {
  nameTable: Record<string, string>;
  resources: { type: string; name: string; id?: string; parent?: string; component?: boolean }[];
}

/**
 * The file `pulumi import --file FILE` takes ("pulumi import", Pulumi CLI docs,
 * https://www.pulumi.com/docs/iac/cli/commands/pulumi_import/, and "Importing resources: bulk import
 * operations", https://www.pulumi.com/docs/iac/guides/migration/import/#bulk-import-operations):
 * `nameTable` maps a name to a parent's URN, each resource names its parent by that key. Every
 * ancestor component of an imported resource is listed with `component: true` (the engine creates
 * the empty component as a parent, pulumi/pulumi#14461), so the resources land in the component tree
 * the program declares and the first `pulumi up` finds them where it expects them.
 */
export function importFile(resources: readonly RecordedResource[], plan: AdoptionPlan): ImportFile {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const nameTable: Record<string, string> = {};
  const keyOf = new Map<string, string>();
  const keyFor = (urn: string): string => {
    const known = keyOf.get(urn);
    if (known) return known;
    const base = byUrn.get(urn)?.name ?? urn;
    let key = base;
    for (let n = 2; key in nameTable; n++) key = `${base}#${n}`;
    nameTable[key] = urn;
    keyOf.set(urn, key);
    return key;
  };
  const out: ImportFile["resources"] = [];
  const listed = new Set<string>();
  const isRoot = (urn: string | undefined) => urn === undefined || byUrn.get(urn)?.type === "pulumi:pulumi:Stack";
  const addComponent = (urn: string) => {
    if (listed.has(urn)) return;
    const c = byUrn.get(urn);
    if (!c) return;
    if (!isRoot(c.parent)) addComponent(c.parent as string);
    listed.add(urn);
    out.push({
      type: c.type,
      name: c.name,
      component: true,
      ...(!isRoot(c.parent) ? { parent: keyFor(c.parent as string) } : {}),
    });
  };
  for (const r of resources) {
    const step = plan.steps.get(r.urn);
    if (!step?.importId) continue;
    if (!isRoot(r.parent)) addComponent(r.parent as string);
    out.push({
      type: r.type,
      name: r.name,
      id: step.importId,
      ...(!isRoot(r.parent) ? { parent: keyFor(r.parent as string) } : {}),
    });
  }
  return { nameTable, resources: out };
}

/** `terraform state rm` of every Terraform-made resource Pulumi now owns (run after the import). */
export function terraformStateRm(plan: AdoptionPlan): string[] {
  const addresses = new Set<string>();
  for (const step of plan.steps.values())
    if (step.importId && step.entry?.source.kind === "terraform") addresses.add(step.entry.source.address);
  return [...addresses].sort().map((a) => `terraform state rm '${a}'`);
}

/** The plan as JSON (per resource op/importId is merged into the resources list by the renderer). */
export function planSummary(plan: AdoptionPlan) {
  const counts: Record<Op, number> = { create: 0, import: 0, update: 0, replace: 0, same: 0 };
  for (const s of plan.steps.values()) counts[s.op]++;
  return {
    inventory: plan.inventoryFile,
    counts,
    findings: plan.findings,
    unmanaged: plan.unmanaged.map((e) => ({
      type: e.type,
      physicalName: e.physicalName,
      importId: e.importId,
      source: e.source,
    })),
    terraformStateRm: terraformStateRm(plan),
  };
}
