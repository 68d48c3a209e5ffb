import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

// ElastiCache for Redis, encrypted at rest (customer KMS key) and in transit (TLS required), with
// an AUTH token that exists only as a secret. The AWS quirks it is shaped around: at-rest
// encryption and the key are fixed at creation, a key id or alias replaces the group, snapshotName
// forces replacement and is never read back, authTokenUpdateStrategy has no default. The migration
// it serves is the ElastiCache encryption runbook: snapshot the old standalone cluster, restore
// into a new encrypted group, cut over with a CNAME, roll back by flipping the CNAME back.

/** The alarm thresholds; each alarm exists once per member node (ElastiCache names them `<groupId>-00N`). */
export interface EncryptedRedisAlarmThresholds {
  /** Host CPUUtilization (Average over 5 minutes) above this percentage. @default 70 */
  readonly cpuPercentThreshold?: number;
  /** EngineCPUUtilization, the single Redis thread (Average over 5 minutes), above this percentage. @default 80 */
  readonly engineCpuPercentThreshold?: number;
  /** DatabaseMemoryUsagePercentage (Average over 5 minutes) above this percentage. @default 80 */
  readonly memoryPercentThreshold?: number;
  /**
   * Evictions (Sum over 5 minutes) above this count. An evicted rate-limiter key forgets a creator's
   * window, so the default pages on the first one.
   * @default 0
   */
  readonly evictionsThreshold?: number;
  /** ReplicationLag of a replica (Average over 5 minutes) above this many seconds. @default 1 */
  readonly replicationLagSecondsThreshold?: number;
  /** CurrConnections (Maximum over 5 minutes) above this count; a steady climb is a client leak. @default 1000 */
  readonly connectionsThreshold?: number;
}

/** Route53 CNAME for cutover and rollback (seed 000, Phase 5 option B). */
export interface EncryptedRedisCname {
  /** Hosted zone id (Z…) of the private zone. */
  readonly zoneId: pulumi.Input<string>;
  /** Record name, e.g. `redis.huntaze.internal`. */
  readonly name: string;
  /**
   * Point the record at another endpoint instead of this group's primary: the rollback of seed 000
   * is this field set to the old cluster's endpoint and one `pulumi up`; removing it cuts over again.
   * Clients configured for TLS keep verifying `tlsServername` (this group's endpoint), so against the
   * old plain-text cluster they fail closed instead of sending the token in clear: roll those back
   * with their previous task definition.
   * @default - this group's primary endpoint
   */
  readonly rollbackToEndpoint?: string;
  /**
   * Take over a record of the same name that already exists (created by hand during an earlier
   * migration step), like the runbook's UPSERT.
   * @default false - creating the record fails if one exists
   */
  readonly allowOverwrite?: boolean;
}

export interface EncryptedRedisArgs {
  /** What the group is for; ElastiCache requires a description. */
  readonly description: string;
  /** Node type, e.g. `cache.t3.micro` or `cache.r6g.large`. */
  readonly nodeType: string;
  /** VPC of the security group. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets, in at least two AZs for Multi-AZ; they form the group's own subnet group. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Security groups allowed to connect on the Redis port (one ingress rule each). At least one of
   * `allowedSecurityGroupIds` / `allowedCidrBlocks` must name a source.
   * @default - none
   */
  readonly allowedSecurityGroupIds?: readonly pulumi.Input<string>[];
  /** CIDR blocks (IPv4 or IPv6) allowed to connect on the Redis port; `/0` is refused. @default - none */
  readonly allowedCidrBlocks?: readonly string[];
  /** SNS topic every alarm notifies (ALARM and OK). */
  readonly alarmTopicArn: pulumi.Input<string>;

