// The inventory: what already exists in a stack's account, read from a Terraform state and/or the
// live account by `npm run inventory`, committed per stack (inventory/<stack>.json) and read by the
// program (to adopt it: the `import` option, `protect`, `retainOnDelete`) and by the offline engine
// (to print Pulumi's step for each resource). This module owns the file's format: tools write it,
// stacks and the engine read it, and none of them restates it. No I/O beyond reading one file.
//
// Security: an inventory holds ids, names, ARNs and configuration attributes, never a secret value
// (an auth token, a password, a secret string): the writers drop them, and `readInventory` refuses
// a file that carries one of the attribute names in SECRET_ATTRIBUTES.

import * as fs from "node:fs";

export const INVENTORY_FORMAT_VERSION = 1;

/** Where a stack's inventory lives, relative to the project root. */
export const inventoryPath = (stack: string): string => `inventory/${stack}.json`;

/**
 * Overrides inventoryPath for one run: the offline engine's `--inventory FILE` sets it for the
 * program it runs, and tests point it at fixtures. Unset, the program reads inventoryPath(stack).
 */
export const INVENTORY_FILE_ENV = "HUNTAZE_INVENTORY_FILE";

/** Where an entry was read from. */
export type InventorySource =
  | { readonly kind: "terraform"; readonly address: string }
  | { readonly kind: "live"; readonly api: string };

export interface InventoryEntry {
  /** The Pulumi type token the program declares for it, e.g. "aws:sqs/queue:Queue". */
  readonly type: string;
  /**
   * The name that identifies it in the account: the value of PHYSICAL_NAME[type] in the program's
   * inputs (a queue's `name`, a bucket's `bucket`, an RDS instance's `identifier`; "cluster/service"
   * for an ECS service). Account singletons (SINGLETON_TYPES) use the account id.
   */
  readonly physicalName: string;
  /** What `pulumi import` and the `import` resource option take for this type (cited per type). */
  readonly importId: string;
  readonly arn?: string;
  readonly source: InventorySource;
  /**
   * The attributes as the program's inputs name them (Pulumi's camelCase property names and shapes),
   * so the engine diffs them against the program's inputs key by key. Only what was read: a key
   * absent here is "not recorded", never "unset".
   */
  readonly attributes: Readonly<Record<string, unknown>>;
  /**
   * The Terraform resource type it was read as (e.g. "aws_sqs_queue"), when it came from a state.
   * For a type the inventory cannot map to a Pulumi type, `type` is this same Terraform type.
   */
  readonly terraformType?: string;
  /**
   * false: the inventory knows no Pulumi type or import id for it, so the program cannot adopt it
   * and the engine lists it as left unmanaged. Absent means adoptable.
   */
  readonly adoptable?: false;
}

export interface Inventory {
  readonly version: typeof INVENTORY_FORMAT_VERSION;
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
  /** When and from what it was read, for the reviewer. */
  readonly sources: readonly {
    readonly kind: "terraform" | "live";
    readonly detail: string;
    readonly readAt: string;
  }[];
  readonly resources: readonly InventoryEntry[];
}

/**
 * The input that carries each type's physical name. Types absent here cannot be matched by name
 * (they are matched as account singletons, or not at all).
 */
export const PHYSICAL_NAME: Readonly<Record<string, string>> = {
  // Types absent here, and entries that are not adoptable, carry their import id as physicalName.
  "aws:sqs/queue:Queue": "name",
  "aws:dynamodb/table:Table": "name",
  "aws:sns/topic:Topic": "name",
  "aws:budgets/budget:Budget": "name",
  "aws:ecs/cluster:Cluster": "name",
  "aws:ecs/service:Service": "name",
  "aws:rds/instance:Instance": "identifier",
  "aws:rds/parameterGroup:ParameterGroup": "name",
  "aws:cloudwatch/logGroup:LogGroup": "name",
  "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
  "aws:elasticache/replicationGroup:ReplicationGroup": "replicationGroupId",
  "aws:s3/bucket:Bucket": "bucket",
  "aws:kms/alias:Alias": "name",
  "aws:cloudtrail/trail:Trail": "name",
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor": "name",
  "aws:securityhub/standardsSubscription:StandardsSubscription": "standardsArn",
};

/**
 * The physical name of an ECS service: the program's `name` input is the service's name alone,
 * but a service name is unique only within its cluster, so the key is `${clusterName}/${serviceName}`
 * with the cluster's NAME (not its ARN, even though the program's `cluster` input is the ARN).
 * This is also the import id Pulumi takes for aws:ecs/service:Service ("cluster-name/service-name").
 */
