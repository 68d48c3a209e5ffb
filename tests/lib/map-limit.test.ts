import { expect } from "chai";
import { describe, it } from "mocha";
import { mapLimit } from "../../lib/map-limit";

// One bounded-concurrency map for the tools (audit, inventory) and the cost-monitoring library.

describe("mapLimit (lib/map-limit.ts)", () => {
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  it("keeps the input order whatever order the calls finish in, with at most `limit` in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      for (let i = 0; i < n; i++) await tick();
      inFlight--;
      return n * 10;
    });
    expect(out).to.deep.equal([50, 10, 40, 20, 30]);
    expect(most).to.equal(2);
  });

  it("runs one call at a time for a limit below 1, instead of none (an empty result)", async () => {
    expect(await mapLimit([1, 2, 3], 0, async (n) => n + 1)).to.deep.equal([2, 3, 4]);
    expect(await mapLimit([], 4, async (n: number) => n)).to.deep.equal([]);
  });

  it("rejects with the first failure", async () => {
    const failing = mapLimit([1, 2], 2, async (n) => {
      if (n === 2) throw new Error("boom 2");
      return n;
    });
    let caught: unknown;
    await failing.catch((e: unknown) => {
      caught = e;
    });
    expect((caught as Error).message).to.equal("boom 2");
  });
});
