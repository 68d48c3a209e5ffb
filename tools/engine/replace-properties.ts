// Properties the AWS provider cannot change in place: a change to one replaces the resource (Pulumi's
// `replace` step). @pulumi/aws is bridged from the Terraform provider, so these are the schema's
// `ForceNew: true` attributes of upstream hashicorp/terraform-provider-aws, in Pulumi's input names.
// One row per type an inventory can adopt (lib/inventory.ts PHYSICAL_NAME and SINGLETON_TYPES, plus
// the KMS key); tests/tools/engine/adoption-plan.test.ts fails when an adoptable type has no row.
// A type without a row is never reported as a replacement (an unknown is not claimed).

export const REPLACE_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  // internal/service/sqs/queue.go: name, name_prefix, fifo_queue ForceNew.
  "aws:sqs/queue:Queue": ["name", "namePrefix", "fifoQueue"],
  // internal/service/dynamodb/table.go: name, hash_key, range_key ForceNew (a key schema is fixed at
  // CreateTable; attribute/GSI changes are updates).
  "aws:dynamodb/table:Table": ["name", "hashKey", "rangeKey"],
  // internal/service/sns/topic.go: name, name_prefix, fifo_topic ForceNew.
  "aws:sns/topic:Topic": ["name", "namePrefix", "fifoTopic"],
  // internal/service/budgets/budget.go: account_id, name, name_prefix ForceNew.
  "aws:budgets/budget:Budget": ["accountId", "name", "namePrefix"],
  // internal/service/ecs/cluster.go: name ForceNew.
  "aws:ecs/cluster:Cluster": ["name"],
  // internal/service/ecs/service.go: name, cluster, launch_type, iam_role, scheduling_strategy,
  // deployment_controller ForceNew.
  "aws:ecs/service:Service": ["name", "cluster", "launchType", "iamRole", "schedulingStrategy", "deploymentController"],
  // internal/service/rds/instance.go: engine (unless an upgrade), storage_encrypted, kms_key_id,
  // username, db_name, availability_zone, character_set_name, snapshot_identifier, timezone ForceNew.
  "aws:rds/instance:Instance": [
    "storageEncrypted",
    "kmsKeyId",
    "username",
    "dbName",
    "availabilityZone",
    "characterSetName",
    "snapshotIdentifier",
    "timezone",
  ],
  // internal/service/rds/parameter_group.go: name, name_prefix, family ForceNew.
  "aws:rds/parameterGroup:ParameterGroup": ["name", "namePrefix", "family"],
  // internal/service/logs/group.go: name, name_prefix, log_group_class ForceNew.
  "aws:cloudwatch/logGroup:LogGroup": ["name", "namePrefix", "logGroupClass"],
  // internal/service/cloudwatch/metric_alarm.go: alarm_name ForceNew (Pulumi input `name`).
  "aws:cloudwatch/metricAlarm:MetricAlarm": ["name"],
  // internal/service/elasticache/replication_group.go: replication_group_id, at_rest_encryption_enabled,
  // kms_key_id, port, subnet_group_name, snapshot_arns, snapshot_name, engine ForceNew.
  "aws:elasticache/replicationGroup:ReplicationGroup": [
    "replicationGroupId",
    "atRestEncryptionEnabled",
    "kmsKeyId",
    "port",
    "subnetGroupName",
    "snapshotArns",
    "snapshotName",
  ],
  // internal/service/s3/bucket.go: bucket, bucket_prefix, object_lock_enabled ForceNew.
  "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "objectLockEnabled"],
  // internal/service/kms/alias.go: name, name_prefix ForceNew.
  "aws:kms/alias:Alias": ["name", "namePrefix"],
  // internal/service/kms/key.go: customer_master_key_spec, key_usage, multi_region ForceNew.
  "aws:kms/key:Key": ["customerMasterKeySpec", "keyUsage", "multiRegion"],
  // internal/service/cloudtrail/trail.go: name ForceNew.
  "aws:cloudtrail/trail:Trail": ["name"],
  // internal/service/ce/anomaly_monitor.go: monitor_type, monitor_dimension ForceNew (name updates).
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor": ["monitorType", "monitorDimension"],
  // internal/service/guardduty/detector.go: no ForceNew attribute.
  "aws:guardduty/detector:Detector": [],
  // internal/service/securityhub/account.go: enable_default_standards ForceNew.
  "aws:securityhub/account:Account": ["enableDefaultStandards"],
  // internal/service/securityhub/standards_subscription.go: standards_arn ForceNew (its only attribute).
  "aws:securityhub/standardsSubscription:StandardsSubscription": ["standardsArn"],
  // internal/service/s3control/account_public_access_block.go: account_id ForceNew.
  "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": ["accountId"],
};
