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
  DescribeDBClusterParametersCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBParametersCommand,
  RDSClient,
} from "@aws-sdk/client-rds";
import {
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { DescribeHubCommand, GetEnabledStandardsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { collectTrails } from "../../../tools/audit/collect/cloudtrail";
import { collectEcs } from "../../../tools/audit/collect/ecs";
import { collectCaches } from "../../../tools/audit/collect/elasticache";
import {
  collectServerlessCaches,
  ELASTICACHE_SERVERLESS_CHECKS,
} from "../../../tools/audit/collect/elasticache-serverless";
import { collectCacheUserGroups } from "../../../tools/audit/collect/elasticache-users";
import { collectDetectors } from "../../../tools/audit/collect/guardduty";
import { collectLogGroups } from "../../../tools/audit/collect/logs";
import { collectRdsInstances } from "../../../tools/audit/collect/rds";
import { collectS3 } from "../../../tools/audit/collect/s3";
import { collectSecurityHub } from "../../../tools/audit/collect/securityhub";
import { awsError, TLS_ONLY_POLICY } from "./aws-mock";
import { ACCOUNT, FSBP_ARN, REGION } from "./facts";

// Responses are shaped like the real API (field names and nesting from the SDK's output types);
// `Marker` / `NextToken` make the paginators ask for a second page.

const client = <C>(ctor: new (config: { region: string }) => C, region = REGION) => new ctor({ region });

// The stubs replace the clients' `send` for the whole process: installed in `before`, not when the
// file loads, so no other file's real clients (moto's tests seed through them) are stubbed meanwhile.
const installMocks = () =>
  [
    mockClient(ElastiCacheClient),
    mockClient(RDSClient),
    mockClient(S3Client),
    mockClient(S3ControlClient),
    mockClient(CloudTrailClient),
    mockClient(GuardDutyClient),
    mockClient(SecurityHubClient),
    mockClient(ECSClient),
    mockClient(CloudWatchLogsClient),
  ] as const;
type Mocks = ReturnType<typeof installMocks>;

describe("audit collectors (aws-sdk-client-mock)", () => {
  let mocks: Mocks;
  let elasticache: Mocks[0];
  let rds: Mocks[1];
  let s3: Mocks[2];
  let s3control: Mocks[3];
  let cloudtrail: Mocks[4];
  let guardduty: Mocks[5];
  let securityhub: Mocks[6];
  let ecs: Mocks[7];
  let logs: Mocks[8];
  before(() => {
    mocks = installMocks();
    [elasticache, rds, s3, s3control, cloudtrail, guardduty, securityhub, ecs, logs] = mocks;
  });
  beforeEach(() => {
    for (const m of mocks) m.reset();
  });
  after(() => {
    for (const m of mocks) m.restore();
  });

  describe("ElastiCache", () => {
    it("reads every page of replication groups, and standalone clusters only", async () => {
      elasticache
        .on(DescribeReplicationGroupsCommand, { Marker: undefined })
        .resolves({
          Marker: "page-2",
          ReplicationGroups: [
            {
              ReplicationGroupId: "huntaze-production-redis",
              ARN: "arn:aws:elasticache:us-east-1:317805897534:replicationgroup:huntaze-production-redis",
              Engine: "redis",
              AtRestEncryptionEnabled: true,
              KmsKeyId: "arn:aws:kms:us-east-1:317805897534:key/abc",
              TransitEncryptionEnabled: true,
              TransitEncryptionMode: "required",
              AuthTokenEnabled: true,
              MemberClusters: ["huntaze-production-redis-001"],
            },
          ],
        })
        .on(DescribeReplicationGroupsCommand, { Marker: "page-2" })
        .resolves({
          ReplicationGroups: [
            {
              ReplicationGroupId: "huntaze-staging-redis",
              ARN: "arn:aws:elasticache:us-east-1:317805897534:replicationgroup:huntaze-staging-redis",
              AtRestEncryptionEnabled: false,
              TransitEncryptionEnabled: true,
              TransitEncryptionMode: "preferred",
              AuthTokenEnabled: false,
              UserGroupIds: ["huntaze-users"],
            },
          ],
        })
        .on(DescribeCacheClustersCommand)
        .resolves({
          CacheClusters: [
            {
              CacheClusterId: "huntaze-production-redis-001",
              ReplicationGroupId: "huntaze-production-redis",
              Engine: "redis",
            },
            {
              CacheClusterId: "huntaze-redis-production",
              ARN: "arn:aws:elasticache:us-east-1:317805897534:cluster:huntaze-redis-production",
              Engine: "redis",
              AtRestEncryptionEnabled: false,
              TransitEncryptionEnabled: false,
              AuthTokenEnabled: false,
            },
          ],
        });
      const { facts, unreadable } = await collectCaches(client(ElastiCacheClient), REGION);
      expect(unreadable).to.deep.equal([]);
      expect(facts!.map((c) => [c.kind, c.id, c.transitEncryptionMode, c.userGroupIds])).to.deep.equal([
        ["replication-group", "huntaze-production-redis", "required", []],
        ["replication-group", "huntaze-staging-redis", "preferred", ["huntaze-users"]],
        ["cache-cluster", "huntaze-redis-production", undefined, []],
      ]);
      expect(elasticache.commandCalls(DescribeReplicationGroupsCommand)).to.have.length(2);
    });

    it("an API error is 'could not evaluate' for the four ElastiCache checks, not an empty pass", async () => {
      elasticache
        .on(DescribeReplicationGroupsCommand)
        .rejects(awsError("AccessDeniedException", "not authorized to perform: elasticache:DescribeReplicationGroups"));
      const { facts, unreadable } = await collectCaches(client(ElastiCacheClient), REGION);
      expect(facts).to.equal(undefined);
      expect(unreadable).to.have.length(1);
      expect(unreadable[0]!.checks).to.include("elasticache-transit-encryption");
      expect(unreadable[0]!.reason).to.match(/^access denied \(AccessDeniedException: not authorized/);
    });
  });

  describe("ElastiCache RBAC users", () => {
    it("reads the named user groups (all pages) with each user's access string and authentication type", async () => {
      elasticache
        .on(DescribeUserGroupsCommand, { Marker: undefined })
        .resolves({ Marker: "m", UserGroups: [{ UserGroupId: "other", UserIds: ["default"] }] })
        .on(DescribeUserGroupsCommand, { Marker: "m" })
        .resolves({ UserGroups: [{ UserGroupId: "huntaze-users", UserIds: ["default", "app", "gone"] }] })
        .on(DescribeUsersCommand)
        .resolves({
          Users: [
            {
              UserId: "default",
              UserName: "default",
              AccessString: "on ~* +@all",
              Authentication: { Type: "no-password" },
            },
            {
              UserId: "app",
              UserName: "app",
              Status: "active",
              AccessString: "on ~app:* +@all",
              Authentication: { Type: "password", PasswordCount: 2 },
            },
          ],
        });
      const { facts, unreadable } = await collectCacheUserGroups(client(ElastiCacheClient), REGION, ["huntaze-users"]);
      expect(unreadable).to.deep.equal([]);
      expect(facts).to.deep.equal([
        {
          id: "huntaze-users",
          users: [
            {
              id: "default",
              name: "default",
              status: undefined,
              accessString: "on ~* +@all",
              authenticationType: "no-password",
            },
            {
              id: "app",
              name: "app",
              status: "active",
              accessString: "on ~app:* +@all",
              authenticationType: "password",
            },
          ],
          missingUserIds: ["gone"],
        },
      ]);
    });

    it("no group named: no call; a refused read blocks both AUTH checks", async () => {
      expect(await collectCacheUserGroups(client(ElastiCacheClient), REGION, [])).to.deep.equal({
        facts: [],
        unreadable: [],
      });
      expect(elasticache.calls()).to.have.length(0);
      elasticache
        .on(DescribeUserGroupsCommand)
        .rejects(awsError("AccessDenied", "not authorized to perform: elasticache:DescribeUserGroups"));
      const { facts, unreadable } = await collectCacheUserGroups(client(ElastiCacheClient), REGION, ["g"]);
      expect(facts).to.equal(undefined);
      expect(unreadable.map((u) => u.checks)).to.deep.equal([["elasticache-auth", "elasticache-serverless-auth"]]);
    });
  });

  describe("ElastiCache Serverless", () => {
    it("reads every page of serverless caches with key, user group, security groups and snapshot retention", async () => {
      elasticache
        .on(DescribeServerlessCachesCommand, { NextToken: undefined })
        .resolves({
          NextToken: "page-2",
          ServerlessCaches: [
            {
              ServerlessCacheName: "huntaze-sessions",
              ARN: "arn:aws:elasticache:us-east-1:317805897534:serverlesscache:huntaze-sessions",
              Engine: "valkey",
              MajorEngineVersion: "8",
              Status: "available",
              KmsKeyId: "arn:aws:kms:us-east-1:317805897534:key/abc",
              StorageEncryptionType: "sse-kms",
              UserGroupId: "huntaze-users",
              SecurityGroupIds: ["sg-0123456789abcdef0"],
              SubnetIds: ["subnet-1", "subnet-2"],
              SnapshotRetentionLimit: 7,
              DailySnapshotTime: "04:00",
            },
          ],
        })
        .on(DescribeServerlessCachesCommand, { NextToken: "page-2" })
        .resolves({
          ServerlessCaches: [
            {
              ServerlessCacheName: "console-made",
              ARN: "arn:aws:elasticache:us-east-1:317805897534:serverlesscache:console-made",
              Engine: "redis",
              Status: "available",
              StorageEncryptionType: "sse-elasticache",
            },
          ],
        });
      const { facts, unreadable } = await collectServerlessCaches(client(ElastiCacheClient), REGION);
      expect(unreadable).to.deep.equal([]);
      expect(facts).to.deep.equal([
        {
          name: "huntaze-sessions",
          arn: "arn:aws:elasticache:us-east-1:317805897534:serverlesscache:huntaze-sessions",
          region: REGION,
          engine: "valkey",
          status: "available",
          kmsKeyId: "arn:aws:kms:us-east-1:317805897534:key/abc",
          storageEncryptionType: "sse-kms",
          userGroupId: "huntaze-users",
          securityGroupIds: ["sg-0123456789abcdef0"],
          snapshotRetentionLimit: 7,
        },
        {
          name: "console-made",
          arn: "arn:aws:elasticache:us-east-1:317805897534:serverlesscache:console-made",
          region: REGION,
          engine: "redis",
          status: "available",
          kmsKeyId: undefined,
          storageEncryptionType: "sse-elasticache",
          userGroupId: undefined,
          securityGroupIds: [],
          snapshotRetentionLimit: undefined,
        },
      ]);
      expect(elasticache.commandCalls(DescribeServerlessCachesCommand)).to.have.length(2);
    });

    it("an API error is 'could not evaluate' for the three serverless checks, not an empty pass", async () => {
      elasticache
        .on(DescribeServerlessCachesCommand)
        .rejects(awsError("AccessDeniedException", "not authorized to perform: elasticache:DescribeServerlessCaches"));
      const { facts, unreadable } = await collectServerlessCaches(client(ElastiCacheClient), REGION);
      expect(facts).to.equal(undefined);
      expect(unreadable).to.deep.equal([
        {
          checks: ELASTICACHE_SERVERLESS_CHECKS,
          region: REGION,
          what: "ElastiCache serverless caches",
          reason: unreadable[0]!.reason,
        },
      ]);
      expect(unreadable[0]!.reason).to.match(/^access denied \(AccessDeniedException: .*DescribeServerlessCaches/);
    });
  });

  describe("RDS", () => {
    it("reads the instance group (all pages), skips default groups, and reads Aurora's cluster group", async () => {
      rds
        .on(DescribeDBInstancesCommand)
        .resolvesOnce({
          Marker: "m",
          DBInstances: [
            {
              DBInstanceIdentifier: "huntaze-db",
              DBInstanceArn: "arn:aws:rds:us-east-1:317805897534:db:huntaze-db",
              Engine: "postgres",
              EngineVersion: "14.12",
              DBParameterGroups: [{ DBParameterGroupName: "huntaze-pg14", ParameterApplyStatus: "in-sync" }],
            },
            {
              DBInstanceIdentifier: "legacy-mysql",
              Engine: "mysql",
              EngineVersion: "8.0.35",
              DBParameterGroups: [{ DBParameterGroupName: "default.mysql8.0", ParameterApplyStatus: "in-sync" }],
            },
            { DBInstanceIdentifier: "reports", Engine: "oracle-ee", EngineVersion: "19" },
          ],
        })
        .resolvesOnce({
          DBInstances: [
            {
              DBInstanceIdentifier: "huntaze-db-16",
              Engine: "postgres",
              EngineVersion: "16.3",
              DBParameterGroups: [
                { DBParameterGroupName: "default.postgres16", ParameterApplyStatus: "pending-reboot" },
              ],
            },
            {
              DBInstanceIdentifier: "huntaze-aurora-1",
              Engine: "aurora-postgresql",
              EngineVersion: "16.4",
              DBClusterIdentifier: "huntaze-aurora",
              DBParameterGroups: [{ DBParameterGroupName: "default.aurora-postgresql16" }],
            },
          ],
        })
        .on(DescribeDBClustersCommand)
        .resolves({
          DBClusters: [
            {
              DBClusterIdentifier: "huntaze-aurora",
              DBClusterParameterGroup: "huntaze-aurora-pg16",
              DBClusterMembers: [
                {
                  DBInstanceIdentifier: "huntaze-aurora-1",
                  IsClusterWriter: true,
                  DBClusterParameterGroupStatus: "in-sync",
                },
              ],
            },
          ],
        })
        .on(DescribeDBParametersCommand, { DBParameterGroupName: "huntaze-pg14", Marker: undefined })
        .resolves({
          Marker: "p2",
          Parameters: [{ ParameterName: "rds.accepted_authentication_types", ParameterValue: "md5" }],
        })
        .on(DescribeDBParametersCommand, { DBParameterGroupName: "huntaze-pg14", Marker: "p2" })
        .resolves({ Parameters: [{ ParameterName: "rds.force_ssl", ParameterValue: "0", Source: "user" }] })
        .on(DescribeDBClusterParametersCommand, { DBClusterParameterGroupName: "huntaze-aurora-pg16" })
        .resolves({ Parameters: [{ ParameterName: "rds.force_ssl", ParameterValue: "1" }] });
      const { facts, unreadable } = await collectRdsInstances(client(RDSClient), REGION);
      expect(unreadable).to.deep.equal([]);
      const pg = "rds.force_ssl";
      expect(facts!.map((i) => [i.id, i.parameterGroup])).to.deep.equal([
        [
          "huntaze-db",
          { name: "huntaze-pg14", kind: "instance", isDefault: false, parameter: pg, value: "0", pendingReboot: false },
        ],
        [
          "legacy-mysql",
          {
            name: "default.mysql8.0",
            kind: "instance",
            isDefault: true,
            parameter: "require_secure_transport",
            value: undefined,
            pendingReboot: false,
          },
        ],
        [
          "huntaze-db-16",
          {
            name: "default.postgres16",
            kind: "instance",
            isDefault: true,
            parameter: pg,
            value: undefined,
            pendingReboot: true,
          },
        ],
        [
          "huntaze-aurora-1",
          {
            name: "huntaze-aurora-pg16",
            kind: "cluster",
            isDefault: false,
            parameter: pg,
            value: "1",
            pendingReboot: false,
          },
        ],
      ]);
      expect(
        rds.commandCalls(DescribeDBParametersCommand, { DBParameterGroupName: "default.postgres16" }),
      ).to.deep.equal([]);
    });

    it("a parameter group that cannot be read blocks only its instance", async () => {
      rds
        .on(DescribeDBInstancesCommand)
        .resolves({
          DBInstances: [
            {
              DBInstanceIdentifier: "a",
              Engine: "postgres",
              EngineVersion: "14.1",
              DBParameterGroups: [{ DBParameterGroupName: "locked" }],
            },
            {
              DBInstanceIdentifier: "b",
              Engine: "postgres",
              EngineVersion: "16.1",
              DBParameterGroups: [{ DBParameterGroupName: "default.postgres16" }],
            },
          ],
        })
        .on(DescribeDBParametersCommand)
        .rejects(awsError("AccessDenied", "not authorized to perform: rds:DescribeDBParameters"));
      const { facts, unreadable } = await collectRdsInstances(client(RDSClient), REGION);
      expect(facts!.map((i) => i.id)).to.deep.equal(["b"]);
      expect(unreadable.map((u) => [u.what, u.checks])).to.deep.equal([
        ["parameter group locked of a", ["rds-force-ssl"]],
      ]);
    });
  });

  describe("S3", () => {
    const s3Clients = () => ({ control: client(S3ControlClient), s3: (r: string) => client(S3Client, r) });
    const full = {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    };

    it("reads the account block and every page of buckets, each in its own region; not configured is null", async () => {
      s3control
        .on(GetAccountPublicAccessBlockCommand, { AccountId: ACCOUNT })
        .resolves({ PublicAccessBlockConfiguration: full });
      s3.on(ListBucketsCommand, { ContinuationToken: undefined })
        .resolves({ ContinuationToken: "next", Buckets: [{ Name: "huntaze-audit", BucketRegion: "us-east-1" }] })
        .on(ListBucketsCommand, { ContinuationToken: "next" })
        .resolves({ Buckets: [{ Name: "huntaze-eu-assets", BucketRegion: "eu-west-1" }] })
        .on(GetPublicAccessBlockCommand, { Bucket: "huntaze-audit" })
        .resolves({ PublicAccessBlockConfiguration: { ...full, RestrictPublicBuckets: false } })
        .on(GetPublicAccessBlockCommand, { Bucket: "huntaze-eu-assets" })
        .rejects(
          awsError("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found"),
        )
        .on(GetBucketPolicyCommand)
        .rejects(awsError("NoSuchBucketPolicy", "The bucket policy does not exist"));
      const { facts, unreadable } = await collectS3(s3Clients(), ACCOUNT, REGION);
      expect(unreadable).to.deep.equal([]);
      // ListBuckets was asked with MaxBuckets, the parameter that makes it answer BucketRegion.
      expect(s3.commandCalls(ListBucketsCommand).map((c) => c.args[0].input.MaxBuckets)).to.deep.equal([1000, 1000]);
      expect(s3.commandCalls(GetBucketLocationCommand)).to.deep.equal([]);
      expect(facts!.buckets!.map((b) => b.policy)).to.deep.equal([null, null]);
      expect(facts!.accountBlock).to.deep.equal(full);
      expect(facts!.buckets!.map((b) => [b.arn, b.region, b.block?.RestrictPublicBuckets ?? null])).to.deep.equal([
        ["arn:aws:s3:::huntaze-audit", "us-east-1", false],
        ["arn:aws:s3:::huntaze-eu-assets", "eu-west-1", null],
      ]);
      const regions = await Promise.all(
        s3.commandCalls(GetPublicAccessBlockCommand).map((call) => (call.thisValue as S3Client).config.region()),
      );
      expect(regions.sort()).to.deep.equal(["eu-west-1", "us-east-1"]);
    });

    it("the account block not configured is a fact (null); AccessDenied on a bucket is 'could not evaluate'", async () => {
      s3control
        .on(GetAccountPublicAccessBlockCommand)
        .rejects(awsError("NoSuchPublicAccessBlockConfiguration", "not found"));
      s3.on(ListBucketsCommand)
        .resolves({ Buckets: [{ Name: "locked", BucketRegion: "us-east-1" }] })
        .on(GetPublicAccessBlockCommand)
        .rejects(awsError("AccessDenied", "Access Denied"))
        .on(GetBucketPolicyCommand)
        .resolves({ Policy: '{"Version":"2012-10-17","Statement":[]}' });
      const { facts, unreadable } = await collectS3(s3Clients(), ACCOUNT, REGION);
      expect(facts!.accountBlock).to.equal(null);
      // Kept with its block unknown (the policy was read): each check skips only what it cannot judge.
      expect(facts!.buckets!.map((b) => [b.name, b.block, b.policy])).to.deep.equal([["locked", undefined, []]]);
      expect(unreadable.map((u) => [u.what, u.checks])).to.deep.equal([
        ["the public access block of bucket locked", ["s3-bucket-public-access-block"]],
      ]);
    });

    it("a bucket listed without BucketRegion is located with GetBucketLocation (null is us-east-1, EU is eu-west-1), then read there", async () => {
      s3control.on(GetAccountPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: full });
      s3.on(ListBucketsCommand)
        .resolves({ Buckets: [{ Name: "old-eu" }, { Name: "virginia" }, { Name: "oregon" }] })
        .on(GetBucketLocationCommand, { Bucket: "old-eu" })
        .resolves({ LocationConstraint: "EU" })
        .on(GetBucketLocationCommand, { Bucket: "virginia" })
        .resolves({})
        .on(GetBucketLocationCommand, { Bucket: "oregon" })
        .resolves({ LocationConstraint: "us-west-2" })
        .on(GetPublicAccessBlockCommand)
        .resolves({ PublicAccessBlockConfiguration: full })
        .on(GetBucketPolicyCommand)
        .callsFake(async (input: { Bucket: string }) => ({ Policy: TLS_ONLY_POLICY(input.Bucket) }));
      const { facts, unreadable } = await collectS3(s3Clients(), ACCOUNT, "eu-central-1");
      expect(unreadable).to.deep.equal([]);
      expect(facts!.buckets!.map((b) => [b.name, b.region])).to.deep.equal([
        ["old-eu", "eu-west-1"],
        ["virginia", "us-east-1"],
        ["oregon", "us-west-2"],
      ]);
      const regionsOf = (command: typeof GetBucketPolicyCommand) =>
        Promise.all(
          s3
            .commandCalls(command)
            .map(async (c) => [
              (c.args[0].input as { Bucket: string }).Bucket,
              await (c.thisValue as S3Client).config.region(),
            ]),
        );
      expect((await regionsOf(GetBucketPolicyCommand)).sort()).to.deep.equal([
        ["old-eu", "eu-west-1"],
        ["oregon", "us-west-2"],
        ["virginia", "us-east-1"],
      ]);
      expect(facts!.buckets!.every((b) => b.policy?.length === 1)).to.equal(true);
    });

    it("a refused bucket policy blocks only the TLS check; a refused location blocks the bucket", async () => {
      s3control.on(GetAccountPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: full });
      s3.on(ListBucketsCommand)
        .resolves({ Buckets: [{ Name: "a", BucketRegion: "us-east-1" }, { Name: "b" }] })
        .on(GetBucketLocationCommand)
        .rejects(awsError("AccessDenied", "Access Denied"))
        .on(GetPublicAccessBlockCommand)
        .resolves({ PublicAccessBlockConfiguration: full })
        .on(GetBucketPolicyCommand)
        .rejects(awsError("AccessDenied", "Access Denied"));
      const { facts, unreadable } = await collectS3(s3Clients(), ACCOUNT, REGION);
      expect(facts!.buckets!.map((b) => [b.name, b.policy])).to.deep.equal([["a", undefined]]);
      expect(unreadable.map((u) => [u.what, u.checks])).to.deep.equal([
        ["the region of bucket b", ["s3-bucket-public-access-block", "s3-bucket-deny-insecure-transport"]],
        ["the bucket policy of bucket a", ["s3-bucket-deny-insecure-transport"]],
      ]);
    });

    it("an error on the account block is not 'not configured'", async () => {
      s3control.on(GetAccountPublicAccessBlockCommand).rejects(awsError("AccessDenied", "Access Denied"));
      s3.on(ListBucketsCommand).resolves({ Buckets: [] });
      const { facts, unreadable } = await collectS3(s3Clients(), ACCOUNT, REGION);
      expect(facts!.accountBlock).to.equal(undefined);
      expect(unreadable.map((u) => u.checks)).to.deep.equal([["s3-account-public-access-block"]]);
    });
  });

  describe("CloudTrail", () => {
    it("dedupes trails seen from several regions and reads each status in the trail's home region", async () => {
      const org = {
        Name: "huntaze-trail",
        TrailARN: "arn:aws:cloudtrail:eu-west-1:317805897534:trail/huntaze-trail",
        HomeRegion: "eu-west-1",
        IsMultiRegionTrail: true,
        LogFileValidationEnabled: true,
        KmsKeyId: "arn:aws:kms:eu-west-1:317805897534:key/abc",
      };
      cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [org] });
      cloudtrail.on(GetTrailStatusCommand).callsFake(async (_input, getClient) => {
        const region = await (getClient() as CloudTrailClient).config.region();
        if (region !== "eu-west-1") throw awsError("TrailNotFoundException", "Unknown trail for this region");
        return { IsLogging: true };
      });
      cloudtrail.on(GetEventSelectorsCommand).callsFake(async (input, getClient) => {
        const region = await (getClient() as CloudTrailClient).config.region();
        if (region !== "eu-west-1" || input.TrailName !== org.TrailARN)
          throw awsError("TrailNotFoundException", "Unknown trail for this region");
        return {
          TrailARN: org.TrailARN,
          EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [] }],
        };
      });
      const clientFor = (r: string) => client(CloudTrailClient, r);
      const { facts, unreadable } = await collectTrails(clientFor, ["us-east-1", "us-west-2"]);
      expect(unreadable).to.deep.equal([]);
      expect(facts).to.deep.equal([
        {
          name: "huntaze-trail",
          arn: org.TrailARN,
          homeRegion: "eu-west-1",
          multiRegion: true,
          logFileValidation: true,
          kmsKeyId: "arn:aws:kms:eu-west-1:317805897534:key/abc",
          logging: true,
          eventSelectors: {
            kind: "classic",
            selectors: [
              { readWriteType: "All", includeManagementEvents: true, excludeManagementEventSources: undefined },
            ],
          },
        },
      ]);
      expect(cloudtrail.commandCalls(GetTrailStatusCommand)).to.have.length(1);
      expect(cloudtrail.commandCalls(GetEventSelectorsCommand)).to.have.length(1);
    });

    it("a status read refused is 'could not evaluate', naming the trail", async () => {
      cloudtrail
        .on(DescribeTrailsCommand)
        .resolves({
          trailList: [{ Name: "t", TrailARN: "arn:aws:cloudtrail:us-east-1:1:trail/t", HomeRegion: "us-east-1" }],
        })
        .on(GetTrailStatusCommand)
        .rejects(awsError("ThrottlingException", "Rate exceeded"))
        .on(GetEventSelectorsCommand)
        .resolves({ EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true }] });
      const { facts, unreadable } = await collectTrails((r) => client(CloudTrailClient, r), [REGION]);
      // Kept with its logging state unknown: dropped, it would read as "the account has no trail".
      expect(facts).to.have.length(1);
      expect(facts![0]!.name).to.equal("t");
      expect(facts![0]!.logging).to.equal(undefined);
      expect(unreadable).to.have.length(1);
      expect(unreadable[0]!.what).to.equal("the status of trail t");
      expect(unreadable[0]!.reason).to.match(/^throttled after the SDK's retries/);
    });

    it("advanced event selectors are read as such, every field operator kept", async () => {
      cloudtrail
        .on(DescribeTrailsCommand)
        .resolves({
          trailList: [{ Name: "t", TrailARN: "arn:aws:cloudtrail:us-east-1:1:trail/t", HomeRegion: "us-east-1" }],
        })
        .on(GetTrailStatusCommand)
        .resolves({ IsLogging: true })
        .on(GetEventSelectorsCommand)
        .resolves({
          TrailARN: "arn:aws:cloudtrail:us-east-1:1:trail/t",
          AdvancedEventSelectors: [
            {
              Name: "Management events",
              FieldSelectors: [
                { Field: "eventCategory", Equals: ["Management"] },
                { Field: "eventSource", NotEquals: ["kms.amazonaws.com"] },
              ],
            },
            { FieldSelectors: [{ Field: "resources.ARN", StartsWith: ["arn:aws:s3:::b/"], NotEndsWith: [".tmp"] }] },
          ],
        });
      const { facts, unreadable } = await collectTrails((r) => client(CloudTrailClient, r), [REGION]);
      expect(unreadable).to.deep.equal([]);
      // Every operator the API has is carried over (undefined when the answer has none).
      const none = { equals: undefined, startsWith: undefined, endsWith: undefined, notEquals: undefined };
      const field = (o: Record<string, unknown>) => ({
        ...none,
        notStartsWith: undefined,
        notEndsWith: undefined,
        ...o,
      });
      expect(facts![0]!.eventSelectors).to.deep.equal({
        kind: "advanced",
        selectors: [
          {
            name: "Management events",
            fieldSelectors: [
              field({ field: "eventCategory", equals: ["Management"] }),
              field({ field: "eventSource", notEquals: ["kms.amazonaws.com"] }),
            ],
          },
          {
            name: undefined,
            fieldSelectors: [field({ field: "resources.ARN", startsWith: ["arn:aws:s3:::b/"], notEndsWith: [".tmp"] })],
          },
        ],
      });
    });

    it("selectors refused: the trail is kept with no selectors and the refusal is 'could not evaluate', naming the trail", async () => {
      cloudtrail
        .on(DescribeTrailsCommand)
        .resolves({
          trailList: [
            {
              Name: "t",
              TrailARN: "arn:aws:cloudtrail:us-east-1:1:trail/t",
              HomeRegion: "us-east-1",
              IsMultiRegionTrail: true,
            },
          ],
        })
        .on(GetTrailStatusCommand)
        .resolves({ IsLogging: true })
        .on(GetEventSelectorsCommand)
        .rejects(awsError("AccessDeniedException", "not authorized to perform: cloudtrail:GetEventSelectors"));
      const { facts, unreadable } = await collectTrails((r) => client(CloudTrailClient, r), [REGION]);
      expect(facts!.map((t) => [t.name, t.multiRegion, t.logging, t.eventSelectors])).to.deep.equal([
        ["t", true, true, undefined],
      ]);
      // Selectors decide only whether the trail covers the account (validation and KMS come from
      // DescribeTrails), and not at all once another trail covers it.
      expect(unreadable.map((u) => [u.what, u.region, u.checks, u.unlessAnotherTrailCovers])).to.deep.equal([
        ["the event selectors of trail t", REGION, ["cloudtrail-multi-region-logging"], true],
      ]);
      expect(unreadable[0]!.reason).to.match(/^access denied \(AccessDeniedException: .*GetEventSelectors/);
    });
  });

  describe("GuardDuty", () => {
    it("lists detectors (all pages) and reads each one's status and features", async () => {
      guardduty
        .on(ListDetectorsCommand)
        .resolvesOnce({ DetectorIds: ["d1"], NextToken: "n" })
        .resolvesOnce({ DetectorIds: [] })
        .on(GetDetectorCommand, { DetectorId: "d1" })
        .resolves({
          Status: "ENABLED",
          ServiceRole:
            "arn:aws:iam::317805897534:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty",
          Features: [
            { Name: "S3_DATA_EVENTS", Status: "ENABLED" },
            {
              Name: "RUNTIME_MONITORING",
              Status: "DISABLED",
              AdditionalConfiguration: [{ Name: "ECS_FARGATE_AGENT_MANAGEMENT", Status: "DISABLED" }],
            },
          ],
        });
      const { facts } = await collectDetectors(client(GuardDutyClient), REGION, ACCOUNT);
      expect(facts).to.deep.equal([
        {
          id: "d1",
          arn: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/d1`,
          region: REGION,
          status: "ENABLED",
          features: [
            { name: "S3_DATA_EVENTS", status: "ENABLED" },
            { name: "RUNTIME_MONITORING", status: "DISABLED" },
          ],
        },
      ]);
    });

    it("no detector is a fact (empty); a refused GetDetector is 'could not evaluate'", async () => {
      guardduty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
      expect((await collectDetectors(client(GuardDutyClient), REGION, ACCOUNT)).facts).to.deep.equal([]);
      guardduty.reset();
      guardduty
        .on(ListDetectorsCommand)
        .resolves({ DetectorIds: ["d1"] })
        .on(GetDetectorCommand)
        .rejects(awsError("AccessDeniedException", "denied"));
      const { facts, unreadable } = await collectDetectors(client(GuardDutyClient), REGION, ACCOUNT);
      expect(facts).to.equal(undefined);
      expect(unreadable[0]!.checks).to.deep.equal(["guardduty-enabled", "guardduty-features"]);
    });
  });

  describe("Security Hub", () => {
    it("reads the hub and every page of enabled standards, with the status reason", async () => {
      securityhub
        .on(DescribeHubCommand)
        .resolves({ HubArn: "arn:aws:securityhub:us-east-1:317805897534:hub/default", AutoEnableControls: true })
        .on(GetEnabledStandardsCommand)
        .resolvesOnce({
          NextToken: "n",
          StandardsSubscriptions: [
            {
              StandardsSubscriptionArn:
                "arn:aws:securityhub:us-east-1:317805897534:subscription/aws-foundational-security-best-practices/v/1.0.0",
              StandardsArn: FSBP_ARN,
              StandardsInput: {},
              StandardsStatus: "INCOMPLETE",
              StandardsStatusReason: { StatusReasonCode: "NO_AVAILABLE_CONFIGURATION_RECORDER" },
            },
          ],
        })
        .resolvesOnce({ StandardsSubscriptions: [] });
      const { facts } = await collectSecurityHub(client(SecurityHubClient), REGION);
      expect(facts).to.deep.equal({
        region: REGION,
        hubArn: "arn:aws:securityhub:us-east-1:317805897534:hub/default",
        standards: [{ arn: FSBP_ARN, status: "INCOMPLETE", reason: "NO_AVAILABLE_CONFIGURATION_RECORDER" }],
      });
    });

    it("InvalidAccessException means not enabled (a fact); another error is 'could not evaluate'", async () => {
      securityhub
        .on(DescribeHubCommand)
        .rejects(awsError("InvalidAccessException", "Account 317805897534 is not subscribed to AWS Security Hub"));
      expect((await collectSecurityHub(client(SecurityHubClient), REGION)).facts).to.deep.equal({
        region: REGION,
        standards: [],
      });
      securityhub.reset();
      securityhub
        .on(DescribeHubCommand)
        .resolves({ HubArn: "h" })
        .on(GetEnabledStandardsCommand)
        .rejects(awsError("AccessDeniedException", "denied"));
      const { facts, unreadable } = await collectSecurityHub(client(SecurityHubClient), REGION);
      expect(facts).to.equal(undefined);
      expect(unreadable[0]!.what).to.equal("Security Hub's enabled standards");
    });
  });

  describe("ECS", () => {
    it("reads every cluster and service page, describes services by tens, keeps running ones and describes each task definition once", async () => {
      const cluster = "arn:aws:ecs:us-east-1:317805897534:cluster/huntaze-production";
      const arns = Array.from(
        { length: 12 },
        (_, i) => `arn:aws:ecs:us-east-1:317805897534:service/huntaze-production/s${i}`,
      );
      ecs
        .on(ListClustersCommand)
        .resolvesOnce({ clusterArns: [cluster], nextToken: "n" })
        .resolvesOnce({ clusterArns: [] })
        .on(ListServicesCommand, { cluster, nextToken: undefined })
        .resolves({ serviceArns: arns.slice(0, 7), nextToken: "n" })
        .on(ListServicesCommand, { cluster, nextToken: "n" })
        .resolves({ serviceArns: arns.slice(7) })
        .on(DescribeServicesCommand)
        .callsFake(async (input: { services: string[] }) => ({
          services: input.services.map((serviceArn, i) => ({
            serviceArn,
            clusterArn: cluster,
            status: "ACTIVE",
            desiredCount: serviceArn.endsWith("s11") ? 0 : 1,
            runningCount: serviceArn.endsWith("s11") ? 0 : 1,
            taskDefinition: `arn:aws:ecs:us-east-1:317805897534:task-definition/app:${i % 2}`,
          })),
          failures: [],
        }))
        .on(DescribeTaskDefinitionCommand)
        .callsFake(async (input: { taskDefinition: string }) => ({
          taskDefinition: {
            taskDefinitionArn: input.taskDefinition,
            taskRoleArn: "arn:aws:iam::317805897534:role/task",
            executionRoleArn: "arn:aws:iam::317805897534:role/execution",
            containerDefinitions: [
              {
                name: "app",
                image: "app:1",
                environment: [{ name: "AWS_ACCESS_KEY_ID", value: "AKIAIOSFODNN7EXAMPLE" }],
              },
            ],
          },
        }));
      ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [] });
      const { facts: ecsFacts, unreadable } = await collectEcs(client(ECSClient), REGION);
      const facts = ecsFacts!.services;
      expect(unreadable).to.deep.equal([]);
      expect(facts).to.have.length(11);
      expect(ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input.services!.length)).to.deep.equal([
        10, 2,
      ]);
      expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).to.have.length(2);
      expect(facts![0]!.taskDefinition.containers[0]!.environment[0]!.name).to.equal("AWS_ACCESS_KEY_ID");
    });

    it("a cluster whose services cannot be listed is 'could not evaluate' for that cluster", async () => {
      ecs
        .on(ListClustersCommand)
        .resolves({ clusterArns: ["c1"] })
        .on(ListServicesCommand)
        .rejects(awsError("AccessDeniedException", "denied"))
        .on(ListTaskDefinitionsCommand)
        .resolves({ taskDefinitionArns: [] });
      const { facts, unreadable } = await collectEcs(client(ECSClient), REGION);
      expect(facts!.services).to.deep.equal([]);
      expect(unreadable.map((u) => u.what)).to.deep.equal(["the services of cluster c1"]);
    });

    it("lists every ACTIVE task definition revision (all pages) and describes each once, the services' included", async () => {
      const td = (n: string) => `arn:aws:ecs:us-east-1:317805897534:task-definition/${n}`;
      ecs
        .on(ListClustersCommand)
        .resolves({ clusterArns: ["c1"] })
        .on(ListServicesCommand)
        .resolves({ serviceArns: ["arn:aws:ecs:us-east-1:317805897534:service/c1/api"] })
        .on(DescribeServicesCommand)
        .resolves({
          services: [
            {
              serviceArn: "arn:aws:ecs:us-east-1:317805897534:service/c1/api",
              status: "ACTIVE",
              desiredCount: 1,
              taskDefinition: td("api:3"),
            },
          ],
        })
        .on(ListTaskDefinitionsCommand, { status: "ACTIVE", nextToken: undefined })
        .resolves({ taskDefinitionArns: [td("api:3"), td("nightly:1")], nextToken: "n" })
        .on(ListTaskDefinitionsCommand, { status: "ACTIVE", nextToken: "n" })
        .resolves({ taskDefinitionArns: [td("scaled-to-zero:9")] })
        .on(DescribeTaskDefinitionCommand)
        .callsFake(async (input: { taskDefinition: string }) => ({
          taskDefinition: { taskDefinitionArn: input.taskDefinition, containerDefinitions: [{ name: "app" }] },
        }));
      const { facts, unreadable } = await collectEcs(client(ECSClient), REGION);
      expect(unreadable).to.deep.equal([]);
      expect(facts!.taskDefinitions!.map((t) => t.arn)).to.deep.equal([
        td("api:3"),
        td("nightly:1"),
        td("scaled-to-zero:9"),
      ]);
      expect(facts!.services!.map((s) => s.taskDefinition.arn)).to.deep.equal([td("api:3")]);
      expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).to.have.length(3);
    });

    it("task definitions that cannot be listed block only the keys check", async () => {
      ecs
        .on(ListClustersCommand)
        .resolves({ clusterArns: [] })
        .on(ListTaskDefinitionsCommand)
        .rejects(awsError("AccessDeniedException", "not authorized to perform: ecs:ListTaskDefinitions"));
      const { facts, unreadable } = await collectEcs(client(ECSClient), REGION);
      expect(facts!.services).to.deep.equal([]);
      expect(facts!.taskDefinitions).to.equal(undefined);
      expect(unreadable.map((u) => [u.what, u.checks])).to.deep.equal([
        ["ECS task definitions", ["ecs-no-aws-keys-in-environment"]],
      ]);
    });
  });

  describe("CloudWatch Logs", () => {
    it("reads every page of log groups with their retention and group ARN", async () => {
      logs
        .on(DescribeLogGroupsCommand)
        .resolvesOnce({
          nextToken: "n",
          logGroups: [
            {
              logGroupName: "/aws/lambda/a",
              arn: "arn:aws:logs:us-east-1:317805897534:log-group:/aws/lambda/a:*",
              logGroupArn: "arn:aws:logs:us-east-1:317805897534:log-group:/aws/lambda/a",
              retentionInDays: 30,
            },
          ],
        })
        .resolvesOnce({
          logGroups: [{ logGroupName: "/ecs/b", logGroupArn: "arn:aws:logs:us-east-1:317805897534:log-group:/ecs/b" }],
        });
      const { facts } = await collectLogGroups(client(CloudWatchLogsClient), REGION);
      expect(facts!.map((g) => [g.arn, g.retentionInDays])).to.deep.equal([
        ["arn:aws:logs:us-east-1:317805897534:log-group:/aws/lambda/a", 30],
        ["arn:aws:logs:us-east-1:317805897534:log-group:/ecs/b", undefined],
      ]);
    });

    it("an API error is 'could not evaluate'", async () => {
      logs.on(DescribeLogGroupsCommand).rejects(awsError("ThrottlingException", "Rate exceeded"));
      const { unreadable } = await collectLogGroups(client(CloudWatchLogsClient), REGION);
      expect(unreadable.map((u) => u.checks)).to.deep.equal([["logs-retention"]]);
    });
  });
});
