import * as pulumi from "@pulumi/pulumi";
import { type AlertTopics, CostTracking, WorkflowQueue } from "../components";
import type { StackConfig } from "./config";

/** What the FinOps part reads from the rest of the stack. */
export interface FinOpsDeps {
  readonly alerts: AlertTopics;
  readonly rateLimiterQueueUrl: pulumi.Input<string>;
  readonly redisPrimaryEndpoint: pulumi.Input<string>;
}

/**
 * The FinOps pillar of the stack (seed 002 "FinOps Architecture"): cost tables and budgets, the
 * hybrid workflows FIFO queue, and the seed's Terraform outputs (camelCase; the README maps them).
 */
export function buildFinOps(config: StackConfig, deps: FinOpsDeps): Record<string, pulumi.Output<unknown>> {
  const f = config.finops;
  const env = config.environment;
  const tags = config.tags;

  const costs = new CostTracking("cost-tracking", {
    environment: env,
    costTopic: { arn: deps.alerts.cost.arn, name: deps.alerts.cost.name, kmsKeyArn: deps.alerts.key.arn },
    alarmTopicArn: deps.alerts.ops.arn,
    monthlyBudgetUsd: config.monthlyBudgetUsd,
    // Account-wide singletons: only the stack that owns the account baseline creates them.
    ...(f.accountBudgetUsd !== undefined
      ? {
          accountBudget: {
            limitUsd: f.accountBudgetUsd,
            ...(f.accountBudgetName !== undefined ? { name: f.accountBudgetName } : {}),
          },
        }
      : {}),
    ...(f.anomalyMonitor
      ? {
          anomalyMonitor: {
            thresholdUsd: f.anomalyThresholdUsd,
            ...(f.anomalyMonitorExistingArn ? { existingArn: f.anomalyMonitorExistingArn } : {}),
          },
        }
      : {}),
    environmentTagKey: f.environmentTagKey,
    deletionProtection: f.tableDeletionProtection,
    costsTtlDays: f.costsTtlDays,
    alertsTtlDays: f.alertsTtlDays,
    // Cost emails are subscribed by AlertTopics (huntaze:alerts.costEmails); only the webhook here.
    ...(f.costAlertWebhookUrl ? { subscriptions: { httpsEndpoints: [pulumi.secret(f.costAlertWebhookUrl)] } } : {}),
    tags,
  });

  // Seed name huntaze-hybrid-workflows.fifo: production's config keeps it (the live queue, adopted);
  // staging's default carries the environment, since both stacks share the account.
  const workflows = new WorkflowQueue("workflows", {
    queueName: f.workflowQueue.queueName ?? `huntaze-hybrid-workflows-${env}`,
    alarmTopicArn: deps.alerts.ops.arn,
    visibilityTimeoutSeconds: f.workflowQueue.visibilityTimeoutSeconds,
    maxReceiveCount: f.workflowQueue.maxReceiveCount,
    alarmThresholds: f.workflowQueue.alarms,
    tags,
  });

  return {
    sqsWorkflowQueueUrl: workflows.queueUrl,
    sqsWorkflowDlqUrl: workflows.dlqUrl,
    sqsRateLimiterQueueUrl: pulumi.output(deps.rateLimiterQueueUrl),
    dynamodbCostsTableName: costs.costsTableName,
    dynamodbCostAlertsTableName: costs.alertsTableName,
    snsCostAlertsArn: deps.alerts.cost.arn,
    redisEncryptedEndpoint: pulumi.output(deps.redisPrimaryEndpoint),
    costMonitoringPolicyArn: costs.runtimePolicy.arn,
  };
}
