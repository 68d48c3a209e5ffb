import { expect } from "chai";
import { describe, it } from "mocha";
import { rdsClusterPolicies } from "../../policy-pack/rules/rds-cluster";
import {
  complies,
  factory,
  notApplicableReason,
  UNKNOWN_BOOL,
  UNKNOWN_NUMBER,
  UNKNOWN_STRING,
  violates,
} from "../support/policy-cases";
import { evaluate, of } from "../support/policy-harness";

const CLUSTER = "aws:rds/cluster:Cluster";
const PASSWORD = "aurora-Sup3r-secret-password";

// A hardened Aurora MySQL cluster: every aws.rds.Cluster rule passes.
const aurora = factory(CLUSTER, "aurora", {
  clusterIdentifier: "huntaze-aurora",
  engine: "aurora-mysql",
  engineVersion: "8.0.mysql_aurora.3.05.2",
  masterUsername: "huntaze_admin",
  masterPassword: PASSWORD,
  storageEncrypted: true,
  kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/abcd",
  deletionProtection: true,
  iamDatabaseAuthenticationEnabled: true,
  backtrackWindow: 86400,
  backupRetentionPeriod: 14,
});
const postgres = factory(CLUSTER, "aurora-pg", {
  engine: "aurora-postgresql",
  engineVersion: "16.4",
  masterUsername: "huntaze_admin",
  manageMasterUserPassword: true,
  storageEncrypted: true,
  deletionProtection: true,
  iamDatabaseAuthenticationEnabled: true,
  backupRetentionPeriod: 14,
});

describe("RDS cluster rules (aws.rds.Cluster)", () => {
  it("the hardened Aurora MySQL and PostgreSQL clusters pass every cluster rule, and no message shows the password", async () => {
    const violations = await evaluate([aurora(), postgres()]);
    for (const p of rdsClusterPolicies) expect(of(violations, p.name), p.name).to.deep.equal([]);
    for (const v of violations) expect(v.message).to.not.include(PASSWORD);
  });

  complies({ rule: "rds-cluster-storage-encrypted", title: "storageEncrypted", resources: [aurora()] });

  it("rds-cluster-storage-encrypted: a restore with the flag unset names the snapshot to check instead of passing silently", () => {
    const inputs = { ...aurora({ storageEncrypted: undefined, snapshotIdentifier: "huntaze-aurora-final" }).inputs };
    expect(notApplicableReason("rds-cluster-storage-encrypted", CLUSTER, inputs)).to.match(
      /takes the encryption of snapshot huntaze-aurora-final, which is not in this stack/,
    );
  });
  complies({
    rule: "rds-cluster-storage-encrypted",
    title: "Aurora Serverless v1 (always encrypted)",
    resources: [aurora({ storageEncrypted: undefined, engineMode: "serverless", backtrackWindow: undefined })],
  });
  complies({
    rule: "rds-cluster-storage-encrypted",
    title: "an encryption flag unknown during preview (re-checked on up)",
    resources: [aurora({ storageEncrypted: UNKNOWN_BOOL })],
  });
  complies({
    rule: "rds-cluster-storage-encrypted",
    title: "a cluster restored from a snapshot with the flag unset (the snapshot's encryption applies)",
    resources: [aurora({ storageEncrypted: undefined, snapshotIdentifier: "huntaze-aurora-final" })],
  });
  violates({
    rule: "rds-cluster-storage-encrypted",
    title: "a cluster restored from a snapshot with storageEncrypted false",
    resources: [aurora({ storageEncrypted: false, snapshotIdentifier: "huntaze-aurora-final" })],
    message: /storageEncrypted is false/,
  });
  violates({
    rule: "rds-cluster-storage-encrypted",
    title: "an Aurora cluster left at the default (unencrypted)",
    resources: [aurora({ storageEncrypted: undefined })],
    message: /cluster storage is not encrypted.*storageEncrypted is not set/s,
    neverInMessages: PASSWORD,
  });
  violates({
    rule: "rds-cluster-storage-encrypted",
    title: "a Multi-AZ DB cluster with storageEncrypted false",
    resources: [postgres({ engine: "postgres", dbClusterInstanceClass: "db.m6gd.large", storageEncrypted: false })],
    message: /storageEncrypted is false/,
  });

  complies({ rule: "rds-cluster-deletion-protection", title: "on", resources: [aurora()] });
  violates({
    rule: "rds-cluster-deletion-protection",
    title: "unset",
    resources: [aurora({ deletionProtection: undefined })],
    message: /deletion protection is off/,
  });

  complies({ rule: "rds-cluster-iam-authentication", title: "on", resources: [postgres()] });
  violates({
    rule: "rds-cluster-iam-authentication",
    title: "off",
    resources: [postgres({ iamDatabaseAuthenticationEnabled: false })],
    message: /IAM database authentication is off/,
  });

  complies({ rule: "rds-cluster-aurora-backtrack", title: "a 24-hour window", resources: [aurora()] });
  complies({
    rule: "rds-cluster-aurora-backtrack",
    title: "Aurora PostgreSQL (no backtrack there: not judged)",
    resources: [postgres()],
  });
  complies({
    rule: "rds-cluster-aurora-backtrack",
    title: "an engine unknown during preview",
    resources: [aurora({ engine: UNKNOWN_STRING, backtrackWindow: undefined })],
  });
  complies({
    rule: "rds-cluster-aurora-backtrack",
    title: "a window unknown during preview",
    resources: [aurora({ backtrackWindow: UNKNOWN_NUMBER })],
  });
  violates({
    rule: "rds-cluster-aurora-backtrack",
    title: "Aurora MySQL without a window",
    resources: [aurora({ backtrackWindow: undefined })],
    message: /backtracking is off \(backtrackWindow is not set\)/,
  });
  violates({
    rule: "rds-cluster-aurora-backtrack",
    title: "Aurora MySQL with the window 0",
    resources: [aurora({ backtrackWindow: 0 })],
    message: /backtrackWindow is 0/,
  });
});
