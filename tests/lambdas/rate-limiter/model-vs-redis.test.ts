// The decision script on a real redis-server, compared decision by decision with the reference
// model fed the same server timestamps; then the invariants on the model over many sequences.

import { expect } from "chai";
import fc from "fast-check";
import { DEFAULT_SETTINGS, type Limits, units } from "../../../lambdas/rate-limiter/config";
import {
  allowedAt,
  checkInvariants,
  type Decision,
  decide,
  emptyUserState,
  finish,
  Outcome,
  type OutcomeCode,
  Status,
} from "../../../lambdas/rate-limiter/model";
import { BUSY_WAIT_MS, RedisRateStore } from "../../../lambdas/rate-limiter/store";
import { type PlainRedis, plainRedis, sleep } from "./helpers";

type Op =
  | { kind: "arrive"; msg: number; stale: boolean }
  | { kind: "finish"; pick: number; outcome: OutcomeCode; pauseMs: number }
  | { kind: "sleep"; ms: number }
  | { kind: "again" };

const burstArb: fc.Arbitrary<Op[]> = fc
  .record({ from: fc.nat(14), n: fc.integer({ min: 2, max: 5 }) })
  .map(({ from, n }) =>
    Array.from({ length: n }, (_, i) => ({ kind: "arrive" as const, msg: (from + i) % 15, stale: false })),
  );

const opsArb = (maxSleep: number, maxLength: number): fc.Arbitrary<Op[]> =>
  fc
    .array(fc.oneof({ weight: 4, arbitrary: opArb(maxSleep).map((op) => [op]) }, { weight: 1, arbitrary: burstArb }), {
      minLength: 3,
      maxLength,
    })
    .map((groups) => groups.flat());

const opArb = (maxSleep: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant("arrive" as const),
        msg: fc.nat(14),
        stale: fc.nat(9).map((n) => n === 0),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("finish" as const),
        pick: fc.nat(5),
        outcome: fc.constantFrom<OutcomeCode>(
          Outcome.sent,
          Outcome.sent,
          Outcome.sent,
          Outcome.failed,
          Outcome.deadLettered,
          Outcome.released,
        ),
        pauseMs: fc.nat(300),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("sleep" as const), ms: fc.nat(80) }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("sleep" as const), ms: fc.integer({ min: 200, max: maxSleep }) }),
    },
  );

const limitsArb: fc.Arbitrary<Limits> = fc
  .integer({ min: 2, max: 6 })
  .chain((perWindow) =>
    fc.integer({ min: 1, max: perWindow }).map((burst) => ({ perWindow, windowSeconds: 1, burst })),
  );

function strip(d: Decision) {
  return { ...d, grants: d.grants.map((g) => ({ ...g })) };
}

