import {
  type ElastiCacheClient,
  paginateDescribeUserGroups,
  paginateDescribeUsers,
  type User,
} from "@aws-sdk/client-elasticache";
import { readListing } from "../errors";
import type { CacheUserFacts, CacheUserGroupFacts, Collected } from "../facts";

/** The checks that judge a cache's RBAC users. */
export const ELASTICACHE_USER_CHECKS = ["elasticache-auth", "elasticache-serverless-auth"];

const userFacts = (u: User): CacheUserFacts => ({
  id: u.UserId ?? "(no id)",
  name: u.UserName ?? u.UserId ?? "(unnamed)",
  status: u.Status,
  accessString: u.AccessString,
  authenticationType: u.Authentication?.Type,
});

/**
 * The RBAC user groups `ids` (those the region's caches use), each with its users. A group is
 * only as closed as its most open user: AWS puts its own `default` user (access string
 * "on ~* +@all", no password) in every group unless the group names another user called `default`.
 */
export async function collectCacheUserGroups(
  client: ElastiCacheClient,
  region: string,
  ids: readonly string[],
): Promise<Collected<CacheUserGroupFacts[]>> {
  if (ids.length === 0) return { facts: [], unreadable: [] };
  return readListing(
    { checks: ELASTICACHE_USER_CHECKS, region, what: "ElastiCache RBAC user groups and users" },
    async () => {
      const wanted = new Set(ids);
      const groups = new Map<string, string[]>();
      for await (const page of paginateDescribeUserGroups({ client }, {}))
        for (const g of page.UserGroups ?? [])
          if (g.UserGroupId && wanted.has(g.UserGroupId)) groups.set(g.UserGroupId, g.UserIds ?? []);
      const users = new Map<string, CacheUserFacts>();
      if (groups.size)
        for await (const page of paginateDescribeUsers({ client }, {}))
          for (const u of page.Users ?? []) if (u.UserId) users.set(u.UserId, userFacts(u));
      return [...groups].map(([id, userIds]) => ({
        id,
        users: userIds.flatMap((u) => (users.has(u) ? [users.get(u)!] : [])),
        missingUserIds: userIds.filter((u) => !users.has(u)),
      }));
    },
  );
}
