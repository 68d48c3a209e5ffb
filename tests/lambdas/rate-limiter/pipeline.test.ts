// End-to-end runs of the real handler through the local SQS harness: a 100-message backlog for one
// creator, Redis killed and restarted mid-run (TLS + AUTH, through the shared client factory), and
// a 3-master Redis Cluster.

import { expect } from "chai";
import type { Cluster } from "ioredis";
import type { RedisClient } from "../../../lambdas/rate-limiter/store";
import { createRedisClient } from "../../../lambdas/shared/redis-client";
import { type RunningRedis, startRedis } from "../../../tools/services/redis-server";
import { clusterRedis, msg, postJitterMs, type Rig, rig, sleep } from "./helpers";

function firstSeenOrder(r: Rig, userId: string): string[] {
  return r.decisions.filter((x) => x.userId === userId && !x.d.known).map((x) => x.messageId);
}

function postOrder(r: Rig, userId: string): string[] {
  return r.fake.posts.filter((p) => p.userId === userId).map((p) => p.messageId);
}

describe("rate limiter pipeline end to end (real Redis)", function () {
  this.timeout(90_000);
  let r: Rig | undefined;
  let client: RedisClient | undefined;
  let server: RunningRedis | undefined;
  afterEach(async () => {
    await r?.close();
    r = undefined;
    client?.disconnect();
    client = undefined;
    await server?.stop();
    server = undefined;
  });

  it("delivers a backlog of 100 messages for one creator with ≤ 200 receives, in order, within the limits", async () => {
    server = await startRedis({ password: "backlog-password-123456" });
    client = createRedisClient({ REDIS_URL: `redis://127.0.0.1:${server.port}`, REDIS_PASSWORD: server.password });
    client.on("error", () => {});
    r = await rig(client, { perWindow: 20, windowSeconds: 2, burst: 10 });
    const messages = Array.from({ length: 100 }, (_, i) => msg(`b${String(i).padStart(3, "0")}`, "u-backlog"));
    const res = await r.run(messages, 60);
    expect(res.timedOut).to.equal(false);
    console.log(
      `      backlog: ${res.receives} receives, ${r.handler.metrics.totals.ThrottledRequeues} re-queues, ${r.handler.metrics.totals.InlineWaits} inline waits, ${res.elapsedMs} ms`,
    );
    const posted = postOrder(r, "u-backlog");
    expect(posted).to.have.length(100);
    expect(new Set(posted).size).to.equal(100);
    expect(posted).to.deep.equal(firstSeenOrder(r, "u-backlog"));
    expect(res.receives).to.be.at.most(200);
    expect(r.handler.metrics.totals.ThrottledRequeues).to.be.greaterThan(0);
    expect(r.violations()).to.deep.equal({ grants: [], posts: [] });
  });

  it("loses no message and never exceeds the limit when Redis is killed and restarted mid-run", async () => {
    server = await startRedis({ password: "restart-password-123456", tls: true });
    const tls = server.tls;
    if (!tls) throw new Error("TLS material missing");
    client = createRedisClient({
      REDIS_URL: `rediss://127.0.0.1:${server.port}`,
      REDIS_PASSWORD: server.password,
      REDIS_TLS_CA_FILE: tls.caFile,
      REDIS_TLS_SERVERNAME: "localhost",
    });
    // ioredis reports every failed reconnect while the server is down; the handler's own log says it once.
    client.on("error", () => {});
    r = await rig(client, { perWindow: 4, windowSeconds: 1, burst: 2 }, { redisTimeoutMs: 300, maxConcurrency: 2 });
    const users = ["u-r1", "u-r2", "u-r3"];
    const messages = users.flatMap((u, k) =>
      Array.from({ length: 10 }, (_, i) => msg(`${u}-${i}`, u, i * 250 + k * 20)),
    );
    const running = r.run(messages, 60);
    const srv = server;
    await sleep(900);
    await srv.kill();
    await sleep(1500);
    await srv.restart();
    const res = await running;
    expect(res.timedOut).to.equal(false);
    const posted = r.fake.posts.map((p) => p.messageId);
    expect(new Set(posted).size, "every message sent").to.equal(30);
    expect(posted, "no message sent twice").to.have.length(30);
    expect(r.queues.dlq.size).to.equal(0);
    expect(r.handler.metrics.totals.RedisUnavailable).to.be.at.least(1);
    expect(r.handler.metrics.totals.RedisRecovered).to.be.at.least(1);
    expect(r.handler.metrics.totals.DegradedDecisions).to.be.at.least(1);
    expect(r.logs.some((l) => l["event"] === "rate_limiter_degraded")).to.equal(true);
    expect(r.emf.some((l) => l.includes('"RedisUnavailable"'))).to.equal(true);
    expect(r.violations().posts).to.deep.equal([]);
  });

  it("works unchanged on a 3-master Redis Cluster", async () => {
    const cluster = await clusterRedis();
    try {
      client = cluster.client;
      r = await rig(client, { perWindow: 3, windowSeconds: 1, burst: 2 });
      const users = Array.from({ length: 8 }, (_, i) => `u-cluster-${i}`);
      const messages = users.flatMap((u) => Array.from({ length: 5 }, (_, i) => msg(`${u}-${i}`, u, i * 10)));
      const res = await r.run(messages, 45);
      expect(res.timedOut).to.equal(false);
      expect(r.fake.posts).to.have.length(40);
      for (const u of users) expect(postOrder(r, u)).to.deep.equal(firstSeenOrder(r, u));
      expect(r.violations()).to.deep.equal({ grants: [], posts: [] });
      // The creators' keys really are spread over several masters.
      const sizes = await Promise.all((client as Cluster).nodes("master").map((n) => n.dbsize()));
      expect(sizes.filter((n) => n > 0).length).to.be.at.least(2);
    } finally {
      client = undefined;
      await cluster.stop();
    }
  });
});

describe("post arrival tolerance (postJitterMs)", () => {
  it("is the spread of grant-to-POST delays, pairing each POST with its latest grant before it", () => {
    const grants = new Map([
      ["a", [1000]],
      ["b", [1500, 3000]], // failed once, granted again
    ]);
    const posts = [
      { messageId: "a", atMs: 1010 }, // 10 ms after its grant
      { messageId: "b", atMs: 3090 }, // 90 ms after its second grant
      { messageId: "c", atMs: 3100 }, // degraded-mode send: no grant
    ];
    expect(postJitterMs(posts, grants)).to.equal(90 - 10 + 2);
  });

  it("is 0 when no POST has a grant", () => {
    expect(postJitterMs([{ messageId: "x", atMs: 5 }], new Map())).to.equal(0);
  });
});
