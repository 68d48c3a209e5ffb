import { ANOMALY_MONITOR_ARN, DEFAULT_ALERTS_TTL_DAYS, DEFAULT_COSTS_TTL_DAYS } from "../components";
import { readWorkflowQueueConfig, type WorkflowQueueConfig } from "./config-workflow-queue";
import { type ConfigReader, patterns } from "./validation";

// `huntaze:finops` (cost tables, budgets, anomaly monitor, workflow queue) and the optional secret
// `huntaze:costAlertWebhookUrl` (an HTTPS endpoint subscribed to the cost topic: a webhook URL
// carries its token, so it is set with `pulumi config set --secret`). The whole section is optional.

export interface FinOpsConfig {
  /** The whole account's monthly budget; only where manageAccountBaseline is true. @default 500 there, none elsewhere */
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

export const DEFAULT_ACCOUNT_BUDGET_USD = 500;

/** Reads `huntaze:finops` and `huntaze:costAlertWebhookUrl`; problems land in `c.problems`. */
export function readFinOpsConfig(c: ConfigReader, manageAccountBaseline: boolean): FinOpsConfig {
  const f = c.object("finops", { optional: true });
  const int = (key: string, min: number, max: number, fallback: number) =>
    f?.integer(key, { min, max, default: fallback }) ?? fallback;

  let accountBudgetUsd: number | undefined = manageAccountBaseline ? DEFAULT_ACCOUNT_BUDGET_USD : undefined;
  if (f?.has("accountBudgetUsd")) {
    const v = f.number("accountBudgetUsd", { min: 1, max: 1_000_000 });
    // An unfiltered budget measures the whole account: a second stack would duplicate it.
    if (!manageAccountBaseline)
      f.problem("accountBudgetUsd", "unset unless huntaze:manageAccountBaseline is true (one account budget)", v);
    else accountBudgetUsd = v;
  }
  // `anomalyMonitor: true|false`, or `{ existingArn }` to adopt the account's monitor (`aws ce
  // get-anomaly-monitors` lists it: MonitorType DIMENSIONAL, MonitorDimension SERVICE).
  let anomalyMonitor = manageAccountBaseline;
  let anomalyMonitorExistingArn: string | undefined;
  if (f?.isObject("anomalyMonitor")) {
    const m = f.object("anomalyMonitor");
    anomalyMonitorExistingArn = m?.string("existingArn", {
      pattern: ANOMALY_MONITOR_ARN,
      describe:
        "the ARN of the account's existing AWS-services anomaly monitor (arn:aws:ce::<account>:anomalymonitor/<id>)",
    });
    m?.rejectUnknownKeys();
    anomalyMonitor = true;
  } else if (f !== undefined) anomalyMonitor = f.boolean("anomalyMonitor", manageAccountBaseline);

  const accountBudgetName = f?.optionalString("accountBudgetName", {
    // BudgetName: 1–100 characters, no ":" or "\\" (Budget, AWS Billing and Cost Management API Reference).
    pattern: /^[^:\\]{1,100}$/,
    describe: "a budget name (1–100 characters, no : or \\)",
  });
  if (accountBudgetName !== undefined && accountBudgetUsd === undefined)
    f?.problem(
      "accountBudgetName",
      "unset unless this stack owns the account budget (accountBudgetUsd)",
      accountBudgetName,
    );
  const anomalyThresholdUsd = f?.number("anomalyThresholdUsd", { min: 1, max: 1_000_000, default: 50 }) ?? 50;
  const tableDeletionProtection = f?.boolean("tableDeletionProtection", true) ?? true;
  const costsTtlDays = int("costsTtlDays", 1, 3650, DEFAULT_COSTS_TTL_DAYS);
  const alertsTtlDays = int("alertsTtlDays", 1, 3650, DEFAULT_ALERTS_TTL_DAYS);
  const environmentTagKey =
    f?.optionalString("environmentTagKey", {
      pattern: /^(?!aws:)[A-Za-z0-9 _.:/=+@-]{1,128}$/,
      describe: "a user tag key",
    }) ?? "Environment";

  const workflowQueue = readWorkflowQueueConfig(f);
  f?.rejectUnknownKeys();

  let costAlertWebhookUrl: string | undefined;
  if (c.has("costAlertWebhookUrl")) {
    costAlertWebhookUrl = c.secret("costAlertWebhookUrl", { minLength: 12 });
    if (costAlertWebhookUrl && !patterns.httpsUrl.test(costAlertWebhookUrl))
      c.problem("costAlertWebhookUrl", "an https:// URL", costAlertWebhookUrl);
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
