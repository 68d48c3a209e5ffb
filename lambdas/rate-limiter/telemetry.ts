// Logs and metrics of the rate limiter. In Lambda both come from Powertools for AWS Lambda:
// structured JSON logs with the SQS record's messageId as correlation id (Logger) and CloudWatch
// metrics as EMF documents (Metrics). Callers pass only ids, counts and reasons: never a message
// text or a secret.

import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { MetricUnit, Metrics as PowertoolsMetrics } from "@aws-lambda-powertools/metrics";

export const SERVICE_NAME = "rate-limiter";
export const METRICS_NAMESPACE = "Huntaze/RateLimiter";

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /**
   * A logger whose every line carries `correlationId` (the handler passes each SQS record's
   * messageId). Records of different creators run concurrently, so this is a child, not a setting.
   * @default - the same logger
   */
  withCorrelationId?(correlationId: string): Logger;
}

/** The Lambda's logger: Powertools Logger (JSON on stdout, level from POWERTOOLS_LOG_LEVEL). */
export function powertoolsLogger(logger = new PowertoolsLogger({ serviceName: SERVICE_NAME })): Logger {
  return {
    info: (msg, fields = {}) => logger.info(msg, fields),
    warn: (msg, fields = {}) => logger.warn(msg, fields),
    error: (msg, fields = {}) => logger.error(msg, fields),
    withCorrelationId(correlationId) {
      const child = logger.createChild();
      child.setCorrelationId(correlationId);
      return powertoolsLogger(child);
    },
  };
}

/**
 * One JSON line per call to `write`: for the local tools (pipeline:local), which collect the lines
 * of a simulated run themselves; the Lambda uses {@link powertoolsLogger}.
 */
export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const emit =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      write(JSON.stringify({ level, msg, service: SERVICE_NAME, ...fields }));
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

/** CloudWatch keeps EMF timestamps from 14 days in the past to 2 hours ahead (else Powertools warns). */
const acceptedTimestamp = (ms: number) => ms > Date.now() - 14 * 86_400_000 && ms < Date.now() + 7_200_000;

/**
 * Counts per invocation, flushed as one EMF document built by Powertools Metrics (namespace
 * Huntaze/RateLimiter, dimension service=rate-limiter); `totals` keeps the running sums (the local
 * tools read them).
 */
export class Metrics {
  readonly totals: Record<MetricName, number> = Object.fromEntries(METRIC_NAMES.map((n) => [n, 0])) as Record<
    MetricName,
    number
  >;
  private pending: Partial<Record<MetricName, number>> = {};
  private readonly emf = new PowertoolsMetrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });

  count(name: MetricName, value = 1): void {
    this.totals[name] += value;
    this.pending[name] = (this.pending[name] ?? 0) + value;
  }

  /** The EMF document for what was counted since the last flush (undefined when nothing was). */
  flush(nowMs: number): string | undefined {
    const entries = Object.entries(this.pending) as [MetricName, number][];
    this.pending = {};
    if (entries.length === 0) return undefined;
    for (const [name, value] of entries) this.emf.addMetric(name, MetricUnit.Count, value);
    if (acceptedTimestamp(nowMs)) this.emf.setTimestamp(nowMs);
    const document = JSON.stringify(this.emf.serializeMetrics());
    this.emf.clearMetrics();
    return document;
  }
}
