import {
  DEFAULT_DATABASE_THRESHOLDS,
  DEFAULT_SERVICE_SCALING,
  isLogRetentionDays,
  KEEP_PERFORMANCE_INSIGHTS_KEY,
  LOG_RETENTION_DAYS,
  RDS_CLASS_MEMORY_GIB,
} from "../components";
import { type ConfigReader, patterns } from "./validation";

// `huntaze:ecs` (ObservedCluster: the seeds' clusters and their services) and `huntaze:database`
// (HardenedDatabase: the existing RDS PostgreSQL instance). Both optional: a stack without them
// watches no cluster and touches no database. Defaults are the seeds' thresholds, defined once in
// the components.

export interface EcsServiceConfig {
  readonly name: string;
  readonly taskDefinition: string;
  /** @default huntaze:network.privateSubnetIds */
  readonly subnetIds?: string[];
  /** @default huntaze:network.appSecurityGroupIds */
  readonly securityGroupIds?: string[];
  readonly minTasks: number;
  readonly maxTasks: number;
}

export interface EcsLogGroupConfig {
  readonly name: string;
  readonly audit: boolean;
  readonly retentionDays?: number;
}

export interface EcsClusterConfig {
  readonly name: string;
  readonly containerInsights: "enhanced" | "enabled";
  readonly services: EcsServiceConfig[];
  /** @default - `/ecs/<name>` */
  readonly logGroups?: EcsLogGroupConfig[];
}

export interface DatabaseConfig {
  readonly identifier: string;
  readonly instanceClass: string;
  readonly engineVersion: string;
  /** @default 1000 */
  readonly logMinDurationStatementMs: number;
  /** @default - the class's default (postgresMaxConnections) */
  readonly maxConnections?: number;
  /** @default false */
  readonly multiAz: boolean;
  /** @default false */
  readonly applyImmediately: boolean;
  /**
   * `huntaze:database.performanceInsights.kmsKeyId`: the key PI uses now (ARN) or "aws-managed".
   * @default "aws-managed" - keep the key the instance has (HardenedDatabase.performanceInsightsKmsKeyId)
   */
  readonly performanceInsightsKmsKeyId?: string;
  readonly alarms: {
    readonly cpuPercent: number;
    readonly freeableMemoryBytes: number;
    readonly connectionsPercent: number;
  };
}

export interface ObservabilityConfig {
  readonly clusters: EcsClusterConfig[];
  readonly database?: DatabaseConfig;
}

