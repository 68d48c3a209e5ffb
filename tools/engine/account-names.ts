import { isServicesAnomalyMonitor } from "../../policy-pack/lib/judgements";

// Which resources of a stack claim something the whole AWS account shares: a physical name unique
// per account and region (or per account, or worldwide), or an account-wide singleton. The one
// table the account-wide preview (account-check.ts) reads; tests/tools/account-names.test.ts fails
// when a component or stack creates a resource type that is in none of the three lists below.

/** Where a name must be unique: this account in this region, this account (IAM, budgets), or every account (S3). */
export type NameScope = "region" | "account" | "global";

/** One input that holds a physical name. */
export interface NameInput {
  /** The input property, e.g. `name`, `bucket`, `replicationGroupId`. */
  readonly input: string;
  /** What AWS keeps unique; claims with the same namespace collide (e.g. every ElastiCache snapshot name). */
  readonly namespace: string;
  readonly scope: NameScope;
  /** Inputs that narrow the namespace (the zone of a record, the VPC of a security group). @default - none */
  readonly within?: readonly string[];
  /** AWS compares these names case-insensitively (IAM, S3 lower-cases). @default false */
  readonly caseInsensitive?: boolean;
}

export const NAMED_TYPES: Readonly<Record<string, readonly NameInput[]>> = {
  "aws:sns/topic:Topic": [{ input: "name", namespace: "SNS topic", scope: "region" }],
  "aws:sqs/queue:Queue": [{ input: "name", namespace: "SQS queue", scope: "region" }],
  "aws:lambda/function:Function": [{ input: "name", namespace: "Lambda function", scope: "region" }],
  "aws:cloudwatch/logGroup:LogGroup": [{ input: "name", namespace: "CloudWatch log group", scope: "region" }],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [{ input: "name", namespace: "CloudWatch alarm", scope: "region" }],
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": [
    { input: "alarmName", namespace: "CloudWatch alarm", scope: "region" },
  ],
  "aws:cloudwatch/dashboard:Dashboard": [
    { input: "dashboardName", namespace: "CloudWatch dashboard", scope: "account" },
  ],
  "aws:cloudwatch/eventRule:EventRule": [
    { input: "name", namespace: "EventBridge rule", scope: "region", within: ["eventBusName"] },
  ],
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": [
    { input: "name", namespace: "CloudWatch Logs metric filter", scope: "region", within: ["logGroupName"] },
  ],
  "aws:kms/alias:Alias": [{ input: "name", namespace: "KMS alias", scope: "region" }],
  "aws:secretsmanager/secret:Secret": [{ input: "name", namespace: "Secrets Manager secret", scope: "region" }],
  "aws:ssm/parameter:Parameter": [{ input: "name", namespace: "SSM parameter", scope: "region" }],
  "aws:elasticache/replicationGroup:ReplicationGroup": [
    {
      input: "replicationGroupId",
      namespace: "ElastiCache replication group id",
      scope: "region",
      caseInsensitive: true,
    },
    { input: "finalSnapshotIdentifier", namespace: "ElastiCache snapshot name", scope: "region" },
  ],
  "aws:elasticache/cluster:Cluster": [
    { input: "clusterId", namespace: "ElastiCache cluster id", scope: "region", caseInsensitive: true },
    { input: "finalSnapshotIdentifier", namespace: "ElastiCache snapshot name", scope: "region" },
  ],
  "aws:elasticache/subnetGroup:SubnetGroup": [
    { input: "name", namespace: "ElastiCache subnet group", scope: "region", caseInsensitive: true },
  ],
  "aws:elasticache/parameterGroup:ParameterGroup": [
    { input: "name", namespace: "ElastiCache parameter group", scope: "region", caseInsensitive: true },
  ],
  "aws:elasticache/user:User": [{ input: "userId", namespace: "ElastiCache user id", scope: "region" }],
  "aws:elasticache/userGroup:UserGroup": [
    { input: "userGroupId", namespace: "ElastiCache user group id", scope: "region" },
  ],
  "aws:dynamodb/table:Table": [{ input: "name", namespace: "DynamoDB table", scope: "region" }],
  "aws:ecs/cluster:Cluster": [{ input: "name", namespace: "ECS cluster", scope: "region" }],
  "aws:ecs/service:Service": [{ input: "name", namespace: "ECS service", scope: "region", within: ["cluster"] }],
  // Two stacks registering revisions of one family deregister each other's revisions.
  "aws:ecs/taskDefinition:TaskDefinition": [{ input: "family", namespace: "ECS task family", scope: "region" }],
  "aws:ecr/repository:Repository": [{ input: "name", namespace: "ECR repository", scope: "region" }],
  "aws:rds/parameterGroup:ParameterGroup": [
    { input: "name", namespace: "RDS parameter group", scope: "region", caseInsensitive: true },
  ],
  "aws:rds/clusterParameterGroup:ClusterParameterGroup": [
    { input: "name", namespace: "RDS cluster parameter group", scope: "region", caseInsensitive: true },
  ],
  "aws:rds/subnetGroup:SubnetGroup": [
    { input: "name", namespace: "RDS subnet group", scope: "region", caseInsensitive: true },
  ],
  "aws:rds/instance:Instance": [
    { input: "identifier", namespace: "RDS instance", scope: "region", caseInsensitive: true },
    { input: "finalSnapshotIdentifier", namespace: "RDS snapshot name", scope: "region", caseInsensitive: true },
  ],
  "aws:rds/cluster:Cluster": [
    { input: "clusterIdentifier", namespace: "RDS cluster", scope: "region", caseInsensitive: true },
    {
      input: "finalSnapshotIdentifier",
      namespace: "RDS cluster snapshot name",
      scope: "region",
      caseInsensitive: true,
    },
  ],
  "aws:ec2/securityGroup:SecurityGroup": [
    { input: "name", namespace: "EC2 security group", scope: "region", within: ["vpcId"] },
  ],
  "aws:iam/role:Role": [{ input: "name", namespace: "IAM role", scope: "account", caseInsensitive: true }],
  "aws:iam/policy:Policy": [{ input: "name", namespace: "IAM policy", scope: "account", caseInsensitive: true }],
  "aws:iam/instanceProfile:InstanceProfile": [
    { input: "name", namespace: "IAM instance profile", scope: "account", caseInsensitive: true },
  ],
  "aws:iam/rolePolicy:RolePolicy": [
    { input: "name", namespace: "IAM inline role policy", scope: "account", within: ["role"], caseInsensitive: true },
  ],
  "aws:budgets/budget:Budget": [{ input: "name", namespace: "budget", scope: "account" }],
  "aws:route53/record:Record": [
    {
      input: "name",
      namespace: "Route53 record",
      scope: "account",
      within: ["zoneId", "type", "setIdentifier"],
      caseInsensitive: true,
    },
  ],
  "aws:cloudtrail/trail:Trail": [{ input: "name", namespace: "CloudTrail trail", scope: "region" }],
  "aws:securityhub/standardsSubscription:StandardsSubscription": [
    { input: "standardsArn", namespace: "Security Hub standard subscription", scope: "region" },
  ],
  "aws:securityhub/actionTarget:ActionTarget": [
    { input: "identifier", namespace: "Security Hub action target", scope: "region" },
  ],
  "aws:guardduty/filter:Filter": [
    { input: "name", namespace: "GuardDuty filter", scope: "region", within: ["detectorId"] },
  ],
  "aws:s3/bucket:Bucket": [{ input: "bucket", namespace: "S3 bucket", scope: "global", caseInsensitive: true }],
  "aws:s3/bucketV2:BucketV2": [{ input: "bucket", namespace: "S3 bucket", scope: "global", caseInsensitive: true }],
};

