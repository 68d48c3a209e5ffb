// The SQS → Lambda event source mapping, locally: polls a LocalQueue in batches, runs the handler
// with at most `maxConcurrency` invocations at a time, deletes what the handler did not report as
// a batch item failure, and leaves failures to reappear after the visibility timeout. Scenario
// messages are injected at their `atMs`. Stops when every message has left the queue (sent,
// suppressed or dead-lettered), or after `durationSeconds`.

import type { BatchResponse, QueueSender, SqsEvent } from "../../lambdas/rate-limiter/handler";
import { ATTR_REASON } from "../../lambdas/rate-limiter/handler";
import { didYouMean } from "../../lib/did-you-mean";
import { LocalQueue } from "./queue";

export interface ScenarioMessage {
  readonly atMs: number;
  readonly body: unknown;
}

export interface Scenario {
  readonly limits?: { perWindow?: number; windowSeconds?: number; burst?: number };
  readonly durationSeconds: number;
  readonly messages: readonly ScenarioMessage[];
}

/** A scenario file with every problem listed (not just the first). */
export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${source}: invalid scenario (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`,
    );
    this.name = "ScenarioError";
  }
}

const SCENARIO_KEYS = ["limits", "durationSeconds", "messages"];

export function parseScenario(text: string, source = "scenario"): Scenario {
  let data: Partial<Scenario> & Record<string, unknown>;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(source, [`not JSON: ${(e as Error).message}`]);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new ScenarioError(source, [
      `expected a JSON object {${SCENARIO_KEYS.join(", ")}}, got ${JSON.stringify(data)}`,
    ]);
  const problems: string[] = [];
  if (typeof data.durationSeconds !== "number" || data.durationSeconds <= 0) {
    problems.push(`scenario.durationSeconds must be a positive number, got ${JSON.stringify(data.durationSeconds)}`);
  }
  if (
    data.limits !== undefined &&
    (typeof data.limits !== "object" || data.limits === null || Array.isArray(data.limits))
  )
    problems.push(
      `scenario.limits must be an object {perWindow, windowSeconds, burst}, got ${JSON.stringify(data.limits)}`,
    );
  if (!Array.isArray(data.messages))
    problems.push(`scenario.messages must be an array, got ${JSON.stringify(data.messages)}`);
  else {
    for (const [i, m] of data.messages.entries()) {
      if (typeof m?.atMs !== "number" || m.atMs < 0)
        problems.push(`scenario.messages[${i}].atMs must be a number ≥ 0, got ${JSON.stringify(m?.atMs)}`);
      if (m?.body === undefined) problems.push(`scenario.messages[${i}].body is missing`);
    }
  }
  for (const key of Object.keys(data)) {
    if (!SCENARIO_KEYS.includes(key))
      problems.push(
        `scenario.${key}: no such setting${didYouMean(key, SCENARIO_KEYS)} (settings: ${SCENARIO_KEYS.join(", ")})`,
      );
  }
  if (problems.length > 0) throw new ScenarioError(source, problems);
  return data as Scenario;
}

export function bodyText(body: unknown): string {
  return typeof body === "string" ? body : JSON.stringify(body);
}

export interface LocalQueues {
  readonly queue: LocalQueue;
  readonly dlq: LocalQueue;
  readonly sender: QueueSender;
}

export function createLocalQueues(opts: { visibilityTimeoutMs?: number; maxReceiveCount?: number } = {}): LocalQueues {
  const dlq = new LocalQueue({ name: "rate-limiter-dlq" });
  const queue = new LocalQueue({
    name: "rate-limiter-queue",
    visibilityTimeoutMs: opts.visibilityTimeoutMs ?? 30_000,
    maxReceiveCount: opts.maxReceiveCount ?? 5,
    deadLetterQueue: dlq,
  });
  const sender: QueueSender = {
    async requeue(body, delaySeconds, attributes) {
      queue.send(body, { delaySeconds, attributes });
    },
    async deadLetter(body, reason, attributes) {
      dlq.send(body, { attributes: { ...attributes, [ATTR_REASON]: reason } });
    },
  };
  return { queue, dlq, sender };
}

export interface RunOptions {
  readonly queues: LocalQueues;
  readonly handler: (event: SqsEvent) => Promise<BatchResponse>;
  readonly messages: readonly ScenarioMessage[];
  readonly durationSeconds: number;
  /** @default 10 */
  readonly batchSize?: number;
  /** @default 2 */
  readonly maxConcurrency?: number;
  /** Called when a scenario message is put on the queue. */
  readonly onEnqueue?: (body: string, atMs: number) => void;
}

export interface RunResult {
  readonly receives: number;
  readonly invocations: number;
  readonly timedOut: boolean;
  readonly elapsedMs: number;
}

export async function runPipeline(opts: RunOptions): Promise<RunResult> {
  const { queue } = opts.queues;
  const batchSize = opts.batchSize ?? 10;
  const maxConcurrency = opts.maxConcurrency ?? 2;
  const start = Date.now();
  const endAt = start + opts.durationSeconds * 1000;
  const pending = [...opts.messages].sort((a, b) => a.atMs - b.atMs);
  let injected = 0;
  let running = 0;
  let invocations = 0;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  queue.on("sent", poke);
  const timers: NodeJS.Timeout[] = [];
  for (const m of pending) {
    timers.push(
      setTimeout(
        () => {
          const text = bodyText(m.body);
          opts.onEnqueue?.(text, m.atMs);
          queue.send(text);
          injected += 1;
        },
        Math.max(0, m.atMs),
      ),
    );
  }
  const invoke = async (records: ReturnType<LocalQueue["receive"]>) => {
    running += 1;
    invocations += 1;
    try {
      const res = await opts.handler({ Records: records });
      const failed = new Set(res.batchItemFailures.map((f) => f.itemIdentifier));
      for (const r of records) if (!failed.has(r.messageId)) queue.delete(r.receiptHandle);
    } catch {
      // A thrown handler fails the whole batch: every record reappears after the visibility timeout.
    } finally {
      running -= 1;
      poke();
    }
  };
  let timedOut = false;
  try {
    for (;;) {
      const now = Date.now();
      if (now >= endAt) {
        timedOut = true;
        break;
      }
      if (injected === pending.length && queue.size === 0 && running === 0) break;
      if (running < maxConcurrency) {
        const batch = queue.receive(batchSize);
        if (batch.length > 0) {
          void invoke(batch);
          continue;
        }
      }
      const next = queue.nextVisibleAt();
      const until = Math.min(endAt, running >= maxConcurrency ? endAt : (next ?? endAt));
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, until - Date.now()));
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    // Let invocations still running finish (bounded by their own timeouts).
    while (running > 0) await new Promise<void>((r) => setTimeout(r, 5));
  } finally {
    for (const t of timers) clearTimeout(t);
    queue.off("sent", poke);
  }
  return { receives: queue.stats.receives, invocations, timedOut, elapsedMs: Date.now() - start };
}