const names = {
  cluster: /^[A-Za-z0-9_-]{1,255}$/,
  taskDefinition: /^[A-Za-z0-9_-]{1,255}(:\d+)?$/,
  logGroup: /^[A-Za-z0-9_.\-/#]{1,512}$/,
  rdsIdentifier: /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/,
  engineVersion: /^\d+(\.\d+)?$/,
};

function readCluster(k: ConfigReader, environment: string): EcsClusterConfig {
  const name = k.string("name", { pattern: names.cluster, describe: "an ECS cluster name" });
  // Production owns the seeds' names; any other stack's cluster names carry its environment.
  if (environment !== "production" && name && !name.includes(environment))
    k.problem("name", `a cluster name containing "${environment}" (both stacks share the account)`, name);
  const containerInsights = (k.optionalString("containerInsights", { oneOf: ["enhanced", "enabled"] }) ??
    "enhanced") as EcsClusterConfig["containerInsights"];
  const services = k.objectList("services").map((s) => {
    const service: EcsServiceConfig = {
      name: s.string("name", { pattern: names.cluster, describe: "an ECS service name" }),
      taskDefinition: s.string("taskDefinition", {
        pattern: names.taskDefinition,
        describe: "a task definition family or family:revision",
      }),
      subnetIds: s.has("subnetIds")
        ? s.stringList("subnetIds", { pattern: patterns.subnetId, describe: "subnet id (subnet-…)" })
        : undefined,
      securityGroupIds: s.has("securityGroupIds")
        ? s.stringList("securityGroupIds", { pattern: patterns.securityGroupId, describe: "security group id (sg-…)" })
        : undefined,
      minTasks: s.integer("minTasks", { min: 1, max: 1000, default: DEFAULT_SERVICE_SCALING.minTasks }),
      maxTasks: s.integer("maxTasks", { min: 1, max: 1000, default: DEFAULT_SERVICE_SCALING.maxTasks }),
    };
    if (service.maxTasks < service.minTasks)
      s.problem("maxTasks", `at least minTasks (${service.minTasks})`, service.maxTasks);
    s.rejectUnknownKeys();
    return service;
  });
  const logGroups = k.has("logGroups")
    ? k.objectList("logGroups").map((l) => {
        const retention = l.has("retentionDays") ? l.integer("retentionDays", { min: 1 }) : undefined;
        if (retention !== undefined && !isLogRetentionDays(retention))
          l.problem("retentionDays", `one of ${LOG_RETENTION_DAYS.join(", ")}`, retention);
        const lg: EcsLogGroupConfig = {
          name: l.string("name", { pattern: names.logGroup, describe: "a log group name" }),
          audit: l.boolean("audit", false),
          retentionDays: retention,
        };
        l.rejectUnknownKeys();
        return lg;
      })
    : undefined;
  k.rejectUnknownKeys();
  return { name, containerInsights, services, logGroups };
}

function readDatabase(d: ConfigReader, environment: string): DatabaseConfig {
  const classes = Object.keys(RDS_CLASS_MEMORY_GIB);
  const a = d.object("alarms", { optional: true });
  const pi = d.object("performanceInsights", { optional: true });
  const t = DEFAULT_DATABASE_THRESHOLDS;
  const config: DatabaseConfig = {
    identifier: d.string("identifier", {
      pattern: names.rdsIdentifier,
      describe: "an RDS instance identifier (e.g. huntaze-postgres-production)",
    }),
    instanceClass: d.string("instanceClass", { oneOf: classes }),
    engineVersion: d.string("engineVersion", {
      pattern: names.engineVersion,
      describe: "a PostgreSQL version such as 16 or 16.4",
    }),
    logMinDurationStatementMs: d.integer("logMinDurationStatementMs", { min: -1, max: 3_600_000, default: 1000 }),
    maxConnections: d.has("maxConnections") ? d.integer("maxConnections", { min: 1, max: 262_143 }) : undefined,
    multiAz: d.boolean("multiAz", false),
    applyImmediately: d.boolean("applyImmediately", false),
    performanceInsightsKmsKeyId: pi?.optionalString("kmsKeyId", {
      pattern: new RegExp(`^(${KEEP_PERFORMANCE_INSIGHTS_KEY}|arn:aws:kms:[a-z0-9-]+:\\d{12}:key/[0-9a-z-]+)$`),
      describe: `"${KEEP_PERFORMANCE_INSIGHTS_KEY}" or the ARN of the KMS key Performance Insights uses now (RDS refuses to change it)`,
    }),
    alarms: {
      cpuPercent: a?.number("cpuPercent", { min: 1, max: 100, default: t.cpuPercent }) ?? t.cpuPercent,
      freeableMemoryBytes:
        a?.integer("freeableMemoryBytes", { min: 1, default: t.freeableMemoryBytes }) ?? t.freeableMemoryBytes,
      connectionsPercent:
        a?.number("connectionsPercent", { min: 1, max: 100, default: t.connectionsPercent }) ?? t.connectionsPercent,
    },
  };
  if (!config.identifier.includes(environment))
    d.problem(
      "identifier",
      `an identifier containing "${environment}" (both stacks share the account)`,
      config.identifier,
    );
  a?.rejectUnknownKeys();
  pi?.rejectUnknownKeys();
  d.rejectUnknownKeys();
  return config;
}

/** Reads `huntaze:ecs` and `huntaze:database` from the namespace reader `c`. */
export function readObservabilityConfig(c: ConfigReader, environment: string): ObservabilityConfig {
  const e = c.object("ecs", { optional: true });
  const clusters = e ? e.objectList("clusters").map((k) => readCluster(k, environment)) : [];
  e?.rejectUnknownKeys();
  const seen = new Set<string>();
  clusters.forEach((cl) => {
    if (seen.has(cl.name)) c.problem("ecs", "distinct cluster names", cl.name);
    seen.add(cl.name);
  });
  const d = c.object("database", { optional: true });
  return { clusters, database: d ? readDatabase(d, environment) : undefined };
}
