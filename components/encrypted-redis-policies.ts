import type * as pulumi from "@pulumi/pulumi";
import type { AlarmRow } from "./alarms";
import type { EncryptedRedisAlarmThresholds } from "./encrypted-redis";
import type { KeyScope, PolicyStatement } from "./kms-key";

// EncryptedRedis' key policy and alarm table, as pure functions (tests call them directly).

/**
 * The account administers the key (IAM decides who), so it can never be locked out, but without
 * the cryptographic actions: data use goes only through ElastiCache and Secrets Manager.
 */
export function redisKeyAdministration({ accountId }: KeyScope): PolicyStatement {
  return {
    Sid: "AccountAdministration",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: [
      "kms:Create*",
      "kms:Describe*",
      "kms:Enable*",
      "kms:List*",
      "kms:Put*",
      "kms:Update*",
      "kms:Revoke*",
      "kms:Disable*",
      "kms:Get*",
      "kms:Delete*",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:ScheduleKeyDeletion",
      "kms:CancelKeyDeletion",
      "kms:RotateKeyOnDemand",
    ],
    Resource: "*",
  };
}

/**
 * Data use only via ElastiCache and Secrets Manager (kms:ViaService), so a principal allowed to read
 * the secret still cannot decrypt snapshots or data keys directly.
 */
export function redisKeyStatements({ accountId, region }: KeyScope): PolicyStatement[] {
  return [
    {
      Sid: "UseThroughElastiCacheAndSecretsManager",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${accountId}:root` },
      Action: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:CreateGrant",
        "kms:DescribeKey",
      ],
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:ViaService": [`elasticache.${region}.amazonaws.com`, `secretsmanager.${region}.amazonaws.com`],
        },
      },
    },
  ];
}

/**
 * The alarms of one member node (`<groupId>-00N`). Which node is primary changes on failover, so
 * every alarm exists on every node (ReplicationLag has no data on the primary: not breaching).
 */
export function redisNodeAlarmRows(
  t: Required<EncryptedRedisAlarmThresholds>,
  clusterId: pulumi.Output<string>,
): AlarmRow[] {
  const table = [
    ["cpu", "CPUUtilization", "Average", t.cpuPercentThreshold, "%", "missing"],
    ["engine-cpu", "EngineCPUUtilization", "Average", t.engineCpuPercentThreshold, "%", "missing"],
    ["memory", "DatabaseMemoryUsagePercentage", "Average", t.memoryPercentThreshold, "%", "missing"],
    ["evictions", "Evictions", "Sum", t.evictionsThreshold, " evictions", "notBreaching"],
    ["replication-lag", "ReplicationLag", "Average", t.replicationLagSecondsThreshold, " s", "notBreaching"],
    ["connections", "CurrConnections", "Maximum", t.connectionsThreshold, " connections", "missing"],
  ] as const;
  return table.map(([key, metricName, statistic, threshold, unit, missing]) => ({
    key,
    description: clusterId.apply((id) => `Redis ${id}: ${metricName} above ${threshold}${unit} for 5 minutes`),
    namespace: "AWS/ElastiCache",
    metricName,
    dimensions: { CacheClusterId: clusterId },
    statistic,
    periodSeconds: 300,
    comparison: "GreaterThanThreshold",
    threshold,
    treatMissingData: missing,
  }));
}
