// Reads a Terraform state (format version 4) into inventory entries, read-only. Two inputs:
// - the raw state file (`terraform.tfstate`, `terraform state pull`):
//   { version: 4, terraform_version, serial, lineage, resources: [{ module?, mode, type, name,
//     provider, instances: [{ index_key?, schema_version, attributes }] }] }
// - `terraform show -json`: { format_version: "1.0", terraform_version, values: { root_module:
//   { resources: [{ address, mode, type, name, index?, values }], child_modules: [...] } } }
// Formats: https://developer.hashicorp.com/terraform/internals/json-format ("State Representation")
// and Terraform's internal/states/statefile/version4.go (the raw file).
// Every managed `aws_*` instance becomes an entry; data sources are read-only lookups and skipped.

import type { InventoryEntry } from "../../lib/inventory";
import { InventoryError } from "../../lib/inventory";
import { convertFields } from "./shape";
import { arnAccount, arnRegion, TERRAFORM_TYPES } from "./types";

/** The raw state's `version` this reader understands (Terraform >= 0.12 writes 4). */
export const STATE_FORMAT_VERSION = 4;
/** The major version of `terraform show -json`'s format_version this reader understands. */
export const SHOW_FORMAT_MAJOR = "1";

export interface TerraformRead {
  readonly entries: InventoryEntry[];
  /** For sources[].detail: which file, which kind, serial/lineage or terraform version. */
  readonly detail: string;
  /** Accounts and regions named by the entries' ARNs and ids, to check against the stack. */
  readonly accounts: ReadonlySet<string>;
  readonly regions: ReadonlySet<string>;
}

interface Instance {
  readonly address: string;
  readonly type: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Top-level attributes Terraform marks sensitive: never carried, whatever the type's table says. */
  readonly sensitive?: ReadonlySet<string>;
}

/**
 * The top-level attribute names a state marks sensitive: the raw state's `sensitive_attributes`
 * (paths, each a list of steps such as {"type":"get_attr","value":"endpoint"}) and show -json's
 * `sensitive_values` (the same shape as `values`, `true` where sensitive).
 */
