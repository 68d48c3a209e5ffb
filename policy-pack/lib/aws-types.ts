// Type tokens, v7 names first. @pulumi/aws v7 renamed s3 BucketV2 -> Bucket and dropped the V2
// suffix of the bucket side resources; stacks still on the deprecated names must be checked too.
export const s3 = {
  bucket: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
  publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
  accountPublicAccessBlock: ["aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"],
  encryption: [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  ],
  policy: ["aws:s3/bucketPolicy:BucketPolicy"],
  acl: ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
  ownership: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
  versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
  logging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
  lifecycle: [
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
  ],
  notification: ["aws:s3/bucketNotification:BucketNotification"],
} as const;

// The services below have no deprecated aliases in @pulumi/aws 7.48 (checked against the
// package's `__pulumiType` tokens): each list holds the v7 token only, kept as a list so an alias
// can be added in one place if a later provider renames a resource.
export const elasticache = {
  replicationGroup: ["aws:elasticache/replicationGroup:ReplicationGroup"],
  cluster: ["aws:elasticache/cluster:Cluster"],
} as const;

export const dynamodb = {
  table: ["aws:dynamodb/table:Table"],
  scalingTarget: ["aws:appautoscaling/target:Target"],
  scalingPolicy: ["aws:appautoscaling/policy:Policy"],
} as const;

export const sqs = {
  queue: ["aws:sqs/queue:Queue"],
  queuePolicy: ["aws:sqs/queuePolicy:QueuePolicy"],
  redrivePolicy: ["aws:sqs/redrivePolicy:RedrivePolicy"],
} as const;

export const sns = {
  topic: ["aws:sns/topic:Topic"],
  topicPolicy: ["aws:sns/topicPolicy:TopicPolicy"],
} as const;

export const lambda = {
  function: ["aws:lambda/function:Function"],
  permission: ["aws:lambda/permission:Permission"],
  functionUrl: ["aws:lambda/functionUrl:FunctionUrl"],
  eventInvokeConfig: ["aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"],
  eventSourceMapping: ["aws:lambda/eventSourceMapping:EventSourceMapping"],
} as const;

export const ecs = {
  cluster: ["aws:ecs/cluster:Cluster"],
  service: ["aws:ecs/service:Service"],
  taskDefinition: ["aws:ecs/taskDefinition:TaskDefinition"],
} as const;

export const cloudwatch = {
  logGroup: ["aws:cloudwatch/logGroup:LogGroup"],
  metricAlarm: ["aws:cloudwatch/metricAlarm:MetricAlarm"],
  compositeAlarm: ["aws:cloudwatch/compositeAlarm:CompositeAlarm"],
} as const;

export const kms = {
  key: ["aws:kms/key:Key"],
  keyPolicy: ["aws:kms/keyPolicy:KeyPolicy"],
} as const;

export const iam = {
  policyDocuments: [
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
  ],
  role: ["aws:iam/role:Role"],
  rolePolicy: ["aws:iam/rolePolicy:RolePolicy"],
  rolePolicyAttachment: ["aws:iam/rolePolicyAttachment:RolePolicyAttachment"],
  managedPolicy: ["aws:iam/policy:Policy"],
} as const;

export const cfg = {
  recorder: ["aws:cfg/recorder:Recorder"],
  deliveryChannel: ["aws:cfg/deliveryChannel:DeliveryChannel"],
} as const;

export const costexplorer = {
  anomalyMonitor: ["aws:costexplorer/anomalyMonitor:AnomalyMonitor"],
} as const;

export const ssoadmin = {
  permissionSetInlinePolicy: ["aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"],
} as const;

export const secretsmanager = {
  secret: ["aws:secretsmanager/secret:Secret"],
  rotation: ["aws:secretsmanager/secretRotation:SecretRotation"],
} as const;

export const rds = {
  instance: ["aws:rds/instance:Instance"],
  parameterGroup: ["aws:rds/parameterGroup:ParameterGroup"],
  clusterInstance: ["aws:rds/clusterInstance:ClusterInstance"],
  cluster: ["aws:rds/cluster:Cluster"],
} as const;

export const cloudtrail = {
  trail: ["aws:cloudtrail/trail:Trail"],
} as const;

export const guardduty = {
  detector: ["aws:guardduty/detector:Detector"],
  feature: ["aws:guardduty/detectorFeature:DetectorFeature"],
} as const;

export const ec2 = {
  vpc: ["aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc"],
  securityGroup: ["aws:ec2/securityGroup:SecurityGroup"],
  defaultSecurityGroup: ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"],
  securityGroupRule: ["aws:ec2/securityGroupRule:SecurityGroupRule"],
  ingressRule: ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"],
  egressRule: ["aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"],
} as const;

export const securityhub = {
  account: ["aws:securityhub/account:Account"],
  standardsSubscription: ["aws:securityhub/standardsSubscription:StandardsSubscription"],
} as const;

export const events = {
  target: ["aws:cloudwatch/eventTarget:EventTarget"],
} as const;

export const vpc = {
  endpoint: ["aws:ec2/vpcEndpoint:VpcEndpoint"],
  endpointPolicy: ["aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"],
} as const;
