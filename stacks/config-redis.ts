import {
  DEFAULT_REDIS_ALARM_THRESHOLDS,
  type EncryptedRedisAlarmThresholds,
  REDIS_DEFAULTS,
  REDIS_FORMATS,
  REDIS_RANGES,
  redisAlarmProblems,
} from "../components";
import type { ConfigReader } from "./validation";

// `huntaze:redis`: the encrypted ElastiCache group of seed 000 (EncryptedRedis). Keys are the
// component's argument names; defaults, formats, ranges and the alarm rules are the component's own
// (imported), so a bad stack file is reported, every problem at once, before any resource is built;
// the component still checks what only it can (window overlap).

/** Node types this project sizes Redis with (burstable for small stacks, Graviton general/memory). */
export const redisNodeTypes = [
  ...["t3", "t4g"].flatMap((f) => ["micro", "small", "medium"].map((s) => `cache.${f}.${s}`)),
  ...["m6g", "m7g", "r6g", "r7g"].flatMap((f) =>
    ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"].map((s) => `cache.${f}.${s}`),
  ),
] as const;

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
  /** EncryptedRedis' alarm thresholds. @default DEFAULT_REDIS_ALARM_THRESHOLDS */
  readonly alarms: Required<EncryptedRedisAlarmThresholds>;
}

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
  const D = REDIS_DEFAULTS;
  const numCacheClusters = r.integer("numCacheClusters", {
    ...REDIS_RANGES.numCacheClusters,
    default: D.numCacheClusters,
  });
  const replicationGroupId = r.optionalString("replicationGroupId", {
    pattern: REDIS_FORMATS.replicationGroupId,
    describe: "1–40 lowercase letters, digits or hyphens, starting with a letter (e.g. huntaze-redis-encrypted)",
  });
  const snapshotName = r.optionalString("snapshotName", {
    pattern: REDIS_FORMATS.snapshotName,
    describe: "an ElastiCache snapshot name (e.g. huntaze-redis-pre-encryption-20261122-1500)",
  });
  const snapshotRetentionDays = r.integer("snapshotRetentionDays", {
    ...REDIS_RANGES.snapshotRetentionDays,
    default: D.snapshotRetentionDays,
  });
  const snapshotWindow =
    r.optionalString("snapshotWindow", {
      pattern: REDIS_FORMATS.snapshotWindow,
      describe: "a UTC window hh24:mi-hh24:mi (e.g. 01:00-02:00)",
    }) ?? D.snapshotWindow;
  const maintenanceWindow =
    r.optionalString("maintenanceWindow", {
      pattern: REDIS_FORMATS.maintenanceWindow,
      describe: "a UTC window ddd:hh24:mi-ddd:hh24:mi (e.g. sun:03:00-sun:04:00)",
    }) ?? D.maintenanceWindow;
  const authTokenUpdateStrategy = (r.optionalString("authTokenUpdateStrategy", { oneOf: ["SET", "ROTATE"] }) ??
    D.authTokenUpdateStrategy) as RedisStackConfig["authTokenUpdateStrategy"];
  const authTokenVersion = r.integer("authTokenVersion", {
    ...REDIS_RANGES.authTokenVersion,
    default: D.authTokenVersion,
  });
  const transitEncryptionMigration = r.boolean("transitEncryptionMigration", false);
  const applyImmediately = r.boolean("applyImmediately", false);

  const n = r.object("cname", { optional: true });
  const rollbackToEndpoint = n?.optionalString("rollbackToEndpoint", {
    pattern: REDIS_FORMATS.dnsName,
    describe: "the old cluster's endpoint (a DNS name)",
  });
  const cname: RedisCnameConfig | undefined = n && {
    zoneId: n.string("zoneId", { pattern: REDIS_FORMATS.hostedZoneId, describe: "a Route53 hosted zone id (Z…)" }),
    name: n.string("name", {
      pattern: REDIS_FORMATS.dnsName,
      describe: "a lowercase DNS name (e.g. redis.huntaze.internal)",
    }),
    ...(rollbackToEndpoint !== undefined ? { rollbackToEndpoint } : {}),
    allowOverwrite: n.boolean("allowOverwrite", false),
  };
  n?.rejectUnknownKeys();

  // Read as numbers, then checked by the component's own rules (reported under alarms.<key>).
  const a = r.object("alarms", { optional: true });
  const keys = Object.keys(DEFAULT_REDIS_ALARM_THRESHOLDS) as (keyof EncryptedRedisAlarmThresholds)[];
  const alarms = Object.fromEntries(
    keys.map((k) => [
      k,
      a?.number(k, { default: DEFAULT_REDIS_ALARM_THRESHOLDS[k] }) ?? DEFAULT_REDIS_ALARM_THRESHOLDS[k],
    ]),
  ) as Required<EncryptedRedisAlarmThresholds>;
  for (const p of redisAlarmProblems(alarms)) a?.problem(p.key, p.allowed, p.got);
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
