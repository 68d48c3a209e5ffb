import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertTopics, EncryptedRedis, HardenedBucket, RateLimiterPipeline } from "../components";
import { accountAdministration } from "../components/policy-statements";
import type { StackConfig } from "./config";
import { AUTH_TOKEN_VERSION_OUTPUT, appliedAuthTokenVersion } from "./redis-rotation";

/**
 * The stack: typed config in, components out, and the outputs the seed's Terraform exposed.
 * Kept apart from stacks/index.ts so the offline engine and tests run it with any config.
 */
export function buildStack(config: StackConfig): Record<string, pulumi.Output<unknown>> {
  const prefix = `huntaze-${config.environment}`;
  const tags = config.tags;

  // Topic names are unique per account and region, which staging and production share.
  const alerts = new AlertTopics("alerts", { namePrefix: prefix, ...config.alerts, tags });

  new aws.budgets.Budget("monthly-budget", {
    budgetType: "COST",
    limitAmount: config.monthlyBudgetUsd.toFixed(2),
    limitUnit: "USD",
    timeUnit: "MONTHLY",
    // A budget notification takes one SNS subscriber: the cost topic fans out to people.
    notifications: [
      {
        comparisonOperator: "GREATER_THAN",
        threshold: 80,
        thresholdType: "PERCENTAGE",
        notificationType: "FORECASTED",
        subscriberSnsTopicArns: [alerts.cost.arn],
      },
      {
        comparisonOperator: "GREATER_THAN",
        threshold: 100,
        thresholdType: "PERCENTAGE",
        notificationType: "ACTUAL",
        subscriberSnsTopicArns: [alerts.cost.arn],
      },
    ],
    tags,
  });

  // An explicit policy (not the implicit default): IAM in this account decides who may use the key,
  // and S3 may use it only on behalf of this account's buckets.
  const auditKey = new aws.kms.Key("audit-logs-key", {
    description: `Encrypts ${prefix} audit logs`,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        accountAdministration(config.accountId),
        {
          Sid: "S3BucketEncryption",
          Effect: "Allow",
          Principal: { Service: "s3.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": config.accountId } },
        },
      ],
    }),
    tags,
  });

  // Account-wide backstop: no bucket of this account can be made public, whatever its own settings.
  if (config.manageAccountBaseline) {
    new aws.s3.AccountPublicAccessBlock("account-public-access-block", {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  }

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
    description: `Huntaze Redis with encryption (${config.environment})`,
    nodeType: redisConfig.nodeType,
    numCacheClusters: redisConfig.numCacheClusters,
    replicationGroupId: redisConfig.replicationGroupId,
    snapshotName: redisConfig.snapshotName,
    snapshotRetentionDays: redisConfig.snapshotRetentionDays,
    snapshotWindow: redisConfig.snapshotWindow,
    maintenanceWindow: redisConfig.maintenanceWindow,
    // Snapshot names are unique per account and region, which staging and production share; the
    // component adds a suffix regenerated with every new group.
    finalSnapshotPrefix: redisConfig.replicationGroupId ?? `${prefix}-redis`,
    authTokenUpdateStrategy: redisConfig.authTokenUpdateStrategy,
    authTokenVersion: redisConfig.authTokenVersion,
    appliedAuthTokenVersion: appliedAuthTokenVersion(),
    transitEncryptionMigration: redisConfig.transitEncryptionMigration,
    applyImmediately: redisConfig.applyImmediately,
    cname: redisConfig.cname,
    vpcId: config.network.vpcId,
    subnetIds: config.network.privateSubnetIds,
    allowedSecurityGroupIds: config.network.appSecurityGroupIds,
    alarmTopicArn: alerts.ops.arn,
    alarms: {
      cpuPercentThreshold: redisConfig.alarms.cpuPercent,
      engineCpuPercentThreshold: redisConfig.alarms.engineCpuPercent,
      memoryPercentThreshold: redisConfig.alarms.memoryPercent,
      evictionsThreshold: redisConfig.alarms.evictions,
      replicationLagSecondsThreshold: redisConfig.alarms.replicationLagSeconds,
      connectionsThreshold: redisConfig.alarms.connections,
    },
    tags,
  });

  // Seed 002 "rate limiting layer" / 003 §7. Staging and production share account and region, so
  // only production keeps the seed's queue name (huntaze-rate-limiter-queue).
  const rl = config.rateLimiter;
  const rateLimiter = new RateLimiterPipeline("rate-limiter", {
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
    onlyfans: { apiUrl: rl.onlyfansApiUrl, apiToken: pulumi.secret(rl.onlyfansApiToken) },
    alarmTopicArn: alerts.ops.arn,
    lambdaTimeoutSeconds: rl.lambdaTimeoutSeconds,
    memoryMb: rl.memoryMb,
    visibilityTimeoutSeconds: rl.visibilityTimeoutSeconds,
    batchSize: rl.batchSize,
    maximumConcurrency: rl.maximumConcurrency,
    reservedConcurrentExecutions: rl.reservedConcurrentExecutions,
    limits: { perWindow: rl.perWindow, windowSeconds: rl.windowSeconds, burst: rl.burst },
    logRetentionDays: rl.logRetentionDays,
    alarmThresholds: rl.alarms,
    tags,
  });

  return {
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
  };
}
