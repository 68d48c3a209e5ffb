// Hand-built facts of a clean account (every check passes), with factories to spoil one thing.

import type { Statement } from "../../../policy-pack/lib/policy-document";
import type {
  AccountFacts,
  BucketFacts,
  CacheFacts,
  CacheUserGroupFacts,
  DetectorFacts,
  EcsServiceFacts,
  LogGroupFacts,
  RdsInstanceFacts,
  RegionFacts,
  ServerlessCacheFacts,
  TrailFacts,
} from "../../../tools/audit/facts";

export const ACCOUNT = "317805897534";
export const REGION = "us-east-1";
export const CMK = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const FSBP_ARN = `arn:aws:securityhub:${REGION}::standards/aws-foundational-security-best-practices/v/1.0.0`;

export const cache = (o: Partial<CacheFacts> = {}): CacheFacts => ({
  kind: "replication-group",
  id: "huntaze-production-redis",
  arn: `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:huntaze-production-redis`,
  region: REGION,
  engine: "redis",
  atRestEncryption: true,
  kmsKeyId: CMK,
  transitEncryption: true,
  transitEncryptionMode: "required",
  authTokenEnabled: true,
  userGroupIds: [],
  ...o,
});

export const serverlessCache = (o: Partial<ServerlessCacheFacts> = {}): ServerlessCacheFacts => ({
  name: "huntaze-sessions",
  arn: `arn:aws:elasticache:${REGION}:${ACCOUNT}:serverlesscache:huntaze-sessions`,
  region: REGION,
  engine: "valkey",
  status: "available",
  kmsKeyId: CMK,
  storageEncryptionType: "sse-kms",
  userGroupId: "huntaze-users",
  securityGroupIds: ["sg-0123456789abcdef0"],
  snapshotRetentionLimit: 7,
  ...o,
});

export const rdsInstance = (
  o: Partial<Omit<RdsInstanceFacts, "parameterGroup">> & {
    parameterGroup?: Partial<RdsInstanceFacts["parameterGroup"]>;
  } = {},
): RdsInstanceFacts => ({
  id: "huntaze-db",
  arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:huntaze-db`,
  region: REGION,
  engine: "postgres",
  engineVersion: "14.12",
  ...o,
  parameterGroup: {
    name: "huntaze-postgres14",
    kind: "instance",
    isDefault: false,
    parameter: "rds.force_ssl",
    value: "1",
    ...o.parameterGroup,
  },
});

/** The TLS-only statement HardenedBucket attaches (components/policy-statements.ts), parsed. */
export const DENY_NON_TLS: Statement = {
  effect: "Deny",
  principals: ["*"],
  actions: ["s3:*"],
  resources: ["arn:aws:s3:::huntaze-production-audit-logs", "arn:aws:s3:::huntaze-production-audit-logs/*"],
  conditions: { Bool: { "aws:securetransport": ["false"] } },
};

export const mysqlInstance = (value: string | undefined = "1"): RdsInstanceFacts =>
  rdsInstance({
    id: "huntaze-legacy-mysql",
    arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:huntaze-legacy-mysql`,
    engine: "mysql",
    engineVersion: "8.0.39",
    parameterGroup: { name: "huntaze-mysql80", parameter: "require_secure_transport", value },
  });

export const bucket = (o: Partial<BucketFacts> = {}): BucketFacts => ({
  name: "huntaze-production-audit-logs",
  arn: "arn:aws:s3:::huntaze-production-audit-logs",
  region: REGION,
  block: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  policy: [DENY_NON_TLS],
  ...o,
});

/** A user group whose `default` user is disabled and whose app user needs a password. */
export const userGroup = (o: Partial<CacheUserGroupFacts> = {}): CacheUserGroupFacts => ({
  id: "huntaze-users",
  users: [
    {
      id: "huntaze-default-off",
      name: "default",
      status: "active",
      accessString: "off -@all",
      authenticationType: "no-password",
    },
    {
      id: "huntaze-app",
      name: "app",
      status: "active",
      accessString: "on ~app:* +@all",
      authenticationType: "password",
    },
  ],
  missingUserIds: [],
  ...o,
});

export const trail = (o: Partial<TrailFacts> = {}): TrailFacts => ({
  name: "huntaze-trail",
  arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/huntaze-trail`,
  homeRegion: REGION,
  multiRegion: true,
  logFileValidation: true,
  kmsKeyId: CMK,
  logging: true,
  eventSelectors: { kind: "classic", selectors: [{ readWriteType: "All", includeManagementEvents: true }] },
  ...o,
});

export const detector = (o: Partial<DetectorFacts> = {}): DetectorFacts => ({
  id: "12abc34d567e8fa901bc2d34e56789f0",
  arn: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/12abc34d567e8fa901bc2d34e56789f0`,
  region: REGION,
  status: "ENABLED",
  features: [
    { name: "S3_DATA_EVENTS", status: "ENABLED" },
    { name: "EBS_MALWARE_PROTECTION", status: "ENABLED" },
    { name: "RDS_LOGIN_EVENTS", status: "ENABLED" },
    { name: "LAMBDA_NETWORK_LOGS", status: "ENABLED" },
    { name: "RUNTIME_MONITORING", status: "ENABLED" },
    { name: "EKS_AUDIT_LOGS", status: "DISABLED" },
  ],
  ...o,
});

export const service = (
  o: Partial<Omit<EcsServiceFacts, "taskDefinition">> & {
    taskDefinition?: Partial<EcsServiceFacts["taskDefinition"]>;
  } = {},
): EcsServiceFacts => ({
  arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/huntaze-production/api`,
  cluster: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/huntaze-production`,
  region: REGION,
  ...o,
  taskDefinition: {
    arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/api:7`,
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/huntaze-api-task`,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/huntaze-api-execution`,
    containers: [{ name: "api", environment: [{ name: "NODE_ENV", value: "production" }] }],
    ...o.taskDefinition,
  },
});

export const logGroup = (o: Partial<LogGroupFacts> = {}): LogGroupFacts => ({
  name: "/aws/lambda/huntaze-production-rate-limiter",
  arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/huntaze-production-rate-limiter`,
  region: REGION,
  retentionInDays: 400,
  ...o,
});

export const region = (o: Partial<RegionFacts> = {}): RegionFacts => ({
  region: REGION,
  caches: [cache()],
  serverlessCaches: [serverlessCache()],
  cacheUserGroups: [userGroup()],
  rdsInstances: [rdsInstance(), mysqlInstance()],
  detectors: [detector()],
  securityHub: {
    region: REGION,
    hubArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:hub/default`,
    standards: [{ arn: FSBP_ARN, status: "READY" }],
  },
  ecsServices: [service()],
  ecsTaskDefinitions: [service().taskDefinition],
  logGroups: [logGroup()],
  ...o,
});

export const account = (o: Partial<AccountFacts> = {}): AccountFacts => ({
  accountId: ACCOUNT,
  partition: "aws",
  regions: [region()],
  s3: { accountBlock: bucket().block, buckets: [bucket()] },
  trails: [trail()],
  unreadable: [],
  ...o,
});
