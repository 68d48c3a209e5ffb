// The live path end to end: moto (one server for this file, seeded once) stands in for account
// 317805897534 with the resources the console/CLI made in production, and the CLI runs as a child
// process with moto's environment (AWS_ENDPOINT_URL), as an operator would run it.
//
// moto 5 has no Cost Explorer anomaly monitors (its `ce` backend serves cost categories and
// GetCostAndUsage only), no Security Hub GetEnabledStandards, and its server answers the current
// SDK's CloudTrail requests (X-Amz-Target CloudTrail_20131101.*) with an empty 404.
// aws-sdk-client-mock cannot reach a child process, so those APIs are answered by a small HTTP stub
// in this file, which the CLI reaches through the SDK's per-service endpoint settings
// AWS_ENDPOINT_URL_COST_EXPLORER, AWS_ENDPOINT_URL_SECURITYHUB and AWS_ENDPOINT_URL_CLOUDTRAIL
// (which also shows the CLI honours them).

import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { BudgetsClient, CreateBudgetCommand } from "@aws-sdk/client-budgets";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import {
  AssociateRouteTableCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { CreateReplicationGroupCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { CreateDetectorCommand, GuardDutyClient } from "@aws-sdk/client-guardduty";
import {
  CreateDBInstanceCommand,
  CreateDBParameterGroupCommand,
  ModifyDBParameterGroupCommand,
  RDSClient,
} from "@aws-sdk/client-rds";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { expect } from "chai";
import {
  entryKey,
  type Inventory,
  type InventoryEntry,
  indexInventory,
  physicalNameOf,
  readInventory,
} from "../../../lib/inventory";
import { runInventory } from "../../../tools/inventory/main";
import { type RunningMoto, startMoto } from "../../../tools/moto/server";
import { type CliResult, repoRoot, runTool } from "../../support/cli";

const ACCOUNT = "317805897534";
const REGION = "us-east-1";
const MONITOR_ARN = `arn:aws:ce::${ACCOUNT}:anomalymonitor/5f1c8e2a-0b3d-4c6e-9a7f-2d4b6c8e0a1f`;
const FSBP = `arn:aws:securityhub:${REGION}::standards/aws-foundational-security-best-practices/v/1.0.0`;
const FSBP_SUBSCRIPTION = `arn:aws:securityhub:${REGION}:${ACCOUNT}:subscription/aws-foundational-security-best-practices/v/1.0.0`;
const PI_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0d7c4b1e-8a2f-4e3d-9c6b-1f5a7e9d2c40`;
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/huntaze-org-trail`;
const STATE = path.join(repoRoot, "tests/fixtures/terraform/production-hardening.tfstate");

/** Cost Explorer (awsJson1_1) and Security Hub (restJson1) answers moto does not have; `failing` makes CE refuse. */
function startStub(): Promise<{ url: string; failing: { ce: boolean }; close(): Promise<void> }> {
  const failing = { ce: false };
  const server = http.createServer((req, res) => {
    // The request bodies carry nothing these answers depend on: drain them, then answer.
    req.resume();
    req.on("end", () => {
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1", ...headers });
        res.end(JSON.stringify(payload));
      };
      const target = String(req.headers["x-amz-target"] ?? "");
      if (target === "AWSInsightsIndexService.GetAnomalyMonitors") {
        if (failing.ce)
          return json(400, {
            __type: "AccessDeniedException",
            Message: "User is not authorized to perform: ce:GetAnomalyMonitors",
          });
        return json(200, {
          AnomalyMonitors: [
            {
              MonitorArn: MONITOR_ARN,
              MonitorName: "Default-Services-Monitor",
              MonitorType: "DIMENSIONAL",
              MonitorDimension: "SERVICE",
              CreationDate: "2025-11-02",
            },
          ],
        });
      }
      if (target === "CloudTrail_20131101.DescribeTrails")
        return json(200, {
          trailList: [
            {
              Name: "huntaze-org-trail",
              TrailARN: TRAIL_ARN,
              HomeRegion: REGION,
              S3BucketName: "huntaze-cloudtrail-logs-317805897534",
              IsMultiRegionTrail: true,
              IncludeGlobalServiceEvents: true,
              LogFileValidationEnabled: true,
              IsOrganizationTrail: false,
            },
          ],
        });
      if (target === "CloudTrail_20131101.GetTrailStatus") return json(200, { IsLogging: true });
      if (target === "CloudTrail_20131101.ListTags")
        return json(200, {
          ResourceTagList: [{ ResourceId: TRAIL_ARN, TagsList: [{ Key: "Project", Value: "huntaze" }] }],
        });
      if (req.method === "GET" && req.url?.startsWith("/accounts"))
        return json(200, {
          HubArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:hub/default`,
          SubscribedAt: "2025-11-03T10:00:00.000Z",
          AutoEnableControls: true,
          ControlFindingGenerator: "SECURITY_CONTROL",
        });
      if (req.method === "POST" && req.url?.startsWith("/standards/get"))
        return json(200, {
          StandardsSubscriptions: [
            {
              StandardsSubscriptionArn: FSBP_SUBSCRIPTION,
              StandardsArn: FSBP,
              StandardsInput: {},
              StandardsStatus: "READY",
            },
          ],
        });
      json(404, { __type: "UnknownOperationException", Message: `stub: ${req.method} ${req.url} ${target}` });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, failing, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

describe("npm run inventory -- --live, against moto (tools/inventory/live.ts)", function () {
  this.timeout(180_000);
  let moto: RunningMoto;
  let stub: Awaited<ReturnType<typeof startStub>>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inventory-live-"));
  const subnets: string[] = [];
  let routeTable = "";
  let vpc = "";
  let securityGroup = "";

  const run = (args: string[]): Promise<CliResult> => {
    // Only moto's credentials and endpoints: nothing of the caller's AWS settings leaks in.
    const env: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")),
    );
    return runTool("inventory.ts", ["--stack", "production", ...args], {
      ...env,
      ...moto.env,
      AWS_ENDPOINT_URL_COST_EXPLORER: stub.url,
      AWS_ENDPOINT_URL_SECURITYHUB: stub.url,
      AWS_ENDPOINT_URL_CLOUDTRAIL: stub.url,
    });
  };

  before(async () => {
    [moto, stub] = await Promise.all([startMoto({ accountId: ACCOUNT }), startStub()]);
    const config = moto.clientConfig(REGION);

    const ec2 = new EC2Client(config);
    vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
    for (const [i, cidr] of ["10.0.1.0/24", "10.0.2.0/24"].entries())
      subnets.push(
        (
          await ec2.send(
            new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: `${REGION}${"ab"[i]}` }),
          )
        ).Subnet!.SubnetId!,
      );
    securityGroup = (
      await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: "app", Description: "app" }))
    ).GroupId!;
    routeTable = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
    for (const SubnetId of subnets)
      await ec2.send(new AssociateRouteTableCommand({ RouteTableId: routeTable, SubnetId }));

    const ecs = new ECSClient(config);
    const layout = [
      ["ai-team", "ai-team-api"],
      ["huntaze-cluster", "huntaze-app"],
      ["huntaze-of-fargate", "huntaze-of-worker"],
    ];
    for (const [cluster, service] of layout) {
      await ecs.send(
        new CreateClusterCommand({ clusterName: cluster, settings: [{ name: "containerInsights", value: "enabled" }] }),
      );
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: service,
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          cpu: "256",
          memory: "512",
          containerDefinitions: [{ name: service!, image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${service}:1` }],
        }),
      );
      await ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: service,
          taskDefinition: `${service}:1`,
          desiredCount: 2,
          launchType: "FARGATE",
          networkConfiguration: {
            awsvpcConfiguration: { subnets, securityGroups: [securityGroup], assignPublicIp: "DISABLED" },
          },
        }),
      );
    }

    const rds = new RDSClient(config);
    await rds.send(
      new CreateDBParameterGroupCommand({
        DBParameterGroupName: "huntaze-postgres-production-params",
        DBParameterGroupFamily: "postgres15",
        Description: "force_ssl",
      }),
    );
    await rds.send(
      new ModifyDBParameterGroupCommand({
        DBParameterGroupName: "huntaze-postgres-production-params",
        Parameters: [{ ParameterName: "rds.force_ssl", ParameterValue: "1", ApplyMethod: "pending-reboot" }],
      }),
    );
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "huntaze-postgres-production",
        DBInstanceClass: "db.t3.medium",
        Engine: "postgres",
        EngineVersion: "15.7",
        AllocatedStorage: 50,
        MasterUsername: "huntaze",
        MasterUserPassword: "moto-only-password-1",
        DBParameterGroupName: "huntaze-postgres-production-params",
        StorageEncrypted: true,
        EnablePerformanceInsights: true,
        PerformanceInsightsKMSKeyId: PI_KEY,
        PerformanceInsightsRetentionPeriod: 7,
      }),
    );

    const ddb = new DynamoDBClient(config);
    for (const TableName of ["huntaze-ai-costs-production", "huntaze-cost-alerts-production"]) {
      await ddb.send(
        new CreateTableCommand({
          TableName,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [
            { AttributeName: "pk", AttributeType: "S" },
            { AttributeName: "sk", AttributeType: "S" },
          ],
          KeySchema: [
            { AttributeName: "pk", KeyType: "HASH" },
            { AttributeName: "sk", KeyType: "RANGE" },
          ],
        }),
      );
      await ddb.send(
        new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true } }),
      );
    }

    const sqs = new SQSClient(config);
    const queue = async (QueueName: string, Attributes: Record<string, string> = {}) => {
      const url = (await sqs.send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;
      return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] })))
        .Attributes!.QueueArn!;
    };
    const fifoDlq = await queue("huntaze-hybrid-workflows-dlq.fifo", { FifoQueue: "true" });
    await queue("huntaze-hybrid-workflows.fifo", {
      FifoQueue: "true",
      VisibilityTimeout: "300",
      ReceiveMessageWaitTimeSeconds: "20",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: fifoDlq, maxReceiveCount: 3 }),
    });
    const dlq = await queue("huntaze-rate-limiter-queue-dlq");
    await queue("huntaze-rate-limiter-queue", {
      VisibilityTimeout: "90",
      ReceiveMessageWaitTimeSeconds: "20",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq, maxReceiveCount: 5 }),
    });

    await new SNSClient(config).send(new CreateTopicCommand({ Name: "huntaze-cost-alerts" }));
    await new GuardDutyClient(config).send(
      new CreateDetectorCommand({ Enable: true, FindingPublishingFrequency: "FIFTEEN_MINUTES" }),
    );
    const logs = new CloudWatchLogsClient(config);
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/ecs/huntaze-cluster" }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: "/ecs/huntaze-cluster", retentionInDays: 30 }));
    await new ElastiCacheClient(config).send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "huntaze-redis-encrypted",
        ReplicationGroupDescription: "encrypted Redis (seed 000)",
        Engine: "redis",
        CacheNodeType: "cache.t3.micro",
        NumCacheClusters: 2,
        AtRestEncryptionEnabled: true,
        TransitEncryptionEnabled: true,
        AuthToken: "moto-only-auth-token-0123456789",
      }),
    );
    // A budget without notifications: moto has no DescribeSubscribersForNotification.
    await new BudgetsClient(config).send(
      new CreateBudgetCommand({
        AccountId: ACCOUNT,
        Budget: {
          BudgetName: "huntaze-monthly-budget",
          BudgetType: "COST",
          TimeUnit: "MONTHLY",
          BudgetLimit: { Amount: "500.0", Unit: "USD" },
        },
      }),
    );
  });
  after(async () => {
    await Promise.all([moto?.stop(), stub?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  let result: CliResult;
  let inventory: Inventory;
  let byKey: Map<string, InventoryEntry>;
  const entry = (type: string, name: string) => {
    const e = byKey.get(entryKey(type, name));
    expect(e, `${type} ${name} in ${[...byKey.keys()].map((k) => k.replace("\u0000", " ")).join(", ")}`).to.not.equal(
      undefined,
    );
    return e!;
  };

  it("reads the account, merges the Terraform state and writes the inventory (exit 0)", async () => {
    const out = path.join(dir, "production.json");
    result = await run(["--live", "--terraform-state", STATE, "--out", out, "--propose-config"]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.match(/\[inventory\] reading account 317805897534 in us-east-1/);
    inventory = readInventory(out);
    byKey = indexInventory(inventory);
    expect(inventory.accountId).to.equal(ACCOUNT);
    expect(inventory.sources.map((s) => s.kind)).to.deep.equal(["terraform", "live"]);
  });

  it("then the production preview adopts every seeded resource the stack declares: import with the inventory's id, no create of a held name", async () => {
    // The offline preview of the real program against the inventory just read (the type check is
    // tested elsewhere: --transpile-only keeps this run short).
    const preview = await runTool("preview.ts", [
      "--stack",
      "production",
      "--inventory",
      path.join(dir, "production.json"),
      "--json",
      "--quiet",
      "--transpile-only",
    ]);
    expect(preview.code, preview.stderr.slice(-2000)).to.equal(0);
    const report = JSON.parse(preview.stdout) as {
      resources: { type: string; inputs: Record<string, unknown>; op?: string; importId?: string }[];
    };
    const adopted = new Map<string, { op?: string; importId?: string }>();
    let creates = 0;
    for (const r of report.resources) {
      const name = physicalNameOf(r.type, r.inputs, ACCOUNT);
      if (name === undefined) continue;
      const held = byKey.get(entryKey(r.type, name));
      if (held) adopted.set(entryKey(r.type, name), { op: r.op, importId: r.importId });
      if (held && r.op === "create") creates++;
    }
    expect(creates, "creates of a name the inventory holds").to.equal(0);
    // What moto was seeded with (and the state holds) that the production program declares.
    const expected: [string, string][] = [
      ["aws:ecs/cluster:Cluster", "ai-team"],
      ["aws:ecs/cluster:Cluster", "huntaze-cluster"],
      ["aws:ecs/cluster:Cluster", "huntaze-of-fargate"],
      ["aws:ecs/service:Service", "ai-team/ai-team-api"],
      ["aws:ecs/service:Service", "huntaze-cluster/huntaze-app"],
      ["aws:ecs/service:Service", "huntaze-of-fargate/huntaze-of-worker"],
      ["aws:rds/instance:Instance", "huntaze-postgres-production"],
      ["aws:dynamodb/table:Table", "huntaze-ai-costs-production"],
      ["aws:dynamodb/table:Table", "huntaze-cost-alerts-production"],
      ["aws:sqs/queue:Queue", "huntaze-hybrid-workflows.fifo"],
      ["aws:sqs/queue:Queue", "huntaze-hybrid-workflows-dlq.fifo"],
      ["aws:sqs/queue:Queue", "huntaze-rate-limiter-queue"],
      ["aws:sqs/queue:Queue", "huntaze-rate-limiter-queue-dlq"],
      ["aws:sns/topic:Topic", "huntaze-cost-alerts"],
      ["aws:cloudwatch/logGroup:LogGroup", "/ecs/huntaze-cluster"],
      ["aws:elasticache/replicationGroup:ReplicationGroup", "huntaze-redis-encrypted"],
      ["aws:guardduty/detector:Detector", ACCOUNT],
      ["aws:budgets/budget:Budget", "huntaze-monthly-budget"],
    ];
    for (const [type, name] of expected) {
      const step = adopted.get(entryKey(type, name));
      expect(step, `${type} ${name} is declared by the production program and adopted`).to.not.equal(undefined);
      // Pulumi's step: an import, followed by an update where the declared inputs differ.
      expect(["import", "update"], `${type} ${name}: op ${step?.op}`).to.include(step?.op);
      expect(step?.importId, `${type} ${name}`).to.equal(entry(type, name).importId);
    }
  });

  it("lists the three clusters and their services by cluster/service, with task definition family:revision and network", () => {
    for (const [cluster, service] of [
      ["ai-team", "ai-team-api"],
      ["huntaze-cluster", "huntaze-app"],
      ["huntaze-of-fargate", "huntaze-of-worker"],
    ]) {
      expect(entry("aws:ecs/cluster:Cluster", cluster!).importId).to.equal(cluster);
      const s = entry("aws:ecs/service:Service", `${cluster}/${service}`);
      expect(s.importId).to.equal(`${cluster}/${service}`);
      expect(s.attributes).to.include({
        name: service,
        cluster: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${cluster}`,
        taskDefinition: `${service}:1`,
        desiredCount: 2,
        launchType: "FARGATE",
      });
      expect(s.attributes.networkConfiguration).to.deep.equal({
        subnets,
        securityGroups: [securityGroup],
        assignPublicIp: false,
      });
    }
  });

  it("records the database with its Performance Insights key, and its parameter group's own values", () => {
    const db = entry("aws:rds/instance:Instance", "huntaze-postgres-production");
    expect(db.importId).to.equal("huntaze-postgres-production");
    expect(db.attributes).to.include({
      engine: "postgres",
      instanceClass: "db.t3.medium",
      parameterGroupName: "huntaze-postgres-production-params",
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: PI_KEY,
    });
    expect(db.attributes).to.not.have.any.keys("password", "masterPassword");
    const group = entry("aws:rds/parameterGroup:ParameterGroup", "huntaze-postgres-production-params");
    expect(group.attributes.family).to.equal("postgres15");
    expect(group.attributes.parameters).to.deep.include({
      name: "rds.force_ssl",
      value: "1",
      applyMethod: "pending-reboot",
    });
  });

  it("merges what the state holds with what the account says: one entry each, the state's address kept, live attributes", () => {
    const q = entry("aws:sqs/queue:Queue", "huntaze-rate-limiter-queue");
    expect(q.source).to.deep.equal({ kind: "terraform", address: "aws_sqs_queue.rate_limiter" });
    expect(q.importId).to.match(new RegExp(`/${ACCOUNT}/huntaze-rate-limiter-queue$`));
    expect(q.attributes).to.include({ visibilityTimeoutSeconds: 90, receiveWaitTimeSeconds: 20 });
    expect(JSON.parse(String(q.attributes.redrivePolicy))).to.include({ maxReceiveCount: 5 });
    expect(inventory.resources.filter((e) => e.physicalName === "huntaze-rate-limiter-queue")).to.have.length(1);
    const t = entry("aws:dynamodb/table:Table", "huntaze-ai-costs-production");
    expect(t.importId).to.equal("huntaze-ai-costs-production");
    expect(t.attributes.ttl).to.deep.equal({ attributeName: "ttl", enabled: true });
    expect(entry("aws:sns/topic:Topic", "huntaze-cost-alerts").importId).to.equal(
      `arn:aws:sns:${REGION}:${ACCOUNT}:huntaze-cost-alerts`,
    );
    expect(entry("aws:budgets/budget:Budget", "huntaze-monthly-budget").importId).to.equal(
      `${ACCOUNT}:huntaze-monthly-budget`,
    );
    // Only in the state: the subscriptions, the Slack one without its webhook URL.
    const subs = inventory.resources.filter((e) => e.type === "aws:sns/topicSubscription:TopicSubscription");
    expect(subs).to.have.length(2);
    expect(JSON.stringify(inventory)).to.not.include("hooks.slack.com");
  });

  it("lists the account singletons by account id, the replication group without its token, log groups and the anomaly monitor", () => {
    const detector = entry("aws:guardduty/detector:Detector", ACCOUNT);
    expect(detector.importId).to.match(/^[0-9a-f]{32}$/);
    expect(detector.attributes).to.include({ enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" });
    expect(entry("aws:securityhub/account:Account", ACCOUNT).importId).to.equal(ACCOUNT);
    expect(entry("aws:securityhub/standardsSubscription:StandardsSubscription", FSBP).importId).to.equal(
      FSBP_SUBSCRIPTION,
    );
    const redis = entry("aws:elasticache/replicationGroup:ReplicationGroup", "huntaze-redis-encrypted");
    expect(redis.attributes).to.include({
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      nodeType: "cache.t3.micro",
    });
    expect(JSON.stringify(inventory)).to.not.include("moto-only-auth-token").and.not.include("moto-only-password");
    expect(entry("aws:cloudwatch/logGroup:LogGroup", "/ecs/huntaze-cluster").attributes.retentionInDays).to.equal(30);
    const trail = entry("aws:cloudtrail/trail:Trail", "huntaze-org-trail");
    expect(trail.importId).to.equal(TRAIL_ARN);
    expect(trail.attributes).to.include({
      isMultiRegionTrail: true,
      enableLogFileValidation: true,
      enableLogging: true,
    });
    expect(trail.attributes.tags).to.deep.equal({ Project: "huntaze" });
    const monitor = entry("aws:costexplorer/anomalyMonitor:AnomalyMonitor", "Default-Services-Monitor");
    expect(monitor.importId).to.equal(MONITOR_ARN);
    expect(monitor.attributes).to.deep.equal({
      name: "Default-Services-Monitor",
      monitorType: "DIMENSIONAL",
      monitorDimension: "SERVICE",
    });
  });

  it("--propose-config prints the placeholder values it found, as YAML on stdout", () => {
    expect(result.stdout).to.include(`vpcId: ${vpc}`);
    expect(result.stdout).to.include(routeTable);
    for (const s of subnets) expect(result.stdout).to.include(s);
    expect(result.stdout).to.match(
      /- name: ai-team\n\s+services:\n\s+- name: ai-team-api\n\s+taskDefinition: ai-team-api:1/,
    );
    expect(result.stdout).to.match(/instanceClass: db\.t3\.medium/);
    expect(result.stdout).to.include(MONITOR_ARN).and.include(PI_KEY);
  });

  it("refuses an account other than the stack's (huntaze:accountId), naming both, before reading anything", async () => {
    // In-process, on a copy of the project whose stack names another account; the SDK reads moto's
    // endpoint and credentials from the environment, as the CLI does.
    const root = fs.mkdtempSync(path.join(dir, "other-"));
    fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    fs.writeFileSync(
      path.join(root, "Pulumi.other.yaml"),
      'config:\n  aws:region: us-east-1\n  huntaze:accountId: "111122223333"\n',
    );
    const saved = { ...process.env };
    Object.assign(process.env, moto.env);
    let stderr = "";
    try {
      const code = await runInventory(["--stack", "other", "--live"], {
        env: { ...process.env, INIT_CWD: root },
        root,
        stdout: () => {},
        stderr: (t) => {
          stderr += t;
        },
      });
      expect(code, stderr).to.equal(1);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    expect(stderr).to.include(
      "the live account (sts:GetCallerIdentity) is from account 317805897534, but stack other is account 111122223333 (huntaze:accountId in Pulumi.other.yaml)",
    );
    expect(fs.existsSync(path.join(root, "inventory"))).to.equal(false);
  });

  it("writes nothing and exits 3 when an API refuses (AccessDenied on ce:GetAnomalyMonitors)", async () => {
    const out = path.join(dir, "refused.json");
    stub.failing.ce = true;
    try {
      const refused = await run(["--live", "--out", out]);
      expect(refused.code, refused.stderr).to.equal(3);
      expect(refused.stderr).to.match(
        /Cost Explorer anomaly monitors \(global\): access denied \(AccessDeniedException/,
      );
      expect(refused.stderr).to.include("nothing was written");
      expect(fs.existsSync(out)).to.equal(false);
    } finally {
      stub.failing.ce = false;
    }
  });
});