  /**
   * Physical replication group id. Setting it (seed 000 wants `huntaze-redis-encrypted`) gives a
   * stable, readable name, but a change that replaces the group then fails at create time ("already
   * exists") instead of creating the replacement before deleting the old group: the change has to be
   * made as a new group with a new id, the way this migration itself is done.
   * @default - auto-named from the component name, so a replacement is created before the old group is deleted
   */
  readonly replicationGroupId?: string;
  /** Number of nodes (primary + replicas), 2–6 with Multi-AZ. @default 2 */
  readonly numCacheClusters?: number;
  /**
   * Multi-AZ with automatic failover (both on or both off; needs `numCacheClusters >= 2`).
   * @default true
   */
  readonly multiAz?: boolean;
  /** Redis engine version, major.minor (≥ 7.0 for `transitEncryptionMode`). @default "7.1" */
  readonly engineVersion?: string;
  /** TCP port. @default 6379 */
  readonly port?: number;
  /**
   * Existing customer-managed KMS key, as a key ARN (`arn:aws:kms:<region>:<account>:key/<id>`):
   * an alias or bare key id reads back as the ARN, shows a diff and replaces the group.
   * @default - a customer-managed key with yearly rotation is created
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /**
   * Length of the generated AUTH token (letters and digits only, so never `@`, `"`, `/` or `%`).
   * @default 64
   */
  readonly authTokenLength?: number;
  /**
   * Bump to generate a new AUTH token (rotation). Rotate in two applies: bump this with
   * `authTokenUpdateStrategy: "ROTATE"` (old and new tokens both work while clients re-read the
   * secret), then set `"SET"` again to retire the old token. Run both applies with
   * `applyImmediately: true`, as AWS's AUTH rotation procedure does. Runbook (commands, what to
   * watch, rollback): docs/redis-auth-rotation.md.
   * @default 1
   */
  readonly authTokenVersion?: number;
  /**
   * How ElastiCache applies a token change. `SET` for a new group or a first token (`ROTATE` on a
   * passwordless group would leave passwordless access open); `ROTATE` while rotating.
   * @default "SET"
   */
  readonly authTokenUpdateStrategy?: "SET" | "ROTATE";
  /**
   * Enabling TLS on an existing (imported) group: `transitEncryptionMode: "preferred"` first, so
   * clients can move to TLS without downtime; then unset this to go to `required` in a later apply.
   * A new group never needs it.
   * @default false - TLS is `required`
   */
  readonly transitEncryptionMigration?: boolean;
  /**
   * Seed the new group from a snapshot of the old cluster (seed 000 Phase 2). Only read at creation:
   * it is in `ignoreChanges`, so removing it later does not replace the restored group.
   * @default - an empty group
   */
  readonly snapshotName?: string;
  /** Seed the new group from RDB files in S3 (`arn:aws:s3:::bucket/key.rdb`); conflicts with `snapshotName`. @default - an empty group */
  readonly snapshotArns?: readonly string[];
  /** Days of automatic snapshots, 1–35. @default 7 */
  readonly snapshotRetentionDays?: number;
  /** Daily snapshot window, UTC `hh24:mi-hh24:mi`, at least 60 minutes. @default "01:00-02:00" */
  readonly snapshotWindow?: string;
  /** Weekly maintenance window, UTC `ddd:hh24:mi-ddd:hh24:mi`, 60 minutes to 24 hours. @default "sun:03:00-sun:04:00" */
  readonly maintenanceWindow?: string;
  /**
   * Exact name of the snapshot taken when the group is deleted. Snapshot names are unique per
   * account and region: a fixed name makes the second deletion of a group with it fail (a
   * replacement, or destroy → up → destroy), leaving the old group running. Prefer
   * `finalSnapshotPrefix`. Conflicts with `finalSnapshotPrefix`.
   * @default - `<finalSnapshotPrefix>-final-<8 hex>`, the suffix regenerated with every new group
   */
  readonly finalSnapshotIdentifier?: string;
  /**
   * Start of the final snapshot's name; a random suffix (`-final-<8 hex>`) is added, regenerated
   * whenever the group is replaced or re-created, so no two generations of the group collide.
   * Put the environment in it: staging and production share the account.
   * @default - the replicationGroupId, or the component name
   */
  readonly finalSnapshotPrefix?: string;
  /**
   * The `authTokenVersion` of the last successful deployment (a stack reads it from its own previous
   * outputs). When it is known and differs from `authTokenVersion`, `authTokenUpdateStrategy` must
   * be `ROTATE`: a new token applied with `SET` revokes the old one at once, before any client has
   * the new one. The preview fails with the two-step procedure instead.
   * @default - unknown (first deployment): no check
   */
  readonly appliedAuthTokenVersion?: pulumi.Input<number | undefined>;
  /** Apply modifications now instead of in the maintenance window. @default false */
  readonly applyImmediately?: boolean;
  /**
   * Eviction policy (parameter group, family redis7). Every key this platform writes (rate-limiter
   * buckets and windows, idempotency markers, cache entries) carries a TTL, so `volatile-lru` can
   * always free memory while keys without a TTL are never evicted. The evictions alarm reports
   * every eviction.
   * @default "volatile-lru"
   */
  readonly maxmemoryPolicy?: (typeof maxmemoryPolicies)[number];
  /** Route53 CNAME in front of the primary endpoint. @default - no record */
  readonly cname?: EncryptedRedisCname;
  /** Secrets Manager secret name. @default - auto-named from the component name */
  readonly secretName?: string;
  /** Days a deleted secret can be restored. @default 30 */
  readonly secretRecoveryWindowDays?: number;
  /** Alarm thresholds. @default - the defaults of each field */
  readonly alarms?: EncryptedRedisAlarmThresholds;
  readonly tags?: Record<string, string>;
}

