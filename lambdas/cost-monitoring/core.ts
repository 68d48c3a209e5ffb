// The pure core of EnhancedCostMonitoring: input validation, money as integer micro-USD, item and
// key building, TTL, date ranges and the budget threshold math. No I/O: tested directly.

import { AGENTS, type Agent, PROVIDERS, type Provider } from "./contract";

export const MICRO_PER_USD = 1_000_000;
const DAY_MS = 86_400_000;
/** One AI request costing more than this is a bug upstream, not a cost. */
export const MAX_ENTRY_USD = 100_000;

/** Bad input to the library: names the field, what is allowed and the value given. Nothing is written. */
export class CostInputError extends Error {
  constructor(
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid cost input: ${problems.join("; ")}`, options);
    this.name = "CostInputError";
  }
}

/** What a caller tracks: one AI request. */
export interface CostEntryInput {
  /** The AI request's own id: the same id (with the same timestamp and labels) is counted once. */
  readonly requestId: string;
  readonly provider: Provider;
  readonly agent: Agent;
  /** Model, e.g. `gpt-4` (the item's `type`). */
  readonly type: string;
  /** Cost in USD (number or decimal string, at most 6 decimals kept). Give this or `amountMicroUsd`. */
  readonly amountUsd?: number | string;
  /** Cost in integer micro-USD. */
  readonly amountMicroUsd?: number;
  readonly tokens: number;
  /** @default 1 */
  readonly requests?: number;
  /** When the AI request happened (part of its identity: a retry must send the same). ISO 8601 or Date. */
  readonly timestamp: string | Date;
}

/** A validated entry: money in micro-USD, the day and month in UTC. */
export interface CostEntry {
  readonly requestId: string;
  readonly provider: Provider;
  readonly agent: Agent;
  readonly type: string;
  readonly amountMicroUsd: number;
  readonly tokens: number;
  readonly requests: number;
  /** ISO 8601, UTC, milliseconds. */
  readonly timestamp: string;
  /** YYYY-MM-DD (UTC). */
  readonly day: string;
  /** YYYY-MM (UTC). */
  readonly month: string;
}

const ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
const TYPE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const USD_STRING = /^(\d{1,15})(?:\.(\d{1,6})\d*)?$/;

const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : String(v));

/** USD (number or decimal string) to integer micro-USD; undefined when it is not a valid amount. */
export function usdToMicro(usd: number | string): number | undefined {
  if (typeof usd === "number") {
    if (!Number.isFinite(usd) || usd < 0) return undefined;
    return Math.round(usd * MICRO_PER_USD);
  }
  const m = USD_STRING.exec(usd.trim());
  if (!m) return undefined;
  // Exact decimal parsing: "0.1" is 100000 micro-USD, not 0.1 * 1e6 in floating point.
  return Number(m[1]) * MICRO_PER_USD + Number((m[2] ?? "").padEnd(6, "0"));
}

/** Integer micro-USD to USD, for display at the edge only (sums stay in micro-USD). */
export function microToUsd(micro: number): number {
  return micro / MICRO_PER_USD;
}

function parseInstant(v: unknown): Date | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v;
  if (typeof v !== "string" || !ISO.test(v)) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return undefined;
  // Date accepts 2026-02-30 and rolls it over: the calendar date it read must be the one written
  // (compared in the string's own offset).
  const [, y, mo, da] = /^(\d{4})-(\d{2})-(\d{2})/.exec(v)!.map(Number) as [number, number, number, number];
  const probe = new Date(Date.UTC(y, mo - 1, da));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === da ? d : undefined;
}

/** YYYY-MM-DD of a real calendar day, or undefined. */
export function parseDay(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const m = DAY.exec(v);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d ? v : undefined;
}

/** YYYY-MM of a real month, or undefined. */
export function parseMonth(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const m = MONTH.exec(v);
  return m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[1]) >= 1970 ? v : undefined;
}

/** Validates one input; every problem is reported at once, nothing is guessed. */
export function validateEntry(input: CostEntryInput): CostEntry {
  const p: string[] = [];
  const i = (input ?? {}) as Partial<Record<keyof CostEntryInput, unknown>>;
  if (typeof i.requestId !== "string" || !ID.test(i.requestId))
    p.push(`requestId must be 1–128 characters of letters, digits and ._:@/+=- (no "#"), got ${show(i.requestId)}`);
  if (!(PROVIDERS as readonly unknown[]).includes(i.provider))
    p.push(`provider must be one of ${PROVIDERS.join(", ")}, got ${show(i.provider)}`);
  if (!(AGENTS as readonly unknown[]).includes(i.agent))
    p.push(`agent must be one of ${AGENTS.join(", ")}, got ${show(i.agent)}`);
  if (typeof i.type !== "string" || !TYPE.test(i.type))
    p.push(`type must be a model name (letters, digits, ._:-, up to 64, no "#"), got ${show(i.type)}`);

  let amountMicroUsd: number | undefined;
  if ((i.amountUsd === undefined) === (i.amountMicroUsd === undefined)) {
    p.push(
      `exactly one of amountUsd and amountMicroUsd must be given, got ${i.amountUsd === undefined ? "neither" : "both"}`,
    );
  } else if (i.amountMicroUsd !== undefined) {
    const v = i.amountMicroUsd;
    if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 && v <= MAX_ENTRY_USD * MICRO_PER_USD)
      amountMicroUsd = v;
    else p.push(`amountMicroUsd must be an integer from 0 to ${MAX_ENTRY_USD * MICRO_PER_USD}, got ${show(v)}`);
  } else {
    const v = i.amountUsd;
    const micro = typeof v === "number" || typeof v === "string" ? usdToMicro(v) : undefined;
    if (micro !== undefined && micro <= MAX_ENTRY_USD * MICRO_PER_USD) amountMicroUsd = micro;
    else p.push(`amountUsd must be a non-negative amount up to ${MAX_ENTRY_USD} USD, got ${show(v)}`);
  }

  const count = (key: "tokens" | "requests", v: unknown, min: number) => {
    if (typeof v === "number" && Number.isSafeInteger(v) && v >= min) return v;
    p.push(`${key} must be an integer ≥ ${min}, got ${show(v)}`);
    return 0;
  };
  const tokens = count("tokens", i.tokens, 0);
  const requests = i.requests === undefined ? 1 : count("requests", i.requests, 1);

  const at = parseInstant(i.timestamp);
  if (at === undefined)
    p.push(`timestamp must be an ISO 8601 date-time with a zone (e.g. 2026-11-30T12:00:00Z), got ${show(i.timestamp)}`);

  if (p.length > 0 || at === undefined || amountMicroUsd === undefined) throw new CostInputError(p);
  const timestamp = at.toISOString();
  return {
    requestId: i.requestId as string,
    provider: i.provider as Provider,
    agent: i.agent as Agent,
    type: i.type as string,
    amountMicroUsd,
    tokens,
    requests,
    timestamp,
    day: timestamp.slice(0, 10),
    month: timestamp.slice(0, 7),
  };
}

// --- Keys ------------------------------------------------------------------------------------------

export const costPk = (day: string, provider: Provider) => `COST#${day}#${provider}`;
export const agentMonthKey = (agent: Agent, month: string) => `AGENT#${agent}#${month}`;

/** TTL in epoch seconds, `days` after `from`. */
export function ttlSeconds(from: Date, days: number): number {
  return Math.floor(from.getTime() / 1000) + days * 86_400;
}

/** The DynamoDB item of one entry (attribute names as the contract's layout says). */
export function costItem(e: CostEntry, ttlDays: number): Record<string, string | number> {
  return {
    pk: costPk(e.day, e.provider),
    sk: `${e.agent}#${e.type}#${e.requestId}`,
    agentMonth: agentMonthKey(e.agent, e.month),
    agentSk: `${e.day}#${e.provider}#${e.type}#${e.requestId}`,
    requestId: e.requestId,
    provider: e.provider,
    agent: e.agent,
    type: e.type,
    amountMicroUsd: e.amountMicroUsd,
    tokens: e.tokens,
    requests: e.requests,
    timestamp: e.timestamp,
    // The retention counts from the request, so a late-tracked entry does not outlive its peers.
    ttl: ttlSeconds(new Date(e.timestamp), ttlDays),
  };
}

/** Reads a stored item back (the fields queries return). */
export function entryFromItem(item: Record<string, unknown>): CostEntry {
  const timestamp = String(item.timestamp);
  return {
    requestId: String(item.requestId),
    provider: item.provider as Provider,
    agent: item.agent as Agent,
    type: String(item.type),
    amountMicroUsd: Number(item.amountMicroUsd),
    tokens: Number(item.tokens),
    requests: Number(item.requests),
    timestamp,
    day: timestamp.slice(0, 10),
    month: timestamp.slice(0, 7),
  };
}

/** Whether a TTL-bearing item has expired at `nowSeconds` (DynamoDB deletes lazily, within days). */
export function isExpired(item: Record<string, unknown>, nowSeconds: number): boolean {
  const ttl = item.ttl;
  return typeof ttl === "number" && ttl <= nowSeconds;
}

// --- Date ranges -----------------------------------------------------------------------------------

/** A day or a month (UTC): queries are always bounded, never "everything". */
export type DateRange = { readonly day: string } | { readonly month: string };

/** Validates a range; throws CostInputError naming the field. */
export function validateRange(range: DateRange): DateRange {
  const r = (range ?? {}) as { day?: unknown; month?: unknown };
  if ("day" in r && !("month" in r)) {
    if (parseDay(r.day) === undefined)
      throw new CostInputError([`range.day must be a calendar date YYYY-MM-DD, got ${show(r.day)}`]);
    return { day: r.day as string };
  }
  if ("month" in r && !("day" in r)) {
    if (parseMonth(r.month) === undefined)
      throw new CostInputError([`range.month must be a month YYYY-MM, got ${show(r.month)}`]);
    return { month: r.month as string };
  }
  throw new CostInputError([
    `range must be { day: "YYYY-MM-DD" } or { month: "YYYY-MM" }, got ${JSON.stringify(range)}`,
  ]);
}

/** Every day of `month` (YYYY-MM), optionally only up to and including `until` (YYYY-MM-DD). */
export function daysOfMonth(month: string, until?: string): string[] {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const out: string[] = [];
  for (let t = Date.UTC(y, m - 1, 1); new Date(t).getUTCMonth() === m - 1; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (until !== undefined && day > until) break;
    out.push(day);
  }
  return out;
}

/** First instant of the month after `month`. */
export function nextMonthStart(month: string): Date {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1));
}

