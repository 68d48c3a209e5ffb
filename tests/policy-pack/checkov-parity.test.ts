import { expect } from "chai";
import { describe, it } from "mocha";
import { allPolicies } from "../../policy-pack/policies";
import type { PolicyPackConfig } from "../../tools/engine/policy-client";
import { UNKNOWN_NUMBER, UNKNOWN_STRING } from "../support/policy-cases";
import { evaluate, of, type TestResource } from "../support/policy-harness";
import { rows as clustersAndTasksRows } from "./checkov-parity/clusters-and-tasks";
import { rows as elasticacheRows } from "./checkov-parity/elasticache";
import { rows as keysRows } from "./checkov-parity/keys-and-code";
import { rows as platformRows } from "./checkov-parity/platform";
import { type Row, res, type Verdict } from "./checkov-parity/row";
import { rows as s3AccessRows } from "./checkov-parity/s3-access";
import { rows as s3DataRows } from "./checkov-parity/s3-data";

// The rows are described in ./checkov-parity/row.ts; the checks added since the first table
// live in one file per area under ./checkov-parity/.

const TRAIL = "aws:cloudtrail/trail:Trail";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const DB = "aws:rds/instance:Instance";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const RDS_CLUSTER = "aws:rds/cluster:Cluster";
const ECS_CLUSTER = "aws:ecs/cluster:Cluster";
const ECS_SERVICE = "aws:ecs/service:Service";
const TOPIC = "aws:sns/topic:Topic";
const KEY = "aws:kms/key:Key";
const DETECTOR = "aws:guardduty/detector:Detector";

const trailBase = { name: "tf-trail-foobar", s3BucketName: "foo", s3KeyPrefix: "prefix" };
const trailConf = {
  enableLogging: true,
  s3BucketName: "foo",
  isMultiRegionTrail: true,
  includeGlobalServiceEvents: true,
  name: "foo",
};
const alarmBase = {
  name: "alarmname",
  comparisonOperator: "LessThanThreshold",
  evaluationPeriods: 1,
  metricName: "HealthyHostCount",
  namespace: "AWS/NetworkELB",
  period: 60,
  statistic: "Average",
  threshold: 2,
  alarmDescription: "Number of healthy nodes in Target Group",
  alarmActions: ["arn:aws:sns:us-east-1:111122223333:sns"],
  okActions: ["arn:aws:sns:us-east-1:111122223333:sns"],
};
const retention1: PolicyPackConfig = { "cloudwatch-log-group-retention": { minimumRetentionDays: 1 } };
const retention365: PolicyPackConfig = { "cloudwatch-log-group-retention": { minimumRetentionDays: 365 } };
const deletionBase = {
  identifier: "aurora-cluster-demo",
  dbName: "mydb",
  username: "foo",
  password: "bar",
  backupRetentionPeriod: 5,
  backupWindow: "07:00-09:00",
};
const minorBase = { publiclyAccessible: true, backupRetentionPeriod: 0, engine: "postgres", tags: { test: "Fail" } };
const monitorBase = {
  allocatedStorage: 10,
  engine: "mysql",
  engineVersion: "5.7",
  instanceClass: "db.t3.micro",
  dbName: "mydb",
  username: "foo",
  password: "foobarbaz",
  parameterGroupName: "default.mysql5.7",
  skipFinalSnapshot: true,
};
const minorClusterBase = {
  identifier: "bar",
  performanceInsightsEnabled: false,
  publiclyAccessible: true,
  tags: { test: "Fail" },
};
const clusterInstanceBase = { clusterIdentifier: "id", instanceClass: "foo-bar" };
const multiAzBase = { dbName: "name", engine: "mysql", identifier: "id", instanceClass: "foo" };
const logBase = (engine: string) => ({
  allocatedStorage: 5,
  engine,
  instanceClass: "db.t3.small",
  password: engine,
  username: engine,
});

const iamBase = (engine: string) => ({
  allocatedStorage: 5,
  engine,
  instanceClass: "db.t3.small",
  password: "password",
  username: "username",
});
const piBase = {
  identifier: "aurora-cluster-demo",
  dbName: "mydb",
  username: "foo",
  password: "bar",
  backupRetentionPeriod: 5,
  backupWindow: "07:00-09:00",
  instanceClass: "m4.large",
};
const piClusterBase = {
  identifier: "aurora-cluster-demo-0",
  clusterIdentifier: "aurora-cluster-demo",
  instanceClass: "db.r4.large",
  engine: "aurora-postgresql",
};
const caBase = {
  allocatedStorage: 20,
  storageType: "gp2",
  engine: "mysql",
  engineVersion: "5.7",
  instanceClass: "db.t2.micro",
  dbName: "mydb",
  username: "foo",
  password: "foobarbaz",
  iamDatabaseAuthenticationEnabled: true,
  storageEncrypted: true,
};
const serviceBase = {
  name: "example",
  cluster: "arn:aws:ecs:us-east-1:111122223333:cluster/example",
  alarms: { enable: true, rollback: true, alarmNames: ["example"] },
};
const keyBase = { description: "KMS key 1", deletionWindowInDays: 10 };
const PARAMS = "aws:rds/parameterGroup:ParameterGroup";
const gameScores = {
  name: "GameScores",
  billingMode: "PROVISIONED",
  readCapacity: 20,
  writeCapacity: 20,
  hashKey: "UserId",
  rangeKey: "UserId",
  attributes: [{ name: "UserId", type: "S" }],
};
const dlqFn = {
  code: "lambda_function_payload.zip",
  name: "lambda_function_name",
  role: "arn:aws:iam::111122223333:role/iam_for_lambda",
  handler: "exports.test",
  sourceCodeHash: "hash",
  runtime: "nodejs12.x",
  environment: { variables: { foo: "bar" } },
};
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const redisConf = {
  automaticFailoverEnabled: true,
  preferredCacheClusterAzs: ["us-west-2a", "us-west-2b"],
  replicationGroupId: "tf-rep-group-1",
  description: "test description",
  nodeType: "cache.m4.large",
  numCacheClusters: 2,
  parameterGroupName: "default.redis3.2",
  port: 6379,
  authToken: "auth-token-from-var-auth-token", // var.auth_token
};
const LAMBDA = "aws:lambda/function:Function";
const lambdaConf = {
  description: "fn",
  code: "fn.zip",
  name: "fn",
  handler: "index.handler",
  memorySize: 128,
  role: "arn:aws:iam::111122223333:role/fn",
  runtime: "nodejs20.x",
  timeout: 3,
  vpcConfig: { securityGroupIds: ["sg-0a1b2c3d"], subnetIds: ["subnet-0a1b2c3d"] },
};
const TABLE = "aws:dynamodb/table:Table";
const tableConf = {
  name: "violations_for_resources",
  billingMode: "PAY_PER_REQUEST",
  hashKey: "id",
  rangeKey: "violation_id",
  localSecondaryIndexes: [{ name: "violation_id_index", projectionType: "ALL", rangeKey: "violation_id" }],
  globalSecondaryIndexes: [
    {
      hashKey: "violation_id",
      name: "violation_id-aws_account_id-index",
      rangeKey: "aws_account_id",
      projectionType: "ALL",
    },
  ],
  attributes: [
    { name: "id", type: "S" },
    { name: "violation_id", type: "S" },
    { name: "aws_account_id", type: "S" },
  ],
};
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
/** A task definition of the fixtures' two containers (first: port 80, second: port 443) with extra keys each. */
const task = (name: string, first: Record<string, unknown>, second: Record<string, unknown>): TestResource =>
  res(TASK, name, {
    family: "service",
    containerDefinitions: JSON.stringify([
      {
        name: "first",
        image: "service-first",
        cpu: 10,
        memory: 512,
        essential: true,
        ...first,
        portMappings: [{ containerPort: 80, hostPort: 80 }],
      },
      {
        name: "second",
        image: "service-second",
        cpu: 10,
        memory: 256,
        essential: true,
        ...second,
        portMappings: [{ containerPort: 443, hostPort: 443 }],
      },
    ]),
    volumes: [{ name: "service-storage", hostPath: "/ecs/service-storage" }],
    placementConstraints: [
      { type: "memberOf", expression: "attribute:ecs.availability-zone in [us-west-2a, us-west-2b]" },
    ],
  });
const EXEC_KEY = "arn:aws:kms:us-east-1:111122223333:key/exec";
/** An ECS cluster with the given executeCommandConfiguration (undefined: no configuration block). */
const execCluster = (name: string, exec: Record<string, unknown> | undefined): TestResource =>
  res(ECS_CLUSTER, name, {
    name: "white-hart",
    ...(exec ? { configuration: { executeCommandConfiguration: exec } } : {}),
    tags: { test: "fail" },
  });
/** An instance naming no engine, attached to its parameter group (RDSEncryptionInTransit/main.tf). */
function attachedTo(name: string, family: string, parameters: [string, string][] | undefined): TestResource[] {
  const group = res(PARAMS, `${name}-group`, {
    name: "my-pg",
    family,
    ...(parameters ? { parameters: parameters.map(([n, value]) => ({ name: n, value })) } : {}),
  });
  return [
    group,
    {
      type: DB,
      name,
      inputs: { parameterGroupName: UNKNOWN_STRING, applyImmediately: true },
      propertyDependencies: { parameterGroupName: [`${name}-group`] },
    },
  ];
}

const rgBase = {
  automaticFailoverEnabled: true,
  preferredCacheClusterAzs: ["us-west-2a", "us-west-2b"],
  replicationGroupId: "tf-rep-group-1",
  description: "test description",
  nodeType: "cache.m4.large",
  numCacheClusters: 2,
  parameterGroupName: "default.redis3.2",
  port: 6379,
};
const cmkRgBase = {
  replicationGroupId: "tf-%s",
  description: "test description",
  nodeType: "cache.t2.micro",
  numCacheClusters: 1,
  port: 6379,
  parameterGroupName: "default.redis3.2",
  engineVersion: "3.2.6",
  atRestEncryptionEnabled: true,
};
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const allEgress = [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }];
const sgIngress = (...ingress: Record<string, unknown>[]) =>
  res(SG, "bar-sg", { name: "sg-bar", vpcId: "vpc-123", ingress, egress: allEgress });
