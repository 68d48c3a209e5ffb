import { dynamodb, elasticache, rds } from "../../../policy-pack/lib/aws-types";
import type { CoveredType } from "./covered-type";

// RDS, ElastiCache and DynamoDB: the Terraform types each cited check's source declares, read from
// bridgecrewio/checkov (checkov/terraform/checks/resource/aws/<Check>.py `supported_resources`,
// checkov/terraform/checks/graph_checks/aws/<Check>.yaml `resource_types` and the
// `connected_resource_types` the graph check reads attributes of).

const dbInstance = "aws_db_instance";
const clusterInstance = "aws_rds_cluster_instance";
const replicationGroup = "aws_elasticache_replication_group";
const cacheCluster = "aws_elasticache_cluster";
const table = "aws_dynamodb_table";

export const types: CoveredType[] = [
  // RDS (policy-pack/rules/rds.ts)
  // RDSEncryption.py
  { check: "CKV_AWS_16", terraform: dbInstance, pulumi: rds.instance },
  // RDSPubliclyAccessible.py
  { check: "CKV_AWS_17", terraform: dbInstance, pulumi: rds.instance },
  { check: "CKV_AWS_17", terraform: clusterInstance, pulumi: rds.clusterInstance },
  // RDSEnhancedMonitorEnabled.py
  { check: "CKV_AWS_118", terraform: dbInstance, pulumi: rds.instance },
  { check: "CKV_AWS_118", terraform: clusterInstance, pulumi: rds.clusterInstance },
  // DBInstanceLogging.py
  { check: "CKV_AWS_129", terraform: dbInstance, pulumi: rds.instance },
  // DBInstanceBackupRetentionPeriod.py (the newest stored version; an older one had aws_rds_cluster alone)
  { check: "CKV_AWS_133", terraform: "aws_rds_cluster", pulumi: rds.cluster },
  { check: "CKV_AWS_133", terraform: dbInstance, pulumi: rds.instance },
  // RDSMultiAZEnabled.py
  { check: "CKV_AWS_157", terraform: dbInstance, pulumi: rds.instance },
  // RDSIAMAuthentication.py
  { check: "CKV_AWS_161", terraform: dbInstance, pulumi: rds.instance },
  // RDSCACertIsRecent.py
  { check: "CKV_AWS_211", terraform: dbInstance, pulumi: rds.instance },
  // DBInstanceMinorUpgrade.py
  { check: "CKV_AWS_226", terraform: dbInstance, pulumi: rds.instance },
  { check: "CKV_AWS_226", terraform: clusterInstance, pulumi: rds.clusterInstance },
  // AWSDatabaseInstanceDeletionProtection.py
  { check: "CKV_AWS_293", terraform: dbInstance, pulumi: rds.instance },
  // RDSInstancePerformanceInsights.py
  { check: "CKV_AWS_353", terraform: clusterInstance, pulumi: rds.clusterInstance },
  { check: "CKV_AWS_353", terraform: dbInstance, pulumi: rds.instance },
  // RDSInstancePerfInsightsEncryptionWithCMK.py
  { check: "CKV_AWS_354", terraform: clusterInstance, pulumi: rds.clusterInstance },
  { check: "CKV_AWS_354", terraform: dbInstance, pulumi: rds.instance },
  // RDSEnableCopyTagsToSnapshot.yaml
  { check: "CKV2_AWS_60", terraform: dbInstance, pulumi: rds.instance },
  // RDSEncryptionInTransit.yaml: the instance, and the parameter group it is connected to, whose
  // family and parameters the check reads.
  { check: "CKV2_AWS_69", terraform: dbInstance, pulumi: rds.instance },
  { check: "CKV2_AWS_69", terraform: "aws_db_parameter_group", pulumi: rds.parameterGroup },

  // ElastiCache (policy-pack/rules/elasticache.ts)
  // ElasticacheReplicationGroupEncryptionAtRest.py
  { check: "CKV_AWS_29", terraform: replicationGroup, pulumi: elasticache.replicationGroup },
  // ElasticacheReplicationGroupEncryptionAtTransit.py
  { check: "CKV_AWS_30", terraform: replicationGroup, pulumi: elasticache.replicationGroup },
  // ElasticacheReplicationGroupEncryptionAtTransitAuthToken.py
  { check: "CKV_AWS_31", terraform: replicationGroup, pulumi: elasticache.replicationGroup },
  // ElasticacheReplicationGroupEncryptedWithCMK.py
  { check: "CKV_AWS_191", terraform: replicationGroup, pulumi: elasticache.replicationGroup },
  // ElasticCacheAutomaticBackup.py
  { check: "CKV_AWS_134", terraform: cacheCluster, pulumi: elasticache.cluster },
  // ElasticCacheAutomaticMinorUpgrades.py
  { check: "CKV_AWS_322", terraform: cacheCluster, pulumi: elasticache.cluster },
  // ElastiCacheHasCustomSubnet.py
  { check: "CKV_AWS_323", terraform: cacheCluster, pulumi: elasticache.cluster },
  // ElastiCacheRedisConfiguredAutomaticFailOver.yaml
  { check: "CKV2_AWS_50", terraform: replicationGroup, pulumi: elasticache.replicationGroup },

  // DynamoDB (policy-pack/rules/dynamodb.ts)
  // DynamodbRecovery.py
  { check: "CKV_AWS_28", terraform: table, pulumi: dynamodb.table },
  // DynamoDBTablesEncrypted.py
  { check: "CKV_AWS_119", terraform: table, pulumi: dynamodb.table },
  // AutoScalingEnableOnDynamoDBTables.yaml: the table, the scaling target connected to it (its
  // service_namespace is read) and the scaling policy connected to the target (which must exist).
  { check: "CKV2_AWS_16", terraform: table, pulumi: dynamodb.table },
  { check: "CKV2_AWS_16", terraform: "aws_appautoscaling_target", pulumi: dynamodb.scalingTarget },
  { check: "CKV2_AWS_16", terraform: "aws_appautoscaling_policy", pulumi: dynamodb.scalingPolicy },
];
