import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type AlarmRow, alarmFromRow } from "./alarms";
import { createComponentKey, type KeyScope, type PolicyStatement } from "./kms-key";
import { DEFAULT_LOG_RETENTION_DAYS } from "./log-retention";
import { cloudWatchLogsKeyStatement } from "./policy-statements";
import { resolveArgs } from "./spec";
import {
  type DEFAULT_SERVICE_SCALING,
  type DEFAULT_SERVICE_THRESHOLDS,
  ObservedClusterSpec,
  type ResolvedObservedCluster,
} from "./specs/observed-cluster";

export { DEFAULT_SERVICE_SCALING, DEFAULT_SERVICE_THRESHOLDS } from "./specs/observed-cluster";

// An ECS cluster the platform watches (seed 002 "Observability Architecture", Days 5 and 9; seed 003
// §5, §6.1, §9): Container Insights, per-service alarms, target-tracking autoscaling, the deployment
// circuit breaker, and log groups with a retention. It adopts existing clusters and services by
// their names (README: import ids) and never opens ingress: services run in the security groups given.

export type ServiceThresholds = { -readonly [K in keyof typeof DEFAULT_SERVICE_THRESHOLDS]: number };
export type ServiceScaling = { -readonly [K in keyof typeof DEFAULT_SERVICE_SCALING]: number };

export interface ObservedServiceArgs {
  /** The service's name (an existing service keeps its name: it is adopted by import). */
  readonly name: string;
  /**
   * Task definition family, family:revision or ARN the service runs. Deploys outside Pulumi move the
   * revision on, so later changes of it are ignored (the application pipeline owns it).
   */
  readonly taskDefinition: pulumi.Input<string>;
  /** Private subnets of the tasks. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** Security groups of the tasks (at least one: the component never creates an open one). */
  readonly securityGroupIds: readonly pulumi.Input<string>[];
  /** Load balancer attachments the service already has (omitting them would detach them). @default - none */
  readonly loadBalancers?: readonly {
    readonly targetGroupArn: pulumi.Input<string>;
    readonly containerName: string;
    readonly containerPort: number;
  }[];
  /** Alarm thresholds. @default - DEFAULT_SERVICE_THRESHOLDS, for each one left out */
  readonly thresholds?: Partial<ServiceThresholds>;
  /** Autoscaling (minTasks ≤ maxTasks). @default - DEFAULT_SERVICE_SCALING, for each one left out */
  readonly scaling?: Partial<ServiceScaling>;
}

export interface ObservedLogGroupArgs {
  readonly name: string;
  /** Audit/security logs keep 90 days instead of 30. */
  readonly audit?: boolean;
  /** @default 30, or 90 when audit */
  readonly retentionDays?: number;
}

export interface ObservedClusterArgs {
  /** The cluster's physical name (unique per account and region: staging carries its environment). */
  readonly clusterName: string;
  /** "enhanced" (task and container level) or "enabled". */
  readonly containerInsights?: "enhanced" | "enabled";
  /** Services watched, autoscaled and adopted by name (distinct names). */
  readonly services?: readonly ObservedServiceArgs[];
  /** Log groups the cluster's tasks write to, given a retention. @default - `/ecs/<clusterName>` (30 days) */
  readonly logGroups?: readonly ObservedLogGroupArgs[];
  /** Topic every alarm notifies (the ops topic). */
  readonly alarmTopicArn: pulumi.Input<string>;
  readonly tags?: Record<string, string>;
}

/** The alarm table of one service (pure: tests read the thresholds off it). */
export function serviceAlarmRows(clusterName: string, serviceName: string, t: ServiceThresholds): AlarmRow[] {
  const dimensions = { ClusterName: clusterName, ServiceName: serviceName };
  return [
    {
      key: "cpu",
      description: `${clusterName}/${serviceName} CPUUtilization > ${t.cpuPercent}% for 5 minutes`,
      namespace: "AWS/ECS",
      metricName: "CPUUtilization",
      dimensions,
      statistic: "Average",
      periodSeconds: 300,
      comparison: "GreaterThanThreshold",
      threshold: t.cpuPercent,
    },
    {
      key: "memory",
      description: `${clusterName}/${serviceName} MemoryUtilization > ${t.memoryPercent}% for 5 minutes`,
      namespace: "AWS/ECS",
      metricName: "MemoryUtilization",
      dimensions,
      statistic: "Average",
      periodSeconds: 300,
      comparison: "GreaterThanThreshold",
      threshold: t.memoryPercent,
    },
    {
      // Needs Container Insights; no data means no running task reports: the service is down.
      key: "running-tasks",
      description: `${clusterName}/${serviceName} has fewer than ${t.minRunningTasks} running task(s) for 1 minute (service down)`,
      namespace: "ECS/ContainerInsights",
      metricName: "RunningTaskCount",
      dimensions,
      statistic: "Minimum",
      periodSeconds: 60,
      comparison: "LessThanThreshold",
      threshold: t.minRunningTasks,
      treatMissingData: "breaching",
    },
  ];
}

/** The two target-tracking policies of a service (pure). */
export function scalingPolicyRows(s: ServiceScaling): {
  key: string;
  metric: "ECSServiceAverageCPUUtilization" | "ECSServiceAverageMemoryUtilization";
  target: number;
}[] {
  return [
    { key: "cpu", metric: "ECSServiceAverageCPUUtilization", target: s.cpuTargetPercent },
    { key: "memory", metric: "ECSServiceAverageMemoryUtilization", target: s.memoryTargetPercent },
  ];
}

