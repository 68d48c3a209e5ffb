// Recording a send's outcome (issue 24): "sent" is the message's done marker, set by the store's
// next decide call and not waited for by the handler (one round trip per message); the lease still
// stands for a crashed sender; a marker that arrives after the lease put the message back in the
// line keeps it from a second send.
// On a real redis-server, replies checked against the reference model.

import { expect } from "chai";
import type { Command } from "ioredis";
import { DEFAULT_SETTINGS, units } from "../../../lambdas/rate-limiter/config";
import { decide, emptyUserState, finish, Outcome, Status } from "../../../lambdas/rate-limiter/model";
import { BUSY_WAIT_MS, RedisRateStore } from "../../../lambdas/rate-limiter/store";
import { msg, type PlainRedis, plainRedis, type Rig, rig, sleep } from "./helpers";

describe("rate limiter: recording outcomes (real redis-server)", function () {
  this.timeout(30_000);
  let redis: PlainRedis;
  let r: Rig | undefined;
  before(async () => {
    redis = await plainRedis();
  });
  afterEach(async () => {
    await r?.close();
    r = undefined;
  });
  after(async () => {
    await redis?.stop();
  });

  const limits = { perWindow: 3, windowSeconds: 1, burst: 2 };
  const settings = { ...DEFAULT_SETTINGS, limits, httpTimeoutMs: 100 };
  const u = units(limits);

  function pair(userId: string, lease: number) {
    const store = new RedisRateStore(redis.client, settings, lease);
    const s = emptyUserState();
    let lastNowMs = 0;
    return {
      s,
      store,
      async ask(messageId: string) {
        const input = { messageId, attempts: 0, body: `{"id":"${messageId}"}`, deadlineMs: 0 };
        const real = await store.decide({ userId, ...input });
        lastNowMs = real.nowMs;
        expect(real).to.deep.equal(decide(s, u, real.nowMs, { ...input, leaseMs: lease, busyWaitMs: BUSY_WAIT_MS }));
        return real;
      },
      async sent(messageId: string) {
        await store.done(userId, messageId);
        finish(s, u, lastNowMs, messageId, Outcome.sent, settings.idempotencyTtlSeconds * 1000, 0);
      },
    };
  }

  it("a crashed sender (no outcome recorded): busy until its lease expires, then granted again", async () => {
    const p = pair(`crash-${process.pid}`, 300);
    expect((await p.ask("c1")).status).to.equal(Status.granted);
    // The invocation died after its POST: nothing recorded. Its SQS copy comes back.
    const again = await p.ask("c1");
    expect(again.status).to.equal(Status.busy);
    expect(again.waitMs).to.be.within(1, 300);
    await sleep(350);
    const retried = await p.ask("c1");
    expect(retried.status, "at least once, as before: the lease stands for a crash").to.equal(Status.granted);
    await p.sent("c1");
    expect((await p.ask("c1")).status).to.equal(Status.done);
  });

  it("a sent marker that arrives after the lease put the message back in the line: never sent twice", async () => {
    const p = pair(`late-${process.pid}`, 200);
    // Fill the bucket so that l2 and l3 wait in the line (bodies stored), then drain them.
    for (const id of ["l0", "l1"]) {
      expect((await p.ask(id)).status).to.equal(Status.granted);
      await p.sent(id);
    }
    expect((await p.ask("l2")).status).to.equal(Status.wait);
    expect((await p.ask("l3")).status).to.equal(Status.wait);
    await sleep(700);
    const drained = await p.ask("l2");
    expect(drained.grants.map((g) => g.messageId)).to.include("l2");
    // l2's sender is slow: its lease (200 ms) expires and the next decision puts it back in the line.
    await sleep(250);
    await p.ask("l3");
    expect(p.s.line.has("l2")).to.equal(true);
    // Then its outcome arrives: sent.
    await p.sent("l2");
    await sleep(700);
    const next = await p.ask("l3");
    expect(next.grants.map((g) => g.messageId)).to.not.include("l2");
    expect((await p.ask("l2")).status).to.equal(Status.done);
  });

  it("the handler records 'sent' without waiting: the marker travels with the next decision, in one script call", async () => {
    r = await rig(redis.client, { perWindow: 10, windowSeconds: 60, burst: 3 });
    // Every command sent: a decide script call as "decide markers=[..] decisions=[..]".
    const calls: string[] = [];
    const client = redis.client as unknown as { sendCommand(c: Command): unknown };
    const original = client.sendCommand;
    client.sendCommand = function (this: unknown, command: Command) {
      const name = command.name.toLowerCase();
      if (name === "evalsha" || name === "eval") {
        const args = command.args.map(String);
        const keys = args.slice(2, 2 + Number(args[1]));
        const m = Number(args[2 + keys.length]);
        const tail = (k: string) => k.split(":").pop();
        const decided = keys.slice(m).filter((_, i) => i % 2 === 1);
        calls.push(`decide markers=[${keys.slice(0, m).map(tail)}] decisions=[${decided.map(tail)}]`);
      } else if (name !== "info") {
        calls.push(name);
      }
      return original.call(this, command);
    };
    try {
      const records = ["o1", "o2"].map((id, i) => ({
        messageId: `sqs-${i}`,
        body: JSON.stringify(msg(id, "u-outcome").body),
      }));
      const res = await r.handler({ Records: records });
      expect(res.batchItemFailures).to.deep.equal([]);
    } finally {
      client.sendCommand = original;
    }
    expect(r.fake.posts.map((p) => p.messageId)).to.deep.equal(["o1", "o2"]);
    // o1 granted, POSTed; its marker goes with o2's decision (one round trip, no SET of its own),
    // and Redis sets it first: o2 is not held behind o1's lease. o2's marker is the last call, and
    // the invocation returned only once it was recorded.
    expect(calls).to.deep.equal([
      "decide markers=[] decisions=[o1]",
      "decide markers=[o1] decisions=[o2]",
      "decide markers=[o2] decisions=[]",
    ]);
    expect(r.handler.metrics.totals.InlineWaits ?? 0).to.equal(0);
    expect(await redis.client.exists("rl:{u-outcome}:done:o1", "rl:{u-outcome}:done:o2")).to.equal(2);
    expect(await redis.client.pttl("rl:{u-outcome}:done:o1")).to.be.within(86_000_000, 86_400_000);
  });
});
