import { expect } from "chai";
import { describe, it } from "mocha";
import { DEFAULT_SETTINGS } from "../../../lambdas/rate-limiter/config";
import { DegradedMode } from "../../../lambdas/rate-limiter/degraded-mode";
import type { RedisRateStore } from "../../../lambdas/rate-limiter/store";
import { Metrics } from "../../../lambdas/rate-limiter/telemetry";

// The handler's Redis state as one object: outcomes are values (ok / unavailable), degraded mode is
// entered once per outage, and recovery merges what was sent meanwhile before leaving it.

function setup() {
  let now = 1_000_000;
  let ready = false;
  const calls: string[] = [];
  const logs: string[] = [];
  const store = {
    async merge(userId: string, sends: { member: string; ms: number }[]) {
      calls.push(`merge ${userId} ${sends.map((s) => `${s.member}@${s.ms}`).join(",")}`);
      return sends.length;
    },
    async done(userId: string, messageId: string) {
      calls.push(`done ${userId} ${messageId}`);
    },
  } as unknown as RedisRateStore;
  const metrics = new Metrics();
  const log = (level: string) => (msg: string) => logs.push(`${level} ${msg}`);
  const mode = new DegradedMode({
    store,
    settings: { ...DEFAULT_SETTINGS, redisTimeoutMs: 50 },
    now: () => now,
    metrics,
    logger: { info: log("info"), warn: log("warn"), error: log("error") },
    ready: () => ready,
  });
  return {
    mode,
    metrics,
    calls,
    logs,
    tick: (ms: number) => {
      now += ms;
    },
    setReady: (v: boolean) => {
      ready = v;
    },
    now: () => now,
  };
}

const refused = () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { name: "Error" }));

describe("rate limiter: DegradedMode", () => {
  it("returns a reply as ok and stays in normal mode", async () => {
    const { mode } = setup();
    expect(await mode.call(async () => 42)).to.deep.equal({ status: "ok", value: 42 });
    expect(mode.degraded).to.equal(false);
    expect(await mode.ensureAvailable()).to.equal("ok");
  });

  it("turns an outage or a timeout into unavailable, entering degraded mode once", async () => {
    const { mode, metrics, logs } = setup();
    expect((await mode.call(refused)).status).to.equal("unavailable");
    expect((await mode.call(() => new Promise(() => {}))).status).to.equal("unavailable");
    expect(mode.degraded).to.equal(true);
    expect(metrics.totals.RedisUnavailable).to.equal(1);
    expect(logs.filter((l) => l.startsWith("error"))).to.have.length(1);
  });

  it("throws a reply that is a bug (a script error), not an outage", async () => {
    const { mode } = setup();
    const bug = Object.assign(new Error("ERR user_script:1: attempt to compare nil"), { name: "ReplyError" });
    let thrown: unknown;
    await mode
      .call(() => Promise.reject(bug))
      .catch((e) => {
        thrown = e;
      });
    expect(thrown).to.equal(bug);
    expect(mode.degraded).to.equal(false);
    const failover = Object.assign(new Error("READONLY You can't write against a read only replica."), {
      name: "ReplyError",
    });
    expect((await mode.call(() => Promise.reject(failover))).status).to.equal("unavailable");
  });

  it("stays unavailable until the client is connected, then merges sends and pending outcomes and leaves", async () => {
    const { mode, metrics, calls, setReady, tick, now } = setup();
    mode.observeServerTime(now() + 500, now() - 10, now() + 10);
    mode.unavailable(new Error("down"));
    mode.recordSend("u1", { localMs: now(), serverMs: 0, member: "x:m1" });
    mode.recordSentLater("u1", "m1");
    expect(await mode.ensureAvailable()).to.equal("unavailable");
    expect(calls).to.deep.equal([]);
    setReady(true);
    tick(1000);
    expect(await mode.ensureAvailable()).to.equal("ok");
    expect(calls).to.deep.equal([`merge u1 x:m1@${now() - 1000 + 500}`, "done u1 m1"]);
    expect(mode.degraded).to.equal(false);
    expect(metrics.totals.RedisRecovered).to.equal(1);
  });

  it("sets no deadline until it knows the server clock, then deadline = asked + offset + timeout", () => {
    const { mode } = setup();
    expect(mode.deadlineFor(1000)).to.equal(0);
    mode.observeServerTime(5_000, 990, 1010);
    expect(mode.deadlineFor(2000)).to.equal(2000 + 4000 + 50);
    expect(mode.serverTime(2000)).to.equal(6000);
  });

  it("decides locally on the per-instance share: nothing during the quiet window after the outage", async () => {
    const { mode, now, tick } = setup();
    mode.unavailable(new Error("down"));
    const quiet = mode.decideLocally("u1", now());
    expect(quiet.allowed).to.equal(false);
    tick(DEFAULT_SETTINGS.limits.windowSeconds * 1000);
    expect(mode.decideLocally("u1", now()).allowed).to.equal(true);
  });
});