const tcp22 = { fromPort: 22, toPort: 22, protocol: "tcp", description: "foo" };
const ruleBase = { fromPort: 22, toPort: 22, protocol: "tcp", securityGroupId: "sg-bar" };
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const blockAll = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};
const kmsAllow = (principal: unknown) => ({ Effect: "Allow", Principal: principal, Action: "kms:*", Resource: "*" });
const snsActions = [
  "SNS:Subscribe",
  "SNS:SetTopicAttributes",
  "SNS:RemovePermission",
  "SNS:Receive",
  "SNS:Publish",
  "SNS:ListSubscriptionsByTopic",
  "SNS:GetTopicAttributes",
  "SNS:DeleteTopic",
  "SNS:AddPermission",
];
const snsAllow = (principal: unknown) => ({
  Principal: principal,
  Effect: "Allow",
  Action: snsActions,
  Resource: "arn:aws:sns:us-east-1:111122223333:test",
});
const snsFromS3 = {
  Sid: "AllowS3ToPublish",
  Effect: "Allow",
  Principal: { Service: "s3.amazonaws.com" },
  Action: "SNS:Publish",
  Resource: "arn:aws:sns:us-east-1:111122223333:test",
  Condition: {
    ArnLike: { "aws:SourceArn": "arn:aws:s3:::your-s3-bucket-name/*" },
    StringEquals: { "aws:SourceAccount": "111122223333" },
  },
};
const tcp80 = { fromPort: 80, toPort: 80, protocol: "tcp", description: "foo" };
const rule80 = { fromPort: 80, toPort: 80, protocol: "tcp", securityGroupId: "sg-bar" };
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const vpcRule80 = { securityGroupId: "sg-example", fromPort: 80, ipProtocol: "tcp", toPort: 80 };
const firstRows: Row[] = [
  // CKV_AWS_67 CloudtrailMultiRegion (test_CloudtrailMultiRegion.py)
  {
    check: "CKV_AWS_67",
    rule: "cloudtrail-multi-region-management-events",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res(TRAIL, "foobar", { ...trailBase, includeGlobalServiceEvents: false })],
  },
  {
    check: "CKV_AWS_67",
    rule: "cloudtrail-multi-region-management-events",
    fixture: "test_failure_negative_multi_region",
    checkov: "FAILED",
    resources: [res(TRAIL, "foobar", { ...trailBase, includeGlobalServiceEvents: false, isMultiRegionTrail: false })],
  },
  {
    check: "CKV_AWS_67",
    rule: "cloudtrail-multi-region-management-events",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [res(TRAIL, "foobar", { ...trailBase, includeGlobalServiceEvents: false, isMultiRegionTrail: true })],
  },
  // CKV_AWS_35 CloudtrailEncryption (test_CloudtrailEncryption.py)
  {
    check: "CKV_AWS_35",
    rule: "cloudtrail-kms-encryption",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res(TRAIL, "foo", { ...trailConf, enableLogFileValidation: true })],
  },
  {
    check: "CKV_AWS_35",
    rule: "cloudtrail-kms-encryption",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [res(TRAIL, "foo", { ...trailConf, enableLogFileValidation: true, kmsKeyId: "foo" })],
  },
  // CKV_AWS_36 CloudtrailLogValidation (test_CloudtrailLogValidation.py)
  {
    check: "CKV_AWS_36",
    rule: "cloudtrail-log-file-validation",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res(TRAIL, "foo", trailConf)],
  },
  {
    check: "CKV_AWS_36",
    rule: "cloudtrail-log-file-validation",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [res(TRAIL, "foo", { ...trailConf, enableLogFileValidation: true, kmsKeyId: "foo" })],
  },
  // CKV_AWS_158 CloudWatchLogGroupKMSKey (example_CloudWatchLogGroupKMSKey/main.tf)
  {
    check: "CKV_AWS_158",
    rule: "cloudwatch-log-group-kms",
    fixture: "aws_cloudwatch_log_group.pass",
    checkov: "PASSED",
    resources: [res(LOG_GROUP, "pass", { retentionInDays: 1, kmsKeyId: "someKey" })],
  },
  {
    check: "CKV_AWS_158",
    rule: "cloudwatch-log-group-kms",
    fixture: "aws_cloudwatch_log_group.fail",
    checkov: "FAILED",
    resources: [res(LOG_GROUP, "fail", { retentionInDays: 1 })],
  },
  // CKV_AWS_66 CloudwatchLogGroupRetention (example_CloudWatchLogGroupRetention/main.tf): any retention
  {
    check: "CKV_AWS_66",
    rule: "cloudwatch-log-group-retention",
    fixture: "aws_cloudwatch_log_group.pass",
    checkov: "PASSED",
    resources: [res(LOG_GROUP, "pass", { retentionInDays: 3 })],
    config: retention1,
  },
  {
    check: "CKV_AWS_66",
    rule: "cloudwatch-log-group-retention",
    fixture: "aws_cloudwatch_log_group.fail",
    checkov: "FAILED",
    resources: [res(LOG_GROUP, "fail", {})],
    config: retention1,
  },
  // CKV_AWS_338 CloudWatchLogGroupRetentionYear (example_CloudWatchLogGroupRetentionYear/main.tf)
  {
    check: "CKV_AWS_338",
    rule: "cloudwatch-log-group-retention",
    fixture: "aws_cloudwatch_log_group.pass_365",
    checkov: "PASSED",
    resources: [res(LOG_GROUP, "pass_365", { retentionInDays: 365 })],
    config: retention365,
  },
  {
    check: "CKV_AWS_338",
    rule: "cloudwatch-log-group-retention",
    fixture: "aws_cloudwatch_log_group.pass_0",
    checkov: "PASSED",
    pack: "FAILED",
    resources: [res(LOG_GROUP, "pass_0", { retentionInDays: 0 })],
    config: retention365,
  },
  {
    check: "CKV_AWS_338",
    rule: "cloudwatch-log-group-retention",
    fixture: "aws_cloudwatch_log_group.fail",
    checkov: "FAILED",
    resources: [res(LOG_GROUP, "fail", { retentionInDays: 5 })],
    config: retention365,
  },
  {
    check: "CKV_AWS_338",
    rule: "cloudwatch-log-group-retention",
    fixture: "aws_cloudwatch_log_group.unknown",
    checkov: "UNKNOWN",
    resources: [res(LOG_GROUP, "unknown", { retentionInDays: UNKNOWN_NUMBER })],
    config: retention365,
  },
  // CKV_AWS_319 CloudWatchAlarmsEnabled (example_CloudWatchAlarmsEnabled/main.tf)
  {
    check: "CKV_AWS_319",
    rule: "cloudwatch-alarm-actions-enabled",
    fixture: "aws_cloudwatch_metric_alarm.pass",
    checkov: "PASSED",
    resources: [res(ALARM, "pass", alarmBase)],
  },
  {
    check: "CKV_AWS_319",
    rule: "cloudwatch-alarm-actions-enabled",
    fixture: "aws_cloudwatch_metric_alarm.pass2",
    checkov: "PASSED",
    resources: [res(ALARM, "pass2", { ...alarmBase, actionsEnabled: true })],
  },
  {
    check: "CKV_AWS_319",
    rule: "cloudwatch-alarm-actions-enabled",
    fixture: "aws_cloudwatch_metric_alarm.fail",
    checkov: "FAILED",
    resources: [res(ALARM, "fail", { ...alarmBase, actionsEnabled: false })],
  },
  // CKV_AWS_133 DBInstanceBackupRetentionPeriod (example_DBInstanceBackupRetentionPeriod/main.tf, aws_rds_cluster)
  {
    check: "CKV_AWS_133",
    rule: "rds-backup-retention",
    fixture: "aws_rds_cluster.pass",
    checkov: "PASSED",
    resources: [res(RDS_CLUSTER, "pass", { backupRetentionPeriod: 35 })],
  },
  {
    check: "CKV_AWS_133",
    rule: "rds-backup-retention",
    fixture: "aws_rds_cluster.pass2",
    checkov: "PASSED",
    pack: "FAILED",
    resources: [res(RDS_CLUSTER, "pass2", {})],
  },
  {
    check: "CKV_AWS_133",
    rule: "rds-backup-retention",
    fixture: "aws_rds_cluster.fail2",
    checkov: "FAILED",
    resources: [res(RDS_CLUSTER, "fail2", { backupRetentionPeriod: 0 })],
  },
  {
    check: "CKV_AWS_133",
    rule: "rds-backup-retention",
    fixture: "aws_rds_cluster.fail",
    checkov: "FAILED",
    resources: [res(RDS_CLUSTER, "fail", { backupRetentionPeriod: 36 })],
  },
  // CKV_AWS_133 DBInstanceBackupRetentionPeriod (example_DBInstanceBackupRetentionPeriod/main.tf, aws_db_instance)
  {
    check: "CKV_AWS_133",
    rule: "rds-backup-retention",
    fixture: "aws_db_instance.pass",
    checkov: "PASSED",
    resources: [res(DB, "pass", { backupRetentionPeriod: 35 })],
  },
  {
    check: "CKV_AWS_133",
    rule: "rds-backup-retention",
    fixture: "aws_db_instance.pass2",
    checkov: "PASSED",
    pack: "FAILED",
    resources: [res(DB, "pass2", {})],
  },
  {
    check: "CKV_AWS_133",
    rule: "rds-backup-retention",
    fixture: "aws_db_instance.fail2",
    checkov: "FAILED",
    resources: [res(DB, "fail2", { backupRetentionPeriod: 0 })],
  },
  {
    check: "CKV_AWS_133",
    rule: "rds-backup-retention",
    fixture: "aws_db_instance.fail",
    checkov: "FAILED",
    resources: [res(DB, "fail", { backupRetentionPeriod: 36 })],
  },
  {
    check: "CKV_AWS_133",
    rule: "rds-backup-retention",
    fixture: "aws_db_instance.unknown",
    checkov: "UNKNOWN",
    resources: [res(DB, "unknown", { backupRetentionPeriod: UNKNOWN_NUMBER })],
  },
  // CKV_AWS_293 RDSDeletionProtection (test_AWSDatabaseInstanceDeletionProtection.py)
  {
    check: "CKV_AWS_293",
    rule: "rds-deletion-protection",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res(DB, "default", { ...deletionBase, deletionProtection: false })],
  },
  {
    check: "CKV_AWS_293",
    rule: "rds-deletion-protection",
    fixture: "test_failure_missing_attribute",
    checkov: "FAILED",
    resources: [res(DB, "default", deletionBase)],
  },
  {
    check: "CKV_AWS_293",
    rule: "rds-deletion-protection",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [res(DB, "default", { ...deletionBase, deletionProtection: true })],
  },
  // CKV_AWS_118 RDSEnhancedMonitorEnabled (test_RDSEnhancedMonitorEnabled.py; monitoring_interval one
  // of 1, 5, 10, 15, 30, 60). The rows were once taken from test_DBInstanceMonitoring.py, whose check
  // (monitoring_role_arn set) carried the id CKV_AWS_129 and is no longer in Checkov.
  {
    check: "CKV_AWS_118",
    rule: "rds-enhanced-monitoring",
    fixture: "test_failure1",
    checkov: "FAILED",
    resources: [res(DB, "default", monitorBase)],
  },
  {
    check: "CKV_AWS_118",
    rule: "rds-enhanced-monitoring",
    fixture: "test_failure2",
    checkov: "FAILED",
    resources: [res(DB, "default", { ...monitorBase, monitoringInterval: 0 })],
  },
  {
    check: "CKV_AWS_118",
    rule: "rds-enhanced-monitoring",
    fixture: "test_failure3",
    checkov: "FAILED",
    resources: [res(DB, "default", { ...monitorBase, monitoringInterval: "5" })],
  },
  {
    check: "CKV_AWS_118",
    rule: "rds-enhanced-monitoring",
    fixture: "test_success1",
    checkov: "PASSED",
    resources: [res(DB, "default", { ...monitorBase, monitoringInterval: 5 })],
  },
  {
    check: "CKV_AWS_118",
    rule: "rds-enhanced-monitoring",
    fixture: "test_success2",
    checkov: "PASSED",
    resources: [res(DB, "default", { ...monitorBase, monitoringInterval: 15 })],
  },
  // CKV_AWS_129 DBInstanceLogging (example_DBInstanceLogging/main.tf)
  {
    check: "CKV_AWS_129",
    rule: "rds-cloudwatch-log-exports",
    fixture: "aws_db_instance.postgres",
    checkov: "PASSED",
    resources: [
      res(DB, "postgres", { ...logBase("postgres"), enabledCloudwatchLogsExports: ["postgresql", "upgrade"] }),
    ],
  },
  {
    check: "CKV_AWS_129",
    rule: "rds-cloudwatch-log-exports",
    fixture: "aws_db_instance.mysql",
    checkov: "PASSED",
    resources: [
      res(DB, "mysql", { ...logBase("mysql"), enabledCloudwatchLogsExports: ["general", "error", "slowquery"] }),
    ],
  },
  {
    check: "CKV_AWS_129",
    rule: "rds-cloudwatch-log-exports",
    fixture: "aws_db_instance.default",
    checkov: "FAILED",
    resources: [res(DB, "default", logBase("mysql"))],
  },
  {
    check: "CKV_AWS_129",
    rule: "rds-cloudwatch-log-exports",
    fixture: "aws_db_instance.empty",
    checkov: "FAILED",
    resources: [res(DB, "empty", { ...logBase("mysql"), enabledCloudwatchLogsExports: [] })],
  },
  // CKV_AWS_226 DBInstanceMinorUpgrade (example_DBInstanceMinorUpgrade/main.tf, aws_rds_cluster_instance)
  ...(["fail", "fail2"] as const).map(
    (name): Row => ({
      check: "CKV_AWS_226",
      rule: "rds-auto-minor-version-upgrade",
      fixture: `aws_rds_cluster_instance.${name}`,
      checkov: "FAILED",
      resources: [res(CLUSTER_INSTANCE, name, { ...minorClusterBase, autoMinorVersionUpgrade: false })],
    }),
  ),
  {
    check: "CKV_AWS_226",
    rule: "rds-auto-minor-version-upgrade",
    fixture: "aws_rds_cluster_instance.pass",
    checkov: "PASSED",
    resources: [res(CLUSTER_INSTANCE, "pass", { ...minorClusterBase, autoMinorVersionUpgrade: true })],
  },
  // CKV_AWS_226 DBInstanceMinorUpgrade (example_DBInstanceMinorUpgrade/main.tf, aws_db_instance)
  {
    check: "CKV_AWS_226",
    rule: "rds-auto-minor-version-upgrade",
    fixture: "aws_db_instance.pass",
    checkov: "PASSED",
    resources: [res(DB, "pass", { ...minorBase, autoMinorVersionUpgrade: true })],
  },
  {
    check: "CKV_AWS_226",
    rule: "rds-auto-minor-version-upgrade",
    fixture: "aws_db_instance.fail",
    checkov: "FAILED",
    resources: [res(DB, "fail", { ...minorBase, autoMinorVersionUpgrade: false })],
  },
  {
    check: "CKV_AWS_226",
    rule: "rds-auto-minor-version-upgrade",
    fixture: "aws_db_instance.fail2",
    checkov: "FAILED",
    pack: "PASSED",
    resources: [res(DB, "fail2", minorBase)],
  },
  // CKV_AWS_16 RDSEncryption (test_RDSEncryption.py)
  {
    check: "CKV_AWS_16",
    rule: "rds-storage-encrypted",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [
      res(DB, "db", {
        engine: "postgres",
        engineVersion: "9.6.3",
        multiAz: false,
        backupRetentionPeriod: 10,
        autoMinorVersionUpgrade: true,
        storageEncrypted: false,
      }),
    ],
  },
  {
    check: "CKV_AWS_16",
    rule: "rds-storage-encrypted",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [
      res(DB, "db", {
        engine: "postgres",
        engineVersion: "9.6.3",
        multiAz: false,
        backupRetentionPeriod: 10,
        autoMinorVersionUpgrade: true,
        storageEncrypted: true,
      }),
    ],
  },
  // CKV_AWS_17 RDSPubliclyAccessible (test_RDSPubliclyAccessible.py: aws_rds_cluster_instance)
  {
    check: "CKV_AWS_17",
    rule: "rds-not-publicly-accessible",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res(CLUSTER_INSTANCE, "rds_cluster_public", { ...clusterInstanceBase, publiclyAccessible: true })],
  },
  {
    check: "CKV_AWS_17",
    rule: "rds-not-publicly-accessible",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [res(CLUSTER_INSTANCE, "rds_cluster_public", { ...clusterInstanceBase, publiclyAccessible: false })],
  },
  {
    check: "CKV_AWS_17",
    rule: "rds-not-publicly-accessible",
    fixture: "test_success2",
    checkov: "PASSED",
    resources: [res(CLUSTER_INSTANCE, "rds_cluster_public", clusterInstanceBase)],
  },
  // CKV_AWS_157 RDSMultiAZEnabled (test_RDSMultiAZEnabled.py)
  {
    check: "CKV_AWS_157",
    rule: "rds-multi-az",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res(DB, "default", { ...multiAzBase, multiAz: false })],
  },
  {
    check: "CKV_AWS_157",
    rule: "rds-multi-az",
    fixture: "test_failure2",
    checkov: "FAILED",
    resources: [res(DB, "default", multiAzBase)],
  },
  {
    check: "CKV_AWS_157",
    rule: "rds-multi-az",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [res(DB, "default", { ...multiAzBase, multiAz: true })],
  },
  // CKV_AWS_65 ECSClusterContainerInsights (test_ECSClusterContainerInsights.py)
  {
    check: "CKV_AWS_65",
    rule: "ecs-container-insights",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res(ECS_CLUSTER, "my_cluster", { name: "white-hart" })],
  },
  {
    check: "CKV_AWS_65",
    rule: "ecs-container-insights",
    fixture: "test_failure_explicit_disable",
    checkov: "FAILED",
    resources: [
      res(ECS_CLUSTER, "my_cluster", {
        name: "white-hart",
        settings: [{ name: "containerInsights", value: "disabled" }],
      }),
    ],
  },
  {
    check: "CKV_AWS_65",
    rule: "ecs-container-insights",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [
      res(ECS_CLUSTER, "my_cluster", {
        name: "white-hart",
        settings: [{ name: "containerInsights", value: "enabled" }],
      }),
    ],
  },
  {
    check: "CKV_AWS_65",
    rule: "ecs-container-insights",
    fixture: "test_success_enhanced",
    checkov: "PASSED",
    resources: [
      res(ECS_CLUSTER, "my_cluster", {
        name: "white-hart",
        settings: [{ name: "containerInsights", value: "enhanced" }],
      }),
    ],
  },
  // CKV_AWS_161 RDSIAMAuthentication (example_RDSIAMAuthentication/main.tf)
  ...(
    [
      ["enabled_mysql", "postgres", true, "PASSED"],
      ["enabled_postgres", "postgres", true, "PASSED"],
      ["default_mysql", "mysql", undefined, "FAILED"],
      ["default_postgres", "postgres", undefined, "FAILED"],
      ["disabled_mysql", "postgres", false, "FAILED"],
      ["disabled_postgres", "postgres", false, "FAILED"],
    ] as const
  ).map(
    ([name, engine, flag, verdict]): Row => ({
      check: "CKV_AWS_161",
      rule: "rds-iam-authentication",
      fixture: `aws_db_instance.${name}`,
      checkov: verdict,
      resources: [
        res(DB, name, {
          ...iamBase(engine),
          ...(flag === undefined ? {} : { iamDatabaseAuthenticationEnabled: flag }),
        }),
      ],
    }),
  ),
  {
    check: "CKV_AWS_161",
    rule: "rds-iam-authentication",
    fixture: "aws_db_instance.mariadb",
    checkov: "UNKNOWN",
    pack: "FAILED",
    resources: [res(DB, "mariadb", iamBase("mariadb"))],
  },
  // CKV_AWS_26 SNSTopicEncryption (test_SNSTopicEncryption.py)
  {
    check: "CKV_AWS_26",
    rule: "sns-topic-encrypted",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res(TOPIC, "sns", { name: "terraform-example-sns" })],
  },
  {
    check: "CKV_AWS_26",
    rule: "sns-topic-encrypted",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [res(TOPIC, "sns", { name: "terraform-example-sns", kmsMasterKeyId: "alias/aws/sqs" })],
  },
  // CKV_AWS_353 RDSInstancePerformanceInsights (example_RDSInstancePerformanceInsights/main.tf)
  {
    check: "CKV_AWS_353",
    rule: "rds-performance-insights-cmk",
    fixture: "aws_db_instance.fail",
    checkov: "FAILED",
    resources: [res(DB, "fail", { ...piBase, deletionProtection: false })],
  },
  {
    check: "CKV_AWS_353",
    rule: "rds-performance-insights-cmk",
    fixture: "aws_db_instance.fail2",
    checkov: "FAILED",
    resources: [res(DB, "fail2", { ...piBase, performanceInsightsEnabled: false })],
  },
  {
    check: "CKV_AWS_353",
    rule: "rds-performance-insights-cmk",
    fixture: "aws_db_instance.pass",
    checkov: "PASSED",
    pack: "FAILED",
    resources: [res(DB, "pass", { ...piBase, deletionProtection: true, performanceInsightsEnabled: true })],
  },
  {
    check: "CKV_AWS_353",
    rule: "rds-performance-insights-cmk",
    fixture: "aws_db_instance.pass (+ performance_insights_kms_key_id, CKV_AWS_354)",
    checkov: "PASSED",
    resources: [
      res(DB, "pass", {
        ...piBase,
        deletionProtection: true,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234",
      }),
    ],
  },
  {
    check: "CKV_AWS_353",
    rule: "rds-performance-insights-cmk",
    fixture: "aws_rds_cluster_instance.fail",
    checkov: "FAILED",
    resources: [res(CLUSTER_INSTANCE, "fail", piClusterBase)],
  },
  {
    check: "CKV_AWS_353",
    rule: "rds-performance-insights-cmk",
    fixture: "aws_rds_cluster_instance.fail2",
    checkov: "FAILED",
    resources: [res(CLUSTER_INSTANCE, "fail2", { ...piClusterBase, performanceInsightsEnabled: false })],
  },
  {
    check: "CKV_AWS_353",
    rule: "rds-performance-insights-cmk",
    fixture: "aws_rds_cluster_instance.pass",
    checkov: "PASSED",
    pack: "FAILED",
    resources: [res(CLUSTER_INSTANCE, "pass", { ...piClusterBase, performanceInsightsEnabled: true })],
  },
  {
    check: "CKV_AWS_353",
    rule: "rds-performance-insights-cmk",
    fixture: "aws_db_instance.unknown_engine_class_combo (mariadb on db.t3.micro)",
    checkov: "UNKNOWN",
    pack: "FAILED",
    resources: [
      res(DB, "unknown_engine_class_combo", {
        allocatedStorage: 20,
        engine: "mariadb",
        engineVersion: "10.5",
        instanceClass: "db.t3.micro",
        parameterGroupName: "default.mariadb10.5",
      }),
    ],
  },
  // CKV_AWS_211 RDSCACertIsRecent (example_RDSCACertIsRecent/main.tf)
  {
    check: "CKV_AWS_211",
    rule: "rds-modern-ca-certificate",
    fixture: "aws_db_instance.fail",
    checkov: "FAILED",
    resources: [res(DB, "fail", { ...caBase, caCertIdentifier: "rds-ca-2015" })],
  },
  ...["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"].map(
    (ca): Row => ({
      check: "CKV_AWS_211",
      rule: "rds-modern-ca-certificate",
      fixture: `aws_db_instance.pass["${ca}"]`,
      checkov: "PASSED",
      resources: [res(DB, "pass", { ...caBase, caCertIdentifier: ca })],
    }),
  ),
  // CKV_AWS_333 ECSServicePublicIP (example_ECSServicePublicIP/main.tf)
  {
    check: "CKV_AWS_333",
    rule: "ecs-service-no-public-ip",
    fixture: "aws_ecs_service.pass",
    checkov: "PASSED",
    resources: [res(ECS_SERVICE, "pass", serviceBase)],
  },
  {
    check: "CKV_AWS_333",
    rule: "ecs-service-no-public-ip",
    fixture: "aws_ecs_service.pass2",
    checkov: "PASSED",
    resources: [
      res(ECS_SERVICE, "pass2", { ...serviceBase, networkConfiguration: { subnets: [], assignPublicIp: false } }),
    ],
  },
  {
    check: "CKV_AWS_333",
    rule: "ecs-service-no-public-ip",
    fixture: "aws_ecs_service.fail",
    checkov: "FAILED",
    resources: [
      res(ECS_SERVICE, "fail", { ...serviceBase, networkConfiguration: { subnets: [], assignPublicIp: true } }),
    ],
  },
  // CKV_AWS_238 GuarddutyDetectorEnabled (example_GuarddutyDetectorEnabled/main.tf)
  {
    check: "CKV_AWS_238",
    rule: "guardduty-detector-enabled",
    fixture: "aws_guardduty_detector.pass",
    checkov: "PASSED",
    resources: [res(DETECTOR, "pass", { enable: true, tags: { test: "Fail" } })],
  },
  {
    check: "CKV_AWS_238",
    rule: "guardduty-detector-enabled",
    fixture: "aws_guardduty_detector.pass2",
    checkov: "PASSED",
    resources: [res(DETECTOR, "pass2", { tags: { test: "Fail" } })],
  },
  {
    check: "CKV_AWS_238",
    rule: "guardduty-detector-enabled",
    fixture: "aws_guardduty_detector.fail",
    checkov: "FAILED",
    resources: [res(DETECTOR, "fail", { enable: false, tags: { test: "Fail" } })],
  },
  // CKV_AWS_7 KMSRotation (example_KMSRotation/main.tf; the test lists pass1, pass2 and fail1-4)
  ...(
    [
      ["pass1", { enableKeyRotation: true }, "PASSED"],
      ["pass2", { customerMasterKeySpec: "RSA_2096" }, "PASSED"],
      ["fail1", {}, "FAILED"],
      ["fail2", { enableKeyRotation: false }, "FAILED"],
      ["fail3", { customerMasterKeySpec: "SYMMETRIC_DEFAULT", enableKeyRotation: false }, "FAILED"],
      ["fail4", { customerMasterKeySpec: "SYMMETRIC_DEFAULT" }, "FAILED"],
    ] as const
  ).map(
    ([name, extra, verdict]): Row => ({
      check: "CKV_AWS_7",
      rule: "kms-key-rotation",
      fixture: `aws_kms_key.${name}`,
      checkov: verdict,
      resources: [res(KEY, name, { ...keyBase, ...extra })],
    }),
  ),
  // CKV2_AWS_69 RDSEncryptionInTransit (graph check: tests/terraform/graph/checks/resources/RDSEncryptionInTransit)
  {
    check: "CKV2_AWS_69",
    rule: "rds-force-ssl",
    fixture: "aws_db_instance.pass_no_param (its group is not declared)",
    checkov: "PASSED",
    resources: [res(DB, "pass_no_param", { parameterGroupName: "notexist", applyImmediately: true })],
  },
  ...(
    [
      [
        "postgres_pass1",
        "postgres13",
        [
          ["something_else", "0"],
          ["rds.force_ssl", "1"],
        ],
        "PASSED",
      ],
      [
        "postgres_fail1",
        "postgres13",
        [
          ["something_else", "0"],
          ["rds.force_ssl", "0"],
        ],
        "FAILED",
      ],
      ["postgres_fail_missing", "postgres13", [["something_else", "0"]], "FAILED"],
      ["pass_other_fam", "other-fam", [["something_else", "0"]], "PASSED"],
      ["maria_fail_0", "mariadb1", [["require_secure_transport", "0"]], "FAILED"],
      [
        "mariadb_pass",
        "mariadb1",
        [
          ["something_else", "1"],
          ["require_secure_transport", "1"],
          ["something_else2", "1"],
        ],
        "PASSED",
      ],
      [
        "mariadb_fail_missing",
        "mariadb1",
        [
          ["something_else", "1"],
          ["something_else2", "1"],
        ],
        "FAILED",
      ],
      ["db2_fail_0", "1db2-ae1", [["db2comm", "0"]], "FAILED"],
      ["db2_pass", "1db2-ae1", [["db2comm", "SSL"]], "PASSED"],
      ["db2_fail_missing", "1db2-ae1", undefined, "FAILED"],
    ] as [string, string, [string, string][] | undefined, Verdict][]
  ).map(
    ([name, family, parameters, verdict]): Row => ({
      check: "CKV2_AWS_69",
      rule: "rds-force-ssl",
      fixture: `aws_db_instance.${name}`,
      checkov: verdict,
      resources: attachedTo(name, family, parameters),
    }),
  ),
  {
    check: "CKV2_AWS_69",
    rule: "rds-force-ssl",
    fixture: "aws_db_parameter_group.no_connect (db2comm = 0, no instance)",
    checkov: "UNKNOWN",
    pack: "FAILED",
    resources: [
      res(PARAMS, "no_connect", { name: "my-pg", family: "db2-ae", parameters: [{ name: "db2comm", value: "0" }] }),
    ],
  },
  // CKV_AWS_332 ECSServiceFargateLatest (example_ECSServiceFargateLatest/main.tf)
  ...(
    [
      ["pass", { launchType: "FARGATE", platformVersion: "LATEST" }, "PASSED"],
      ["pass2", { launchType: "FARGATE" }, "PASSED"],
      ["fail", { launchType: "FARGATE", platformVersion: "1.4.0" }, "FAILED"],
      ["unknown", { platformVersion: "LATEST" }, "UNKNOWN"],
      ["unknown2", {}, "UNKNOWN"],
    ] as [string, Record<string, unknown>, Verdict][]
  ).map(
    ([name, extra, verdict]): Row => ({
      check: "CKV_AWS_332",
      rule: "ecs-fargate-latest-platform",
      fixture: `aws_ecs_service.${name}`,
      checkov: verdict,
      resources: [res(ECS_SERVICE, name, { name: "pike", ...extra })],
    }),
  ),
  // CKV2_AWS_60 RDSEnableCopyTagsToSnapshot (graph check: RDSEnableCopyTagsToSnapshot/main.tf)
  ...(
    [
      ["pass", "mysql", true, "PASSED", undefined],
      ["fail_1", "neptune", true, "FAILED", "PASSED"],
      ["fail_2", "mysql", false, "FAILED", undefined],
      ["fail_3", "mysql", undefined, "FAILED", undefined],
    ] as [string, string, boolean | undefined, Verdict, Verdict | undefined][]
  ).map(
    ([name, engine, copy, verdict, pack]): Row => ({
      check: "CKV2_AWS_60",
      rule: "rds-copy-tags-to-snapshots",
      fixture: `aws_db_instance.${name}`,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      resources: [
        res(DB, name, {
          allocatedStorage: 10,
          dbName: "mydb",
          engine,
          engineVersion: "5.7",
          instanceClass: "db.t3.micro",
          username: "foo",
          password: "foobarbaz",
          parameterGroupName: "default.mysql5.7",
          skipFinalSnapshot: true,
          ...(copy === undefined ? {} : { copyTagsToSnapshot: copy }),
        }),
      ],
    }),
  ),
  // CKV_AWS_223 ECSClusterLoggingEnabled (example_ECSClusterLoggingEnabled/main.tf)
  {
    check: "CKV_AWS_223",
    rule: "ecs-exec-logging-encrypted",
    fixture: "aws_ecs_cluster.fail",
    checkov: "FAILED",
    resources: [execCluster("fail", { logging: "NONE", logConfiguration: {} })],
  },
  {
    check: "CKV_AWS_223",
    rule: "ecs-exec-logging-encrypted",
    fixture: "aws_ecs_cluster.pass",
    checkov: "PASSED",
    pack: "FAILED",
    resources: [execCluster("pass", { logConfiguration: {} })],
  },
  {
    check: "CKV_AWS_223",
    rule: "ecs-exec-logging-encrypted",
    fixture: "aws_ecs_cluster.pass2",
    checkov: "PASSED",
    pack: "FAILED",
    resources: [execCluster("pass2", { logging: "DEFAULT", logConfiguration: {} })],
  },
  // CKV_AWS_224 ECSClusterLoggingEncryptedWithCMK (example_ECSClusterLoggingEncryptedWithCMK/main.tf)
  ...(
    [
      ["fail4", { kmsKeyId: EXEC_KEY }, "FAILED", undefined],
      ["unknown (no configuration)", undefined, "UNKNOWN", "FAILED"],
      ["unknown (logging NONE)", { logging: "NONE", logConfiguration: {} }, "UNKNOWN", "FAILED"],
      ["fail", { logConfiguration: {} }, "FAILED", undefined],
      ["fail2", { kmsKeyId: EXEC_KEY, logConfiguration: {} }, "FAILED", undefined],
      ["fail3", { kmsKeyId: EXEC_KEY, logConfiguration: { cloudWatchEncryptionEnabled: false } }, "FAILED", undefined],
      ["pass", { kmsKeyId: EXEC_KEY, logConfiguration: { cloudWatchEncryptionEnabled: true } }, "PASSED", undefined],
      ["pass2", { kmsKeyId: EXEC_KEY, logConfiguration: { s3BucketEncryptionEnabled: true } }, "PASSED", undefined],
    ] as [string, Record<string, unknown> | undefined, Verdict, Verdict | undefined][]
  ).map(
    ([name, exec, verdict, pack]): Row => ({
      check: "CKV_AWS_224",
      rule: "ecs-exec-logging-encrypted",
      fixture: `aws_ecs_cluster.${name}`,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      resources: [execCluster(name.split(" ")[0]!, exec)],
    }),
  ),
  // CKV_AWS_334 ECSContainerPrivilege (example_ECSContainerPrivilege/main.tf)
  {
    check: "CKV_AWS_334",
    rule: "ecs-task-non-privileged",
    fixture: "aws_ecs_task_definition.pass",
    checkov: "PASSED",
    resources: [task("pass", {}, {})],
  },
  {
    check: "CKV_AWS_334",
    rule: "ecs-task-non-privileged",
    fixture: "aws_ecs_task_definition.fail (second container: privilege = true)",
    checkov: "FAILED",
    pack: "PASSED",
    resources: [task("fail", {}, { privilege: true })],
  },
  {
    check: "CKV_AWS_334",
    rule: "ecs-task-non-privileged",
    fixture: "aws_ecs_task_definition.fail with the key ECS reads (privileged = true)",
    checkov: "FAILED",
    resources: [task("fail", {}, { privileged: true })],
  },
  // CKV_AWS_335 ECSContainerHostProcess (example_ECSContainerHostProcess/main.tf)
  {
    check: "CKV_AWS_335",
    rule: "ecs-task-no-host-pid",
    fixture: "aws_ecs_task_definition.pass",
    checkov: "PASSED",
    resources: [task("pass", {}, {})],
  },
  {
    check: "CKV_AWS_335",
    rule: "ecs-task-no-host-pid",
    fixture: "aws_ecs_task_definition.pass2",
    checkov: "PASSED",
    resources: [task("pass2", { pidMode: "task" }, {})],
  },
  {
    check: "CKV_AWS_335",
    rule: "ecs-task-no-host-pid",
    fixture: "aws_ecs_task_definition.fail (pidMode host inside the second container)",
    checkov: "FAILED",
    pack: "PASSED",
    resources: [task("fail", {}, { privilege: true, pidMode: "host" })],
  },
  // CKV_AWS_336 ECSContainerReadOnlyRoot (example_ECSContainerReadOnlyRoot/main.tf)
  {
    check: "CKV_AWS_336",
    rule: "ecs-task-read-only-root-filesystem",
    fixture: "aws_ecs_task_definition.pass",
    checkov: "PASSED",
    resources: [task("pass", { readonlyRootFilesystem: true }, { readonlyRootFilesystem: true })],
  },
  {
    check: "CKV_AWS_336",
    rule: "ecs-task-read-only-root-filesystem",
    fixture: "aws_ecs_task_definition.fail",
    checkov: "FAILED",
    resources: [task("fail", { pidMode: "task", readonlyRootFilesystem: true }, {})],
  },
  {
    check: "CKV_AWS_336",
    rule: "ecs-task-read-only-root-filesystem",
    fixture: "aws_ecs_task_definition.fail2",
    checkov: "FAILED",
    resources: [
      task(
        "fail2",
        { readonlyRootFilesystem: false },
        { privilege: true, pidMode: "host", readonlyRootFilesystem: false },
      ),
    ],
  },
  // CKV_AWS_354 RDSInstancePerfInsightsEncryptionWithCMK (example_RDSInstancePerfInsightsEncryptionWithCMK/main.tf)
  {
    check: "CKV_AWS_354",
    rule: "rds-performance-insights-cmk",
    fixture: "aws_db_instance.fail",
    checkov: "FAILED",
    resources: [res(DB, "fail", { ...piBase, performanceInsightsEnabled: true })],
  },
  {
    check: "CKV_AWS_354",
    rule: "rds-performance-insights-cmk",
    fixture: "aws_db_instance.pass",
    checkov: "PASSED",
    resources: [
      res(DB, "pass", {
        ...piBase,
        deletionProtection: true,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/pike",
      }),
    ],
  },
  {
    check: "CKV_AWS_354",
    rule: "rds-performance-insights-cmk",
    fixture: "aws_rds_cluster_instance.fail",
    checkov: "FAILED",
    resources: [res(CLUSTER_INSTANCE, "fail", { ...piClusterBase, performanceInsightsEnabled: true })],
  },
  {
    check: "CKV_AWS_354",
    rule: "rds-performance-insights-cmk",
    fixture: "aws_rds_cluster_instance.pass",
    checkov: "PASSED",
    resources: [
      res(CLUSTER_INSTANCE, "pass", {
        ...piClusterBase,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/pike",
      }),
    ],
  },
  // CKV_AWS_149 SecretManagerSecretEncrypted (example_SecretManagerSecretEncrypted/main.tf)
  {
    check: "CKV_AWS_149",
    rule: "secretsmanager-secret-cmk",
    fixture: "aws_secretsmanager_secret.enabled (kms_key_id = var.kms_key_id, here a key ARN)",
    checkov: "PASSED",
    resources: [
      res("aws:secretsmanager/secret:Secret", "enabled", {
        name: "secret",
        kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/secret",
      }),
    ],
  },
  {
    check: "CKV_AWS_149",
    rule: "secretsmanager-secret-cmk",
    fixture: "aws_secretsmanager_secret.default",
    checkov: "FAILED",
    resources: [res("aws:secretsmanager/secret:Secret", "default", { name: "secret" })],
  },
  // CKV_AWS_50 LambdaXrayEnabled (test_LambdaXrayEnabled.py)
  {
    check: "CKV_AWS_50",
    rule: "lambda-xray-tracing",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res(LAMBDA, "fn", lambdaConf)],
  },
  {
    check: "CKV_AWS_50",
    rule: "lambda-xray-tracing",
    fixture: "test_success (tracing_config mode PassThrough)",
    checkov: "PASSED",
    pack: "FAILED",
    resources: [res(LAMBDA, "fn", { ...lambdaConf, tracingConfig: { mode: "PassThrough" } })],
  },
  // CKV_AWS_28 DynamodbRecovery (test_DynamodbRecovery.py)
  {
    check: "CKV_AWS_28",
    rule: "dynamodb-point-in-time-recovery",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res(TABLE, "table", tableConf)],
  },
  {
    check: "CKV_AWS_28",
    rule: "dynamodb-point-in-time-recovery",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [res(TABLE, "table", { ...tableConf, pointInTimeRecovery: { enabled: true } })],
  },
  // CKV_AWS_30 ElasticacheReplicationGroupEncryptionAtTransit (test_ElasticacheReplicationGroupEncryptionAtTransit.py)
  {
    check: "CKV_AWS_30",
    rule: "elasticache-in-transit-encryption",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [res(REDIS, "redis", { ...redisConf, atRestEncryptionEnabled: true, transitEncryptionEnabled: true })],
  },
  {
    check: "CKV_AWS_30",
    rule: "elasticache-in-transit-encryption",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res(REDIS, "redis", { ...redisConf, atRestEncryptionEnabled: false, transitEncryptionEnabled: false })],
  },
  {
    check: "CKV_AWS_30",
    rule: "elasticache-in-transit-encryption",
    fixture: "test_failure_on_missing_property",
    checkov: "FAILED",
    resources: [res(REDIS, "redis", redisConf)],
  },
  // CKV_AWS_119 DynamoDBTablesEncrypted (example_DynamoDBTablesEncrypted/main.tf)
  ...(
    [
      [
        "cmk",
        { enabled: true, kmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
        "PASSED",
      ],
      ["default", undefined, "FAILED"],
      ["encrypted_false", { enabled: false }, "FAILED"],
      ["encrypted_no_cmk", { enabled: true }, "FAILED"],
    ] as [string, Record<string, unknown> | undefined, Verdict][]
  ).map(
    ([name, sse, verdict]): Row => ({
      check: "CKV_AWS_119",
      rule: "dynamodb-encryption-cmk",
      fixture: `aws_dynamodb_table.${name}`,
      checkov: verdict,
      resources: [res(TABLE, name, { ...gameScores, ...(sse ? { serverSideEncryption: sse } : {}) })],
    }),
  ),
  // CKV_AWS_116 LambdaDLQConfigured (test_LambdaDLQConfigured.py)
  {
    check: "CKV_AWS_116",
    rule: "lambda-dead-letter-or-on-failure",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res(LAMBDA, "test_lambda", dlqFn)],
  },
  {
    check: "CKV_AWS_116",
    rule: "lambda-dead-letter-or-on-failure",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [res(LAMBDA, "test_lambda", { ...dlqFn, deadLetterConfig: { targetArn: "test" } })],
  },
  // CKV_AWS_27 SQSQueueEncryption (test_SQSQueueEncryption.py)
  {
    check: "CKV_AWS_27",
    rule: "sqs-queue-encrypted",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res("aws:sqs/queue:Queue", "queue", { name: "terraform-example-queue" })],
  },
  {
    check: "CKV_AWS_27",
    rule: "sqs-queue-encrypted",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [
      res("aws:sqs/queue:Queue", "queue", {
        name: "terraform-example-queue",
        kmsMasterKeyId: "alias/aws/sqs",
        kmsDataKeyReusePeriodSeconds: 300,
      }),
    ],
  },
  // CKV_AWS_115 LambdaFunctionLevelConcurrentExecutionLimit (test_LambdaFunctionLevelConcurrentExecutionLimit.py)
  ...(
    [
      ["test_failure1", undefined, "FAILED", undefined],
      ["test_failure2", -1, "FAILED", undefined],
      ["test_success1", 0, "PASSED", "FAILED"],
      ["test_success2", 1000, "PASSED", undefined],
    ] as [string, number | undefined, Verdict, Verdict | undefined][]
  ).map(
    ([fixture, reserved, verdict, pack]): Row => ({
      check: "CKV_AWS_115",
      rule: "lambda-reserved-concurrency",
      fixture,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      resources: [
        res(LAMBDA, "test_lambda", {
          ...dlqFn,
          ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
        }),
      ],
    }),
  ),
  // CKV_AWS_29 ElasticacheReplicationGroupEncryptionAtRest (test_ElasticacheReplicationGroupEncryptionAtRest.py)
  ...(
    [
      ["test_success", true, "PASSED"],
      ["test_failure", false, "FAILED"],
      ["test_failure_on_missing_property", undefined, "FAILED"],
    ] as [string, boolean | undefined, Verdict][]
  ).map(
    ([fixture, atRest, verdict]): Row => ({
      check: "CKV_AWS_29",
      rule: "elasticache-at-rest-encryption",
      fixture,
      checkov: verdict,
      resources: [
        res(RG, "rg", {
          ...rgBase,
          ...(atRest === undefined ? {} : { atRestEncryptionEnabled: atRest }),
          transitEncryptionEnabled: true,
          authToken: UNKNOWN_STRING,
        }),
      ],
    }),
  ),
  // CKV_AWS_31 ElasticacheReplicationGroupEncryptionAtTransitAuthToken (test_...AtTransitAuthToken.py)
  {
    check: "CKV_AWS_31",
    rule: "elasticache-auth",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [
      res(RG, "rg", {
        ...rgBase,
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
        authToken: UNKNOWN_STRING,
      }),
    ],
  },
  {
    check: "CKV_AWS_31",
    rule: "elasticache-auth",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res(RG, "rg", { ...rgBase, atRestEncryptionEnabled: false, transitEncryptionEnabled: false })],
  },
  // CKV_AWS_191 ElasticacheReplicationGroupEncryptedWithCMK (example_.../aws_elasticache_replication_group.tf)
  {
    check: "CKV_AWS_191",
    rule: "elasticache-at-rest-encryption-cmk",
    fixture: "pass",
    checkov: "PASSED",
    resources: [
      res(RG, "pass", {
        ...cmkRgBase,
        kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      }),
    ],
  },
  {
    check: "CKV_AWS_191",
    rule: "elasticache-at-rest-encryption-cmk",
    fixture: "fail",
    checkov: "FAILED",
    resources: [res(RG, "fail", cmkRgBase)],
  },
  // CKV_AWS_24 SecurityGroupUnrestrictedIngress22 (test_SecurityGroupUnrestrictedIngress22.py)
  ...(
    [
      [
        "test_failure_ipv4",
        "FAILED",
        undefined,
        [sgIngress({ ...tcp22, cidrBlocks: ["192.168.0.0/16", "0.0.0.0/0"] })],
      ],
      [
        "test_failure_0_0",
        "FAILED",
        "PASSED",
        [sgIngress({ ...tcp22, fromPort: 0, toPort: 0, cidrBlocks: ["192.168.0.0/16", "0.0.0.0/0"] })],
      ],
      ["test_failure_ipv6", "FAILED", undefined, [sgIngress({ ...tcp22, ipv6CidrBlocks: ["192.168.0.0/16", "::/0"] })]],
      [
        "test_success_different_port",
        "PASSED",
        undefined,
        [sgIngress({ ...tcp22, fromPort: 222, toPort: 222, cidrBlocks: ["192.168.0.0/16", "0.0.0.0/0"] })],
      ],
      ["test_success_no_cidr", "PASSED", undefined, [sgIngress({ ...tcp22, securityGroups: ["sg-foo"] })]],
      ["test_success_cidr", "PASSED", undefined, [sgIngress({ ...tcp22, cidrBlocks: ["192.168.0.0/16"] })]],
      [
        "test_failure_combined_ingress",
        "FAILED",
        undefined,
        [sgIngress({ ...tcp22, securityGroups: ["sg-foo"], cidrBlocks: ["192.168.0.0/16", "0.0.0.0/0"] })],
      ],
      [
        "test_success_combined_ingress",
        "PASSED",
        undefined,
        [sgIngress({ ...tcp22, securityGroups: ["sg-foo"], cidrBlocks: ["192.168.0.0/16"] })],
      ],
      [
        "test_success_egress_only",
        "PASSED",
        undefined,
        [res(SG, "bar-sg", { name: "sg-bar", vpcId: "vpc-123", egress: allEgress })],
      ],
      [
        "test_ingress_rules_list",
        "FAILED",
        undefined,
        [
          res(SG, "inline_rules", {
            description: "SG with inline rules",
            ingress: [
              {
                cidrBlocks: ["0.0.0.0/0"],
                description: "Wide Open",
                fromPort: 0,
                ipv6CidrBlocks: [],
                prefixListIds: [],
                securityGroups: [],
                protocol: "-1",
                self: false,
                toPort: 65535,
              },
            ],
          }),
        ],
      ],
      [
        "test_failure_separate_rule_cidr",
        "FAILED",
        undefined,
        [
          res(SG, "bar-sg", { name: "sg-bar", vpcId: "vpc-123" }),
          res(SG_RULE, "ingress", { ...ruleBase, type: "ingress", cidrBlocks: ["192.168.0.0/16", "0.0.0.0/0"] }),
        ],
      ],
      [
        "test_pass_separate_rule_cidr",
        "PASSED",
        undefined,
        [res(SG_RULE, "ingress", { ...ruleBase, type: "ingress", cidrBlocks: ["192.168.0.0/16"] })],
      ],
      [
        "test_unknown_separate_rule_egress",
        "UNKNOWN",
        undefined,
        [res(SG_RULE, "egress", { ...ruleBase, type: "egress", cidrBlocks: ["0.0.0.0/0"] })],
      ],
      [
        "test_pass_separate_rule_source_sg",
        "PASSED",
        undefined,
        [res(SG_RULE, "ingress", { ...ruleBase, type: "ingress", sourceSecurityGroupId: "sg-123456" })],
      ],
      [
        "test_pass_separate_rule_different_port",
        "PASSED",
        undefined,
        [
          res(SG_RULE, "ingress", {
            ...ruleBase,
            type: "ingress",
            fromPort: 222,
            toPort: 222,
            cidrBlocks: ["0.0.0.0/0"],
          }),
        ],
      ],
    ] as [string, Verdict, Verdict | undefined, TestResource[]][]
  ).map(
    ([fixture, verdict, pack, resources]): Row => ({
      check: "CKV_AWS_24",
      rule: "ec2-no-open-high-risk-ports",
      fixture,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      resources,
    }),
  ),
  // CKV_AWS_25 SecurityGroupUnrestrictedIngress3389 (test_SecurityGroupUnrestrictedIngress3389.py)
  ...(
    [
      ["test_failure", 3389, "FAILED"],
      ["test_success", 80, "PASSED"],
    ] as [string, number, Verdict][]
  ).map(
    ([fixture, port, verdict]): Row => ({
      check: "CKV_AWS_25",
      rule: "ec2-no-open-high-risk-ports",
      fixture,
      checkov: verdict,
      resources: [
        res(SG, "sg", {
          name: "foo",
          vpcId: UNKNOWN_STRING,
          ingress: [
            { fromPort: port, toPort: port, protocol: "TCP", cidrBlocks: ["0.0.0.0/0"] },
            { fromPort: 443, toPort: 443, protocol: "TCP", cidrBlocks: ["0.0.0.0/0"] },
          ],
          egress: allEgress,
        }),
      ],
    }),
  ),
  // CKV_AWS_53..56 S3BlockPublicACLs, S3BlockPublicPolicy, S3IgnorePublicACLs, S3RestrictPublicBuckets
  // (test_<Check>.py): each fixture is the block of bucket "foo" with all flags true but the check's own.
  ...(
    [
      ["CKV_AWS_53", "blockPublicAcls"],
      ["CKV_AWS_54", "blockPublicPolicy"],
      ["CKV_AWS_55", "ignorePublicAcls"],
      ["CKV_AWS_56", "restrictPublicBuckets"],
    ] as [string, keyof typeof blockAll][]
  ).flatMap(([check, flag]): Row[] =>
    (
      [
        ["test_failure", false, "FAILED"],
        ["test_success", true, "PASSED"],
      ] as [string, boolean, Verdict][]
    ).map(([fixture, value, verdict]) => ({
      check,
      rule: "s3-bucket-public-access-block",
      fixture,
      checkov: verdict,
      resources: [
        res("aws:s3/bucket:Bucket", "foo", { bucket: "foo" }),
        res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "foo", {
          bucket: "foo",
          ...blockAll,
          [flag]: value,
        }),
      ],
    })),
  ),
  // CKV_AWS_149 SecretManagerSecretEncrypted (test_SecretManagerSecretEncrypted.py and example_.../main.tf)
  {
    check: "CKV_AWS_149",
    rule: "secretsmanager-secret-cmk",
    fixture: "test_failure",
    checkov: "FAILED",
    resources: [res("aws:secretsmanager/secret:Secret", "example", { name: "example" })],
  },
  {
    check: "CKV_AWS_149",
    rule: "secretsmanager-secret-cmk",
    fixture: "test_success",
    checkov: "PASSED",
    resources: [res("aws:secretsmanager/secret:Secret", "example", { name: "example", kmsKeyId: "arn:kuku:kisi" })],
  },
  {
    check: "CKV_AWS_149",
    rule: "secretsmanager-secret-cmk",
    fixture: "main.tf enabled (kms_key_id = var.kms_key_id)",
    checkov: "PASSED",
    resources: [res("aws:secretsmanager/secret:Secret", "enabled", { name: "secret", kmsKeyId: UNKNOWN_STRING })],
  },
  // CKV_AWS_258 LambdaFunctionURLAuth (example_LambdaFunctionURLAuth/main.tf)
  {
    check: "CKV_AWS_258",
    rule: "lambda-no-public-invoke",
    fixture: "fail",
    checkov: "FAILED",
    resources: [res("aws:lambda/functionUrl:FunctionUrl", "fail", { functionName: "test", authorizationType: "NONE" })],
  },
  {
    check: "CKV_AWS_258",
    rule: "lambda-no-public-invoke",
    fixture: "pass",
    checkov: "PASSED",
    resources: [
      res("aws:lambda/functionUrl:FunctionUrl", "pass", {
        functionName: "test",
        qualifier: "my_alias",
        authorizationType: "AWS_IAM",
      }),
    ],
  },
  // CKV_AWS_301 LambdaFunctionIsNotPublic (example_LambdaFunctionIsNotPublic/main.tf)
  ...(
    [
      ["fail", "*", "FAILED", "PASSED"],
      ["pass", "arn:aws:iam::444455556666:role/example", "PASSED", undefined],
    ] as [string, string, Verdict, Verdict | undefined][]
  ).map(
    ([fixture, principal, verdict, pack]): Row => ({
      check: "CKV_AWS_301",
      rule: "lambda-no-public-invoke",
      fixture,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      resources: [
        res("aws:lambda/permission:Permission", fixture, {
          statementId: "AllowExecutionFromCloudWatch",
          action: "lambda:InvokeFunction",
          function: "test_lambda",
          principal,
          sourceArn: "arn:aws:events:eu-west-1:111122223333:rule/RunDaily",
          qualifier: "test_alias",
        }),
      ],
    }),
  ),
  // CKV_AWS_72 SQSPolicy (test_SQSPolicy.py and example_SQSPolicy/main.tf)
  ...(
    [
      ["test_failure", "*", "*", "FAILED"],
      ["test_success", "ARN:01010101010:TEST:SAMPLE", "sqs:SendMessage", "PASSED"],
    ] as [string, string, string, Verdict][]
  ).map(
    ([fixture, principal, action, verdict]): Row => ({
      check: "CKV_AWS_72",
      rule: "sqs-queue-policy-no-wildcard-actions",
      fixture,
      checkov: verdict,
      resources: [
        res("aws:sqs/queuePolicy:QueuePolicy", "test", {
          queueUrl: "https://sqs.us-east-1.amazonaws.com/111122223333/q",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Id: "sqspolicy",
            Statement: [
              {
                Sid: "First",
                Effect: "Allow",
                Principal: principal,
                Action: action,
                Resource: "arn:aws:sqs:us-east-1:111122223333:q",
                Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:example" } },
              },
            ],
          }),
        }),
      ],
    }),
  ),
  // CKV_AWS_168 SQSQueuePolicyAnyPrincipal (example_SQSQueuePolicyAnyPrincipal/main.tf)
  ...(
    [
      ["q1", "*", "Deny", "PASSED"],
      ["q2", { AWS: ["arn:aws:iam::123456789101:role/sqs", "*"] }, "Allow", "FAILED"],
      ["q3", { AWS: "arn:aws:iam::*:role/sqs" }, "Allow", "FAILED"],
      ["q4", { AWS: "*" }, "Allow", "FAILED"],
      ["q5", "*", "Allow", "FAILED"],
      ["q6", "arn:aws:iam::123456789101:role/sqs", "Allow", "PASSED"],
    ] as [string, unknown, string, Verdict][]
  ).map(
    ([fixture, principal, effect, verdict]): Row => ({
      check: "CKV_AWS_168",
      rule: "sqs-queue-policy-not-public",
      fixture,
      checkov: verdict,
      resources: [
        res("aws:sqs/queuePolicy:QueuePolicy", fixture, {
          queueUrl: "https://sqs.us-east-1.amazonaws.com/111122223333/q",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Principal: principal,
                Effect: effect,
                Action: "sqs:SendMessage",
                Resource: "arn:aws:sqs:us-east-1:111122223333:q",
              },
            ],
          }),
        }),
      ],
    }),
  ),
  // CKV_AWS_33 KMSKeyWildcardPrincipal (example_KMSKeyWildcardPrincipal/pass.tf and fail.tf; fail_3 repeats fail_1)
  ...(
    [
      ["pass_0", [kmsAllow({ AWS: "arn:aws:iam::111122223333:root" })], "PASSED"],
      ["pass_1", [{ ...kmsAllow({ AWS: "*" }), Effect: "Deny" }], "PASSED"],
      ["pass_2", [kmsAllow("foo")], "PASSED"],
      ["pass_3", [kmsAllow(["foo", "bar"])], "PASSED"],
      ["fail_0", [kmsAllow({ AWS: "arn:aws:iam::111122223333:root" }), kmsAllow({ AWS: "*" })], "FAILED"],
      ["fail_1", [kmsAllow(["foo", "*"])], "FAILED"],
      ["fail_2", [kmsAllow("*")], "FAILED"],
      [
        "fail_4",
        [
          kmsAllow({ AWS: "arn:aws:iam::111122223333:root" }),
          kmsAllow({ AWS: ["arn:aws:iam::111122223333:root", "*"] }),
        ],
        "FAILED",
      ],
    ] as [string, Record<string, unknown>[], Verdict][]
  ).map(
    ([fixture, statements, verdict]): Row => ({
      check: "CKV_AWS_33",
      rule: "kms-key-policy-not-public",
      fixture,
      checkov: verdict,
      resources: [
        res(KEY, fixture, {
          description: "description",
          policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
        }),
      ],
    }),
  ),
  // CKV_AWS_169 SNSTopicPolicyAnyPrincipal (example_SNSTopicPolicyAnyPrincipal/main.tf)
  ...(
    [
      ["sns_tp1", "*", "Deny", "PASSED"],
      ["sns_tp2", { AWS: ["arn:aws:iam::123456789101:role/sns", "*"] }, "Allow", "FAILED"],
      ["sns_tp3", { AWS: "arn:aws:iam::*:role/sns" }, "Allow", "FAILED"],
      ["sns_tp4", { AWS: "*" }, "Allow", "FAILED"],
      ["sns_tp5", "*", "Allow", "FAILED"],
      ["sns_tp6", "arn:aws:iam::123456789101:role/sns", "Allow", "PASSED"],
    ] as [string, unknown, string, Verdict][]
  ).map(
    ([fixture, principal, effect, verdict]): Row => ({
      check: "CKV_AWS_169",
      rule: "sns-topic-policy-not-public",
      fixture,
      checkov: verdict,
      resources: [
        res("aws:sns/topicPolicy:TopicPolicy", fixture, {
          arn: "arn:aws:sns:us-east-1:111122223333:test",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Principal: principal,
                Effect: effect,
                Action: [
                  "SNS:Subscribe",
                  "SNS:SetTopicAttributes",
                  "SNS:RemovePermission",
                  "SNS:Receive",
                  "SNS:Publish",
                  "SNS:ListSubscriptionsByTopic",
                  "SNS:GetTopicAttributes",
                  "SNS:DeleteTopic",
                  "SNS:AddPermission",
                ],
                Resource: "arn:aws:sns:us-east-1:111122223333:test",
              },
            ],
          }),
        }),
      ],
    }),
  ),
  // CKV_AWS_20 S3PublicACLRead and CKV_AWS_57 S3PublicACLWRITE (test_S3PublicACLRead.py, test_S3PublicACLWrite.py)
  ...(
    [
      ["CKV_AWS_20", "test_failure", "public-read", "FAILED", undefined],
      ["CKV_AWS_20", "test_failure_auth_read", "authenticated-read", "FAILED", undefined],
      ["CKV_AWS_20", "test_success", undefined, "PASSED", undefined],
      ["CKV_AWS_57", "test_failure", "public-read-write", "FAILED", undefined],
      ["CKV_AWS_57", "test_success", "public-read", "PASSED", "FAILED"],
      ["CKV_AWS_57", "test_success2", undefined, "PASSED", undefined],
    ] as [string, string, string | undefined, Verdict, Verdict | undefined][]
  ).map(
    ([check, fixture, acl, verdict, pack]): Row => ({
      check,
      rule: "s3-no-public-acl",
      fixture,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      resources: [
        res("aws:s3/bucket:Bucket", "my_bucket", {
          bucket: "my_bucket",
          ...(acl ? { acl } : {}),
          forceDestroy: true,
          tags: { Name: "my-bucket" },
        }),
      ],
    }),
  ),
  // CKV_AWS_70 S3AllowsAnyPrincipal (example_S3AllowsAnyPrincipal/main.tf; "json" reads a data source)
  ...(
    [
      ["aws_s3_bucket.fail3", { AWS: "*" }, undefined, "FAILED"],
      ["aws_s3_bucket.fail2", { AWS: ["*"] }, undefined, "FAILED"],
      ["aws_s3_bucket.fail", "*", undefined, "FAILED"],
      ["aws_s3_bucket.pass", { AWS: "some_arn" }, undefined, "PASSED"],
      ["aws_s3_bucket.pass2", "*", undefined, "PASSED", "Deny"],
      ["aws_s3_bucket_policy.pass", { AWS: "some_arn" }, undefined, "PASSED"],
      ["aws_s3_bucket_policy.fail", { AWS: "*" }, undefined, "FAILED"],
      [
        "aws_s3_bucket_policy.pass_w_condition",
        { AWS: "*" },
        { ArnNotEquals: { "aws:PrincipalArn": "arn:aws:iam::12345555555555:user/username" } },
        "PASSED",
      ],
      [
        "aws_s3_bucket.pass_w_condition2",
        { AWS: "*" },
        { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::12345555555555:user/username" } },
        "PASSED",
      ],
      [
        "aws_s3_bucket.fail_w_condition",
        { AWS: "*" },
        { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::*" } },
        "FAILED",
      ],
      [
        "aws_s3_bucket_policy.fail_w_condition",
        { AWS: "*" },
        { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::*" } },
        "FAILED",
      ],
      [
        "aws_s3_bucket.pass_w_condition3",
        "*",
        { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::12345555555555:user/username" } },
        "PASSED",
      ],
      [
        "aws_s3_bucket.pass_w_condition4",
        "*",
        { StringEquals: { "aws:sourceVpce": "vpce-123abc456def7890g" } },
        "PASSED",
      ],
      [
        "aws_s3_bucket.pass_w_condition5",
        "*",
        { ArnLike: { "aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/*" } },
        "PASSED",
      ],
    ] as [string, unknown, Record<string, unknown> | undefined, Verdict, string?][]
  ).map(([fixture, principal, condition, verdict, effect]): Row => {
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Action: ["s3:GetObject"],
          Effect: effect ?? "Allow",
          Resource: "arn:aws:s3:::bucket/*",
          Principal: principal,
          ...(condition ? { Condition: condition } : {}),
        },
      ],
    });
    const resource = fixture.startsWith("aws_s3_bucket_policy.")
      ? res("aws:s3/bucketPolicy:BucketPolicy", fixture, { bucket: "bucket", policy })
      : res("aws:s3/bucket:Bucket", fixture, { bucket: "bucket", policy });
    return {
      check: "CKV_AWS_70",
      rule: "s3-no-public-bucket-policy",
      fixture,
      checkov: verdict,
      resources: [resource],
    };
  }),
  // CKV_AWS_387 SQSOverlyPermissive (example_SQSOverlyPermissive/main.tf)
  ...(
    [
      ["fail", "*", "sqs:SendMessage", undefined, "FAILED"],
      ["fail2", "*", "*", undefined, "FAILED"],
      ["pass", { AWS: "arn:aws:iam::123456789012:role/specific-role" }, "sqs:SendMessage", undefined, "PASSED"],
      ["pass_w_condition", "*", "sqs:SendMessage", { StringEquals: { "aws:SourceVpc": "vpc-12345678" } }, "PASSED"],
    ] as [string, unknown, string, Record<string, unknown> | undefined, Verdict][]
  ).map(
    ([fixture, principal, action, condition, verdict]): Row => ({
      check: "CKV_AWS_387",
      rule: "sqs-queue-policy-not-public",
      fixture,
      checkov: verdict,
      resources: [
        res("aws:sqs/queuePolicy:QueuePolicy", fixture, {
          queueUrl: `https://sqs.us-east-1.amazonaws.com/111122223333/${fixture}`,
          policy: JSON.stringify({
            Version: "2012-10-17",
            Id: "AllowAllSendMessage",
            Statement: [
              {
                Effect: "Allow",
                Principal: principal,
                Action: action,
                Resource: `arn:aws:sqs:us-east-1:111122223333:${fixture}`,
                ...(condition ? { Condition: condition } : {}),
              },
            ],
          }),
        }),
      ],
    }),
  ),
  // CKV_AWS_385 SNSCrossAccountAccess (example_SNSCrossAccountAccess/main.tf); the stack's own account
  // 111122223333 is the one trusted account (trustedAccountIds), as the check trusts no other.
  ...(
    [
      ["fail0", [snsAllow({ AWS: ["arn:aws:iam::123456789101:role/sns"] })], "FAILED", undefined],
      ["fail1", [snsFromS3, snsAllow({ AWS: ["arn:aws:iam::123456789101:role/sns"] })], "FAILED", undefined],
      ["pass0", [snsAllow({ AWS: ["*"] })], "PASSED", "FAILED"],
      ["pass1", [snsAllow("*")], "PASSED", "FAILED"],
      [
        "pass2",
        [
          snsFromS3,
          {
            ...snsAllow({ AWS: ["arn:aws:iam::123456789101:role/sns"] }),
            Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::123456789101:role/sns" } },
          },
        ],
        "PASSED",
        "FAILED",
      ],
    ] as [string, Record<string, unknown>[], Verdict, Verdict | undefined][]
  ).map(
    ([fixture, statements, verdict, pack]): Row => ({
      check: "CKV_AWS_385",
      rule: "sns-topic-policy-not-public",
      fixture,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      config: { "sns-topic-policy-not-public": { trustedAccountIds: ["111122223333"] } },
      resources: [
        res("aws:sns/topicPolicy:TopicPolicy", fixture, {
          arn: "arn:aws:sns:us-east-1:111122223333:test",
          policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
        }),
      ],
    }),
  ),
  // CKV_AWS_145 S3KMSEncryptedByDefault (test_S3KMSEncryptedByDefault.py; the bucket's inline configuration)
  ...(
    [
      ["test_failure1", undefined, "FAILED"],
      ["test_failure2", { sseAlgorithm: "AES256" }, "FAILED"],
      [
        "test_success",
        {
          kmsMasterKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          sseAlgorithm: "aws:kms",
        },
        "PASSED",
      ],
    ] as [string, Record<string, unknown> | undefined, Verdict][]
  ).map(
    ([fixture, byDefault, verdict]): Row => ({
      check: "CKV_AWS_145",
      rule: "s3-bucket-encryption-kms-cmk",
      fixture,
      checkov: verdict,
      resources: [
        res("aws:s3/bucket:Bucket", "mybucket", {
          bucket: "mybucket",
          ...(byDefault
            ? { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: byDefault } } }
            : {}),
        }),
      ],
    }),
  ),
  // CKV_AWS_45 LambdaEnvironmentCredentials (test_LambdaEnvironmentCredentials.py; AWS's documented example keys)
  ...(
    [
      ["test_success (foo=bar)", { foo: "bar" }, "PASSED"],
      ["test_success (no environment)", undefined, "PASSED"],
      [
        "test_failure",
        { access_key: "AKIAIOSFODNN7EXAMPLE", secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
        "FAILED",
      ],
    ] as [string, Record<string, string> | undefined, Verdict][]
  ).map(
    ([fixture, variables, verdict]): Row => ({
      check: "CKV_AWS_45",
      rule: "lambda-no-literal-secrets-in-environment",
      fixture,
      checkov: verdict,
      resources: [
        res(LAMBDA, "analysis", {
          code: "resources/lambda_function_payload.zip",
          name: "prefix-analysis",
          role: "arn:aws:iam::111122223333:role/iam_for_lambda",
          handler: "exports.test",
          sourceCodeHash: "hash",
          runtime: "nodejs12.x",
          ...(variables ? { environment: { variables } } : {}),
        }),
      ],
    }),
  ),
  // CKV_AWS_260 SecurityGroupUnrestrictedIngress80 (example_SecurityGroupUnrestrictedIngress80/main.tf); no
  // port is allowed public (allowedPublicPorts: []), as the check forbids port 80.
  ...(
    [
      [
        "aws_security_group.fail",
        "FAILED",
        undefined,
        [sgIngress({ ...tcp80, cidrBlocks: ["192.168.0.0/16", "0.0.0.0/0"] })],
      ],
      [
        "aws_security_group.fail2",
        "FAILED",
        undefined,
        [sgIngress({ ...tcp80, fromPort: 0, toPort: 0, cidrBlocks: ["192.168.0.0/16", "0.0.0.0/0"] })],
      ],
      [
        "aws_security_group.fail3",
        "FAILED",
        undefined,
        [sgIngress({ ...tcp80, ipv6CidrBlocks: ["192.168.0.0/16", "::/0"] })],
      ],
      [
        "aws_security_group.fail4",
        "FAILED",
        undefined,
        [sgIngress({ ...tcp80, securityGroups: ["sg-foo"], cidrBlocks: ["192.168.0.0/16", "0.0.0.0/0"] })],
      ],
      [
        "aws_security_group.fail5",
        "FAILED",
        undefined,
        [
          res(SG, "fail5", {
            description: "SG with inline rules",
            ingress: [
              {
                cidrBlocks: ["0.0.0.0/0"],
                description: "Wide Open",
                fromPort: 0,
                protocol: "-1",
                self: false,
                toPort: 65535,
              },
            ],
          }),
        ],
      ],
      [
        "aws_security_group.pass",
        "PASSED",
        "FAILED",
        [sgIngress({ ...tcp80, fromPort: 222, toPort: 222, cidrBlocks: ["192.168.0.0/16", "0.0.0.0/0"] })],
      ],
      ["aws_security_group.pass2", "PASSED", undefined, [sgIngress({ ...tcp80, securityGroups: ["sg-foo"] })]],
      ["aws_security_group.pass4", "PASSED", undefined, [sgIngress({ ...tcp80, cidrBlocks: ["192.168.0.0/16"] })]],
      [
        "aws_security_group.pass5",
        "PASSED",
        undefined,
        [sgIngress({ ...tcp80, securityGroups: ["sg-foo"], cidrBlocks: ["192.168.0.0/16"] })],
      ],
      [
        "aws_security_group.pass6",
        "PASSED",
        undefined,
        [res(SG, "pass6", { name: "sg-bar", vpcId: "vpc-123", egress: allEgress })],
      ],
      ["aws_security_group.pass7", "PASSED", undefined, [res(SG, "pass7", { name: "sg-bar", vpcId: "vpc-123" })]],
      [
        "aws_security_group_rule.fail",
        "FAILED",
        undefined,
        [res(SG_RULE, "fail", { ...rule80, type: "ingress", cidrBlocks: ["192.168.0.0/16", "0.0.0.0/0"] })],
      ],
      [
        "aws_security_group_rule.pass",
        "PASSED",
        undefined,
        [res(SG_RULE, "pass", { ...rule80, type: "ingress", cidrBlocks: ["192.168.0.0/16"] })],
      ],
      [
        "aws_security_group_rule.unknown",
        "UNKNOWN",
        undefined,
        [res(SG_RULE, "unknown", { ...rule80, type: "egress", cidrBlocks: ["0.0.0.0/0"] })],
      ],
      [
        "aws_security_group_rule.pass2",
        "PASSED",
        undefined,
        [res(SG_RULE, "pass2", { ...rule80, type: "ingress", sourceSecurityGroupId: "sg-123456" })],
      ],
      [
        "aws_security_group_rule.pass3",
        "PASSED",
        "FAILED",
        [res(SG_RULE, "pass3", { ...rule80, type: "ingress", fromPort: 222, toPort: 222, cidrBlocks: ["0.0.0.0/0"] })],
      ],
      [
        "aws_vpc_security_group_ingress_rule.fail",
        "FAILED",
        undefined,
        [res(INGRESS, "fail", { ...vpcRule80, cidrIpv4: "0.0.0.0/0" })],
      ],
      ["aws_vpc_security_group_ingress_rule.fail2", "FAILED", "PASSED", [res(INGRESS, "fail2", vpcRule80)]],
      [
        "aws_vpc_security_group_ingress_rule.pass",
        "PASSED",
        undefined,
        [res(INGRESS, "pass", { ...vpcRule80, cidrIpv4: "10.0.0.0/8" })],
      ],
    ] as [string, Verdict, Verdict | undefined, TestResource[]][]
  ).map(
    ([fixture, verdict, pack, resources]): Row => ({
      check: "CKV_AWS_260",
      rule: "ec2-no-open-ingress-except-allowed-ports",
      fixture,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      config: { "ec2-no-open-ingress-except-allowed-ports": { allowedPublicPorts: [] } },
      resources,
    }),
  ),
  // CKV_AWS_277 SecurityGroupUnrestrictedIngressAny (example_SecurityGroupUnrestrictedIngressAny/main.tf; the
  // check does not evaluate its aws_vpc_security_group_ingress_rule fixtures)
  ...(
    [
      [
        "aws_security_group.pass",
        "PASSED",
        res(SG, "pass", {
          name: "example",
          vpcId: "vpc-example",
          ingress: [
            { cidrBlocks: ["0.0.0.0/0"], fromPort: 80, toPort: 80, protocol: "tcp" },
            { cidrBlocks: ["0.0.0.0/0"], fromPort: 443, toPort: 443, protocol: "tcp" },
          ],
          egress: allEgress,
        }),
      ],
      [
        "aws_security_group_rule.pass",
        "PASSED",
        res(SG_RULE, "pass", {
          cidrBlocks: ["0.0.0.0/0"],
          fromPort: 80,
          toPort: 80,
          protocol: "tcp",
          securityGroupId: "sg-12345",
          type: "ingress",
        }),
      ],
      [
        "aws_security_group.fail",
        "FAILED",
        res(SG, "fail", {
          name: "allow-all-ingress",
          description: "unfettered access",
          vpcId: "test_vpc",
          ingress: [
            {
              fromPort: -1,
              toPort: -1,
              protocol: "tcp",
              cidrBlocks: ["0.0.0.0/0"],
              description: "Test unfettered access",
            },
          ],
        }),
      ],
      [
        "aws_security_group_rule.fail",
        "FAILED",
        res(SG_RULE, "fail", {
          cidrBlocks: ["0.0.0.0/0"],
          fromPort: -1,
          toPort: -1,
          protocol: "tcp",
          securityGroupId: "sg-12345",
          description: "Test unfettered access",
          type: "ingress",
        }),
      ],
    ] as [string, Verdict, TestResource][]
  ).map(
    ([fixture, verdict, resource]): Row => ({
      check: "CKV_AWS_277",
      rule: "ec2-no-open-ingress-except-allowed-ports",
      fixture,
      checkov: verdict,
      resources: [resource],
    }),
  ),
  // CKV_AWS_227 KMSKeyIsEnabled (example_KMSKeyIsEnabled/main.tf)
  ...(
    [
      ["fail", false, "FAILED"],
      ["pass", true, "PASSED"],
      ["pass2", undefined, "PASSED"],
    ] as [string, boolean | undefined, Verdict][]
  ).map(
    ([fixture, isEnabled, verdict]): Row => ({
      check: "CKV_AWS_227",
      rule: "kms-key-enabled",
      fixture,
      checkov: verdict,
      resources: [
        res(KEY, fixture, {
          description: "description",
          ...(isEnabled === undefined ? {} : { isEnabled }),
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [kmsAllow({ AWS: "arn:aws:iam::111122223333:root" }), kmsAllow({ AWS: "*" })],
          }),
          tags: { test: "Fail" },
        }),
      ],
    }),
  ),
  // CKV_AWS_173 LambdaEnvironmentEncryptionSettings (example_LambdaEnvironmentEncryptionSettings/main.tf;
  // "ignore" and "failasempty" are in neither of the test's sets)
  ...(
    [
      ["fail", true, undefined, "FAILED", undefined],
      ["failkmsnovars", false, "arn:aws:kms:us-east-1:111122223333:key/anyoldguff", "FAILED", "PASSED"],
      ["ignore", false, undefined, "UNKNOWN", undefined],
      ["pass", true, "arn:aws:kms:us-east-1:111122223333:key/anyoldguff", "PASSED", undefined],
      ["failasempty", false, "", "UNKNOWN", undefined],
    ] as [string, boolean, string | undefined, Verdict, Verdict | undefined][]
  ).map(
    ([fixture, vars, kmsKeyArn, verdict, pack]): Row => ({
      check: "CKV_AWS_173",
      rule: "lambda-environment-cmk",
      fixture,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      resources: [
        res(LAMBDA, fixture, {
          name: "messageprocessor",
          role: "arn:aws:iam::111122223333:role/lambda-messageprocessor",
          runtime: "python3.6",
          handler: "handler.lambda_handler",
          code: "notify.zip",
          sourceCodeHash: "hash",
          reservedConcurrentExecutions: UNKNOWN_NUMBER,
          tracingConfig: { mode: "PassThrough" },
          ...(vars ? { environment: { variables: { test: "true" } } } : {}),
          ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
        }),
      ],
    }),
  ),
  // CKV_AWS_117 LambdaInVPC (test_LambdaInVPC.py)
  ...(
    [
      ["test_failure", undefined, "FAILED", undefined],
      ["test_success", { subnetIds: ["subnet-for-lambda"], securityGroupIds: ["sg-for-lambda"] }, "PASSED", "FAILED"],
    ] as [string, Record<string, unknown> | undefined, Verdict, Verdict | undefined][]
  ).map(
    ([fixture, vpcConfig, verdict, pack]): Row => ({
      check: "CKV_AWS_117",
      rule: "lambda-in-vpc-multi-az",
      fixture,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      resources: [
        res(LAMBDA, "test_lambda", {
          code: "lambda_function_payload.zip",
          name: "lambda_function_name",
          role: "arn:aws:iam::111122223333:role/iam_for_lambda",
          handler: "exports.test",
          sourceCodeHash: "hash",
          runtime: "nodejs12.x",
          ...(vpcConfig ? { vpcConfig } : {}),
          environment: { variables: { foo: "bar" } },
        }),
      ],
    }),
  ),
  // CKV_AWS_23 SecurityGroupRuleDescription (test_SecurityGroupRuleDescription.py)
  ...(
    [
      ["test_failure", undefined, true, "FAILED", undefined],
      ["test_sucess_sg_desc", "sg_desc", true, "PASSED", "FAILED"],
      ["test_success", undefined, false, "PASSED", "FAILED"],
    ] as [string, string | undefined, boolean, Verdict, Verdict | undefined][]
  ).map(
    ([fixture, description, undescribedEgress, verdict, pack]): Row => ({
      check: "CKV_AWS_23",
      rule: "ec2-security-group-descriptions",
      fixture,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      resources: [
        res(SG, "example_sg", {
          ...(description ? { description } : {}),
          egress: [
            {
              description: "Allow outgoing communication",
              cidrBlocks: ["0.0.0.0/0"],
              fromPort: 0,
              protocol: "-1",
              self: false,
              toPort: 0,
            },
            ...(undescribedEgress
              ? [{ cidrBlocks: ["10.0.0.0/0"], fromPort: 0, protocol: "-1", self: false, toPort: 0 }]
              : []),
          ],
          ingress: [{ description: "Self Reference", fromPort: 0, protocol: "-1", self: true, toPort: 0 }],
          name: "example-lambda",
          tags: { Name: "example-sg" },
          vpcId: "vpc-123",
        }),
      ],
    }),
  ),
  // CKV_AWS_21 S3Versioning (test_S3Versioning.py; the key_n cases put `enabled` where the provider ignores it)
  ...(
    [
      ["test_failure_default", {}, "FAILED"],
      ["test_failure_key_0", { enabled: true }, "FAILED"],
      ["test_failure_key_1", { wrongField: { enabled: true } }, "FAILED"],
      ["test_failure_key_2", { wrongField: { versioning: { enabled: true } } }, "FAILED"],
      [
        "test_success",
        { logging: { targetBucket: "logging-bucket", targetPrefix: "log/" }, versioning: { enabled: true } },
        "PASSED",
      ],
    ] as [string, Record<string, unknown>, Verdict][]
  ).map(
    ([fixture, extra, verdict]): Row => ({
      check: "CKV_AWS_21",
      rule: "s3-bucket-versioning",
      fixture,
      checkov: verdict,
      resources: [
        res("aws:s3/bucket:Bucket", "my_bucket", {
          bucket: "my_bucket",
          acl: "public-read",
          forceDestroy: true,
          tags: { Name: "my-bucket" },
          ...extra,
        }),
      ],
    }),
  ),
  // CKV_AWS_18 S3AccessLogs (test_S3AccessLogs.py)
  ...(
    [
      ["test_failure_s3_accesslogs", {}, "FAILED"],
      ["test_success_s3_accesslogs", { logging: { targetBucket: "logging-bucket", targetPrefix: "log/" } }, "PASSED"],
    ] as [string, Record<string, unknown>, Verdict][]
  ).map(
    ([fixture, extra, verdict]): Row => ({
      check: "CKV_AWS_18",
      rule: "s3-bucket-access-logging",
      fixture,
      checkov: verdict,
      resources: [
        res("aws:s3/bucket:Bucket", "my_bucket", {
          bucket: "my_bucket",
          acl: "public-read",
          forceDestroy: true,
          tags: { Name: "my-bucket" },
          ...extra,
        }),
      ],
    }),
  ),
  // CKV_AWS_304 SecretManagerSecret90days (example_SecretManagerSecret90days/main.tf): fewer than 90 days,
  // maximumRotationDays 89; each rotation is paired with the secret it rotates.
  ...(
    [
      ["pass", { automaticallyAfterDays: 30 }, "PASSED"],
      ["fail", { automaticallyAfterDays: 90 }, "FAILED"],
      ["fail_2", { automaticallyAfterDays: UNKNOWN_NUMBER }, "UNKNOWN"],
      ["pass_scheduled_hours", { scheduleExpression: "rate(4 hours)" }, "PASSED"],
      ["pass_scheduled_days", { scheduleExpression: "rate(89 days)" }, "PASSED"],
      ["fail_scheduled_days", { scheduleExpression: "rate(180 days)" }, "FAILED"],
      ["pass_scheduled_cron", { scheduleExpression: "cron(0 12 * * ? *)" }, "PASSED"],
    ] as [string, Record<string, unknown>, Verdict][]
  ).map(
    ([fixture, rotationRules, verdict]): Row => ({
      check: "CKV_AWS_304",
      rule: "secretsmanager-rotation",
      fixture,
      checkov: verdict,
      config: { "secretsmanager-rotation": { maximumRotationDays: 89 } },
      resources: [
        res("aws:secretsmanager/secret:Secret", "example", { name: "example", kmsKeyId: "arn:kuku:kisi" }),
        res("aws:secretsmanager/secretRotation:SecretRotation", fixture, {
          secretId: "example",
          rotationLambdaArn: "arn:aws:lambda:us-east-1:111122223333:function:example",
          rotationRules,
        }),
      ],
    }),
  ),
  // CKV_AWS_375 S3GlobalViewACL (example_S3GlobalViewACL/main.tf)
  ...(
    [
      [
        "fail",
        [
          ["AllUsers", "FULL_CONTROL"],
          ["AllUsers", "READ_ACP"],
        ],
        "FAILED",
        undefined,
      ],
      [
        "fail2",
        [
          ["Other", "FULL_CONTROL"],
          ["AllUsers", "READ_ACP"],
        ],
        "FAILED",
        undefined,
      ],
      [
        "pass",
        [
          ["Other", "FULL_CONTROL"],
          ["Other", "READ_ACP"],
        ],
        "PASSED",
        undefined,
      ],
      [
        "pass2",
        [
          ["AllUsers", "READ"],
          ["AllUsers", "READ"],
        ],
        "PASSED",
        "FAILED",
      ],
    ] as [string, [string, string][], Verdict, Verdict | undefined][]
  ).map(
    ([fixture, grants, verdict, pack]): Row => ({
      check: "CKV_AWS_375",
      rule: "s3-no-public-acl",
      fixture,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      resources: [
        res("aws:s3/bucketAcl:BucketAcl", fixture, {
          bucket: "example",
          accessControlPolicy: {
            grants: grants.map(([group, permission]) => ({
              grantee: { type: "Group", uri: `http://acs.amazonaws.com/groups/global/${group}` },
              permission,
            })),
            owner: { id: "owner-canonical-id" },
          },
        }),
      ],
    }),
  ),
];

