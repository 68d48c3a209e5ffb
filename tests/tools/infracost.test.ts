import { expect } from "chai";
import { describe, it } from "mocha";
import { estimateCost, loadPriceTable } from "../../tools/engine/cost";
import { decimal, diffEstimates, fromInfracost, toInfracost } from "../../tools/engine/infracost";
import { schemaErrors } from "../support/infracost-schema";
import { syntheticStack } from "../support/records";

// The cost estimate in Infracost's JSON output shape: validated against Infracost's own schema
// (vendored in tools/engine/schemas/, see its README), read back for --compare.

const prices = loadPriceTable("us-east-1");
const vcs = {
  branch: "b",
  commitSha: "0".repeat(40),
  commitAuthorName: "a",
  commitAuthorEmail: "a@example.com",
  commitTimestamp: "2026-12-07T00:00:00.000Z",
  commitMessage: "m",
};

describe("Infracost JSON output (tools/engine/infracost.ts)", () => {
  it("the vendored schema rejects what Infracost would (a missing total, a number where a decimal string goes)", () => {
    const doc = toInfracost(estimateCost(syntheticStack(), { prices }), { stack: "test", vcs });
    expect(schemaErrors(doc)).to.equal("");
    const { totalMonthlyCost: _dropped, ...missing } = doc;
    expect(schemaErrors(missing)).to.match(/totalMonthlyCost/);
    const numeric = JSON.parse(JSON.stringify(doc));
    numeric.projects[0].breakdown.resources[0].costComponents[0].price = 0.4;
    expect(schemaErrors(numeric)).to.match(/price must be string,null/);
    const extra = { ...doc, cost: {} };
    expect(schemaErrors(extra)).to.match(/must NOT have additional properties/);
  });

  it("writes prices, quantities and costs as decimal strings, never in exponent notation", () => {
    expect(decimal(0.0000166667)).to.equal("0.0000166667");
    expect(decimal(1e-9)).to.equal("0.000000001");
    expect(decimal(1e-12)).to.equal("0");
    expect(decimal(-7.34)).to.equal("-7.34");
    expect(decimal(1460)).to.equal("1460");
    const doc = toInfracost(estimateCost(syntheticStack(), { prices }), { stack: "test", vcs });
    const strings = JSON.stringify(doc.projects[0]?.breakdown.resources.map((r) => r.costComponents));
    expect(strings).to.not.match(/\d[eE][+-]?\d/);
  });

  it("reads back what it wrote: same lines and totals; a diff against itself is empty", () => {
    const e = estimateCost(syntheticStack(), { prices, budgetUsd: 500 });
    const doc = JSON.parse(JSON.stringify(toInfracost(e, { stack: "test", vcs })));
    const back = fromInfracost(doc, "base.json").estimate;
    expect(back.monthlyUsd).to.equal(e.monthlyUsd);
    expect(back.lines.map((l) => [l.component, l.name, l.monthlyUsd])).to.deep.equal(
      e.lines.map((l) => [l.component, l.name, l.monthlyUsd]),
    );
    expect(diffEstimates(back, e)).to.deep.include({ deltaUsd: 0, resources: [], components: [] });
    expect(() => fromInfracost({ version: "0.2" }, "base.json")).to.throw(
      /base\.json is not a cost estimate.*no projects/,
    );
  });
});
