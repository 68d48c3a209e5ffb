import type { CoveredType } from "./covered-type";

// EC2/VPC security groups, ECS, CloudTrail, CloudWatch and GuardDuty: the Terraform types each cited
// check's Checkov source declares (bridgecrewio/checkov, checkov/terraform/checks/resource/aws/*.py
// `supported_resources`, graph_checks/aws/*.yaml `resource_types` and the joined
// `connected_resource_types`), and the @pulumi/aws v7 tokens the rules citing the check read.

const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const VPC = "aws:ec2/vpc:Vpc";
const ECS_CLUSTER = "aws:ecs/cluster:Cluster";
const ECS_SERVICE = "aws:ecs/service:Service";
const ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const TRAIL = "aws:cloudtrail/trail:Trail";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const DETECTOR = "aws:guardduty/detector:Detector";

/** EC2-Classic security groups: the Terraform AWS provider v5 removed them, so @pulumi/aws v6 and v7 have no class. */
const ec2Classic = (terraform: string, v5Token: string): CoveredType => ({
  check: "CKV_AWS_23",
  terraform,
  notJudged: `removed from the AWS provider (v6/v7): an EC2-Classic type (${v5Token} in @pulumi/aws v5), gone with EC2-Classic's retirement in Terraform AWS provider v5.0.0; @pulumi/aws 7.48 has no such class`,
});

/** SecurityGroupUnrestrictedIngress22, 3389, 80 and All all extend AbsSecurityGroupUnrestrictedIngress. */
const unrestrictedIngress = (check: string): CoveredType[] => [
  { check, terraform: "aws_security_group", pulumi: [SG] },
  { check, terraform: "aws_security_group_rule", pulumi: [SG_RULE] },
  { check, terraform: "aws_vpc_security_group_ingress_rule", pulumi: [INGRESS_RULE] },
];

export const types: CoveredType[] = [
  // CKV_AWS_23 SecurityGroupRuleDescription.py (the one stored version, commit 1da8a1d).
  { check: "CKV_AWS_23", terraform: "aws_security_group", pulumi: [SG] },
  { check: "CKV_AWS_23", terraform: "aws_security_group_rule", pulumi: [SG_RULE] },
  ec2Classic("aws_db_security_group", "aws:rds/securityGroup:SecurityGroup"),
  ec2Classic("aws_elasticache_security_group", "aws:elasticache/securityGroup:SecurityGroup"),
  ec2Classic("aws_redshift_security_group", "aws:redshift/securityGroup:SecurityGroup"),

  // AbsSecurityGroupUnrestrictedIngress.py, newest stored version (its older versions list
  // aws_security_group alone, then aws_security_group_rule too).
  ...unrestrictedIngress("CKV_AWS_24"), // SecurityGroupUnrestrictedIngress22.py
  ...unrestrictedIngress("CKV_AWS_25"), // SecurityGroupUnrestrictedIngress3389.py
  ...unrestrictedIngress("CKV_AWS_260"), // SecurityGroupUnrestrictedIngress80.py
  ...unrestrictedIngress("CKV_AWS_277"), // class SecurityGroupUnrestrictedIngressAll (port -1)

  // CKV2_AWS_12 VPCHasRestrictedSG.yaml: the VPC is judged; its connected default group's
  // ingress/egress attributes, and the rule resources that must not be connected to that group.
  { check: "CKV2_AWS_12", terraform: "aws_vpc", pulumi: [VPC] },
  { check: "CKV2_AWS_12", terraform: "aws_default_security_group", pulumi: [DEFAULT_SG] },
  { check: "CKV2_AWS_12", terraform: "aws_security_group_rule", pulumi: [SG_RULE] },
  { check: "CKV2_AWS_12", terraform: "aws_vpc_security_group_egress_rule", pulumi: [EGRESS_RULE] },
  { check: "CKV2_AWS_12", terraform: "aws_vpc_security_group_ingress_rule", pulumi: [INGRESS_RULE] },

  // ECS: ECSClusterContainerInsights.py, ECSClusterLoggingEnabled.py, ECSClusterLoggingEncryptedWithCMK.py,
  // ECSServiceFargateLatest.py, ECSServicePublicIP.py, ECSContainerPrivilege.py,
  // ECSContainerHostProcess.py, ECSContainerReadOnlyRoot.py: one type each.
  { check: "CKV_AWS_65", terraform: "aws_ecs_cluster", pulumi: [ECS_CLUSTER] },
  { check: "CKV_AWS_223", terraform: "aws_ecs_cluster", pulumi: [ECS_CLUSTER] },
  { check: "CKV_AWS_224", terraform: "aws_ecs_cluster", pulumi: [ECS_CLUSTER] },
  { check: "CKV_AWS_332", terraform: "aws_ecs_service", pulumi: [ECS_SERVICE] },
  { check: "CKV_AWS_333", terraform: "aws_ecs_service", pulumi: [ECS_SERVICE] },
  { check: "CKV_AWS_334", terraform: "aws_ecs_task_definition", pulumi: [ECS_TASK_DEFINITION] },
  { check: "CKV_AWS_335", terraform: "aws_ecs_task_definition", pulumi: [ECS_TASK_DEFINITION] },
  { check: "CKV_AWS_336", terraform: "aws_ecs_task_definition", pulumi: [ECS_TASK_DEFINITION] },

  // CloudTrail: CloudtrailMultiRegion.py, CloudtrailEncryption.py, CloudtrailLogValidation.py.
  { check: "CKV_AWS_67", terraform: "aws_cloudtrail", pulumi: [TRAIL] },
  { check: "CKV_AWS_35", terraform: "aws_cloudtrail", pulumi: [TRAIL] },
  { check: "CKV_AWS_36", terraform: "aws_cloudtrail", pulumi: [TRAIL] },
  // CKV2_AWS_10 CloudtrailHasCloudwatch.yaml: the trail is judged; a log group must be connected to it.
  { check: "CKV2_AWS_10", terraform: "aws_cloudtrail", pulumi: [TRAIL] },
  {
    check: "CKV2_AWS_10",
    terraform: "aws_cloudwatch_log_group",
    notJudged:
      "a joined resource that gets no verdict of its own: the check reports on the trail and requires a connected log group; the rule reads the trail's cloudWatchLogsGroupArn (and role), which may name a group outside the stack, and the group itself is judged by the cloudwatch-log-group-* rules",
  },

  // CloudWatch: CloudwatchLogGroupKMSKey.py, CloudwatchLogGroupRetention.py,
  // CloudWatchLogGroupRetentionYear.py, CloudWatchAlarmsEnabled.py.
  { check: "CKV_AWS_158", terraform: "aws_cloudwatch_log_group", pulumi: [LOG_GROUP] },
  { check: "CKV_AWS_66", terraform: "aws_cloudwatch_log_group", pulumi: [LOG_GROUP] },
  { check: "CKV_AWS_338", terraform: "aws_cloudwatch_log_group", pulumi: [LOG_GROUP] },
  { check: "CKV_AWS_319", terraform: "aws_cloudwatch_metric_alarm", pulumi: [METRIC_ALARM] },

  // GuardDuty: GuarddutyDetectorEnabled.py.
  { check: "CKV_AWS_238", terraform: "aws_guardduty_detector", pulumi: [DETECTOR] },
];
