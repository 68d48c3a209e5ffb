// The packed per-creator state keeps any messageId intact (separators, unicode, 256 characters),
// checked reply by reply against the reference model on a real redis-server.

import { expect } from "chai";
import { DEFAULT_SETTINGS, units } from "../../../lambdas/rate-limiter/config";
import { decide, emptyUserState, finish, Outcome, Status } from "../../../lambdas/rate-limiter/model";
import { BUSY_WAIT_MS, RedisRateStore } from "../../../lambdas/rate-limiter/store";
import { type PlainRedis, plainRedis, sleep } from "./helpers";

describe("rate limiter: packed state on a real redis-server", function () {
  this.timeout(30_000);
  let redis: PlainRedis;
  before(async () => {
    redis = await plainRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  it("keeps odd messageIds in flight, in line and done exactly as the model does", async () => {
    const limits = { perWindow: 3, windowSeconds: 1, burst: 2 };
    const settings = { ...DEFAULT_SETTINGS, limits, httpTimeoutMs: 100 };
    const lease = 300;
    const store = new RedisRateStore(redis.client, settings, lease);
    const u = units(limits);
    const s = emptyUserState();
    const userId = `layout-${process.pid}`;
    const ids = ["a:1:b|c,d", "\u00e9t\u00e9 \ud83d\ude80 1", "x".repeat(256), "42", ":", "|"];
    const statuses = new Set<number>();
    const ask = async (messageId: string) => {
      const input = { messageId, attempts: 0, body: `{"id":${JSON.stringify(messageId)}}`, deadlineMs: 0 };
      const real = await store.decide({ userId, ...input });
      lastNowMs = real.nowMs;
      const expected = decide(s, u, real.nowMs, { ...input, leaseMs: lease, busyWaitMs: BUSY_WAIT_MS });
      expect(real).to.deep.equal(expected);
      statuses.add(real.status);
      return real;
    };
    let lastNowMs = 0;
    const done = async (messageId: string, outcome: (typeof Outcome)[keyof typeof Outcome]) => {
      if (outcome === Outcome.sent || outcome === Outcome.deadLettered) {
        await store.done(userId, messageId);
        finish(s, u, lastNowMs, messageId, outcome, 86_400_000, 50);
        return;
      }
      const real = await store.finish(userId, messageId, outcome, 50);
      lastNowMs = real.nowMs;
      expect(real).to.deep.equal(finish(s, u, real.nowMs, messageId, outcome, 86_400_000, 50));
    };
    for (const id of ids) await ask(id);
    for (const id of ids) await ask(id);
    // Leases expire: messages with a stored body go back to the line, in their order.
    await sleep(lease + 50);
    for (const id of ids) await ask(id);
    for (const id of [...s.inflight.keys()]) await done(id, Outcome.failed);
    await sleep(1100);
    for (const id of ids) await ask(id);
    for (const id of [...s.inflight.keys()]) await done(id, Outcome.sent);
    for (const id of ids) await ask(id);
    expect([...statuses]).to.include.members([Status.granted, Status.wait, Status.done]);
  });
});
