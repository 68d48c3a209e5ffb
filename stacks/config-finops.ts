import * as v from "valibot";
import {
  costTrackingFields as cost,
  DEFAULT_ACCOUNT_BUDGET_USD,
  describeField,
  flagOr,
  strictObject,
} from "../components/specs";
import { type WorkflowQueueConfig, WorkflowQueueSection, workflowQueueConfig } from "./config-workflow-queue";
import type { ConfigReader } from "./validation";

// `huntaze:finops` (cost tables, budgets, anomaly monitor, workflow queue) and the optional secret
// `huntaze:costAlertWebhookUrl` (an HTTPS endpoint subscribed to the cost topic: a webhook URL
// carries its token, so it is set with `pulumi config set --secret`). The whole section is optional.

// Every range, format and default below is CostTracking's (components/specs/cost-tracking.ts);
// the section adds only the rules that depend on other stack settings (huntaze:manageAccountBaseline).

export interface FinOpsConfig {
  /** The whole account's monthly budget; only where manageAccountBaseline is true. @default DEFAULT_ACCOUNT_BUDGET_USD there, none elsewhere */
  readonly accountBudgetUsd?: number;
  /**
   * The account budget's name: the existing budget's in production (adopted, not created beside it).
   * @default "huntaze-account-monthly"
   */
  readonly accountBudgetName?: string;
  /** Whether this stack owns the account's cost anomaly monitor. @default manageAccountBaseline */
  readonly anomalyMonitor: boolean;
  /**
   * `huntaze:finops.anomalyMonitor: { existingArn }`: the account's AWS-services monitor that exists
   * already (one per account): subscribe to it instead of creating a second, which AWS refuses.
   * @default - none: with anomalyMonitor true, one is created
   */
  readonly anomalyMonitorExistingArn?: string;
  /** Smallest anomaly (total impact, USD) that is reported. @default 50 */
  readonly anomalyThresholdUsd: number;
  /** @default true */
  readonly tableDeletionProtection: boolean;
  /** @default 90 */
  readonly costsTtlDays: number;
  /** @default 30 */
  readonly alertsTtlDays: number;
  /** Cost allocation tag holding the environment (activate it in Billing). @default "Environment" */
  readonly environmentTagKey: string;
  readonly costAlertWebhookUrl?: string;
  /** WorkflowQueue's settings, read against its spec (stacks/config-workflow-queue.ts). */
  readonly workflowQueue: WorkflowQueueConfig;
}

/**
 * `huntaze:finops`: CostTracking's own fields under the stack's names (`tableDeletionProtection` is
 * the component's `deletionProtection`, `accountBudgetUsd` its `accountBudget.limitUsd`, …).
 * `anomalyMonitor` is `true`/`false`, or `{ existingArn }` to adopt the account's monitor (`aws ce
 * get-anomaly-monitors` lists it: MonitorType DIMENSIONAL, MonitorDimension SERVICE).
 */
export const FinOpsSectionSpec = strictObject({
  accountBudgetUsd: v.optional(cost.accountBudgetLimitUsd),
  accountBudgetName: cost.accountBudgetName,
  anomalyMonitor: v.optional(flagOr(strictObject({ existingArn: cost.anomalyMonitorExistingArn.wrapped }))),
  anomalyThresholdUsd: cost.anomalyThresholdUsd,
  tableDeletionProtection: cost.deletionProtection,
  costsTtlDays: cost.costsTtlDays,
  alertsTtlDays: cost.alertsTtlDays,
  environmentTagKey: cost.environmentTagKey,
  /** WorkflowQueue's fields (stacks/config-workflow-queue.ts). */
  workflowQueue: WorkflowQueueSection,
});

/** Reads `huntaze:finops` and `huntaze:costAlertWebhookUrl`; problems land in `c.problems`. */
export function readFinOpsConfig(c: ConfigReader, manageAccountBaseline: boolean): FinOpsConfig {
  const f = c.isObject("finops") ? c.object("finops") : undefined;
  // An unfiltered budget measures the whole account: a second stack would duplicate it.
  const givenAccountBudget = f?.spec("accountBudgetUsd", v.unknown());
  if (givenAccountBudget !== undefined && !manageAccountBaseline)
    f?.problem(
      "accountBudgetUsd",
      "unset unless huntaze:manageAccountBaseline is true (one account budget)",
      givenAccountBudget,
    );
  // The section's defaults stand in only when it has problems, which parseStackConfig throws.
  const s = c.spec("finops", v.optional(FinOpsSectionSpec, {})) ?? v.parse(FinOpsSectionSpec, {});
  const accountBudgetUsd = manageAccountBaseline ? (s.accountBudgetUsd ?? DEFAULT_ACCOUNT_BUDGET_USD) : undefined;
  const accountBudgetName = s.accountBudgetName;
  if (accountBudgetName !== undefined && accountBudgetUsd === undefined)
    f?.problem(
      "accountBudgetName",
      "unset unless this stack owns the account budget (accountBudgetUsd)",
      accountBudgetName,
    );
  const monitor = s.anomalyMonitor;
  const anomalyMonitor = monitor === undefined ? manageAccountBaseline : monitor !== false;
  const anomalyMonitorExistingArn = typeof monitor === "object" ? monitor.existingArn : undefined;
  const { anomalyThresholdUsd, tableDeletionProtection, costsTtlDays, alertsTtlDays, environmentTagKey } = s;

  const workflowQueue = workflowQueueConfig(s.workflowQueue);

  // An HTTPS subscriber of the cost topic, the component's `subscriptions.httpsEndpoints` field.
  let costAlertWebhookUrl: string | undefined;
  if (c.has("costAlertWebhookUrl")) {
    costAlertWebhookUrl = c.secret("costAlertWebhookUrl");
    if (costAlertWebhookUrl && !v.is(cost.httpsEndpoint, costAlertWebhookUrl))
      // Never shown, even stored in plain text: a webhook URL carries its token.
      c.problems.push({
        key: "huntaze:costAlertWebhookUrl",
        allowed: describeField(cost.httpsEndpoint).allowed ?? "",
        got: "a secret value (not shown)",
      });
  }

  return {
    ...(accountBudgetUsd !== undefined ? { accountBudgetUsd } : {}),
    ...(accountBudgetName !== undefined && accountBudgetUsd !== undefined ? { accountBudgetName } : {}),
    anomalyMonitor,
    ...(anomalyMonitorExistingArn ? { anomalyMonitorExistingArn } : {}),
    anomalyThresholdUsd,
    tableDeletionProtection,
    costsTtlDays,
    alertsTtlDays,
    environmentTagKey,
    ...(costAlertWebhookUrl ? { costAlertWebhookUrl } : {}),
    workflowQueue,
  };
}
