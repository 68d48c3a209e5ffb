// Per Terraform type: the Pulumi type the program declares, the physical name (lib/inventory.ts
// PHYSICAL_NAME), the id Pulumi's `import` takes, and the attributes to carry over.
//
// Import ids: each is the "## Import" section of the resource's page in the Pulumi registry
// (https://www.pulumi.com/registry/packages/aws/api-docs/<service>/<resource>/#import), the same
// text as the doc comment of node_modules/@pulumi/aws/<service>/<resource>.d.ts (7.48.0). Terraform's
// `id` is what `terraform import` takes, which differs for some types (a budget's tf id happens to be
// `account:name` too; a trail's tf id was its name in provider v5 while Pulumi takes the ARN).

import { ecsClusterName, ecsServicePhysicalName } from "../../lib/inventory";
import { type Fields, plain } from "./shape";

type Attrs = Readonly<Record<string, unknown>>;

export interface TypeSpec {
  readonly pulumiType: string;
  /** The entry's physical name (for singletons: the account id). */
  physicalName(a: Attrs): string | undefined;
  importId(a: Attrs): string | undefined;
  arn?(a: Attrs): string | undefined;
  readonly fields: Fields;
  /** Converted attribute names to leave out of this instance (e.g. a webhook URL, which embeds its credential). */
  redact?(a: Attrs): readonly string[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const attr = (name: string) => (a: Attrs) => str(a[name]);
/** The account id in an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:...). */
export const arnAccount = (arn: string | undefined): string | undefined => arn?.split(":")[4] || undefined;
/** The region in an ARN; undefined for global services (IAM, budgets). */
export const arnRegion = (arn: string | undefined): string | undefined => arn?.split(":")[3] || undefined;

const tags = { tags: true } as const;

export const TERRAFORM_TYPES: Readonly<Record<string, TypeSpec>> = {
  // sqs/queue.d.ts "## Import": "import SQS Queues using the queue `url`".
  aws_sqs_queue: {
    pulumiType: "aws:sqs/queue:Queue",
    physicalName: attr("name"),
    importId: (a) => str(a.url) ?? str(a.id),
    arn: attr("arn"),
    fields: {
      ...plain(
        "name",
        "fifo_queue",
        "content_based_deduplication",
        "deduplication_scope",
        "fifo_throughput_limit",
        "delay_seconds",
        "max_message_size",
        "message_retention_seconds",
        "receive_wait_time_seconds",
        "visibility_timeout_seconds",
        "kms_master_key_id",
        "kms_data_key_reuse_period_seconds",
        "sqs_managed_sse_enabled",
        // JSON documents: strings in Terraform and in the Pulumi inputs alike.
        "redrive_policy",
        "redrive_allow_policy",
        "policy",
      ),
      ...tags,
    },
  },
  // sqs/queuePolicy.d.ts "## Import": "import SQS Queue Policies using the queue URL".
  aws_sqs_queue_policy: {
    pulumiType: "aws:sqs/queuePolicy:QueuePolicy",
    physicalName: (a) => str(a.queue_url) ?? str(a.id),
    importId: (a) => str(a.queue_url) ?? str(a.id),
    fields: plain("queue_url", "policy"),
  },
  // dynamodb/table.d.ts "## Import": "import DynamoDB tables using the `name`".
  aws_dynamodb_table: {
    pulumiType: "aws:dynamodb/table:Table",
    physicalName: attr("name"),
    importId: (a) => str(a.name) ?? str(a.id),
    arn: attr("arn"),
    fields: {
      ...plain(
        "name",
        "billing_mode",
        "hash_key",
        "range_key",
        "read_capacity",
        "write_capacity",
        "stream_enabled",
        "stream_view_type",
        "table_class",
        "deletion_protection_enabled",
      ),
      attribute: { name: "attributes", fields: plain("name", "type") },
      global_secondary_index: {
        name: "globalSecondaryIndexes",
        fields: {
          ...plain(
            "name",
            "hash_key",
            "range_key",
            "projection_type",
            "non_key_attributes",
            "read_capacity",
            "write_capacity",
          ),
          key_schema: { name: "keySchemas", fields: plain("attribute_name", "key_type") },
        },
      },
      ttl: { one: true, fields: plain("attribute_name", "enabled") },
      point_in_time_recovery: { one: true, fields: plain("enabled", "recovery_period_in_days") },
      server_side_encryption: { one: true, fields: plain("enabled", "kms_key_arn") },
      ...tags,
    },
  },
  // sns/topic.d.ts "## Import": "import SNS Topics using the topic `arn`".
  aws_sns_topic: {
    pulumiType: "aws:sns/topic:Topic",
    physicalName: attr("name"),
    importId: (a) => str(a.arn) ?? str(a.id),
    arn: attr("arn"),
    fields: {
      ...plain(
        "name",
        "display_name",
        "kms_master_key_id",
        "policy",
        "delivery_policy",
        "fifo_topic",
        "content_based_deduplication",
        "signature_version",
        "tracing_config",
      ),
      ...tags,
    },
  },
  // sns/topicPolicy.d.ts "## Import": "import SNS Topic Policy using the topic ARN".
  aws_sns_topic_policy: {
    pulumiType: "aws:sns/topicPolicy:TopicPolicy",
    physicalName: (a) => str(a.arn) ?? str(a.id),
    importId: (a) => str(a.arn) ?? str(a.id),
    fields: plain("arn", "policy"),
  },
  // sns/topicSubscription.d.ts "## Import": "import SNS Topic Subscriptions using the subscription `arn`".
  aws_sns_topic_subscription: {
    pulumiType: "aws:sns/topicSubscription:TopicSubscription",
    physicalName: (a) => str(a.arn) ?? str(a.id),
    importId: (a) => str(a.arn) ?? str(a.id),
    arn: attr("arn"),
    fields: {
      topic_arn: "topic",
      ...plain(
        "protocol",
        "endpoint",
        "endpoint_auto_confirms",
        "raw_message_delivery",
        "filter_policy",
        "filter_policy_scope",
        "delivery_policy",
        "redrive_policy",
        "subscription_role_arn",
        "confirmation_timeout_in_minutes",
      ),
    },
    // An HTTP(S) endpoint is a webhook URL whose path is its credential (the program passes it as
    // a secret): recorded as not read, never written.
    redact: (a) => (/^https?$/.test(String(a.protocol)) ? ["endpoint"] : []),
  },
  // budgets/budget.d.ts "## Import": "import budgets using `AccountID:BudgetName`".
  aws_budgets_budget: {
    pulumiType: "aws:budgets/budget:Budget",
    physicalName: attr("name"),
    importId: (a) => (str(a.account_id) && str(a.name) ? `${a.account_id}:${a.name}` : str(a.id)),
    arn: attr("arn"),
    fields: {
      ...plain(
        "name",
        "account_id",
        "budget_type",
        "limit_amount",
        "limit_unit",
        "time_unit",
        "time_period_start",
        "time_period_end",
      ),
      cost_filter: { name: "costFilters", fields: plain("name", "values") },
      cost_types: {
        one: true,
        fields: plain(
          "include_credit",
          "include_discount",
          "include_other_subscription",
          "include_recurring",
          "include_refund",
          "include_subscription",
          "include_support",
          "include_tax",
          "include_upfront",
          "use_amortized",
          "use_blended",
        ),
      },
      notification: {
        name: "notifications",
        fields: plain(
          "comparison_operator",
          "notification_type",
          "threshold",
          "threshold_type",
          "subscriber_email_addresses",
          "subscriber_sns_topic_arns",
        ),
      },
      ...tags,
    },
  },
  // ecs/cluster.d.ts "## Import": "import ECS clusters using the cluster name".
  aws_ecs_cluster: {
    pulumiType: "aws:ecs/cluster:Cluster",
    physicalName: attr("name"),
    importId: attr("name"),
    arn: attr("arn"),
    fields: {
      name: true,
      setting: { name: "settings", fields: plain("name", "value") },
      configuration: {
        one: true,
        fields: {
          execute_command_configuration: {
            one: true,
            fields: {
              ...plain("kms_key_id", "logging"),
              log_configuration: {
                one: true,
                fields: plain(
                  "cloud_watch_encryption_enabled",
                  "cloud_watch_log_group_name",
                  "s3_bucket_encryption_enabled",
                  "s3_bucket_name",
                  "s3_key_prefix",
                ),
              },
            },
          },
        },
      },
      ...tags,
    },
  },
  // ecs/service.d.ts "## Import": "import ECS services using the `name` together with ecs cluster
  // `name`" ("cluster-name/service-name"); Terraform's `cluster` attribute is the cluster's ARN.
  aws_ecs_service: {
    pulumiType: "aws:ecs/service:Service",
    physicalName: (a) =>
      str(a.cluster) && str(a.name)
        ? ecsServicePhysicalName(ecsClusterName(String(a.cluster)), String(a.name))
        : undefined,
    importId: (a) =>
      str(a.cluster) && str(a.name)
        ? ecsServicePhysicalName(ecsClusterName(String(a.cluster)), String(a.name))
        : undefined,
    arn: (a) => str(a.arn) ?? str(a.id),
    fields: {
      ...plain(
        "name",
        "cluster",
        "task_definition",
        "desired_count",
        "launch_type",
        "platform_version",
        "scheduling_strategy",
        "enable_ecs_managed_tags",
        "enable_execute_command",
        "propagate_tags",
        "deployment_maximum_percent",
        "deployment_minimum_healthy_percent",
        "health_check_grace_period_seconds",
      ),
      deployment_circuit_breaker: { one: true, fields: plain("enable", "rollback") },
      deployment_controller: { one: true, fields: plain("type") },
      network_configuration: { one: true, fields: plain("subnets", "security_groups", "assign_public_ip") },
      load_balancer: {
        name: "loadBalancers",
        fields: plain("container_name", "container_port", "target_group_arn", "elb_name"),
      },
      ...tags,
    },
  },
  // rds/instance.d.ts "## Import": "import DB Instances using the `identifier`".
  aws_db_instance: {
    pulumiType: "aws:rds/instance:Instance",
    physicalName: attr("identifier"),
    importId: (a) => str(a.identifier) ?? str(a.id),
    arn: attr("arn"),
    fields: {
      ...plain(
        "identifier",
        "engine",
        "engine_version",
        "instance_class",
        "parameter_group_name",
        "db_subnet_group_name",
        "vpc_security_group_ids",
        "allocated_storage",
        "max_allocated_storage",
        "storage_type",
        "storage_encrypted",
        "kms_key_id",
        "publicly_accessible",
        "deletion_protection",
        "multi_az",
        "backup_retention_period",
        "backup_window",
        "maintenance_window",
        "copy_tags_to_snapshot",
        "auto_minor_version_upgrade",
        "ca_cert_identifier",
        "iam_database_authentication_enabled",
        "enabled_cloudwatch_logs_exports",
        "performance_insights_enabled",
        "performance_insights_retention_period",
        "performance_insights_kms_key_id",
        "monitoring_interval",
        "monitoring_role_arn",
        "username",
        "port",
        "skip_final_snapshot",
        "final_snapshot_identifier",
      ),
      ...tags,
    },
  },
  // rds/parameterGroup.d.ts "## Import": "import DB Parameter groups using the `name`".
  aws_db_parameter_group: {
    pulumiType: "aws:rds/parameterGroup:ParameterGroup",
    physicalName: attr("name"),
    importId: (a) => str(a.name) ?? str(a.id),
    arn: attr("arn"),
    fields: {
      ...plain("name", "family", "description"),
      parameter: { name: "parameters", fields: plain("name", "value", "apply_method") },
      ...tags,
    },
  },
  // cloudwatch/logGroup.d.ts "## Import": "import Cloudwatch Log Groups using the `name`".
  aws_cloudwatch_log_group: {
    pulumiType: "aws:cloudwatch/logGroup:LogGroup",
    physicalName: attr("name"),
    importId: (a) => str(a.name) ?? str(a.id),
    arn: attr("arn"),
    fields: { ...plain("name", "retention_in_days", "kms_key_id", "log_group_class"), ...tags },
  },
  // elasticache/replicationGroup.d.ts "## Import": "using the `replicationGroupId`". auth_token is a
  // secret: not listed, so never carried.
  aws_elasticache_replication_group: {
    pulumiType: "aws:elasticache/replicationGroup:ReplicationGroup",
    physicalName: attr("replication_group_id"),
    importId: (a) => str(a.replication_group_id) ?? str(a.id),
    arn: attr("arn"),
    fields: {
      ...plain(
        "replication_group_id",
        "description",
        "engine",
        "engine_version",
        "node_type",
        "port",
        "num_cache_clusters",
        "multi_az_enabled",
        "automatic_failover_enabled",
        "at_rest_encryption_enabled",
        "kms_key_id",
        "transit_encryption_enabled",
        "transit_encryption_mode",
        "subnet_group_name",
        "parameter_group_name",
        "security_group_ids",
        "snapshot_retention_limit",
        "snapshot_window",
        "maintenance_window",
        "auto_minor_version_upgrade",
        "user_group_ids",
        "final_snapshot_identifier",
      ),
      ...tags,
    },
  },
  // guardduty/detector.d.ts "## Import": "import GuardDuty detectors using the detector ID".
  aws_guardduty_detector: {
    pulumiType: "aws:guardduty/detector:Detector",
    physicalName: (a) => str(a.account_id) ?? arnAccount(str(a.arn)),
    importId: attr("id"),
    arn: attr("arn"),
    fields: { ...plain("enable", "finding_publishing_frequency"), ...tags },
  },
  // securityhub/account.d.ts "## Import": "import an existing Security Hub enabled account using the AWS account ID".
  aws_securityhub_account: {
    pulumiType: "aws:securityhub/account:Account",
    physicalName: attr("id"),
    importId: attr("id"),
    arn: attr("arn"),
    fields: plain("enable_default_standards", "control_finding_generator", "auto_enable_controls"),
  },
  // securityhub/standardsSubscription.d.ts "## Import": "using `arn`" (the subscription's ARN, the tf id).
  aws_securityhub_standards_subscription: {
    pulumiType: "aws:securityhub/standardsSubscription:StandardsSubscription",
    physicalName: attr("standards_arn"),
    importId: attr("id"),
    arn: attr("id"),
    fields: plain("standards_arn"),
  },
  // cloudtrail/trail.d.ts "## Import": "import Cloudtrails using the `arn`" (not Terraform's id).
  aws_cloudtrail: {
    pulumiType: "aws:cloudtrail/trail:Trail",
    physicalName: attr("name"),
    importId: (a) => str(a.arn) ?? str(a.id),
    arn: attr("arn"),
    fields: {
      ...plain(
        "name",
        "s3_bucket_name",
        "s3_key_prefix",
        "is_multi_region_trail",
        "is_organization_trail",
        "include_global_service_events",
        "enable_log_file_validation",
        "enable_logging",
        "kms_key_id",
        "cloud_watch_logs_group_arn",
        "cloud_watch_logs_role_arn",
        "sns_topic_name",
      ),
      event_selector: {
        name: "eventSelectors",
        fields: {
          ...plain("read_write_type", "include_management_events", "exclude_management_event_sources"),
          data_resource: { name: "dataResources", fields: plain("type", "values") },
        },
      },
      ...tags,
    },
  },
  // costexplorer/anomalyMonitor.d.ts "## Import": "using the `id`" (the monitor's ARN).
  aws_ce_anomaly_monitor: {
    pulumiType: "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
    physicalName: attr("name"),
    importId: (a) => str(a.arn) ?? str(a.id),
    arn: attr("arn"),
    fields: { ...plain("name", "monitor_type", "monitor_dimension", "monitor_specification"), ...tags },
  },
  // cloudwatch/metricAlarm.d.ts "## Import": "using the `alarmName`" (the `name` input; Terraform's alarm_name).
  aws_cloudwatch_metric_alarm: {
    pulumiType: "aws:cloudwatch/metricAlarm:MetricAlarm",
    physicalName: attr("alarm_name"),
    importId: (a) => str(a.alarm_name) ?? str(a.id),
    arn: attr("arn"),
    fields: {
      alarm_name: "name",
      ...plain(
        "alarm_description",
        "namespace",
        "metric_name",
        "dimensions",
        "statistic",
        "extended_statistic",
        "period",
        "evaluation_periods",
        "datapoints_to_alarm",
        "threshold",
        "comparison_operator",
        "treat_missing_data",
        "actions_enabled",
        "alarm_actions",
        "ok_actions",
        "insufficient_data_actions",
        "unit",
      ),
      ...tags,
    },
  },
  // s3/bucket.d.ts "## Import": "import S3 bucket using the `bucket`". The bucket's policy, encryption,
  // versioning... are separate resources in the program (HardenedBucket), so only these are carried.
  aws_s3_bucket: {
    pulumiType: "aws:s3/bucket:Bucket",
    physicalName: attr("bucket"),
    importId: (a) => str(a.bucket) ?? str(a.id),
    arn: attr("arn"),
    fields: { ...plain("bucket", "force_destroy", "object_lock_enabled"), ...tags },
  },
  // kms/alias.d.ts "## Import": "import KMS aliases using the `name`".
  aws_kms_alias: {
    pulumiType: "aws:kms/alias:Alias",
    physicalName: attr("name"),
    importId: (a) => str(a.name) ?? str(a.id),
    arn: attr("arn"),
    fields: plain("name", "target_key_id"),
  },
  // s3/accountPublicAccessBlock.d.ts "## Import": "using the AWS account ID" (a singleton).
  aws_s3_account_public_access_block: {
    pulumiType: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    physicalName: (a) => str(a.account_id) ?? str(a.id),
    importId: (a) => str(a.account_id) ?? str(a.id),
    fields: plain("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"),
  },
};
