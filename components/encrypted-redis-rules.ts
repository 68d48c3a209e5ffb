import type * as pulumi from "@pulumi/pulumi";
import { DEFAULT_REDIS_PORT } from "../lambdas/shared/redis-config";
import type { EncryptedRedisAlarmThresholds, EncryptedRedisArgs } from "./encrypted-redis";

// EncryptedRedis' contract as data: defaults, formats, ranges and the validation rules, each
// defined here once; the component and the stack config (stacks/config-redis.ts) import them.

/** Eviction policies of the redis7 parameter group family. */
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

/** Inclusive ranges (numCacheClusters: with Multi-AZ, the default). */
export const REDIS_RANGES = {
  numCacheClusters: { min: 2, max: 6 },
  snapshotRetentionDays: { min: 1, max: 35 },
  authTokenVersion: { min: 1 },
} as const;

/** The alarm defaults; an evicted rate-limiter key forgets a creator's window, so evictions page on the first one. */
export const DEFAULT_REDIS_ALARM_THRESHOLDS: Required<EncryptedRedisAlarmThresholds> = {
  cpuPercentThreshold: 70,
  engineCpuPercentThreshold: 80,
  memoryPercentThreshold: 80,
  evictionsThreshold: 0,
  replicationLagSecondsThreshold: 1,
  connectionsThreshold: 1000,
};

/** A problem with one threshold: the allowed values and the value received. */
export interface ThresholdProblem {
  readonly key: keyof EncryptedRedisAlarmThresholds;
  readonly allowed: string;
  readonly got: number;
}

/** The rules of the alarm thresholds (the stack reports them by key, the component in its error). */
export function redisAlarmProblems(t: Required<EncryptedRedisAlarmThresholds>): ThresholdProblem[] {
  const percent = (key: ThresholdProblem["key"]) => ({
    key,
    ok: t[key] > 0 && t[key] <= 100,
    allowed: "a percentage > 0 and ≤ 100",
  });
  const rules = [
    percent("cpuPercentThreshold"),
    percent("engineCpuPercentThreshold"),
    percent("memoryPercentThreshold"),
    { key: "evictionsThreshold", ok: isInt(t.evictionsThreshold, 0), allowed: "an integer ≥ 0" },
    {
      key: "replicationLagSecondsThreshold",
      ok: t.replicationLagSecondsThreshold > 0,
      allowed: "> 0 seconds",
    },
    { key: "connectionsThreshold", ok: isInt(t.connectionsThreshold, 1), allowed: "an integer ≥ 1" },
  ] as const;
  return rules.filter((r) => !r.ok).map((r) => ({ key: r.key, allowed: r.allowed, got: t[r.key] }));
}

/** Formats of the arguments (the stack config checks its keys against them too). */
export const REDIS_FORMATS = {
  kmsKeyArn:
    /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
  // 1–40 characters, a letter first, no trailing or doubled hyphen; lowercase because AWS stores it so.
  replicationGroupId: /^(?!.*--)[a-z][a-z0-9-]{0,39}(?<!-)$/,
  nodeType: /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
  engineVersion: /^7\.\d+$/,
  securityGroupId: /^sg-[0-9a-f]{8,17}$/,
  snapshotArn: /^arn:aws[a-z-]*:s3:::[^,]+$/,
  ipv4Cidr: /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/,
  ipv6Cidr: /^[0-9a-fA-F:]*:[0-9a-fA-F:]*\/(12[0-8]|1[01]\d|[1-9]?\d)$/,
  snapshotWindow: /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/,
  maintenanceWindow:
    /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/,
  hostedZoneId: /^Z[0-9A-Z]{4,32}$/,
  snapshotName: /^(?!.*--)[A-Za-z][A-Za-z0-9-]{0,254}(?<!-)$/,
  dnsName: /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}\.?$/,
};