export const maxmemoryPolicies = [
  "volatile-lru",
  "allkeys-lru",
  "volatile-lfu",
  "allkeys-lfu",
  "volatile-ttl",
  "noeviction",
] as const;

interface Resolved {
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
  readonly secretRecoveryWindowDays: number;
  readonly alarms: Required<EncryptedRedisAlarmThresholds>;
  readonly allowedSecurityGroupIds: readonly pulumi.Input<string>[];
  readonly allowedCidrBlocks: readonly string[];
}

const patterns = {
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
  snapshotName: /^(?!.*--)[A-Za-z][A-Za-z0-9-]{0,254}(?<!-)$/,
  dnsName: /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}\.?$/,
};

const DAY = 24 * 60;
const WEEK = 7 * DAY;
const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** A window as [start minute, length in minutes] on a circle of `period` minutes, or undefined when malformed. */
function parseWindow(value: string, weekly: boolean): [number, number] | undefined {
  const m = (weekly ? patterns.maintenanceWindow : patterns.snapshotWindow).exec(value);
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

function resolve(name: string, args: EncryptedRedisArgs): Resolved {
  const multiAz = args.multiAz ?? true;
  const a = args.alarms ?? {};
  const r: Resolved = {
    numCacheClusters: args.numCacheClusters ?? 2,
    multiAz,
    engineVersion: args.engineVersion ?? "7.1",
    port: args.port ?? 6379,
    authTokenLength: args.authTokenLength ?? 64,
    authTokenVersion: args.authTokenVersion ?? 1,
    authTokenUpdateStrategy: args.authTokenUpdateStrategy ?? "SET",
    transitEncryptionMode: args.transitEncryptionMigration ? "preferred" : "required",
    snapshotRetentionDays: args.snapshotRetentionDays ?? 7,
    snapshotWindow: args.snapshotWindow ?? "01:00-02:00",
    maintenanceWindow: args.maintenanceWindow ?? "sun:03:00-sun:04:00",
    finalSnapshotPrefix: args.finalSnapshotPrefix ?? args.replicationGroupId ?? name,
    maxmemoryPolicy: args.maxmemoryPolicy ?? "volatile-lru",
    secretRecoveryWindowDays: args.secretRecoveryWindowDays ?? 30,
    alarms: {
      cpuPercentThreshold: a.cpuPercentThreshold ?? 70,
      engineCpuPercentThreshold: a.engineCpuPercentThreshold ?? 80,
      memoryPercentThreshold: a.memoryPercentThreshold ?? 80,
      evictionsThreshold: a.evictionsThreshold ?? 0,
      replicationLagSecondsThreshold: a.replicationLagSecondsThreshold ?? 1,
      connectionsThreshold: a.connectionsThreshold ?? 1000,
    },
    allowedSecurityGroupIds: args.allowedSecurityGroupIds ?? [],
    allowedCidrBlocks: args.allowedCidrBlocks ?? [],
  };

  const snapshot = parseWindow(r.snapshotWindow, false);
  const maintenance = parseWindow(r.maintenanceWindow, true);
  const percent = (key: keyof EncryptedRedisAlarmThresholds, v: number) => ({
    ok: v > 0 && v <= 100,
    message: `alarms.${key} must be a percentage > 0 and ≤ 100, got ${v}`,
  });
  const kms = args.kmsKeyArn;
  const checks: { ok: boolean; message: string }[] = [
    { ok: args.description.trim() !== "", message: "description must be a non-empty string (ElastiCache requires it)" },
    {
      ok: patterns.nodeType.test(args.nodeType),
      message: `nodeType must look like cache.<family>.<size> (e.g. cache.t3.micro), got "${args.nodeType}"`,
    },
    {
      ok: !r.multiAz || isInt(r.numCacheClusters, 2, 6),
      message: `numCacheClusters must be ≥ 2 and ≤ 6 for multi-AZ with automatic failover, got ${r.numCacheClusters}`,
    },
    {
      ok: r.multiAz || isInt(r.numCacheClusters, 1, 6),
      message: `numCacheClusters must be an integer from 1 to 6, got ${r.numCacheClusters}`,
    },
    {
      ok: patterns.engineVersion.test(r.engineVersion),
      message: `engineVersion must be 7.x as major.minor (transitEncryptionMode needs ≥ 7.0.5), got "${r.engineVersion}"`,
    },
    { ok: isInt(r.port, 1, 65535), message: `port must be an integer from 1 to 65535, got ${r.port}` },
    {
      ok: args.replicationGroupId === undefined || patterns.replicationGroupId.test(args.replicationGroupId),
      message: `replicationGroupId must be 1–40 lowercase letters, digits or hyphens, start with a letter, not end with or double a hyphen, got "${args.replicationGroupId}"`,
    },
    {
      ok: kms === undefined || !plain(kms) || patterns.kmsKeyArn.test(kms),
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
      ok: args.snapshotName === undefined || /^[A-Za-z][A-Za-z0-9-]{0,254}$/.test(args.snapshotName),
      message: `snapshotName must be an ElastiCache snapshot name (a letter, then letters, digits or hyphens), got "${args.snapshotName}"`,
    },
    ...(args.snapshotArns ?? []).map((arn, i) => ({
      ok: patterns.snapshotArn.test(arn),
      message: `snapshotArns[${i}] must be an S3 object ARN (arn:aws:s3:::bucket/key.rdb), got "${arn}"`,
    })),
    {
      ok: isInt(r.snapshotRetentionDays, 1, 35),
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
      ok: args.finalSnapshotIdentifier === undefined || patterns.snapshotName.test(args.finalSnapshotIdentifier),
      message: `finalSnapshotIdentifier must be a snapshot name (a letter, then letters, digits or single hyphens, at most 255), got "${args.finalSnapshotIdentifier}"`,
    },
    {
      // A prefix taken from replicationGroupId is checked (once) by that field's own rule.
      ok:
        (args.finalSnapshotPrefix === undefined && args.replicationGroupId !== undefined) ||
        (patterns.snapshotName.test(r.finalSnapshotPrefix) && r.finalSnapshotPrefix.length <= 240),
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
      ok: !plain(id) || patterns.securityGroupId.test(id),
      message: `allowedSecurityGroupIds[${i}] must be a security group id (sg-…), got "${plain(id) ? id : ""}"`,
    })),
    ...r.allowedCidrBlocks.map((cidr, i) => ({
      ok: patterns.ipv4Cidr.test(cidr) || patterns.ipv6Cidr.test(cidr),
      message: `allowedCidrBlocks[${i}] must be an IPv4 or IPv6 CIDR block, got "${cidr}"`,
    })),
    ...r.allowedCidrBlocks.map((cidr, i) => ({
      ok: !cidr.endsWith("/0"),
      message: `allowedCidrBlocks[${i}] must not open Redis to the whole internet (a /0 block), got "${cidr}"`,
    })),
    percent("cpuPercentThreshold", r.alarms.cpuPercentThreshold),
    percent("engineCpuPercentThreshold", r.alarms.engineCpuPercentThreshold),
    percent("memoryPercentThreshold", r.alarms.memoryPercentThreshold),
    {
      ok: isInt(r.alarms.evictionsThreshold, 0),
      message: `alarms.evictionsThreshold must be an integer ≥ 0, got ${r.alarms.evictionsThreshold}`,
    },
    {
      ok: r.alarms.replicationLagSecondsThreshold > 0,
      message: `alarms.replicationLagSecondsThreshold must be > 0 seconds, got ${r.alarms.replicationLagSecondsThreshold}`,
    },
    {
      ok: isInt(r.alarms.connectionsThreshold, 1),
      message: `alarms.connectionsThreshold must be an integer ≥ 1, got ${r.alarms.connectionsThreshold}`,
    },
    {
      ok: args.cname === undefined || patterns.dnsName.test(args.cname.name),
      message: `cname.name must be a lowercase DNS name (e.g. redis.huntaze.internal), got "${args.cname?.name}"`,
    },
    {
      ok: args.cname?.zoneId === undefined || !plain(args.cname.zoneId) || /^Z[0-9A-Z]{4,32}$/.test(args.cname.zoneId),
      message: `cname.zoneId must be a Route53 hosted zone id (Z…), got "${plain(args.cname?.zoneId ?? "") ? args.cname?.zoneId : ""}"`,
    },
    {
      ok: args.cname?.rollbackToEndpoint === undefined || patterns.dnsName.test(args.cname.rollbackToEndpoint),
      message: `cname.rollbackToEndpoint must be a DNS name (the old cluster's endpoint), got "${args.cname?.rollbackToEndpoint}"`,
    },
  ];
  const problems = checks.filter((c) => !c.ok).map((c) => c.message);
  if (problems.length) throw new Error(`EncryptedRedis ${name}: ${problems.join("; ")}`);
  return r;
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