/** The log key's statement: CloudWatch Logs may use it for this cluster's log groups only. */
export function logKeyStatements(scope: KeyScope, logGroupNames: readonly string[]): PolicyStatement[] {
  return [cloudWatchLogsKeyStatement("CloudWatchLogsEncrypt", scope, logGroupNames)];
}

type ResolvedService = ResolvedObservedCluster["services"][number];

/** The log groups: those given (or `/ecs/<clusterName>`) and the ECS Exec one, each with its retention. */
export function clusterLogGroups(s: Pick<ResolvedObservedCluster, "clusterName" | "logGroups">): {
  name: string;
  audit: boolean;
  retentionDays: number;
}[] {
  return [
    ...(s.logGroups ?? [{ name: `/ecs/${s.clusterName}`, audit: false, retentionDays: undefined }]),
    // ECS Exec sessions are audit logs.
    { name: execLogGroup(s.clusterName), audit: true, retentionDays: undefined },
  ].map((lg) => ({
    name: lg.name,
    audit: lg.audit,
    retentionDays:
      lg.retentionDays ?? (lg.audit ? DEFAULT_LOG_RETENTION_DAYS.audit : DEFAULT_LOG_RETENTION_DAYS.default),
  }));
}

const execLogGroup = (clusterName: string) => `/ecs/${clusterName}/exec`;

/** One service: the Fargate service, its scalable target and two tracking policies, its three alarms. */
function observedService(
  name: string,
  s: ResolvedObservedCluster,
  svc: ResolvedService,
  cluster: aws.ecs.Cluster,
  parent: pulumi.ComponentResource,
): void {
  const { tags } = s;
  const child = `${name}-${svc.name}`;
  const service = new aws.ecs.Service(
    child,
    {
      name: svc.name,
      cluster: cluster.arn,
      taskDefinition: svc.taskDefinition,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      // The first value only: autoscaling owns it afterwards (ignoreChanges below).
      desiredCount: svc.scaling.minTasks,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      networkConfiguration: {
        subnets: [...svc.subnetIds],
        securityGroups: [...svc.securityGroupIds],
        assignPublicIp: false,
      },
      loadBalancers: svc.loadBalancers?.map((lb) => ({ ...lb })),
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      tags,
    },
    { parent, ignoreChanges: ["desiredCount", "taskDefinition"] },
  );
  const target = new aws.appautoscaling.Target(
    `${child}-scaling`,
    {
      serviceNamespace: "ecs",
      resourceId: pulumi.interpolate`service/${s.clusterName}/${service.name}`,
      scalableDimension: "ecs:service:DesiredCount",
      minCapacity: svc.scaling.minTasks,
      maxCapacity: svc.scaling.maxTasks,
      tags,
    },
    { parent },
  );
  for (const row of scalingPolicyRows(svc.scaling)) {
    new aws.appautoscaling.Policy(
      `${child}-scale-${row.key}`,
      {
        name: `${s.clusterName}-${svc.name}-${row.key}-target`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        resourceId: target.resourceId,
        scalableDimension: target.scalableDimension,
        targetTrackingScalingPolicyConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: row.metric },
          targetValue: row.target,
          scaleInCooldown: svc.scaling.scaleInCooldownSeconds,
          scaleOutCooldown: svc.scaling.scaleOutCooldownSeconds,
        },
      },
      { parent },
    );
  }
  for (const row of serviceAlarmRows(s.clusterName, svc.name, svc.thresholds))
    alarmFromRow({ name: child, namePrefix: `${s.clusterName}-${svc.name}`, topicArn: s.alarmTopicArn, tags }, row, {
      parent,
    });
}

/**
 * An ECS cluster with Container Insights and its services watched, autoscaled and protected by the
 * deployment circuit breaker. Children are named `${name}-...`; physical names come from the
 * cluster and service names.
 */
export class ObservedCluster extends pulumi.ComponentResource {
  readonly cluster: aws.ecs.Cluster;
  readonly clusterName: pulumi.Output<string>;
  readonly serviceNames: string[];
  readonly logGroupNames: string[];

  constructor(name: string, args: ObservedClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("huntaze:observability:ObservedCluster", name, {}, opts);
    const s = resolveArgs("ObservedCluster", name, ObservedClusterSpec, args);
    const parent = { parent: this };
    const { clusterName, tags } = s;
    const logGroups = clusterLogGroups(s);

    const key = createComponentKey(
      `${name}-logs-key`,
      {
        description: `Encrypts the ${clusterName} ECS logs and ECS Exec sessions`,
        alias: `${clusterName}-ecs-logs`,
        statements: (scope) =>
          logKeyStatements(
            scope,
            logGroups.map((lg) => lg.name),
          ),
        tags,
      },
      parent,
    );
    for (const lg of logGroups) {
      new aws.cloudwatch.LogGroup(
        `${name}-log-${lg.name.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}`,
        { name: lg.name, retentionInDays: lg.retentionDays, kmsKeyId: key.arn, tags },
        parent,
      );
    }

    this.cluster = new aws.ecs.Cluster(
      name,
      {
        name: clusterName,
        settings: [{ name: "containerInsights", value: s.containerInsights }],
        configuration: {
          executeCommandConfiguration: {
            kmsKeyId: key.arn,
            logging: "OVERRIDE",
            logConfiguration: { cloudWatchLogGroupName: execLogGroup(clusterName), cloudWatchEncryptionEnabled: true },
          },
        },
        tags,
      },
      parent,
    );
    for (const svc of s.services) observedService(name, s, svc, this.cluster, this);

    this.clusterName = this.cluster.name;
    this.serviceNames = s.services.map((svc) => svc.name);
    this.logGroupNames = logGroups.map((lg) => lg.name);
    this.registerOutputs({ clusterName: this.clusterName, clusterArn: this.cluster.arn });
  }
}
