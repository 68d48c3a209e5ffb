// The store's batching (store.ts Batcher, lua.ts decideLua): decisions and outcomes asked in one
// tick go to Redis as one script call, each decided exactly as alone, on a real redis-server and a
// real 3-master Redis Cluster.

import { expect } from "chai";
import calculateSlot from "cluster-key-slot";
import type { Command } from "ioredis";
import { DEFAULT_SETTINGS, units } from "../../../lambdas/rate-limiter/config";
import { NEEDS_BODY } from "../../../lambdas/rate-limiter/lua";
import { decide, emptyUserState, Status, type UserState } from "../../../lambdas/rate-limiter/model";
import {
  BUSY_WAIT_MS,
  MAX_DECISIONS_PER_CALL,
  markerKey,
  type RedisClient,
  RedisRateStore,
  stateKey,
} from "../../../lambdas/rate-limiter/store";
import { body, clusterRedis, type PlainRedis, plainRedis } from "./helpers";

/** A decide script call as sent: its outcome markers and, per decision, the state key, marker and body part. */
interface Sent {
  markers: string[];
  decisions: { state: string; marker: string; extra: string }[];
}

/** Records every decide script call the client sends (the decide script is the one with a count of outcomes). */
function spyOnDecides(client: RedisClient): { calls: Sent[]; restore(): void } {
  const target = client as unknown as { sendCommand(c: Command, ...rest: unknown[]): unknown };
  const original = target.sendCommand;
  const calls: Sent[] = [];
  target.sendCommand = function (this: unknown, command: Command, ...rest: unknown[]) {
    const name = command.name.toLowerCase();
    if (name === "evalsha" || name === "eval") {
      const args = command.args.map(String);
      const keys = args.slice(2, 2 + Number(args[1]));
      const argv = args.slice(2 + keys.length);
      const m = Number(argv[0]);
      const decisions: Sent["decisions"] = [];
      for (let i = m; i < keys.length; i += 2) {
        const d = (i - m) / 2;
        decisions.push({ state: keys[i] as string, marker: keys[i + 1] as string, extra: argv[3 + 3 * d] as string });
      }
      calls.push({ markers: keys.slice(0, m), decisions });
    }
    return original.call(this, command, ...rest);
  };
  return {
    calls,
    restore() {
      target.sendCommand = original;
    },
  };
}

