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

/** Reads and digests the content of `keys[i]` for every i in `indices`, typed by `types[i]`. */
async function readDigests(
  client: Redis,
  side: "source" | "target",
  keys: Buffer[],
  types: string[],
  indices: number[],
): Promise<Map<number, string>> {
  const results = await exec(client, (p) => {
    for (const i of indices) {
      const [command, ...args] = contentCommand(types[i] as string);
      p.callBuffer(command, keys[i] as Buffer, ...args);
    }
  });
  const digests = new Map<number, string>();
  indices.forEach((keyIndex, n) => {
    const [error, reply] = results[n] ?? [new Error("no reply"), undefined];
    const type = types[keyIndex] as string;
    if (error) {
      // The key changed type between the two reads: a live source, not a read failure.
      if (error.message.startsWith("WRONGTYPE")) digests.set(keyIndex, `changed-during-read:${side}`);
      else throw new VerifyReadError(side, contentCommand(type)[0], error);
      return;
    }
    digests.set(keyIndex, contentDigest(type, reply as ContentReply));
  });
  return digests;
}

export async function verifyKeyspaces(source: Redis, target: Redis, run: VerifyRun): Promise<VerifyReport> {
  const started = process.hrtime.bigint();
  const report = new ReportBuilder();
  const counts = report.counts;

  await forEachBounded(scanBatches(source, run.match, run.batch), run.parallel, async (keys) => {
    counts.sourceKeys += keys.length;
    const [sourceStates, targetStates] = await Promise.all([
      readStates(source, "source", keys),
      readStates(target, "target", keys),
    ]);
    // Content is read only where existence, type and TTL presence already agree.
    const toRead: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const verdict = judgeKey(sourceStates[i] as KeyState, targetStates[i] as KeyState);
      if (verdict.kind === "same") toRead.push(i);
    }
    const types = sourceStates.map((s) => s.type);
    const [sourceDigests, targetDigests] = await Promise.all([
      readDigests(source, "source", keys, types, toRead),
      readDigests(target, "target", keys, types, toRead),
    ]);
    for (let i = 0; i < keys.length; i++) {
      const sourceState = { ...(sourceStates[i] as KeyState), digest: sourceDigests.get(i) };
      const targetState = { ...(targetStates[i] as KeyState), digest: targetDigests.get(i) };
      report.record(keys[i] as Buffer, judgeKey(sourceState, targetState));
    }
    run.onProgress?.("source", counts);
  });

  await forEachBounded(scanBatches(target, run.match, run.batch), run.parallel, async (keys) => {
    counts.targetKeys += keys.length;
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
