// Reads what exists in the live account (read-only) into inventory entries, with the AWS SDK v3:
// every listing through its paginator, at most CONCURRENCY calls per service at a time, the SDK's
// standard retry mode, and the SDK's own endpoint resolution (AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_<SERVICE>: never overridden here, so moto or a stub can stand in). A listing
// that fails is reported as a problem (what, region, why) and the caller writes nothing.
//
// Attribute names and shapes are those of the @pulumi/aws v7 *Args of each type, as in
// tools/inventory/types.ts. Secret values (auth tokens, passwords) are never read: the APIs used
// here do not return them, and lib/inventory.ts refuses them anyway.

import {
  BudgetsClient,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
  paginateDescribeBudgets,
} from "@aws-sdk/client-budgets";
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
} from "@aws-sdk/client-cloudtrail";
import { CloudWatchLogsClient, paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import { CostExplorerClient, paginateGetAnomalyMonitors } from "@aws-sdk/client-cost-explorer";
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  paginateListTables,
} from "@aws-sdk/client-dynamodb";
import { EC2Client, paginateDescribeRouteTables, paginateDescribeSubnets } from "@aws-sdk/client-ec2";
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  paginateListClusters,
  paginateListServices,
} from "@aws-sdk/client-ecs";
import {
  type CacheCluster,
  ElastiCacheClient,
  paginateDescribeCacheClusters,
  paginateDescribeReplicationGroups,
  paginateDescribeSnapshots,
} from "@aws-sdk/client-elasticache";
import { GetDetectorCommand, GuardDutyClient, paginateListDetectors } from "@aws-sdk/client-guardduty";
import {
  paginateDescribeDBInstances,
  paginateDescribeDBParameterGroups,
  paginateDescribeDBParameters,
  RDSClient,
} from "@aws-sdk/client-rds";
import { DescribeHubCommand, paginateGetEnabledStandards, SecurityHubClient } from "@aws-sdk/client-securityhub";
import {
  GetTopicAttributesCommand,
  ListTagsForResourceCommand as ListSnsTags,
  paginateListTopics,
  SNSClient,
} from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, ListQueueTagsCommand, paginateListQueues, SQSClient } from "@aws-sdk/client-sqs";
import { ecsClusterName, ecsServicePhysicalName, type InventoryEntry } from "../../lib/inventory";
import { mapLimit } from "../../lib/map-limit";
import { type Credentials, regionalClients } from "../audit/collect";
import { isAwsError, reasonOf } from "../audit/errors";
import { CONCURRENCY } from "../audit/limit";

export type { Credentials } from "../audit/collect";

export interface LiveClients {
  ecs(region: string): ECSClient;
  rds(region: string): RDSClient;
  logs(region: string): CloudWatchLogsClient;
  elasticache(region: string): ElastiCacheClient;
  guardduty(region: string): GuardDutyClient;
  securityhub(region: string): SecurityHubClient;
  cloudtrail(region: string): CloudTrailClient;
  sqs(region: string): SQSClient;
  dynamodb(region: string): DynamoDBClient;
  sns(region: string): SNSClient;
  ec2(region: string): EC2Client;
  /** Cost Explorer and Budgets are global services answered from us-east-1. */
  costExplorer(): CostExplorerClient;
  budgets(): BudgetsClient;
}

/** Real SDK clients with the standard retry mode, created on first use, cached per service and region. */
export function liveClients(credentials?: Credentials): LiveClients {
  const make = regionalClients(credentials);
  // Cost Explorer's and Budgets' endpoints are in us-east-1 whatever the stack's region
  // (https://docs.aws.amazon.com/general/latest/gr/billing.html, "AWS Billing and Cost Management endpoints and quotas").
  const GLOBAL = "us-east-1";
  return {
    ecs: make("ecs", ECSClient),
    rds: make("rds", RDSClient),
    logs: make("logs", CloudWatchLogsClient),
    elasticache: make("elasticache", ElastiCacheClient),
    guardduty: make("guardduty", GuardDutyClient),
    securityhub: make("securityhub", SecurityHubClient),
    cloudtrail: make("cloudtrail", CloudTrailClient),
    sqs: make("sqs", SQSClient),
    dynamodb: make("dynamodb", DynamoDBClient),
    sns: make("sns", SNSClient),
    ec2: make("ec2", EC2Client),
    costExplorer: () => make("ce", CostExplorerClient)(GLOBAL),
    budgets: () => make("budgets", BudgetsClient)(GLOBAL),
  };
}

/** Something the inventory could not read: the run writes nothing and exits 3. */
export interface LiveProblem {
  readonly region: string;
  readonly what: string;
  readonly reason: string;
}

