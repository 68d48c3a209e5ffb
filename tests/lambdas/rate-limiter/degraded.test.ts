// Degraded mode: the per-instance budget, the quiet period, and that c instances together never
// exceed the creator's limits; and the merge that tells Redis about sends it did not see.

import { expect } from "chai";
import fc from "fast-check";
import { DEFAULT_SETTINGS, type Limits, units } from "../../../lambdas/rate-limiter/config";
import { degradedBudget, LocalLimiter } from "../../../lambdas/rate-limiter/degraded";
import { checkInvariants, Status } from "../../../lambdas/rate-limiter/model";
import { RedisRateStore } from "../../../lambdas/rate-limiter/store";
import { type PlainRedis, plainRedis } from "./helpers";

const limits: Limits = { perWindow: 10, windowSeconds: 60, burst: 3 };

describe("rate limiter degraded mode", () => {
  it("gives each of c instances floor(perWindow / c) and floor(burst / c), and nothing when that is zero", () => {
    expect(degradedBudget(limits, 1)).to.deep.equal({ perWindow: 10, burst: 3, windowMs: 60_000 });
    expect(degradedBudget(limits, 2)).to.deep.equal({ perWindow: 5, burst: 1, windowMs: 60_000 });
    const none = new LocalLimiter(limits, 4);
    none.enterDegraded(0);
    expect(none.decide("u", 10 ** 9)).to.deep.equal({ allowed: false, waitMs: 60_000 });
  });

  it("sends nothing for one window after losing Redis, then paces at the instance's share", () => {
    const l = new LocalLimiter(limits, 2);
    l.enterDegraded(1000);
    expect(l.decide("u", 1000)).to.deep.equal({ allowed: false, waitMs: 60_000 });
    expect(l.decide("u", 61_000)).to.deep.equal({ allowed: true });
    l.record("u", { localMs: 61_000, serverMs: 61_000, member: "61000:a" });
    // burst 1, refill 5 per minute: the next token 12 s later.
    expect(l.decide("u", 61_000)).to.deep.equal({ allowed: false, waitMs: 12_000 });
    expect(l.decide("u", 73_000)).to.deep.equal({ allowed: true });
    expect(l.decide("other", 61_000)).to.deep.equal({ allowed: true });
  });

  it("keeps c instances together within both limits (any arrivals)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc
          .integer({ min: 1, max: 12 })
          .chain((perWindow) =>
            fc.record({ perWindow: fc.constant(perWindow), burst: fc.integer({ min: 1, max: perWindow }) }),
          ),
        fc.array(fc.record({ instance: fc.nat(3), gapMs: fc.nat(4000) }), { maxLength: 200 }),
        (c, l, arrivals) => {
          const lim: Limits = { ...l, windowSeconds: 10 };
          const instances = Array.from({ length: c }, () => new LocalLimiter(lim, c));
          for (const i of instances) i.enterDegraded(0);
          let now = 0;
          const sends: number[] = [];
          for (const a of arrivals) {
            now += a.gapMs;
            const inst = instances[a.instance % c] as LocalLimiter;
            if (inst.decide("u", now).allowed) {
              inst.record("u", { localMs: now, serverMs: now, member: `${now}` });
              sends.push(now);
            }
          }
          expect(checkInvariants(sends, units(lim))).to.deep.equal([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  describe("merge into Redis (real redis-server)", () => {
    let redis: PlainRedis;
    before(async () => {
      redis = await plainRedis();
    });
    after(async () => {
      await redis?.stop();
    });

    it("counts merged sends once in the window and drains the bucket, so the next decision waits", async () => {
      const store = new RedisRateStore(redis.client, { ...DEFAULT_SETTINGS, limits });
      const [sec] = await redis.client.time();
      const now = Number(sec) * 1000;
      const sends = Array.from({ length: 10 }, (_, i) => ({ member: `${now - 5000 + i}:x${i}`, ms: now - 5000 + i }));
      expect(await store.merge("u-merge", sends)).to.equal(10);
      expect(await store.merge("u-merge", sends)).to.equal(10);
      const d = await store.decide({ userId: "u-merge", messageId: "next", attempts: 0, body: "{}", deadlineMs: 0 });
      expect(d.status).to.equal(Status.wait);
      // The window frees its first slot 60 s after the first merged send.
      expect(d.waitMs).to.be.within(54_000, 56_000);
    });
  });
});
