import {
  elasticacheAtRestProblem,
  elasticacheAuthProblem,
  elasticacheTransit,
  isCustomerKey,
} from "../../../policy-pack/lib/judgements";
import type { AccountFacts, CacheFacts } from "../facts";
import { type AuditCheck, check, type ResourceRef } from "./types";

const MIGRATION = "docs/runbooks/elasticache-encryption-migration.md";

function caches(facts: AccountFacts): CacheFacts[] {
  return facts.regions.flatMap((r) => r.caches ?? []);
}

const ref = (c: CacheFacts): ResourceRef => ({
  arn: c.arn,
  type: c.kind === "replication-group" ? "AwsElastiCacheReplicationGroup" : "AwsElastiCacheCacheCluster",
  region: c.region,
});

// Node-based Memcached has no at-rest encryption and no AUTH; only TLS applies to it.
const isRedisLike = (c: CacheFacts) => c.engine !== "memcached";

export const elasticacheAtRest: AuditCheck = check(
  {
    id: "elasticache-at-rest-encryption",
    title: "ElastiCache encrypts data at rest",
    service: "elasticache",
    severity: "critical",
    risk: "Snapshots, swap and backups hold customer data in clear on AWS's disks.",
    remediation: `Replace the group with the EncryptedRedis component (components/encrypted-redis.ts), restored from a snapshot of the old one: ${MIGRATION}`,
    fsbp: ["ElastiCache.4"],
  },
  (facts, r) =>
    caches(facts)
      .filter(isRedisLike)
      .map((c) => {
        const problem = elasticacheAtRestProblem(c.atRestEncryption);
        return problem ? r.fail(ref(c), problem) : r.pass(ref(c), "at-rest encryption is on");
      }),
);

export const elasticacheCmk: AuditCheck = check(
  {
    id: "elasticache-at-rest-cmk",
    title: "ElastiCache at-rest encryption uses a customer-managed KMS key",
    service: "elasticache",
    severity: "warning",
    risk: "With the AWS-managed key, access to the data cannot be revoked or audited through a key policy.",
    remediation: `EncryptedRedis creates a customer key (createComponentKey) or takes kmsKeyArn; the key can only be set at creation: ${MIGRATION}`,
    fsbp: [],
  },
  (facts, r) =>
    caches(facts)
      .filter((c) => isRedisLike(c) && c.atRestEncryption)
      .map((c) =>
        isCustomerKey(c.kmsKeyId)
          ? r.pass(ref(c), `encrypted with ${c.kmsKeyId}`)
          : r.fail(ref(c), "at-rest encryption uses the AWS-managed key (no KmsKeyId)"),
      ),
);

export const elasticacheTransitCheck: AuditCheck = check(
  {
    id: "elasticache-transit-encryption",
    title: 'ElastiCache requires TLS (TransitEncryptionMode "required")',
    service: "elasticache",
    severity: "critical",
    risk: "Without TLS, or with TLS only preferred, commands, data and the AUTH token can cross the network in clear.",
    remediation:
      "EncryptedRedis sets transitEncryptionMode required; for a group in migration set huntaze:redis.transitEncryptionMigration to false and run pulumi up",
    fsbp: ["ElastiCache.5"],
  },
  (facts, r) =>
    caches(facts).map((c) => {
      const verdict = elasticacheTransit(c.transitEncryption, c.transitEncryptionMode);
      if (verdict.kind === "ok") return r.pass(ref(c), "TLS is required");
      return r.fail(ref(c), verdict.message, verdict.kind === "preferred" ? "warning" : "critical");
    }),
);

export const elasticacheAuth: AuditCheck = check(
  {
    id: "elasticache-auth",
    title: "ElastiCache authenticates clients (AUTH token or RBAC user groups)",
    service: "elasticache",
    severity: "critical",
    risk: "Anyone who reaches the port (a compromised task, a misconfigured security group) can read and write every key.",
    remediation:
      "EncryptedRedis keeps an AUTH token in Secrets Manager; adding one to a live group is ROTATE then SET with huntaze:redis.authTokenVersion (docs/runbooks/elasticache-encryption-migration.md)",
    fsbp: ["ElastiCache.6"],
  },
  (facts, r) =>
    caches(facts)
      .filter(isRedisLike)
      .map((c) => {
        const hasAuth = c.authTokenEnabled || c.userGroupIds.length > 0;
        const problem = elasticacheAuthProblem(hasAuth, c.transitEncryption);
        if (problem) return r.fail(ref(c), problem);
        return r.pass(
          ref(c),
          c.authTokenEnabled ? "AUTH token on, over TLS" : `RBAC user groups ${c.userGroupIds.join(", ")}`,
        );
      }),
);

export const elasticacheChecks = [elasticacheAtRest, elasticacheCmk, elasticacheTransitCheck, elasticacheAuth];