export const ecsServicePhysicalName = (clusterName: string, serviceName: string): string =>
  `${clusterName}/${serviceName}`;

/** Types of which an account (and region) holds at most one: matched by type alone. */
export const SINGLETON_TYPES: ReadonlySet<string> = new Set([
  "aws:guardduty/detector:Detector",
  "aws:securityhub/account:Account",
  "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
]);

/**
 * Stateful types: adopted with `retainOnDelete` as well as `protect`, so that removing them from the
 * program never deletes data, and a replacement of one is refused unless the stack allows it.
 */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  "aws:dynamodb/table:Table",
  "aws:sqs/queue:Queue",
  "aws:ecs/cluster:Cluster",
  "aws:ecs/service:Service",
  "aws:rds/instance:Instance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:s3/bucket:Bucket",
  "aws:kms/key:Key",
  "aws:cloudtrail/trail:Trail",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:guardduty/detector:Detector",
]);

/** Attribute names that hold secret values: never written to an inventory. */
export const SECRET_ATTRIBUTES: ReadonlySet<string> = new Set([
  "authToken",
  "password",
  "masterPassword",
  "secretString",
  "secretBinary",
]);

export class InventoryError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(file ? `${file}: ${message}` : message, options);
    this.name = "InventoryError";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every problem of a parsed inventory at once, each naming the key, what is allowed and what was given. */
export function inventoryProblems(data: unknown): string[] {
  if (!isObject(data)) return [`the inventory must be a JSON object, got ${JSON.stringify(data)?.slice(0, 40)}`];
  const problems: string[] = [];
  if (data.version !== INVENTORY_FORMAT_VERSION)
    problems.push(`version must be ${INVENTORY_FORMAT_VERSION}, got ${JSON.stringify(data.version)}`);
  if (typeof data.stack !== "string" || data.stack === "")
    problems.push(`stack must be a stack name, got ${JSON.stringify(data.stack)}`);
  if (typeof data.accountId !== "string" || !/^\d{12}$/.test(data.accountId))
    problems.push(`accountId must be 12 digits, got ${JSON.stringify(data.accountId)}`);
  if (typeof data.region !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(data.region))
    problems.push(`region must be an AWS region such as us-east-1, got ${JSON.stringify(data.region)}`);
  if (!Array.isArray(data.sources)) problems.push(`sources must be a list, got ${JSON.stringify(data.sources)}`);
  if (!Array.isArray(data.resources)) {
    problems.push(`resources must be a list, got ${JSON.stringify(data.resources)}`);
    return problems;
  }
  const seen = new Set<string>();
  data.resources.forEach((entry: unknown, i: number) => {
    const at = `resources[${i}]`;
    if (!isObject(entry)) {
      problems.push(`${at} must be an object`);
      return;
    }
    for (const key of ["type", "physicalName", "importId"] as const)
      if (typeof entry[key] !== "string" || entry[key] === "")
        problems.push(`${at}.${key} must be a non-empty string, got ${JSON.stringify(entry[key])}`);
    if (!isObject(entry.source) || (entry.source.kind !== "terraform" && entry.source.kind !== "live"))
      problems.push(`${at}.source.kind must be "terraform" or "live", got ${JSON.stringify(entry.source)}`);
    if (entry.adoptable !== undefined && entry.adoptable !== false)
      problems.push(`${at}.adoptable must be false or absent (adoptable), got ${JSON.stringify(entry.adoptable)}`);
    if (!isObject(entry.attributes)) problems.push(`${at}.attributes must be an object`);
    else
      for (const key of Object.keys(entry.attributes))
        if (SECRET_ATTRIBUTES.has(key))
          problems.push(`${at}.attributes.${key} is a secret and must never be written to an inventory`);
    const id = `${String(entry.type)} ${String(entry.physicalName)}`;
    if (seen.has(id)) problems.push(`${at}: ${id} is listed twice`);
    seen.add(id);
  });
  return problems;
}

/** Reads and checks an inventory file; throws InventoryError listing every problem. */
export function readInventory(file: string): Inventory {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (cause) {
    throw new InventoryError(`cannot be read (${(cause as Error).message})`, file, { cause });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new InventoryError(`is not JSON (truncated?): ${(cause as Error).message}`, file, { cause });
  }
  const problems = inventoryProblems(data);
  if (problems.length > 0) throw new InventoryError(`is not a valid inventory:\n  - ${problems.join("\n  - ")}`, file);
  return data as Inventory;
}

/** The key an entry is found by: type and physical name (account id for singletons). */
export const entryKey = (type: string, physicalName: string): string => `${type}\u0000${physicalName}`;

