import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { entryKey, type InventoryEntry } from "../../lib/inventory";
import { BUDGET_OUTPUTS } from "../../lib/stack-contract";
import { UsageError } from "./cli";
import type { RecordedResource } from "./recorder";
import type { PlainObject, PlainValue } from "./secrets";
import { repoRoot } from "./stack-file";

// Monthly cost of a previewed stack, from a price table kept in the repository
// (prices/<region>.json: on-demand list prices, dated, each with its source) and the quantity rules
// the cost tools of this field use (Infracost: 730 hours a month; fixed quantities from the
// resource's inputs, usage-based ones from a per-stack usage profile keyed stack-wide, per component
// and per resource, with documented defaults). Every quantity says where it came from (profile,
// default, derived); a quantity with neither a profile value nor a default "depends on usage" and
// is named, never a silent $0. A resource no rule can price is named as unpriced; a resource AWS
// does not charge for is listed as free with the reason. The account-wide "always free" tiers are
// credited once, on their own line.

export const HOURS_PER_MONTH = 730;

export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
  readonly checkedAgainst?: string;
}

export interface PriceTable {
  readonly region: string;
  readonly currency: string;
  readonly transcribed: string;
  readonly hoursPerMonth: number;
  readonly prices: Readonly<Record<string, Price>>;
}

/**
 * A bad usage profile, budget or region: reported as the user's to fix, without a stack trace. (Not
 * "CostInputError": that is the cost-monitoring Lambda's own, unrelated error, lambdas/cost-monitoring/core.ts.)
 */
export class CostUsageError extends UsageError {}

