// EnhancedCostMonitoring (seed 002 §4, seed 003 §12): the thin DynamoDB/SNS edge over the pure core.
// Every AI request is one item, written with a conditional put so a retried or racing request is
// counted once; reads are Queries on keys and indexes (never a Scan) and skip items whose TTL has
// passed but that DynamoDB has not deleted yet.

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { mapLimit } from "../../lib/map-limit";
import {
  AGENTS,
  type Agent,
  ALERTS_TABLE,
  COST_MONITORING_ENV,
  COSTS_TABLE,
  DEFAULT_ALERT_THRESHOLDS_PERCENT,
  DEFAULT_ALERTS_TTL_DAYS,
  DEFAULT_COSTS_TTL_DAYS,
  PROVIDERS,
  type Provider,
  TTL_DAYS_RANGE,
} from "./contract";
import {
  agentMonthKey,
  alertTtlSeconds,
  backoffMs,
  budgetAlertId,
  type CostEntry,
  type CostEntryInput,
  CostInputError,
  type CostTotal,
  costItem,
  costPk,
  crossedThresholds,
  type DateRange,
  daysOfMonth,
  entryFromItem,
  isExpired,
  microToUsd,
  parseDay,
  severityOf,
  totalsOf,
  usdToMicro,
  validateEntry,
  validateRange,
} from "./core";

export interface CostMonitoringOptions {
  readonly costsTable: string;
  readonly alertsTable: string;
  /** The cost alert topic. @default - none: checkBudgetThreshold refuses to run without it */
  readonly alertTopicArn?: string;
  /** The monthly AI budget that checkBudgetThreshold compares the month-to-date spend with. */
  readonly monthlyBudgetUsd: number;
  /** @default [80, 100] */
  readonly thresholdsPercent?: readonly number[];
  /** @default 90 */
  readonly costsTtlDays?: number;
  /** @default 30 */
  readonly alertsTtlDays?: number;
  /** Shown in alert messages. @default "unknown" */
  readonly environment?: string;
  /** @default - a DynamoDB client from the default credential chain */
  readonly dynamodb?: DynamoDBClient;
  /** @default - an SNS client from the default credential chain */
  readonly sns?: SNSClient;
  /** @default - the system clock */
  readonly clock?: () => Date;
  /** @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
  /** BatchWriteItem resends of UnprocessedItems. @default { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 2000, concurrency: 8 } */
  readonly batch?: Partial<BatchSettings>;
  /** SNS publish attempts. @default { attempts: 3, baseDelayMs: 200 } */
  readonly publish?: Partial<PublishSettings>;
  /** How long a checker holds the right to (re)send one pending alert. @default 60 */
  readonly alertLeaseSeconds?: number;
}

export interface BatchSettings {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** BatchWriteItem calls in flight at once. */
  readonly concurrency: number;
}

export interface PublishSettings {
  readonly attempts: number;
  readonly baseDelayMs: number;
}

export type TrackResult = { readonly status: "recorded" } | { readonly status: "duplicate" };

export interface BatchTrackResult {
  /** Entries DynamoDB accepted. */
  readonly written: number;
  /** Entries that repeated an earlier entry of the same call (same key): sent once. */
  readonly duplicatesInInput: number;
  /** Entries still unprocessed after every attempt: the caller retries or parks them. */
  readonly unprocessed: readonly CostEntry[];
  /** BatchWriteItem calls made (first sends and resends). */
  readonly calls: number;
}

export interface DailyCosts {
  readonly day: string;
  readonly totalMicroUsd: number;
  readonly totalUsd: number;
  readonly byProvider: Readonly<Record<Provider, number>>;
  readonly entries: number;
}

export interface CostReport {
  readonly range: DateRange;
  readonly totalMicroUsd: number;
  readonly totalUsd: number;
  /** Sums per (provider, agent, type). */
  readonly totals: readonly CostTotal[];
  readonly entries: number;
}

export interface BudgetAlertState {
  readonly id: string;
  readonly percent: number;
  readonly severity: "warning" | "critical";
  /** This check created the alert (false: another check had already). */
  readonly created: boolean;
  readonly notified: boolean;
}

