import { kms, rds } from "../lib/aws-types";
import {
  asArray,
  type Check,
  isUnknown,
  type Resource,
  refersTo,
  resourcePolicy,
  show,
  stackPolicy,
} from "../lib/inspect";
import { enforcesTls, tlsParameter } from "../lib/judgements";
import type { HuntazePolicy } from "../rule";

const instance = rds.instance;

function flag(c: Check, key: string, message: string, expected = true): void {
  const v = c.props[key];
  if (isUnknown(v)) c.unknown(key);
  else if (v !== expected) c.report(`${message} (${key} is ${show(v)})`);
}

function engineOf(props: Record<string, unknown>): string {
  return typeof props.engine === "string" ? props.engine.toLowerCase() : "";
}
const isPostgres = (e: string) => e.includes("postgres");
const isMysql = (e: string) => e.includes("mysql") || e.includes("mariadb");

const storageEncrypted = resourcePolicy({
  name: "rds-storage-encrypted",
  summary: "RDS instances encrypt storage (storageEncrypted: true)",
  enforcementLevel: "mandatory",
  references: { catalogue: [58], fsbp: ["RDS.3"], checkov: ["CKV_AWS_16"] },
  resourceTypes: instance,
  check: (c) => {
    // A read replica inherits encryption from its source.
    if (c.props.replicateSourceDb) return;
    flag(
      c,
      "storageEncrypted",
      "storage is not encrypted; it can only be turned on through an encrypted snapshot copy",
    );
  },
});

const notPublic = resourcePolicy({
  name: "rds-not-publicly-accessible",
  summary: "RDS instances and Aurora cluster instances are not publicly accessible",
  enforcementLevel: "mandatory",
  references: { catalogue: [59], fsbp: ["RDS.2"], checkov: ["CKV_AWS_17"] },
  resourceTypes: [...instance, ...rds.clusterInstance],
  check: (c) => {
    const v = c.props.publiclyAccessible;
    if (isUnknown(v)) c.unknown("publiclyAccessible");
    else if (v === true) c.report("publiclyAccessible is true: the instance gets a public IP and DNS name");
  },
});

const multiAz = resourcePolicy({
  name: "rds-multi-az",
  summary: "RDS instances are Multi-AZ",
  enforcementLevel: "advisory",
  references: { catalogue: [60], fsbp: ["RDS.5"], checkov: ["CKV_AWS_157"] },
  resourceTypes: instance,
  check: (c) => flag(c, "multiAz", "the instance is single-AZ"),
});

const backups = resourcePolicy({
  name: "rds-backup-retention",
  summary:
    "RDS instances and Aurora / Multi-AZ DB clusters (whose automated backups are set on the cluster, not on its instances) keep automated backups for at least minimumRetentionDays (default 7, as RDS.11) and at most 35 days (what AWS accepts); unlike CKV_AWS_133, an unset period fails (AWS then keeps 1 day, short of RDS.11's 7)",
  enforcementLevel: "advisory",
  references: { catalogue: [61], fsbp: ["RDS.11"], checkov: ["CKV_AWS_133"] },
  resourceTypes: [...instance, ...rds.cluster],
  configSchema: {
    properties: {
      minimumRetentionDays: {
        type: "integer",
        minimum: 1,
        maximum: 35,
        default: 7,
        description: "Fewest days of automated backups.",
      },
    },
  },
  check: (c) => {
    if (c.props.replicateSourceDb) return;
    const min = Number(c.config.minimumRetentionDays ?? 7);
    const v = c.props.backupRetentionPeriod;
    if (isUnknown(v)) c.unknown("backupRetentionPeriod");
    else if (typeof v !== "number" || v < min)
      c.report(`backupRetentionPeriod is ${show(v)}; keep at least ${min} days (minimumRetentionDays)`);
    else if (v > 35) c.report(`backupRetentionPeriod is ${v}; AWS accepts at most 35 days`);
  },
});

const deletionProtection = resourcePolicy({
  name: "rds-deletion-protection",
  summary: "RDS instances have deletion protection on",
  enforcementLevel: "advisory",
  references: { catalogue: [62], fsbp: ["RDS.8"], checkov: ["CKV_AWS_293"] },
  resourceTypes: instance,
  check: (c) => flag(c, "deletionProtection", "deletion protection is off"),
});

