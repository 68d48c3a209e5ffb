import { expect } from "chai";
import { describe, it } from "mocha";
import {
  DEFAULT_SERVICE_SCALING,
  DEFAULT_SERVICE_THRESHOLDS,
  ObservedCluster,
  type ObservedClusterArgs,
  scalingPolicyRows,
  serviceAlarmRows,
} from "../../components/observed-cluster";
import { ArgsError } from "../../components/spec";
import { attempt } from "../support/args-error";
import { inputsOf, ofType, one, record } from "../support/pulumi-harness";

const topic = "arn:aws:sns:us-east-1:317805897534:huntaze-ops-alerts";
const service = {
  name: "huntaze-app",
  taskDefinition: "huntaze-app",
  subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
  securityGroupIds: ["sg-0a1b2c3d4e5f60011"],
};
const build = (extra: Partial<ObservedClusterArgs> = {}) =>
  record(
    () =>
      new ObservedCluster("ecs", {
        clusterName: "huntaze-cluster",
        services: [service],
        alarmTopicArn: topic,
        ...extra,
      }),
  );

async function rejects(extra: Partial<ObservedClusterArgs>): Promise<string> {
  try {
    await build(extra);
  } catch (e) {
    return String(e);
  }
  return "no error";
}

describe("components/observed-cluster: the seed's tables", () => {
  it("alarms on CPU > 70 % and memory > 80 % over 5 minutes, running tasks < 1 over 1 minute", () => {
    const rows = serviceAlarmRows("c", "s", { ...DEFAULT_SERVICE_THRESHOLDS });
    expect(rows.map((r) => [r.metricName, r.comparison, r.threshold, r.periodSeconds])).to.deep.equal([
      ["CPUUtilization", "GreaterThanThreshold", 70, 300],
      ["MemoryUtilization", "GreaterThanThreshold", 80, 300],
      ["RunningTaskCount", "LessThanThreshold", 1, 60],
    ]);
    expect(rows[2]!.namespace).to.equal("ECS/ContainerInsights");
    expect(rows[2]!.treatMissingData).to.equal("breaching");
    for (const r of rows) expect(r.dimensions).to.deep.equal({ ClusterName: "c", ServiceName: "s" });
  });

  it("tracks CPU 70 % and memory 80 %", () => {
    expect(scalingPolicyRows({ ...DEFAULT_SERVICE_SCALING })).to.deep.equal([
      { key: "cpu", metric: "ECSServiceAverageCPUUtilization", target: 70 },
      { key: "memory", metric: "ECSServiceAverageMemoryUtilization", target: 80 },
    ]);
  });
});

