import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { UsageError } from "./cli";
import type { RecordedResource } from "./recorder";
import type { PlainObject, PlainValue } from "./secrets";
import { repoRoot } from "./stack-file";

// Monthly cost of a previewed stack, from a price table kept in the repository
// (prices/<region>.json: on-demand list prices, dated, each with its source) and the quantity rules
// the cost tools of this field use (Infracost: 730 hours a month, no free tier; fixed quantities
// from the resource's inputs, usage-based ones from a per-stack usage profile with documented
// defaults). A resource no rule can price is named as unpriced, never counted as $0; a resource
// AWS does not charge for is listed as free with the reason.

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

/** A bad usage profile, budget or region: reported as the user's to fix, without a stack trace. */
export class CostInputError extends UsageError {}

export function loadPriceTable(region: string, dir = path.join(__dirname, "prices")): PriceTable {
  const file = path.join(dir, `${region}.json`);
  if (!fs.existsSync(file)) {
    const known = fs.readdirSync(dir).map((f) => f.replace(/\.json$/, ""));
    throw new CostInputError(`no price table for region ${region} (have: ${known.join(", ")}); add ${file}`);
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as PriceTable;
}

/**
 * What the usage profile may set, with the default used when it does not. Monthly quantities, per
 * resource of the group (per function, per queue, per log group...). `resources.<logical name>`
 * overrides any of them for one resource, as Infracost's usage file does per address.
 */
export const USAGE_DEFAULTS = {
  lambda: { requestsPerMonth: 1_000_000, averageDurationMs: 200 },
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
  guardduty: { managementEventsPerMonth: 1_000_000, flowDnsGbPerMonth: 5, s3EventsPerMonth: 1_000_000 },
  securityHub: { checksPerMonth: 10_000, findingsPerMonth: 1_000 },
  /** Configuration items AWS Config records in a month (one per recorded resource change). */
  config: { configurationItemsPerMonth: 5_000 },
} as const;

type Group = keyof typeof USAGE_DEFAULTS;
type UsageGroups = { [G in Group]?: { [K in keyof (typeof USAGE_DEFAULTS)[G]]?: number } };
export type UsageProfile = UsageGroups & { readonly resources?: Record<string, UsageGroups> };

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
      if (group === "resources" && allowResources) {
        if (typeof keys !== "object" || keys === null) problems.push(`resources must be a mapping of logical names`);
        else for (const [name, groups] of Object.entries(keys)) checkGroups(groups, `resources.${name}.`, false);
        continue;
      }
      const known = USAGE_DEFAULTS[group as Group] as Record<string, number> | undefined;
      if (!known) {
        problems.push(
          `${prefix}${group}: not a usage group (groups: ${Object.keys(USAGE_DEFAULTS).join(", ")}${allowResources ? ", resources" : ""})`,
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
    throw new CostInputError(`invalid usage profile ${where}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return (raw ?? {}) as UsageProfile;
}

/** usage/<stack>.yaml when it exists, else the defaults alone. */
export function loadUsageProfile(stack: string, dir = path.join(repoRoot, "usage")): UsageProfile {
  const file = path.join(dir, `${stack}.yaml`);
  if (!fs.existsSync(file)) return {};
  return parseUsageProfile(yaml.load(fs.readFileSync(file, "utf8")), path.relative(process.cwd(), file) || file);
}

export type Basis = "fixed" | "usage";

export interface CostItem {
  readonly description: string;
  readonly basis: Basis;
  /** How many of `unit` a month (e.g. 4 of "1M requests"). */
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  readonly monthlyUsd: number;
  readonly priceKey: string;
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
}

export interface CostEstimate {
  readonly region: string;
  readonly pricesTranscribed: string;
  readonly monthlyUsd: number;
  readonly fixedUsd: number;
  readonly usageUsd: number;
  readonly budgetUsd: number | null;
  /** Only the lines that cost something or could not be priced; free ones are counted in `free`. */
  readonly lines: CostLine[];
  readonly components: ComponentTotal[];
  readonly unpriced: { type: string; name: string; reason: string }[];
  readonly free: { type: string; count: number; reason: string }[];
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
  "aws:budgets/budget:Budget": "the first two budgets of an account are free",
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor": "Cost Anomaly Detection is free",
  "aws:costexplorer/anomalySubscription:AnomalySubscription": "Cost Anomaly Detection is free",
  "aws:securityhub/standardsSubscription:StandardsSubscription": "checks are billed on the Security Hub account",
  "aws:ecs/taskDefinition:TaskDefinition": "billed on the service that runs it",
  "aws:guardduty/detectorFeature:DetectorFeature": "billed on the detector, by usage",
  "aws:cfg/deliveryChannel:DeliveryChannel":
    "configuration of the recorder (the bucket's storage is billed on the bucket)",
  "aws:cfg/recorderStatus:RecorderStatus": "configuration of the recorder",
  "aws:ecs/cluster:Cluster": "clusters are free (tasks are billed on services)",
  "aws:rds/parameterGroup:ParameterGroup": "configuration of the instance",
  "aws:rds/subnetGroup:SubnetGroup": "configuration of the instance",
  "aws:appautoscaling/target:Target": "Application Auto Scaling is free",
  "aws:appautoscaling/policy:Policy": "Application Auto Scaling is free",
  "aws:ec2/vpcEndpoint:VpcEndpoint#Gateway": "gateway endpoints are free",
  "random:index/randomPassword:RandomPassword": "not an AWS resource",
  "random:index/randomId:RandomId": "not an AWS resource",
};

interface RuleContext {
  readonly prices: PriceTable;
  usage<G extends Group>(group: G, key: keyof (typeof USAGE_DEFAULTS)[G] & string): number;
  price(key: string): Price;
  item(description: string, basis: Basis, quantity: number, priceKey: string, perUnits?: number): CostItem;
  readonly byUrn: ReadonlyMap<string, RecordedResource>;
}

class Unpriced extends Error {}

type Rule = (r: RecordedResource, ctx: RuleContext) => CostItem[];

function num(v: PlainValue | undefined): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function obj(v: PlainValue | undefined): PlainObject | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as PlainObject) : undefined;
}

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
      const gb = shards * (retention - 1) * ctx.usage("elasticache", "snapshotGbPerShard");
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
    const gbSeconds = requests * (ctx.usage("lambda", "averageDurationMs") / 1000) * memoryGb;
    return [
      ctx.item("requests", "usage", requests, "lambda.requests", 1e6),
      ctx.item(`duration (${arch}, ${memoryGb * 1024} MB)`, "usage", gbSeconds, `lambda.duration.${arch}`),
    ];
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
  "aws:guardduty/detector:Detector": (_r, ctx) => [
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
    ctx.item("S3 data event analysis", "usage", ctx.usage("guardduty", "s3EventsPerMonth"), "guardduty.s3", 1e6),
  ],
  "aws:securityhub/account:Account": (_r, ctx) => [
    ctx.item("security checks", "usage", ctx.usage("securityHub", "checksPerMonth"), "securityhub.checks"),
    ctx.item("finding ingestion", "usage", ctx.usage("securityHub", "findingsPerMonth"), "securityhub.findings"),
  ],
  "aws:cfg/recorder:Recorder": (_r, ctx) => [
    ctx.item(
      "configuration items recorded",
      "usage",
      ctx.usage("config", "configurationItemsPerMonth"),
      "config.configurationItem",
    ),
  ],
  "aws:ecs/service:Service": (r, ctx) => {
    const launch = r.inputs.launchType ?? (Array.isArray(r.inputs.capacityProviderStrategies) ? "FARGATE" : undefined);
    if (launch !== "FARGATE")
      throw new Unpriced(`launch type ${JSON.stringify(launch ?? "EC2")}: only Fargate is priced`);
    const td = (r.propertyDependencies.taskDefinition ?? []).map((u) => ctx.byUrn.get(u)).find((x) => x !== undefined);
    const cpu = num(td?.inputs.cpu);
    const memory = num(td?.inputs.memory);
    if (!td || cpu === undefined || memory === undefined)
      throw new Unpriced("its task definition (cpu, memory) is not in the stack");
    const tasks = num(r.inputs.desiredCount) ?? 1;
    const hours = tasks * ctx.prices.hoursPerMonth;
    return [
      ctx.item(`${tasks} task × ${cpu / 1024} vCPU`, "fixed", hours * (cpu / 1024), "ecs.fargate.vcpu"),
      ctx.item(`${tasks} task × ${memory / 1024} GB`, "fixed", hours * (memory / 1024), "ecs.fargate.memory"),
    ];
  },
  "aws:rds/instance:Instance": (r, ctx) => {
    const cls = String(r.inputs.instanceClass ?? "");
    const copies = r.inputs.multiAz === true ? 2 : 1;
    const storageType = String(r.inputs.storageType ?? "gp2");
    const items = [
      ctx.item(
        `${cls}${copies > 1 ? " Multi-AZ" : ""}`,
        "fixed",
        copies * ctx.prices.hoursPerMonth,
        `rds.instance.${cls}`,
      ),
    ];
    const gb = num(r.inputs.allocatedStorage);
    if (gb !== undefined)
      items.push(ctx.item(`${gb} GB ${storageType}`, "fixed", copies * gb, `rds.storage.${storageType}`));
    return items;
  },
};

function round(usd: number): number {
  return Math.round(usd * 1e4) / 1e4;
}

export interface EstimateOptions {
  readonly prices: PriceTable;
  readonly usage?: UsageProfile;
  readonly budgetUsd?: number | null;
}

/** Prices every resource of the preview; lines sorted by component, then cost, then name. */
export function estimateCost(resources: readonly RecordedResource[], options: EstimateOptions): CostEstimate {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const profile = options.usage ?? {};
  const componentOf = (r: RecordedResource): string => {
    let p = r.parent;
    while (p) {
      const parent = byUrn.get(p);
      if (!parent || parent.type === "pulumi:pulumi:Stack") break;
      if (!parent.custom) return parent.name;
      p = parent.parent;
    }
    return "(stack)";
  };
  const lines: CostLine[] = [];
  const unpriced: CostEstimate["unpriced"] = [];
  const free = new Map<string, { count: number; reason: string }>();

  for (const r of resources) {
    if (!r.custom) continue;
    const freeKey =
      r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs.vpcEndpointType === "Gateway"
        ? `${r.type}#Gateway`
        : r.type;
    const freeReason = FREE_TYPES[freeKey];
    if (freeReason) {
      const f = free.get(r.type) ?? { count: 0, reason: freeReason };
      free.set(r.type, { ...f, count: f.count + 1 });
      continue;
    }
    const base = { urn: r.urn, type: r.type, name: r.name, component: componentOf(r) };
    const rule = RULES[r.type];
    const markUnpriced = (reason: string) => {
      unpriced.push({ type: r.type, name: r.name, reason });
      lines.push({ ...base, status: "unpriced", monthlyUsd: 0, fixedUsd: 0, usageUsd: 0, items: [], note: reason });
    };
    if (!rule) {
      markUnpriced("no pricing rule for this type");
      continue;
    }
    const ctx: RuleContext = {
      prices: options.prices,
      byUrn,
      usage: (group, key) => {
        const own = (profile.resources?.[r.name]?.[group] as Record<string, number> | undefined)?.[key];
        const stack = (profile[group] as Record<string, number> | undefined)?.[key];
        return own ?? stack ?? (USAGE_DEFAULTS[group] as Record<string, number>)[key]!;
      },
      price: (key) => {
        const p = options.prices.prices[key];
        if (!p) throw new Unpriced(`no price "${key}" in prices/${options.prices.region}.json`);
        return p;
      },
      item(description, basis, quantity, priceKey, perUnits = 1) {
        const p = this.price(priceKey);
        return {
          description,
          basis,
          // In the price's own unit (4 × "1M requests"), as Infracost shows monthly quantities.
          quantity: round(quantity / perUnits),
          unit: p.unit,
          unitPriceUsd: p.usd,
          monthlyUsd: round((quantity / perUnits) * p.usd),
          priceKey,
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
      throw e;
    }
    const sum = (basis?: Basis) =>
      round(items.filter((i) => !basis || i.basis === basis).reduce((s, i) => s + i.monthlyUsd, 0));
    lines.push({ ...base, status: "priced", monthlyUsd: sum(), fixedUsd: sum("fixed"), usageUsd: sum("usage"), items });
  }

  lines.sort(
    (a, b) =>
      a.component.localeCompare(b.component) ||
      b.monthlyUsd - a.monthlyUsd ||
      a.type.localeCompare(b.type) ||
      a.name.localeCompare(b.name),
  );
  const components = new Map<string, ComponentTotal>();
  for (const l of lines) {
    const c = components.get(l.component) ?? {
      component: l.component,
      monthlyUsd: 0,
      fixedUsd: 0,
      usageUsd: 0,
      unpriced: 0,
    };
    components.set(l.component, {
      component: l.component,
      monthlyUsd: round(c.monthlyUsd + l.monthlyUsd),
      fixedUsd: round(c.fixedUsd + l.fixedUsd),
      usageUsd: round(c.usageUsd + l.usageUsd),
      unpriced: c.unpriced + (l.status === "unpriced" ? 1 : 0),
    });
  }
  const total = (f: (l: CostLine) => number) => round(lines.reduce((s, l) => s + f(l), 0));
  return {
    region: options.prices.region,
    pricesTranscribed: options.prices.transcribed,
    monthlyUsd: total((l) => l.monthlyUsd),
    fixedUsd: total((l) => l.fixedUsd),
    usageUsd: total((l) => l.usageUsd),
    budgetUsd: options.budgetUsd ?? null,
    lines,
    components: [...components.values()].sort(
      (a, b) => b.monthlyUsd - a.monthlyUsd || a.component.localeCompare(b.component),
    ),
    unpriced: unpriced.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name)),
    free: [...free.entries()].map(([type, f]) => ({ type, ...f })).sort((a, b) => a.type.localeCompare(b.type)),
  };
}

/** The stack's configured budget (`huntaze:monthlyBudgetUsd`), or null when it has none. */
export function budgetFromConfig(config: Record<string, string>): number | null {
  const raw = config["huntaze:monthlyBudgetUsd"];
  if (raw === undefined) return null;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new CostInputError(
      `huntaze:monthlyBudgetUsd must be a positive number of dollars, got ${JSON.stringify(raw)}`,
    );
  return n;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

function budgetVerdict(e: CostEstimate): string {
  if (e.budgetUsd === null)
    return "no budget configured: set one in the stack file (`pulumi config set huntaze:monthlyBudgetUsd 500`)";
  const share = (e.monthlyUsd / e.budgetUsd) * 100;
  return `${usd(e.monthlyUsd)} of the ${usd(e.budgetUsd)} monthly budget (${share.toFixed(1)} %)${e.monthlyUsd > e.budgetUsd ? " — OVER BUDGET" : ""}`;
}

/** Terminal view: per component, then every line with its items. */
export function renderCostText(e: CostEstimate): string {
  const out = [
    `Monthly cost estimate (${e.region} on-demand, prices transcribed ${e.pricesTranscribed}, ${HOURS_PER_MONTH} h/month):`,
    `  total ${usd(e.monthlyUsd)} = fixed ${usd(e.fixedUsd)} + usage-based ${usd(e.usageUsd)}; ${budgetVerdict(e)}`,
    "",
    "  by component:",
  ];
  for (const c of e.components)
    out.push(
      `    ${c.component.padEnd(24)} ${usd(c.monthlyUsd).padStart(10)}  (fixed ${usd(c.fixedUsd)}, usage ${usd(c.usageUsd)})${c.unpriced ? `, ${c.unpriced} unpriced` : ""}`,
    );
  out.push("", "  lines:");
  for (const l of e.lines) {
    out.push(
      `    ${usd(l.monthlyUsd).padStart(10)}  ${l.component} / ${l.name} (${l.type})${l.status === "unpriced" ? `  UNPRICED: ${l.note}` : ""}`,
    );
    for (const i of l.items)
      out.push(
        `                 ${i.basis.padEnd(5)} ${i.description}: ${i.quantity} × ${i.unit} at $${i.unitPriceUsd} → ${usd(i.monthlyUsd)}`,
      );
  }
  if (e.unpriced.length > 0) {
    out.push("", `  could not price (${e.unpriced.length}, not included in the total):`);
    for (const u of e.unpriced) out.push(`    ${u.type} ${u.name}: ${u.reason}`);
  }
  out.push("", "  free:");
  for (const f of e.free) out.push(`    ${String(f.count).padStart(3)} × ${f.type}: ${f.reason}`);
  return out.join("\n");
}

function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** PR-comment view: verdict, per component, lines; unpriced resources named. */
export function renderCostMarkdown(e: CostEstimate): string {
  const out = [
    `**${budgetVerdict(e)}** — fixed ${usd(e.fixedUsd)}, usage-based ${usd(e.usageUsd)} (${e.region} on-demand, prices of ${e.pricesTranscribed}, usage profile \`usage/<stack>.yaml\`)`,
    "",
    "| component | monthly | fixed | usage | unpriced |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  for (const c of e.components)
    out.push(
      `| ${mdCell(c.component)} | ${usd(c.monthlyUsd)} | ${usd(c.fixedUsd)} | ${usd(c.usageUsd)} | ${c.unpriced || ""} |`,
    );
  if (e.unpriced.length > 0) {
    out.push(
      "",
      `**Could not price** (not in the total): ${e.unpriced.map((u) => `\`${u.name}\` (${mdCell(u.type)}: ${mdCell(u.reason)})`).join(", ")}`,
    );
  }
  out.push(
    "",
    "<details><summary>Cost lines</summary>",
    "",
    "| resource | type | basis | item | monthly |",
    "| --- | --- | --- | --- | ---: |",
  );
  for (const l of e.lines) {
    if (l.status === "unpriced")
      out.push(`| \`${mdCell(l.name)}\` | \`${l.type}\` | — | unpriced: ${mdCell(l.note ?? "")} | — |`);
    for (const i of l.items)
      out.push(
        `| \`${mdCell(l.name)}\` | \`${l.type}\` | ${i.basis} | ${mdCell(i.description)} (${i.quantity} × ${mdCell(i.unit)} at $${i.unitPriceUsd}) | ${usd(i.monthlyUsd)} |`,
      );
  }
  out.push("", "</details>");
  return out.join("\n");
}
