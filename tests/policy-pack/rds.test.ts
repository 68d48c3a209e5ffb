import { expect } from "chai";
import { describe, it } from "mocha";
import { rdsPolicies } from "../../policy-pack/rules/rds";
import { complies, factory, stackNotApplicableReason, UNKNOWN_STRING, violates } from "../support/policy-cases";
import { evaluate, of } from "../support/policy-harness";

const INSTANCE = "aws:rds/instance:Instance";
const PARAMS = "aws:rds/parameterGroup:ParameterGroup";
const CLUSTER = "aws:rds/cluster:Cluster";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const PASSWORD = "pg-Sup3r-secret-password";

const db = factory(INSTANCE, "db", {
  engine: "postgres",
  engineVersion: "16.4",
  instanceClass: "db.t4g.medium",
  allocatedStorage: 20,
  username: "huntaze_admin",
  password: PASSWORD,
  port: 5433,
  storageEncrypted: true,
  publiclyAccessible: false,
  multiAz: true,
  backupRetentionPeriod: 14,
  deletionProtection: true,
  monitoringInterval: 60,
  monitoringRoleArn: "arn:aws:iam::111122223333:role/rds-monitoring",
  enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
  iamDatabaseAuthenticationEnabled: true,
  autoMinorVersionUpgrade: true,
  copyTagsToSnapshot: true,
  parameterGroupName: "db-params",
  performanceInsightsEnabled: true,
  performanceInsightsKmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/abcd",
  caCertIdentifier: "rds-ca-rsa2048-g1",
});
const params = factory(PARAMS, "db-params", {
  name: "db-params",
  family: "postgres16",
  parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "immediate" }],
});

// Aurora: automated backups are a cluster setting; monitoring and minor upgrades are per cluster instance.
const cluster = factory(CLUSTER, "aurora", {
  engine: "aurora-postgresql",
  engineVersion: "16.4",
  masterUsername: "huntaze_admin",
  manageMasterUserPassword: true,
  storageEncrypted: true,
  backupRetentionPeriod: 14,
  deletionProtection: true,
});
const member = factory(CLUSTER_INSTANCE, "aurora-1", {
  clusterIdentifier: "aurora",
  engine: "aurora-postgresql",
  instanceClass: "db.r6g.large",
  publiclyAccessible: false,
  monitoringInterval: 60,
  monitoringRoleArn: "arn:aws:iam::111122223333:role/rds-monitoring",
  autoMinorVersionUpgrade: true,
  performanceInsightsEnabled: true,
  performanceInsightsKmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/abcd",
});

