import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import { estimateCost, loadPriceTable } from "../../tools/engine/cost";
import { diffEstimates, fromInfracost, type InfracostDoc, toInfracost } from "../../tools/engine/infracost";
import { renderPrSummary } from "../../tools/engine/pr-summary";
import type { Report } from "../../tools/engine/render";
import { type CliResult, repoRoot, runTool } from "../support/cli";
import { schemaErrors } from "../support/infracost-schema";
import { component, rec, syntheticStack } from "../support/records";

// `--cost --compare BASE`: the pull request's monthly change against its base commit's estimate,
// first in the comment, everything else unchanged and folded.

const prices = loadPriceTable("us-east-1");
const vcs = {
  branch: "b",
  commitSha: "1".repeat(40),
  commitAuthorName: "a",
  commitAuthorEmail: "a@example.com",
  commitTimestamp: "2026-12-07T00:00:00.000Z",
  commitMessage: "m",
};

function report(resources: ReturnType<typeof syntheticStack>): Report {
  return {
    title: "Preview of stack test (offline engine, nothing deployed)",
    stack: "test",
    policyPack: { name: "huntaze-hardening", version: "0.1.0" },
    resources,
    violations: [],
    outputs: {},
  };
}

describe("cost change (--compare)", () => {
  const baseResources = syntheticStack();
  const parent = component("huntaze:queue:Extra", "extra");
  const headResources = [...baseResources, parent, rec({ type: "aws:sqs/queue:Queue", name: "extra-queue", parent })];
  const usage = { sqs: { requestsPerMonth: 3e6 } };
  const past = fromInfracost(
    JSON.parse(JSON.stringify(toInfracost(estimateCost(baseResources, { prices, usage }), { stack: "test", vcs }))),
    "base.json",
  ).estimate;
  const head = estimateCost(headResources, { prices, usage, budgetUsd: 500 });
  const change = diffEstimates(past, head);

  it("a head differing by one queue changes that queue and nothing else", () => {
    expect(change.resources).to.deep.equal([
      {
        component: "extra",
        name: "extra-queue",
        type: "aws:sqs/queue:Queue",
        change: "added",
        pastUsd: null,
        headUsd: 1.2,
        deltaUsd: 1.2,
      },
    ]);
    expect(change.components).to.deep.equal([{ component: "extra", pastUsd: 0, headUsd: 1.2, deltaUsd: 1.2 }]);
    expect(change.deltaUsd).to.equal(1.2);
  });

  it("the comment leads with the change, the full estimate folded under it", () => {
    const md = renderPrSummary(report(headResources), { cost: head, past, change });
    const costAt = md.indexOf("### Monthly cost change");
    expect(costAt).to.be.greaterThan(0);
    const block = md.slice(costAt);
    expect(block).to.match(
      /^### Monthly cost change\n\n\*\*Monthly cost will increase by \$1\.20 \(\$[\d.]+ → \$[\d.]+\)\*\*/,
    );
    const rows = block
      .split("\n<details>")[0]
      ?.split("\n")
      .filter((l) => l.startsWith("| ") && !l.startsWith("| ---"));
    expect(rows).to.deep.equal([
      "| component | resource | change | before | after | monthly change |",
      "| extra | `extra-queue` (`aws:sqs/queue:Queue`) | added | — | $1.20 | +$1.20 |",
      "| **extra** | (component) | | $0.00 | $1.20 | **+$1.20** |",
    ]);
    expect(block).to.match(
      /<details><summary>Full estimate: \$[\d.]+ a month of the stack's \$500\.00 budget<\/summary>/,
    );
    expect(block.indexOf("<details><summary>Full estimate")).to.be.below(block.indexOf("| component | monthly |"));
  });

  it("the Infracost document carries the base, the head and the diff, and still validates", () => {
    const doc = toInfracost(head, { stack: "test", vcs, past });
    expect(schemaErrors(doc)).to.equal("");
    expect(doc.metadata.infracostCommand).to.equal("diff");
    expect(doc.diffTotalMonthlyCost).to.equal("1.2");
    expect(doc.projects[0]?.diff.resources.map((r) => [r.name, r.monthlyCost])).to.deep.equal([
      ["extra.extra-queue", "1.2"],
    ]);
  });

  it("lines stay in component/name order: a change of cost never reorders them", () => {
    const cheap = estimateCost(baseResources, { prices, usage: { sqs: { requestsPerMonth: 0 } } });
    const dear = estimateCost(baseResources, { prices, usage: { sqs: { requestsPerMonth: 1e9 } } });
    expect(cheap.lines.map((l) => l.name)).to.deep.equal(dear.lines.map((l) => l.name));
    expect(cheap.components.map((c) => c.component)).to.deep.equal(dear.components.map((c) => c.component));
  });
});