function sensitiveOf(raw: unknown, show: unknown): Set<string> {
  const names = new Set<string>();
  if (Array.isArray(raw))
    for (const p of raw) {
      const step = Array.isArray(p) ? p[0] : undefined;
      if (isObject(step) && step.type === "get_attr" && typeof step.value === "string") names.add(step.value);
    }
  if (isObject(show))
    for (const [k, v] of Object.entries(show)) if (v === true || (Array.isArray(v) && v.includes(true))) names.add(k);
  return names;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** An instance's address as Terraform prints it: module.m.aws_x.name["key"] / [0]. */
function addressOf(module: unknown, type: string, name: string, indexKey: unknown): string {
  const prefix = typeof module === "string" && module !== "" ? `${module}.` : "";
  const index = indexKey === undefined || indexKey === null ? "" : `[${JSON.stringify(indexKey)}]`;
  return `${prefix}${type}.${name}${index}`;
}

function rawInstances(file: string, state: Record<string, unknown>): Instance[] {
  if (!Array.isArray(state.resources))
    throw new InventoryError(
      `resources must be a list (raw state version 4), got ${JSON.stringify(state.resources)?.slice(0, 40)}`,
      file,
    );
  const out: Instance[] = [];
  state.resources.forEach((r: unknown, i: number) => {
    if (!isObject(r) || typeof r.type !== "string" || typeof r.name !== "string" || !Array.isArray(r.instances))
      throw new InventoryError(`resources[${i}] must have a type, a name and a list of instances`, file);
    if (r.mode !== "managed") return;
    r.instances.forEach((inst: unknown, j: number) => {
      if (!isObject(inst) || !isObject(inst.attributes))
        throw new InventoryError(`resources[${i}].instances[${j}].attributes must be an object`, file);
      out.push({
        address: addressOf(r.module, r.type as string, r.name as string, inst.index_key),
        type: r.type as string,
        attributes: inst.attributes,
        sensitive: sensitiveOf(inst.sensitive_attributes, undefined),
      });
    });
  });
  return out;
}

function showInstances(file: string, values: unknown): Instance[] {
  const out: Instance[] = [];
  const walk = (module: unknown, at: string) => {
    if (!isObject(module)) throw new InventoryError(`${at} must be an object (terraform show -json)`, file);
    const resources = module.resources ?? [];
    if (!Array.isArray(resources)) throw new InventoryError(`${at}.resources must be a list`, file);
    resources.forEach((r: unknown, i: number) => {
      if (!isObject(r) || typeof r.type !== "string" || typeof r.address !== "string")
        throw new InventoryError(`${at}.resources[${i}] must have an address and a type`, file);
      if (r.mode !== "managed") return;
      if (!isObject(r.values)) throw new InventoryError(`${at}.resources[${i}].values must be an object`, file);
      out.push({
        address: r.address,
        type: r.type,
        attributes: r.values,
        sensitive: sensitiveOf(undefined, r.sensitive_values),
      });
    });
    const children = module.child_modules ?? [];
    if (!Array.isArray(children)) throw new InventoryError(`${at}.child_modules must be a list`, file);
    children.forEach((child: unknown, i: number) => {
      walk(child, `${at}.child_modules[${i}]`);
    });
  };
  if (!isObject(values)) return out; // an empty state: `terraform show -json` prints no "values"
  walk(values.root_module ?? {}, "values.root_module");
  return out;
}

/** The entry for one instance: mapped when its type is known, kept as not adoptable otherwise. */
export function entryOf(instance: Instance): InventoryEntry | undefined {
  const { address, type, attributes } = instance;
  if (!type.startsWith("aws_")) return undefined;
  const source = { kind: "terraform" as const, address };
  const spec = TERRAFORM_TYPES[type];
  const id = typeof attributes.id === "string" && attributes.id !== "" ? attributes.id : address;
  if (!spec)
    return { type, physicalName: id, importId: id, source, attributes: {}, terraformType: type, adoptable: false };
  const importId = spec.importId(attributes);
  const physicalName = spec.physicalName(attributes);
  if (!importId || !physicalName)
    return { type, physicalName: id, importId: id, source, attributes: {}, terraformType: type, adoptable: false };
  const readable = instance.sensitive?.size
    ? Object.fromEntries(Object.entries(attributes).filter(([k]) => !instance.sensitive!.has(k)))
    : attributes;
  const converted = convertFields(readable, spec.fields);
  for (const key of spec.redact?.(attributes) ?? []) delete converted[key];
  const arn = spec.arn?.(attributes);
  return {
    type: spec.pulumiType,
    physicalName,
    importId,
    ...(arn ? { arn } : {}),
    source,
    attributes: converted,
    terraformType: type,
  };
}

/** The accounts and regions an entry names: its ARN, or a queue URL's host and path. */
export function placesOf(entry: InventoryEntry): { account?: string; region?: string } {
  const url = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\/(\d{12})\//.exec(entry.importId);
  if (url) return { region: url[1], account: url[2] };
  const arn = entry.arn ?? (entry.importId.startsWith("arn:") ? entry.importId : undefined);
  return { account: arnAccount(arn), region: arnRegion(arn) };
}

/** Parses a state file's text (raw v4 or `terraform show -json`); throws InventoryError naming the file. */
export function parseTerraformState(file: string, text: string): TerraformRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new InventoryError(
      `is not JSON (truncated?): ${(cause as Error).message}; expected a Terraform state (version ${STATE_FORMAT_VERSION}) or \`terraform show -json\` output`,
      file,
      { cause },
    );
  }
  if (!isObject(data))
    throw new InventoryError(`expected a Terraform state object, got ${JSON.stringify(data)?.slice(0, 40)}`, file);
  let instances: Instance[];
  let detail: string;
  if ("format_version" in data) {
    const fv = String(data.format_version);
    if (fv.split(".")[0] !== SHOW_FORMAT_MAJOR)
      throw new InventoryError(
        `\`terraform show -json\` format_version must be ${SHOW_FORMAT_MAJOR}.x, got ${JSON.stringify(data.format_version)}`,
        file,
      );
    instances = showInstances(file, data.values);
    detail = `terraform show -json (format ${fv}, terraform ${String(data.terraform_version)})`;
  } else if ("version" in data) {
    if (data.version !== STATE_FORMAT_VERSION)
      throw new InventoryError(
        `state format version must be ${STATE_FORMAT_VERSION} (Terraform >= 0.12), got ${JSON.stringify(data.version)}: upgrade it with a current Terraform (\`terraform state pull\`) first`,
        file,
      );
    instances = rawInstances(file, data);
    detail = `terraform state v${STATE_FORMAT_VERSION} (terraform ${String(data.terraform_version)}, serial ${String(data.serial)}, lineage ${String(data.lineage)})`;
  } else {
    throw new InventoryError(
      `is neither a Terraform state (no "version": ${STATE_FORMAT_VERSION}) nor \`terraform show -json\` output (no "format_version")`,
      file,
    );
  }
  const entries = instances.map(entryOf).filter((e): e is InventoryEntry => e !== undefined);
  const accounts = new Set<string>();
  const regions = new Set<string>();
  for (const e of entries) {
    const { account, region } = placesOf(e);
    if (account) accounts.add(account);
    if (region) regions.add(region);
  }
  return { entries, detail, accounts, regions };
}
