import { expect } from "chai";
import { before, describe, it } from "mocha";
import { estimateCost, loadPriceTable } from "../../tools/engine/cost";
import { buildDiagram } from "../../tools/engine/diagram";
import type { Violation } from "../../tools/engine/policy-client";
import { fitBlocks, GITHUB_COMMENT_LIMIT, renderPrSummary } from "../../tools/engine/pr-summary";
import type { RecordedResource } from "../../tools/engine/recorder";
import type { Report } from "../../tools/engine/render";
import { type CliResult, runTool } from "../support/cli";
import { component, rec, stackRecord, syntheticStack } from "../support/records";

// The pull-request comment: violations first, then cost against the budget, the diagram and the
// changes, always under GitHub's 65,536-character limit however large the stack.

function reportOf(resources: RecordedResource[], violations: Violation[] = []): Report {
  return {
    title: "Preview of stack test (offline engine, nothing deployed)",
    stack: "test",
    policyPack: { name: "huntaze-hardening", version: "0.1.0" },
    resources,
    violations,
    outputs: { queueUrl: "https://sqs.us-east-1.amazonaws.com/1/q" },
  };
}

/** ~`n` resources in components of 50, with a mandatory violation on every tenth. */
function hugeStack(n: number): { resources: RecordedResource[]; violations: Violation[] } {
  const resources: RecordedResource[] = [stackRecord()];
  const violations: Violation[] = [];
  for (let c = 0; resources.length < n; c++) {
    const parent = component("huntaze:storage:HardenedBucket", `bucket-group-${c}`);
    resources.push(parent);
    for (let i = 0; i < 50; i++) {
      const key = rec({ type: "aws:kms/key:Key", name: `key-${c}-${i}`, parent });
      resources.push(key);
      if (i % 10 === 0)
        violations.push({
          policy: "kms-key-rotation-enabled",
          enforcement: "mandatory",
          urn: key.urn,
          message: `Customer KMS keys rotate yearly.\nKey key-${c}-${i} has rotation off (CIS AWS 3.8 / FSBP KMS.4).`,
        });
    }
  }
  return { resources, violations };
}

describe("PR summary (tools/engine/pr-summary.ts)", () => {
  const prices = loadPriceTable("us-east-1");

  it("puts violations first, then cost against the budget, the diagram, the changes and outputs", () => {
    const resources = syntheticStack();
    const violations: Violation[] = [
      {
        policy: "sqs-encrypted",
        enforcement: "advisory",
        urn: resources[3]!.urn,
        message: "Queues are encrypted.\nUse KMS.",
      },
    ];
    const md = renderPrSummary(reportOf(resources, violations), {
      cost: estimateCost(resources, { prices, budgetUsd: 500 }),
      diagram: buildDiagram(resources, { title: "Stack test" }),
    });
    const order = [
      "### Policy violations",
      "### Cost against the budget",
      "### Architecture",
      "### What changes",
      "### Outputs",
    ].map((h) => md.indexOf(h));
    expect(
      order.every((i) => i >= 0),
      JSON.stringify(order),
    ).to.equal(true);
    expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
    expect(md).to.match(
      /\*\*(at least )?\$\d+\.\d{2} of the stack's \$500\.00 monthly budget \((at least )?\d+\.\d %\)\*\*/,
    );
    expect(md).to.include("```mermaid\n---\ntitle: Stack test\n---\nflowchart LR");
    expect(md).to.not.match(/Truncated|omitted to fit/);
  });

  it("stays under GitHub's limit for a 30,000-resource stack with 3,000 violations, and says what it cut", function () {
    this.timeout(60_000);
    const { resources, violations } = hugeStack(30_000);
    const md = renderPrSummary(reportOf(resources, violations), {
      cost: estimateCost(resources, { prices, budgetUsd: 500 }),
      diagram: buildDiagram(resources, { title: "Stack huge" }),
    });
    expect(md.length).to.be.at.most(GITHUB_COMMENT_LIMIT);
    expect(md.startsWith("## Preview of stack test")).to.equal(true);
    expect(md).to.include("❌ blocked by mandatory policy violations");
    expect(md).to.match(/✂️ Truncated: the full summary is [\d,]+ characters/);
    // The violations table is what survives: it comes first.
    expect(md).to.include("`kms-key-rotation-enabled`");
  });

  it("drops the least important blocks before cutting, and cuts at a line boundary", () => {
    const blocks = [
      { text: "head" },
      { text: "x".repeat(50), dropOrder: 1, omitted: "(b dropped)" },
      { text: "y".repeat(50), dropOrder: 0, omitted: "(c dropped)" },
    ];
    expect(fitBlocks(blocks, 1000)).to.equal(`head\n\n${"x".repeat(50)}\n\n${"y".repeat(50)}`);
    expect(fitBlocks(blocks, 70)).to.equal(`head\n\n${"x".repeat(50)}\n\n(c dropped)`);
    const cut = fitBlocks([{ text: Array.from({ length: 500 }, (_, i) => `line ${i}`).join("\n") }], 400);
    expect(cut.length).to.be.at.most(400);
    expect(cut).to.match(/line \d+\n\n> ✂️ Truncated/);
  });
});

describe("npm run preview -- --markdown (end to end)", function () {
  this.timeout(60_000);
  let res: CliResult;
  before(async () => {
    res = await runTool("preview.ts", ["--stack", "production", "--markdown", "--quiet"]);
  });

  it("is the PR comment of the production stack: cost vs the $500 budget and the Mermaid diagram", () => {
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout.length).to.be.below(GITHUB_COMMENT_LIMIT);
    expect(res.stdout).to.match(
      /### Cost against the budget\n\n\*\*\$\d+\.\d{2} of the stack's \$500\.00 monthly budget/,
    );
    expect(res.stdout).to.include("```mermaid").and.to.include("RateLimiterPipeline: rate-limiter");
    expect(res.stdout.indexOf("### Policy violations")).to.be.below(res.stdout.indexOf("### Cost against the budget"));
    expect(res.stdout).to.not.include("OFFLINEPLACEHOLDER");
    // The profile actually read, not a placeholder path; every stack's budget is the account's too.
    expect(res.stdout).to.include("usage profile `usage/production.yaml`");
    expect(res.stdout).to.include("`npm run preview -- --all --cost`");
  });
});