/** A resource-name-safe form of a source (`10.0.0.0/16` -> `10-0-0-0-16`). */
const slug = (value: string) =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/**
 * ElastiCache Redis 7 replication group encrypted at rest with a customer KMS key and in transit
 * (TLS `required`), protected by a generated AUTH token kept in a KMS-encrypted Secrets Manager
 * secret, Multi-AZ with automatic failover, backed up daily, reachable on its port only from the
 * sources it is given, watched by per-node alarms, optionally restored from a snapshot of an older
 * cluster and fronted by a Route53 CNAME for cutover and rollback.
 *
 * Clients must use TLS with `tlsServername` as the SNI/verification name: the certificate is for
 * `*.cache.amazonaws.com`, so a connection through the CNAME verifies against the real endpoint,
 * never with verification turned off.
 */
export class EncryptedRedis extends pulumi.ComponentResource {
  readonly replicationGroup: aws.elasticache.ReplicationGroup;
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly authSecret: aws.secretsmanager.Secret;
  readonly alarms: aws.cloudwatch.MetricAlarm[];
  readonly record?: aws.route53.Record;
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly primaryEndpoint: pulumi.Output<string>;
  readonly readerEndpoint: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly authSecretArn: pulumi.Output<string>;
  /** The CNAME's name, when one is managed. */
  readonly cname: pulumi.Output<string | undefined>;
  /** The name clients verify the TLS certificate against (= the primary endpoint, even behind the CNAME). */
  readonly tlsServername: pulumi.Output<string>;

