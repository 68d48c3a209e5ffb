// The I/O half of redis-verify: streams both keyspaces with SCAN and pipelined reads. Memory is
// bounded by `parallel` batches of `batch` keys; no key list is ever held whole.

import type { Redis } from "ioredis";
import { type ContentReply, contentCommand, contentDigest } from "./digest";
import { judgeKey, type KeyState, ReportBuilder, type VerifyCounts, type VerifyReport } from "./report";

export interface VerifyRun {
  batch: number;
  parallel: number;
  match: string;
  /** Called after every batch; throttle it on the caller's side. */
  onProgress?: (phase: "source" | "target", counts: Readonly<VerifyCounts>) => void;
}

/** A per-key reply that is not data (NOPERM, LOADING...): verification cannot go on. */
export class VerifyReadError extends Error {
  constructor(side: "source" | "target", command: string, cause: Error) {
    super(`${side}: ${command} failed: ${cause.message}`, { cause });
    this.name = "VerifyReadError";
  }
}

async function* scanBatches(client: Redis, match: string, count: number): AsyncGenerator<Buffer[]> {
  let cursor = "0";
  do {
    const [next, keys] = await client.scanBuffer(cursor, "MATCH", match, "COUNT", count);
    cursor = next.toString();
    if (keys.length > 0) yield keys;
  } while (cursor !== "0");
}

/** Runs `work` on each batch with at most `parallel` in flight; the first failure stops the run. */
async function forEachBounded(
  batches: AsyncIterable<Buffer[]>,
  parallel: number,
  work: (keys: Buffer[]) => Promise<void>,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failed = false;
  let failure: unknown;
  for await (const keys of batches) {
    const task: Promise<void> = work(keys)
      .catch((error: unknown) => {
        if (!failed) failure = error;
        failed = true;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= parallel) await Promise.race(inFlight);
    if (failed) break;
  }
  await Promise.all(inFlight);
  if (failed) throw failure;
}

type PipelineResult = [Error | null, unknown][];

async function exec(client: Redis, build: (pipeline: ReturnType<Redis["pipeline"]>) => void): Promise<PipelineResult> {
  const pipeline = client.pipeline();
  build(pipeline);
  return ((await pipeline.exec()) ?? []) as PipelineResult;
}

async function readStates(client: Redis, side: "source" | "target", keys: Buffer[]): Promise<KeyState[]> {
  const results = await exec(client, (p) => {
    for (const key of keys) p.type(key).pttl(key);
  });
  return keys.map((_, i) => {
    const [typeError, type] = results[2 * i] ?? [new Error("no reply"), undefined];
    const [ttlError, pttl] = results[2 * i + 1] ?? [new Error("no reply"), undefined];
    if (typeError) throw new VerifyReadError(side, "TYPE", typeError);
    if (ttlError) throw new VerifyReadError(side, "PTTL", ttlError);
    return { type: String(type), pttl: Number(pttl) };
  });
}

/** One content reply, digested; WRONGTYPE (the key changed type) becomes a marker, not a failure. */
function digestOf(side: "source" | "target", type: string, result: [Error | null, unknown] | undefined): string {
  const [error, reply] = result ?? [new Error("no reply"), undefined];
  if (!error) return contentDigest(type, reply as ContentReply);
  if (error.message.startsWith("WRONGTYPE")) return WRONGTYPE;
  throw new VerifyReadError(side, contentCommand(type)[0], error);
}

const WRONGTYPE = "wrongtype";

function queueContentRead(pipeline: ReturnType<Redis["pipeline"]>, key: Buffer, type: string): void {
  const [command, ...args] = contentCommand(type);
  pipeline.callBuffer(command, key, ...args);
}

export async function verifyKeyspaces(source: Redis, target: Redis, run: VerifyRun): Promise<VerifyReport> {
  const started = process.hrtime.bigint();
  const report = new ReportBuilder();
  const counts = report.counts;

  await forEachBounded(scanBatches(source, run.match, run.batch), run.parallel, async (keys) => {
    counts.sourceKeys += keys.length;
    const sourceStates = await readStates(source, "source", keys);
    const live: number[] = [];
    sourceStates.forEach((state, i) => {
      if (state.type !== "none" && state.pttl !== -2) live.push(i);
    });
    // The target needs no TYPE round trip: PTTL -2 means missing, and reading the content as the
    // source's type answers WRONGTYPE when the types differ. Saves a third of the target's work.
    const [sourceContent, targetReplies] = await Promise.all([
      exec(source, (p) => {
        for (const i of live) queueContentRead(p, keys[i] as Buffer, (sourceStates[i] as KeyState).type);
      }),
      exec(target, (p) => {
        for (const i of live) {
          p.pttl(keys[i] as Buffer);
          queueContentRead(p, keys[i] as Buffer, (sourceStates[i] as KeyState).type);
        }
      }),
    ]);
    const targetStates = new Map<number, KeyState>();
    live.forEach((keyIndex, n) => {
      const sourceState = sourceStates[keyIndex] as KeyState;
      sourceState.digest = digestOf("source", sourceState.type, sourceContent[n]);
      const [ttlError, pttl] = targetReplies[2 * n] ?? [new Error("no reply"), undefined];
      if (ttlError) throw new VerifyReadError("target", "PTTL", ttlError);
      if (Number(pttl) === -2) {
        targetStates.set(keyIndex, { type: "none", pttl: -2 });
        return;
      }
      const digest = digestOf("target", sourceState.type, targetReplies[2 * n + 1]);
      targetStates.set(keyIndex, {
        type: digest === WRONGTYPE ? "another type" : sourceState.type,
        pttl: Number(pttl),
        digest,
      });
    });
    keys.forEach((key, i) => {
      report.record(key, judgeKey(sourceStates[i] as KeyState, targetStates.get(i) ?? { type: "none", pttl: -2 }));
    });
    run.onProgress?.("source", counts);
  });

  await forEachBounded(scanBatches(target, run.match, run.batch), run.parallel, async (keys) => {
    counts.targetKeys += keys.length;
    // One EXISTS for the whole batch settles the common case (all present); only a short count
    // needs the per-key look-up to name the extra keys.
    if ((await source.exists(...keys)) === keys.length) {
      run.onProgress?.("target", counts);
      return;
    }
    const results = await exec(source, (p) => {
      for (const key of keys) p.exists(key);
    });
    keys.forEach((key, i) => {
      const [error, exists] = results[i] ?? [new Error("no reply"), undefined];
      if (error) throw new VerifyReadError("source", "EXISTS", error);
      if (Number(exists) === 0) report.recordExtra(key);
    });
    run.onProgress?.("target", counts);
  });

  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return report.build(seconds);
}