/** What `--propose-config` prints besides the entries. */
export interface LiveExtras {
  /** Subnets the ECS services (or the database) run in, their VPCs and route tables. */
  network?: { vpcIds: string[]; subnetIds: string[]; routeTableIds: string[] };
  /** The newest manual ElastiCache snapshot, with the group it was taken from. */
  redisSnapshot?: { name: string; replicationGroupId?: string; createdAt?: string };
}

export interface LiveRead {
  readonly entries: InventoryEntry[];
  readonly problems: LiveProblem[];
  readonly extras: LiveExtras;
  /** Which APIs answered, for sources[].detail. */
  readonly services: string[];
}

export interface LiveContext {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
  readonly progress?: (line: string) => void;
  /** Also read the network (EC2) and snapshots, for --propose-config. */
  readonly extras?: boolean;
}

type Attrs = Record<string, unknown>;

/** Drops undefined values, so an attribute not read stays "not recorded". */
function defined(attrs: Attrs): Attrs {
  return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined));
}

const tagMap = (tags: readonly { key?: string; value?: string; Key?: string; Value?: string }[] | undefined) =>
  tags === undefined
    ? undefined
    : Object.fromEntries(tags.map((t) => [t.key ?? t.Key ?? "", t.value ?? t.Value ?? ""]).filter(([k]) => k !== ""));

const num = (v: string | undefined): number | undefined => (v === undefined || v === "" ? undefined : Number(v));
const bool = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : v === "true");
const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === "" ? undefined : v);

function live(
  api: string,
  type: string,
  physicalName: string,
  importId: string,
  attributes: Attrs,
  arn?: string,
): InventoryEntry {
  return {
    type,
    physicalName,
    importId,
    ...(arn ? { arn } : {}),
    source: { kind: "live", api },
    attributes: defined(attributes),
  };
}

