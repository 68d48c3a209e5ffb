import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { alarmFromRow } from "./alarms";
import { redisKeyAdministration, redisKeyStatements, redisNodeAlarmRows } from "./encrypted-redis-policies";
import { authTokenChangeProblem } from "./encrypted-redis-rules";
import { createComponentKey } from "./kms-key";
import { resolveArgs } from "./spec";
import { type EncryptedRedisResolved, encryptedRedisSpecFor, type maxmemoryPolicies } from "./specs/encrypted-redis";

export { authTokenChangeProblem } from "./encrypted-redis-rules";
export {
  DEFAULT_REDIS_ALARM_THRESHOLDS,
  EncryptedRedisSpec,
  maxmemoryPolicies,
  multiAzNodesRule,
  REDIS_DEFAULTS,
  REDIS_FORMATS,
  REDIS_NODE_TYPES,
  REDIS_RANGES,
  redisAlarmFields,
  redisCnameFields,
  redisFields,
  windowsRule,
} from "./specs/encrypted-redis";

type MaxmemoryPolicy = (typeof maxmemoryPolicies)[number];
type Resolved = EncryptedRedisResolved;

interface GroupHomes {
  readonly subnetGroup: aws.elasticache.SubnetGroup;
  readonly parameterGroup: aws.elasticache.ParameterGroup;
  readonly securityGroup: aws.ec2.SecurityGroup;
}

// ElastiCache for Redis, encrypted at rest (customer KMS key) and in transit (TLS required), with
// an AUTH token that exists only as a secret. The AWS quirks it is shaped around: at-rest
// encryption and the key are fixed at creation, a key id or alias replaces the group, snapshotName
// forces replacement and is never read back, authTokenUpdateStrategy has no default. The migration
// it serves is the ElastiCache encryption runbook: snapshot the old standalone cluster, restore
// into a new encrypted group, cut over with a CNAME, roll back by flipping the CNAME back.

/** The alarm thresholds; each alarm exists once per member node (ElastiCache names them `<groupId>-00N`). */
export interface EncryptedRedisAlarmThresholds {
  /** Host CPUUtilization (Average over 5 minutes) above this percentage. */
  readonly cpuPercentThreshold?: number;
  /** EngineCPUUtilization, the single Redis thread (Average over 5 minutes), above this percentage. */
  readonly engineCpuPercentThreshold?: number;
  /** DatabaseMemoryUsagePercentage (Average over 5 minutes) above this percentage. */
  readonly memoryPercentThreshold?: number;
  /**
   * Evictions (Sum over 5 minutes) above this count. An evicted rate-limiter key forgets a creator's
   * window, so the default pages on the first one.
   */
  readonly evictionsThreshold?: number;
  /** ReplicationLag of a replica (Average over 5 minutes) above this many seconds. */
  readonly replicationLagSecondsThreshold?: number;
  /** CurrConnections (Maximum over 5 minutes) above this count; a steady climb is a client leak. */
  readonly connectionsThreshold?: number;
}

// Seed 000, Phase 5 option B.
/** Route53 CNAME for cutover and rollback. */
export interface EncryptedRedisCname {
  /** Hosted zone id (Z…) of the private zone. */
  readonly zoneId: pulumi.Input<string>;
  /** Record name, e.g. `redis.huntaze.internal`. */
  readonly name: string;
  /**
   * Point the record at another endpoint instead of this group's primary: a rollback
   * is this field set to the old cluster's endpoint and one `pulumi up`; removing it cuts over again.
   * Clients configured for TLS keep verifying `tlsServername` (this group's endpoint), so against the
   * old plain-text cluster they fail closed instead of sending the token in clear: roll those back
   * with their previous task definition.
   * @default - this group's primary endpoint
   */
  readonly rollbackToEndpoint?: string;
  /**
   * Take over a record of the same name that already exists (created by hand during an earlier
   * migration step), like the runbook's UPSERT; without it, creating the record fails if one exists.
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
   */
  readonly allowedSecurityGroupIds?: readonly pulumi.Input<string>[];
  /** CIDR blocks (IPv4 or IPv6) allowed to connect on the Redis port; `/0` is refused. */
  readonly allowedCidrBlocks?: readonly string[];
  /** SNS topic every alarm notifies (ALARM and OK). */
  readonly alarmTopicArn: pulumi.Input<string>;

