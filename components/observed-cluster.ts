import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type AlarmRow, alarmFromRow } from "./alarms";
import { createComponentKey, type KeyScope, type PolicyStatement } from "./kms-key";
import { DEFAULT_LOG_RETENTION_DAYS } from "./log-retention";
import { cloudWatchLogsKeyStatement } from "./policy-statements";

// An ECS cluster the platform watches (seed 002 "Observability Architecture", Days 5 and 9; seed 003
// §5, §6.1, §9): Container Insights, per-service alarms, target-tracking autoscaling, the deployment
// circuit breaker, and log groups with a retention. It adopts existing clusters and services by
// their names (README: import ids) and never opens ingress: services run in the security groups given.

// From seed 002 "Monitoring & Alerts", seed 003 §6.1 and §9.1.
/** The default ECS alarm thresholds. */
export const DEFAULT_SERVICE_THRESHOLDS = {
  /** CPUUtilization % over 5 minutes. */
  cpuPercent: 70,
  /** MemoryUtilization % over 5 minutes. */
  memoryPercent: 80,
  /** RunningTaskCount below this over 1 minute means the service is down. */
  minRunningTasks: 1,
} as const;

// Seed 003 §9.1.
/** The default autoscaling. */
export const DEFAULT_SERVICE_SCALING = {
  minTasks: 1,
  maxTasks: 10,
  cpuTargetPercent: 70,
  memoryTargetPercent: 80,
  scaleInCooldownSeconds: 300,
  scaleOutCooldownSeconds: 60,
} as const;

export type ServiceThresholds = { -readonly [K in keyof typeof DEFAULT_SERVICE_THRESHOLDS]: number };
export type ServiceScaling = { -readonly [K in keyof typeof DEFAULT_SERVICE_SCALING]: number };

export interface ObservedServiceArgs {
  /** The service's name (an existing service keeps its name: it is adopted by import). */
  readonly name: string;
  /**
   * Task definition family or family:revision the service runs. Deploys outside Pulumi move the
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
  /** @default DEFAULT_SERVICE_THRESHOLDS */
  readonly thresholds?: Partial<ServiceThresholds>;
  /** @default DEFAULT_SERVICE_SCALING */
  readonly scaling?: Partial<ServiceScaling>;
}

export interface ObservedLogGroupArgs {
  readonly name: string;
  /** Audit/security logs keep 90 days instead of 30. @default false */
  readonly audit?: boolean;
  /** @default 30, or 90 when audit */
  readonly retentionDays?: number;
}