/** `family:revision` from a task definition ARN (arn:aws:ecs:R:A:task-definition/family:revision). */
export const taskDefinitionOf = (arn: string): string => arn.replace(/^arn:[^:]+:ecs:[^:]*:\d*:task-definition\//, "");

interface Ctx extends LiveContext {
  readonly clients: LiveClients;
  readonly problems: LiveProblem[];
  readonly extrasOut: LiveExtras;
}

/** Runs one read; a failure becomes a problem naming `what`, and the read's entries are dropped. */
async function guard(
  ctx: Ctx,
  what: string,
  region: string,
  read: () => Promise<InventoryEntry[]>,
): Promise<InventoryEntry[]> {
  try {
    return await read();
  } catch (error) {
    ctx.problems.push({ region, what, reason: reasonOf(error) });
    return [];
  }
}

// DescribeClusters and DescribeServices take at most 100 and 10 names per call (ECS API Reference).
const CLUSTER_BATCH = 100;
const SERVICE_BATCH = 10;
const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

async function readEcs(ctx: Ctx, region: string): Promise<InventoryEntry[]> {
  const client = ctx.clients.ecs(region);
  const arns: string[] = [];
  for await (const page of paginateListClusters({ client }, {})) arns.push(...(page.clusterArns ?? []));
  const entries: InventoryEntry[] = [];
  const clusters = (
    await mapLimit(
      chunks(arns, CLUSTER_BATCH),
      CONCURRENCY,
      async (batch) =>
        (
          await client.send(
            new DescribeClustersCommand({ clusters: batch, include: ["SETTINGS", "CONFIGURATIONS", "TAGS"] }),
          )
        ).clusters ?? [],
    )
  ).flat();
  for (const c of clusters) {
    if (!c.clusterName || c.status === "INACTIVE") continue;
    const exec = c.configuration?.executeCommandConfiguration;
    const log = exec?.logConfiguration;
    entries.push(
      live(
        "ecs:DescribeClusters",
        "aws:ecs/cluster:Cluster",
        c.clusterName,
        c.clusterName,
        {
          name: c.clusterName,
          settings: c.settings?.map((s) => defined({ name: s.name, value: s.value })),
          configuration: exec
            ? {
                executeCommandConfiguration: defined({
                  kmsKeyId: exec.kmsKeyId,
                  logging: exec.logging,
                  logConfiguration: log
                    ? defined({
                        cloudWatchLogGroupName: log.cloudWatchLogGroupName,
                        cloudWatchEncryptionEnabled: log.cloudWatchEncryptionEnabled,
                        s3BucketName: log.s3BucketName,
                        s3BucketEncryptionEnabled: log.s3EncryptionEnabled,
                        s3KeyPrefix: log.s3KeyPrefix,
                      })
                    : undefined,
                }),
              }
            : undefined,
          tags: tagMap(c.tags),
        },
        c.clusterArn,
      ),
    );
  }
  const services = await mapLimit(clusters, CONCURRENCY, async (c) => {
    const serviceArns: string[] = [];
    for await (const page of paginateListServices({ client }, { cluster: c.clusterArn }))
      serviceArns.push(...(page.serviceArns ?? []));
    const described = [];
    for (const batch of chunks(serviceArns, SERVICE_BATCH)) {
      const out = await client.send(
        new DescribeServicesCommand({ cluster: c.clusterArn, services: batch, include: ["TAGS"] }),
      );
      if (out.failures?.length)
        throw new Error(`DescribeServices failed for ${out.failures.map((f) => `${f.arn}: ${f.reason}`).join(", ")}`);
      described.push(...(out.services ?? []));
    }
    return described;
  });
  for (const s of services.flat()) {
    if (!s.serviceName || !s.clusterArn || s.status === "INACTIVE") continue;
    const key = ecsServicePhysicalName(ecsClusterName(s.clusterArn), s.serviceName);
    const net = s.networkConfiguration?.awsvpcConfiguration;
    const breaker = s.deploymentConfiguration?.deploymentCircuitBreaker;
    entries.push(
      live(
        "ecs:DescribeServices",
        "aws:ecs/service:Service",
        key,
        key, // ecs/service.d.ts "## Import": "cluster-name/service-name"
        {
          name: s.serviceName,
          cluster: s.clusterArn,
          taskDefinition: s.taskDefinition ? taskDefinitionOf(s.taskDefinition) : undefined,
          desiredCount: s.desiredCount,
          launchType: s.launchType,
          platformVersion: s.platformVersion,
          schedulingStrategy: s.schedulingStrategy,
          enableEcsManagedTags: s.enableECSManagedTags,
          enableExecuteCommand: s.enableExecuteCommand,
          propagateTags: s.propagateTags,
          healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds,
          deploymentMaximumPercent: s.deploymentConfiguration?.maximumPercent,
          deploymentMinimumHealthyPercent: s.deploymentConfiguration?.minimumHealthyPercent,
          deploymentCircuitBreaker: breaker ? { enable: breaker.enable, rollback: breaker.rollback } : undefined,
          // ServiceNetworkConfiguration.assignPublicIp is a boolean in Pulumi, ENABLED/DISABLED in the API.
          networkConfiguration: net
            ? defined({
                subnets: net.subnets,
                securityGroups: net.securityGroups,
                assignPublicIp: net.assignPublicIp === undefined ? undefined : net.assignPublicIp === "ENABLED",
              })
            : undefined,
          loadBalancers: s.loadBalancers?.length
            ? s.loadBalancers.map((lb) =>
                defined({
                  targetGroupArn: lb.targetGroupArn,
                  elbName: lb.loadBalancerName,
                  containerName: lb.containerName,
                  containerPort: lb.containerPort,
                }),
              )
            : undefined,
          tags: tagMap(s.tags),
        },
        s.serviceArn,
      ),
    );
  }
  return entries;
}

async function readRds(ctx: Ctx, region: string): Promise<InventoryEntry[]> {
  const client = ctx.clients.rds(region);
  const entries: InventoryEntry[] = [];
  for await (const page of paginateDescribeDBInstances({ client }, {}))
    for (const i of page.DBInstances ?? []) {
      if (!i.DBInstanceIdentifier || i.DBClusterIdentifier) continue; // Aurora members: aws:rds/clusterInstance
      entries.push(
        live(
          "rds:DescribeDBInstances",
          "aws:rds/instance:Instance",
          i.DBInstanceIdentifier,
          i.DBInstanceIdentifier, // rds/instance.d.ts "## Import": the `identifier`
          {
            identifier: i.DBInstanceIdentifier,
            engine: i.Engine,
            engineVersion: i.EngineVersion,
            instanceClass: i.DBInstanceClass,
            parameterGroupName: i.DBParameterGroups?.[0]?.DBParameterGroupName,
            dbSubnetGroupName: i.DBSubnetGroup?.DBSubnetGroupName,
            vpcSecurityGroupIds: i.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId).filter((g) => g !== undefined),
            allocatedStorage: i.AllocatedStorage,
            maxAllocatedStorage: i.MaxAllocatedStorage,
            storageType: i.StorageType,
            storageEncrypted: i.StorageEncrypted,
            kmsKeyId: i.KmsKeyId,
            publiclyAccessible: i.PubliclyAccessible,
            deletionProtection: i.DeletionProtection,
            multiAz: i.MultiAZ,
            backupRetentionPeriod: i.BackupRetentionPeriod,
            backupWindow: i.PreferredBackupWindow,
            maintenanceWindow: i.PreferredMaintenanceWindow,
            copyTagsToSnapshot: i.CopyTagsToSnapshot,
            autoMinorVersionUpgrade: i.AutoMinorVersionUpgrade,
            caCertIdentifier: i.CACertificateIdentifier,
            iamDatabaseAuthenticationEnabled: i.IAMDatabaseAuthenticationEnabled,
            enabledCloudwatchLogsExports: i.EnabledCloudwatchLogsExports ?? [],
            performanceInsightsEnabled: i.PerformanceInsightsEnabled,
            performanceInsightsRetentionPeriod: i.PerformanceInsightsRetentionPeriod,
            performanceInsightsKmsKeyId: i.PerformanceInsightsKMSKeyId,
            monitoringInterval: i.MonitoringInterval,
            monitoringRoleArn: i.MonitoringRoleArn,
            username: i.MasterUsername,
            port: i.Endpoint?.Port ?? i.DbInstancePort,
            tags: tagMap(i.TagList),
          },
          i.DBInstanceArn,
        ),
      );
      if (ctx.extras && i.DBSubnetGroup?.Subnets?.length && !ctx.extrasOut.network)
        ctx.extrasOut.network = {
          vpcIds: i.DBSubnetGroup.VpcId ? [i.DBSubnetGroup.VpcId] : [],
          subnetIds: i.DBSubnetGroup.Subnets.map((s) => s.SubnetIdentifier).filter((s): s is string => s !== undefined),
          routeTableIds: [],
        };
    }
  // Parameter groups: the account's own (a `default.` group belongs to RDS and cannot be managed).
  const groups: { name: string; family?: string; description?: string; arn?: string }[] = [];
  for await (const page of paginateDescribeDBParameterGroups({ client }, {}))
    for (const g of page.DBParameterGroups ?? [])
      if (g.DBParameterGroupName && !g.DBParameterGroupName.startsWith("default."))
        groups.push({
          name: g.DBParameterGroupName,
          family: g.DBParameterGroupFamily,
          description: g.Description,
          arn: g.DBParameterGroupArn,
        });
  const withParameters = await mapLimit(groups, CONCURRENCY, async (g) => {
    const parameters: Attrs[] = [];
    // Only the values set on the group, what ParameterGroupArgs.parameters lists: DescribeDBParameters
    // with Source "user" ("Parameters that were modified by the user", RDS API Reference,
    // DescribeDBParameters). A parameter answered with another Source is dropped all the same.
    for await (const page of paginateDescribeDBParameters({ client }, { DBParameterGroupName: g.name, Source: "user" }))
      for (const p of page.Parameters ?? [])
        if ((p.Source === undefined || p.Source === "user") && p.ParameterName)
          parameters.push(defined({ name: p.ParameterName, value: p.ParameterValue, applyMethod: p.ApplyMethod }));
    parameters.sort((a, b) => String(a.name).localeCompare(String(b.name)));
    return live(
      "rds:DescribeDBParameters",
      "aws:rds/parameterGroup:ParameterGroup",
      g.name,
      g.name, // rds/parameterGroup.d.ts "## Import": the `name`
      { name: g.name, family: g.family, description: g.description, parameters },
      g.arn,
    );
  });
  return [...entries, ...withParameters];
}

