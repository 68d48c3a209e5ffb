import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from "@aws-sdk/client-cloudtrail";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
} from "@aws-sdk/client-ecs";
import {
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  DescribeServerlessCachesCommand,
  DescribeUserGroupsCommand,
  DescribeUsersCommand,
  ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from "@aws-sdk/client-guardduty";
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBParametersCommand,
  RDSClient,
} from "@aws-sdk/client-rds";
import { GetBucketPolicyCommand, GetPublicAccessBlockCommand, ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { DescribeHubCommand, GetEnabledStandardsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { GUARDDUTY_REQUIRED_FEATURES } from "../../../policy-pack/lib/judgements";

const ACCOUNT_ID = "317805897534";
const FULL_BLOCK = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
/** The TLS-only bucket policy HardenedBucket attaches. */
export const TLS_ONLY_POLICY = (bucket: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
const FSBP = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0";

/** Mocks of every client the audit uses (prototype-level: the audit's own client instances answer from them). */
export function accountMocks() {
  return {
    sts: mockClient(STSClient),
    elasticache: mockClient(ElastiCacheClient),
    rds: mockClient(RDSClient),
    s3: mockClient(S3Client),
    s3control: mockClient(S3ControlClient),
    cloudtrail: mockClient(CloudTrailClient),
    guardduty: mockClient(GuardDutyClient),
    securityhub: mockClient(SecurityHubClient),
    ecs: mockClient(ECSClient),
    logs: mockClient(CloudWatchLogsClient),
  };
}

export type AccountMocks = ReturnType<typeof accountMocks>;

/** Answers of a clean account in us-east-1: every check passes. Tests then spoil one answer. */
export function cleanAccount(m: AccountMocks): void {
  for (const mock of Object.values(m)) mock.reset();
  m.sts.on(GetCallerIdentityCommand).resolves({
    Account: ACCOUNT_ID,
    Arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/huntaze-audit/ci`,
    UserId: "AROAEXAMPLE:ci",
  });
  m.elasticache
    .on(DescribeReplicationGroupsCommand)
    .resolves({
      ReplicationGroups: [
        {
          ReplicationGroupId: "huntaze-production-redis",
          ARN: `arn:aws:elasticache:us-east-1:${ACCOUNT_ID}:replicationgroup:huntaze-production-redis`,
          Engine: "redis",
          AtRestEncryptionEnabled: true,
          KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/abc`,
          TransitEncryptionEnabled: true,
          TransitEncryptionMode: "required",
          AuthTokenEnabled: true,
        },
      ],
    })
    .on(DescribeCacheClustersCommand)
    .resolves({ CacheClusters: [] })
    .on(DescribeServerlessCachesCommand)
    .resolves({
      ServerlessCaches: [
        {
          ServerlessCacheName: "huntaze-sessions",
          ARN: `arn:aws:elasticache:us-east-1:${ACCOUNT_ID}:serverlesscache:huntaze-sessions`,
          Engine: "valkey",
          Status: "available",
          KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/abc`,
          StorageEncryptionType: "sse-kms",
          UserGroupId: "huntaze-users",
          SecurityGroupIds: ["sg-0123456789abcdef0"],
          SnapshotRetentionLimit: 7,
        },
      ],
    })
    .on(DescribeUserGroupsCommand)
    .resolves({ UserGroups: [{ UserGroupId: "huntaze-users", UserIds: ["huntaze-default-off", "huntaze-app"] }] })
    .on(DescribeUsersCommand)
    .resolves({
      Users: [
        {
          UserId: "huntaze-default-off",
          UserName: "default",
          AccessString: "off -@all",
          Authentication: { Type: "no-password" },
        },
        {
          UserId: "huntaze-app",
          UserName: "app",
          AccessString: "on ~app:* +@all",
          Authentication: { Type: "password", PasswordCount: 1 },
        },
      ],
    });
  m.rds
    .on(DescribeDBInstancesCommand)
    .resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: "huntaze-db",
          DBInstanceArn: `arn:aws:rds:us-east-1:${ACCOUNT_ID}:db:huntaze-db`,
          Engine: "postgres",
          EngineVersion: "16.3",
          DBParameterGroups: [{ DBParameterGroupName: "default.postgres16", ParameterApplyStatus: "in-sync" }],
        },
        {
          DBInstanceIdentifier: "huntaze-legacy-mysql",
          DBInstanceArn: `arn:aws:rds:us-east-1:${ACCOUNT_ID}:db:huntaze-legacy-mysql`,
          Engine: "mysql",
          EngineVersion: "8.0.39",
          DBParameterGroups: [{ DBParameterGroupName: "huntaze-mysql80", ParameterApplyStatus: "in-sync" }],
        },
      ],
    })
    .on(DescribeDBClustersCommand)
    .resolves({ DBClusters: [] })
    .on(DescribeDBParametersCommand)
    .resolves({ Parameters: [] })
    .on(DescribeDBParametersCommand, { DBParameterGroupName: "huntaze-mysql80" })
    .resolves({ Parameters: [{ ParameterName: "require_secure_transport", ParameterValue: "1" }] });
  m.s3control.on(GetAccountPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: FULL_BLOCK });
  m.s3
    .on(ListBucketsCommand)
    .resolves({ Buckets: [{ Name: "huntaze-production-audit-logs", BucketRegion: "us-east-1" }] })
    .on(GetPublicAccessBlockCommand)
    .resolves({ PublicAccessBlockConfiguration: FULL_BLOCK })
    .on(GetBucketPolicyCommand)
    .resolves({ Policy: TLS_ONLY_POLICY("huntaze-production-audit-logs") });
  m.cloudtrail
    .on(DescribeTrailsCommand)
    .resolves({
      trailList: [
        {
          Name: "huntaze-trail",
          TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT_ID}:trail/huntaze-trail`,
          HomeRegion: "us-east-1",
          IsMultiRegionTrail: true,
          LogFileValidationEnabled: true,
          KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/abc`,
        },
      ],
    })
    .on(GetTrailStatusCommand)
    .resolves({ IsLogging: true })
    .on(GetEventSelectorsCommand)
    .resolves({
      TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT_ID}:trail/huntaze-trail`,
      EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [] }],
    });
  m.guardduty
    .on(ListDetectorsCommand)
    .resolves({ DetectorIds: ["d1"] })
    .on(GetDetectorCommand)
    .resolves({
      Status: "ENABLED",
      Features: GUARDDUTY_REQUIRED_FEATURES.map((Name) => ({ Name, Status: "ENABLED" })),
    });
  m.securityhub
    .on(DescribeHubCommand)
    .resolves({ HubArn: `arn:aws:securityhub:us-east-1:${ACCOUNT_ID}:hub/default` })
    .on(GetEnabledStandardsCommand)
    .resolves({
      StandardsSubscriptions: [
        {
          StandardsSubscriptionArn: `arn:aws:securityhub:us-east-1:${ACCOUNT_ID}:subscription/aws-foundational-security-best-practices/v/1.0.0`,
          StandardsArn: FSBP,
          StandardsInput: {},
          StandardsStatus: "READY",
        },
      ],
    });
  m.ecs
    .on(ListClustersCommand)
    .resolves({ clusterArns: [`arn:aws:ecs:us-east-1:${ACCOUNT_ID}:cluster/huntaze-production`] })
    .on(ListServicesCommand)
    .resolves({ serviceArns: [`arn:aws:ecs:us-east-1:${ACCOUNT_ID}:service/huntaze-production/api`] })
    .on(DescribeServicesCommand)
    .resolves({
      services: [
        {
          serviceArn: `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:service/huntaze-production/api`,
          status: "ACTIVE",
          desiredCount: 2,
          runningCount: 2,
          taskDefinition: `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:task-definition/api:7`,
        },
      ],
    })
    .on(ListTaskDefinitionsCommand)
    .resolves({ taskDefinitionArns: [`arn:aws:ecs:us-east-1:${ACCOUNT_ID}:task-definition/api:7`] })
    .on(DescribeTaskDefinitionCommand)
    .resolves({
      taskDefinition: {
        taskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:task-definition/api:7`,
        taskRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/api-task`,
        executionRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/api-execution`,
        containerDefinitions: [{ name: "api", environment: [{ name: "NODE_ENV", value: "production" }] }],
      },
    });
  m.logs.on(DescribeLogGroupsCommand).resolves({
    logGroups: [
      {
        logGroupName: "/ecs/api",
        logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:/ecs/api`,
        retentionInDays: 400,
      },
    ],
  });
}

/** An error as the SDK raises it for an AWS error answer: `name` is the error code. */
export function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  Object.assign(error, { $fault: "client", $metadata: { httpStatusCode: 400 } });
  return error;
}