export interface ObservedClusterArgs {
  /** The cluster's physical name (unique per account and region: staging carries its environment). */
  readonly clusterName: string;
  /** "enhanced" (task and container level) or "enabled". @default "enhanced" */
  readonly containerInsights?: "enhanced" | "enabled";
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

function validate(name: string, args: ObservedClusterArgs, scaling: ServiceScaling[]): void {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(args.clusterName))
    problems.push(`clusterName must be 1–255 letters, digits, - or _, got "${args.clusterName}"`);
  const seen = new Set<string>();
  (args.services ?? []).forEach((svc, i) => {
    if (seen.has(svc.name)) problems.push(`services[${i}].name "${svc.name}" is listed twice`);
    seen.add(svc.name);
    if (svc.subnetIds.length === 0) problems.push(`services[${i}] (${svc.name}) needs at least one subnet id`);
    if (svc.securityGroupIds.length === 0)
      problems.push(
        `services[${i}] (${svc.name}) needs at least one security group id (the component never creates an open one)`,
      );
    const s = scaling[i]!;
    if (!(s.minTasks >= 1 && s.maxTasks >= s.minTasks))
      problems.push(
        `services[${i}] (${svc.name}) scaling needs 1 <= minTasks <= maxTasks, got ${s.minTasks}..${s.maxTasks}`,
      );
  });
  for (const lg of args.logGroups ?? [])
    if (lg.retentionDays !== undefined && lg.retentionDays < 1)
      problems.push(`logGroups "${lg.name}" retentionDays must be >= 1, got ${lg.retentionDays}`);
  if (problems.length) throw new Error(`ObservedCluster ${name}: ${problems.join("; ")}`);
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
    const parent = { parent: this };
    const services = args.services ?? [];
    const scaling = services.map((s) => ({ ...DEFAULT_SERVICE_SCALING, ...s.scaling }));
    validate(name, args, scaling);
    const tags = args.tags;
    const clusterName = args.clusterName;
    const execLogGroup = `/ecs/${clusterName}/exec`;
    const logGroups: Required<ObservedLogGroupArgs>[] = [
      ...(args.logGroups ?? [{ name: `/ecs/${clusterName}` }]),
      // ECS Exec sessions are audit logs.
      { name: execLogGroup, audit: true },
    ].map((lg) => ({
      name: lg.name,
      audit: lg.audit ?? false,
      retentionDays:
        lg.retentionDays ?? (lg.audit ? DEFAULT_LOG_RETENTION_DAYS.audit : DEFAULT_LOG_RETENTION_DAYS.default),
    }));

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
        settings: [{ name: "containerInsights", value: args.containerInsights ?? "enhanced" }],
        configuration: {
          executeCommandConfiguration: {
            kmsKeyId: key.arn,
            logging: "OVERRIDE",
            logConfiguration: { cloudWatchLogGroupName: execLogGroup, cloudWatchEncryptionEnabled: true },
          },
        },
        tags,
      },
      parent,
    );

    services.forEach((svc, i) => {
      const s = scaling[i]!;
      const t = { ...DEFAULT_SERVICE_THRESHOLDS, ...svc.thresholds };
      const child = `${name}-${svc.name}`;
      const service = new aws.ecs.Service(
        child,
        {
          name: svc.name,
          cluster: this.cluster.arn,
          taskDefinition: svc.taskDefinition,
          launchType: "FARGATE",
          platformVersion: "LATEST",
          // The first value only: autoscaling owns it afterwards (ignoreChanges below).
          desiredCount: s.minTasks,
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
        { parent: this, ignoreChanges: ["desiredCount", "taskDefinition"] },
      );

      const target = new aws.appautoscaling.Target(
        `${child}-scaling`,
        {
          serviceNamespace: "ecs",
          resourceId: pulumi.interpolate`service/${clusterName}/${service.name}`,
          scalableDimension: "ecs:service:DesiredCount",
          minCapacity: s.minTasks,
          maxCapacity: s.maxTasks,
          tags,
        },
        parent,
      );
      for (const row of scalingPolicyRows(s)) {
        new aws.appautoscaling.Policy(
          `${child}-scale-${row.key}`,
          {
            name: `${clusterName}-${svc.name}-${row.key}-target`,
            policyType: "TargetTrackingScaling",
            serviceNamespace: target.serviceNamespace,
            resourceId: target.resourceId,
            scalableDimension: target.scalableDimension,
            targetTrackingScalingPolicyConfiguration: {
              predefinedMetricSpecification: { predefinedMetricType: row.metric },
              targetValue: row.target,
              scaleInCooldown: s.scaleInCooldownSeconds,
              scaleOutCooldown: s.scaleOutCooldownSeconds,
            },
          },
          parent,
        );
      }

      for (const row of serviceAlarmRows(clusterName, svc.name, t))
        alarmFromRow(
          { name: child, namePrefix: `${clusterName}-${svc.name}`, topicArn: args.alarmTopicArn, tags },
          row,
          parent,
        );
    });

    this.clusterName = this.cluster.name;
    this.serviceNames = services.map((s) => s.name);
    this.logGroupNames = logGroups.map((lg) => lg.name);
    this.registerOutputs({ clusterName: this.clusterName, clusterArn: this.cluster.arn });
  }
}
