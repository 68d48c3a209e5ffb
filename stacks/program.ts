import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { AlertTopics, EncryptedRedis, HardenedBucket } from "../components";
import type { StackConfig } from "./config";

/**
 * The stack: typed config in, components out, and the outputs the seed's Terraform exposed.
 * Kept apart from stacks/index.ts so the offline engine and tests run it with any config.
 */
export function buildStack(config: StackConfig): Record<string, pulumi.Output<unknown>> {
  const prefix = `huntaze-${config.environment}`;
  const tags = config.tags;

  const alerts = new AlertTopics("alerts", { namePrefix: "huntaze", ...config.alerts, tags });

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

  const auditKey = new aws.kms.Key("audit-logs-key", {
    description: `Encrypts ${prefix} audit logs`,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    tags,
  });

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
    // Snapshot names are unique per account and region, which staging and production share.
    finalSnapshotIdentifier: `${redisConfig.replicationGroupId ?? `${prefix}-redis`}-final`,
    authTokenUpdateStrategy: redisConfig.authTokenUpdateStrategy,
    authTokenVersion: redisConfig.authTokenVersion,
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
    ...(redisConfig.cname ? { redisCname: redis.cname } : {}),
  };
}
