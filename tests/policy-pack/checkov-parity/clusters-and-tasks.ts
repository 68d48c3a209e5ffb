import { UNKNOWN_STRING } from "../../support/policy-cases";
import { type Row, res, type Verdict } from "./row";

// aws.rds.Cluster (policy-pack/rules/rds-cluster.ts) and ECS task definition volumes
// (policy-pack/rules/ecs-task-definition.ts): CKV_AWS_96, CKV_AWS_139, CKV_AWS_162, CKV_AWS_326,
// CKV_AWS_97. Terraform's snake_case attributes become the provider's camelCase inputs.

const CLUSTER = "aws:rds/cluster:Cluster";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";

/** The "aurora-cluster-demo" cluster the AuroraEncryption, RDSDeletionProtection and backtrack fixtures share. */
const demo = {
  clusterIdentifier: "aurora-cluster-demo",
  availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"],
  databaseName: "mydb",
  masterUsername: "foo",
  masterPassword: "bar",
  backupRetentionPeriod: 5,
  preferredBackupWindow: "07:00-09:00",
};
const auroraMysql = { engine: "aurora-mysql", engineVersion: "5.7.mysql_aurora.2.03.2" };

const cases = (
  check: string,
  rule: string,
  list: [string, Record<string, unknown>, Verdict][],
  base: Record<string, unknown> = demo,
): Row[] =>
  list.map(([fixture, extra, checkov]) => ({
    check,
    rule,
    fixture,
    checkov,
    resources: [res(CLUSTER, fixture, { ...base, ...extra })],
  }));

/**
 * The fixture's task definition "test" (family "service"; its container_definitions is
 * file("task-definitions/service.json"), given here as one container) with `volumes`.
 */
const serviceTask = (fixture: string, volumes: Record<string, unknown>[]) =>
  res(TASK, fixture, {
    family: "service",
    containerDefinitions: JSON.stringify([{ name: "service", image: "service", essential: true }]),
    volumes,
  });
/** The fixture's EFS volume: aws_efs_file_system.fs / aws_efs_access_point.test references become their ids. */
const efs = (extra: Record<string, unknown>) => ({
  name: "service-storage",
  efsVolumeConfiguration: {
    fileSystemId: "fs",
    rootDirectory: "/opt/data",
    transitEncryptionPort: 2999,
    authorizationConfig: { accessPointId: "test", iam: "ENABLED" },
    ...extra,
  },
});

export const rows: Row[] = [
  // CKV_AWS_96 AuroraEncryption (test_AuroraEncryption.py): engine_mode "serverless" passes whatever
  // storage_encrypted says (Aurora Serverless v1 is always encrypted).
  ...cases("CKV_AWS_96", "rds-cluster-storage-encrypted", [
    ["test_success", { ...auroraMysql, storageEncrypted: true }, "PASSED"],
    ["test_success_serverless_default", { engineMode: "serverless" }, "PASSED"],
    ["test_success_serverless_enc_off", { engineMode: "serverless", storageEncrypted: false }, "PASSED"],
    ["test_failure_explicit", { ...auroraMysql, storageEncrypted: false }, "FAILED"],
    ["test_failure_default", { ...auroraMysql }, "FAILED"],
  ]),
  // CKV_AWS_139 RDSDeletionProtection (test_RDSDeletionProtection.py)
  ...cases("CKV_AWS_139", "rds-cluster-deletion-protection", [
    ["test_failure", { deletionProtection: false }, "FAILED"],
    ["test_failure_missing_attribute", {}, "FAILED"],
    ["test_success", { deletionProtection: true }, "PASSED"],
  ]),
  // CKV_AWS_162 RDSClusterIAMAuthentication (example_RDSClusterIAMAuthentication/main.tf)
  ...cases(
    "CKV_AWS_162",
    "rds-cluster-iam-authentication",
    [
      ["aws_rds_cluster.enabled", { iamDatabaseAuthenticationEnabled: true }, "PASSED"],
      ["aws_rds_cluster.default", {}, "FAILED"],
      ["aws_rds_cluster.disabled", { iamDatabaseAuthenticationEnabled: false }, "FAILED"],
    ],
    { masterUsername: "username", masterPassword: "password" },
  ),
  // CKV_AWS_326 RDSClusterAuroraBacktrack (example_RDSClusterAuroraBacktrack/main.tf): no engine is
  // judged (Terraform's old default "aurora"); aurora-postgresql is UNKNOWN to Checkov, not judged here.
  ...cases("CKV_AWS_326", "rds-cluster-aurora-backtrack", [
    ["aws_rds_cluster.pass", { ...auroraMysql, backtrackWindow: 7 }, "PASSED"],
    ["aws_rds_cluster.pass2", { backtrackWindow: 7 }, "PASSED"],
    ["aws_rds_cluster.fail", { backtrackWindow: 0 }, "FAILED"],
    ["aws_rds_cluster.fail2", {}, "FAILED"],
    ["aws_rds_cluster.postgresql", { engine: "aurora-postgresql" }, "UNKNOWN"],
  ]),
  // CKV_AWS_97 ECSTaskDefinitionEFSVolumeEncryption (test_ECSTaskDefinitionEFSVolumeEncryption.py)
  {
    check: "CKV_AWS_97",
    rule: "ecs-task-efs-transit-encryption",
    fixture: "test_success_no_volume",
    checkov: "PASSED",
    resources: [serviceTask("test_success_no_volume", [{ name: "service-storage", hostPath: "/ecs/service-storage" }])],
  },
  {
    check: "CKV_AWS_97",
    rule: "ecs-task-efs-transit-encryption",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [serviceTask("test_success", [efs({ transitEncryption: "ENABLED" })])],
  },
  {
    check: "CKV_AWS_97",
    rule: "ecs-task-efs-transit-encryption",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [serviceTask("test_failure", [efs({})])],
  },
  {
    check: "CKV_AWS_97",
    rule: "ecs-task-efs-transit-encryption",
    fixture: "test_failure_explicit",
    checkov: "FAILED",
    resources: [serviceTask("test_failure_explicit", [efs({ transitEncryption: "DISABLED" })])],
  },
  // A transit_encryption that is a variable Checkov cannot read: the pack waits for the value.
  {
    check: "CKV_AWS_97",
    rule: "ecs-task-efs-transit-encryption",
    fixture: "(variable transit_encryption, beyond the fixture)",
    checkov: "UNKNOWN",
    resources: [serviceTask("unknown", [efs({ transitEncryption: UNKNOWN_STRING })])],
  },
];
