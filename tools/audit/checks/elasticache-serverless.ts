import { isCustomerKey } from "../../../policy-pack/lib/judgements";
import type { AccountFacts, ServerlessCacheFacts } from "../facts";
import { rbacVerdict, userGroupsOf } from "./elasticache";
import { type AuditCheck, check, type ResourceRef } from "./types";

// ElastiCache Serverless: always encrypted at rest and always TLS, so only the key, RBAC and
// snapshots are left to judge. This repository declares no serverless cache (its Redis is
// EncryptedRedis): one found in the account was made outside code.

/** ElastiCache's own minimum for automatic snapshots (FSBP ElastiCache.1 asks >= 1 of node-based clusters). */
export const MIN_SERVERLESS_SNAPSHOT_RETENTION_DAYS = 1;

function serverlessCaches(facts: AccountFacts): ServerlessCacheFacts[] {
  return facts.regions.flatMap((r) => r.serverlessCaches ?? []);
}

const ref = (c: ServerlessCacheFacts): ResourceRef => ({
  arn: c.arn,
  type: "AwsElastiCacheServerlessCache",
  region: c.region,
});

// Serverless Memcached has no user groups (RBAC is Redis OSS / Valkey only).
const isRedisLike = (c: ServerlessCacheFacts) => c.engine !== "memcached";

export const serverlessCmk: AuditCheck = check(
  {
    id: "elasticache-serverless-cmk",
    title: "ElastiCache Serverless encrypts at rest with a customer-managed KMS key",
    service: "elasticache",
    severity: "warning",
    risk: "Without KmsKeyId the cache and its snapshots are encrypted with an AWS-owned key: access cannot be revoked or audited through a key policy.",
    remediation:
      "The key is set only at creation: snapshot the cache (create-serverless-cache-snapshot), create a new one from it with --kms-key-id (a customer key, see createComponentKey), or move the data to EncryptedRedis",
    fsbp: [],
  },
  (facts, r) =>
    serverlessCaches(facts).map((c) =>
      isCustomerKey(c.kmsKeyId)
        ? r.pass(ref(c), `encrypted with ${c.kmsKeyId}`)
        : r.fail(
            ref(c),
            `encrypted at rest with an AWS-owned key (no KmsKeyId${c.storageEncryptionType ? `; StorageEncryptionType ${c.storageEncryptionType}` : ""})`,
          ),
    ),
);

export const serverlessAuth: AuditCheck = check(
  {
    id: "elasticache-serverless-auth",
    title: "ElastiCache Serverless (Redis OSS / Valkey) authenticates clients with an RBAC user group",
    service: "elasticache",
    severity: "critical",
    risk: "Without a user group every client that reaches the endpoint is the default user and can read and write every key.",
    remediation:
      "Attach a user group whose default user is disabled: `aws elasticache modify-serverless-cache --serverless-cache-name <name> --user-group-id <group>` (or move the data to EncryptedRedis, which keeps an AUTH token in Secrets Manager)",
    fsbp: [],
  },
  (facts, r) =>
    serverlessCaches(facts)
      .filter(isRedisLike)
      .flatMap((c) => {
        if (!c.userGroupId)
          return [r.fail(ref(c), "no user group (UserGroupId): any client that reaches the endpoint can run commands")];
        const rbac = rbacVerdict([c.userGroupId], userGroupsOf(facts, c.region));
        if (rbac === undefined) return [];
        return rbac.kind === "open"
          ? [r.fail(ref(c), rbac.detail)]
          : [
              r.pass(
                ref(c),
                `RBAC user group ${c.userGroupId}: every enabled user needs a password or IAM (TLS is always on)`,
              ),
            ];
      }),
);

export const serverlessSnapshots: AuditCheck = check(
  {
    id: "elasticache-serverless-snapshots",
    title: "ElastiCache Serverless keeps automatic snapshots",
    service: "elasticache",
    severity: "warning",
    risk: "With no automatic snapshot, a deleted or corrupted cache cannot be restored.",
    remediation: `\`aws elasticache modify-serverless-cache --serverless-cache-name <name> --snapshot-retention-limit 7\` (at least ${MIN_SERVERLESS_SNAPSHOT_RETENTION_DAYS}; EncryptedRedis sets snapshotRetentionLimit for its groups)`,
    fsbp: [],
  },
  (facts, r) =>
    serverlessCaches(facts).map((c) => {
      const days = c.snapshotRetentionLimit ?? 0;
      return days >= MIN_SERVERLESS_SNAPSHOT_RETENTION_DAYS
        ? r.pass(ref(c), `automatic snapshots kept ${days} day(s)`)
        : r.fail(
            ref(c),
            `SnapshotRetentionLimit is ${c.snapshotRetentionLimit === undefined ? "not set" : days}: no automatic snapshot; keep at least ${MIN_SERVERLESS_SNAPSHOT_RETENTION_DAYS} day(s)`,
          );
    }),
);

export const elasticacheServerlessChecks = [serverlessCmk, serverlessAuth, serverlessSnapshots];
