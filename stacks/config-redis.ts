import * as v from "valibot";
import { redisFields as f, multiAzNodesRule, strictObject, windowsRule } from "../components/specs";
import type { ConfigReader } from "./validation";

// `huntaze:redis`: the encrypted ElastiCache group of seed 000 (EncryptedRedis), read against the
// component's own spec: the keys are its argument names and each key's field (allowed values,
// default) and the rules between them are its own, so a bad stack file is reported, every problem
// at once, before any resource is built. The stack decides the other arguments (description,
// network, alarm topic, final snapshot prefix) in stacks/program.ts.

/** The keys a stack may set, each EncryptedRedis' own field. */
const section = strictObject({
  nodeType: f.nodeType,
  numCacheClusters: f.numCacheClusters,
  replicationGroupId: f.replicationGroupId,
  snapshotName: f.snapshotName,
  snapshotRetentionDays: f.snapshotRetentionDays,
  snapshotWindow: f.snapshotWindow,
  maintenanceWindow: f.maintenanceWindow,
  authTokenUpdateStrategy: f.authTokenUpdateStrategy,
  authTokenVersion: f.authTokenVersion,
  transitEncryptionMigration: f.transitEncryptionMigration,
  applyImmediately: f.applyImmediately,
  cname: f.cname,
  alarms: f.alarms,
});
type Section = v.InferOutput<typeof section>;

/** `huntaze:redis`, with the component's rules between the keys it has (Multi-AZ is the component's default, on). */
export const RedisSectionSpec = v.pipe(section, multiAzNodesRule<Section>(), windowsRule<Section>());

export type RedisStackConfig = v.InferOutput<typeof RedisSectionSpec>;

/**
 * Reads `huntaze:redis` from the namespace reader `c`. The section is required: when it is missing
 * (or not an object) the problem is recorded and the result is undefined, and parseStackConfig
 * throws with every problem before the value is used.
 */
export function readRedisConfig(c: ConfigReader): RedisStackConfig | undefined {
  return c.spec("redis", RedisSectionSpec);
}
