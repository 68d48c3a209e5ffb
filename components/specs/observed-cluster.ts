import * as v from "valibot";
import { LOG_RETENTION_DAYS } from "../log-retention";
import {
  args,
  fieldRule,
  flag,
  input,
  integer,
  list,
  nonEmpty,
  number,
  oneOf,
  oneOfNumbers,
  stringMap,
  text,
} from "../spec";
import { securityGroupId, snsTopicArn, subnetId } from "./formats";

// ObservedCluster's args as data: the component resolves its args against `ObservedClusterSpec`,
// `huntaze:ecs` (stacks/config-observability.ts) reads its clusters against the same fields, and the
// package README's table is generated from it.

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

/**
 * ECS cluster and service names, and task definition families: "Up to 255 letters (uppercase and
 * lowercase), numbers, underscores, and hyphens" ("CreateCluster" clusterName, "CreateService"
 * serviceName, "RegisterTaskDefinition" family, Amazon ECS API Reference:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html).
 */
export const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/**
 * A task definition: `family`, `family:revision` or its full ARN ("CreateService" taskDefinition:
 * "The family and revision (family:revision) or full ARN of the task definition"; without a
 * revision, the latest ACTIVE one).
 */
export const TASK_DEFINITION =
  /^([A-Za-z0-9_-]{1,255}(:\d+)?|arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+)$/;
/**
 * A log group name: 1–512 of `A-Z a-z 0-9 . - _ / #` ("CreateLogGroup" logGroupName, Amazon
 * CloudWatch Logs API Reference: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html).
 */
export const LOG_GROUP_NAME = /^[A-Za-z0-9_.\-/#]{1,512}$/;

/**
 * Tasks per service: a project bound of 1000, below the "Tasks per service" quota of 5,000
 * ("Amazon ECS service quotas": https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html).
 */
export const MAX_TASKS = 1000;

/** A percentage of CPU or memory (CloudWatch's ECS CPUUtilization/MemoryUtilization, the scaling targets). */
const percent = () => number({ gt: 0, max: 100 });

/** The autoscaling fields (`scaling` of a service; `huntaze:ecs` services take minTasks/maxTasks). */
export const scalingFields = {
  minTasks: v.optional(integer(1, MAX_TASKS), DEFAULT_SERVICE_SCALING.minTasks),
  maxTasks: v.optional(integer(1, MAX_TASKS), DEFAULT_SERVICE_SCALING.maxTasks),
  cpuTargetPercent: v.optional(percent(), DEFAULT_SERVICE_SCALING.cpuTargetPercent),
  memoryTargetPercent: v.optional(percent(), DEFAULT_SERVICE_SCALING.memoryTargetPercent),
  // Integer seconds ("TargetTrackingScalingPolicyConfiguration", Application Auto Scaling API
  // Reference); AWS states no maximum: one hour is a project bound.
  scaleInCooldownSeconds: v.optional(integer(0, 3600), DEFAULT_SERVICE_SCALING.scaleInCooldownSeconds),
  scaleOutCooldownSeconds: v.optional(integer(0, 3600), DEFAULT_SERVICE_SCALING.scaleOutCooldownSeconds),
};

/** minTasks ≤ maxTasks, reported at maxTasks (a service's `scaling`, a `huntaze:ecs` service). */
export function tasksRule<T extends { minTasks: number; maxTasks: number }>() {
  return fieldRule<T>(["minTasks", "maxTasks"], "maxTasks", "an integer ≥ minTasks", (s) => s.maxTasks >= s.minTasks);
}

const scalingBase = args(scalingFields);
export const scaling = v.pipe(scalingBase, tasksRule<v.InferOutput<typeof scalingBase>>());

export const clusterThresholdFields = {
  cpuPercent: v.optional(percent(), DEFAULT_SERVICE_THRESHOLDS.cpuPercent),
  memoryPercent: v.optional(percent(), DEFAULT_SERVICE_THRESHOLDS.memoryPercent),
  minRunningTasks: v.optional(integer(1, MAX_TASKS), DEFAULT_SERVICE_THRESHOLDS.minRunningTasks),
};

/** One service's fields (a `huntaze:ecs` service reuses name, taskDefinition, subnetIds, securityGroupIds). */
export const serviceFields = {
  name: text(ECS_NAME, "an ECS service name (1–255 letters, digits, - or _)"),
  taskDefinition: input(text(TASK_DEFINITION, "a task definition family, family:revision or task definition ARN")),
  subnetIds: list(input(subnetId()), { minItems: 1 }),
  securityGroupIds: list(input(securityGroupId()), { minItems: 1 }),
  loadBalancers: v.optional(
    list(
      args({
        targetGroupArn: input(nonEmpty("a target group ARN")),
        containerName: nonEmpty("a container name"),
        // "LoadBalancer" containerPort, Amazon ECS API Reference: a TCP port.
        containerPort: integer(1, 65535),
      }),
    ),
  ),
  // Functions, so the docs show the JSDoc's words rather than `{}` (each field has its default).
  thresholds: v.optional(args(clusterThresholdFields), () => ({})),
  scaling: v.optional(scaling, () => ({})),
};

/** Each log group's fields (`huntaze:ecs` clusters' logGroups are these). */
export const logGroupFields = {
  name: text(LOG_GROUP_NAME, "a log group name (1–512 letters, digits, . - _ / #)"),
  // The default is computed: 30 days, or 90 when audit (DEFAULT_LOG_RETENTION_DAYS).
  audit: v.optional(flag(), false),
  retentionDays: v.optional(oneOfNumbers(LOG_RETENTION_DAYS)),
};

/** A cluster's services have distinct names (they are its services' physical names), reported at `services`. */
export function distinctServicesRule<T extends { services?: readonly { name: string }[] | undefined }>() {
  return fieldRule<T>(["services.$.name"], "services", "services with distinct names", (a) => {
    const names = (a.services ?? []).map((s) => s.name);
    return new Set(names).size === names.length;
  });
}

export const observedClusterFields = {
  clusterName: text(ECS_NAME, "an ECS cluster name (1–255 letters, digits, - or _)"),
  containerInsights: v.optional(oneOf(["enhanced", "enabled"] as const), "enhanced"),
  services: v.optional(list(args(serviceFields)), []),
  // The default is computed: `/ecs/<clusterName>`.
  logGroups: v.optional(list(args(logGroupFields))),
  alarmTopicArn: input(snsTopicArn()),
  tags: v.optional(stringMap()),
};

const base = args(observedClusterFields);
export const ObservedClusterSpec = v.pipe(base, distinctServicesRule<v.InferOutput<typeof base>>());
export type ResolvedObservedCluster = v.InferOutput<typeof ObservedClusterSpec>;
