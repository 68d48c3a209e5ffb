// Reference model of the Lua scripts in lua.ts: the same decisions, in TypeScript, with time passed
// in. The property test feeds it the server timestamps the real scripts report and requires every
// reply to be identical; pure property tests check the invariants on the model itself. No I/O.

import type { Units } from "./config";

export const Status = { granted: 1, wait: 2, done: 3, busy: 4, stale: 5 } as const;
export type StatusCode = (typeof Status)[keyof typeof Status];

export interface Grant {
  readonly messageId: string;
  /** Failed OnlyFans attempts so far. */
  readonly attempts: number;
  readonly body: string;
}

export interface Decision {
  readonly status: StatusCode;
  readonly waitMs: number;
  readonly nowMs: number;
  readonly known: boolean;
  /** Messages granted by this call, in line order: each must be POSTed now. */
  readonly grants: readonly Grant[];
}

export interface FinishReply {
  readonly nowMs: number;
  readonly attempts: number;
}

export const Outcome = { sent: 1, deadLettered: 2, failed: 3, released: 4 } as const;
export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];

/** Mirrors one creator's keys: the state string (st, log, inflight), line, body and the done markers. */
export interface UserState {
  st?: { lvl: number; ts: number; seq: number; nb: number };
  log: { member: string; ms: number }[];
  line: Map<string, number>;
  body: Map<string, { seq: number; attempts: number; body: string }>;
  done: Map<string, number>;
  inflight: Map<string, number>;
}

export function emptyUserState(): UserState {
  return { log: [], line: new Map(), body: new Map(), done: new Map(), inflight: new Map() };
}

interface Loaded {
  lvl: number;
  ts: number;
  seq: number;
  nb: number;
}

function prologue(s: UserState, u: Units, now: number): Loaded {
  const W = u.windowMs;
  s.log = s.log.filter((e) => e.ms > now - W);
  const st = s.st ?? { lvl: u.capacity, ts: now, seq: 0, nb: 0 };
  let { lvl, ts } = st;
  if (now > ts) {
    lvl = Math.min(u.capacity, lvl + u.refillPerMs * (now - ts));
    ts = now;
  }
  for (const [id, exp] of [...s.inflight]) {
    if (exp > now) continue;
    const v = s.body.get(id);
    if (v) s.line.set(id, v.seq);
    s.inflight.delete(id);
  }
  return { lvl, ts, seq: st.seq, nb: st.nb };
}

/** Is `id`'s done marker alive at `now`? */
function isDone(s: UserState, id: string, now: number): boolean {
  return (s.done.get(id) ?? Number.NEGATIVE_INFINITY) > now;
}

function epilogue(s: UserState, l: Loaded): void {
  s.st = { lvl: l.lvl, ts: l.ts, seq: l.seq, nb: l.nb };
}

