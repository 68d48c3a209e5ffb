import * as v from "valibot";
import { args, fieldRule, flag, input, integer, number, oneOfNumbers, stringMap, text } from "../spec";
import { KMS_KEY_ARN, snsTopicArn } from "./formats";

// HardenedDatabase's args as data: the component resolves its args against `HardenedDatabaseSpec`,
// `huntaze:database` (stacks/config-observability.ts) is read against the same fields, and the
// package README's table is generated from it.

/**
 * Memory (GiB) of the RDS instance classes this project sizes PostgreSQL with. Source: the RDS
 * instance class tables (docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Summary.html).
 */
export const RDS_CLASS_MEMORY_GIB: Readonly<Record<string, number>> = Object.fromEntries([
  ...["t3", "t4g"].flatMap((f) =>
    (
      [
        ["micro", 1],
        ["small", 2],
        ["medium", 4],
        ["large", 8],
        ["xlarge", 16],
        ["2xlarge", 32],
      ] as const
    ).map(([size, gib]) => [`db.${f}.${size}`, gib]),
  ),
  ...["m5", "m6g", "m6i", "m7g", "m7i"].flatMap((f) =>
    (
      [
        ["large", 8],
        ["xlarge", 16],
        ["2xlarge", 32],
        ["4xlarge", 64],
        ["8xlarge", 128],
        ["12xlarge", 192],
        ["16xlarge", 256],
      ] as const
    ).map(([size, gib]) => [`db.${f}.${size}`, gib]),
  ),
  ...["r5", "r6g", "r6i", "r7g", "r7i"].flatMap((f) =>
    (
      [
        ["large", 16],
        ["xlarge", 32],
        ["2xlarge", 64],
        ["4xlarge", 128],
        ["8xlarge", 256],
        ["12xlarge", 384],
        ["16xlarge", 512],
      ] as const
    ).map(([size, gib]) => [`db.${f}.${size}`, gib]),
  ),
]);

/** Classes on which RDS for PostgreSQL offers no Performance Insights. */
export const NO_PERFORMANCE_INSIGHTS_CLASSES: readonly string[] = [
  "db.t3.micro",
  "db.t3.small",
  "db.t4g.micro",
  "db.t4g.small",
];

/** The value of `performanceInsightsKmsKeyId` that keeps the key Performance Insights uses now. */
export const KEEP_PERFORMANCE_INSIGHTS_KEY = "aws-managed";

// From seed 002 "Monitoring & Alerts" and seed 003 §6.2.
/** The default RDS alarm thresholds. */
export const DEFAULT_DATABASE_THRESHOLDS = {
  cpuPercent: 80,
  freeableMemoryBytes: 1024 ** 3,
  connectionsPercent: 80,
  readLatencySeconds: 0.1,
  writeLatencySeconds: 0.1,
} as const;

/** Statements slower than 1 s are logged. */
export const DEFAULT_LOG_MIN_DURATION_STATEMENT_MS = 1000;

/**
 * A DB instance identifier: 1–63 letters, digits or hyphens, starting with a letter, not ending with
 * a hyphen nor holding two in a row; RDS stores it in lowercase, so only lowercase is accepted
 * ("CreateDBInstance" DBInstanceIdentifier, Amazon RDS API Reference:
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html).
 */
export const RDS_IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/;

/**
 * The form of a DB instance class, `db.<class family and generation>.<size>` (e.g. db.t3.medium,
 * db.r6gd.xlarge; "DB instance class types", Amazon RDS User Guide:
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Types.html).
 */
export const RDS_INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;

/**
 * A PostgreSQL engine version: the major version (`16`), major.minor (`16.4`), or for 9.x the
 * three-part form (`9.6.22`) ("Supported PostgreSQL major versions", Amazon RDS User Guide;
 * postgresFamily derives the parameter group family from it).
 */
export const POSTGRES_VERSION = /^\d+(\.\d+){0,2}$/;

/** "aws-managed" or a KMS key ARN (formats.ts). */
const PI_KEY = new RegExp(`^${KEEP_PERFORMANCE_INSIGHTS_KEY}$|${KMS_KEY_ARN.source}`);

/** A percentage for the CPU and connections alarms. */
const percent = () => number({ min: 1, max: 100 });