export function loadPriceTable(region: string, dir = path.join(__dirname, "prices")): PriceTable {
  const file = path.join(dir, `${region}.json`);
  if (!fs.existsSync(file)) {
    const known = fs.readdirSync(dir).map((f) => f.replace(/\.json$/, ""));
    throw new CostUsageError(`no price table for region ${region} (have: ${known.join(", ")}); add ${file}`);
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as PriceTable;
}

/**
 * What the usage profile may set, with the default used when it does not (`null`: no default, the
 * cost "depends on usage" until the profile sets it). Monthly quantities, per resource of the group
 * (per function, per queue, per log group...). The profile sets them stack-wide, per component
 * (`components.<component>`) or per resource (`resources.<logical name>`); the most specific wins,
 * as Infracost's usage file keys them by address.
 */
export const USAGE_DEFAULTS = {
  lambda: {
    requestsPerMonth: 1_000_000,
    averageDurationMs: 200,
    /** @default - derived from requests by X-Ray's default sampling rule when tracing is Active */
    xrayTracesPerMonth: null,
    /** Distinct custom metrics (name × dimensions) the function publishes (EMF or PutMetricData). */
    customMetrics: null,
  },
  sqs: { requestsPerMonth: 1_000_000 },
  sns: { publishesPerMonth: 10_000, emailNotificationsPerMonth: 1_000 },
  cloudwatchLogs: { ingestedGbPerMonth: 1, storedGb: 1 },
  /** A backup's size per shard (node group); ElastiCache keeps one day of backups free. */
  elasticache: { snapshotGbPerShard: 1 },
  kms: { requestsPerKeyPerMonth: 10_000 },
  secretsManager: { apiCallsPerSecretPerMonth: 10_000 },
  s3: { storedGbPerBucket: 10, putRequestsPerMonth: 100_000 },
  dynamodb: { writeRequestsPerTablePerMonth: 1_000_000, readRequestsPerTablePerMonth: 1_000_000, storedGbPerTable: 1 },
  cloudtrail: { dataEventsPerMonth: 0 },
  guardduty: {
    managementEventsPerMonth: 1_000_000,
    flowDnsGbPerMonth: 5,
    s3EventsPerMonth: 1_000_000,
    /** VPC flow logs of Lambda functions analysed by Lambda Protection (LAMBDA_NETWORK_LOGS). */
    lambdaNetworkGbPerMonth: null,
    /** @default - derived from the stack's Fargate services (vCPU × tasks) when ECS runtime monitoring is on */
    fargateVcpus: null,
  },
  /** Findings ingested from integrations (GuardDuty, Inspector...); findings of Security Hub's own checks are free. */
  securityHub: { checksPerMonth: 10_000, findingsPerMonth: 1_000 },
  /** Configuration items AWS Config records in a month (one per recorded resource change). */
  config: { configurationItemsPerMonth: 5_000 },
  /** Task size of an ECS service whose task definition is neither in the stack nor in the inventory. */
  fargate: { vcpuPerTask: null, memoryGbPerTask: null },
  containerInsights: {
    /** @default - derived from the cluster's services (standard mode: custom metrics) */
    metricsPerCluster: null,
    /** @default - derived from the cluster's services and tasks (enhanced mode) */
    observationsPerClusterPerMonth: null,
  },
  /** RDS storage of an instance whose inputs and inventory entry carry no allocatedStorage. */
  rds: { allocatedStorageGb: 20 },
} as const satisfies Record<string, Record<string, number | null>>;

type Group = keyof typeof USAGE_DEFAULTS;
type UsageGroups = { [G in Group]?: { [K in keyof (typeof USAGE_DEFAULTS)[G]]?: number } };
export type UsageProfile = UsageGroups & {
  readonly components?: Record<string, UsageGroups>;
  readonly resources?: Record<string, UsageGroups>;
};

/** Validates a parsed usage profile; every problem is reported at once, naming the key. */
export function parseUsageProfile(raw: unknown, where: string): UsageProfile {
  const problems: string[] = [];
  const checkGroups = (value: unknown, prefix: string, allowResources: boolean) => {
    if (value === null || value === undefined) return;
    if (typeof value !== "object" || Array.isArray(value)) {
      problems.push(`${prefix || "the profile"} must be a mapping, got ${JSON.stringify(value)}`);
      return;
    }
    for (const [group, keys] of Object.entries(value as Record<string, unknown>)) {
      if ((group === "resources" || group === "components") && allowResources) {
        const what = group === "resources" ? "logical names" : "component names";
        if (typeof keys !== "object" || keys === null || Array.isArray(keys))
          problems.push(`${group} must be a mapping of ${what}, got ${JSON.stringify(keys)}`);
        else for (const [name, groups] of Object.entries(keys)) checkGroups(groups, `${group}.${name}.`, false);
        continue;
      }
      const known = USAGE_DEFAULTS[group as Group] as Record<string, number | null> | undefined;
      if (!known) {
        problems.push(
          `${prefix}${group}: not a usage group (groups: ${Object.keys(USAGE_DEFAULTS).join(", ")}${allowResources ? ", components, resources" : ""})`,
        );
        continue;
      }
      if (typeof keys !== "object" || keys === null || Array.isArray(keys)) {
        problems.push(`${prefix}${group} must be a mapping, got ${JSON.stringify(keys)}`);
        continue;
      }
      for (const [key, v] of Object.entries(keys)) {
        if (!(key in known))
          problems.push(`${prefix}${group}.${key}: not a setting (settings: ${Object.keys(known).join(", ")})`);
        else if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
          problems.push(`${prefix}${group}.${key} must be a number ≥ 0, got ${JSON.stringify(v)}`);
      }
    }
  };
  checkGroups(raw, "", true);
  if (problems.length > 0)
    throw new CostUsageError(`invalid usage profile ${where}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return (raw ?? {}) as UsageProfile;
}

/** Where a stack's usage profile lives, relative to the project root. */
export const usageProfilePath = (stack: string): string => `usage/${stack}.yaml`;

/** usage/<stack>.yaml when it exists, else the defaults alone. */
export function loadUsageProfile(stack: string, dir = path.join(repoRoot, "usage")): UsageProfile {
  const file = path.join(dir, `${stack}.yaml`);
  if (!fs.existsSync(file)) return {};
  return parseUsageProfile(yaml.load(fs.readFileSync(file, "utf8")), path.relative(process.cwd(), file) || file);
}

export type Basis = "fixed" | "usage";

/**
 * Where a quantity comes from: the usage profile (`profile`), a documented default no profile
 * overrode (`default`), or the resource's inputs, its inventory entry or other resources of the
 * stack (`derived`). Printed beside every quantity, so a default never reads as a fact.
 */
export type QuantitySource = "profile" | "default" | "derived";

export interface CostItem {
  readonly description: string;
  readonly basis: Basis;
  /** How many of `unit` a month (e.g. 4 of "1M requests"); 0 when it depends on usage. */
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  readonly monthlyUsd: number;
  readonly priceKey: string;
  readonly source: QuantitySource;
  /** The usage setting(s) the quantity was read from or waits for ("sqs.requestsPerMonth"). */
  readonly usageKeys?: string[];
  /** No profile sets the quantity and it has no default: not in the total, named instead. */
  readonly dependsOnUsage?: boolean;
}

export type LineStatus = "priced" | "free" | "unpriced";

export interface CostLine {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The owning component's name, or "(stack)" for top-level resources. */
  readonly component: string;
  readonly status: LineStatus;
  readonly monthlyUsd: number;
  readonly fixedUsd: number;
  readonly usageUsd: number;
  readonly items: CostItem[];
  /** Why the line is free or unpriced. */
  readonly note?: string;
}

export interface ComponentTotal {
  readonly component: string;
  readonly monthlyUsd: number;
  readonly fixedUsd: number;
  readonly usageUsd: number;
  readonly unpriced: number;
  /** Items whose cost depends on a usage setting nobody set. */
  readonly dependsOnUsage: number;
}

export interface CostEstimate {
  readonly region: string;
  readonly pricesTranscribed: string;
  readonly monthlyUsd: number;
  readonly fixedUsd: number;
  readonly usageUsd: number;
  /** The account-wide free tiers credited (≤ 0), already in monthlyUsd and usageUsd. */
  readonly freeTierUsd: number;
  readonly budgetUsd: number | null;
  /** The usage profile read (a path relative to the project), or null when none exists. */
  readonly usageFile: string | null;
  /** Lines sorted by component, then name: the priced ones, the unpriced ones, the free-tier credit. */
  readonly lines: CostLine[];
  /** Sorted by component name. */
  readonly components: ComponentTotal[];
  readonly unpriced: { type: string; name: string; reason: string }[];
  readonly free: { type: string; count: number; reason: string }[];
  /** Quantities by where they came from (free-tier credits excluded). */
  readonly quantities: Record<QuantitySource, number>;
  /** Resources whose cost depends on a usage setting nobody set, with the settings named. */
  readonly dependsOnUsage: { component: string; name: string; usageKeys: string[] }[];
}

/** AWS does not bill these resources themselves; what they configure is billed on its owner. */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  "aws:iam/role:Role": "IAM is free",
  "aws:iam/rolePolicy:RolePolicy": "IAM is free",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "IAM is free",
  "aws:iam/policy:Policy": "IAM is free",
  "aws:ec2/securityGroup:SecurityGroup": "security groups are free",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "security groups are free",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "security groups are free",
  "aws:ec2/securityGroupRule:SecurityGroupRule": "security groups are free",
  "aws:elasticache/subnetGroup:SubnetGroup": "configuration of the replication group",
  "aws:elasticache/parameterGroup:ParameterGroup": "configuration of the replication group",
  "aws:s3/bucketPolicy:BucketPolicy": "configuration of the bucket",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "configuration of the bucket",
  "aws:s3/bucketVersioning:BucketVersioning": "configuration of the bucket (noncurrent versions are storage)",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
    "configuration of the bucket (KMS requests are on the key)",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "configuration of the bucket",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "configuration of the bucket",
  "aws:s3/bucketLogging:BucketLogging": "configuration of the bucket (log objects are storage of the target)",
  "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": "account setting",
  "aws:sns/topicPolicy:TopicPolicy": "configuration of the topic",
  "aws:sns/topicSubscription:TopicSubscription": "deliveries are billed on the topic",
  "aws:sqs/queuePolicy:QueuePolicy": "configuration of the queue",
  "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "configuration of the queue",
  "aws:kms/alias:Alias": "aliases are free",
  "aws:secretsmanager/secretVersion:SecretVersion": "billed per secret, not per version",
  "aws:lambda/eventSourceMapping:EventSourceMapping": "polling requests are billed on the queue",
  "aws:lambda/permission:Permission": "configuration of the function",
  "aws:cloudwatch/eventRule:EventRule": "AWS service events on the default bus are free",
  "aws:cloudwatch/eventTarget:EventTarget": "AWS service events on the default bus are free",
  "aws:route53/record:Record":
    "records are free (the hosted zone and queries are billed on the zone, outside this stack)",
  // AWS Budgets pricing (https://aws.amazon.com/aws-cost-management/aws-budgets/pricing/): budgets
  // that only notify cost nothing; only action-enabled budgets are billed, after the first two.
  "aws:budgets/budget:Budget": "budgets without actions are free",
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor": "Cost Anomaly Detection is free",
  "aws:costexplorer/anomalySubscription:AnomalySubscription": "Cost Anomaly Detection is free",
  "aws:securityhub/standardsSubscription:StandardsSubscription": "checks are billed on the Security Hub account",
  "aws:ecs/taskDefinition:TaskDefinition": "billed on the service that runs it",
  "aws:guardduty/detectorFeature:DetectorFeature": "the protection plan it enables is billed on the detector",
  "aws:cfg/deliveryChannel:DeliveryChannel":
    "configuration of the recorder (the bucket's storage is billed on the bucket)",
  "aws:cfg/recorderStatus:RecorderStatus": "configuration of the recorder",
  "aws:rds/parameterGroup:ParameterGroup": "configuration of the instance",
  "aws:rds/subnetGroup:SubnetGroup": "configuration of the instance",
  "aws:appautoscaling/target:Target": "Application Auto Scaling is free",
  "aws:appautoscaling/policy:Policy": "Application Auto Scaling is free",
  "aws:ec2/vpcEndpoint:VpcEndpoint#Gateway": "gateway endpoints are free",
  "random:index/randomPassword:RandomPassword": "not an AWS resource",
  "random:index/randomId:RandomId": "not an AWS resource",
};

/** A monthly quantity and where it came from; `value` undefined: it depends on an unset usage setting. */
export interface Quantity {
  readonly value?: number;
  readonly source: QuantitySource;
  /** Usage settings read (set or defaulted). */
  readonly usageKeys: readonly string[];
  /** Usage settings it waits for (unset, no default). */
  readonly missing: readonly string[];
}

const SOURCE_RANK: Record<QuantitySource, number> = { derived: 0, profile: 1, default: 2 };

/** A quantity computed from others: unknown if any is, as weak as its weakest source. */
export function combine(qs: readonly Quantity[], f: (...v: number[]) => number): Quantity {
  const known = qs.every((q) => q.value !== undefined);
  const source = qs.reduce<QuantitySource>(
    (s, q) => (SOURCE_RANK[q.source] > SOURCE_RANK[s] ? q.source : s),
    "derived",
  );
  return {
    ...(known ? { value: f(...qs.map((q) => q.value as number)) } : {}),
    source,
    usageKeys: [...new Set(qs.flatMap((q) => q.usageKeys))],
    missing: [...new Set(qs.flatMap((q) => q.missing))],
  };
}

export const derived = (value: number): Quantity => ({ value, source: "derived", usageKeys: [], missing: [] });

interface RuleContext {
  readonly prices: PriceTable;
  usage<G extends Group>(group: G, key: keyof (typeof USAGE_DEFAULTS)[G] & string): Quantity;
  price(key: string): Price;
  item(description: string, basis: Basis, quantity: Quantity | number, priceKey: string, perUnits?: number): CostItem;
  readonly byUrn: ReadonlyMap<string, RecordedResource>;
  readonly resources: readonly RecordedResource[];
  readonly inventory?: ReadonlyMap<string, InventoryEntry>;
  /** The usage of another resource of the stack (a service's task size for the GuardDuty detector). */
  usageOf(r: RecordedResource): RuleContext["usage"];
}

class Unpriced extends Error {}
/** Thrown by a rule when this resource, as configured, costs nothing (listed as free with the reason). */
class Free extends Error {}

type Rule = (r: RecordedResource, ctx: RuleContext) => CostItem[];

function num(v: PlainValue | undefined | unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function obj(v: PlainValue | undefined): PlainObject | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as PlainObject) : undefined;
}

/** Minutes in the 730-hour month: CloudWatch metrics are reported once a minute. */
const MINUTES_PER_MONTH = HOURS_PER_MONTH * 60;
/** Seconds in the 730-hour month (X-Ray's reservoir is one request a second). */
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/**
 * Metrics Container Insights publishes for Amazon ECS, per entity with running tasks (none for a
 * cluster or service without RUNNING tasks). Counts from the metric tables of "Amazon ECS Container
 * Insights metrics" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html):
 * 16 with the ClusterName dimension; per service 13 with ClusterName+ServiceName and 8 with its
 * TaskDefinitionFamily; enhanced observability adds task- and container-level metrics. Approximate:
 * the profile's containerInsights.metricsPerCluster / observationsPerClusterPerMonth override them.
 * "Amazon ECS CloudWatch metrics" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html):
 * "If a cluster, service, or other resource has no running tasks, no metrics will be reported".
 */
export const CONTAINER_INSIGHTS_METRICS = { perCluster: 16, perService: 13 + 8, perTask: 10, perContainer: 8 } as const;

/**
 * X-Ray's default sampling rule records "the first request each second, and five percent of any
 * additional requests" (AWS X-Ray Developer Guide, "Configuring sampling rules",
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-console-sampling.html); traffic taken as uniform.
 */
export function xrayTracesOf(requests: number): number {
  return Math.min(requests, SECONDS_PER_MONTH) + 0.05 * Math.max(0, requests - SECONDS_PER_MONTH);
}

/** An RDS instance's storage (GB) from its inventory entry (`attributes.allocatedStorage`), if recorded. */
export function rdsStorageFromInventory(entry: InventoryEntry | undefined): number | undefined {
  return num(entry?.attributes.allocatedStorage);
}

/** A task definition's size (vCPU, GB) from its inventory entry (`attributes.cpu`/`memory` in ECS units). */
export function taskSizeFromInventory(
  entry: InventoryEntry | undefined,
): { vcpu: number; memoryGb: number } | undefined {
  const cpu = num(entry?.attributes.cpu);
  const memory = num(entry?.attributes.memory);
  return cpu === undefined || memory === undefined ? undefined : { vcpu: cpu / 1024, memoryGb: memory / 1024 };
}

const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

/** A Fargate service's task size: its task definition in the stack, else in the inventory, else the profile. */
function taskSize(r: RecordedResource, ctx: RuleContext): { vcpu: Quantity; memoryGb: Quantity; from: string } {
  const td = (r.propertyDependencies.taskDefinition ?? []).map((u) => ctx.byUrn.get(u)).find((x) => x !== undefined);
  const cpu = num(td?.inputs.cpu);
  const memory = num(td?.inputs.memory);
  if (cpu !== undefined && memory !== undefined)
    return { vcpu: derived(cpu / 1024), memoryGb: derived(memory / 1024), from: "its task definition" };
  const family = typeof r.inputs.taskDefinition === "string" ? r.inputs.taskDefinition.split(":")[0] : undefined;
  const fromInventory = family
    ? taskSizeFromInventory(ctx.inventory?.get(entryKey(TASK_DEFINITION, family)))
    : undefined;
  if (fromInventory)
    return {
      vcpu: derived(fromInventory.vcpu),
      memoryGb: derived(fromInventory.memoryGb),
      from: `task definition ${family} in the inventory`,
    };
  const usage = ctx.usageOf(r);
  return {
    vcpu: usage("fargate", "vcpuPerTask"),
    memoryGb: usage("fargate", "memoryGbPerTask"),
    from: "usage profile",
  };
}

function isFargate(r: RecordedResource): boolean {
  const launch = r.inputs.launchType ?? (Array.isArray(r.inputs.capacityProviderStrategies) ? "FARGATE" : undefined);
  return launch === "FARGATE";
}

const fmt = (q: Quantity, unit = "") => (q.value === undefined ? "?" : `${round(q.value)}${unit}`);

/** Quantity rules per resource type. Units divide: a price "per 1M requests" takes requests / 1e6. */
export const RULES: Readonly<Record<string, Rule>> = {
  "aws:elasticache/replicationGroup:ReplicationGroup": (r, ctx) => {
    const nodeType = String(r.inputs.nodeType ?? "");
    const shards = num(r.inputs.numNodeGroups) ?? 1;
    const nodes = num(r.inputs.numCacheClusters) ?? shards * ((num(r.inputs.replicasPerNodeGroup) ?? 0) + 1);
    const items = [
      ctx.item(
        `${nodes} × ${nodeType} node`,
        "fixed",
        nodes * ctx.prices.hoursPerMonth,
        `elasticache.node.${nodeType}`,
      ),
    ];
    // One day of backups per shard is free; each further retained day is another snapshot.
    const retention = num(r.inputs.snapshotRetentionLimit) ?? 0;
    if (retention > 1) {
      const gb = combine([ctx.usage("elasticache", "snapshotGbPerShard")], (v) => shards * (retention - 1) * v);
      items.push(
        ctx.item(`backups beyond one day (${retention} days × ${shards} shard)`, "usage", gb, "elasticache.backup"),
      );
    }
    return items;
  },
  "aws:elasticache/cluster:Cluster": (r, ctx) => {
    const nodeType = String(r.inputs.nodeType ?? "");
    const nodes = num(r.inputs.numCacheNodes) ?? 1;
    return [
      ctx.item(
        `${nodes} × ${nodeType} node`,
        "fixed",
        nodes * ctx.prices.hoursPerMonth,
        `elasticache.node.${nodeType}`,
      ),
    ];
  },
  "aws:kms/key:Key": (_r, ctx) => [
    ctx.item("customer managed key", "fixed", 1, "kms.key"),
    ctx.item("requests", "usage", ctx.usage("kms", "requestsPerKeyPerMonth"), "kms.requests", 10_000),
  ],
  "aws:secretsmanager/secret:Secret": (_r, ctx) => [
    ctx.item("secret", "fixed", 1, "secretsmanager.secret"),
    ctx.item(
      "API calls",
      "usage",
      ctx.usage("secretsManager", "apiCallsPerSecretPerMonth"),
      "secretsmanager.requests",
      10_000,
    ),
  ],
  "aws:cloudwatch/metricAlarm:MetricAlarm": (r, ctx) => {
    const queries = Array.isArray(r.inputs.metricQueries) ? r.inputs.metricQueries : [];
    const metrics = queries.length > 0 ? queries.filter((q) => obj(obj(q)?.metric) !== undefined).length : 1;
    const highResolution = (num(r.inputs.period) ?? 60) < 60;
    const key = highResolution ? "cloudwatch.alarm.high" : "cloudwatch.alarm.standard";
    return [ctx.item(`alarm on ${metrics} metric${metrics > 1 ? "s" : ""}`, "fixed", metrics, key)];
  },
  "aws:cloudwatch/logGroup:LogGroup": (_r, ctx) => [
    ctx.item("ingestion", "usage", ctx.usage("cloudwatchLogs", "ingestedGbPerMonth"), "cloudwatch.logs.ingest"),
    ctx.item("storage", "usage", ctx.usage("cloudwatchLogs", "storedGb"), "cloudwatch.logs.storage"),
  ],
  "aws:lambda/function:Function": (r, ctx) => {
    const requests = ctx.usage("lambda", "requestsPerMonth");
    const memoryGb = (num(r.inputs.memorySize) ?? 128) / 1024;
    const arch = Array.isArray(r.inputs.architectures) && r.inputs.architectures[0] === "arm64" ? "arm64" : "x86_64";
    const gbSeconds = combine(
      [requests, ctx.usage("lambda", "averageDurationMs")],
      (n, ms) => n * (ms / 1000) * memoryGb,
    );
    const items = [
      ctx.item("requests", "usage", requests, "lambda.requests", 1e6),
      ctx.item(`duration (${arch}, ${memoryGb * 1024} MB)`, "usage", gbSeconds, `lambda.duration.${arch}`),
    ];
    // Active tracing records a trace per sampled request (billed by X-Ray); PassThrough records none itself.
    if (obj(r.inputs.tracingConfig)?.mode === "Active") {
      const set = ctx.usage("lambda", "xrayTracesPerMonth");
      const traces = set.value !== undefined ? set : combine([requests], xrayTracesOf);
      items.push(ctx.item("X-Ray traces (default sampling: 1/s + 5 %)", "usage", traces, "xray.traces", 1e6));
    }
    items.push(ctx.item("custom metrics", "usage", ctx.usage("lambda", "customMetrics"), "cloudwatch.metrics.custom"));
    return items;
  },
  "aws:sqs/queue:Queue": (r, ctx) => {
    const fifo = r.inputs.fifoQueue === true ? "fifo" : "standard";
    return [ctx.item(`${fifo} requests`, "usage", ctx.usage("sqs", "requestsPerMonth"), `sqs.requests.${fifo}`, 1e6)];
  },
  "aws:sns/topic:Topic": (_r, ctx) => [
    ctx.item("publishes", "usage", ctx.usage("sns", "publishesPerMonth"), "sns.publishes", 1e6),
    ctx.item("email deliveries", "usage", ctx.usage("sns", "emailNotificationsPerMonth"), "sns.email", 100_000),
  ],
  "aws:s3/bucket:Bucket": (_r, ctx) => [
    ctx.item("Standard storage", "usage", ctx.usage("s3", "storedGbPerBucket"), "s3.standard.storage"),
    ctx.item("PUT/LIST requests", "usage", ctx.usage("s3", "putRequestsPerMonth"), "s3.put", 1_000),
  ],
  "aws:dynamodb/table:Table": (r, ctx) => {
    if (r.inputs.billingMode !== "PAY_PER_REQUEST")
      throw new Unpriced(
        `provisioned capacity (billingMode ${JSON.stringify(r.inputs.billingMode ?? "PROVISIONED")}) is not in the price table`,
      );
    const stored = ctx.usage("dynamodb", "storedGbPerTable");
    const items = [
      ctx.item(
        "on-demand writes",
        "usage",
        ctx.usage("dynamodb", "writeRequestsPerTablePerMonth"),
        "dynamodb.ondemand.write",
        1e6,
      ),
      ctx.item(
        "on-demand reads",
        "usage",
        ctx.usage("dynamodb", "readRequestsPerTablePerMonth"),
        "dynamodb.ondemand.read",
        1e6,
      ),
      ctx.item("storage", "usage", stored, "dynamodb.storage"),
    ];
    if (obj(r.inputs.pointInTimeRecovery)?.enabled === true)
      items.push(ctx.item("point-in-time recovery", "usage", stored, "dynamodb.pitr"));
    return items;
  },
  "aws:cloudtrail/trail:Trail": (_r, ctx) => [
    // The first copy of management events in a region is free; this is that trail.
    ctx.item("data events", "usage", ctx.usage("cloudtrail", "dataEventsPerMonth"), "cloudtrail.data", 100_000),
  ],
  "aws:guardduty/detector:Detector": (r, ctx) => {
    // Protection plans are the detector's features (aws:guardduty/detectorFeature), each billed on
    // its own line of https://aws.amazon.com/guardduty/pricing/. Feature names and the Fargate agent
    // setting: GuardDuty API Reference, DetectorFeatureConfiguration / DetectorAdditionalConfiguration.
    const features = ctx.resources.filter(
      (f) =>
        f.type === "aws:guardduty/detectorFeature:DetectorFeature" &&
        ((f.propertyDependencies.detectorId ?? []).includes(r.urn) || f.propertyDependencies.detectorId === undefined),
    );
    const feature = (name: string) => features.find((f) => f.inputs.name === name);
    const enabled = (name: string) => feature(name)?.inputs.status === "ENABLED";
    const items = [
      ctx.item(
        "CloudTrail event analysis",
        "usage",
        ctx.usage("guardduty", "managementEventsPerMonth"),
        "guardduty.cloudtrail",
        1e6,
      ),
      ctx.item(
        "VPC flow and DNS log analysis",
        "usage",
        ctx.usage("guardduty", "flowDnsGbPerMonth"),
        "guardduty.flowdns",
      ),
    ];
    // S3 Protection is on for a new detector unless its feature says DISABLED.
    if (feature("S3_DATA_EVENTS") === undefined || enabled("S3_DATA_EVENTS"))
      items.push(
        ctx.item("S3 data event analysis", "usage", ctx.usage("guardduty", "s3EventsPerMonth"), "guardduty.s3", 1e6),
      );
    if (enabled("LAMBDA_NETWORK_LOGS"))
      items.push(
        ctx.item(
          "Lambda Protection (Lambda network activity)",
          "usage",
          ctx.usage("guardduty", "lambdaNetworkGbPerMonth"),
          "guardduty.lambda",
        ),
      );
    const runtime = feature("RUNTIME_MONITORING");
    const fargateAgent =
      Array.isArray(runtime?.inputs.additionalConfigurations) &&
      runtime.inputs.additionalConfigurations.some(
        (c) => obj(c)?.name === "ECS_FARGATE_AGENT_MANAGEMENT" && obj(c)?.status === "ENABLED",
      );
    if (enabled("RUNTIME_MONITORING") && fargateAgent) {
      const set = ctx.usage("guardduty", "fargateVcpus");
      const services = ctx.resources.filter((s) => s.type === "aws:ecs/service:Service" && isFargate(s));
      const vcpus =
        set.value !== undefined
          ? set
          : combine(
              services.map((s) => combine([taskSize(s, ctx).vcpu], (v) => v * (num(s.inputs.desiredCount) ?? 1))),
              (...v) => v.reduce((a, b) => a + b, 0),
            );
      items.push(
        ctx.item(
          `Runtime Monitoring, ECS on Fargate (${services.length} service${services.length === 1 ? "" : "s"})`,
          "usage",
          vcpus.missing.length > 0 ? { ...vcpus, missing: ["guardduty.fargateVcpus", ...vcpus.missing] } : vcpus,
          "guardduty.runtime.fargate",
        ),
      );
    }
    return items;
  },
  "aws:securityhub/account:Account": (_r, ctx) => [
    ctx.item("security checks", "usage", ctx.usage("securityHub", "checksPerMonth"), "securityhub.checks"),
    ctx.item(
      "finding ingestion from integrations (its own checks' findings are free)",
      "usage",
      ctx.usage("securityHub", "findingsPerMonth"),
      "securityhub.findings",
    ),
  ],
  "aws:cfg/recorder:Recorder": (_r, ctx) => [
    ctx.item(
      "configuration items recorded",
      "usage",
      ctx.usage("config", "configurationItemsPerMonth"),
      "config.configurationItem",
    ),
  ],
  "aws:ecs/cluster:Cluster": (r, ctx) => {
    // The cluster setting containerInsights: "enhanced" | "enabled" | "disabled" (ECS API Reference,
    // ClusterSetting). Standard Container Insights metrics are billed as custom metrics; enhanced
    // observability by observations (https://aws.amazon.com/cloudwatch/pricing/).
    const settings = Array.isArray(r.inputs.settings) ? r.inputs.settings : [];
    const mode = obj(settings.find((s) => obj(s)?.name === "containerInsights"))?.value;
    if (mode !== "enhanced" && mode !== "enabled")
      throw new Free("clusters are free with Container Insights off (tasks are billed on services)");
    const services = ctx.resources.filter(
      (s) => s.type === "aws:ecs/service:Service" && (s.propertyDependencies.cluster ?? []).includes(r.urn),
    );
    const running = services.filter((s) => (num(s.inputs.desiredCount) ?? 1) > 0);
    const tasks = running.reduce((n, s) => n + (num(s.inputs.desiredCount) ?? 1), 0);
    const m = CONTAINER_INSIGHTS_METRICS;
    const metrics = tasks === 0 ? 0 : m.perCluster + running.length * m.perService;
    const who = `${running.length} service${running.length === 1 ? "" : "s"}, ${tasks} task${tasks === 1 ? "" : "s"}`;
    if (mode === "enabled") {
      const set = ctx.usage("containerInsights", "metricsPerCluster");
      return [
        ctx.item(
          `Container Insights (standard): metrics (${who})`,
          "usage",
          set.value !== undefined ? set : derived(metrics),
          "cloudwatch.metrics.custom",
        ),
      ];
    }
    const set = ctx.usage("containerInsights", "observationsPerClusterPerMonth");
    const observations = (metrics + tasks * (m.perTask + m.perContainer)) * MINUTES_PER_MONTH;
    return [
      ctx.item(
        `Container Insights (enhanced): observations (${who})`,
        "usage",
        set.value !== undefined ? set : derived(observations),
        "cloudwatch.containerInsights.enhanced",
        1e6,
      ),
    ];
  },
  "aws:ecs/service:Service": (r, ctx) => {
    if (!isFargate(r)) {
      const launch = r.inputs.launchType ?? "EC2";
      throw new Unpriced(`launch type ${JSON.stringify(launch)}: only Fargate is priced`);
    }
    const size = taskSize(r, ctx);
    const tasks = num(r.inputs.desiredCount) ?? 1;
    const hours = tasks * ctx.prices.hoursPerMonth;
    return [
      ctx.item(
        `${tasks} task × ${fmt(size.vcpu)} vCPU (${size.from})`,
        "fixed",
        combine([size.vcpu], (v) => hours * v),
        "ecs.fargate.vcpu",
      ),
      ctx.item(
        `${tasks} task × ${fmt(size.memoryGb)} GB (${size.from})`,
        "fixed",
        combine([size.memoryGb], (v) => hours * v),
        "ecs.fargate.memory",
      ),
    ];
  },
  "aws:rds/instance:Instance": (r, ctx) => {
    const cls = String(r.inputs.instanceClass ?? "");
    const copies = r.inputs.multiAz === true ? 2 : 1;
    const entry =
      typeof r.inputs.identifier === "string"
        ? ctx.inventory?.get(entryKey("aws:rds/instance:Instance", r.inputs.identifier))
        : undefined;
    const storageType = String(r.inputs.storageType ?? entry?.attributes.storageType ?? "gp2");
    const inInputs = num(r.inputs.allocatedStorage);
    const inInventory = rdsStorageFromInventory(entry);
    // Infracost prices an RDS instance without allocated_storage at its 20 GB default; so do we, marked.
    const gb =
      inInputs !== undefined
        ? derived(inInputs)
        : inInventory !== undefined
          ? derived(inInventory)
          : ctx.usage("rds", "allocatedStorageGb");
    const from = inInputs !== undefined ? "" : inInventory !== undefined ? " (from the inventory)" : "";
    return [
      ctx.item(
        `${cls}${copies > 1 ? " Multi-AZ" : ""}`,
        "fixed",
        copies * ctx.prices.hoursPerMonth,
        `rds.instance.${cls}`,
      ),
      ctx.item(
        `${fmt(gb, " GB")} ${storageType}${from}`,
        "fixed",
        combine([gb], (v) => copies * v),
        `rds.storage.${storageType}`,
      ),
    ];
  },
};

function round(usd: number): number {
  return Math.round(usd * 1e4) / 1e4;
}

export interface EstimateOptions {
  readonly prices: PriceTable;
  readonly usage?: UsageProfile;
  readonly budgetUsd?: number | null;
  /** The usage profile's path, printed with the estimate. */
  readonly usageFile?: string | null;
  /** The stack's inventory (indexInventory), for what adopted resources carry outside the program. */
  readonly inventory?: ReadonlyMap<string, InventoryEntry>;
}

/** The component owning a resource: its nearest component ancestor, or "(stack)". */
function componentOf(r: RecordedResource, byUrn: ReadonlyMap<string, RecordedResource>): string {
  let p = r.parent;
  while (p) {
    const parent = byUrn.get(p);
    if (!parent || parent.type === "pulumi:pulumi:Stack") break;
    if (!parent.custom) return parent.name;
    p = parent.parent;
  }
  return "(stack)";
}

/** The component the account-wide free tiers are credited on. */
export const FREE_TIER_COMPONENT = "(free tier)";
const FREE_TIER_TYPE = "aws:freeTier";

export interface FreeTier {
  readonly priceKeys: readonly string[];
  /** In the unit of the prices it covers. */
  readonly quantity: number;
  readonly source: string;
}

/**
 * The account-wide "always free" tiers (prices.freeTiers) credited against the lines' quantities,
 * once: a negative line in FREE_TIER_COMPONENT, or undefined when nothing is credited. Across
 * stacks of one account, call it once on all their lines.
 */
export function freeTierLine(lines: readonly CostLine[], prices: PriceTable): CostLine | undefined {
  const tiers = (prices as PriceTable & { freeTiers?: Record<string, FreeTier> }).freeTiers ?? {};
  const used = new Map<string, number>();
  for (const l of lines)
    for (const i of l.items)
      if (!i.dependsOnUsage && i.quantity > 0) used.set(i.priceKey, (used.get(i.priceKey) ?? 0) + i.quantity);
  const items: CostItem[] = [];
  for (const [name, tier] of Object.entries(tiers)) {
    let left = tier.quantity;
    for (const key of tier.priceKeys) {
      const p = prices.prices[key];
      const q = Math.min(left, used.get(key) ?? 0);
      if (!p || q <= 0) continue;
      left -= q;
      items.push({
        description: `free tier ${name}: ${round(q)} of ${tier.quantity} × ${p.unit} a month (${tier.source.split(" ")[0]})`,
        basis: "usage",
        quantity: round(-q),
        unit: p.unit,
        unitPriceUsd: p.usd,
        monthlyUsd: round(-q * p.usd),
        priceKey: key,
        source: "derived",
      });
    }
  }
  if (items.length === 0) return undefined;
  const total = round(items.reduce((s, i) => s + i.monthlyUsd, 0));
  return {
    urn: "",
    type: FREE_TIER_TYPE,
    name: "account-free-tier",
    component: FREE_TIER_COMPONENT,
    status: "priced",
    monthlyUsd: total,
    fixedUsd: 0,
    usageUsd: total,
    items,
    note: "AWS applies these free tiers once per account; the account view (--all --cost) credits them once across its stacks",
  };
}

const byComponentAndName = (a: CostLine, b: CostLine) =>
  a.component.localeCompare(b.component) || a.name.localeCompare(b.name) || a.type.localeCompare(b.type);

/**
 * The totals of a set of lines (priced, unpriced, the free-tier credit): per component, overall.
 * Shared by the single-stack estimate and the account view, which re-credits the free tiers once.
 */
export function summarize(
  lines: readonly CostLine[],
  base: Pick<CostEstimate, "region" | "pricesTranscribed" | "budgetUsd" | "usageFile" | "free">,
): CostEstimate {
  const sorted = [...lines].sort(byComponentAndName);
  const components = new Map<string, ComponentTotal>();
  for (const l of sorted) {
    const c = components.get(l.component) ?? {
      component: l.component,
      monthlyUsd: 0,
      fixedUsd: 0,
      usageUsd: 0,
      unpriced: 0,
      dependsOnUsage: 0,
    };
    components.set(l.component, {
      component: l.component,
      monthlyUsd: round(c.monthlyUsd + l.monthlyUsd),
      fixedUsd: round(c.fixedUsd + l.fixedUsd),
      usageUsd: round(c.usageUsd + l.usageUsd),
      unpriced: c.unpriced + (l.status === "unpriced" ? 1 : 0),
      dependsOnUsage: c.dependsOnUsage + l.items.filter((i) => i.dependsOnUsage).length,
    });
  }
  const total = (f: (l: CostLine) => number) => round(sorted.reduce((s, l) => s + f(l), 0));
  const quantities: Record<QuantitySource, number> = { profile: 0, default: 0, derived: 0 };
  for (const l of sorted)
    if (l.type !== FREE_TIER_TYPE) for (const i of l.items) if (!i.dependsOnUsage) quantities[i.source]++;
  return {
    ...base,
    monthlyUsd: total((l) => l.monthlyUsd),
    fixedUsd: total((l) => l.fixedUsd),
    usageUsd: total((l) => l.usageUsd),
    freeTierUsd: total((l) => (l.type === FREE_TIER_TYPE ? l.monthlyUsd : 0)),
    lines: sorted,
    components: [...components.values()].sort((a, b) => a.component.localeCompare(b.component)),
    unpriced: sorted
      .filter((l) => l.status === "unpriced")
      .map((l) => ({ type: l.type, name: l.name, reason: l.note ?? "" }))
      .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name)),
    quantities,
    dependsOnUsage: sorted
      .filter((l) => l.items.some((i) => i.dependsOnUsage))
      .map((l) => ({
        component: l.component,
        name: l.name,
        usageKeys: [...new Set(l.items.filter((i) => i.dependsOnUsage).flatMap((i) => i.usageKeys ?? []))],
      })),
  };
}

/** Prices every resource of the preview; lines sorted by component, then name (a change never reorders them). */
export function estimateCost(resources: readonly RecordedResource[], options: EstimateOptions): CostEstimate {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const profile = options.usage ?? {};
  const lines: CostLine[] = [];
  const free = new Map<string, { type: string; count: number; reason: string }>();
  const addFree = (type: string, reason: string) => {
    const f = free.get(`${type}\u0000${reason}`) ?? { type, count: 0, reason };
    free.set(`${type}\u0000${reason}`, { ...f, count: f.count + 1 });
  };

  const usageOf =
    (r: RecordedResource): RuleContext["usage"] =>
    (group, key) => {
      const at = (g: UsageGroups | undefined) => (g?.[group] as Record<string, number> | undefined)?.[key];
      const set = at(profile.resources?.[r.name]) ?? at(profile.components?.[componentOf(r, byUrn)]) ?? at(profile);
      const usageKey = `${group}.${key}`;
      if (set !== undefined) return { value: set, source: "profile", usageKeys: [usageKey], missing: [] };
      const fallback = (USAGE_DEFAULTS[group] as Record<string, number | null>)[key];
      if (fallback === null || fallback === undefined)
        return { source: "profile", usageKeys: [usageKey], missing: [usageKey] };
      return { value: fallback, source: "default", usageKeys: [usageKey], missing: [] };
    };

  for (const r of resources) {
    if (!r.custom) continue;
    const freeKey =
      r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs.vpcEndpointType === "Gateway"
        ? `${r.type}#Gateway`
        : r.type;
    const freeReason = FREE_TYPES[freeKey];
    if (freeReason) {
      addFree(r.type, freeReason);
      continue;
    }
    const base = { urn: r.urn, type: r.type, name: r.name, component: componentOf(r, byUrn) };
    const rule = RULES[r.type];
    const markUnpriced = (reason: string) => {
      lines.push({ ...base, status: "unpriced", monthlyUsd: 0, fixedUsd: 0, usageUsd: 0, items: [], note: reason });
    };
    if (!rule) {
      markUnpriced("no pricing rule for this type");
      continue;
    }
    const ctx: RuleContext = {
      prices: options.prices,
      byUrn,
      resources,
      inventory: options.inventory,
      usage: usageOf(r),
      usageOf,
      price: (key) => {
        const p = options.prices.prices[key];
        if (!p) throw new Unpriced(`no price "${key}" in prices/${options.prices.region}.json`);
        return p;
      },
      item(description, basis, quantity, priceKey, perUnits = 1) {
        const p = this.price(priceKey);
        const q = typeof quantity === "number" ? derived(quantity) : quantity;
        const common = { description, basis, unit: p.unit, unitPriceUsd: p.usd, priceKey, source: q.source };
        if (q.value === undefined)
          return { ...common, quantity: 0, monthlyUsd: 0, usageKeys: [...q.missing], dependsOnUsage: true };
        return {
          ...common,
          // In the price's own unit (4 × "1M requests"), as Infracost shows monthly quantities.
          quantity: round(q.value / perUnits),
          monthlyUsd: round((q.value / perUnits) * p.usd),
          ...(q.usageKeys.length > 0 ? { usageKeys: [...q.usageKeys] } : {}),
        };
      },
    };
    let items: CostItem[];
    try {
      items = rule(r, ctx);
    } catch (e) {
      if (e instanceof Unpriced) {
        markUnpriced(e.message);
        continue;
      }
      if (e instanceof Free) {
        addFree(r.type, e.message);
        continue;
      }
      throw e;
    }
    const sum = (basis?: Basis) =>
      round(items.filter((i) => !basis || i.basis === basis).reduce((s, i) => s + i.monthlyUsd, 0));
    lines.push({ ...base, status: "priced", monthlyUsd: sum(), fixedUsd: sum("fixed"), usageUsd: sum("usage"), items });
  }
  const credit = freeTierLine(lines, options.prices);
  if (credit) lines.push(credit);
  return summarize(lines, {
    region: options.prices.region,
    pricesTranscribed: options.prices.transcribed,
    budgetUsd: options.budgetUsd ?? null,
    usageFile: options.usageFile ?? null,
    free: [...free.values()].sort((a, b) => a.type.localeCompare(b.type) || a.reason.localeCompare(b.reason)),
  });
}

/**
 * The budgets, from the program's stack outputs (lib/stack-contract.ts): the engine reads no config
 * of the program, which validates its budgets and applies its defaults itself. `--budget-usd` and
 * `--account-budget-usd` stand in for a program that exports none.
 */
export const BUDGET_FLAGS = { stack: "--budget-usd", account: "--account-budget-usd" } as const;

export interface Budgets {
  /** The stack's monthly budget (USD), or null when the program exports none. */
  readonly stackUsd: number | null;
  /** The account's monthly budget, exported by the one stack that holds it, else null. */
  readonly accountUsd: number | null;
}

/** A budget given on the command line or exported by the program: a positive number of dollars. */
export function positiveUsd(raw: unknown, what: string): number {
  const n = typeof raw === "string" ? Number(raw) : raw;
  if (typeof n !== "number" || raw === "" || !Number.isFinite(n) || n <= 0)
    throw new CostUsageError(`${what} must be a positive number of dollars, got ${JSON.stringify(raw)}`);
  return n;
}

/** The budgets a program exports as stack outputs, or null for each it does not. */
export function budgetsFromOutputs(outputs: Readonly<Record<string, unknown>>): Budgets {
  const read = (name: string) => {
    const value = outputs[name];
    if (value === undefined || value === null) return null;
    // A secret output arrives wrapped (secrets.ts): refused without printing it.
    if (typeof value === "object" && value !== null)
      throw new CostUsageError(
        `the program's stack output ${name} must be a plain number of dollars, not a secret or an object`,
      );
    return positiveUsd(value, `the program's stack output ${name}`);
  };
  return { stackUsd: read(BUDGET_OUTPUTS.stack), accountUsd: read(BUDGET_OUTPUTS.account) };
}

export const usd = (n: number): string => `${n < 0 ? "-" : ""}$${Math.abs(n).toFixed(2)}`;

/** "at least" when some cost is missing from the total (unpriced resources, unset usage). */
function lowerBound(e: CostEstimate): boolean {
  return e.unpriced.length > 0 || e.dependsOnUsage.length > 0;
}

export function budgetVerdict(e: CostEstimate): string {
  const atLeast = lowerBound(e) ? "at least " : "";
  if (e.budgetUsd === null)
    return `${atLeast}${usd(e.monthlyUsd)}; no budget: the program exports no \`${BUDGET_OUTPUTS.stack}\` stack output (export the stack's monthly budget in USD, or pass ${BUDGET_FLAGS.stack} N)`;
  const share = (e.monthlyUsd / e.budgetUsd) * 100;
  return `${atLeast}${usd(e.monthlyUsd)} of the stack's ${usd(e.budgetUsd)} monthly budget (${atLeast}${share.toFixed(1)} %)${e.monthlyUsd > e.budgetUsd ? " — OVER BUDGET" : ""}`;
}

function sourcesNote(e: CostEstimate): string {
  const q = e.quantities;
  const depends = e.dependsOnUsage.length;
  return `quantities: ${q.profile} from the usage profile, ${q.default} defaults, ${q.derived} derived from the stack${depends ? `; ${depends} resource${depends === 1 ? "" : "s"} with a cost that depends on usage (not in the total)` : ""}`;
}

function itemText(i: CostItem): string {
  if (i.dependsOnUsage)
    return `${i.description}: depends on usage (set ${(i.usageKeys ?? []).join(", ")}) at $${i.unitPriceUsd} per ${i.unit}`;
  return `${i.description}: ${i.quantity} × ${i.unit} at $${i.unitPriceUsd} → ${usd(i.monthlyUsd)}`;
}

/** Stacks share one account and its budget: where to see them together. */
export const ACCOUNT_HINT =
  "every stack of the account spends from the one account budget: `npm run preview -- --all --cost` compares their sum with it";

const sourceLabel = (i: CostItem) => (i.dependsOnUsage ? "unset" : i.source);

/** Terminal view: per component, then every line with its items, each quantity marked with its source. */
export function renderCostText(e: CostEstimate): string {
  const out = [
    `Monthly cost estimate (${e.region} on-demand, prices transcribed ${e.pricesTranscribed}, ${HOURS_PER_MONTH} h/month, usage profile ${e.usageFile ?? "none: defaults only"}):`,
    `  total ${usd(e.monthlyUsd)} = fixed ${usd(e.fixedUsd)} + usage-based ${usd(e.usageUsd)}${e.freeTierUsd ? ` (after account-wide free tiers, ${usd(e.freeTierUsd)})` : ""}; ${budgetVerdict(e)}`,
    `  ${sourcesNote(e)}`,
    `  ${ACCOUNT_HINT}`,
    "",
    "  by component:",
  ];
  const width = Math.max(24, ...e.components.map((c) => c.component.length));
  for (const c of e.components) {
    const extra = [
      c.unpriced ? `${c.unpriced} unpriced` : "",
      c.dependsOnUsage ? `${c.dependsOnUsage} depend${c.dependsOnUsage === 1 ? "s" : ""} on usage` : "",
    ].filter(Boolean);
    out.push(
      `    ${c.component.padEnd(width)} ${usd(c.monthlyUsd).padStart(10)}  (fixed ${usd(c.fixedUsd)}, usage ${usd(c.usageUsd)})${extra.length ? `, ${extra.join(", ")}` : ""}`,
    );
  }
  out.push("", "  lines:");
  for (const l of e.lines) {
    out.push(
      `    ${usd(l.monthlyUsd).padStart(10)}  ${l.component} / ${l.name} (${l.type})${l.status === "unpriced" ? `  UNPRICED: ${l.note}` : ""}`,
    );
    for (const i of l.items)
      out.push(`                 ${i.basis.padEnd(5)} ${sourceLabel(i).padEnd(7)} ${itemText(i)}`);
  }
  if (e.unpriced.length > 0) {
    out.push("", `  could not price (${e.unpriced.length}, not included in the total):`);
    for (const u of e.unpriced) out.push(`    ${u.type} ${u.name}: ${u.reason}`);
  }
  if (e.dependsOnUsage.length > 0) {
    out.push(
      "",
      `  depends on usage (${e.dependsOnUsage.length}, not included in the total; set in ${e.usageFile ?? "usage/<stack>.yaml"}):`,
    );
    for (const d of e.dependsOnUsage) out.push(`    ${d.component} / ${d.name}: ${d.usageKeys.join(", ")}`);
  }
  out.push("", "  free:");
  for (const f of e.free) out.push(`    ${String(f.count).padStart(3)} × ${f.type}: ${f.reason}`);
  return out.join("\n");
}

export function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** PR-comment view: verdict, per component, lines folded; unpriced and usage-dependent resources named. */
export function renderCostMarkdown(e: CostEstimate): string {
  const out = [
    `**${budgetVerdict(e)}** — fixed ${usd(e.fixedUsd)}, usage-based ${usd(e.usageUsd)}${e.freeTierUsd ? ` after account-wide free tiers (${usd(e.freeTierUsd)})` : ""} (${e.region} on-demand, prices of ${e.pricesTranscribed}, usage profile ${e.usageFile ? `\`${e.usageFile}\`` : "none: defaults only"}); ${sourcesNote(e)}`,
    "",
    `_${ACCOUNT_HINT.replace("every stack", "Every stack")}._`,
    "",
    "| component | monthly | fixed | usage | unpriced | depends on usage |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const c of e.components)
    out.push(
      `| ${mdCell(c.component)} | ${usd(c.monthlyUsd)} | ${usd(c.fixedUsd)} | ${usd(c.usageUsd)} | ${c.unpriced || ""} | ${c.dependsOnUsage || ""} |`,
    );
  if (e.unpriced.length > 0) {
    out.push(
      "",
      `**Could not price** (not in the total): ${e.unpriced.map((u) => `\`${u.name}\` (${mdCell(u.type)}: ${mdCell(u.reason)})`).join(", ")}`,
    );
  }
  if (e.dependsOnUsage.length > 0) {
    out.push(
      "",
      `**Depends on usage** (not in the total): ${e.dependsOnUsage.map((d) => `\`${mdCell(d.name)}\` (${d.usageKeys.map((k) => `\`${k}\``).join(", ")})`).join(", ")}`,
    );
  }
  out.push(
    "",
    "<details><summary>Cost lines</summary>",
    "",
    "| resource | type | basis | quantity from | item | monthly |",
    "| --- | --- | --- | --- | --- | ---: |",
  );
  for (const l of e.lines) {
    if (l.status === "unpriced")
      out.push(`| \`${mdCell(l.name)}\` | \`${l.type}\` | — | — | unpriced: ${mdCell(l.note ?? "")} | — |`);
    for (const i of l.items)
      out.push(
        `| \`${mdCell(l.name)}\` | \`${l.type}\` | ${i.basis} | ${i.dependsOnUsage ? "**unset**" : i.source === "default" ? "*default*" : `*${i.source}*`} | ${mdCell(itemText(i))} | ${i.dependsOnUsage ? "—" : usd(i.monthlyUsd)} |`,
      );
  }
  out.push("", "</details>");
  return out.join("\n");
}
