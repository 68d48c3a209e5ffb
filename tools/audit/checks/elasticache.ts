import {
  elasticacheAtRestProblem,
  elasticacheAuthProblem,
  elasticacheTransit,
  isCustomerKey,
} from "../../../policy-pack/lib/judgements";
import type { AccountFacts, CacheFacts, CacheUserFacts, CacheUserGroupFacts } from "../facts";
import { type AuditCheck, check, type ResourceRef } from "./types";

/**
 * Whether an access string leaves the user enabled: the last `on`/`off` wins, and a user with
 * neither is off, as in Redis ACL rules (`on` enables the user, `off` disables it, and a new user
 * starts off — Redis documentation, ACL, https://redis.io/docs/latest/operate/oss_and_stack/management/security/acl/).
 * ElastiCache access strings use that syntax (ElastiCache User Guide, Role-Based Access Control,
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html).
 */
export function accessStringEnabled(accessString: string | undefined): boolean {
  const switches = (accessString ?? "").split(/\s+/).filter((t) => t === "on" || t === "off");
  return switches.at(-1) === "on";
}

/**
 * Users of a group that anyone who reaches the endpoint can become: enabled, with no password.
 * AWS's built-in `default` user is exactly that ("on ~* +@all", Authentication no-password) and
 * sits in every group that does not name another `default` user.
 */
export function openCacheUsers(group: CacheUserGroupFacts): CacheUserFacts[] {
  return group.users.filter((u) => accessStringEnabled(u.accessString) && u.authenticationType === "no-password");
}

/** RBAC verdict for the user groups a cache names; undefined: the groups could not be read. */
export type RbacVerdict =
  | { readonly kind: "none" }
  | { readonly kind: "closed"; readonly detail: string }
  | { readonly kind: "open"; readonly detail: string };

export function rbacVerdict(
  groupIds: readonly string[],
  groups: readonly CacheUserGroupFacts[] | undefined,
): RbacVerdict | undefined {
  if (groupIds.length === 0) return { kind: "none" };
  if (groups === undefined) return undefined;
  const problems: string[] = [];
  for (const id of groupIds) {
    const group = groups.find((g) => g.id === id);
    if (!group) {
      problems.push(`user group ${id} was not found (DescribeUserGroups)`);
      continue;
    }
    const open = openCacheUsers(group);
    if (open.length)
      problems.push(
        `user group ${id} lets any client in without a password as ${open.map((u) => `"${u.name}" (${u.accessString}, no-password)`).join(", ")}`,
      );
    if (group.missingUserIds.length)
      problems.push(`user group ${id} lists users DescribeUsers did not return: ${group.missingUserIds.join(", ")}`);
  }
  return problems.length
    ? { kind: "open", detail: problems.join("; ") }
    : { kind: "closed", detail: `RBAC user groups ${groupIds.join(", ")}: every enabled user needs a password or IAM` };
}

export const userGroupsOf = (facts: AccountFacts, region: string) =>
  facts.regions.find((r) => r.region === region)?.cacheUserGroups;

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
      .flatMap((c) => {
        const rbac = c.authTokenEnabled ? undefined : rbacVerdict(c.userGroupIds, userGroupsOf(facts, c.region));
        // User groups that could not be read: not evaluated (an Unreadable says why).
        if (!c.authTokenEnabled && rbac === undefined) return [];
        if (rbac?.kind === "open") return [r.fail(ref(c), rbac.detail)];
        const hasAuth = c.authTokenEnabled || rbac?.kind === "closed";
        const problem = elasticacheAuthProblem(hasAuth, c.transitEncryption);
        if (problem) return [r.fail(ref(c), problem)];
        return [
          r.pass(ref(c), c.authTokenEnabled ? "AUTH token on, over TLS" : rbac!.kind === "closed" ? rbac!.detail : ""),
        ];
      }),
);

export const elasticacheChecks = [elasticacheAtRest, elasticacheCmk, elasticacheTransitCheck, elasticacheAuth];
