import * as v from "valibot";
import { DEFAULT_REDIS_PORT } from "../../lambdas/shared/redis-config";
import {
  args,
  flag,
  input,
  integer,
  integerAtLeast,
  list,
  nonEmpty,
  number,
  oneOf,
  present,
  rule,
  strictObject,
  stringMap,
  text,
} from "../spec";
import { DNS_NAME, dnsName, KMS_KEY_ARN, securityGroupId, snsTopicArn, subnetId, vpcId } from "./formats";

// EncryptedRedis' args as data: every field's allowed values and default, and the rules between
// fields, checked by the shared validator (components/spec.ts). The component resolves its args
// against `EncryptedRedisSpec`; the stack's `huntaze:redis` section (stacks/config-redis.ts) is read
// against the same field objects and rules; the package README's args table is generated from it.

/**
 * The node types EncryptedRedis builds with: the burstable T3/T4g sizes for small stacks and the
 * Graviton general-purpose (M6g, M7g) and memory-optimised (R6g, R7g) sizes, every one a current
 * generation type that supports encryption in transit and at rest with Redis 7 ("Supported node
 * types", ElastiCache User Guide: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html;
 * the same list in the ElastiCache API Reference, "CacheNode":
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CacheNode.html). A name of the
 * right form that is not a node type (`cache.t3.mirco`) is refused here instead of failing at deploy.
 */
export const REDIS_NODE_TYPES = [
  ...["t3", "t4g"].flatMap((family) => ["micro", "small", "medium"].map((size) => `cache.${family}.${size}`)),
  ...["m6g", "m7g", "r6g", "r7g"].flatMap((family) =>
    ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"].map(
      (size) => `cache.${family}.${size}`,
    ),
  ),
] as const;

/**
 * Eviction policies of the redis7 parameter group family ("Redis OSS 7 parameter changes" and
 * `maxmemory-policy` in "Redis OSS-specific parameters", ElastiCache User Guide:
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html#ParameterGroups.Redis).
 */
export const maxmemoryPolicies = [
  "volatile-lru",
  "allkeys-lru",
  "volatile-lfu",
  "allkeys-lfu",
  "volatile-ttl",
  "noeviction",
] as const;

/** Defaults of the arguments. */
export const REDIS_DEFAULTS = {
  numCacheClusters: 2,
  multiAz: true,
  engineVersion: "7.1",
  port: DEFAULT_REDIS_PORT,
  authTokenLength: 64,
  authTokenVersion: 1,
  authTokenUpdateStrategy: "SET",
  snapshotRetentionDays: 7,
  snapshotWindow: "01:00-02:00",
  maintenanceWindow: "sun:03:00-sun:04:00",
  maxmemoryPolicy: "volatile-lru",
  secretRecoveryWindowDays: 30,
} as const;

/**
 * Inclusive ranges. numCacheClusters: 1–6 nodes (a primary and up to 5 replicas), at least 2 with
 * Multi-AZ and automatic failover ("NumCacheClusters", CreateReplicationGroup, ElastiCache API
 * Reference: https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html).
 * snapshotRetentionDays: up to 35 days (same page, "SnapshotRetentionLimit"); 0 would turn backups
 * off, so the component starts at 1. authTokenLength: 16–128 characters ("Authenticating with the
 * Redis OSS AUTH command", ElastiCache User Guide: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html).
 * secretRecoveryWindowDays: 7–30 days, or 0 to delete without recovery ("RecoveryWindowInDays",
 * DeleteSecret, Secrets Manager API Reference; the provider's `recoveryWindowInDays` takes 0 for
 * ForceDeleteWithoutRecovery).
 */
export const REDIS_RANGES = {
  numCacheClusters: { min: 1, max: 6, minWithMultiAz: 2 },
  snapshotRetentionDays: { min: 1, max: 35 },
  authTokenLength: { min: 16, max: 128 },
  authTokenVersion: { min: 1 },
  port: { min: 1, max: 65535 },
  secretRecoveryWindowDays: { min: 7, max: 30 },
} as const;

/** The alarm defaults; an evicted rate-limiter key forgets a creator's window, so evictions page on the first one. */
export const DEFAULT_REDIS_ALARM_THRESHOLDS = {
  cpuPercentThreshold: 70,
  engineCpuPercentThreshold: 80,
  memoryPercentThreshold: 80,
  evictionsThreshold: 0,
  replicationLagSecondsThreshold: 1,
  connectionsThreshold: 1000,
} as const;

