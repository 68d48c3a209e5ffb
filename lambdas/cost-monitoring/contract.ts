// The contract between the CostTracking component (which creates the tables and sets the
// environment) and the EnhancedCostMonitoring runtime (which reads and writes them). One home for
// the table layouts, their index names, the TTL attribute, the retention defaults and the
// environment variable names: the component, the runtime and the test harness (dynalite) all build
// from these constants, so they cannot drift. Pure data, no imports: the component library loads it.

// Seed 002, Data Models.
/** AI providers tracked. */
export const PROVIDERS = ["openai", "azure"] as const;
export type Provider = (typeof PROVIDERS)[number];

// Seed 002, Data Models.
/** Agents of the hybrid orchestrator. */
export const AGENTS = ["content", "chatbot", "marketing", "analytics"] as const;
export type Agent = (typeof AGENTS)[number];

// Seed 003 §10.3.
/** Retention of cost entries. */
export const DEFAULT_COSTS_TTL_DAYS = 90;
// Seed 003 §10.3.
/** Retention of alerts. */
export const DEFAULT_ALERTS_TTL_DAYS = 30;
/** Retention of either table, in whole days: 1 day to 10 years (the runtime and the component both check it). */
export const TTL_DAYS_RANGE = { min: 1, max: 3650 } as const;
// Seed 002, FinOps.
/** Percentages of the monthly budget that raise an alert: 80 % and 100 %. */
export const DEFAULT_ALERT_THRESHOLDS_PERCENT = [80, 100] as const;

/** The TTL attribute of both tables: a Number in epoch seconds (milliseconds would never expire). */
export const TTL_ATTRIBUTE = "ttl";

/** One table's key schema and secondary indexes, in DynamoDB's own words (all keys are strings). */
export interface TableLayout {
  readonly hashKey: string;
  readonly rangeKey: string;
  readonly globalSecondaryIndexes: readonly {
    readonly name: string;
    readonly hashKey: string;
    readonly rangeKey: string;
    /** ALL: the index answers the query without a fetch from the base table. */
    readonly projectionType: "ALL" | "KEYS_ONLY";
  }[];
}

/**
 * `huntaze-ai-costs-<env>`: one item per AI request.
 * - pk `COST#<YYYY-MM-DD>#<provider>`, sk `<agent>#<type>#<requestId>` (the design's keys, plus the
 *   request id so a retried request lands on the same item and is counted once);
 * - index `byAgent`: `agentMonth` = `AGENT#<agent>#<YYYY-MM>`, `agentSk` = `<YYYY-MM-DD>#<provider>#<type>#<requestId>`,
 *   so one agent's day or month is one Query whatever the table's size.
 */
export const COSTS_TABLE: TableLayout = {
  hashKey: "pk",
  rangeKey: "sk",
  globalSecondaryIndexes: [{ name: "byAgent", hashKey: "agentMonth", rangeKey: "agentSk", projectionType: "ALL" }],
};

/**
 * `huntaze-cost-alerts-<env>`: one item per alert.
 * - pk `ALERT#<alertId>`, sk the ISO start of the period the alert is about. A budget alert's id is
 *   `budget-<YYYY-MM>-<percent>` (not a random uuid): the deterministic key is what makes a
 *   conditional put create one alert per threshold per month, however many checkers race;
 * - sparse index `pending`: only alerts whose SNS notification has not gone out carry `pending`,
 *   so the next check finds what to retry without reading the other alerts.
 */
export const ALERTS_TABLE: TableLayout = {
  hashKey: "pk",
  rangeKey: "sk",
  globalSecondaryIndexes: [{ name: "pending", hashKey: "pending", rangeKey: "sk", projectionType: "ALL" }],
};

/** Physical table names: the environment is in them (staging and production share an account). */
export function costTableNames(environment: string, prefix = "huntaze"): { costs: string; alerts: string } {
  return { costs: `${prefix}-ai-costs-${environment}`, alerts: `${prefix}-cost-alerts-${environment}` };
}

/**
 * Environment variables the runtime reads (`EnhancedCostMonitoring.fromEnvironment`) and the
 * component publishes (`CostTracking.environment`) for the services that import the library.
 */
export const COST_MONITORING_ENV = {
  costsTable: "COSTS_TABLE_NAME",
  alertsTable: "COST_ALERTS_TABLE_NAME",
  alertTopicArn: "COST_ALERTS_TOPIC_ARN",
  monthlyBudgetUsd: "COST_MONTHLY_BUDGET_USD",
  costsTtlDays: "COSTS_TTL_DAYS",
  alertsTtlDays: "COST_ALERTS_TTL_DAYS",
  environment: "COST_ENVIRONMENT",
} as const;