/** An account-wide singleton: exists once per account (or region); `when` narrows it to some configurations. */
export interface Singleton {
  readonly what: string;
  readonly when?: (inputs: Record<string, unknown>) => boolean;
}

const present = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);

export const SINGLETON_TYPES: Readonly<Record<string, Singleton>> = {
  "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": { what: "the account S3 public access block" },
  "aws:guardduty/detector:Detector": { what: "the GuardDuty detector of the region" },
  "aws:securityhub/account:Account": { what: "Security Hub of the region" },
  "aws:cfg/recorder:Recorder": { what: "the AWS Config recorder of the region" },
  // AWS Config allows one delivery channel per region, like its recorder.
  "aws:cfg/deliveryChannel:DeliveryChannel": { what: "the AWS Config delivery channel of the region" },
  "aws:iam/accountPasswordPolicy:AccountPasswordPolicy": { what: "the IAM account password policy" },
  "aws:ebs/encryptionByDefault:EncryptionByDefault": { what: "EBS encryption by default of the region" },
  // A CUSTOM monitor watches a chosen slice; the AWS-services (DIMENSIONAL) one exists once: the
  // pack's judgement (costexplorer-one-services-monitor), so both say the same.
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor": {
    what: "the service-level cost anomaly monitor",
    when: (i) => isServicesAnomalyMonitor(i),
  },
  // Without a filter a budget measures the whole account's spend: one stack owns it.
  "aws:budgets/budget:Budget": {
    what: "an unfiltered (whole-account) budget",
    when: (i) => !present(i.costFilters) && !present(i.filterExpression),
  },
  // One multi-region trail records the whole account; a second doubles the bill and the logs.
  "aws:cloudtrail/trail:Trail": {
    what: "the multi-region CloudTrail trail",
    when: (i) => i.isMultiRegionTrail === true,
  },
};

