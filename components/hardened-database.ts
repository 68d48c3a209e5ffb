import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type AlarmRow, alarmFromRow } from "./alarms";
import { createComponentKey } from "./kms-key";
import { DEFAULT_LOG_RETENTION_DAYS } from "./log-retention";
import { logKeyStatements } from "./observed-cluster";
import { resolveArgs } from "./spec";
import { KMS_KEY_ARN } from "./specs/formats";
import {
  type DEFAULT_DATABASE_THRESHOLDS,
  HardenedDatabaseSpec,
  KEEP_PERFORMANCE_INSIGHTS_KEY,
  RDS_CLASS_MEMORY_GIB,
  type ResolvedHardenedDatabase,
} from "./specs/hardened-database";

export {
  DEFAULT_DATABASE_THRESHOLDS,
  KEEP_PERFORMANCE_INSIGHTS_KEY,
  NO_PERFORMANCE_INSIGHTS_CLASSES,
  RDS_CLASS_MEMORY_GIB,
} from "./specs/hardened-database";

// The existing RDS PostgreSQL instance, hardened and watched (seed 002 "RDS PostgreSQL TLS", Day 8;
// seed 003 §4.2, §6.2, §8): a parameter group of the instance's family forcing TLS and logging slow
// queries, Performance Insights (kept under the key it already has), enhanced monitoring, log exports with
// a retention, and the seed's alarms. The instance is adopted by identifier (README: pulumi import).

/**
 * RDS for PostgreSQL's default `max_connections`: LEAST({DBInstanceClassMemory/9531392}, 5000).
 * DBInstanceClassMemory is taken as the class's nominal memory, so this is the upper bound of the
 * default (the OS reserve makes the live value slightly lower: set maxConnections explicitly when
 * the parameter group overrides it). Throws on a class missing from the table, naming the allowed ones.
 */
export function postgresMaxConnections(instanceClass: string): number {
  const gib = RDS_CLASS_MEMORY_GIB[instanceClass];
  if (gib === undefined)
    throw new Error(
      `unknown RDS instance class "${instanceClass}": one of ${Object.keys(RDS_CLASS_MEMORY_GIB).join(", ")}`,
    );
  return Math.min(Math.floor((gib * 1024 ** 3) / 9531392), 5000);
}

/**
 * The Performance Insights key input for an instance whose PI is already on. RDS refuses to change
 * it ("You cannot change your Performance Insights KMS key" once PI is enabled: "Turning Performance
 * Insights on and off for Amazon RDS", docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Enabling.html),
 * so the component never invents one: an ARN is passed through (it must be the key PI uses today);
 * `aws-managed` or nothing omits the input, and the provider keeps what exists
 * (`performance_insights_kms_key_id` is Optional + Computed: terraform-provider-aws,
 * internal/service/rds/instance.go). Throws on anything else, naming what is allowed.
 */
export function performanceInsightsKeyInput(value: string | undefined): string | undefined {
  if (value === undefined || value === KEEP_PERFORMANCE_INSIGHTS_KEY) return undefined;
  if (!KMS_KEY_ARN.test(value))
    throw new Error(
      `performanceInsightsKmsKeyId must be the ARN of the KMS key Performance Insights uses now (arn:aws:kms:<region>:<account>:key/<id>) or "${KEEP_PERFORMANCE_INSIGHTS_KEY}", got "${value}"`,
    );
  return value;
}

/** The DatabaseConnections alarm threshold: `percent` % of max connections, rounded down. */
export function connectionsThreshold(maxConnections: number, percent: number): number {
  return Math.floor((maxConnections * percent) / 100);
}

/** The parameter group family of a PostgreSQL engine version (`16.4` -> `postgres16`; `9.6.x` -> `postgres9.6`). */
export function postgresFamily(engineVersion: string): string {
  const m = /^(\d+)(?:\.(\d+))?/.exec(engineVersion);
  if (!m) throw new Error(`engineVersion must look like 16 or 16.4, got "${engineVersion}"`);
  const major = Number(m[1]);
  return major >= 10 ? `postgres${major}` : `postgres${major}.${m[2] ?? "0"}`;
}

export type DatabaseThresholds = { -readonly [K in keyof typeof DEFAULT_DATABASE_THRESHOLDS]: number };