describe("RDS rules", () => {
  it("the compliant instance passes every RDS rule and no message shows its password", async () => {
    const violations = await evaluate([db(), params()]);
    for (const p of rdsPolicies) expect(of(violations, p.name), p.name).to.deep.equal([]);
    for (const v of violations) expect(v.message).to.not.include(PASSWORD);
  });

  it("the compliant Aurora cluster and cluster instance pass every RDS rule", async () => {
    const violations = await evaluate([cluster(), member()]);
    for (const p of rdsPolicies) expect(of(violations, p.name), p.name).to.deep.equal([]);
  });

  complies({ rule: "rds-storage-encrypted", title: "storageEncrypted", resources: [db()] });
  violates({
    rule: "rds-storage-encrypted",
    title: "unencrypted storage",
    resources: [db({ storageEncrypted: false })],
    message: /not encrypted/,
    neverInMessages: PASSWORD,
  });

  complies({ rule: "rds-not-publicly-accessible", title: "private", resources: [db()] });
  violates({
    rule: "rds-not-publicly-accessible",
    title: "publiclyAccessible",
    resources: [db({ publiclyAccessible: true })],
    message: /public IP/,
  });

  complies({ rule: "rds-multi-az", title: "Multi-AZ", resources: [db()] });
  violates({ rule: "rds-multi-az", title: "single-AZ", resources: [db({ multiAz: false })] });

  complies({ rule: "rds-backup-retention", title: "14 days", resources: [db()] });
  violates({
    rule: "rds-backup-retention",
    title: "1 day",
    resources: [db({ backupRetentionPeriod: 1 })],
    message: /at least 7 days/,
  });
  violates({
    rule: "rds-backup-retention",
    title: "14 days against a 30-day minimum",
    resources: [db()],
    config: { "rds-backup-retention": { minimumRetentionDays: 30 } },
    message: /at least 30/,
  });

  complies({ rule: "rds-backup-retention", title: "an Aurora cluster keeping 14 days", resources: [cluster()] });
  violates({
    rule: "rds-backup-retention",
    title: "an Aurora cluster with the default period (1 day)",
    resources: [cluster({ backupRetentionPeriod: undefined })],
    message: /backupRetentionPeriod is not set; keep at least 7 days/,
  });

  complies({ rule: "rds-deletion-protection", title: "on", resources: [db()] });
  violates({ rule: "rds-deletion-protection", title: "off", resources: [db({ deletionProtection: undefined })] });

  complies({ rule: "rds-enhanced-monitoring", title: "60 s", resources: [db()] });
  violates({ rule: "rds-enhanced-monitoring", title: "0", resources: [db({ monitoringInterval: 0 })] });
  complies({ rule: "rds-enhanced-monitoring", title: "an Aurora cluster instance at 60 s", resources: [member()] });
  violates({
    rule: "rds-enhanced-monitoring",
    title: "an Aurora cluster instance without an interval",
    resources: [member({ monitoringInterval: undefined })],
    message: /enhanced monitoring is off/,
  });

  complies({ rule: "rds-cloudwatch-log-exports", title: "postgresql + upgrade", resources: [db()] });
  violates({
    rule: "rds-cloudwatch-log-exports",
    title: "only upgrade",
    resources: [db({ enabledCloudwatchLogsExports: ["upgrade"] })],
    message: /lacks postgresql/,
  });
  violates({
    rule: "rds-cloudwatch-log-exports",
    title: "none",
    resources: [db({ enabledCloudwatchLogsExports: undefined })],
    message: /empty/,
  });

  complies({ rule: "rds-iam-authentication", title: "on", resources: [db()] });
  violates({
    rule: "rds-iam-authentication",
    title: "off",
    resources: [db({ iamDatabaseAuthenticationEnabled: false })],
  });

  complies({
    rule: "rds-auto-minor-version-upgrade",
    title: "default",
    resources: [db({ autoMinorVersionUpgrade: undefined })],
  });
  violates({
    rule: "rds-auto-minor-version-upgrade",
    title: "false",
    resources: [db({ autoMinorVersionUpgrade: false })],
  });
  complies({
    rule: "rds-auto-minor-version-upgrade",
    title: "an Aurora cluster instance (default)",
    resources: [member({ autoMinorVersionUpgrade: undefined })],
  });
  violates({
    rule: "rds-auto-minor-version-upgrade",
    title: "an Aurora cluster instance with false",
    resources: [member({ autoMinorVersionUpgrade: false })],
    message: /autoMinorVersionUpgrade is false/,
  });

  complies({ rule: "rds-copy-tags-to-snapshots", title: "on", resources: [db()] });
  violates({ rule: "rds-copy-tags-to-snapshots", title: "off", resources: [db({ copyTagsToSnapshot: false })] });

  complies({ rule: "rds-non-default-port", title: "5433", resources: [db()] });
  violates({
    rule: "rds-non-default-port",
    title: "the default (port unset)",
    resources: [db({ port: undefined })],
    message: /default port 5432/,
  });
  violates({
    rule: "rds-non-default-port",
    title: "3306 on MySQL",
    resources: [db({ engine: "mysql", port: 3306 })],
    message: /3306/,
  });

  complies({ rule: "rds-non-default-admin-username", title: "huntaze_admin", resources: [db()] });
  violates({
    rule: "rds-non-default-admin-username",
    title: "postgres",
    resources: [db({ username: "postgres" })],
    message: /"postgres"/,
  });

  complies({
    rule: "rds-force-ssl",
    title: "rds.force_ssl = 1 in the attached group (by name)",
    resources: [db(), params()],
  });
  complies({
    rule: "rds-force-ssl",
    title: "a group name unknown during preview, joined by dependency",
    resources: [
      db({ parameterGroupName: UNKNOWN_STRING }, { propertyDependencies: { parameterGroupName: ["db-params"] } }),
      params(),
    ],
  });
  complies({
    rule: "rds-force-ssl",
    title: "MySQL with require_secure_transport ON",
    resources: [
      db({ engine: "mysql", port: 3307 }),
      params({ family: "mysql8.0", parameters: [{ name: "require_secure_transport", value: "ON" }] }),
    ],
  });
  violates({
    rule: "rds-force-ssl",
    title: "rds.force_ssl = 0",
    resources: [db(), params({ parameters: [{ name: "rds.force_ssl", value: "0" }] })],
    message: /accepts unencrypted connections: parameter group db-params has rds.force_ssl = "0"/,
  });
  complies({
    rule: "rds-force-ssl",
    title: "a parameter group declared in another stack",
    resources: [db({ parameterGroupName: "shared-pg16" })],
  });
  it("rds-force-ssl: says why it cannot decide (declared elsewhere / unknown until apply)", () => {
    expect(stackNotApplicableReason("rds-force-ssl", [db({ parameterGroupName: "shared-pg16" })])).to.match(
      /parameter group "shared-pg16" of db is not declared in this stack/,
    );
    expect(stackNotApplicableReason("rds-force-ssl", [db({ parameterGroupName: UNKNOWN_STRING }), params()])).to.match(
      /parameter group of db: .*pulumi up/,
    );
  });
  violates({
    rule: "rds-force-ssl",
    title: "the default parameter group",
    resources: [db({ parameterGroupName: undefined })],
    message: /default parameter group/,
  });

  complies({ rule: "rds-performance-insights-cmk", title: "on with a CMK", resources: [db()] });
  violates({
    rule: "rds-performance-insights-cmk",
    title: "on without a key",
    resources: [db({ performanceInsightsKmsKeyId: undefined })],
    message: /AWS-managed key/,
  });

  complies({
    rule: "rds-modern-ca-certificate",
    title: "rds-ca-rsa2048-g1, and the default",
    resources: [db(), db({ caCertIdentifier: undefined }, { name: "db2" })],
  });
  violates({
    rule: "rds-modern-ca-certificate",
    title: "rds-ca-2019",
    resources: [db({ caCertIdentifier: "rds-ca-2019" })],
    message: /rds-ca-2019/,
  });

  const piKey = factory("aws:kms/key:Key", "pi-key", {
    arn: "arn:aws:kms:eu-west-1:111122223333:key/0b6f5d2e-1111-2222-3333-444455556666",
    enableKeyRotation: true,
  });
  complies({
    rule: "rds-performance-insights-key-unchanged",
    title: "an existing (protected) instance that keeps the PI key it has (an ARN from outside the stack)",
    resources: [db({}, { protect: true }), piKey()],
  });
  complies({
    rule: "rds-performance-insights-key-unchanged",
    title: "a new instance created with this stack's key",
    resources: [
      db(
        { performanceInsightsKmsKeyId: undefined },
        { propertyDependencies: { performanceInsightsKmsKeyId: ["pi-key"] } },
      ),
      piKey(),
    ],
  });
  violates({
    rule: "rds-performance-insights-key-unchanged",
    title: "an existing (protected) instance given a key this stack creates",
    resources: [
      db(
        { performanceInsightsKmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/0b6f5d2e-1111-2222-3333-444455556666" },
        { protect: true, propertyDependencies: { performanceInsightsKmsKeyId: ["pi-key"] } },
      ),
      piKey(),
    ],
    message: /RDS refuses to change the PI key once PI is on/,
  });
});