const program = `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config("fixture");
new aws.sqs.Queue("jobs", { name: \`jobs-\${pulumi.getStack()}\`, sqsManagedSseEnabled: true });
if (config.getBoolean("extraQueue"))
  new aws.sqs.Queue("reports", { name: \`reports-\${pulumi.getStack()}\`, sqsManagedSseEnabled: true });
export const monthlyBudgetUsd = config.requireNumber("monthlyBudgetUsd");
`;

describe("npm run preview -- --compare (end to end)", function () {
  this.timeout(180_000);
  const dir = path.join(repoRoot, ".tmp", `cost-compare-${process.pid}`);
  const baseFile = path.join(dir, "base-cost.json");
  const run = (...args: string[]): Promise<CliResult> =>
    runTool("preview.ts", ["--stack-dir", dir, "--program", path.join(dir, "index.ts"), "--quiet", ...args]);
  let md: CliResult;
  let text: CliResult;

  before(async () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: compare\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(path.join(dir, "index.ts"), program);
    const stackFile = (extra: boolean) =>
      `config:\n  aws:region: us-east-1\n  fixture:monthlyBudgetUsd: 50\n  fixture:extraQueue: ${extra}\n`;
    fs.writeFileSync(path.join(dir, "Pulumi.base.yaml"), stackFile(false));
    fs.writeFileSync(path.join(dir, "Pulumi.head.yaml"), stackFile(true));
    const base = await run("--stack", "base", "--cost", "--json");
    expect(base.code, base.stderr).to.be.oneOf([0, 1]);
    fs.writeFileSync(baseFile, base.stdout);
    [md, text] = await Promise.all([
      run("--stack", "head", "--markdown", "--compare", baseFile, "--cost-file", path.join(dir, "head-cost.json")),
      run("--stack", "head", "--compare", baseFile),
    ]);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the comment leads its cost section with the one queue's monthly change", () => {
    expect(md.code, md.stderr).to.be.oneOf([0, 1]);
    const block = md.stdout.slice(md.stdout.indexOf("### Monthly cost change"));
    expect(block).to.match(/^### Monthly cost change\n\n\*\*Monthly cost will increase by \$0\.40 /);
    const rows = block
      .split("\n<details>")[0]
      ?.split("\n")
      .filter((l) => /^\| (?!---|component \|)/.test(l));
    expect(rows).to.deep.equal([
      "| (stack) | `reports` (`aws:sqs/queue:Queue`) | added | — | $0.40 | +$0.40 |",
      "| **(stack)** | (component) | | $0.40 | $0.80 | **+$0.40** |",
    ]);
    const written = JSON.parse(fs.readFileSync(path.join(dir, "head-cost.json"), "utf8")) as InfracostDoc;
    expect(schemaErrors(written)).to.equal("");
    expect(written.diffTotalMonthlyCost).to.equal("0.4");
  });

  it("the text view leads with the change too", () => {
    expect(text.stdout).to.match(/Monthly cost will increase by \$0\.40 \(\$[\d.]+ → \$[\d.]+\):\n/);
    expect(text.stdout.indexOf("Monthly cost will increase")).to.be.below(text.stdout.indexOf("Monthly cost estimate"));
  });

  it("refuses a base that is not a --cost --json document, naming the file", async () => {
    const bad = path.join(dir, "not-cost.json");
    fs.writeFileSync(bad, JSON.stringify({ stack: "base", resources: [] }));
    const res = await run("--stack", "head", "--compare", bad);
    expect(res.code).to.equal(2);
    expect(res.stderr).to.match(/--compare .*not-cost\.json is not a cost estimate written by/);
    expect(res.stdout).to.equal("");
  });
});
