// Pure core: limits validation, message parsing, keys, backoff, SQS delay rounding.

import { expect } from "chai";
import { classifyStatus, parseRetryAfter, retryDelayMs } from "../../../lambdas/rate-limiter/backoff";
import { delaySecondsFor, resolveLimits, resolveSettings, units } from "../../../lambdas/rate-limiter/config";
import { parseMessage, userKeys } from "../../../lambdas/rate-limiter/message";
import { checkInvariants } from "../../../lambdas/rate-limiter/model";
import { markerKey, stateKey } from "../../../lambdas/rate-limiter/store";

describe("rate limiter: pure core", () => {
  it("defaults to 10 per 60 s with a burst of 3", () => {
    const r = resolveLimits(undefined);
    expect(r).to.deep.equal({ ok: true, value: { perWindow: 10, windowSeconds: 60, burst: 3 } });
  });

  it("reports every bad limit at once, with the range and the value received", () => {
    const r = resolveSettings({ limits: { perWindow: 0, windowSeconds: 1.5, burst: 4 }, maxConcurrency: 0 });
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.problems).to.include("perWindow must be an integer from 1 to 10000, got 0");
    expect(r.problems).to.include("windowSeconds must be an integer from 1 to 86400, got 1.5");
    expect(r.problems).to.include("burst must be an integer from 1 to perWindow (0), got 4");
    expect(r.problems).to.include("maxConcurrency must be an integer from 1 to 1000, got 0");
  });

  const malformed: [string, string, string][] = [
    ["not JSON", "{oops", "body is not JSON"],
    ["an array", "[1]", "body is not a JSON object"],
    [
      "missing userId",
      JSON.stringify({ messageId: "m", fanId: "f", message: "x" }),
      "userId must be a non-empty string",
    ],
    [
      "empty messageId",
      JSON.stringify({ messageId: " ", userId: "u", fanId: "f", message: "x" }),
      "messageId must be a non-empty string",
    ],
    [
      "message not a string",
      JSON.stringify({ messageId: "m", userId: "u", fanId: "f", message: 3 }),
      "message must be a string",
    ],
  ];
  for (const [name, input, reason] of malformed) {
    it(`treats ${name} as malformed, with a reason that does not quote the body`, () => {
      const r = parseMessage(input);
      expect(r.kind).to.equal("malformed");
      if (r.kind === "malformed") {
        expect(r.reason).to.include(reason);
        expect(r.reason).to.not.include("oops");
      }
    });
  }

  it("parses the seed's message shape", () => {
    const r = parseMessage(
      JSON.stringify({
        messageId: "msg-123",
        userId: "user-456",
        fanId: "fan-789",
        message: "Hey!",
        timestamp: 1698508800,
      }),
    );
    expect(r).to.deep.equal({
      kind: "ok",
      value: { messageId: "msg-123", userId: "user-456", fanId: "fan-789", message: "Hey!", timestamp: 1698508800 },
    });
  });

  it("puts every key of a creator in one hash slot; the scripts are given the state key and the message's marker", () => {
    const keys = Object.values(userKeys("user-456"));
    expect(keys).to.deep.equal([
      "rl:{user-456}:st:p",
      "rl:{user-456}:line",
      "rl:{user-456}:body",
      "rl:{user-456}:done",
    ]);
    for (const k of keys) expect(k).to.match(/^rl:\{user-456\}:/);
    expect(stateKey("user-456")).to.equal("rl:{user-456}:st:p");
    expect(markerKey("user-456", "msg:1")).to.equal("rl:{user-456}:done:msg:1");
  });

  it("backs off exponentially, never below Retry-After", () => {
    expect(retryDelayMs(1, undefined, () => 0)).to.equal(500);
    expect(retryDelayMs(3, undefined, () => 0.999999)).to.equal(3999);
    expect(retryDelayMs(20, undefined, () => 0)).to.equal(30_000);
    expect(retryDelayMs(1, 7000, () => 0.5)).to.equal(7000);
    expect(parseRetryAfter("3", 0)).to.equal(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).to.equal(6000);
    expect(parseRetryAfter("soon", 0)).to.equal(undefined);
    expect(classifyStatus(429, 2000)).to.deep.equal({
      kind: "retryable",
      status: 429,
      reason: "HTTP 429",
      retryAfterMs: 2000,
    });
    expect(classifyStatus(503, undefined).kind).to.equal("retryable");
    expect(classifyStatus(400, undefined).kind).to.equal("rejected");
    expect(classifyStatus(201, undefined).kind).to.equal("sent");
  });

  it("rounds SQS delays down (the rest is slept inline) and caps them at 900 s", () => {
    expect(delaySecondsFor(1999)).to.equal(1);
    expect(delaySecondsFor(1999, true)).to.equal(2);
    expect(delaySecondsFor(5_000_000)).to.equal(900);
  });

  it("checks both invariants on send times", () => {
    const u = units({ perWindow: 3, windowSeconds: 1, burst: 2 });
    expect(checkInvariants([0, 0], u)).to.deep.equal([]);
    expect(checkInvariants([0, 0, 0], u).map((v) => v.kind)).to.deep.equal(["bucket"]);
    expect(checkInvariants([0, 0, 334, 999], u).map((v) => v.kind)).to.include("window");
    expect(checkInvariants([0, 0, 334, 1000], u)).to.deep.equal([]);
  });
});