/** Formats only EncryptedRedis (and its stack section) accepts; the shared ones are in ./formats. */
export const REDIS_FORMATS = {
  // 1–40 characters, a letter first, no trailing or doubled hyphen ("ReplicationGroupId",
  // CreateReplicationGroup, ElastiCache API Reference); lowercase because AWS stores it so.
  replicationGroupId: /^(?!.*--)[a-z][a-z0-9-]{0,39}(?<!-)$/,
  // major.minor of Redis 7: transitEncryptionMode needs 7.0.5 or later ("TransitEncryptionMode",
  // CreateReplicationGroup, ElastiCache API Reference).
  engineVersion: /^7\.\d+$/,
  // "SnapshotArns: … Example of an Amazon S3 ARN: arn:aws:s3:::my_bucket/snapshot1.rdb"
  // (CreateReplicationGroup, ElastiCache API Reference).
  snapshotArn: /^arn:aws[a-z-]*:s3:::[^,]+$/,
  ipv4Cidr: /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/,
  ipv6Cidr: /^[0-9a-fA-F:]*:[0-9a-fA-F:]*\/(12[0-8]|1[01]\d|[1-9]?\d)$/,
  // UTC windows: "SnapshotWindow" (hh24:mi-hh24:mi) and "PreferredMaintenanceWindow"
  // (ddd:hh24:mi-ddd:hh24:mi, "The minimum maintenance window is a 60 minute period"),
  // CreateReplicationGroup, ElastiCache API Reference.
  snapshotWindow: /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/,
  maintenanceWindow:
    /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/,
  // Route 53 hosted zone ids ("Z" and upper-case letters and digits, e.g. Z0HUNTAZEINTERNAL1; the
  // `Id` of "HostedZone", Route 53 API Reference).
  hostedZoneId: /^Z[0-9A-Z]{4,32}$/,
  // Snapshot names: a letter first, then letters, digits or single hyphens, not ending with a hyphen,
  // at most 255 characters ("SnapshotName", CreateSnapshot, ElastiCache API Reference).
  snapshotName: /^(?!.*--)[A-Za-z][A-Za-z0-9-]{0,254}(?<!-)$/,
  // A snapshot name of at most 240 characters, so `<prefix>-final-<8 hex>` (15 more) stays within 255.
  finalSnapshotPrefix: /^(?!.*--)[A-Za-z][A-Za-z0-9-]{0,239}(?<!-)$/,
  // 1–512 letters, digits and /_+=.@- ("Name", CreateSecret, Secrets Manager API Reference).
  secretName: /^[A-Za-z0-9/_+=.@-]{1,512}$/,
};

const DAY = 24 * 60;
const WEEK = 7 * DAY;
const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** A window as [start minute, length in minutes] on a circle of a day or a week, or undefined when malformed. */
export function parseWindow(value: string, weekly: boolean): [number, number] | undefined {
  const m = (weekly ? REDIS_FORMATS.maintenanceWindow : REDIS_FORMATS.snapshotWindow).exec(value);
  if (!m) return undefined;
  const n = (i: number) => Number(m[i]);
  const [start, end] = weekly
    ? [days.indexOf(m[1]!) * DAY + n(2) * 60 + n(3), days.indexOf(m[4]!) * DAY + n(5) * 60 + n(6)]
    : [n(1) * 60 + n(2), n(3) * 60 + n(4)];
  const period = weekly ? WEEK : DAY;
  return [start, (end - start + period) % period];
}

/** True when the daily snapshot window meets the weekly maintenance window on any day. */
export function windowsOverlap(snapshotWindow: string, maintenanceWindow: string): boolean {
  const snapshot = parseWindow(snapshotWindow, false);
  const maintenance = parseWindow(maintenanceWindow, true);
  if (!snapshot || !maintenance) return false;
  const meets = (a: number, aLen: number, b: number, bLen: number) =>
    (b - a + WEEK) % WEEK < aLen || (a - b + WEEK) % WEEK < bLen;
  return days.some((_, d) => meets(d * DAY + snapshot[0], snapshot[1], maintenance[0], maintenance[1]));
}

const isString = (x: unknown): x is string => typeof x === "string";

/** A UTC window of the right form and length (the daily snapshot window, or the weekly maintenance window). */
function window(weekly: boolean) {
  const allowed = weekly
    ? "a UTC window ddd:hh24:mi-ddd:hh24:mi of 60 minutes to 24 hours (e.g. sun:03:00-sun:04:00)"
    : "a UTC window hh24:mi-hh24:mi of at least 60 minutes (e.g. 01:00-02:00)";
  return present<string>(allowed, (x) => {
    const w = isString(x) ? parseWindow(x, weekly) : undefined;
    return w !== undefined && w[1] >= 60 && (!weekly || w[1] <= DAY);
  });
}

