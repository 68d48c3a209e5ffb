import {
  type CacheCluster,
  type ElastiCacheClient,
  paginateDescribeCacheClusters,
  paginateDescribeReplicationGroups,
  type ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import { readListing } from "../errors";
import type { CacheFacts, Collected } from "../facts";

export const ELASTICACHE_CHECKS = [
  "elasticache-at-rest-encryption",
  "elasticache-at-rest-cmk",
  "elasticache-transit-encryption",
  "elasticache-auth",
];

function fromGroup(g: ReplicationGroup, region: string): CacheFacts {
  return {
    kind: "replication-group",
    id: g.ReplicationGroupId ?? "(unnamed)",
    arn: g.ARN ?? `replication group ${g.ReplicationGroupId}`,
    region,
    engine: g.Engine ?? "redis",
    atRestEncryption: g.AtRestEncryptionEnabled === true,
    kmsKeyId: g.KmsKeyId,
    transitEncryption: g.TransitEncryptionEnabled === true,
    transitEncryptionMode: g.TransitEncryptionMode,
    authTokenEnabled: g.AuthTokenEnabled === true,
    userGroupIds: g.UserGroupIds ?? [],
  };
}

function fromCluster(c: CacheCluster, region: string): CacheFacts {
  return {
    kind: "cache-cluster",
    id: c.CacheClusterId ?? "(unnamed)",
    arn: c.ARN ?? `cache cluster ${c.CacheClusterId}`,
    region,
    engine: c.Engine ?? "redis",
    atRestEncryption: c.AtRestEncryptionEnabled === true,
    transitEncryption: c.TransitEncryptionEnabled === true,
    transitEncryptionMode: c.TransitEncryptionMode,
    authTokenEnabled: c.AuthTokenEnabled === true,
    // DescribeCacheClusters does not return user groups; standalone clusters cannot use RBAC anyway.
    userGroupIds: [],
  };
}

/** Every replication group, and every cache cluster that is not a member of one (Prowler reads only the first page). */
export async function collectCaches(client: ElastiCacheClient, region: string): Promise<Collected<CacheFacts[]>> {
  return readListing(
    { checks: ELASTICACHE_CHECKS, region, what: "ElastiCache replication groups and clusters" },
    async () => {
      const caches: CacheFacts[] = [];
      for await (const page of paginateDescribeReplicationGroups({ client }, {}))
        for (const g of page.ReplicationGroups ?? []) caches.push(fromGroup(g, region));
      for await (const page of paginateDescribeCacheClusters({ client }, {}))
        for (const c of page.CacheClusters ?? []) if (!c.ReplicationGroupId) caches.push(fromCluster(c, region));
      return caches;
    },
  );
}