const DAY = 24 * 60;
const WEEK = 7 * DAY;
const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** A window as [start minute, length in minutes] on a circle of `period` minutes, or undefined when malformed. */
function parseWindow(value: string, weekly: boolean): [number, number] | undefined {
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
function windowsOverlap(snapshot: [number, number], maintenance: [number, number]): boolean {
  const meets = (a: number, aLen: number, b: number, bLen: number) =>
    (b - a + WEEK) % WEEK < aLen || (a - b + WEEK) % WEEK < bLen;
  return days.some((_, d) => meets(d * DAY + snapshot[0], snapshot[1], maintenance[0], maintenance[1]));
}

const isInt = (v: number, min: number, max = Number.MAX_SAFE_INTEGER) => Number.isInteger(v) && v >= min && v <= max;
const plain = (v: pulumi.Input<string>): v is string => typeof v === "string";

/** Every argument with its default applied: the constructor reads only this. */
export interface Resolved {
  readonly numCacheClusters: number;
  readonly multiAz: boolean;
  readonly engineVersion: string;
  readonly port: number;
  readonly authTokenLength: number;
  readonly authTokenVersion: number;
  readonly authTokenUpdateStrategy: "SET" | "ROTATE";
  readonly transitEncryptionMode: "required" | "preferred";
  readonly snapshotRetentionDays: number;
  readonly snapshotWindow: string;
  readonly maintenanceWindow: string;
  readonly finalSnapshotPrefix: string;
  readonly maxmemoryPolicy: string;
  readonly replicationGroupId?: string;
  readonly secretName?: string;
  readonly applyImmediately: boolean;
  readonly tags?: Record<string, string>;
  readonly secretRecoveryWindowDays: number;
  readonly alarms: Required<EncryptedRedisAlarmThresholds>;
  readonly allowedSecurityGroupIds: readonly pulumi.Input<string>[];
  readonly allowedCidrBlocks: readonly string[];
}

/** Every broken rule, as a message naming the allowed values and the value received. */
export function redisProblems(r: Resolved, args: EncryptedRedisArgs): string[] {
  const snapshot = parseWindow(r.snapshotWindow, false);
  const maintenance = parseWindow(r.maintenanceWindow, true);
  const kms = args.kmsKeyArn;
  const checks: { ok: boolean; message: string }[] = [
    { ok: args.description.trim() !== "", message: "description must be a non-empty string (ElastiCache requires it)" },
    {
      ok: REDIS_FORMATS.nodeType.test(args.nodeType),
      message: `nodeType must look like cache.<family>.<size> (e.g. cache.t3.micro), got "${args.nodeType}"`,
    },
    {
      ok: !r.multiAz || isInt(r.numCacheClusters, REDIS_RANGES.numCacheClusters.min, REDIS_RANGES.numCacheClusters.max),
      message: `numCacheClusters must be ≥ 2 and ≤ 6 for multi-AZ with automatic failover, got ${r.numCacheClusters}`,
    },
    {
      ok: r.multiAz || isInt(r.numCacheClusters, 1, 6),
      message: `numCacheClusters must be an integer from 1 to 6, got ${r.numCacheClusters}`,
    },
    {
      ok: REDIS_FORMATS.engineVersion.test(r.engineVersion),
      message: `engineVersion must be 7.x as major.minor (transitEncryptionMode needs ≥ 7.0.5), got "${r.engineVersion}"`,
    },
    { ok: isInt(r.port, 1, 65535), message: `port must be an integer from 1 to 65535, got ${r.port}` },
    {
      ok: args.replicationGroupId === undefined || REDIS_FORMATS.replicationGroupId.test(args.replicationGroupId),
      message: `replicationGroupId must be 1–40 lowercase letters, digits or hyphens, start with a letter, not end with or double a hyphen, got "${args.replicationGroupId}"`,
    },
    {
      ok: kms === undefined || !plain(kms) || REDIS_FORMATS.kmsKeyArn.test(kms),
      message: `kmsKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>): an alias or key id reads back as the ARN and replaces the group, got "${plain(kms ?? "") ? kms : ""}"`,
    },
    {
      ok: isInt(r.authTokenLength, 16, 128),
      message: `authTokenLength must be an integer from 16 to 128 (ElastiCache AUTH token limits), got ${r.authTokenLength}`,
    },
    {
      ok: isInt(r.authTokenVersion, 1),
      message: `authTokenVersion must be an integer ≥ 1, got ${r.authTokenVersion}`,
    },
    {
      ok: (["SET", "ROTATE"] as string[]).includes(r.authTokenUpdateStrategy),
      message: `authTokenUpdateStrategy must be SET or ROTATE, got "${r.authTokenUpdateStrategy}"`,
    },
    {
      ok: args.snapshotName === undefined || args.snapshotArns === undefined,
      message: "snapshotName and snapshotArns conflict: restore from one of them, not both",
    },
    {
      ok: args.snapshotName === undefined || REDIS_FORMATS.snapshotName.test(args.snapshotName),
      message: `snapshotName must be an ElastiCache snapshot name (a letter, then letters, digits or hyphens), got "${args.snapshotName}"`,
    },
    ...(args.snapshotArns ?? []).map((arn, i) => ({
      ok: REDIS_FORMATS.snapshotArn.test(arn),
      message: `snapshotArns[${i}] must be an S3 object ARN (arn:aws:s3:::bucket/key.rdb), got "${arn}"`,
    })),
    {
      ok: isInt(
        r.snapshotRetentionDays,
        REDIS_RANGES.snapshotRetentionDays.min,
        REDIS_RANGES.snapshotRetentionDays.max,
      ),
      message: `snapshotRetentionDays must be an integer from 1 to 35, got ${r.snapshotRetentionDays}`,
    },
    {
      ok: snapshot !== undefined && snapshot[1] >= 60,
      message: `snapshotWindow must be UTC hh24:mi-hh24:mi of at least 60 minutes, got "${r.snapshotWindow}"`,
    },
    {
      ok: maintenance !== undefined && maintenance[1] >= 60 && maintenance[1] <= DAY,
      message: `maintenanceWindow must be UTC ddd:hh24:mi-ddd:hh24:mi of 60 minutes to 24 hours, got "${r.maintenanceWindow}"`,
    },
    {
      ok: !snapshot || !maintenance || !windowsOverlap(snapshot, maintenance),
      message: `snapshotWindow "${r.snapshotWindow}" must not overlap maintenanceWindow "${r.maintenanceWindow}"`,
    },
    {
      ok: args.finalSnapshotIdentifier === undefined || REDIS_FORMATS.snapshotName.test(args.finalSnapshotIdentifier),
      message: `finalSnapshotIdentifier must be a snapshot name (a letter, then letters, digits or single hyphens, at most 255), got "${args.finalSnapshotIdentifier}"`,
    },
    {
      // A prefix taken from replicationGroupId is checked (once) by that field's own rule.
      ok:
        (args.finalSnapshotPrefix === undefined && args.replicationGroupId !== undefined) ||
        (REDIS_FORMATS.snapshotName.test(r.finalSnapshotPrefix) && r.finalSnapshotPrefix.length <= 240),
      message: `finalSnapshotPrefix must be a letter, then letters, digits or single hyphens, at most 240 characters, got "${r.finalSnapshotPrefix}"`,
    },
    {
      ok: args.finalSnapshotIdentifier === undefined || args.finalSnapshotPrefix === undefined,
      message: "finalSnapshotIdentifier and finalSnapshotPrefix conflict: give the exact name or the prefix, not both",
    },
    {
      ok: (maxmemoryPolicies as readonly string[]).includes(r.maxmemoryPolicy),
      message: `maxmemoryPolicy must be one of ${maxmemoryPolicies.join(", ")}, got "${r.maxmemoryPolicy}"`,
    },
    {
      ok: r.secretRecoveryWindowDays === 0 || isInt(r.secretRecoveryWindowDays, 7, 30),
      message: `secretRecoveryWindowDays must be 0 or an integer from 7 to 30, got ${r.secretRecoveryWindowDays}`,
    },
    {
      ok: r.allowedSecurityGroupIds.length + r.allowedCidrBlocks.length > 0,
      message: "allowedSecurityGroupIds or allowedCidrBlocks must name at least one source (nothing could connect)",
    },
    ...r.allowedSecurityGroupIds.map((id, i) => ({
      ok: !plain(id) || REDIS_FORMATS.securityGroupId.test(id),
      message: `allowedSecurityGroupIds[${i}] must be a security group id (sg-…), got "${plain(id) ? id : ""}"`,
    })),
    ...r.allowedCidrBlocks.map((cidr, i) => ({
      ok: REDIS_FORMATS.ipv4Cidr.test(cidr) || REDIS_FORMATS.ipv6Cidr.test(cidr),
      message: `allowedCidrBlocks[${i}] must be an IPv4 or IPv6 CIDR block, got "${cidr}"`,
    })),
    ...r.allowedCidrBlocks.map((cidr, i) => ({
      ok: !cidr.endsWith("/0"),
      message: `allowedCidrBlocks[${i}] must not open Redis to the whole internet (a /0 block), got "${cidr}"`,
    })),
    ...redisAlarmProblems(r.alarms).map((p) => ({
      ok: false,
      message: `alarms.${p.key} must be ${p.allowed}, got ${p.got}`,
    })),
    {
      ok: args.cname === undefined || REDIS_FORMATS.dnsName.test(args.cname.name),
      message: `cname.name must be a lowercase DNS name (e.g. redis.huntaze.internal), got "${args.cname?.name}"`,
    },
    {
      ok:
        args.cname?.zoneId === undefined ||
        !plain(args.cname.zoneId) ||
        REDIS_FORMATS.hostedZoneId.test(args.cname.zoneId),
      message: `cname.zoneId must be a Route53 hosted zone id (Z…), got "${plain(args.cname?.zoneId ?? "") ? args.cname?.zoneId : ""}"`,
    },
    {
      ok: args.cname?.rollbackToEndpoint === undefined || REDIS_FORMATS.dnsName.test(args.cname.rollbackToEndpoint),
      message: `cname.rollbackToEndpoint must be a DNS name (the old cluster's endpoint), got "${args.cname?.rollbackToEndpoint}"`,
    },
  ];
  return checks.filter((c) => !c.ok).map((c) => c.message);
}

/**
 * Why this token change must not be applied, or undefined when it may: a new token version applied
 * with `SET` revokes the old token at once (the provider applies token changes immediately), before
 * any client has read the new one from the secret. Pure, so the preview check is tested directly.
 */
export function authTokenChangeProblem(
  applied: number | undefined,
  version: number,
  strategy: "SET" | "ROTATE",
): string | undefined {
  if (applied === undefined || applied === version || strategy === "ROTATE") return undefined;
  return (
    `authTokenVersion changes from ${applied} to ${version} with authTokenUpdateStrategy "SET", which revokes the ` +
    `old AUTH token at once and disconnects every client still using it. Rotate in two deployments: ` +
    `(1) authTokenVersion ${version} with authTokenUpdateStrategy "ROTATE" and applyImmediately true (old and new ` +
    `tokens both work; the secret gets the new one; clients re-read it on their next auth failure or restart); ` +
    `(2) once every client uses the new token, authTokenUpdateStrategy "SET" with the same version ${version} ` +
    `(the old token stops working). To keep the current token, set authTokenVersion back to ${applied}.`
  );
}
