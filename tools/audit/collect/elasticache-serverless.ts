import {
  type ElastiCacheClient,
  paginateDescribeServerlessCaches,
  type ServerlessCache,
} from "@aws-sdk/client-elasticache";
import { readListing } from "../errors";
import type { Collected, ServerlessCacheFacts } from "../facts";

export const ELASTICACHE_SERVERLESS_CHECKS = [
  "elasticache-serverless-cmk",
  "elasticache-serverless-auth",
  "elasticache-serverless-snapshots",
];

function fromServerless(c: ServerlessCache, region: string): ServerlessCacheFacts {
  return {
    name: c.ServerlessCacheName ?? "(unnamed)",
    arn: c.ARN ?? `serverless cache ${c.ServerlessCacheName}`,
    region,
    engine: c.Engine ?? "redis",
    status: c.Status,
    kmsKeyId: c.KmsKeyId,
    storageEncryptionType: c.StorageEncryptionType,
    userGroupId: c.UserGroupId,
    securityGroupIds: c.SecurityGroupIds ?? [],
    snapshotRetentionLimit: c.SnapshotRetentionLimit,
  };
}

/** Every ElastiCache Serverless cache of the region, every page. */
export async function collectServerlessCaches(
  client: ElastiCacheClient,
  region: string,
): Promise<Collected<ServerlessCacheFacts[]>> {
  return readListing(
    { checks: ELASTICACHE_SERVERLESS_CHECKS, region, what: "ElastiCache serverless caches" },
    async () => {
      const caches: ServerlessCacheFacts[] = [];
      for await (const page of paginateDescribeServerlessCaches({ client }, {}))
        for (const c of page.ServerlessCaches ?? []) caches.push(fromServerless(c, region));
      return caches;
    },
  );
}
