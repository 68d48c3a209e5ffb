// `@huntaze/hardening`: the package's public API — the components, the types of their args and of
// what they expose, the error a component throws on bad args, the policy pack and the Redis client
// factory. Everything else (policy documents, alarm tables, resolve steps, defaults tables) is the
// components' own: reachable inside this repository, not promised to other projects. A new name here
// is a decision: tests/package/public-api.test.ts lists every one.
//
// The specs (the validator, each component's fields, ranges and defaults) are the entry point
// `@huntaze/hardening/specs`; the Lambda bundles, the cost-monitoring library and the workflow
// message helpers have entry points of their own (package.json "exports").

// The Redis client factory for `EncryptedRedis` (TLS + AUTH), also `@huntaze/hardening/redis-client`.
export {
  createRedisClient,
  type RedisClient,
  type RedisClientOverrides,
} from "../lambdas/shared/redis-client";
export { AccountBaseline, type AccountBaselineArgs } from "./account-baseline";
export { type AlertTopicKind, AlertTopics, type AlertTopicsArgs } from "./alert-topics";
export { type CostTopicArgs, CostTracking, type CostTrackingArgs } from "./cost-tracking";
export {
  EncryptedQueue,
  type EncryptedQueueAlarmThresholds,
  type EncryptedQueueArgs,
  type QueueAlarmDescriptions,
} from "./encrypted-queue";
export {
  EncryptedRedis,
  type EncryptedRedisAlarmThresholds,
  type EncryptedRedisArgs,
  type EncryptedRedisCname,
} from "./encrypted-redis";
export { HardenedBucket, type HardenedBucketArgs } from "./hardened-bucket";
export { type DatabaseThresholds, HardenedDatabase, type HardenedDatabaseArgs } from "./hardened-database";
// A customer-managed key with the account-administration policy the components' keys carry: the
// construct a project uses for a key of its own (this repository's stack does, for its audit logs).
export { type ComponentKeyArgs, createComponentKey, type KeyScope, type PolicyStatement } from "./kms-key";
export type { LogRetentionDays } from "./log-retention";
export {
  ObservedCluster,
  type ObservedClusterArgs,
  type ObservedLogGroupArgs,
  type ObservedServiceArgs,
  type ServiceScaling,
  type ServiceThresholds,
} from "./observed-cluster";
export {
  type LambdaBundle,
  type LambdaBundler,
  type OnlyFansApiArgs,
  type PipelineAlarmSubjects,
  type RateLimiterAlarmThresholds,
  type RateLimiterLimits,
  RateLimiterPipeline,
  type RateLimiterPipelineArgs,
  type RateLimiterRedisArgs,
} from "./rate-limiter-pipeline";
export { ArgsError, type Problem } from "./spec";
export { WorkflowQueue, type WorkflowQueueAlarmThresholds, type WorkflowQueueArgs } from "./workflow-queue";

import type { HuntazePolicy } from "../policy-pack/rule";

/**
 * The CrossGuard policy pack's rules (also `@huntaze/hardening/policy-pack`). A function, not a
 * constant: `@pulumi/policy` is an optional peer dependency, loaded only by the project that judges
 * with the pack, never by one that only builds components.
 */
export function policyPackRules(): readonly HuntazePolicy[] {
  return (require("../policy-pack/policies") as typeof import("../policy-pack/policies")).allPolicies;
}