const R = REDIS_RANGES;
const D = REDIS_DEFAULTS;
const A = DEFAULT_REDIS_ALARM_THRESHOLDS;
const F = REDIS_FORMATS;

const percent = () => number({ gt: 0, max: 100 });

/** The alarm thresholds (`alarms`), each with its default. */
export const redisAlarmFields = {
  cpuPercentThreshold: v.optional(percent(), A.cpuPercentThreshold),
  engineCpuPercentThreshold: v.optional(percent(), A.engineCpuPercentThreshold),
  memoryPercentThreshold: v.optional(percent(), A.memoryPercentThreshold),
  evictionsThreshold: v.optional(integerAtLeast(0), A.evictionsThreshold),
  replicationLagSecondsThreshold: v.optional(number({ gt: 0 }), A.replicationLagSecondsThreshold),
  connectionsThreshold: v.optional(integerAtLeast(1), A.connectionsThreshold),
};

/** The Route 53 CNAME (`cname`). */
export const redisCnameFields = {
  zoneId: input(text(F.hostedZoneId, "a Route53 hosted zone id (Z…)")),
  name: dnsName(),
  rollbackToEndpoint: v.optional(text(DNS_NAME, "a DNS name (the old cluster's endpoint)")),
  allowOverwrite: v.optional(flag(), false),
};

/** An allowed network: an IPv4 or IPv6 CIDR block, never a /0. */
const cidrBlock = present<string>(
  "an IPv4 or IPv6 CIDR block that is not a /0 (Redis is never opened to the whole internet)",
  (x) => isString(x) && (F.ipv4Cidr.test(x) || F.ipv6Cidr.test(x)) && !x.endsWith("/0"),
);

/** Every argument's field: the stack section takes its own from here. */
export const redisFields = {
  description: nonEmpty("a non-empty string (ElastiCache requires a description)"),
  nodeType: oneOf(REDIS_NODE_TYPES),
  vpcId: input(vpcId()),
  subnetIds: input(list(input(subnetId()), { minItems: 1 })),
  allowedSecurityGroupIds: v.optional(list(input(securityGroupId())), []),
  allowedCidrBlocks: v.optional(list(cidrBlock), []),
  alarmTopicArn: input(snsTopicArn()),
  replicationGroupId: v.optional(
    text(
      F.replicationGroupId,
      "1–40 lowercase letters, digits or hyphens, starting with a letter, not ending with or doubling a hyphen (e.g. huntaze-redis-encrypted)",
    ),
  ),
  numCacheClusters: v.optional(integer(R.numCacheClusters.min, R.numCacheClusters.max), D.numCacheClusters),
  multiAz: v.optional(flag(), D.multiAz),
  engineVersion: v.optional(
    text(F.engineVersion, "7.x as major.minor (transitEncryptionMode needs ≥ 7.0.5)"),
    D.engineVersion,
  ),
  port: v.optional(integer(R.port.min, R.port.max), D.port),
  kmsKeyArn: v.optional(
    input(
      text(
        KMS_KEY_ARN,
        "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>): an alias or key id reads back as the ARN and replaces the group",
      ),
    ),
  ),
  authTokenLength: v.optional(integer(R.authTokenLength.min, R.authTokenLength.max), D.authTokenLength),
  authTokenVersion: v.optional(integerAtLeast(R.authTokenVersion.min), D.authTokenVersion),
  authTokenUpdateStrategy: v.optional(oneOf(["SET", "ROTATE"] as const), D.authTokenUpdateStrategy),
  transitEncryptionMigration: v.optional(flag(), false),
  snapshotName: v.optional(
    text(
      F.snapshotName,
      "an ElastiCache snapshot name: a letter, then letters, digits or single hyphens, at most 255 characters (e.g. huntaze-redis-pre-encryption-20261122-1500)",
    ),
  ),
  snapshotArns: v.optional(list(text(F.snapshotArn, "an S3 object ARN (arn:aws:s3:::bucket/key.rdb)"))),
  snapshotRetentionDays: v.optional(
    integer(R.snapshotRetentionDays.min, R.snapshotRetentionDays.max),
    D.snapshotRetentionDays,
  ),
  snapshotWindow: v.optional(window(false), D.snapshotWindow),
  maintenanceWindow: v.optional(window(true), D.maintenanceWindow),
  finalSnapshotIdentifier: v.optional(
    text(F.snapshotName, "a snapshot name: a letter, then letters, digits or single hyphens, at most 255 characters"),
  ),
  finalSnapshotPrefix: v.optional(
    text(F.finalSnapshotPrefix, "a letter, then letters, digits or single hyphens, at most 240 characters"),
  ),
  appliedAuthTokenVersion: v.optional(input(integerAtLeast(R.authTokenVersion.min))),
  applyImmediately: v.optional(flag(), false),
  maxmemoryPolicy: v.optional(oneOf(maxmemoryPolicies), D.maxmemoryPolicy),
  cname: v.optional(strictObject(redisCnameFields)),
  secretName: v.optional(text(F.secretName, "a Secrets Manager secret name (1–512 letters, digits or /_+=.@-)")),
  secretRecoveryWindowDays: v.optional(
    present<number>(
      `0 or an integer from ${R.secretRecoveryWindowDays.min} to ${R.secretRecoveryWindowDays.max}`,
      (x) =>
        x === 0 ||
        (Number.isInteger(x) &&
          (x as number) >= R.secretRecoveryWindowDays.min &&
          (x as number) <= R.secretRecoveryWindowDays.max),
    ),
    D.secretRecoveryWindowDays,
  ),
  // A computed default (each threshold's own), so the docs show the JSDoc's words, not "{}".
  alarms: v.optional(strictObject(redisAlarmFields), () => ({})),
  tags: v.optional(stringMap()),
};