const rows: Row[] = [
  ...firstRows,
  ...s3AccessRows,
  ...s3DataRows,
  ...elasticacheRows,
  ...platformRows,
  ...keysRows,
  ...clustersAndTasksRows,
];

describe("Checkov parity: the cited checks' own fixtures", () => {
  for (const row of rows) {
    const expected = row.pack ?? row.checkov;
    it(`${row.check} ${row.fixture}: Checkov ${row.checkov}, ${row.rule} ${expected}`, async () => {
      const rule = allPolicies.find((p) => p.name === row.rule);
      expect(rule, row.rule).to.not.equal(undefined);
      expect(rule!.references.checkov, `${row.rule} cites ${row.check}`).to.include(row.check);
      if (row.pack !== undefined && row.pack !== row.checkov)
        expect(rule!.description, `${row.rule} states its difference`).to.include(`unlike ${row.check}`);
      const mine = of(await evaluate(row.resources, row.config), row.rule);
      if (expected === "FAILED") expect(mine, "violations").to.not.be.empty;
      else expect(mine.map((v) => v.message)).to.deep.equal([]);
    });
  }

  it("has fixture rows for every cited check, and cites every check it has rows for", () => {
    const cited = new Set(allPolicies.flatMap((p) => p.references.checkov));
    const covered = new Set(rows.map((r) => r.check));
    for (const id of covered) expect(cited.has(id), `${id} is cited`).to.equal(true);
    expect([...cited].filter((id) => !covered.has(id)).sort(), "cited checks without fixture rows").to.deep.equal([]);
  });

  it("has both of Checkov's verdicts for every check whose fixtures hold both", () => {
    const verdicts = new Map<string, Set<Verdict>>();
    for (const r of rows) verdicts.set(r.check, (verdicts.get(r.check) ?? new Set()).add(r.checkov));
    const oneSided = [...verdicts].filter(([, v]) => !(v.has("PASSED") && v.has("FAILED"))).map(([id]) => id);
    expect(oneSided.sort()).to.deep.equal([]);
  });
});