// --- Sums ------------------------------------------------------------------------------------------

/** Per agent#type totals, the aggregate rows. */
export interface CostTotal {
  readonly provider: Provider;
  readonly agent: Agent;
  readonly type: string;
  readonly amountMicroUsd: number;
  readonly amountUsd: number;
  readonly tokens: number;
  readonly requests: number;
  readonly entries: number;
}

/** Integer sums per (provider, agent, type), sorted by key. */
export function totalsOf(entries: readonly CostEntry[]): CostTotal[] {
  const by = new Map<
    string,
    { provider: Provider; agent: Agent; type: string; a: number; t: number; r: number; n: number }
  >();
  for (const e of entries) {
    const k = `${e.provider}#${e.agent}#${e.type}`;
    const cur = by.get(k) ?? { provider: e.provider, agent: e.agent, type: e.type, a: 0, t: 0, r: 0, n: 0 };
    cur.a += e.amountMicroUsd;
    cur.t += e.tokens;
    cur.r += e.requests;
    cur.n += 1;
    by.set(k, cur);
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, v]) => ({
      provider: v.provider,
      agent: v.agent,
      type: v.type,
      amountMicroUsd: v.a,
      amountUsd: microToUsd(v.a),
      tokens: v.t,
      requests: v.r,
      entries: v.n,
    }));
}

