import { type ConfigReader, patterns } from "./validation";

// `huntaze:redis`: the encrypted ElastiCache group of seed 000 (EncryptedRedis). Formats and ranges
// mirror the component's validation so a bad stack file is reported, every problem at once, before
// any resource is built; the component still checks what only it can (window overlap).

/** Node types this project sizes Redis with (burstable for small stacks, Graviton general/memory). */
export const redisNodeTypes = [
  ...["t3", "t4g"].flatMap((f) => ["micro", "small", "medium"].map((s) => `cache.${f}.${s}`)),
  ...["m6g", "m7g", "r6g", "r7g"].flatMap((f) =>
    ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"].map((s) => `cache.${f}.${s}`),
  ),
] as const;

export interface RedisAlarmsConfig {
  /** Host CPUUtilization %. @default 70 */
  readonly cpuPercent: number;
  /** EngineCPUUtilization %. @default 80 */
  readonly engineCpuPercent: number;
  /** DatabaseMemoryUsagePercentage %. @default 80 */
  readonly memoryPercent: number;
  /** Evictions per 5 minutes. @default 0 */
  readonly evictions: number;
  /** ReplicationLag seconds. @default 1 */
  readonly replicationLagSeconds: number;
  /** CurrConnections. @default 1000 */
  readonly connections: number;
}

export interface RedisCnameConfig {
  readonly zoneId: string;
  readonly name: string;
  /** Set to the old cluster's endpoint to roll back (seed 000 "Rollback Procedure"). @default - the new primary */
  readonly rollbackToEndpoint?: string;
  /** Take over an existing record of that name. @default false */
  readonly allowOverwrite: boolean;
}

export interface RedisStackConfig {
  readonly nodeType: (typeof redisNodeTypes)[number];
  /** Primary + replicas, 2–6 (Multi-AZ with automatic failover). @default 2 */
  readonly numCacheClusters: number;
  /** Physical id (seed 000: `huntaze-redis-encrypted`). @default - auto-named */
  readonly replicationGroupId?: string;
  /** Snapshot of the old cluster to restore (seed 000: `huntaze-redis-pre-encryption-YYYYMMDD-HHMM`). @default - empty group */
  readonly snapshotName?: string;
  /** @default 7 */
  readonly snapshotRetentionDays: number;
  /** @default "01:00-02:00" */
  readonly snapshotWindow: string;
  /** @default "sun:03:00-sun:04:00" */
  readonly maintenanceWindow: string;
  /** @default "SET" */
  readonly authTokenUpdateStrategy: "SET" | "ROTATE";
  /** Bump to rotate the AUTH token. @default 1 */
  readonly authTokenVersion: number;
  /** TLS `preferred` while enabling it on an existing group. @default false */
  readonly transitEncryptionMigration: boolean;
  /** Apply modifications now (AUTH token rotation) instead of in the maintenance window. @default false */
  readonly applyImmediately: boolean;
  /** @default - no CNAME */
  readonly cname?: RedisCnameConfig;
  readonly alarms: RedisAlarmsConfig;
}

const ALARM_DEFAULTS: RedisAlarmsConfig = {
  cpuPercent: 70,
  engineCpuPercent: 80,
  memoryPercent: 80,
  evictions: 0,
  replicationLagSeconds: 1,
  connections: 1000,
};

const formats = {
  replicationGroupId: /^(?!.*--)[a-z][a-z0-9-]{0,39}(?<!-)$/,
  snapshotName: /^[A-Za-z][A-Za-z0-9-]{0,254}$/,
  snapshotWindow: /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/,
  maintenanceWindow:
    /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/,
};

/**
 * Reads `huntaze:redis` from the namespace reader `c`. The section is required: when it is missing
 * (or not an object) the problem is recorded and the result is undefined, and parseStackConfig
 * throws with every problem before the value is used.
 */