/** The alarm thresholds (`huntaze:database.alarms` takes cpuPercent, freeableMemoryBytes, connectionsPercent). */
export const databaseThresholdFields = {
  cpuPercent: v.optional(percent(), DEFAULT_DATABASE_THRESHOLDS.cpuPercent),
  freeableMemoryBytes: v.optional(number({ min: 1 }), DEFAULT_DATABASE_THRESHOLDS.freeableMemoryBytes),
  connectionsPercent: v.optional(percent(), DEFAULT_DATABASE_THRESHOLDS.connectionsPercent),
  readLatencySeconds: v.optional(number({ gt: 0 }), DEFAULT_DATABASE_THRESHOLDS.readLatencySeconds),
  writeLatencySeconds: v.optional(number({ gt: 0 }), DEFAULT_DATABASE_THRESHOLDS.writeLatencySeconds),
};

export const hardenedDatabaseFields = {
  identifier: text(RDS_IDENTIFIER, "an RDS instance identifier (e.g. huntaze-postgres-production)"),
  instanceClass: text(RDS_INSTANCE_CLASS, "an RDS instance class (db.<class>.<size>, e.g. db.t3.medium)"),
  engineVersion: text(POSTGRES_VERSION, "a PostgreSQL version such as 16, 16.4 or 9.6.22"),
  // `log_min_duration_statement` in ms, -1 turning it off; RDS for PostgreSQL's allowed values
  // are -1-2147483647 ("Working with parameters on your RDS for PostgreSQL DB instance", RDS User
  // Guide; PostgreSQL "Error Reporting and Logging": an int in milliseconds).
  logMinDurationStatementMs: v.optional(integer(-1, 2_147_483_647), DEFAULT_LOG_MIN_DURATION_STATEMENT_MS),
  // The computed default is postgresMaxConnections(instanceClass). PostgreSQL's upper bound is
  // MAX_BACKENDS, 2^18 - 1 (src/include/postmaster/postmaster.h).
  maxConnections: v.optional(integer(1, 262_143)),
  performanceInsightsKmsKeyId: v.optional(
    text(
      PI_KEY,
      `"${KEEP_PERFORMANCE_INSIGHTS_KEY}" or the ARN of the KMS key Performance Insights uses now (RDS refuses to change it)`,
    ),
    KEEP_PERFORMANCE_INSIGHTS_KEY,
  ),
  applyImmediately: v.optional(flag(), false),
  multiAz: v.optional(flag(), false),
  // BackupRetentionPeriod: 0–35 days ("CreateDBInstance", Amazon RDS API Reference).
  backupRetentionDays: v.optional(integer(0, 35), 7),
  // MonitoringInterval: "Valid Values: 0, 1, 5, 10, 15, 30, 60" ("CreateDBInstance", Amazon RDS API Reference).
  monitoringIntervalSeconds: v.optional(oneOfNumbers([0, 1, 5, 10, 15, 30, 60] as const), 60),
  // A function, so the docs show the JSDoc's words rather than `{}` (each field has its default).
  thresholds: v.optional(args(databaseThresholdFields), () => ({})),
  alarmTopicArn: input(snsTopicArn()),
  tags: v.optional(stringMap()),
};

type Classed = { instanceClass: string; maxConnections?: number | undefined };

/**
 * The database rules on instanceClass: it has Performance Insights (the component turns PI on), and
 * its memory is in RDS_CLASS_MEMORY_GIB unless maxConnections is given (the connections alarm's base).
 */
export function instanceClassRules<T extends Classed>() {
  return [
    fieldRule<T>(
      ["instanceClass"],
      "instanceClass",
      `a class with Performance Insights (not ${NO_PERFORMANCE_INSIGHTS_CLASSES.join(", ")})`,
      (a) => !NO_PERFORMANCE_INSIGHTS_CLASSES.includes(a.instanceClass),
    ),
    fieldRule<T>(
      ["instanceClass", "maxConnections"],
      "instanceClass",
      `one of ${Object.keys(RDS_CLASS_MEMORY_GIB).join(", ")} (another class needs maxConnections)`,
      (a) => a.maxConnections !== undefined || Object.hasOwn(RDS_CLASS_MEMORY_GIB, a.instanceClass),
    ),
  ] as const;
}

const base = args(hardenedDatabaseFields);
export const HardenedDatabaseSpec = v.pipe(base, ...instanceClassRules<v.InferOutput<typeof base>>());
export type ResolvedHardenedDatabase = v.InferOutput<typeof HardenedDatabaseSpec>;