// --- Budget thresholds -----------------------------------------------------------------------------

/** Thresholds (percent of the budget) reached by `spentMicro`; exact integer comparison. */
export function crossedThresholds(
  spentMicro: number,
  budgetMicro: number,
  thresholdsPercent: readonly number[],
): number[] {
  // spent / budget >= pct / 100  <=>  spent * 100 >= pct * budget (integers, no float division).
  return thresholdsPercent.filter((pct) => spentMicro * 100 >= pct * budgetMicro).sort((a, b) => a - b);
}

export const budgetAlertId = (month: string, percent: number) => `budget-${month}-${percent}`;

/** Severity of a budget alert: the 100 % alert (and beyond) is critical. */
export const severityOf = (percent: number): "warning" | "critical" => (percent >= 100 ? "critical" : "warning");

/**
 * Alert TTL: `ttlDays` after creation, but never before the month it is about is over, or a
 * deleted alert would let a later check of the same month raise it again.
 */
export function alertTtlSeconds(now: Date, month: string, ttlDays: number): number {
  return Math.max(ttlSeconds(now, ttlDays), Math.floor(nextMonthStart(month).getTime() / 1000) + 86_400);
}

// --- Retry -----------------------------------------------------------------------------------------

/** Full-jitter exponential backoff: a random delay in [0, min(cap, base * 2^attempt)). */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
