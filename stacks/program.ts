import * as pulumi from "@pulumi/pulumi";
// Only the package's public entry point, as another project imports it ("@huntaze/hardening").
import {
  AlertTopics,
  createComponentKey,
  EncryptedRedis,
  HardenedBucket,
  type KeyScope,
  type PolicyStatement,
  RateLimiterPipeline,
} from "../components";
import { BUDGET_OUTPUTS } from "../lib/stack-contract";
import type { StackConfig } from "./config";
import { buildFinOps } from "./finops";
import { buildObservability } from "./observability";
import { buildSecurity } from "./security";

/** The audit key's statement: S3 may use it on behalf of this account's buckets only. */
export function auditKeyStatements({ accountId }: KeyScope): PolicyStatement[] {
  return [
    {
      Sid: "S3BucketEncryption",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ];
}

import { AUTH_TOKEN_VERSION_OUTPUT, appliedAuthTokenVersion } from "./redis-rotation";

/**
 * The stack: typed config in, components out, and the outputs the seed's Terraform exposed.
 * Kept apart from stacks/index.ts so the offline engine and tests run it with any config.
 */
export function buildStack(config: StackConfig): Record<string, pulumi.Output<unknown>> {
  const prefix = `huntaze-${config.environment}`;
  const tags = config.tags;

  // Topic names are unique per account and region, which staging and production share.
  const { costTopicName, ...alertEmails } = config.alerts;
  const alerts = new AlertTopics("alerts", {
    namePrefix: prefix,
    ...alertEmails,
    // Production's cost topic exists (Terraform made it): its name comes from the stack's config.
    ...(costTopicName !== undefined ? { topicNames: { cost: costTopicName } } : {}),
    tags,
  });

  // An explicit policy (not the implicit default): IAM in this account decides who may use the key,
  // and S3 may use it only on behalf of this account's buckets.
  const auditKey = createComponentKey(
    "audit-logs-key",
    { description: `Encrypts ${prefix} audit logs`, statements: auditKeyStatements, tags },
    {},
  );

  // Server access logs of every bucket land here; it cannot log to itself.
  const accessLogs = new HardenedBucket("access-logs", {
    acceptAccessLogs: true,
    intelligentTieringAfterDays: config.auditLogs.intelligentTieringAfterDays,
    expirationDays: config.auditLogs.expirationDays,
    tags,
  });

  const auditLogs = new HardenedBucket("audit-logs", {
    kmsKeyArn: auditKey.arn,
    intelligentTieringAfterDays: config.auditLogs.intelligentTieringAfterDays,
    expirationDays: config.auditLogs.expirationDays,
    accessLogging: { targetBucket: accessLogs.bucketName, targetPrefix: "audit-logs/" },
    tags,
  });

  // Seed 000: the encrypted replacement of huntaze-redis-production, restored from its snapshot.
  const redisConfig = config.redis;
  const redis = new EncryptedRedis("redis", {
    ...redisConfig,
    description: `Huntaze Redis with encryption (${config.environment})`,
    // Snapshot names are unique per account and region, which staging and production share; the
    // component adds a suffix regenerated with every new group.
    finalSnapshotPrefix: redisConfig.replicationGroupId ?? `${prefix}-redis`,
    appliedAuthTokenVersion: appliedAuthTokenVersion(),
    vpcId: config.network.vpcId,
    subnetIds: config.network.privateSubnetIds,
    allowedSecurityGroupIds: config.network.appSecurityGroupIds,
    alarmTopicArn: alerts.ops.arn,
    tags,
  });

  // Seed 002 "rate limiting layer" / 003 §7. Staging and production share account and region, so
  // only production keeps the seed's queue name (huntaze-rate-limiter-queue).
  const { onlyfansApiToken, onlyfans, ...pipelineArgs } = config.rateLimiter;
  const rateLimiter = new RateLimiterPipeline("rate-limiter", {
    ...pipelineArgs,
    namePrefix: config.environment === "production" ? "huntaze-rate-limiter" : `${prefix}-rate-limiter`,
    vpcId: config.network.vpcId,
    subnetIds: config.network.privateSubnetIds,
    redis: {
      // Dial the CNAME when there is one (cutover/rollback), verify the real endpoint's certificate.
      host: pulumi.all([redis.cname, redis.primaryEndpoint]).apply(([cname, primary]) => cname ?? primary),
      tlsServername: redis.tlsServername,
      authTokenSecretArn: redis.authSecretArn,
      authTokenSecretKmsKeyArn: redis.kmsKeyArn,
      // Adds the function's security group to the Redis allowed sources (one ingress rule).
      securityGroupId: redis.securityGroup.id,
    },
    onlyfans: { ...onlyfans, apiToken: pulumi.secret(onlyfansApiToken) },
    alarmTopicArn: alerts.ops.arn,
    tags,
  });

  const security = buildSecurity(config, alerts, accessLogs); // account baseline (production)
  const observability = buildObservability(config, alerts); // ECS clusters, RDS

  return {
    ...security,
    ...observability,
    auditLogBucketName: auditLogs.bucketName,
    accessLogBucketName: accessLogs.bucketName,
    opsAlertsTopicArn: alerts.ops.arn,
    securityAlertsTopicArn: alerts.security.arn,
    costAlertsTopicArn: alerts.cost.arn,
    // Seed 002's redis_encrypted_endpoint, plus what clients need to connect over TLS.
    redisPrimaryEndpoint: redis.primaryEndpoint,
    redisReaderEndpoint: redis.readerEndpoint,
    redisPort: redis.port,
    redisAuthSecretArn: redis.authSecretArn,
    redisTlsServername: redis.tlsServername,
    [AUTH_TOKEN_VERSION_OUTPUT]: pulumi.output(redisConfig.authTokenVersion),
    ...(redisConfig.cname ? { redisCname: redis.cname } : {}),
    // Seed 002's sqs_rate_limiter_queue_url.
    rateLimiterQueueUrl: rateLimiter.queueUrl,
    rateLimiterDlqUrl: rateLimiter.dlqUrl,
    rateLimiterFunctionName: rateLimiter.functionName,
    ...buildFinOps(config, {
      alerts,
      rateLimiterQueueUrl: rateLimiter.queueUrl,
      redisPrimaryEndpoint: redis.primaryEndpoint,
    }),
    // The budgets the offline engine's cost estimate compares with (lib/stack-contract.ts): the
    // engine reads no config of this program, it takes the budgets as validated and defaulted here.
    [BUDGET_OUTPUTS.stack]: pulumi.output(config.monthlyBudgetUsd),
    ...(config.finops.accountBudgetUsd !== undefined
      ? { [BUDGET_OUTPUTS.account]: pulumi.output(config.finops.accountBudgetUsd) }
      : {}),
  };
}