  /**
   * Physical replication group id. Setting it (e.g. `huntaze-redis-encrypted`) gives a
   * stable, readable name, but a change that replaces the group then fails at create time ("already
   * exists") instead of creating the replacement before deleting the old group: the change has to be
   * made as a new group with a new id, the way this migration itself is done.
   * @default - auto-named from the component name, so a replacement is created before the old group is deleted
   */
  readonly replicationGroupId?: string;
  /** Number of nodes (primary + replicas), 2–6 with Multi-AZ. */
  readonly numCacheClusters?: number;
  /**
   * Multi-AZ with automatic failover (both on or both off; needs `numCacheClusters >= 2`).
   */
  readonly multiAz?: boolean;
  /** Redis engine version, major.minor (≥ 7.0 for `transitEncryptionMode`). */
  readonly engineVersion?: string;
  /** TCP port. */
  readonly port?: number;
  /**
   * Existing customer-managed KMS key, as a key ARN (`arn:aws:kms:<region>:<account>:key/<id>`):
   * an alias or bare key id reads back as the ARN, shows a diff and replaces the group.
   * @default - a customer-managed key with yearly rotation is created
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /**
   * Length of the generated AUTH token (letters and digits only, so never `@`, `"`, `/` or `%`).
   */
  readonly authTokenLength?: number;
  /**
   * Bump to generate a new AUTH token (rotation). Rotate in two applies: bump this with
   * `authTokenUpdateStrategy: "ROTATE"` (old and new tokens both work while clients re-read the
   * secret), then set `"SET"` again to retire the old token. Run both applies with
   * `applyImmediately: true`, as AWS's AUTH rotation procedure does. Runbook (commands, what to
   * watch, rollback): the library repository's Redis AUTH rotation runbook.
   */
  readonly authTokenVersion?: number;
  /**
   * How ElastiCache applies a token change. `SET` for a new group or a first token (`ROTATE` on a
   * passwordless group would leave passwordless access open); `ROTATE` while rotating.
   */
  readonly authTokenUpdateStrategy?: "SET" | "ROTATE";
  /**
   * Enabling TLS on an existing (imported) group: `transitEncryptionMode: "preferred"` first, so
   * clients can move to TLS without downtime; then unset this to go to `required` in a later apply.
   * A new group never needs it; without it, TLS is `required`.
   */
  readonly transitEncryptionMigration?: boolean;
  /**
   * Seed the new group from a snapshot of the old cluster (a migration's restore step). Only read at creation:
   * it is in `ignoreChanges`, so removing it later does not replace the restored group.
   * @default - an empty group
   */
  readonly snapshotName?: string;
  /** Seed the new group from RDB files in S3 (`arn:aws:s3:::bucket/key.rdb`); conflicts with `snapshotName`. @default - an empty group */
  readonly snapshotArns?: readonly string[];
  /** Days of automatic snapshots, 1–35. */
  readonly snapshotRetentionDays?: number;
  /** Daily snapshot window, UTC `hh24:mi-hh24:mi`, at least 60 minutes, not overlapping the maintenance window. */
  readonly snapshotWindow?: string;
  /** Weekly maintenance window, UTC `ddd:hh24:mi-ddd:hh24:mi`, 60 minutes to 24 hours. */
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
  /** Apply modifications now instead of in the maintenance window. */
  readonly applyImmediately?: boolean;
  /**
   * Eviction policy (parameter group, family redis7). Every key this platform writes (rate-limiter
   * buckets and windows, idempotency markers, cache entries) carries a TTL, so `volatile-lru` can
   * always free memory while keys without a TTL are never evicted. The evictions alarm reports
   * every eviction.
   */
  readonly maxmemoryPolicy?: MaxmemoryPolicy;
  /** Route53 CNAME in front of the primary endpoint. @default - no record */
  readonly cname?: EncryptedRedisCname;
  /** Secrets Manager secret name. @default - auto-named from the component name */
  readonly secretName?: string;
  /** Days a deleted secret can be restored (0: deleted at once). */
  readonly secretRecoveryWindowDays?: number;
  /** Alarm thresholds. @default - the defaults of each field */
  readonly alarms?: EncryptedRedisAlarmThresholds;
  readonly tags?: Record<string, string>;
}