describe("rate limiter: decisions batched per tick (real redis-server)", function () {
  this.timeout(30_000);
  let redis: PlainRedis;
  before(async () => {
    redis = await plainRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  const limits = { perWindow: 3, windowSeconds: 60, burst: 2 };
  const settings = { ...DEFAULT_SETTINGS, limits };
  const lease = 30_000;
  const ask = (store: RedisRateStore, userId: string, messageId: string) =>
    store.decide({ userId, messageId, attempts: 0, body: body(messageId, userId), deadlineMs: 0 });

  it("sends the decisions of one tick as one call, each decided as the model decides it alone, in order", async () => {
    const store = new RedisRateStore(redis.client, settings, lease);
    const spy = spyOnDecides(redis.client);
    const creators = ["a", "b", "c"].map((c) => `batch-${c}-${process.pid}`);
    // Creator a asks three times in the one tick: a1 is granted, and while it is in flight the
    // line does not move, so a2 and a3 wait (in line, so asked again with their bodies).
    const order = [
      [creators[0], "a1"],
      [creators[1], "b1"],
      [creators[0], "a2"],
      [creators[2], "c1"],
      [creators[0], "a3"],
    ] as const;
    let replies: Awaited<ReturnType<typeof ask>>[];
    try {
      // Something in flight first, so the tick's decisions are gathered, not sent one by one.
      const inFlight = ask(store, `warm-${process.pid}`, "w");
      replies = await Promise.all([inFlight, ...order.map(([u, id]) => ask(store, u as string, id))]);
    } finally {
      spy.restore();
    }
    // w went at once (nothing was in flight), the five together while it was out; a2 and a3 again
    // with their bodies: a2 at once (nothing in flight once the batch replied), a3 behind it.
    expect(spy.calls.map((c) => c.decisions.map((d) => d.marker.split(":").pop()))).to.deep.equal([
      ["w"],
      ["a1", "b1", "a2", "c1", "a3"],
      ["a2"],
      ["a3"],
    ]);
    expect(spy.calls[1]?.decisions.map((d) => d.extra)).to.deep.equal(["", "", "", "", ""]);
    expect(spy.calls.slice(2).map((c) => c.decisions[0]?.extra)).to.deep.equal([
      `0:${body("a2", creators[0])}`,
      `0:${body("a3", creators[0])}`,
    ]);
    const u = units(limits);
    const states = new Map<string, UserState>();
    order.forEach(([userId, messageId], i) => {
      const real = replies[i + 1];
      if (real === undefined) throw new Error("missing reply");
      const s = states.get(userId as string) ?? emptyUserState();
      states.set(userId as string, s);
      const input = { messageId, attempts: 0, body: body(messageId, userId), deadlineMs: 0, leaseMs: lease };
      expect(real, messageId).to.deep.equal(decide(s, u, real.nowMs, { ...input, busyWaitMs: BUSY_WAIT_MS }));
    });
    expect(replies.map((r) => r.status)).to.deep.equal([
      Status.granted,
      Status.granted,
      Status.granted,
      Status.wait,
      Status.granted,
      Status.wait,
    ]);
  });

  it(`splits a tick's decisions into calls of at most ${MAX_DECISIONS_PER_CALL}`, async () => {
    const store = new RedisRateStore(redis.client, settings, lease);
    const spy = spyOnDecides(redis.client);
    const n = MAX_DECISIONS_PER_CALL * 2 + 5;
    try {
      const replies = await Promise.all(
        Array.from({ length: n }, (_, i) => ask(store, `split-${i}-${process.pid}`, `s${i}`)),
      );
      expect(replies.every((r) => r.status === Status.granted)).to.equal(true);
    } finally {
      spy.restore();
    }
    const sizes = spy.calls.map((c) => c.decisions.length);
    expect(sizes.reduce((a, b) => a + b, 0)).to.equal(n);
    expect(Math.max(...sizes)).to.equal(MAX_DECISIONS_PER_CALL);
    // The first went alone (nothing was in flight); the rest in full batches and one remainder.
    expect(sizes).to.deep.equal([1, MAX_DECISIONS_PER_CALL, MAX_DECISIONS_PER_CALL, 4]);
  });

  it("leaves out the body until a decision needs it, and stores nothing of a message that must wait until then", async () => {
    const store = new RedisRateStore(redis.client, { ...settings, limits: { ...limits, burst: 1 } }, lease);
    const userId = `needs-body-${process.pid}`;
    expect((await ask(store, userId, "first")).status).to.equal(Status.granted);
    // The raw script, asked without the body for a message that must wait: {6}, nothing stored.
    const decideScript = (redis.client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[
      Object.keys(redis.client).find((k) => k.startsWith("rldecide")) as string
    ];
    expect(decideScript, "the store defined its decide command on the client").to.be.a("function");
    const raw = await decideScript?.call(
      redis.client,
      2,
      stateKey(userId),
      markerKey(userId, "second"),
      0,
      "second",
      0,
      "",
    );
    expect(raw).to.deep.equal([[NEEDS_BODY]]);
    expect(await redis.client.zcard(`rl:{${userId}}:line`)).to.equal(0);
    expect(await redis.client.hlen(`rl:{${userId}}:body`)).to.equal(0);
    // Through the store: asked again with it, the message waits in line with its body.
    const waited = await ask(store, userId, "second");
    expect(waited.status).to.equal(Status.wait);
    expect(await redis.client.zrange(`rl:{${userId}}:line`, "0", "-1")).to.deep.equal(["second"]);
    expect(await redis.client.hget(`rl:{${userId}}:body`, "second")).to.equal(`1:0:${body("second", userId)}`);
  });

  it("records an outcome with the next decision, or alone at the end of the tick, with the idempotency TTL", async () => {
    const store = new RedisRateStore(redis.client, settings, lease);
    const userId = `outcome-${process.pid}`;
    await ask(store, userId, "o1");
    const spy = spyOnDecides(redis.client);
    try {
      const done = store.done(userId, "o1");
      const next = ask(store, userId, "o2");
      await Promise.all([done, next]);
      await store.done(userId, "o2");
    } finally {
      spy.restore();
    }
    expect(spy.calls.map((c) => [c.markers.map((k) => k.split(":").pop()), c.decisions.length])).to.deep.equal([
      [["o1"], 1],
      [["o2"], 0],
    ]);
    const ttl = await redis.client.pttl(markerKey(userId, "o2"));
    expect(ttl).to.be.within(settings.idempotencyTtlSeconds * 1000 - 5_000, settings.idempotencyTtlSeconds * 1000);
    expect((await ask(store, userId, "o1")).status).to.equal(Status.done);
  });
});

describe("rate limiter: batches on a 3-master Redis Cluster", function () {
  this.timeout(60_000);

  it("splits a tick's decisions by hash slot, every call's keys in one slot", async () => {
    const cluster = await clusterRedis();
    const client = cluster.client;
    try {
      const store = new RedisRateStore(client, DEFAULT_SETTINGS);
      // Two creators share a slot (hash tags that collide), the others spread over the masters.
      const users = Array.from({ length: 12 }, (_, i) => `cl-${i}`);
      const slotOf = (u: string) => calculateSlot(stateKey(u));
      const twin = Array.from({ length: 100_000 }, (_, i) => `cl-twin-${i}`).find((u) => slotOf(u) === slotOf("cl-0"));
      if (twin === undefined) throw new Error("no colliding creator found");
      users.push(twin);
      await ask0(store, "cl-warm");
      const spy = spyOnDecides(client);
      try {
        const inFlight = ask0(store, "cl-warm-2");
        const replies = await Promise.all([inFlight, ...users.map((u) => ask0(store, u))]);
        expect(replies.map((r) => r.status)).to.deep.equal(replies.map(() => Status.granted));
      } finally {
        spy.restore();
      }
      for (const call of spy.calls) {
        const slots = new Set(call.decisions.flatMap((d) => [calculateSlot(d.state), calculateSlot(d.marker)]));
        expect(slots.size, "one slot per call").to.equal(1);
      }
      // cl-0 and its twin went in one call.
      const together = spy.calls.find((c) => c.decisions.some((d) => d.state === stateKey("cl-0")));
      expect(together?.decisions.map((d) => d.state)).to.include(stateKey(twin));
      expect(spy.calls.reduce((a, c) => a + c.decisions.length, 0)).to.equal(users.length + 1);
      // The creators really are spread over several masters.
      const sizes = await Promise.all(client.nodes("master").map((n) => n.dbsize()));
      expect(sizes.filter((n) => n > 0).length).to.be.at.least(2);
    } finally {
      await cluster.stop();
    }
  });
});

function ask0(store: RedisRateStore, userId: string) {
  return store.decide({ userId, messageId: "m", attempts: 0, body: body("m", userId), deadlineMs: 0 });
}