describe("rate limiter: Lua script vs reference model (real redis-server)", function () {
  this.timeout(60_000);
  let redis: PlainRedis;
  before(async () => {
    redis = await plainRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  it("replies exactly like the model to random sequences, and its grants keep both invariants", async () => {
    let run = 0;
    const seen: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(limitsArb, opsArb(500, 14), async (limits, ops) => {
        run += 1;
        const userId = `prop-${process.pid}-${run}-${Math.random().toString(36).slice(2)}`;
        const settings = { ...DEFAULT_SETTINGS, limits, httpTimeoutMs: 100 };
        // Short leases so that expiry (a crashed sender) is exercised too.
        const lease = 1500;
        const store = new RedisRateStore(redis.client, settings, lease);
        const u = units(limits);
        const s = emptyUserState();
        const grantTimes: number[] = [];
        // Every run opens with a burst, a pause and a wake-up, so the drain of several waiting
        // messages in one call is always exercised; the random part follows.
        const opening: Op[] = [
          ...[10, 11, 12, 13, 14].map((msg) => ({ kind: "arrive" as const, msg, stale: false })),
          { kind: "sleep", ms: 700 },
          { kind: "arrive", msg: 0, stale: false },
          { kind: "finish", pick: 0, outcome: Outcome.sent, pauseMs: 0 },
          { kind: "again" },
        ];
        let lastFinished: number | undefined;
        let lastNowMs = 0;
        for (const op of [...opening, ...ops]) {
          if (op.kind === "sleep") {
            await sleep(op.ms);
          } else if (op.kind === "arrive" || op.kind === "again") {
            if (op.kind === "again" && lastFinished === undefined) continue;
            const n = op.kind === "again" ? (lastFinished as number) : op.msg;
            const stale = op.kind === "arrive" && op.stale;
            const messageId = `m${n}`;
            const input = {
              messageId,
              attempts: 0,
              body: `{"n":${n}}`,
              leaseMs: lease,
              deadlineMs: stale ? 1 : 0,
              busyWaitMs: BUSY_WAIT_MS,
            };
            const real = await store.decide({ userId, ...input });
            lastNowMs = real.nowMs;
            const expected = decide(s, u, real.nowMs, input);
            seen[real.status] = (seen[real.status] ?? 0) + 1;
            if (real.grants.length > 1) seen[9] = (seen[9] ?? 0) + 1;
            expect(strip(real)).to.deep.equal(strip(expected));
            for (const _grant of real.grants) {
              expect(allowedAt(grantTimes, u, real.nowMs), "a grant the invariants forbid").to.equal(true);
              grantTimes.push(real.nowMs);
            }
            // No needless delay: a message at the head of an unpaused line waits only when a constraint forbids it.
            const head = [...s.line.entries()].sort((a, b) => a[1] - b[1])[0]?.[0];
            if (
              real.status === Status.wait &&
              head === messageId &&
              real.nowMs >= (s.st?.nb ?? 0) &&
              s.inflight.size === 0
            ) {
              expect(allowedAt(grantTimes, u, real.nowMs), "delayed although both constraints allow").to.equal(false);
            }
          } else {
            const inflight = [...s.inflight.keys()].sort();
            const id = inflight[op.pick % Math.max(1, inflight.length)];
            if (id === undefined) continue;
            lastFinished = Number(id.slice(1));
            if (op.outcome === Outcome.sent || op.outcome === Outcome.deadLettered) {
              // One SET, no reply to compare: the model records it at the last server time seen
              // (the marker lives for the idempotency TTL, far beyond this run).
              await store.done(userId, id);
              finish(s, u, lastNowMs, id, op.outcome, settings.idempotencyTtlSeconds * 1000, op.pauseMs);
              continue;
            }
            const real = await store.finish(userId, id, op.outcome, op.pauseMs);
            lastNowMs = real.nowMs;
            const expected = finish(
              s,
              u,
              real.nowMs,
              id,
              op.outcome,
              settings.idempotencyTtlSeconds * 1000,
              op.pauseMs,
            );
            expect(real).to.deep.equal(expected);
          }
        }
        expect(checkInvariants(grantTimes, u)).to.deep.equal([]);
      }),
      { numRuns: 14, endOnFailure: true },
    );
    // The sequences must reach every kind of reply, or the comparison proves little.
    for (const status of [Status.granted, Status.wait, Status.done, Status.stale]) {
      expect(seen[status] ?? 0, `replies with status ${status}`).to.be.greaterThan(0);
    }
    expect(seen[9] ?? 0, "calls that granted several messages (drain)").to.be.greaterThan(0);
  });
});

describe("rate limiter: reference model properties (synthetic time)", () => {
  it("never exceeds either limit, never delays the head needlessly, and grants in arrival order", () => {
    fc.assert(
      fc.property(
        limitsArb.chain((l) => fc.constant({ ...l, windowSeconds: 60 })),
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant("arrive" as const), msg: fc.nat(30) }),
            fc.record({
              kind: fc.constant("finish" as const),
              outcome: fc.constantFrom<OutcomeCode>(Outcome.sent, Outcome.failed, Outcome.released),
            }),
            fc.record({ kind: fc.constant("tick" as const), ms: fc.nat(20_000) }),
          ),
          { maxLength: 150 },
        ),
        (limits, ops) => {
          const u = units(limits);
          const s = emptyUserState();
          let now = 1_700_000_000_000;
          const grants: { id: string; at: number }[] = [];
          const firstSeen: string[] = [];
          for (const op of ops) {
            if (op.kind === "tick") {
              now += op.ms;
              continue;
            }
            if (op.kind === "finish") {
              const id = [...s.inflight.keys()][0];
              if (id !== undefined) finish(s, u, now, id, op.outcome, 86_400_000, 1000);
              continue;
            }
            const id = `m${op.msg}`;
            const d = decide(s, u, now, {
              messageId: id,
              attempts: 0,
              body: "",
              leaseMs: 10 ** 12,
              deadlineMs: 0,
              busyWaitMs: 20,
            });
            if (!d.known && !firstSeen.includes(id)) firstSeen.push(id);
            const times = grants.map((g) => g.at);
            for (const g of d.grants) {
              expect(allowedAt(times, u, now)).to.equal(true);
              times.push(now);
              grants.push({ id: g.messageId, at: now });
            }
            const head = [...s.line.entries()].sort((a, b) => a[1] - b[1])[0]?.[0];
            if (d.status === Status.wait) {
              expect(d.waitMs).to.be.greaterThan(0);
              if (head === id && now >= (s.st?.nb ?? 0) && s.inflight.size === 0) {
                expect(allowedAt(times, u, now)).to.equal(false);
              }
            }
          }
          expect(
            checkInvariants(
              grants.map((g) => g.at),
              u,
            ),
          ).to.deep.equal([]);
          const order = grants.map((g) => g.id).filter((id, i, a) => a.indexOf(id) === i);
          expect(order).to.deep.equal(firstSeen.filter((id) => order.includes(id)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("projects the wait exactly: replaying the line at the projected times grants it then", () => {
    fc.assert(
      fc.property(limitsArb, fc.integer({ min: 1, max: 40 }), (limits, backlog) => {
        const u = units(limits);
        const s = emptyUserState();
        const now = 1_000_000;
        const waits = new Map<string, number>();
        for (let i = 0; i < backlog; i++) {
          const d = decide(s, u, now, {
            messageId: `m${i}`,
            attempts: 0,
            body: "",
            leaseMs: 10 ** 12,
            deadlineMs: 0,
            busyWaitMs: 20,
          });
          if (d.status === Status.wait) waits.set(`m${i}`, now + d.waitMs);
          for (const g of d.grants) finish(s, u, now, g.messageId, Outcome.sent, 86_400_000, 0);
        }
        // Each waiting message, woken exactly at its projected time, is granted then (not before).
        for (const [id, at] of [...waits].sort((a, b) => a[1] - b[1])) {
          if (!s.line.has(id)) continue;
          const early = decide(s, u, at - 1, {
            busyWaitMs: 20,
            messageId: id,
            attempts: 0,
            body: "",
            leaseMs: 10 ** 12,
            deadlineMs: 0,
          });
          expect(early.grants.map((g) => g.messageId)).to.not.include(id);
          const d = decide(s, u, at, {
            messageId: id,
            attempts: 0,
            body: "",
            leaseMs: 10 ** 12,
            deadlineMs: 0,
            busyWaitMs: 20,
          });
          expect(d.grants.map((g) => g.messageId)).to.include(id);
          for (const g of d.grants) finish(s, u, at, g.messageId, Outcome.sent, 86_400_000, 0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
