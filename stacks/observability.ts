import * as pulumi from "@pulumi/pulumi";
import { type AlertTopics, HardenedDatabase, ObservedCluster } from "../components";
import type { StackConfig } from "./config";

/**
 * The observed ECS clusters and the hardened RDS instance (seed 002 Days 5, 8, 9; seed 003 §4.2,
 * §5, §6, §8, §9), every alarm to the ops topic.
 */
export function buildObservability(config: StackConfig, alerts: AlertTopics): Record<string, pulumi.Output<unknown>> {
  const o = config.observability;
  const clusters = o.clusters.map(
    (cl) =>
      new ObservedCluster(`ecs-${cl.name}`, {
        clusterName: cl.name,
        containerInsights: cl.containerInsights,
        logGroups: cl.logGroups,
        services: cl.services?.map((svc) => ({
          name: svc.name,
          taskDefinition: svc.taskDefinition,
          subnetIds: svc.subnetIds ?? config.network.privateSubnetIds,
          securityGroupIds: svc.securityGroupIds ?? config.network.appSecurityGroupIds,
          scaling: { minTasks: svc.minTasks, maxTasks: svc.maxTasks },
        })),
        alarmTopicArn: alerts.ops.arn,
        tags: config.tags,
      }),
  );
  const outputs: Record<string, pulumi.Output<unknown>> = {
    ecsClusterNames: pulumi.all(clusters.map((c) => c.clusterName)),
  };
  const db = o.database;
  if (db) {
    const database = new HardenedDatabase("database", {
      identifier: db.identifier,
      instanceClass: db.instanceClass,
      engineVersion: db.engineVersion,
      logMinDurationStatementMs: db.logMinDurationStatementMs,
      maxConnections: db.maxConnections,
      performanceInsightsKmsKeyId: db.performanceInsightsKmsKeyId,
      multiAz: db.multiAz,
      applyImmediately: db.applyImmediately,
      thresholds: db.alarms,
      alarmTopicArn: alerts.ops.arn,
      tags: config.tags,
    });
    outputs.rdsEndpoint = database.endpoint;
    outputs.rdsParameterGroupName = database.parameterGroupName;
  }
  return outputs;
}