const monitoring = resourcePolicy({
  name: "rds-enhanced-monitoring",
  summary:
    "RDS instances and Aurora cluster instances have enhanced monitoring, as CKV_AWS_118 (monitoringInterval > 0, with the monitoringRoleArn AWS then requires; unset, the interval is 0: monitoring off)",
  enforcementLevel: "advisory",
  references: { catalogue: [63], fsbp: ["RDS.6"], checkov: ["CKV_AWS_118"] },
  resourceTypes: [...instance, ...rds.clusterInstance],
  check: (c) => {
    const v = c.props.monitoringInterval;
    if (isUnknown(v)) c.unknown("monitoringInterval");
    else if (typeof v !== "number" || v <= 0)
      c.report("enhanced monitoring is off: set monitoringInterval (e.g. 60) and monitoringRoleArn");
  },
});

/** Log types RDS.9 expects per engine family. */
function requiredLogs(engine: string): string[] {
  if (isPostgres(engine)) return ["postgresql"];
  if (isMysql(engine)) return ["error", "slowquery"];
  if (engine.startsWith("oracle")) return ["alert", "audit"];
  if (engine.startsWith("sqlserver")) return ["error"];
  return [];
}

const logExports = resourcePolicy({
  name: "rds-cloudwatch-log-exports",
  summary:
    "RDS instances export their engine logs to CloudWatch Logs (postgresql (+ upgrade) for PostgreSQL, error + slowquery for MySQL/MariaDB)",
  enforcementLevel: "advisory",
  references: { catalogue: [64], fsbp: ["RDS.9", "RDS.36"], checkov: ["CKV_AWS_129"] },
  resourceTypes: instance,
  check: (c) => {
    const v = c.props.enabledCloudwatchLogsExports;
    if (isUnknown(v) || isUnknown(c.props.engine)) {
      c.unknown("enabledCloudwatchLogsExports");
      return;
    }
    const exported = new Set(asArray(v).map(String));
    const wanted = requiredLogs(engineOf(c.props));
    const missing = (wanted.length ? wanted : []).filter((l) => !exported.has(l));
    if (exported.size === 0) c.report("no logs are exported to CloudWatch (enabledCloudwatchLogsExports is empty)");
    else if (missing.length) c.report(`enabledCloudwatchLogsExports lacks ${missing.join(", ")}`);
  },
});

const iamAuth = resourcePolicy({
  name: "rds-iam-authentication",
  summary:
    "RDS MySQL/MariaDB/PostgreSQL instances have IAM database authentication on (unlike CKV_AWS_161, MariaDB is judged too: RDS supports IAM authentication for it)",
  // Advisory: IAM auth adds short-lived credentials next to password auth; its absence does not
  // leave the database unauthenticated, and it only exists for some engines.
  enforcementLevel: "advisory",
  references: { catalogue: [65], fsbp: ["RDS.10"], checkov: ["CKV_AWS_161"] },
  resourceTypes: instance,
  check: (c) => {
    if (isUnknown(c.props.engine)) return c.unknown("engine");
    const engine = engineOf(c.props);
    if (!isPostgres(engine) && !isMysql(engine)) return;
    flag(c, "iamDatabaseAuthenticationEnabled", "IAM database authentication is off");
  },
});

const minorUpgrades = resourcePolicy({
  name: "rds-auto-minor-version-upgrade",
  summary:
    "RDS instances and Aurora cluster instances take minor engine upgrades automatically (autoMinorVersionUpgrade not false); unlike CKV_AWS_226, an unset flag passes (the provider and AWS default it to true)",
  enforcementLevel: "advisory",
  references: { catalogue: [66], fsbp: ["RDS.13"], checkov: ["CKV_AWS_226"] },
  resourceTypes: [...instance, ...rds.clusterInstance],
  check: (c) => {
    const v = c.props.autoMinorVersionUpgrade;
    if (isUnknown(v)) c.unknown("autoMinorVersionUpgrade");
    else if (v === false) c.report("autoMinorVersionUpgrade is false: security patches wait for a manual upgrade");
  },
});

const copyTags = resourcePolicy({
  name: "rds-copy-tags-to-snapshots",
  summary:
    "RDS instances copy their tags to snapshots (unlike CKV2_AWS_60, whatever the engine: it also fails engines such as neptune that share the RDS API)",
  enforcementLevel: "advisory",
  references: { catalogue: [67], fsbp: ["RDS.17"], checkov: ["CKV2_AWS_60"] },
  resourceTypes: instance,
  check: (c) => flag(c, "copyTagsToSnapshot", "snapshots lose the instance's tags"),
});

const defaultPorts: [(e: string) => boolean, number][] = [
  [isPostgres, 5432],
  [isMysql, 3306],
  [(e) => e.startsWith("oracle"), 1521],
  [(e) => e.startsWith("sqlserver"), 1433],
];