const plain = (v: pulumi.Input<string>): v is string => typeof v === "string";

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
    const s = resolveArgs("EncryptedRedis", name, encryptedRedisSpecFor(name), args);
    const parent = { parent: this };

    this.kmsKeyArn = s.kmsKeyArn !== undefined ? pulumi.output(s.kmsKeyArn) : this.componentKey(name, s);
    // Letters and digits only: never one of the characters ElastiCache refuses (@ " / %).
    const token = new random.RandomPassword(
      `${name}-auth-token`,
      { length: s.authTokenLength, special: false, keepers: { version: String(s.authTokenVersion) } },
      parent,
    );
    const homes = this.groupHomes(name, s);
    this.securityGroup = homes.securityGroup;
    this.replicationGroup = this.group(name, s, token, homes);
    const group = this.replicationGroup;

    this.primaryEndpoint = group.primaryEndpointAddress;
    this.readerEndpoint = group.readerEndpointAddress;
    this.tlsServername = group.primaryEndpointAddress;
    this.port = group.port.apply((p) => p ?? s.port);

    if (s.cname) {
      this.record = this.cnameRecord(name, s.cname);
      this.cname = this.record.fqdn;
    } else {
      this.cname = pulumi.output(undefined);
    }
    this.authSecret = this.connectionSecret(name, s, token);
    this.authSecretArn = this.authSecret.arn;
    this.alarms = this.nodeAlarms(name, s);

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

  /** A customer-managed key with yearly rotation, used only through ElastiCache and Secrets Manager. */
  private componentKey(name: string, s: Resolved): pulumi.Output<string> {
    return createComponentKey(
      `${name}-key`,
      {
        description: `Encrypts ElastiCache group ${name} (data, snapshots) and its AUTH token secret`,
        administration: redisKeyAdministration,
        statements: redisKeyStatements,
        ...(s.tags !== undefined ? { tags: s.tags } : {}),
      },
      { parent: this },
    ).arn;
  }

  /** The group's own subnet group, parameter group and security group. */
  private groupHomes(name: string, s: Resolved): GroupHomes {
    const parent = { parent: this };
    const tags = s.tags;
    const subnetGroup = new aws.elasticache.SubnetGroup(
      `${name}-subnets`,
      { description: `Private subnets of ElastiCache group ${name}`, subnetIds: s.subnetIds, tags },
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
    return { subnetGroup, parameterGroup, securityGroup: this.clientAccess(name, s) };
  }

  /**
   * The replication group. The AWS quirks: the final snapshot name must differ per generation of the
   * group, and a token change applied with SET revokes the old token at once (refused at preview).
   */
  private group(
    name: string,
    s: Resolved,
    token: random.RandomPassword,
    { subnetGroup, parameterGroup, securityGroup }: GroupHomes,
  ): aws.elasticache.ReplicationGroup {
    const parent = { parent: this };
    // Regenerated with every new group (its keepers are the inputs that replace the group, and a
    // destroy removes it too), so the final snapshot of one generation never blocks the next.
    const finalSnapshotSuffix = new random.RandomId(
      `${name}-final-snapshot-suffix`,
      {
        byteLength: 4,
        keepers: {
          replicationGroupId: s.replicationGroupId ?? "",
          kmsKeyId: this.kmsKeyArn,
          subnetGroupName: subnetGroup.name,
          port: String(s.port),
        },
      },
      parent,
    );
    const finalSnapshotPrefix = s.finalSnapshotPrefix ?? s.replicationGroupId ?? name;
    const finalSnapshotIdentifier =
      s.finalSnapshotIdentifier ?? pulumi.interpolate`${finalSnapshotPrefix}-final-${finalSnapshotSuffix.hex}`;
    const authTokenUpdateStrategy = pulumi.output(s.appliedAuthTokenVersion).apply((applied) => {
      const problem = authTokenChangeProblem(applied ?? undefined, s.authTokenVersion, s.authTokenUpdateStrategy);
      if (problem) throw new Error(`EncryptedRedis ${name}: ${problem}`);
      return s.authTokenUpdateStrategy;
    });

    return new aws.elasticache.ReplicationGroup(
      name,
      {
        replicationGroupId: s.replicationGroupId,
        description: s.description,
        engine: "redis",
        engineVersion: s.engineVersion,
        nodeType: s.nodeType,
        port: s.port,
        numCacheClusters: s.numCacheClusters,
        multiAzEnabled: s.multiAz,
        automaticFailoverEnabled: s.multiAz,
        atRestEncryptionEnabled: true,
        kmsKeyId: this.kmsKeyArn,
        transitEncryptionEnabled: true,
        transitEncryptionMode: s.transitEncryptionMigration ? "preferred" : "required",
        authToken: pulumi.secret(token.result),
        authTokenUpdateStrategy,
        subnetGroupName: subnetGroup.name,
        parameterGroupName: parameterGroup.name,
        securityGroupIds: [securityGroup.id],
        snapshotName: s.snapshotName,
        snapshotArns: s.snapshotArns,
        snapshotRetentionLimit: s.snapshotRetentionDays,
        snapshotWindow: s.snapshotWindow,
        maintenanceWindow: s.maintenanceWindow,
        finalSnapshotIdentifier,
        autoMinorVersionUpgrade: true,
        applyImmediately: s.applyImmediately,
        tags: s.tags,
      },
      // snapshotName/snapshotArns force replacement and are never read back: without this, any
      // later edit of them (or a refresh) would destroy the restored group.
      { parent: this, ignoreChanges: ["snapshotName", "snapshotArns"] },
    );
  }

  /** Route53 CNAME for cutover and rollback: this group's primary, or `rollbackToEndpoint`. */
  private cnameRecord(name: string, cname: NonNullable<Resolved["cname"]>): aws.route53.Record {
    return new aws.route53.Record(
      `${name}-cname`,
      {
        zoneId: cname.zoneId,
        name: cname.name,
        type: "CNAME",
        ttl: 60,
        records: [cname.rollbackToEndpoint ?? this.replicationGroup.primaryEndpointAddress],
        allowOverwrite: cname.allowOverwrite,
      },
      { parent: this },
    );
  }

  /**
   * The AUTH token and connection settings as one JSON secret, so ECS can inject single keys
   * (`valueFrom: <arn>:authToken::`) and the Lambda reads it whole; `host` is what clients dial (the
   * CNAME when there is one), `servername` what they verify.
   */
  private connectionSecret(name: string, s: Resolved, token: random.RandomPassword): aws.secretsmanager.Secret {
    const group = this.replicationGroup;
    const secret = new aws.secretsmanager.Secret(
      `${name}-auth`,
      {
        name: s.secretName,
        description: `AUTH token and TLS connection settings of ElastiCache group ${name} (JSON: authToken, host, port, tls, servername)`,
        kmsKeyId: this.kmsKeyArn,
        recoveryWindowInDays: s.secretRecoveryWindowDays,
        tags: s.tags,
      },
      { parent: this },
    );
    const host = s.cname ? pulumi.output(s.cname.name) : group.primaryEndpointAddress;
    new aws.secretsmanager.SecretVersion(
      `${name}-auth-version`,
      {
        secretId: secret.id,
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
    return secret;
  }

  /** Member clusters are named <groupId>-001, -002, …: one alarm table per node. */
  private nodeAlarms(name: string, s: Resolved): aws.cloudwatch.MetricAlarm[] {
    const groupId: pulumi.Input<string> = s.replicationGroupId ?? this.replicationGroup.replicationGroupId;
    const alarms: aws.cloudwatch.MetricAlarm[] = [];
    for (let node = 1; node <= s.numCacheClusters; node++) {
      const clusterId = pulumi.interpolate`${groupId}-${String(node).padStart(3, "0")}`;
      const target = { name: `${name}-node-${node}`, topicArn: s.alarmTopicArn, ...(s.tags ? { tags: s.tags } : {}) };
      for (const row of redisNodeAlarmRows(s.alarms, clusterId))
        alarms.push(alarmFromRow(target, row, { parent: this }));
    }
    return alarms;
  }

  /**
   * The group's security group and one ingress rule per allowed source. No inline rules (they
   * would fight the standalone ones) and no egress: Redis only answers connections, and
   * replication between nodes does not pass through this group.
   */
  private clientAccess(name: string, s: Resolved): aws.ec2.SecurityGroup {
    const parent = { parent: this };
    const tags = s.tags;
    const group = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: s.vpcId, description: `Redis clients of ElastiCache group ${name} (port ${s.port} only)`, tags },
      parent,
    );
    const ingress = (suffix: string, source: Partial<aws.vpc.SecurityGroupIngressRuleArgs>, what: string) =>
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-from-${suffix}`,
        {
          securityGroupId: group.id,
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
    return group;
  }
}
