import { expect } from "chai";
import { describe, it } from "mocha";
import {
  alertTtlSeconds,
  backoffMs,
  type CostEntryInput,
  CostInputError,
  costItem,
  crossedThresholds,
  daysOfMonth,
  totalsOf,
  usdToMicro,
  validateEntry,
  validateRange,
} from "../../../lambdas/cost-monitoring/core";

const entry = (over: Partial<Record<keyof CostEntryInput, unknown>> = {}): CostEntryInput =>
  ({
    requestId: "req-1",
    provider: "openai",
    agent: "content",
    type: "gpt-4",
    amountUsd: "0.0125",
    tokens: 1200,
    timestamp: "2026-11-30T23:59:59.500Z",
    ...over,
  }) as CostEntryInput;

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(CostInputError);
    return [...(e as CostInputError).problems];
  }
  throw new Error("expected a CostInputError");
}

describe("cost monitoring core: money, validation, keys, ranges, thresholds", () => {
  it("keeps money as integer micro-USD: decimal strings exactly, numbers rounded once", () => {
    expect(usdToMicro("0.1")).to.equal(100_000);
    expect(usdToMicro("12.345678")).to.equal(12_345_678);
    expect(usdToMicro(0.1 + 0.2)).to.equal(300_000);
    expect(usdToMicro(-1)).to.equal(undefined);
    expect(usdToMicro("1e3")).to.equal(undefined);
    // Ten thousand 0.0001 USD requests are exactly 1 USD in micro-USD (floats drift).
    const micro = Array.from({ length: 10_000 }, () => validateEntry(entry({ amountUsd: 0.0001 })).amountMicroUsd);
    expect(micro.reduce((a, b) => a + b, 0)).to.equal(1_000_000);
  });

  it("builds the seed's keys (plus the request id), the agent index keys and a TTL in epoch seconds", () => {
    const e = validateEntry(entry());
    const item = costItem(e, 90);
    expect(item).to.deep.include({
      pk: "COST#2026-11-30#openai",
      sk: "content#gpt-4#req-1",
      agentMonth: "AGENT#content#2026-11",
      agentSk: "2026-11-30#openai#gpt-4#req-1",
      amountMicroUsd: 12_500,
      requests: 1,
      timestamp: "2026-11-30T23:59:59.500Z",
    });
    expect(item.ttl).to.equal(Math.floor(Date.parse("2026-11-30T23:59:59.500Z") / 1000) + 90 * 86_400);
    expect(String(item.ttl)).to.have.length(10); // seconds, not milliseconds
  });

  it("files a request by its UTC day, whatever offset the timestamp carries", () => {
    expect(validateEntry(entry({ timestamp: "2026-12-01T01:00:00+02:00" })).day).to.equal("2026-11-30");
  });

  it("rejects bad input with every problem named (field, allowed, value given)", () => {
    const problems = problemsOf(() =>
      validateEntry(entry({ amountUsd: -0.5, provider: "anthropic", timestamp: "2026-02-30T10:00:00Z", tokens: 1.5 })),
    );
    expect(problems).to.deep.equal([
      'provider must be one of openai, azure, got "anthropic"',
      "amountUsd must be a non-negative amount up to 100000 USD, got -0.5",
      "tokens must be an integer ≥ 0, got 1.5",
      'timestamp must be an ISO 8601 date-time with a zone (e.g. 2026-11-30T12:00:00Z), got "2026-02-30T10:00:00Z"',
    ]);
    const cases: [Partial<Record<keyof CostEntryInput, unknown>>, RegExp][] = [
      [{ timestamp: "yesterday" }, /^timestamp must be/],
      [{ timestamp: "2026-11-30" }, /^timestamp must be/],
      [{ agent: "sales" }, /^agent must be one of content, chatbot, marketing, analytics, got "sales"/],
      [{ requestId: "a#b" }, /^requestId must be/],
      [{ type: "gpt#4" }, /^type must be/],
      [{ amountMicroUsd: 5 }, /^exactly one of amountUsd and amountMicroUsd must be given, got both/],
      [{ amountUsd: undefined }, /got neither/],
      [{ amountUsd: Number.NaN }, /^amountUsd must be/],
      [{ requests: 0 }, /^requests must be an integer ≥ 1, got 0/],
    ];
    for (const [over, pattern] of cases) expect(problemsOf(() => validateEntry(entry(over)))[0]).to.match(pattern);
  });

  it("bounds every query: a day or a month, validated", () => {
    expect(validateRange({ day: "2026-02-28" })).to.deep.equal({ day: "2026-02-28" });
    expect(validateRange({ month: "2026-02" })).to.deep.equal({ month: "2026-02" });
    expect(problemsOf(() => validateRange({ day: "2026-02-29" }))[0]).to.match(/range.day must be a calendar date/);
    expect(problemsOf(() => validateRange({ month: "2026-13" }))[0]).to.match(/range.month must be a month/);
    expect(problemsOf(() => validateRange({} as never))[0]).to.match(/range must be/);
    expect(daysOfMonth("2028-02")).to.have.length(29);
    expect(daysOfMonth("2026-11", "2026-11-03")).to.deep.equal(["2026-11-01", "2026-11-02", "2026-11-03"]);
  });

  it("compares spend with thresholds in integers: exactly 80 % is crossed, a micro-dollar less is not", () => {
    const budget = 500 * 1_000_000;
    expect(crossedThresholds(400_000_000, budget, [100, 80])).to.deep.equal([80]);
    expect(crossedThresholds(399_999_999, budget, [80, 100])).to.deep.equal([]);
    expect(crossedThresholds(500_000_000, budget, [80, 100])).to.deep.equal([80, 100]);
  });

  it("keeps a budget alert at least until its month is over, so it is raised once per month", () => {
    const now = new Date("2026-11-01T00:00:00Z");
    expect(alertTtlSeconds(now, "2026-11", 30)).to.equal(Date.parse("2026-12-02T00:00:00Z") / 1000);
    expect(alertTtlSeconds(new Date("2026-11-20T00:00:00Z"), "2026-11", 30)).to.equal(
      Date.parse("2026-12-20T00:00:00Z") / 1000,
    );
  });

  it("sums per provider, agent and type", () => {
    const totals = totalsOf([
      validateEntry(entry({ requestId: "a", amountUsd: "0.5" })),
      validateEntry(entry({ requestId: "b", amountUsd: "0.25", tokens: 10 })),
      validateEntry(entry({ requestId: "c", agent: "chatbot", amountUsd: "1" })),
    ]);
    expect(totals.map((t) => [t.agent, t.amountMicroUsd, t.tokens, t.entries])).to.deep.equal([
      ["chatbot", 1_000_000, 1200, 1],
      ["content", 750_000, 1210, 2],
    ]);
  });

  it("backs off with full jitter, exponentially, capped", () => {
    expect(backoffMs(0, 50, 2000, () => 0.999)).to.equal(49);
    expect(backoffMs(3, 50, 2000, () => 0.5)).to.equal(200);
    expect(backoffMs(10, 50, 2000, () => 0.999)).to.equal(1998);
    expect(backoffMs(10, 50, 2000, () => 0)).to.equal(0);
  });
});