const nonDefaultPort = resourcePolicy({
  name: "rds-non-default-port",
  summary: "RDS instances listen on a non-default port (not 5432 for PostgreSQL, 3306 for MySQL/MariaDB, ...)",
  enforcementLevel: "advisory",
  references: { catalogue: [68], fsbp: ["RDS.23"], checkov: [] },
  resourceTypes: instance,
  check: (c) => {
    if (isUnknown(c.props.port) || isUnknown(c.props.engine)) return c.unknown("port/engine");
    const engine = engineOf(c.props);
    const port = defaultPorts.find(([is]) => is(engine))?.[1];
    if (port === undefined) return;
    const actual = typeof c.props.port === "number" ? c.props.port : port;
    if (actual === port)
      c.report(`the instance listens on the ${engine} default port ${port}: set port to something else`);
  },
});

const DEFAULT_USERNAMES = ["postgres", "admin", "root", "sa", "master", "administrator", "mysql"];

const nonDefaultUsername = resourcePolicy({
  name: "rds-non-default-admin-username",
  summary: `RDS instances use a non-default master username (not ${DEFAULT_USERNAMES.join(", ")})`,
  enforcementLevel: "advisory",
  references: { catalogue: [68], fsbp: ["RDS.25"], checkov: [] },
  resourceTypes: instance,
  check: (c) => {
    const v = c.props.username;
    if (isUnknown(v)) c.unknown("username");
    else if (typeof v === "string" && DEFAULT_USERNAMES.includes(v.toLowerCase()))
      c.report(`the master username is the well-known "${v}": pick a non-default name`);
  },
});

/** The TLS parameter of a group, from its family (`postgres16`, `mariadb10.6`, `db2-ae-11.5`); undefined when unknown or not applicable. */
function groupTlsParameter(group: Resource): { name: string; values: string[] } | undefined {
  const family = group.props.family;
  return typeof family === "string" ? tlsParameter(family.toLowerCase()) : undefined;
}

function groupFor(inst: Resource, groups: Resource[]): Resource | undefined {
  const ref = inst.props.parameterGroupName;
  return groups.find(
    (g) =>
      (inst.dependsOn.parameterGroupName ?? []).includes(g.urn) ||
      (typeof ref === "string" && (g.props.name === ref || g.props.id === ref)),
  );
}

const forceSsl = stackPolicy({
  name: "rds-force-ssl",
  summary:
    "RDS instances use a parameter group that forces TLS (rds.force_ssl = 1 for PostgreSQL/SQL Server, require_secure_transport = 1 for MySQL/MariaDB, db2comm = SSL for Db2; the engine comes from the instance or, when it names none, from the group's family), and no parameter group of the stack turns TLS off explicitly (unlike CKV2_AWS_69, which judges instances only)",
  enforcementLevel: "mandatory",
  references: { catalogue: [69], fsbp: [], checkov: ["CKV2_AWS_69"] },
  resourceTypes: [...instance, ...rds.parameterGroup],
  check: (s) => {
    const groups = s.ofType(rds.parameterGroup);
    const attached = new Set<string>();
    for (const inst of s.ofType(instance)) {
      if (isUnknown(inst.props.engine)) {
        s.unknown(`engine of ${inst.name}`);
        continue;
      }
      const found = groupFor(inst, groups);
      if (found) attached.add(found.urn);
      // No engine given (as in Checkov's fixtures): the attached group's family names it.
      const param =
        inst.props.engine === undefined && found ? groupTlsParameter(found) : tlsParameter(engineOf(inst.props));
      if (!param) continue;
      const ref = inst.props.parameterGroupName;
      if (ref === undefined || ref === null || (typeof ref === "string" && ref.startsWith("default."))) {
        s.report(inst, `instance ${inst.name} uses the default parameter group: attach one with ${param.name} = 1`);
        continue;
      }
      const group = groupFor(inst, groups);
      if (!group) {
        if (isUnknown(ref)) s.unknown(`parameter group of ${inst.name}`);
        else
          s.outside(`parameter group ${show(ref)} of ${inst.name} is not declared in this stack: check it where it is`);
        continue;
      }
      const parameters = group.props.parameters;
      if (isUnknown(parameters)) {
        s.unknown(`parameters of ${group.name}`);
        continue;
      }
      const entry = (asArray(parameters) as Record<string, unknown>[]).find(
        (p) => typeof p?.name === "string" && p.name.toLowerCase() === param.name,
      );
      if (entry && isUnknown(entry.value)) s.unknown(`${param.name} of ${group.name}`);
      else if (!entry || !enforcesTls(param, entry.value))
        s.report(
          inst,
          `instance ${inst.name} accepts unencrypted connections: parameter group ${group.name} has ${param.name} = ${entry ? show(entry.value) : "(not set)"}, expected ${param.values[0]}`,
        );
    }
    // A group whose instances are elsewhere is judged on its own: one that turns TLS off explicitly.
    for (const group of groups) {
      if (attached.has(group.urn)) continue;
      const param = groupTlsParameter(group);
      const parameters = group.props.parameters;
      if (!param || isUnknown(parameters)) continue;
      const entry = (asArray(parameters) as Record<string, unknown>[]).find(
        (p) => typeof p?.name === "string" && p.name.toLowerCase() === param.name,
      );
      if (entry && !isUnknown(entry.value) && !enforcesTls(param, entry.value))
        s.report(
          group,
          `parameter group ${group.name} sets ${param.name} = ${show(entry.value)}: every instance using it accepts unencrypted connections`,
        );
    }
  },
});