async function readLogGroups(ctx: Ctx, region: string): Promise<InventoryEntry[]> {
  const client = ctx.clients.logs(region);
  const entries: InventoryEntry[] = [];
  for await (const page of paginateDescribeLogGroups({ client }, {}))
    for (const g of page.logGroups ?? [])
      if (g.logGroupName)
        entries.push(
          live(
            "logs:DescribeLogGroups",
            "aws:cloudwatch/logGroup:LogGroup",
            g.logGroupName,
            g.logGroupName, // cloudwatch/logGroup.d.ts "## Import": the `name`
            {
              name: g.logGroupName,
              retentionInDays: g.retentionInDays ?? 0,
              kmsKeyId: g.kmsKeyId,
              logGroupClass: g.logGroupClass,
            },
            // `arn` ends with ":*"; logGroupArn is the group's own ARN.
            g.logGroupArn ?? g.arn,
          ),
        );
  return entries;
}

async function readElastiCache(ctx: Ctx, region: string): Promise<InventoryEntry[]> {
  const client = ctx.clients.elasticache(region);
  const members = new Map<string, CacheCluster>();
  for await (const page of paginateDescribeCacheClusters({ client }, {}))
    for (const c of page.CacheClusters ?? []) if (c.CacheClusterId) members.set(c.CacheClusterId, c);
  const entries: InventoryEntry[] = [];
  for await (const page of paginateDescribeReplicationGroups({ client }, {}))
    for (const g of page.ReplicationGroups ?? []) {
      if (!g.ReplicationGroupId) continue;
      // Engine version, subnet/parameter/security groups and the maintenance window are per member cluster.
      const first = members.get(g.MemberClusters?.[0] ?? "");
      const endpoint = g.NodeGroups?.[0]?.PrimaryEndpoint ?? g.ConfigurationEndpoint;
      entries.push(
        live(
          "elasticache:DescribeReplicationGroups",
          "aws:elasticache/replicationGroup:ReplicationGroup",
          g.ReplicationGroupId,
          g.ReplicationGroupId, // elasticache/replicationGroup.d.ts "## Import": the `replicationGroupId`
          {
            replicationGroupId: g.ReplicationGroupId,
            description: g.Description,
            engine: g.Engine ?? first?.Engine,
            engineVersion: first?.EngineVersion,
            nodeType: g.CacheNodeType,
            port: endpoint?.Port,
            numCacheClusters: g.ClusterEnabled ? undefined : g.MemberClusters?.length,
            multiAzEnabled: g.MultiAZ === undefined ? undefined : g.MultiAZ === "enabled",
            automaticFailoverEnabled: g.AutomaticFailover === undefined ? undefined : g.AutomaticFailover === "enabled",
            atRestEncryptionEnabled: g.AtRestEncryptionEnabled,
            kmsKeyId: g.KmsKeyId,
            transitEncryptionEnabled: g.TransitEncryptionEnabled,
            transitEncryptionMode: g.TransitEncryptionMode,
            subnetGroupName: first?.CacheSubnetGroupName,
            parameterGroupName: first?.CacheParameterGroup?.CacheParameterGroupName,
            securityGroupIds: first?.SecurityGroups?.map((s) => s.SecurityGroupId).filter((s) => s !== undefined),
            snapshotRetentionLimit: g.SnapshotRetentionLimit,
            snapshotWindow: g.SnapshotWindow,
            maintenanceWindow: first?.PreferredMaintenanceWindow,
            autoMinorVersionUpgrade: g.AutoMinorVersionUpgrade,
            userGroupIds: g.UserGroupIds,
          },
          g.ARN,
        ),
      );
    }
  if (ctx.extras) {
    let newest: LiveExtras["redisSnapshot"];
    for await (const page of paginateDescribeSnapshots({ client }, { SnapshotSource: "manual" }))
      for (const s of page.Snapshots ?? []) {
        const at = s.NodeSnapshots?.[0]?.SnapshotCreateTime?.toISOString();
        if (s.SnapshotName && (!newest || (at ?? "") > (newest.createdAt ?? "")))
          newest = {
            name: s.SnapshotName,
            replicationGroupId: s.ReplicationGroupId ?? s.CacheClusterId,
            createdAt: at,
          };
      }
    ctx.extrasOut.redisSnapshot = newest;
  }
  return entries;
}