export interface BudgetCheck {
  readonly month: string;
  readonly spentMicroUsd: number;
  readonly spentUsd: number;
  readonly budgetMicroUsd: number;
  readonly percentUsed: number;
  /** Month-to-date reached the budget (100 %). */
  readonly exceeded: boolean;
  /** Thresholds reached this month. */
  readonly crossed: readonly number[];
  /** Alerts this check created or (re)notified. */
  readonly alerts: readonly BudgetAlertState[];
  /** Alerts still waiting for SNS after this check (retried by the next). */
  readonly pendingNotifications: number;
}

/** A DynamoDB or SNS call that failed (not bad input): the message says which, `cause` has the SDK error. */
export class CostStoreError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "CostStoreError";
  }
}

const PENDING = "PENDING";
const isConditionFailure = (e: unknown) => (e as { name?: string })?.name === "ConditionalCheckFailedException";
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class EnhancedCostMonitoring {
  private readonly doc: DynamoDBDocumentClient;
  private readonly sns: SNSClient;
  private readonly clock: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly budgetMicroUsd: number;
  private readonly thresholds: readonly number[];
  private readonly costsTtlDays: number;
  private readonly alertsTtlDays: number;
  private readonly batch: BatchSettings;
  private readonly publishSettings: PublishSettings;
  private readonly leaseSeconds: number;

  constructor(private readonly options: CostMonitoringOptions) {
    const problems: string[] = [];
    const budget = usdToMicro(options.monthlyBudgetUsd);
    if (budget === undefined || budget <= 0)
      problems.push(`monthlyBudgetUsd must be an amount > 0 USD, got ${String(options.monthlyBudgetUsd)}`);
    const thresholds = options.thresholdsPercent ?? DEFAULT_ALERT_THRESHOLDS_PERCENT;
    if (thresholds.length === 0 || thresholds.some((t) => !Number.isInteger(t) || t < 1 || t > 1000))
      problems.push(`thresholdsPercent must be integers from 1 to 1000, got [${thresholds.join(", ")}]`);
    for (const [key, v] of [
      ["costsTtlDays", options.costsTtlDays ?? DEFAULT_COSTS_TTL_DAYS],
      ["alertsTtlDays", options.alertsTtlDays ?? DEFAULT_ALERTS_TTL_DAYS],
    ] as const)
      if (!Number.isInteger(v) || v < TTL_DAYS_RANGE.min || v > TTL_DAYS_RANGE.max)
        problems.push(`${key} must be an integer from ${TTL_DAYS_RANGE.min} to ${TTL_DAYS_RANGE.max}, got ${v}`);
    if (!options.costsTable) problems.push("costsTable must be a table name");
    if (!options.alertsTable) problems.push("alertsTable must be a table name");
    if (problems.length > 0) throw new CostInputError(problems);

    this.doc = DynamoDBDocumentClient.from(options.dynamodb ?? new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.sns = options.sns ?? new SNSClient({});
    this.clock = options.clock ?? (() => new Date());
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.budgetMicroUsd = budget!;
    this.thresholds = [...new Set(thresholds)].sort((a, b) => a - b);
    this.costsTtlDays = options.costsTtlDays ?? DEFAULT_COSTS_TTL_DAYS;
    this.alertsTtlDays = options.alertsTtlDays ?? DEFAULT_ALERTS_TTL_DAYS;
    this.batch = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 2_000, concurrency: 8, ...options.batch };
    this.publishSettings = { attempts: 3, baseDelayMs: 200, ...options.publish };
    this.leaseSeconds = options.alertLeaseSeconds ?? 60;
  }

  /**
   * Reads the tables, topic and budget from the environment the CostTracking component sets
   * (COST_MONITORING_ENV); every missing or bad variable is reported at once.
   */
  static fromEnvironment(
    env: NodeJS.ProcessEnv = process.env,
    overrides: Partial<CostMonitoringOptions> = {},
  ): EnhancedCostMonitoring {
    const E = COST_MONITORING_ENV;
    const missing = [E.costsTable, E.alertsTable, E.monthlyBudgetUsd].filter((k) => !env[k]);
    if (missing.length > 0) throw new CostInputError(missing.map((k) => `environment variable ${k} is not set`));
    const int = (k: string) => (env[k] ? Number(env[k]) : undefined);
    return new EnhancedCostMonitoring({
      costsTable: env[E.costsTable]!,
      alertsTable: env[E.alertsTable]!,
      alertTopicArn: env[E.alertTopicArn] || undefined,
      monthlyBudgetUsd: Number(env[E.monthlyBudgetUsd]),
      costsTtlDays: int(E.costsTtlDays),
      alertsTtlDays: int(E.alertsTtlDays),
      environment: env[E.environment] || undefined,
      ...overrides,
    });
  }

  private nowSeconds(): number {
    return Math.floor(this.clock().getTime() / 1000);
  }

  // --- Writes --------------------------------------------------------------------------------------

  /**
   * Records one AI request. Safe to retry: the item's key holds the request id, and the put only
   * succeeds when the item does not exist, so of two racing writers exactly one records it.
   */
  async trackCost(input: CostEntryInput): Promise<TrackResult> {
    const entry = validateEntry(input);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.options.costsTable,
          Item: costItem(entry, this.costsTtlDays),
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return { status: "recorded" };
    } catch (e) {
      if (isConditionFailure(e)) return { status: "duplicate" };
      throw new CostStoreError(`could not record cost entry ${entry.requestId} in ${this.options.costsTable}`, {
        cause: e,
      });
    }
  }

  /**
   * Bulk ingestion (backfills, replays): every entry is validated first (one bad entry and nothing
   * is written), then written 25 at a time with BatchWriteItem; UnprocessedItems are resent with
   * full-jitter, capped exponential backoff, and what is still left after `maxAttempts` is returned.
   * BatchWriteItem cannot be conditional: an entry whose key exists replaces it (same key, so it is
   * still counted once; with different content, the last write wins).
   */
  async trackCosts(inputs: readonly CostEntryInput[]): Promise<BatchTrackResult> {
    const problems: string[] = [];
    const entries: CostEntry[] = [];
    inputs.forEach((input, i) => {
      try {
        entries.push(validateEntry(input));
      } catch (e) {
        if (!(e instanceof CostInputError)) throw e;
        problems.push(...e.problems.map((p) => `entries[${i}].${p}`));
      }
    });
    if (problems.length > 0) throw new CostInputError(problems);

    const byKey = new Map<string, { item: Record<string, string | number>; entry: CostEntry }>();
    for (const entry of entries) {
      const item = costItem(entry, this.costsTtlDays);
      const key = `${item.pk}\u0000${item.sk}`;
      if (!byKey.has(key)) byKey.set(key, { item, entry });
    }
    const unique = [...byKey.values()];
    const chunks: (typeof unique)[] = [];
    for (let i = 0; i < unique.length; i += 25) chunks.push(unique.slice(i, i + 25));

    let calls = 0;
    const left = await mapLimit(chunks, this.batch.concurrency, async (chunk) => {
      let pending = chunk;
      for (let attempt = 0; pending.length > 0 && attempt < this.batch.maxAttempts; attempt++) {
        if (attempt > 0)
          await this.sleep(backoffMs(attempt, this.batch.baseDelayMs, this.batch.maxDelayMs, this.random));
        calls++;
        let out: BatchWriteCommandOutput;
        try {
          out = await this.doc.send(
            new BatchWriteCommand({
              RequestItems: { [this.options.costsTable]: pending.map((p) => ({ PutRequest: { Item: p.item } })) },
            }),
          );
        } catch (e) {
          // Throttled as a whole: the same backoff applies; other errors are not retryable here.
          const name = (e as { name?: string })?.name ?? "";
          if (/Throughput|Throttl|RequestLimitExceeded|InternalServerError|ServiceUnavailable/.test(name)) continue;
          throw new CostStoreError(`BatchWriteItem on ${this.options.costsTable} failed`, { cause: e });
        }
        const unprocessed = out.UnprocessedItems?.[this.options.costsTable] ?? [];
        const keys = new Set(unprocessed.map((u) => `${u.PutRequest?.Item?.pk}\u0000${u.PutRequest?.Item?.sk}`));
        pending = pending.filter((p) => keys.has(`${p.item.pk}\u0000${p.item.sk}`));
      }
      return pending;
    });
    const unprocessed = left.flat().map((p) => p.entry);
    return {
      written: unique.length - unprocessed.length,
      duplicatesInInput: entries.length - unique.length,
      unprocessed,
      calls,
    };
  }

  // --- Reads ---------------------------------------------------------------------------------------

  /** Every page of a Query, expired items dropped (server-side filter, and again here). */
  private async queryAll(
    input: Omit<QueryCommandInput, "TableName">,
    table: string,
  ): Promise<Record<string, unknown>[]> {
    const now = this.nowSeconds();
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      let page: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };
      try {
        page = await this.doc.send(
          new QueryCommand({
            ...input,
            TableName: table,
            FilterExpression: "attribute_not_exists(#ttl) OR #ttl > :now",
            ExpressionAttributeNames: { ...input.ExpressionAttributeNames, "#ttl": "ttl" },
            ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ":now": now },
            ExclusiveStartKey: start,
          }),
        );
      } catch (e) {
        throw new CostStoreError(`query on ${table}${input.IndexName ? ` (index ${input.IndexName})` : ""} failed`, {
          cause: e,
        });
      }
      for (const item of page.Items ?? []) if (!isExpired(item, now)) items.push(item);
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async providerDay(provider: Provider, day: string): Promise<CostEntry[]> {
    const items = await this.queryAll(
      { KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": costPk(day, provider) } },
      this.options.costsTable,
    );
    return items.map(entryFromItem);
  }

  /** The day's total (UTC), per provider: one Query per provider. */
  async getDailyCosts(day: string): Promise<DailyCosts> {
    if (parseDay(day) === undefined)
      throw new CostInputError([`date must be a calendar date YYYY-MM-DD, got ${JSON.stringify(day)}`]);
    // Only the amounts (and the TTL the filter reads) come back: the month-to-date sum reads every
    // entry of the month, so the bytes matter.
    const perProvider = await Promise.all(
      PROVIDERS.map((p) =>
        this.queryAll(
          {
            KeyConditionExpression: "pk = :pk",
            ProjectionExpression: "amountMicroUsd, #ttl",
            ExpressionAttributeValues: { ":pk": costPk(day, p) },
          },
          this.options.costsTable,
        ),
      ),
    );
    const byProvider = Object.fromEntries(
      PROVIDERS.map((p, i) => [p, perProvider[i]!.reduce((s, item) => s + Number(item.amountMicroUsd), 0)]),
    ) as Record<Provider, number>;
    const totalMicroUsd = Object.values(byProvider).reduce((s, v) => s + v, 0);
    return {
      day,
      totalMicroUsd,
      totalUsd: microToUsd(totalMicroUsd),
      byProvider,
      entries: perProvider.reduce((n, list) => n + list.length, 0),
    };
  }

  /** One provider's costs for a day (one Query) or a month (one Query per day). */
  async getCostsByProvider(provider: Provider, range: DateRange): Promise<CostReport> {
    if (!(PROVIDERS as readonly unknown[]).includes(provider))
      throw new CostInputError([`provider must be one of ${PROVIDERS.join(", ")}, got ${JSON.stringify(provider)}`]);
    const r = validateRange(range);
    const days = "day" in r ? [r.day] : daysOfMonth(r.month);
    const entries = (await mapLimit(days, 8, (d) => this.providerDay(provider, d))).flat();
    return report(r, entries);
  }

  /** One agent's costs for a day or a month: one Query on the byAgent index. */
  async getCostsByAgent(agent: Agent, range: DateRange): Promise<CostReport> {
    if (!(AGENTS as readonly unknown[]).includes(agent))
      throw new CostInputError([`agent must be one of ${AGENTS.join(", ")}, got ${JSON.stringify(agent)}`]);
    const r = validateRange(range);
    const month = "day" in r ? r.day.slice(0, 7) : r.month;
    const index = COSTS_TABLE.globalSecondaryIndexes[0]!;
    const items = await this.queryAll(
      {
        IndexName: index.name,
        KeyConditionExpression: "day" in r ? "#h = :h AND begins_with(#r, :day)" : "#h = :h",
        ExpressionAttributeNames: { "#h": index.hashKey, ...("day" in r ? { "#r": index.rangeKey } : {}) },
        ExpressionAttributeValues: {
          ":h": agentMonthKey(agent, month),
          ...("day" in r ? { ":day": `${r.day}#` } : {}),
        },
      },
      this.options.costsTable,
    );
    return report(r, items.map(entryFromItem));
  }

  /** Month-to-date spend (UTC) in micro-USD, up to and including `day`. */
  async monthToDateMicroUsd(day: string): Promise<number> {
    const days = daysOfMonth(day.slice(0, 7), day);
    const totals = await mapLimit(days, 8, (d) => this.getDailyCosts(d));
    return totals.reduce((s, t) => s + t.totalMicroUsd, 0);
  }

  // --- Budget --------------------------------------------------------------------------------------

  /**
   * Month-to-date against the monthly budget. Each threshold reached (80 %, 100 %) is recorded once
   * per month in the alerts table (conditional put on a deterministic key), then published to SNS
   * with 3 attempts and exponential backoff; an alert SNS did not take stays `notified = false`
   * (and in the sparse `pending` index) and is retried by the next check.
   */
  async checkBudgetThreshold(at: Date = this.clock()): Promise<BudgetCheck> {
    const topic = this.options.alertTopicArn;
    if (!topic) throw new CostInputError(["alertTopicArn must be set to check the budget (COST_ALERTS_TOPIC_ARN)"]);
    const iso = at.toISOString();
    const month = iso.slice(0, 7);
    const spent = await this.monthToDateMicroUsd(iso.slice(0, 10));
    const crossed = crossedThresholds(spent, this.budgetMicroUsd, this.thresholds);
    const alerts: BudgetAlertState[] = [];

    for (const percent of crossed) {
      const id = budgetAlertId(month, percent);
      const item = {
        pk: `ALERT#${id}`,
        sk: `${month}-01T00:00:00Z`,
        alertId: id,
        alertType: "budget_threshold",
        severity: severityOf(percent),
        message: budgetMessage(this.options.environment, month, percent, spent, this.budgetMicroUsd),
        amountMicroUsd: spent,
        thresholdMicroUsd: Math.ceil((this.budgetMicroUsd * percent) / 100),
        thresholdPercent: percent,
        budgetMicroUsd: this.budgetMicroUsd,
        createdAt: iso,
        notified: false,
        [ALERTS_TABLE.globalSecondaryIndexes[0]!.hashKey]: PENDING,
        // The creator holds the first send.
        leaseUntil: this.nowSeconds() + this.leaseSeconds,
        attempts: 0,
        ttl: alertTtlSeconds(at, month, this.alertsTtlDays),
      };
      let created = true;
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.options.alertsTable,
            Item: item,
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        );
      } catch (e) {
        if (!isConditionFailure(e))
          throw new CostStoreError(`could not record alert ${id} in ${this.options.alertsTable}`, { cause: e });
        created = false;
      }
      if (created) {
        const notified = await this.notify(topic, item);
        alerts.push({ id, percent, severity: item.severity, created: true, notified });
      }
    }

    // Alerts an earlier check could not publish (and that nobody is sending right now).
    const index = ALERTS_TABLE.globalSecondaryIndexes[0]!;
    const pending = await this.queryAll(
      {
        IndexName: index.name,
        KeyConditionExpression: "#p = :p",
        ExpressionAttributeNames: { "#p": index.hashKey },
        ExpressionAttributeValues: { ":p": PENDING },
      },
      this.options.alertsTable,
    );
    let stillPending = 0;
    for (const item of pending) {
      if (alerts.some((a) => `ALERT#${a.id}` === item.pk)) {
        if (!alerts.find((a) => `ALERT#${a.id}` === item.pk)?.notified) stillPending++;
        continue;
      }
      if (!(await this.claim(item))) {
        stillPending++;
        continue;
      }
      const notified = await this.notify(topic, item);
      if (!notified) stillPending++;
      const percent = Number(item.thresholdPercent);
      alerts.push({ id: String(item.alertId), percent, severity: severityOf(percent), created: false, notified });
    }

    return {
      month,
      spentMicroUsd: spent,
      spentUsd: microToUsd(spent),
      budgetMicroUsd: this.budgetMicroUsd,
      percentUsed: Math.floor((spent * 10_000) / this.budgetMicroUsd) / 100,
      exceeded: spent >= this.budgetMicroUsd,
      crossed,
      alerts,
      pendingNotifications: stillPending,
    };
  }

  /** Takes the lease on a pending alert; false when another checker holds it or it was sent. */
  private async claim(item: Record<string, unknown>): Promise<boolean> {
    const now = this.nowSeconds();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.options.alertsTable,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: "SET leaseUntil = :until",
          ConditionExpression: "attribute_exists(#p) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)",
          ExpressionAttributeNames: { "#p": ALERTS_TABLE.globalSecondaryIndexes[0]!.hashKey },
          ExpressionAttributeValues: { ":until": now + this.leaseSeconds, ":now": now },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw new CostStoreError(`could not claim alert ${String(item.pk)}`, { cause: e });
    }
  }

  /** Publishes with `attempts` tries and exponential backoff, then records the outcome on the alert. */
  private async notify(topic: string, item: Record<string, unknown>): Promise<boolean> {
    const { attempts, baseDelayMs } = this.publishSettings;
    const pendingAttr = ALERTS_TABLE.globalSecondaryIndexes[0]!.hashKey;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await this.sleep(baseDelayMs * 2 ** (attempt - 1));
      try {
        await this.sns.send(
          new PublishCommand({
            TopicArn: topic,
            Subject: `[${String(item.severity).toUpperCase()}] Huntaze AI costs: ${String(item.thresholdPercent)} % of the monthly budget`,
            Message: String(item.message),
            MessageAttributes: {
              alertType: { DataType: "String", StringValue: String(item.alertType) },
              severity: { DataType: "String", StringValue: String(item.severity) },
            },
          }),
        );
        await this.update(
          item,
          "SET notified = :t, notifiedAt = :at ADD attempts :n REMOVE #p, leaseUntil, lastError",
          {
            names: { "#p": pendingAttr },
            values: { ":t": true, ":at": this.clock().toISOString(), ":n": attempt + 1 },
          },
        );
        return true;
      } catch (e) {
        if (e instanceof CostStoreError) throw e;
        lastError = e;
      }
    }
    // Kept pending with notified = false; the lease is released so the next check retries at once.
    const reason = lastError instanceof Error ? `${lastError.name}: ${lastError.message}` : String(lastError);
    await this.update(item, "SET lastError = :e ADD attempts :n REMOVE leaseUntil", {
      values: { ":e": reason.slice(0, 500), ":n": attempts },
    });
    return false;
  }

  private async update(
    item: Record<string, unknown>,
    expression: string,
    attrs: { names?: Record<string, string>; values: Record<string, unknown> },
  ): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.options.alertsTable,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: expression,
          ExpressionAttributeNames: attrs.names,
          ExpressionAttributeValues: attrs.values,
        }),
      );
    } catch (e) {
      // The notification may have gone out: the alert stays pending and may be sent once more.
      throw new CostStoreError(`could not update alert ${String(item.pk)} in ${this.options.alertsTable}`, {
        cause: e,
      });
    }
  }
}

function report(range: DateRange, entries: readonly CostEntry[]): CostReport {
  const totalMicroUsd = entries.reduce((s, e) => s + e.amountMicroUsd, 0);
  return {
    range,
    totalMicroUsd,
    totalUsd: microToUsd(totalMicroUsd),
    totals: totalsOf(entries),
    entries: entries.length,
  };
}

function budgetMessage(
  environment: string | undefined,
  month: string,
  percent: number,
  spentMicro: number,
  budgetMicro: number,
): string {
  const usd = (m: number) => `$${(m / 1_000_000).toFixed(2)}`;
  return (
    `Huntaze AI spend (${environment ?? "unknown"} environment) reached ${percent} % of the monthly budget for ${month}: ` +
    `${usd(spentMicro)} of ${usd(budgetMicro)} month-to-date (tracked AI requests, UTC).`
  );
}