const performanceInsights = resourcePolicy({
  name: "rds-performance-insights-cmk",
  summary:
    "RDS instances and Aurora cluster instances have Performance Insights on, encrypted with a customer-managed key (CKV_AWS_353 and CKV_AWS_354 together: unlike CKV_AWS_353 alone, Performance Insights without a CMK fails; classes without Performance Insights fail too)",
  enforcementLevel: "advisory",
  references: { catalogue: [70], fsbp: [], checkov: ["CKV_AWS_353", "CKV_AWS_354"] },
  resourceTypes: [...instance, ...rds.clusterInstance],
  check: (c) => {
    const on = c.props.performanceInsightsEnabled;
    const key = c.props.performanceInsightsKmsKeyId;
    if (isUnknown(on) || isUnknown(key)) return c.unknown("performanceInsights");
    if (on !== true) c.report("Performance Insights is off (performanceInsightsEnabled)");
    else if (typeof key !== "string" || key === "")
      c.report("Performance Insights data uses the AWS-managed key: set performanceInsightsKmsKeyId");
  },
});

const performanceInsightsKeyKept = stackPolicy({
  name: "rds-performance-insights-key-unchanged",
  summary:
    "An existing RDS instance (protect: true, as an adopted instance is) with Performance Insights on keeps the PI key it has: its performanceInsightsKmsKeyId is not a KMS key this stack creates. RDS refuses to change the PI key once PI is on ('You cannot change your Performance Insights KMS key': RDS guide, 'Turning Performance Insights on and off for Amazon RDS')",
  enforcementLevel: "mandatory",
  references: {
    catalogue: [],
    fsbp: [],
    checkov: [],
    beyondCatalogue: "an RDS restriction next to row 70 (PI with a CMK), not a control: AWS refuses the call",
  },
  resourceTypes: [...instance, ...kms.key],
  check: (s) => {
    const keys = s.ofType(kms.key);
    for (const db of s.ofType(instance)) {
      if (!db.protect || db.props.performanceInsightsEnabled === false) continue;
      const created = keys.find((k) => refersTo(db, "performanceInsightsKmsKeyId", k, "arn", "keyId"));
      if (created)
        s.report(
          db,
          `instance ${db.name} is an existing one (protect) with Performance Insights, and its performanceInsightsKmsKeyId is the key ${created.name} this stack creates: RDS refuses to change the PI key once PI is on. Pass the key PI uses now (its ARN) or omit the input`,
        );
    }
  },
});

// Current RDS CAs; rds-ca-2019 expired in 2024. Absent = the region default (rds-ca-rsa2048-g1 for new instances).
const MODERN_CAS = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"];

const caCertificate = resourcePolicy({
  name: "rds-modern-ca-certificate",
  summary: `RDS instances use a current CA certificate (${MODERN_CAS.join(", ")}, or the default)`,
  enforcementLevel: "advisory",
  references: { catalogue: [70], fsbp: [], checkov: ["CKV_AWS_211"] },
  resourceTypes: instance,
  check: (c) => {
    const v = c.props.caCertIdentifier;
    if (isUnknown(v)) c.unknown("caCertIdentifier");
    else if (typeof v === "string" && !MODERN_CAS.includes(v))
      c.report(`caCertIdentifier ${v} is not a current RDS CA: use ${MODERN_CAS[0]}`);
  },
});

export const rdsPolicies: HuntazePolicy[] = [
  storageEncrypted,
  notPublic,
  multiAz,
  backups,
  deletionProtection,
  monitoring,
  logExports,
  iamAuth,
  minorUpgrades,
  copyTags,
  nonDefaultPort,
  nonDefaultUsername,
  forceSsl,
  performanceInsights,
  performanceInsightsKeyKept,
  caCertificate,
];