async function readGuardDuty(ctx: Ctx, region: string): Promise<InventoryEntry[]> {
  const client = ctx.clients.guardduty(region);
  const ids: string[] = [];
  for await (const page of paginateListDetectors({ client }, {})) ids.push(...(page.DetectorIds ?? []));
  // One detector per account and region (GuardDuty CreateDetector refuses a second).
  return mapLimit(ids, CONCURRENCY, async (id) => {
    const d = await client.send(new GetDetectorCommand({ DetectorId: id }));
    return live(
      "guardduty:GetDetector",
      "aws:guardduty/detector:Detector",
      ctx.accountId, // a singleton: lib/inventory.ts SINGLETON_TYPES
      id, // guardduty/detector.d.ts "## Import": the detector ID
      {
        enable: d.Status === undefined ? undefined : d.Status === "ENABLED",
        findingPublishingFrequency: d.FindingPublishingFrequency,
        tags: d.Tags,
      },
      `arn:${ctx.partition}:guardduty:${region}:${ctx.accountId}:detector/${id}`,
    );
  });
}

async function readSecurityHub(ctx: Ctx, region: string): Promise<InventoryEntry[]> {
  const client = ctx.clients.securityhub(region);
  let hub: { HubArn?: string; AutoEnableControls?: boolean; ControlFindingGenerator?: string };
  try {
    hub = await client.send(new DescribeHubCommand({}));
  } catch (error) {
    // Security Hub answers InvalidAccessException when the account is not subscribed: nothing exists.
    if (isAwsError(error, "InvalidAccessException")) return [];
    throw error;
  }
  const entries = [
    live(
      "securityhub:DescribeHub",
      "aws:securityhub/account:Account",
      ctx.accountId, // a singleton
      ctx.accountId, // securityhub/account.d.ts "## Import": the AWS account ID
      { autoEnableControls: hub.AutoEnableControls, controlFindingGenerator: hub.ControlFindingGenerator },
      hub.HubArn,
    ),
  ];
  for await (const page of paginateGetEnabledStandards({ client }, {}))
    for (const s of page.StandardsSubscriptions ?? [])
      if (s.StandardsArn && s.StandardsSubscriptionArn)
        entries.push(
          live(
            "securityhub:GetEnabledStandards",
            "aws:securityhub/standardsSubscription:StandardsSubscription",
            s.StandardsArn,
            s.StandardsSubscriptionArn, // securityhub/standardsSubscription.d.ts "## Import": the subscription `arn`
            { standardsArn: s.StandardsArn },
            s.StandardsSubscriptionArn,
          ),
        );
  return entries;
}