/** Types with no account-unique name among their inputs (auto-named, or attached to a named parent). */
export const UNNAMED_TYPES: ReadonlySet<string> = new Set([
  "aws:kms/key:Key",
  // Named by the recorder it switches on (a singleton itself).
  "aws:cfg/recorderStatus:RecorderStatus",
  // Endpoints have ids, no names; one VPC may hold several for one service.
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:kms/grant:Grant",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:sqs/queuePolicy:QueuePolicy",
  "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
  "aws:sqs/redrivePolicy:RedrivePolicy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLogging:BucketLogging",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketNotification:BucketNotification",
  "aws:s3/bucketIntelligentTieringConfiguration:BucketIntelligentTieringConfiguration",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:ec2/securityGroupRule:SecurityGroupRule",
  "aws:secretsmanager/secretVersion:SecretVersion",
  "aws:lambda/eventSourceMapping:EventSourceMapping",
  "aws:lambda/permission:Permission",
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:cloudwatch/eventTarget:EventTarget",
  "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
  "aws:guardduty/detectorFeature:DetectorFeature",
  "aws:costexplorer/anomalySubscription:AnomalySubscription",
  "aws:budgets/budgetAction:BudgetAction",
  "aws:appautoscaling/target:Target",
  "aws:appautoscaling/policy:Policy",
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  // Hosted zone names may repeat (each zone gets its own id).
  "aws:route53/zone:Zone",
  "random:index/randomId:RandomId",
  "random:index/randomPassword:RandomPassword",
  "random:index/randomString:RandomString",
  "random:index/randomUuid:RandomUuid",
]);

/** Whether the table says anything about `type` (components and providers need no entry). */
export function isCovered(type: string): boolean {
  return type in NAMED_TYPES || type in SINGLETON_TYPES || UNNAMED_TYPES.has(type);
}

/** Resource types that are not AWS resources of the account: components, providers, the stack. */
export function needsNoEntry(type: string, custom: boolean): boolean {
  return !custom || type.startsWith("pulumi:");
}