// --- Rules between fields (generic, so the stack section checks the ones its keys allow) -----------

/** Multi-AZ with automatic failover needs a replica (a section without `multiAz` has the default, on). */
export function multiAzNodesRule<T extends { numCacheClusters: number; multiAz?: boolean }>() {
  const { minWithMultiAz, max } = R.numCacheClusters;
  return rule<T>(
    ["numCacheClusters", "multiAz"],
    "numCacheClusters",
    `an integer from ${minWithMultiAz} to ${max} for Multi-AZ with automatic failover (1 only with multiAz false)`,
    (a) => a.multiAz === false || a.numCacheClusters >= minWithMultiAz,
  );
}

/** Snapshots and maintenance at the same time: ElastiCache refuses overlapping windows. */
export function windowsRule<T extends { snapshotWindow: string; maintenanceWindow: string }>() {
  return rule<T>(
    ["snapshotWindow", "maintenanceWindow"],
    "snapshotWindow",
    (a) => `a daily window that does not overlap maintenanceWindow "${a.maintenanceWindow}"`,
    (a) => !windowsOverlap(a.snapshotWindow, a.maintenanceWindow),
  );
}

const base = args(redisFields);
type Base = v.InferOutput<typeof base>;

/** EncryptedRedis' args: the fields above and the rules between them. */
export const EncryptedRedisSpec = v.pipe(
  base,
  multiAzNodesRule<Base>(),
  windowsRule<Base>(),
  rule<Base>(
    ["allowedSecurityGroupIds", "allowedCidrBlocks"],
    "allowedSecurityGroupIds",
    "at least one source here or in allowedCidrBlocks (with none, nothing could connect)",
    (a) => a.allowedSecurityGroupIds.length + a.allowedCidrBlocks.length > 0,
  ),
  rule<Base>(
    ["snapshotName", "snapshotArns"],
    "snapshotArns",
    "no snapshotArns when snapshotName is given (restore from one of them, not both)",
    (a) => a.snapshotName === undefined || a.snapshotArns === undefined,
  ),
  rule<Base>(
    ["finalSnapshotIdentifier", "finalSnapshotPrefix"],
    "finalSnapshotPrefix",
    "no finalSnapshotPrefix when finalSnapshotIdentifier is given (the exact name or the prefix, not both)",
    (a) => a.finalSnapshotIdentifier === undefined || a.finalSnapshotPrefix === undefined,
  ),
);

/**
 * The spec a component named `resourceName` resolves against: the finalSnapshotPrefix defaults to
 * the resource name when neither it nor replicationGroupId is given, so that name must be a prefix.
 */
export function encryptedRedisSpecFor(resourceName: string) {
  return v.pipe(
    EncryptedRedisSpec,
    rule<Base>(
      ["finalSnapshotPrefix", "replicationGroupId", "finalSnapshotIdentifier"],
      "finalSnapshotPrefix",
      `a prefix, since its default (the resource name "${resourceName}") is not one: a letter, then letters, digits or single hyphens, at most 240 characters`,
      (a) =>
        a.finalSnapshotPrefix !== undefined ||
        a.replicationGroupId !== undefined ||
        a.finalSnapshotIdentifier !== undefined ||
        F.finalSnapshotPrefix.test(resourceName),
    ),
  );
}

/** The args with every default applied: the constructor reads only this. */
export type EncryptedRedisResolved = v.InferOutput<typeof EncryptedRedisSpec>;
