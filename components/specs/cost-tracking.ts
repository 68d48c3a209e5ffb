import * as v from "valibot";
import {
  DEFAULT_ALERTS_TTL_DAYS,
  DEFAULT_COSTS_TTL_DAYS,
  TTL_DAYS_RANGE,
} from "../../lambdas/cost-monitoring/contract";
import { args, flag, group, input, integer, list, number, stringMap, text } from "../spec";
import { topicName } from "./alert-topics";
import { email, httpsUrl, kmsKeyArn, name, snsTopicArn, tagKey } from "./formats";

// CostTracking's args as data, and the FinOps defaults the stack takes from it: the stack's
// `huntaze:monthlyBudgetUsd` and `huntaze:finops` section read these same fields (stacks/config.ts,
// stacks/config-finops.ts), and the package README's table shows them.

/**
 * A monthly amount in USD (a budget or an anomaly threshold). One rule for the component, the stack
 * and the runtime's budget: at least one cent, because the component writes the amount with two
 * decimals (`toFixed(2)`: anything less would be a budget of "0.00"), and at most 1e9, the
 * component's sanity bound (AWS Budgets documents no maximum: "Spend", AWS Billing and Cost
 * Management API Reference, https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Spend.html).
 */
export const usdAmount = number({ min: 0.01, max: 1e9 });

/**
 * A budget name: 1–100 characters; "The : and \ characters, and the "/action/" substring, aren't
 * allowed in BudgetName" (Budget, AWS Billing and Cost Management API Reference,
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html).
 */
export const BUDGET_NAME = /^(?!.*\/action\/)[^:\\]{1,100}$/;

/** An anomaly monitor's ARN ("Controlling access for Cost Anomaly Detection": arn:${partition}:ce::${account-id}:anomalymonitor/${monitor-id}). */
export const ANOMALY_MONITOR_ARN = /^arn:aws[a-z-]*:ce::\d{12}:anomalymonitor\/[0-9a-f-]{36}$/;

/** The account budget (USD) a stack that owns the account baseline gets when its config sets none. */
export const DEFAULT_ACCOUNT_BUDGET_USD = 500;
/** The smallest anomaly (total impact, USD) reported when none is given. */
export const DEFAULT_ANOMALY_THRESHOLD_USD = 50;

const ttlDays = integer(TTL_DAYS_RANGE.min, TTL_DAYS_RANGE.max);

/** The fields CostTracking's args and the stack's FinOps settings share (one object each). */
export const costTrackingFields = {
  monthlyBudgetUsd: usdAmount,
  accountBudgetLimitUsd: usdAmount,
  accountBudgetName: v.optional(text(BUDGET_NAME, 'a budget name (1–100 characters without ":", "\\" or "/action/")')),
  anomalyThresholdUsd: v.optional(usdAmount, DEFAULT_ANOMALY_THRESHOLD_USD),
  anomalyMonitorExistingArn: v.optional(
    text(
      ANOMALY_MONITOR_ARN,
      "the ARN of the account's existing AWS-services anomaly monitor (arn:aws:ce::<account>:anomalymonitor/<id>)",
    ),
  ),
  environmentTagKey: v.optional(tagKey(), "Environment"),
  deletionProtection: v.optional(flag(), true),
  costsTtlDays: v.optional(ttlDays, DEFAULT_COSTS_TTL_DAYS),
  alertsTtlDays: v.optional(ttlDays, DEFAULT_ALERTS_TTL_DAYS),
  /** An HTTPS subscriber of the cost topic (a Slack relay); an Output (a secret) is checked at deploy. */
  httpsEndpoint: input(httpsUrl()),
};

export const accountBudgetSpec = args({
  limitUsd: costTrackingFields.accountBudgetLimitUsd,
  name: costTrackingFields.accountBudgetName,
});

export const anomalyMonitorSpec = args({
  thresholdUsd: costTrackingFields.anomalyThresholdUsd,
  existingArn: costTrackingFields.anomalyMonitorExistingArn,
});

export const CostTrackingSpec = args({
  environment: name(),
  namePrefix: v.optional(name(), "huntaze"),
  costTopic: group({
    arn: input(snsTopicArn()),
    name: input(topicName),
    kmsKeyArn: v.optional(input(kmsKeyArn())),
  }),
  alarmTopicArn: input(snsTopicArn()),
  monthlyBudgetUsd: costTrackingFields.monthlyBudgetUsd,
  accountBudget: v.optional(accountBudgetSpec),
  environmentTagKey: costTrackingFields.environmentTagKey,
  anomalyMonitor: v.optional(anomalyMonitorSpec),
  deletionProtection: costTrackingFields.deletionProtection,
  costsTtlDays: costTrackingFields.costsTtlDays,
  alertsTtlDays: costTrackingFields.alertsTtlDays,
  kmsKeyArn: v.optional(input(kmsKeyArn())),
  subscriptions: v.optional(
    args({
      emails: v.optional(list(email())),
      httpsEndpoints: v.optional(list(costTrackingFields.httpsEndpoint)),
    }),
  ),
  failedNotificationsThreshold: v.optional(number({ min: 0 }), 0),
  tags: v.optional(stringMap()),
});
export type ResolvedCostTrackingArgs = v.InferOutput<typeof CostTrackingSpec>;