/** The instance's alarm table (pure). */
export function databaseAlarmRows(identifier: string, maxConnections: number, t: DatabaseThresholds): AlarmRow[] {
  const dimensions = { DBInstanceIdentifier: identifier };
  const row = (
    key: string,
    metricName: string,
    comparison: AlarmRow["comparison"],
    threshold: number,
    description: string,
  ): AlarmRow => ({
    key,
    description: `${identifier} ${description} for 5 minutes`,
    namespace: "AWS/RDS",
    metricName,
    dimensions,
    statistic: "Average",
    periodSeconds: 300,
    comparison,
    threshold,
  });
  const connections = connectionsThreshold(maxConnections, t.connectionsPercent);
  return [
    row("cpu", "CPUUtilization", "GreaterThanThreshold", t.cpuPercent, `CPUUtilization > ${t.cpuPercent}%`),
    row(
      "freeable-memory",
      "FreeableMemory",
      "LessThanThreshold",
      t.freeableMemoryBytes,
      `FreeableMemory < ${t.freeableMemoryBytes} bytes`,
    ),
    row(
      "connections",
      "DatabaseConnections",
      "GreaterThanThreshold",
      connections,
      `DatabaseConnections > ${connections} (${t.connectionsPercent}% of max_connections ${maxConnections})`,
    ),
    row(
      "read-latency",
      "ReadLatency",
      "GreaterThanThreshold",
      t.readLatencySeconds,
      `ReadLatency > ${t.readLatencySeconds}s`,
    ),
    row(
      "write-latency",
      "WriteLatency",
      "GreaterThanThreshold",
      t.writeLatencySeconds,
      `WriteLatency > ${t.writeLatencySeconds}s`,
    ),
  ];
}