export function readRedisConfig(c: ConfigReader): RedisStackConfig | undefined {
  const present = c.has("redis");
  const r = c.object("redis");
  if (!present || !r) return undefined;

  const nodeType = r.string("nodeType", { oneOf: redisNodeTypes }) as RedisStackConfig["nodeType"];
  const numCacheClusters = r.integer("numCacheClusters", { min: 2, max: 6, default: 2 });
  const replicationGroupId = r.optionalString("replicationGroupId", {
    pattern: formats.replicationGroupId,
    describe: "1–40 lowercase letters, digits or hyphens, starting with a letter (e.g. huntaze-redis-encrypted)",
  });
  const snapshotName = r.optionalString("snapshotName", {
    pattern: formats.snapshotName,
    describe: "an ElastiCache snapshot name (e.g. huntaze-redis-pre-encryption-20261122-1500)",
  });
  const snapshotRetentionDays = r.integer("snapshotRetentionDays", { min: 1, max: 35, default: 7 });
  const snapshotWindow =
    r.optionalString("snapshotWindow", {
      pattern: formats.snapshotWindow,
      describe: "a UTC window hh24:mi-hh24:mi (e.g. 01:00-02:00)",
    }) ?? "01:00-02:00";
  const maintenanceWindow =
    r.optionalString("maintenanceWindow", {
      pattern: formats.maintenanceWindow,
      describe: "a UTC window ddd:hh24:mi-ddd:hh24:mi (e.g. sun:03:00-sun:04:00)",
    }) ?? "sun:03:00-sun:04:00";
  const authTokenUpdateStrategy = (r.optionalString("authTokenUpdateStrategy", { oneOf: ["SET", "ROTATE"] }) ??
    "SET") as RedisStackConfig["authTokenUpdateStrategy"];
  const authTokenVersion = r.integer("authTokenVersion", { min: 1, default: 1 });
  const transitEncryptionMigration = r.boolean("transitEncryptionMigration", false);
  const applyImmediately = r.boolean("applyImmediately", false);

  const n = r.object("cname", { optional: true });
  const rollbackToEndpoint = n?.optionalString("rollbackToEndpoint", {
    pattern: patterns.dnsName,
    describe: "the old cluster's endpoint (a DNS name)",
  });
  const cname: RedisCnameConfig | undefined = n && {
    zoneId: n.string("zoneId", { pattern: patterns.hostedZoneId, describe: "a Route53 hosted zone id (Z…)" }),
    name: n.string("name", {
      pattern: patterns.dnsName,
      describe: "a lowercase DNS name (e.g. redis.huntaze.internal)",
    }),
    ...(rollbackToEndpoint !== undefined ? { rollbackToEndpoint } : {}),
    allowOverwrite: n.boolean("allowOverwrite", false),
  };
  n?.rejectUnknownKeys();

  const a = r.object("alarms", { optional: true });
  const percent = (key: keyof RedisAlarmsConfig) =>
    a?.number(key, { min: 1, max: 100, default: ALARM_DEFAULTS[key] }) ?? ALARM_DEFAULTS[key];
  const alarms: RedisAlarmsConfig = {
    cpuPercent: percent("cpuPercent"),
    engineCpuPercent: percent("engineCpuPercent"),
    memoryPercent: percent("memoryPercent"),
    evictions: a?.integer("evictions", { min: 0, default: ALARM_DEFAULTS.evictions }) ?? ALARM_DEFAULTS.evictions,
    replicationLagSeconds:
      a?.number("replicationLagSeconds", { min: 0.1, max: 3600, default: ALARM_DEFAULTS.replicationLagSeconds }) ??
      ALARM_DEFAULTS.replicationLagSeconds,
    connections:
      a?.integer("connections", { min: 1, max: 65000, default: ALARM_DEFAULTS.connections }) ??
      ALARM_DEFAULTS.connections,
  };
  a?.rejectUnknownKeys();
  r.rejectUnknownKeys();

  return {
    nodeType,
    numCacheClusters,
    ...(replicationGroupId !== undefined ? { replicationGroupId } : {}),
    ...(snapshotName !== undefined ? { snapshotName } : {}),
    snapshotRetentionDays,
    snapshotWindow,
    maintenanceWindow,
    authTokenUpdateStrategy,
    authTokenVersion,
    transitEncryptionMigration,
    applyImmediately,
    ...(cname ? { cname } : {}),
    alarms,
  };
}
