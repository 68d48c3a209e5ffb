// Structured JSON logs and CloudWatch metrics as EMF log lines. Callers pass only ids, counts and
// reasons: never a message text or a secret.

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const emit =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      write(JSON.stringify({ level, msg, service: "rate-limiter", ...fields }));
  return { info: emit("info"), warn: emit("warn"), error: emit("error") };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export const METRIC_NAMES = [
  "Sent",
  "ThrottledRequeues",
  "InlineWaits",
  "DuplicatesSuppressed",
  "Malformed",
  "DeadLettered",
  "SendRetries",
  "DegradedDecisions",
  "RedisUnavailable",
  "RedisRecovered",
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Counts per invocation, flushed as one EMF line; `totals` keeps the running sums (local tools read them). */
export class Metrics {
  readonly totals: Record<MetricName, number> = Object.fromEntries(METRIC_NAMES.map((n) => [n, 0])) as Record<
    MetricName,
    number
  >;
  private pending: Partial<Record<MetricName, number>> = {};

  count(name: MetricName, value = 1): void {
    this.totals[name] += value;
    this.pending[name] = (this.pending[name] ?? 0) + value;
  }

  /** The EMF document for what was counted since the last flush (undefined when nothing was). */
  flush(nowMs: number, namespace = "Huntaze/RateLimiter"): string | undefined {
    const entries = Object.entries(this.pending) as [MetricName, number][];
    this.pending = {};
    if (entries.length === 0) return undefined;
    return JSON.stringify({
      _aws: {
        Timestamp: nowMs,
        CloudWatchMetrics: [
          { Namespace: namespace, Dimensions: [[]], Metrics: entries.map(([n]) => ({ Name: n, Unit: "Count" })) },
        ],
      },
      ...Object.fromEntries(entries),
    });
  }
}