async function readTrails(ctx: Ctx, region: string): Promise<InventoryEntry[]> {
  const client = ctx.clients.cloudtrail(region);
  // Without shadow trails: each trail once, from its home region. DescribeTrails has no paginator.
  const out = await client.send(new DescribeTrailsCommand({ includeShadowTrails: false }));
  return mapLimit(
    (out.trailList ?? []).filter((t) => t.TrailARN && t.Name),
    CONCURRENCY,
    async (t) => {
      const status = await client.send(new GetTrailStatusCommand({ Name: t.TrailARN }));
      const tags = await client.send(new ListTagsCommand({ ResourceIdList: [t.TrailARN!] }));
      return live(
        "cloudtrail:DescribeTrails",
        "aws:cloudtrail/trail:Trail",
        t.Name!,
        t.TrailARN!, // cloudtrail/trail.d.ts "## Import": the `arn`
        {
          name: t.Name,
          s3BucketName: t.S3BucketName,
          s3KeyPrefix: t.S3KeyPrefix,
          isMultiRegionTrail: t.IsMultiRegionTrail,
          isOrganizationTrail: t.IsOrganizationTrail,
          includeGlobalServiceEvents: t.IncludeGlobalServiceEvents,
          enableLogFileValidation: t.LogFileValidationEnabled,
          enableLogging: status.IsLogging,
          kmsKeyId: t.KmsKeyId,
          cloudWatchLogsGroupArn: t.CloudWatchLogsLogGroupArn,
          cloudWatchLogsRoleArn: t.CloudWatchLogsRoleArn,
          snsTopicName: t.SnsTopicName,
          tags: tagMap(tags.ResourceTagList?.[0]?.TagsList),
        },
        t.TrailARN,
      );
    },
  );
}

async function readQueues(ctx: Ctx, region: string): Promise<InventoryEntry[]> {
  const client = ctx.clients.sqs(region);
  const urls: string[] = [];
  for await (const page of paginateListQueues({ client }, {})) urls.push(...(page.QueueUrls ?? []));
  return mapLimit(urls, CONCURRENCY, async (url) => {
    const a =
      (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }))).Attributes ?? {};
    const tags = (await client.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {};
    const name = a.QueueArn?.split(":")[5] ?? url.split("/").pop()!;
    return live(
      "sqs:GetQueueAttributes",
      "aws:sqs/queue:Queue",
      name,
      url, // sqs/queue.d.ts "## Import": the queue `url`
      {
        name,
        fifoQueue: bool(a.FifoQueue) ?? false,
        contentBasedDeduplication: bool(a.ContentBasedDeduplication),
        deduplicationScope: a.DeduplicationScope,
        fifoThroughputLimit: a.FifoThroughputLimit,
        delaySeconds: num(a.DelaySeconds),
        maxMessageSize: num(a.MaximumMessageSize),
        messageRetentionSeconds: num(a.MessageRetentionPeriod),
        receiveWaitTimeSeconds: num(a.ReceiveMessageWaitTimeSeconds),
        visibilityTimeoutSeconds: num(a.VisibilityTimeout),
        kmsMasterKeyId: nonEmpty(a.KmsMasterKeyId),
        kmsDataKeyReusePeriodSeconds: num(a.KmsDataKeyReusePeriodSeconds),
        sqsManagedSseEnabled: bool(a.SqsManagedSseEnabled),
        // JSON documents stay strings, as in QueueArgs.
        redrivePolicy: nonEmpty(a.RedrivePolicy),
        redriveAllowPolicy: nonEmpty(a.RedriveAllowPolicy),
        policy: nonEmpty(a.Policy),
        tags,
      },
      a.QueueArn,
    );
  });
}