  constructor(name: string, args: EncryptedRedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("huntaze:cache:EncryptedRedis", name, {}, opts);
    const s = resolve(name, args);
    const parent = { parent: this };
    const tags = args.tags;

    if (args.kmsKeyArn !== undefined) {
      this.kmsKeyArn = pulumi.output(args.kmsKeyArn);
    } else {
      const account = aws.getCallerIdentityOutput({}, parent).accountId;
      const region = aws.getRegionOutput({}, parent).region;
      const key = new aws.kms.Key(
        `${name}-key`,
        {
          description: `Encrypts ElastiCache group ${name} (data, snapshots) and its AUTH token secret`,
          enableKeyRotation: true,
          deletionWindowInDays: 30,
          // The account administers the key (IAM decides who), so it can never be locked out; data
          // use goes only through ElastiCache and Secrets Manager (kms:ViaService), so a principal
          // allowed to read the secret still cannot decrypt snapshots or data keys directly.
          policy: pulumi.all([account, region]).apply(([accountId, regionName]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "AccountAdministration",
                  Effect: "Allow",
                  Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                  Action: [
                    "kms:Create*",
                    "kms:Describe*",
                    "kms:Enable*",
                    "kms:List*",
                    "kms:Put*",
                    "kms:Update*",
                    "kms:Revoke*",
                    "kms:Disable*",
                    "kms:Get*",
                    "kms:Delete*",
                    "kms:TagResource",
                    "kms:UntagResource",
                    "kms:ScheduleKeyDeletion",
                    "kms:CancelKeyDeletion",
                    "kms:RotateKeyOnDemand",
                  ],
                  Resource: "*",
                },
                {
                  Sid: "UseThroughElastiCacheAndSecretsManager",
                  Effect: "Allow",
                  Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                  Action: [
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:CreateGrant",
                    "kms:DescribeKey",
                  ],
                  Resource: "*",
                  Condition: {
                    StringEquals: {
                      "kms:ViaService": [
                        `elasticache.${regionName}.amazonaws.com`,
                        `secretsmanager.${regionName}.amazonaws.com`,
                      ],
                    },
                  },
                },
              ],
            }),
          ),
          tags,
        },
        parent,
      );
      this.kmsKeyArn = key.arn;
    }

    // Letters and digits only: never one of the characters ElastiCache refuses (@ " / %).
    const token = new random.RandomPassword(
      `${name}-auth-token`,
      { length: s.authTokenLength, special: false, keepers: { version: String(s.authTokenVersion) } },
      parent,
    );

    const subnetGroup = new aws.elasticache.SubnetGroup(
      `${name}-subnets`,
      { description: `Private subnets of ElastiCache group ${name}`, subnetIds: args.subnetIds, tags },
      parent,
    );

    const parameterGroup = new aws.elasticache.ParameterGroup(
      `${name}-params`,
      {
        family: `redis${s.engineVersion.split(".")[0]}`,
        description: `Redis settings of ElastiCache group ${name}`,
        parameters: [{ name: "maxmemory-policy", value: s.maxmemoryPolicy }],
        tags,
      },
      parent,
    );

    // No inline rules (they would fight the standalone ones) and no egress: Redis only answers
    // connections, and replication between nodes does not pass through this group.
    this.securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: `Redis clients of ElastiCache group ${name} (port ${s.port} only)`, tags },
      parent,
    );
    const ingress = (suffix: string, source: Partial<aws.vpc.SecurityGroupIngressRuleArgs>, what: string) =>
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-from-${suffix}`,
        {
          securityGroupId: this.securityGroup.id,
          ipProtocol: "tcp",
          fromPort: s.port,
          toPort: s.port,
          description: `Redis (TLS) from ${what}`,
          tags,
          ...source,
        },
        parent,
      );
    // Named after the source, not its position, so removing one source leaves the others alone.
    s.allowedSecurityGroupIds.forEach((id, i) => {
      ingress(plain(id) ? slug(id) : `sg-${i}`, { referencedSecurityGroupId: id }, "an allowed security group");
    });
    for (const cidr of s.allowedCidrBlocks) {
      const v6 = cidr.includes(":");
      ingress(slug(cidr), v6 ? { cidrIpv6: cidr } : { cidrIpv4: cidr }, `allowed network ${cidr}`);
    }

    // Regenerated with every new group (its keepers are the inputs that replace the group, and a
    // destroy removes it too), so the final snapshot of one generation never blocks the next.
    const finalSnapshotSuffix = new random.RandomId(
      `${name}-final-snapshot-suffix`,
      {
        byteLength: 4,
        keepers: {
          replicationGroupId: args.replicationGroupId ?? "",
          kmsKeyId: this.kmsKeyArn,
          subnetGroupName: subnetGroup.name,
          port: String(s.port),
        },
      },
      parent,
    );
    const finalSnapshotIdentifier =
      args.finalSnapshotIdentifier ?? pulumi.interpolate`${s.finalSnapshotPrefix}-final-${finalSnapshotSuffix.hex}`;
    const authTokenUpdateStrategy = pulumi.output(args.appliedAuthTokenVersion).apply((applied) => {
      const problem = authTokenChangeProblem(applied ?? undefined, s.authTokenVersion, s.authTokenUpdateStrategy);
      if (problem) throw new Error(`EncryptedRedis ${name}: ${problem}`);
      return s.authTokenUpdateStrategy;
    });

    this.replicationGroup = new aws.elasticache.ReplicationGroup(
      name,
      {
        replicationGroupId: args.replicationGroupId,
        description: args.description,
        engine: "redis",
        engineVersion: s.engineVersion,
        nodeType: args.nodeType,
        port: s.port,
        numCacheClusters: s.numCacheClusters,
        multiAzEnabled: s.multiAz,
        automaticFailoverEnabled: s.multiAz,
        atRestEncryptionEnabled: true,
        kmsKeyId: this.kmsKeyArn,
        transitEncryptionEnabled: true,
        transitEncryptionMode: s.transitEncryptionMode,
        authToken: pulumi.secret(token.result),
        authTokenUpdateStrategy,
        subnetGroupName: subnetGroup.name,
        parameterGroupName: parameterGroup.name,
        securityGroupIds: [this.securityGroup.id],
        snapshotName: args.snapshotName,
        snapshotArns: args.snapshotArns ? [...args.snapshotArns] : undefined,
        snapshotRetentionLimit: s.snapshotRetentionDays,
        snapshotWindow: s.snapshotWindow,
        maintenanceWindow: s.maintenanceWindow,
        finalSnapshotIdentifier,
        autoMinorVersionUpgrade: true,
        applyImmediately: args.applyImmediately ?? false,
        tags,
      },
      // snapshotName/snapshotArns force replacement and are never read back: without this, any
      // later edit of them (or a refresh) would destroy the restored group.
      { parent: this, ignoreChanges: ["snapshotName", "snapshotArns"] },
    );
    const group = this.replicationGroup;

    this.primaryEndpoint = group.primaryEndpointAddress;
    this.readerEndpoint = group.readerEndpointAddress;
    this.tlsServername = group.primaryEndpointAddress;
    this.port = group.port.apply((p) => p ?? s.port);

    if (args.cname) {
      this.record = new aws.route53.Record(
        `${name}-cname`,
        {
          zoneId: args.cname.zoneId,
          name: args.cname.name,
          type: "CNAME",
          ttl: 60,
          records: [args.cname.rollbackToEndpoint ?? group.primaryEndpointAddress],
          allowOverwrite: args.cname.allowOverwrite ?? false,
        },
        parent,
      );
      this.cname = this.record.fqdn;
    } else {
      this.cname = pulumi.output(undefined);
    }

    // JSON so ECS can inject single keys (`valueFrom: <arn>:authToken::`) and the Lambda reads it
    // whole; `host` is what clients dial (the CNAME when there is one), `servername` what they verify.
    this.authSecret = new aws.secretsmanager.Secret(
      `${name}-auth`,
      {
        name: args.secretName,
        description: `AUTH token and TLS connection settings of ElastiCache group ${name} (JSON: authToken, host, port, tls, servername)`,
        kmsKeyId: this.kmsKeyArn,
        recoveryWindowInDays: s.secretRecoveryWindowDays,
        tags,
      },
      parent,
    );
    const host = args.cname ? pulumi.output(args.cname.name) : group.primaryEndpointAddress;
    new aws.secretsmanager.SecretVersion(
      `${name}-auth-version`,
      {
        secretId: this.authSecret.id,
        secretString: pulumi.secret(
          pulumi
            .all([token.result, host, this.port, group.primaryEndpointAddress])
            .apply(([authToken, h, port, servername]) =>
              JSON.stringify({ authToken, host: h, port, tls: true, servername }),
            ),
        ),
      },
      // Written only once the group accepts the token: a client that reads a rotated secret earlier
      // would present a token ElastiCache does not know yet.
      { parent: this, dependsOn: [group] },
    );
    this.authSecretArn = this.authSecret.arn;

    // Member clusters are named <groupId>-001, -002, …; which one is primary changes on failover,
    // so every alarm exists on every node (ReplicationLag has no data on the primary: not breaching).
    const t = s.alarms;
    const table = [
      {
        key: "cpu",
        metric: "CPUUtilization",
        statistic: "Average",
        threshold: t.cpuPercentThreshold,
        unit: "%",
        missing: "missing",
      },
      {
        key: "engine-cpu",
        metric: "EngineCPUUtilization",
        statistic: "Average",
        threshold: t.engineCpuPercentThreshold,
        unit: "%",
        missing: "missing",
      },
      {
        key: "memory",
        metric: "DatabaseMemoryUsagePercentage",
        statistic: "Average",
        threshold: t.memoryPercentThreshold,
        unit: "%",
        missing: "missing",
      },
      {
        key: "evictions",
        metric: "Evictions",
        statistic: "Sum",
        threshold: t.evictionsThreshold,
        unit: " evictions",
        missing: "notBreaching",
      },
      {
        key: "replication-lag",
        metric: "ReplicationLag",
        statistic: "Average",
        threshold: t.replicationLagSecondsThreshold,
        unit: " s",
        missing: "notBreaching",
      },
      {
        key: "connections",
        metric: "CurrConnections",
        statistic: "Maximum",
        threshold: t.connectionsThreshold,
        unit: " connections",
        missing: "missing",
      },
    ] as const;
    const groupId: pulumi.Input<string> = args.replicationGroupId ?? group.replicationGroupId;
    this.alarms = [];
    for (let node = 1; node <= s.numCacheClusters; node++) {
      const clusterId = pulumi.interpolate`${groupId}-${String(node).padStart(3, "0")}`;
      for (const a of table) {
        this.alarms.push(
          new aws.cloudwatch.MetricAlarm(
            `${name}-node-${node}-${a.key}`,
            {
              alarmDescription: pulumi.interpolate`Redis ${clusterId}: ${a.metric} above ${a.threshold}${a.unit} for 5 minutes`,
              namespace: "AWS/ElastiCache",
              metricName: a.metric,
              dimensions: { CacheClusterId: clusterId },
              statistic: a.statistic,
              period: 300,
              evaluationPeriods: 1,
              comparisonOperator: "GreaterThanThreshold",
              threshold: a.threshold,
              treatMissingData: a.missing,
              alarmActions: [args.alarmTopicArn],
              okActions: [args.alarmTopicArn],
              tags,
            },
            parent,
          ),
        );
      }
    }

    this.registerOutputs({
      primaryEndpoint: this.primaryEndpoint,
      readerEndpoint: this.readerEndpoint,
      port: this.port,
      authSecretArn: this.authSecretArn,
      cname: this.cname,
      tlsServername: this.tlsServername,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}
