import { rds } from "../lib/aws-types";
import { type Check, isUnknown, resourcePolicy, show } from "../lib/inspect";
import type { HuntazePolicy } from "../rule";

// aws.rds.Cluster: Aurora clusters and Multi-AZ DB clusters. Their storage, deletion protection,
// IAM authentication and backtrack are cluster settings (the cluster instances carry none of them),
// so the instance rules of rds.ts never see them.

const cluster = rds.cluster;

function flag(c: Check, key: string, message: string): void {
  const v = c.props[key];
  if (isUnknown(v)) c.unknown(key);
  else if (v !== true) c.report(`${message} (${key} is ${show(v)})`);
}

const storageEncrypted = resourcePolicy({
  name: "rds-cluster-storage-encrypted",
  summary:
    'Aurora and Multi-AZ DB clusters encrypt their storage (storageEncrypted: true; Aurora Serverless v1, engineMode "serverless", is always encrypted; restored from a snapshot with the flag unset, the snapshot decides), as CKV_AWS_96, Trivy AVD-AWS-0079 and Prowler rds_cluster_storage_encrypted',
  enforcementLevel: "mandatory",
  references: {
    catalogue: [],
    fsbp: ["RDS.27"],
    checkov: ["CKV_AWS_96"],
    beyondCatalogue:
      "the catalogue's RDS rows (58-70) read rds.Instance only; a cluster's storage encryption is a cluster setting no instance rule sees",
  },
  resourceTypes: cluster,
  check: (c) => {
    // Aurora Serverless v1 clusters are always encrypted ("Aurora Serverless v1 ... snapshots",
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless.how-it-works.html#aurora-serverless.snapshots).
    const mode = c.props.engineMode;
    if (isUnknown(mode)) return c.unknown("engineMode");
    if (mode === "serverless") return;
    // storageEncrypted defaults to false for provisioned clusters and can only be set at creation
    // (Pulumi registry, "aws.rds.Cluster": storageEncrypted; changing it replaces the cluster). A
    // cluster restored from a snapshot inherits the snapshot's encryption when the flag is unset
    // (same page: only an unencrypted snapshotIdentifier needs kmsKeyId to be encrypted).
    const restoredFrom = c.props.snapshotIdentifier;
    if (isUnknown(c.props.storageEncrypted)) return c.unknown("storageEncrypted");
    if (c.props.storageEncrypted === undefined && typeof restoredFrom === "string" && restoredFrom !== "")
      return c.outside(
        `storageEncrypted is unset: the cluster takes the encryption of snapshot ${restoredFrom}, which is not in this stack; check it there`,
      );
    flag(
      c,
      "storageEncrypted",
      "cluster storage is not encrypted; it can only be turned on through an encrypted snapshot restore",
    );
  },
});

const deletionProtection = resourcePolicy({
  name: "rds-cluster-deletion-protection",
  summary: "Aurora and Multi-AZ DB clusters have deletion protection on (deletionProtection: true), as CKV_AWS_139",
  enforcementLevel: "advisory",
  references: {
    catalogue: [],
    fsbp: ["RDS.7"],
    checkov: ["CKV_AWS_139"],
    beyondCatalogue: "the catalogue's deletion-protection row (62) reads rds.Instance only",
  },
  resourceTypes: cluster,
  check: (c) => flag(c, "deletionProtection", "deletion protection is off: one delete call removes the cluster"),
});

const iamAuthentication = resourcePolicy({
  name: "rds-cluster-iam-authentication",
  summary:
    "Aurora and Multi-AZ DB clusters have IAM database authentication on (iamDatabaseAuthenticationEnabled: true), as CKV_AWS_162",
  // Advisory, as rds-iam-authentication: IAM auth adds short-lived credentials next to passwords.
  enforcementLevel: "advisory",
  references: {
    catalogue: [],
    fsbp: ["RDS.12"],
    checkov: ["CKV_AWS_162"],
    beyondCatalogue: "the catalogue's IAM-authentication row (65) reads rds.Instance only",
  },
  resourceTypes: cluster,
  check: (c) => flag(c, "iamDatabaseAuthenticationEnabled", "IAM database authentication is off"),
});

/**
 * Engines with backtrack: Aurora MySQL only ("Backtracking an Aurora DB cluster",
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html).
 * No engine given: Terraform's old default engine, "aurora" (MySQL 5.6-compatible), as Checkov reads it.
 */
const BACKTRACK_ENGINES = ["aurora", "aurora-mysql"];

const backtrack = resourcePolicy({
  name: "rds-cluster-aurora-backtrack",
  summary:
    "Aurora MySQL clusters have backtracking on (backtrackWindow > 0 seconds, at most 259200); other engines are not judged, as CKV_AWS_326",
  // Advisory: backtrack rewinds a cluster in place after a bad write; backups still restore it.
  enforcementLevel: "advisory",
  references: {
    catalogue: [],
    fsbp: ["RDS.14"],
    checkov: ["CKV_AWS_326"],
    beyondCatalogue: "backtrack is an Aurora MySQL cluster setting; the catalogue's RDS rows cover instances",
  },
  resourceTypes: cluster,
  check: (c) => {
    const engine = c.props.engine;
    if (isUnknown(engine)) return c.unknown("engine");
    if (typeof engine === "string" && !BACKTRACK_ENGINES.includes(engine.toLowerCase())) return;
    // Backtrack is chosen when the cluster is created: an existing cluster needs a new one restored
    // from its snapshot ("How do I turn on backtrack for an Aurora MySQL cluster?",
    // https://repost.aws/knowledge-center/aurora-mysql-cluster-backtrack); the window is 0-72 hours.
    const v = c.props.backtrackWindow;
    if (isUnknown(v)) c.unknown("backtrackWindow");
    else if (typeof v !== "number" || v <= 0)
      c.report(
        `backtracking is off (backtrackWindow is ${show(v)}): set it in seconds, e.g. 86400 for 24 hours (only when the cluster is created: restore an existing one from a snapshot)`,
      );
  },
});

export const rdsClusterPolicies: HuntazePolicy[] = [storageEncrypted, deletionProtection, iamAuthentication, backtrack];