async function readTables(ctx: Ctx, region: string): Promise<InventoryEntry[]> {
  const client = ctx.clients.dynamodb(region);
  const names: string[] = [];
  for await (const page of paginateListTables({ client }, {})) names.push(...(page.TableNames ?? []));
  return mapLimit(names, CONCURRENCY, async (name) => {
    const t = (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
    const ttl = (await client.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
    const pitr = (await client.send(new DescribeContinuousBackupsCommand({ TableName: name })))
      .ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
    const tags = t?.TableArn
      ? (await client.send(new ListTagsOfResourceCommand({ ResourceArn: t.TableArn }))).Tags
      : undefined;
    const key = (type: string) => t?.KeySchema?.find((k) => k.KeyType === type)?.AttributeName;
    const billingMode = t?.BillingModeSummary?.BillingMode ?? "PROVISIONED";
    const provisioned = billingMode === "PROVISIONED";
    return live(
      "dynamodb:DescribeTable",
      "aws:dynamodb/table:Table",
      name,
      name, // dynamodb/table.d.ts "## Import": the `name`
      {
        name,
        billingMode,
        hashKey: key("HASH"),
        rangeKey: key("RANGE"),
        attributes: t?.AttributeDefinitions?.map((d) => ({ name: d.AttributeName, type: d.AttributeType })),
        globalSecondaryIndexes: t?.GlobalSecondaryIndexes?.length
          ? t.GlobalSecondaryIndexes.map((i) =>
              defined({
                name: i.IndexName,
                keySchemas: i.KeySchema?.map((k) => ({ attributeName: k.AttributeName, keyType: k.KeyType })),
                projectionType: i.Projection?.ProjectionType,
                nonKeyAttributes: i.Projection?.NonKeyAttributes,
              }),
            )
          : undefined,
        readCapacity: provisioned ? t?.ProvisionedThroughput?.ReadCapacityUnits : undefined,
        writeCapacity: provisioned ? t?.ProvisionedThroughput?.WriteCapacityUnits : undefined,
        streamEnabled: t?.StreamSpecification?.StreamEnabled ?? false,
        streamViewType: t?.StreamSpecification?.StreamViewType,
        tableClass: t?.TableClassSummary?.TableClass ?? "STANDARD",
        deletionProtectionEnabled: t?.DeletionProtectionEnabled,
        ttl: ttl
          ? defined({
              attributeName: ttl.AttributeName,
              enabled: ttl.TimeToLiveStatus === "ENABLED" || ttl.TimeToLiveStatus === "ENABLING",
            })
          : undefined,
        pointInTimeRecovery: pitr
          ? defined({
              enabled: pitr.PointInTimeRecoveryStatus === "ENABLED",
              recoveryPeriodInDays: pitr.RecoveryPeriodInDays,
            })
          : undefined,
        // No SSEDescription: encrypted with an AWS owned key, which Pulumi writes as enabled: false.
        serverSideEncryption: t?.SSEDescription
          ? defined({ enabled: t.SSEDescription.Status === "ENABLED", kmsKeyArn: t.SSEDescription.KMSMasterKeyArn })
          : { enabled: false },
        tags: tagMap(tags),
      },
      t?.TableArn,
    );
  });
}

async function readTopics(ctx: Ctx, region: string): Promise<InventoryEntry[]> {
  const client = ctx.clients.sns(region);
  const arns: string[] = [];
  for await (const page of paginateListTopics({ client }, {}))
    for (const t of page.Topics ?? []) if (t.TopicArn) arns.push(t.TopicArn);
  return mapLimit(arns, CONCURRENCY, async (arn) => {
    const a = (await client.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes ?? {};
    const tags = (await client.send(new ListSnsTags({ ResourceArn: arn }))).Tags;
    const name = arn.split(":")[5]!;
    return live(
      "sns:GetTopicAttributes",
      "aws:sns/topic:Topic",
      name,
      arn, // sns/topic.d.ts "## Import": the topic `arn`
      {
        name,
        displayName: nonEmpty(a.DisplayName),
        kmsMasterKeyId: nonEmpty(a.KmsMasterKeyId),
        policy: nonEmpty(a.Policy),
        deliveryPolicy: nonEmpty(a.DeliveryPolicy),
        fifoTopic: bool(a.FifoTopic) ?? false,
        contentBasedDeduplication: bool(a.ContentBasedDeduplication),
        signatureVersion: num(a.SignatureVersion),
        tracingConfig: nonEmpty(a.TracingConfig),
        tags: tagMap(tags),
      },
      arn,
    );
  });
}

async function readAnomalyMonitors(ctx: Ctx): Promise<InventoryEntry[]> {
  const client = ctx.clients.costExplorer();
  const entries: InventoryEntry[] = [];
  for await (const page of paginateGetAnomalyMonitors({ client }, {}))
    for (const m of page.AnomalyMonitors ?? [])
      if (m.MonitorArn && m.MonitorName)
        entries.push(
          live(
            "ce:GetAnomalyMonitors",
            "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
            m.MonitorName,
            m.MonitorArn, // costexplorer/anomalyMonitor.d.ts "## Import": the `id` (the monitor's ARN)
            {
              name: m.MonitorName,
              monitorType: m.MonitorType,
              monitorDimension: m.MonitorDimension,
              // AnomalyMonitorArgs.monitorSpecification is the expression as a JSON string.
              monitorSpecification: m.MonitorSpecification ? JSON.stringify(m.MonitorSpecification) : undefined,
            },
            m.MonitorArn,
          ),
        );
  return entries;
}

async function readBudgets(ctx: Ctx): Promise<InventoryEntry[]> {
  const client = ctx.clients.budgets();
  const AccountId = ctx.accountId;
  const budgets = [];
  for await (const page of paginateDescribeBudgets({ client }, { AccountId })) budgets.push(...(page.Budgets ?? []));
  return mapLimit(
    budgets.filter((b) => b.BudgetName),
    CONCURRENCY,
    async (b) => {
      const name = b.BudgetName!;
      const notifications =
        (await client.send(new DescribeNotificationsForBudgetCommand({ AccountId, BudgetName: name }))).Notifications ??
        [];
      const withSubscribers = [];
      for (const n of notifications) {
        const subs =
          (
            await client.send(
              new DescribeSubscribersForNotificationCommand({ AccountId, BudgetName: name, Notification: n }),
            )
          ).Subscribers ?? [];
        withSubscribers.push({
          comparisonOperator: n.ComparisonOperator,
          notificationType: n.NotificationType,
          threshold: n.Threshold,
          thresholdType: n.ThresholdType ?? "PERCENTAGE",
          subscriberEmailAddresses: subs.filter((s) => s.SubscriptionType === "EMAIL").map((s) => s.Address),
          subscriberSnsTopicArns: subs.filter((s) => s.SubscriptionType === "SNS").map((s) => s.Address),
        });
      }
      const id = `${AccountId}:${name}`; // budgets/budget.d.ts "## Import": `AccountID:BudgetName`
      return live(
        "budgets:DescribeBudgets",
        "aws:budgets/budget:Budget",
        name,
        id,
        {
          name,
          accountId: AccountId,
          budgetType: b.BudgetType,
          limitAmount: b.BudgetLimit?.Amount,
          limitUnit: b.BudgetLimit?.Unit,
          timeUnit: b.TimeUnit,
          costFilters:
            b.CostFilters && Object.keys(b.CostFilters).length
              ? Object.entries(b.CostFilters).map(([n, values]) => ({ name: n, values }))
              : undefined,
          notifications: withSubscribers,
        },
        `arn:${ctx.partition}:budgets::${AccountId}:budget/${name}`,
      );
    },
  );
}

/** The VPCs and route tables of the subnets the ECS services (or else the database) run in. */
async function readNetwork(ctx: Ctx, region: string, entries: readonly InventoryEntry[]): Promise<void> {
  const fromServices = entries
    .filter((e) => e.type === "aws:ecs/service:Service")
    .flatMap((e) => (e.attributes.networkConfiguration as { subnets?: string[] } | undefined)?.subnets ?? []);
  const subnetIds = [...new Set(fromServices.length ? fromServices : (ctx.extrasOut.network?.subnetIds ?? []))].sort();
  if (subnetIds.length === 0) return;
  const client = ctx.clients.ec2(region);
  const vpcIds = new Set<string>();
  for await (const page of paginateDescribeSubnets({ client }, { SubnetIds: subnetIds }))
    for (const s of page.Subnets ?? []) if (s.VpcId) vpcIds.add(s.VpcId);
  const routeTableIds = new Set<string>();
  for await (const page of paginateDescribeRouteTables(
    { client },
    { Filters: [{ Name: "association.subnet-id", Values: subnetIds }] },
  ))
    for (const t of page.RouteTables ?? []) if (t.RouteTableId) routeTableIds.add(t.RouteTableId);
  ctx.extrasOut.network = { vpcIds: [...vpcIds].sort(), subnetIds, routeTableIds: [...routeTableIds].sort() };
}

/** Reads the account in `context.region`, every service at once, each at most CONCURRENCY calls at a time. */
export async function readLive(clients: LiveClients, context: LiveContext): Promise<LiveRead> {
  const ctx: Ctx = { ...context, clients, problems: [], extrasOut: {} };
  const { region } = context;
  const readers: [string, string, () => Promise<InventoryEntry[]>][] = [
    ["ECS clusters and services", region, () => readEcs(ctx, region)],
    ["RDS instances and parameter groups", region, () => readRds(ctx, region)],
    ["CloudWatch log groups", region, () => readLogGroups(ctx, region)],
    ["ElastiCache replication groups", region, () => readElastiCache(ctx, region)],
    ["GuardDuty detectors", region, () => readGuardDuty(ctx, region)],
    ["Security Hub", region, () => readSecurityHub(ctx, region)],
    ["CloudTrail trails", region, () => readTrails(ctx, region)],
    ["SQS queues", region, () => readQueues(ctx, region)],
    ["DynamoDB tables", region, () => readTables(ctx, region)],
    ["SNS topics", region, () => readTopics(ctx, region)],
    ["Cost Explorer anomaly monitors", "global", () => readAnomalyMonitors(ctx)],
    ["budgets", "global", () => readBudgets(ctx)],
  ];
  const results = await Promise.all(
    readers.map(async ([what, where, read]) => {
      context.progress?.(`reading ${what} (${where})...`);
      const entries = await guard(ctx, what, where, read);
      context.progress?.(`read ${what}: ${entries.length}`);
      return entries;
    }),
  );
  const entries = results.flat();
  if (context.extras)
    await guard(ctx, "the network of the ECS services (EC2 subnets and route tables)", region, async () => {
      await readNetwork(ctx, region, entries);
      return [];
    });
  return { entries, problems: ctx.problems, extras: ctx.extrasOut, services: readers.map(([what]) => what) };
}