/** Parameters the group sets: TLS only, slow-query log. */
export function databaseParameters(logMinDurationMs: number): { name: string; value: string; applyMethod: string }[] {
  return [
    // pending-reboot is valid for static and dynamic parameters alike; a new group takes effect on
    // the reboot its association requires anyway (README: "What a change costs").
    { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
    { name: "log_min_duration_statement", value: String(logMinDurationMs), applyMethod: "immediate" },
  ];
}

export interface HardenedDatabaseArgs {
  /**
   * The existing instance's identifier (e.g. `huntaze-postgres-production`); children's
   * physical names start with it, so it must carry the environment.
   */
  readonly identifier: string;
  /** Instance class, as it is today (a change resizes the instance). */
  readonly instanceClass: string;
  /** Engine version as it is today (`16.4`); the parameter group family derives from it. */
  readonly engineVersion: string;
  /** Log statements slower than this (ms); -1 turns the log off. */
  readonly logMinDurationStatementMs?: number;
  /**
   * The instance's `max_connections` as it reports it (`SHOW max_connections;`): the 80 % alarm's
   * base. RDS derives the default from DBInstanceClassMemory, the class memory less what the OS and
   * RDS reserve, which AWS does not publish per class.
   * @default - postgresMaxConnections(instanceClass): from the nominal memory, an upper bound of the
   * live value, so the alarm fires a little late; set the live figure where it matters
   */
  readonly maxConnections?: number;
  /**
   * The KMS key Performance Insights uses today (key ARN), or `"aws-managed"`, which omits the input
   * and keeps the key PI uses now. RDS refuses to change the PI key once PI is on, so this is never
   * a new key for an instance that has PI.
   */
  readonly performanceInsightsKmsKeyId?: string;
  /** Apply changes now; otherwise they wait for the maintenance window. */
  readonly applyImmediately?: boolean;
  readonly multiAz?: boolean;
  readonly backupRetentionDays?: number;
  /** Enhanced monitoring interval (s); 0 turns it off. */
  readonly monitoringIntervalSeconds?: 0 | 1 | 5 | 10 | 15 | 30 | 60;
  /** Alarm thresholds. @default - DEFAULT_DATABASE_THRESHOLDS, for each one left out */
  readonly thresholds?: Partial<DatabaseThresholds>;
  readonly alarmTopicArn: pulumi.Input<string>;
  readonly tags?: Record<string, string>;
}

const MONITORING_ASSUME_ROLE = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** The enhanced monitoring role (none when the interval is 0). */
function monitoringRole(name: string, s: ResolvedHardenedDatabase, parent: pulumi.ComponentResource) {
  if (s.monitoringIntervalSeconds === 0) return undefined;
  const role = new aws.iam.Role(
    `${name}-monitoring-role`,
    { name: `${s.identifier}-rds-monitoring`, assumeRolePolicy: MONITORING_ASSUME_ROLE, tags: s.tags },
    { parent },
  );
  new aws.iam.RolePolicyAttachment(
    `${name}-monitoring-policy`,
    { role: role.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" },
    { parent },
  );
  return role;
}

/** The adopted instance's settings: encrypted, private, protected, TLS-only group, PI with the key it has. */
function instanceArgs(
  s: ResolvedHardenedDatabase,
  parameterGroupName: pulumi.Input<string>,
  monitoringRoleArn: pulumi.Input<string> | undefined,
): aws.rds.InstanceArgs {
  return {
    identifier: s.identifier,
    engine: "postgres",
    engineVersion: s.engineVersion,
    instanceClass: s.instanceClass,
    parameterGroupName,
    storageEncrypted: true,
    publiclyAccessible: false,
    deletionProtection: true,
    multiAz: s.multiAz,
    backupRetentionPeriod: s.backupRetentionDays,
    copyTagsToSnapshot: true,
    autoMinorVersionUpgrade: true,
    caCertIdentifier: "rds-ca-rsa2048-g1",
    iamDatabaseAuthenticationEnabled: true,
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    performanceInsightsEnabled: true,
    performanceInsightsRetentionPeriod: 7,
    // Never a new key: RDS refuses to change the PI key of an instance with PI on (above).
    performanceInsightsKmsKeyId: performanceInsightsKeyInput(s.performanceInsightsKmsKeyId),
    monitoringInterval: s.monitoringIntervalSeconds,
    monitoringRoleArn,
    applyImmediately: s.applyImmediately,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: `${s.identifier}-final`,
    tags: s.tags,
  };
}

/**
 * The adopted PostgreSQL instance with its parameter group, Performance Insights (7 days, the key it has),
 * enhanced monitoring, log exports and alarms. The instance is `protect`ed: no plan can delete or
 * replace it.
 */
export class HardenedDatabase extends pulumi.ComponentResource {
  readonly instance: aws.rds.Instance;
  readonly parameterGroupName: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: HardenedDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("huntaze:data:HardenedDatabase", name, {}, opts);
    const s = resolveArgs("HardenedDatabase", name, HardenedDatabaseSpec, args);
    const parent = { parent: this };
    const { identifier: id, tags } = s;
    const maxConnections = s.maxConnections ?? postgresMaxConnections(s.instanceClass);
    const family = postgresFamily(s.engineVersion);
    const logGroups = [`/aws/rds/instance/${id}/postgresql`, `/aws/rds/instance/${id}/upgrade`];

    const key = createComponentKey(
      `${name}-key`,
      {
        description: `Encrypts the exported logs of ${id}`,
        alias: `${id}-rds`,
        statements: (scope) => logKeyStatements(scope, logGroups),
        tags,
      },
      parent,
    );

    // Created before the instance exports to them, so RDS does not create them without a retention.
    const groups = logGroups.map(
      (lg) =>
        new aws.cloudwatch.LogGroup(
          `${name}-log-${lg.split("/").pop()}`,
          { name: lg, retentionInDays: DEFAULT_LOG_RETENTION_DAYS.default, kmsKeyId: key.arn, tags },
          parent,
        ),
    );

    const parameterGroup = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        name: `${id}-${family.replace(".", "-")}`,
        family,
        description: `TLS-only, slow-query logging (${id})`,
        parameters: databaseParameters(s.logMinDurationStatementMs),
        tags,
      },
      parent,
    );
    const role = monitoringRole(name, s, this);

    this.instance = new aws.rds.Instance(name, instanceArgs(s, parameterGroup.name, role?.arn), {
      parent: this,
      dependsOn: groups,
      // The instance exists and holds the data: no plan may delete or replace it.
      protect: true,
      // Storage autoscaling and the master password are managed outside this stack.
      ignoreChanges: ["allocatedStorage", "password"],
    });

    for (const row of databaseAlarmRows(id, maxConnections, s.thresholds))
      alarmFromRow({ name, namePrefix: id, topicArn: s.alarmTopicArn, tags }, row, parent);

    this.parameterGroupName = parameterGroup.name;
    this.endpoint = this.instance.endpoint;
    this.kmsKeyArn = key.arn;
    this.registerOutputs({ parameterGroupName: this.parameterGroupName, endpoint: this.endpoint });
  }
}
