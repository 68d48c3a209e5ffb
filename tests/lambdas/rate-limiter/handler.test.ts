// The real handler behind the local SQS harness, against a real redis-server and a local HTTP
// endpoint standing in for OnlyFans.

import { expect } from "chai";
import { ATTR_REASON } from "../../../lambdas/rate-limiter/handler";
import { msg, type PlainRedis, plainRedis, type Rig, rig } from "./helpers";

describe("rate limiter handler (real Redis, local SQS, local OnlyFans endpoint)", function () {
  this.timeout(60_000);
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

  it("sends a JSON POST with messageId, userId, fanId, message and the configured credentials", async () => {
    r = await rig(redis.client, { perWindow: 10, windowSeconds: 60, burst: 3 });
    await r.run([msg("a1", "u-post")], 10);
    expect(r.fake.posts).to.have.length(1);
    const p = r.fake.posts[0];
    expect(p).to.include({ messageId: "a1", userId: "u-post", fanId: "fan-9", message: "hello a1" });
    expect(p?.authorization).to.equal("Bearer test-token-secret");
    expect(JSON.stringify(r.logs)).to.not.include("test-token-secret").and.not.include("hello a1");
  });

  it("dead-letters a malformed message at once, with the reason, after a single receive", async () => {
    r = await rig(redis.client, { perWindow: 10, windowSeconds: 60, burst: 3 });
    const res = await r.run(
      [
        { atMs: 0, body: "not json at all" },
        { atMs: 0, body: { messageId: "x", fanId: "f", message: "m" } },
      ],
      10,
    );
    expect(res.receives).to.equal(2);
    expect(r.queues.dlq.size).to.equal(2);
    const reasons = r.queues.dlq.attributesOf().map((a) => a[ATTR_REASON]);
    expect(reasons).to.deep.equal(["malformed: body is not JSON", "malformed: userId must be a non-empty string"]);
    expect(r.handler.metrics.totals.Malformed).to.equal(2);
    expect(r.fake.posts).to.have.length(0);
  });

  it("sends a duplicated or redelivered messageId at most once", async () => {
    r = await rig(redis.client, { perWindow: 10, windowSeconds: 60, burst: 3 });
    await r.run([msg("d1", "u-dup"), msg("d1", "u-dup", 5), msg("d2", "u-dup", 10), msg("d1", "u-dup", 300)], 10);
    expect(r.fake.posts.map((p) => p.messageId).sort()).to.deep.equal(["d1", "d2"]);
    expect(r.handler.metrics.totals.DuplicatesSuppressed).to.equal(2);
  });

  it("retries 429 (respecting Retry-After) and 5xx with backoff, then succeeds", async () => {
    r = await rig(redis.client, { perWindow: 10, windowSeconds: 60, burst: 3 });
    r.fake.respond = (p, attempt) => {
      if (p.messageId === "r429" && attempt === 1) return { status: 429, headers: { "retry-after": "2" } };
      if (p.messageId === "r503" && attempt <= 2) return { status: 503 };
      return { status: 200 };
    };
    await r.run([msg("r429", "u-429"), msg("r503", "u-503")], 20);
    const times = (id: string) => r?.fake.posts.filter((p) => p.messageId === id).map((p) => p.atMs) ?? [];
    const t429 = times("r429");
    expect(t429).to.have.length(2);
    expect((t429[1] as number) - (t429[0] as number)).to.be.at.least(2000);
    expect(times("r503")).to.have.length(3);
    expect(r.queues.dlq.size).to.equal(0);
    expect(r.handler.metrics.totals.SendRetries).to.equal(3);
  });

  it("dead-letters after 5 failed attempts, with the reason", async () => {
    // A short backoff base keeps the test quick (delays still round up to whole SQS seconds); every
    // attempt spends a token (OnlyFans may have counted it), hence a fast refill here.
    r = await rig(redis.client, { perWindow: 10, windowSeconds: 1, burst: 3 }, { retryBaseMs: 100 });
    r.fake.respond = () => ({ status: 500 });
    await r.run([msg("dead1", "u-dead")], 30);
    expect(r.fake.posts.filter((p) => p.messageId === "dead1")).to.have.length(5);
    expect(r.queues.dlq.size).to.equal(1);
    expect(r.queues.dlq.attributesOf()[0]?.[ATTR_REASON]).to.equal("OnlyFans send failed 5 times (last: HTTP 500)");
  });
});