function lineInOrder(s: UserState): string[] {
  return [...s.line.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
}

export interface DecideInput {
  readonly messageId: string;
  readonly attempts: number;
  readonly body: string;
  readonly leaseMs: number;
  readonly deadlineMs: number;
  readonly busyWaitMs: number;
}

/** decideLua (lua.ts), at server time `now`. Mutates `s`. */
export function decide(s: UserState, u: Units, now: number, input: DecideInput): Decision {
  if (input.deadlineMs > 0 && now > input.deadlineMs) {
    // The script returns before touching anything.
    return { status: Status.stale, waitMs: 0, nowMs: now, known: false, grants: [] };
  }
  const l = prologue(s, u, now);
  const { messageId: id } = input;
  const N = u.perWindow;
  const W = u.windowMs;
  const cost = u.cost;
  let known = false;
  const busy = s.inflight.size > 0;
  const done = isDone(s, id, now);
  if (s.line.has(id) || done || s.inflight.has(id)) {
    known = true;
  } else if (!busy && now >= l.nb && l.lvl >= cost && s.line.size === 0 && s.log.length < N) {
    s.log.push({ member: `${now}:${id}`, ms: now });
    s.inflight.set(id, now + input.leaseMs);
    l.lvl -= cost;
    epilogue(s, l);
    return {
      status: Status.granted,
      waitMs: 0,
      nowMs: now,
      known: false,
      grants: [{ messageId: id, attempts: input.attempts, body: input.body }],
    };
  } else {
    l.seq += 1;
    s.line.set(id, l.seq);
    s.body.set(id, { seq: l.seq, attempts: input.attempts, body: input.body });
  }
  const grants: Grant[] = [];
  let mine = false;
  if (now >= l.nb && !busy) {
    let count = s.log.length;
    while (l.lvl >= cost && count < N) {
      const head = lineInOrder(s)[0];
      if (head === undefined) break;
      s.line.delete(head);
      if (isDone(s, head, now)) {
        // Sent after its lease had put it back in the line: done, not sent again.
        s.body.delete(head);
        continue;
      }
      s.log.push({ member: `${now}:${head}`, ms: now });
      s.inflight.set(head, now + input.leaseMs);
      l.lvl -= cost;
      count += 1;
      const v = s.body.get(head);
      grants.push({ messageId: head, attempts: v?.attempts ?? 0, body: v?.body ?? "" });
      if (head === id) mine = true;
    }
  }
  let status: StatusCode;
  let waitMs = 0;
  if (mine) status = Status.granted;
  else if (done) status = Status.done;
  else if (s.inflight.has(id)) {
    status = Status.busy;
    waitMs = (s.inflight.get(id) as number) - now;
  } else {
    status = Status.wait;
    const times = s.log.map((e) => e.ms).sort((a, b) => a - b);
    let L = l.lvl;
    let T0 = l.ts;
    let at = Math.max(now, l.nb, l.ts);
    if (busy) at = Math.max(at, now + input.busyWaitMs);
    for (const lineId of lineInOrder(s)) {
      let t = at;
      if (L + N * (t - T0) < cost) t = T0 + Math.floor((cost - L + N - 1) / N);
      const k = times.length;
      const nth = times[k - N];
      if (k >= N && nth !== undefined && nth + W > t) t = nth + W;
      if (t < at) t = at;
      L = Math.min(u.capacity, L + N * (t - T0)) - cost;
      T0 = t;
      at = t;
      times.push(t);
      if (lineId === id) break;
    }
    waitMs = at - now;
  }
  epilogue(s, l);
  return { status, waitMs, nowMs: now, known, grants };
}

/**
 * Recording an outcome: sent and dead-lettered are the message's done marker (one SET in Redis;
 * the scripts drop the lease and the stored body when they next meet it, which this mirrors
 * eagerly: nothing is observable in between); failed and released are finishLua (lua.ts). Mutates `s`.
 */
export function finish(
  s: UserState,
  u: Units,
  now: number,
  id: string,
  outcome: OutcomeCode,
  doneTtlMs: number,
  pauseMs: number,
): FinishReply {
  if (outcome === Outcome.sent || outcome === Outcome.deadLettered) {
    if (s.inflight.has(id)) {
      s.inflight.delete(id);
      s.body.delete(id);
    }
    // A message its lease had put back in the line stays there: the drain skips it.
    s.done.set(id, now + doneTtlMs);
    return { nowMs: now, attempts: 0 };
  }
  const l = prologue(s, u, now);
  s.inflight.delete(id);
  const v = s.body.get(id);
  let attempts = 0;
  if (outcome >= Outcome.failed && v) {
    attempts = v.attempts;
    if (outcome === Outcome.failed) {
      attempts += 1;
      s.body.set(id, { ...v, attempts });
    }
    s.line.set(id, v.seq);
  } else {
    attempts = -1;
  }
  if (outcome === Outcome.failed) l.nb = Math.max(l.nb, now + pauseMs);
  epilogue(s, l);
  return { nowMs: now, attempts };
}

export interface InvariantViolation {
  readonly kind: "window" | "bucket";
  readonly atMs: number;
  readonly detail: string;
}

/**
 * Checks a creator's grant times against both invariants: at most perWindow in any window of
 * windowMs (half-open), and a bucket that starts full and is never overdrawn. Empty = compliant.
 */
export function checkInvariants(sendTimesMs: readonly number[], u: Units): InvariantViolation[] {
  const t = [...sendTimesMs].sort((a, b) => a - b);
  const out: InvariantViolation[] = [];
  for (let i = 0; i + u.perWindow < t.length; i++) {
    const a = t[i] as number;
    const b = t[i + u.perWindow] as number;
    if (b - a < u.windowMs) {
      out.push({ kind: "window", atMs: b, detail: `${u.perWindow + 1} sends within ${b - a} ms` });
    }
  }
  let lvl = u.capacity;
  let ts = t[0] ?? 0;
  for (const x of t) {
    lvl = Math.min(u.capacity, lvl + u.refillPerMs * (x - ts));
    ts = x;
    lvl -= u.cost;
    if (lvl < 0) out.push({ kind: "bucket", atMs: x, detail: `bucket overdrawn by ${-lvl} units` });
  }
  return out;
}

/** Would one more send at `now` be allowed by both constraints, given earlier sends? */
export function allowedAt(sendTimesMs: readonly number[], u: Units, now: number): boolean {
  return checkInvariants([...sendTimesMs, now], u).length === 0;
}