/** The order entries are written in: by type, then physical name (code-point order, locale-free). */
export function compareEntries(a: InventoryEntry, b: InventoryEntry): number {
  const byType = a.type < b.type ? -1 : a.type > b.type ? 1 : 0;
  if (byType !== 0) return byType;
  return a.physicalName < b.physicalName ? -1 : a.physicalName > b.physicalName ? 1 : 0;
}

/** Entries by entryKey, for lookups from the program's resources. */
export function indexInventory(inventory: Inventory): Map<string, InventoryEntry> {
  return new Map(inventory.resources.map((e) => [entryKey(e.type, e.physicalName), e]));
}

/** An ECS cluster's name from what a service's `cluster` input holds: the cluster's ARN or its name. */
export function ecsClusterName(cluster: string): string {
  // Cluster ARN: arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName} (Service Authorization
  // Reference, "Actions, resources, and condition keys for Amazon ECS", resource type "cluster",
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
  const arn = /^arn:aws[a-z-]*:ecs:[^:]*:\d{12}:cluster\/(.+)$/.exec(cluster);
  return arn ? (arn[1] as string) : cluster;
}

/** The inputs physicalNameOf reads for a type (an ECS service's name is qualified by its cluster). */
export function physicalNameInputs(type: string): string[] {
  const key = PHYSICAL_NAME[type];
  if (key === undefined) return [];
  return type === "aws:ecs/service:Service" ? ["cluster", key] : [key];
}

/**
 * The physical name a resource of `type` claims with these (plain) inputs, as an inventory entry
 * records it; undefined when the type is not matched by name or the name is not a known string (a
 * computed name cannot be matched: that resource is a create). Singletons are the account id.
 */
export function physicalNameOf(
  type: string,
  inputs: Readonly<Record<string, unknown>>,
  accountId: string,
): string | undefined {
  if (SINGLETON_TYPES.has(type)) return accountId;
  const key = PHYSICAL_NAME[type];
  if (key === undefined) return undefined;
  const name = inputs[key];
  if (typeof name !== "string" || name === "") return undefined;
  if (type !== "aws:ecs/service:Service") return name;
  const cluster = inputs.cluster;
  return typeof cluster === "string" && cluster !== ""
    ? ecsServicePhysicalName(ecsClusterName(cluster), name)
    : undefined;
}

/** The inventory entry a resource of `type` with these inputs would adopt, if any. */
export function entryFor(
  index: ReadonlyMap<string, InventoryEntry>,
  type: string,
  inputs: Readonly<Record<string, unknown>>,
  accountId: string,
): InventoryEntry | undefined {
  const name = physicalNameOf(type, inputs, accountId);
  return name === undefined ? undefined : index.get(entryKey(type, name));
}

/**
 * The stack config key (in the program's `huntaze` namespace) naming adopted stateful resources the
 * stack may replace: `{ allowReplace: [<URN> | "<type token> <physical name>"] }`. The program
 * validates it with the rest of its config; the engine reads it.
 */
export const ADOPTION_CONFIG_KEY = "adoption";

/** One allowReplace entry: a URN, or a type token, one space and a physical name. */
export const ALLOW_REPLACE_PATTERN =
  /^(urn:pulumi:[^\s]+::[^\s]+::[^\s]+::[^\s]+|[a-z0-9-]+:[A-Za-z0-9/]+:[A-Za-z0-9]+ \S+)$/;

/** The allowReplace list of a parsed `adoption` value, or the problems that make it unusable. */
export function allowReplaceOf(value: unknown, key: string): { allowReplace: string[]; problems: string[] } {
  if (value === undefined) return { allowReplace: [], problems: [] };
  if (!isObject(value))
    return { allowReplace: [], problems: [`${key} must be an object, got ${JSON.stringify(value)}`] };
  const problems = Object.keys(value)
    .filter((k) => k !== "allowReplace")
    .map((k) => `${key}.${k} is not a setting (allowed: allowReplace)`);
  const list = value.allowReplace ?? [];
  if (!Array.isArray(list)) return { allowReplace: [], problems: [...problems, `${key}.allowReplace must be a list`] };
  list.forEach((item: unknown, i: number) => {
    if (typeof item !== "string" || !ALLOW_REPLACE_PATTERN.test(item))
      problems.push(
        `${key}.allowReplace[${i}] must be a URN or "<type token> <physical name>", got ${JSON.stringify(item)}`,
      );
  });
  return { allowReplace: list.filter((i): i is string => typeof i === "string"), problems };
}