describe("components/observed-cluster: ObservedCluster", () => {
  it("turns on enhanced Container Insights and encrypted, logged ECS Exec", async () => {
    const run = await build();
    const cluster = inputsOf(one(run, "aws:ecs/cluster:Cluster"));
    expect(cluster.name).to.equal("huntaze-cluster");
    expect(cluster.settings).to.deep.equal([{ name: "containerInsights", value: "enhanced" }]);
    const exec = (cluster.configuration as { executeCommandConfiguration: Record<string, unknown> })
      .executeCommandConfiguration;
    expect(exec.logging).to.equal("OVERRIDE");
    expect(exec.kmsKeyId).to.equal(one(run, "aws:kms/key:Key").outputs.arn);
  });

  it("runs services private, with the circuit breaker, desiredCount left to autoscaling, in the given groups", async () => {
    const run = await build();
    const svc = one(run, "aws:ecs/service:Service");
    expect(inputsOf(svc)).to.deep.include({
      name: "huntaze-app",
      launchType: "FARGATE",
      platformVersion: "LATEST",
      deploymentCircuitBreaker: { enable: true, rollback: true },
      networkConfiguration: {
        subnets: service.subnetIds,
        securityGroups: service.securityGroupIds,
        assignPublicIp: false,
      },
    });
    expect(svc.options.ignoreChanges).to.include("desiredCount");
    // Never opens ingress: no security group or rule is created.
    expect(ofType(run, "aws:ec2/securityGroup:SecurityGroup")).to.deep.equal([]);
    expect(ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).to.deep.equal([]);
  });

  it("scales 1–10 tasks on CPU 70 % and memory 80 % with 300 s in / 60 s out cooldowns", async () => {
    const run = await build();
    expect(inputsOf(one(run, "aws:appautoscaling/target:Target"))).to.include({
      minCapacity: 1,
      maxCapacity: 10,
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: "service/huntaze-cluster/huntaze-app",
    });
    const policies = ofType(run, "aws:appautoscaling/policy:Policy").map(
      (p) => inputsOf(p).targetTrackingScalingPolicyConfiguration as Record<string, unknown>,
    );
    expect(policies.map((p) => p.targetValue).sort()).to.deep.equal([70, 80]);
    for (const p of policies) expect(p).to.include({ scaleInCooldown: 300, scaleOutCooldown: 60 });
  });

  it("sends the three service alarms to the topic", async () => {
    const run = await build();
    const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map(inputsOf);
    expect(alarms.map((a) => a.name).sort()).to.deep.equal([
      "huntaze-cluster-huntaze-app-cpu",
      "huntaze-cluster-huntaze-app-memory",
      "huntaze-cluster-huntaze-app-running-tasks",
    ]);
    for (const a of alarms) expect(a.alarmActions).to.deep.equal([topic]);
  });

  it("keeps logs 30 days, audit logs (ECS Exec) 90, encrypted", async () => {
    const run = await build({ logGroups: [{ name: "/ecs/huntaze-cluster" }, { name: "/ecs/audit", audit: true }] });
    const groups = Object.fromEntries(
      ofType(run, "aws:cloudwatch/logGroup:LogGroup").map((g) => [inputsOf(g).name, inputsOf(g).retentionInDays]),
    );
    expect(groups).to.deep.equal({ "/ecs/huntaze-cluster": 30, "/ecs/audit": 90, "/ecs/huntaze-cluster/exec": 90 });
    for (const g of ofType(run, "aws:cloudwatch/logGroup:LogGroup"))
      expect(inputsOf(g).kmsKeyId).to.equal(one(run, "aws:kms/key:Key").outputs.arn);
  });

  it("refuses a service without a security group, a duplicate service and a bad task range", async () => {
    const message = await rejects({
      services: [
        { ...service, securityGroupIds: [] },
        { ...service, scaling: { minTasks: 5, maxTasks: 2 } },
      ],
    });
    // One ArgsError naming each field, what it allows and what was given (wording of the shared
    // validator since the spec: "services[1].scaling.maxTasks: … got 2" was "… got 5..2").
    expect(message).to.include("ArgsError");
    expect(message).to.include(
      "services[0].securityGroupIds: expected a list of at least 1 item, each a security group id (sg- and 8 or 17 hex digits), got []",
    );
    expect(message).to.match(
      /services: expected services with distinct names, got \[\{"name":"huntaze-app".*"name":"huntaze-app"/,
    );
    expect(message).to.include("services[1].scaling.maxTasks: expected an integer ≥ minTasks, got 2");
  });
});

/** `new ObservedCluster` with args as another project might pass them: the error, and the AWS children registered. */
const fromAnotherProject = (given: unknown) => attempt(() => new ObservedCluster("x", given as never));

describe("components/observed-cluster: args from another project", () => {
  it("takes a task definition as family, family:revision or ARN (CreateService's forms)", async () => {
    const arn = "arn:aws:ecs:us-east-1:317805897534:task-definition/huntaze-app:7";
    for (const taskDefinition of ["huntaze-app", "huntaze-app:7", arn]) {
      const run = await build({ services: [{ ...service, taskDefinition }] });
      expect(inputsOf(one(run, "aws:ecs/service:Service")).taskDefinition).to.equal(taskDefinition);
    }
  });

  it("no args: an ArgsError naming each required field, before any child", async () => {
    for (const given of [{}, undefined]) {
      const { error, children } = await fromAnotherProject(given);
      expect(error).to.be.instanceOf(ArgsError);
      expect(children).to.deep.equal([]);
      expect((error as ArgsError).problems).to.deep.equal([
        {
          key: "clusterName",
          allowed: "an ECS cluster name (1–255 letters, digits, - or _)",
          got: "nothing (the key is missing)",
        },
        {
          key: "alarmTopicArn",
          allowed: "an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)",
          got: "nothing (the key is missing)",
        },
      ]);
    }
  });

  it("wrong values: every one named with what is allowed and what was given, before any child", async () => {
    const { error, children } = await fromAnotherProject({
      clusterName: "my cluster",
      containerInsights: "on",
      alarmTopicArn: "ops-topic",
      services: [
        {
          name: "api",
          taskDefinition: "api:latest",
          subnetIds: ["subnet-1"],
          securityGroupIds: "sg-0a1b2c3d4e5f60011",
          thresholds: { cpuPercent: 120 },
          scaling: { minTasks: 0, cpuTargetPercent: 0 },
        },
        { taskDefinition: "api" },
      ],
      logGroups: [{ name: "/ecs/my cluster", retentionDays: 10 }],
    });
    expect(error).to.be.instanceOf(ArgsError);
    expect(children).to.deep.equal([]);
    expect((error as ArgsError).problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`)).to.deep.equal([
      'clusterName: expected an ECS cluster name (1–255 letters, digits, - or _), got "my cluster"',
      'containerInsights: expected one of enhanced, enabled, got "on"',
      'services[0].taskDefinition: expected a task definition family, family:revision or task definition ARN, got "api:latest"',
      'services[0].subnetIds[0]: expected a subnet id (subnet- and 8 or 17 hex digits), got "subnet-1"',
      'services[0].securityGroupIds: expected a list of at least 1 item, each a security group id (sg- and 8 or 17 hex digits), got "sg-0a1b2c3d4e5f60011"',
      "services[0].thresholds.cpuPercent: expected a number > 0 and ≤ 100, got 120",
      "services[0].scaling.minTasks: expected an integer from 1 to 1000, got 0",
      "services[0].scaling.cpuTargetPercent: expected a number > 0 and ≤ 100, got 0",
      "services[1].name: expected an ECS service name (1–255 letters, digits, - or _), got nothing (the key is missing)",
      "services[1].subnetIds: expected a list of at least 1 item, each a subnet id (subnet- and 8 or 17 hex digits), got nothing (the key is missing)",
      "services[1].securityGroupIds: expected a list of at least 1 item, each a security group id (sg- and 8 or 17 hex digits), got nothing (the key is missing)",
      'logGroups[0].name: expected a log group name (1–512 letters, digits, . - _ / #), got "/ecs/my cluster"',
      "logGroups[0].retentionDays: expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got 10",
      'alarmTopicArn: expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got "ops-topic"',
    ]);
  });
});
