// Degraded mode: what one instance may send while Redis is unreachable. No I/O; time passed in.
//
// Why it cannot over-admit, with c = maximumConcurrency instances at most:
// - each instance keeps its own window of floor(perWindow / c) and bucket of floor(burst / c)
//   refilled at floor(perWindow / c) per window, so all c together stay within perWindow per window
//   and within a bucket of capacity burst (a sum of buckets is bounded by the bucket of the sums);
// - nothing is sent for one full window after the instance lost Redis (the quiet period), so no
//   window holds both sends Redis admitted and sends admitted here, and the real bucket, idle for a
//   window, is full again (burst ≤ perWindow) when the local buckets start full.
// The instance also remembers every send it made (in Redis mode too) so that, once Redis answers
// again, it can merge them into the creator's window before deciding anything there.

import type { Limits } from "./config";

export interface DegradedBudget {
  readonly perWindow: number;
  readonly burst: number;
  readonly windowMs: number;
}

/** The per-instance share of the limits: floor(perWindow / c), floor(burst / c). Zero means "send nothing". */
export function degradedBudget(limits: Limits, maxConcurrency: number): DegradedBudget {
  const c = Math.max(1, maxConcurrency);
  return {
    perWindow: Math.floor(limits.perWindow / c),
    burst: Math.floor(limits.burst / c),
    windowMs: limits.windowSeconds * 1000,
  };
}

export interface RecordedSend {
  /** This instance's clock. */
  readonly localMs: number;
  /** Redis server time: exact for Redis grants, estimated (local + offset) for degraded ones. */
  readonly serverMs: number;
  /** The window-log member ("<serverMs>:<messageId>"), so a merge never counts a send twice. */
  readonly member: string;
}

export type LocalDecision = { readonly allowed: true } | { readonly allowed: false; readonly waitMs: number };

export class LocalLimiter {
  private readonly sends = new Map<string, RecordedSend[]>();
  private quietUntil = 0;
  private readonly budget: DegradedBudget;
  private readonly keepMs: number;

  constructor(limits: Limits, maxConcurrency: number) {
    this.budget = degradedBudget(limits, maxConcurrency);
    this.keepMs = limits.windowSeconds * 1000;
  }

  get perInstanceBudget(): DegradedBudget {
    return this.budget;
  }

  /** Redis just became unreachable at `nowMs`. */
  enterDegraded(nowMs: number): void {
    this.quietUntil = nowMs + this.budget.windowMs;
  }

  record(userId: string, send: RecordedSend): void {
    const list = this.sends.get(userId) ?? [];
    list.push(send);
    this.sends.set(userId, list);
  }

  /** Sends of the last window, per creator (for the merge into Redis), pruning older ones. */
  recent(nowMs: number): Map<string, RecordedSend[]> {
    for (const [user, list] of this.sends) {
      const kept = list.filter((s) => s.localMs > nowMs - this.keepMs);
      if (kept.length === 0) this.sends.delete(user);
      else this.sends.set(user, kept);
    }
    return this.sends;
  }

  /** May this instance send for `userId` now (Redis unreachable)? */
  decide(userId: string, nowMs: number): LocalDecision {
    const { perWindow, burst, windowMs } = this.budget;
    if (perWindow < 1 || burst < 1) return { allowed: false, waitMs: windowMs };
    if (nowMs < this.quietUntil) return { allowed: false, waitMs: this.quietUntil - nowMs };
    const times = (this.sends.get(userId) ?? [])
      .map((s) => s.localMs)
      .filter((t) => t >= this.quietUntil)
      .sort((a, b) => a - b);
    let wait = 0;
    const inWindow = times.filter((t) => t > nowMs - windowMs);
    if (inWindow.length >= perWindow) {
      const oldest = inWindow[inWindow.length - perWindow] as number;
      wait = Math.max(wait, oldest + windowMs - nowMs);
    }
    // Bucket in integer units (one token = windowMs), full at the end of the quiet period.
    const cap = burst * windowMs;
    let lvl = cap;
    let ts = this.quietUntil;
    for (const t of times) {
      lvl = Math.min(cap, lvl + perWindow * (t - ts)) - windowMs;
      ts = t;
    }
    const at = Math.min(cap, lvl + perWindow * (nowMs - ts));
    if (at < windowMs) wait = Math.max(wait, Math.ceil((windowMs - at) / perWindow));
    return wait > 0 ? { allowed: false, waitMs: wait } : { allowed: true };
  }
}
