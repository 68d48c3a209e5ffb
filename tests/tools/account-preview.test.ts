import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import type { AccountFinding } from "../../tools/engine/account-check";
import type { AccountCost } from "../../tools/engine/account-preview";
import { type CliResult, repoRoot, runTool } from "../support/cli";

// `npm run preview -- --all`: each stack previewed as today, then all of them checked together
// against the one account they share.

interface AccountJson {
  stacks: { stack: string; preview?: { summary: { resources: number } }; error?: string }[];
  account: { findings: AccountFinding[]; uncoveredTypes: string[] };
  summary: { stacks: number; findings: number };
}

const program = `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config("fixture");
export const topic = new aws.sns.Topic("alerts", { name: config.require("topicName") }).name;
new aws.sqs.Queue("jobs", { name: \`jobs-\${pulumi.getStack()}\` });
new aws.s3.AccountPublicAccessBlock("account-public-access-block", {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
});
`;

const stackFile = (topic: string, budget = "") => `config:
  aws:region: us-east-1
  huntaze:accountId: "317805897534"
  fixture:topicName: ${topic}
${budget}`;

describe("account-wide preview (preview --all)", function () {
  this.timeout(240_000);
  // Under the repository so the tiny program resolves @pulumi/* from its node_modules.
  const dir = path.join(repoRoot, ".tmp", `account-preview-${process.pid}`);

  before(() => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: two-stacks\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(path.join(dir, "index.ts"), program);
    // Blue owns the account baseline, so the account budget; each stack has its own budget too.
    fs.writeFileSync(
      path.join(dir, "Pulumi.blue.yaml"),
      stackFile(
        "shared-alerts",
        "  huntaze:monthlyBudgetUsd: 10\n  huntaze:manageAccountBaseline: true\n  huntaze:finops:\n    accountBudgetUsd: 0.25\n",
      ),
    );
    fs.writeFileSync(
      path.join(dir, "Pulumi.green.yaml"),
      stackFile("shared-alerts", "  huntaze:monthlyBudgetUsd: 5\n"),
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const runAll = (...args: string[]): Promise<CliResult> =>
    runTool("preview.ts", ["--stack-dir", dir, "--program", path.join(dir, "index.ts"), ...args]);

  it("exits 1 naming both stacks' topic and both account public access blocks", async () => {
    const [json, text] = await Promise.all([runAll("--all", "--json", "--quiet"), runAll("--all")]);
    expect(json.code, json.stderr).to.equal(1);
    const report = JSON.parse(json.stdout) as AccountJson;
    expect(report.stacks.map((s) => s.stack)).to.deep.equal(["blue", "green"]);
    expect(report.stacks.every((s) => (s.preview?.summary.resources ?? 0) > 0)).to.equal(true);
    const byKind = Object.fromEntries(report.account.findings.map((f) => [f.kind, f]));
    expect(report.account.findings).to.have.length(2);
    expect(byKind.name?.what).to.equal("SNS topic");
    expect(byKind.name?.claims).to.deep.equal([
      { stack: "blue", urn: "urn:pulumi:blue::two-stacks::aws:sns/topic:Topic::alerts", name: "shared-alerts" },
      {
        stack: "green",
        urn: "urn:pulumi:green::two-stacks::aws:sns/topic:Topic::alerts",
        name: "shared-alerts",
      },
    ]);
    expect(byKind.singleton?.what).to.equal("the account S3 public access block");
    expect(byKind.singleton?.claims.map((c) => c.urn)).to.deep.equal([
      "urn:pulumi:blue::two-stacks::aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock::account-public-access-block",
      "urn:pulumi:green::two-stacks::aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock::account-public-access-block",
    ]);
    expect(report.account.uncoveredTypes).to.deep.equal([]);

    expect(text.code).to.equal(1);
    expect(text.stdout).to.match(
      /\[name collision\] SNS topic\n\s+blue: urn:pulumi:blue::\S+::alerts\s+\(shared-alerts\)/,
    );
    expect(text.stdout).to.match(/\[account singleton\] the account S3 public access block/);
    expect(text.stdout).to.match(
      /Summary: 2 stacks, \d+ with mandatory violations, 2 cross-stack findings, 0 failed\./,
    );
    expect(text.stderr).to.match(/checking 2 stacks together/);
  });

  it("--stacks previews a subset (one stack alone claims nothing twice) and --markdown renders a PR comment", async () => {
    const md = await runAll("--stacks", "blue", "--markdown", "--quiet");
    expect(md.stdout, md.stderr).to.match(/^## Account preview of 1 stacks/);
    expect(md.stdout).to.include("No two resources claim the same name; no account singleton twice.");
    const twice = await runAll("--all", "--markdown", "--quiet");
    expect(twice.stdout).to.match(
      /\| name collision: SNS topic \| `blue`: `urn:pulumi:blue::[^`]+::alerts`<br>`green`:/,
    );
  });

  it("exits 2 on an unknown stack in --stacks, and on --stack with --all", async () => {
    const unknown = await runAll("--stacks", "blue,purple", "--quiet");
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include(
      '--stacks names "purple", which has no Pulumi.<stack>.yaml (stacks: blue, green)',
    );
    const both = await runAll("--all", "--stack", "blue");
    expect(both.code).to.equal(2);
    expect(both.stderr).to.include("--stack and --all/--stacks are exclusive");
  });

  it("checks the project's own stacks together: no name claimed twice, singletons in production only", async () => {
    const res = await runTool("preview.ts", ["--all", "--json", "--quiet"]);
    const report = JSON.parse(res.stdout) as AccountJson;
    expect(report.stacks.map((s) => s.stack)).to.deep.equal(["production", "staging"]);
    expect(report.account.uncoveredTypes).to.deep.equal([]);
    expect(report.account.findings.filter((f) => f.kind === "name")).to.deep.equal([]);
    // Staging's whole-account budget is being replaced by an environment-filtered one (issue #10's
    // CostTracking); until that lands it is the one finding, and it must be reported.
    const stagingBudgetFiltered = /costFilters|filterExpression/.test(
      fs.readFileSync(path.join(repoRoot, "stacks", "program.ts"), "utf8") +
        fs
          .readdirSync(path.join(repoRoot, "components"))
          .filter((f) => f.endsWith(".ts"))
          .map((f) => fs.readFileSync(path.join(repoRoot, "components", f), "utf8"))
          .join(""),
    );
    if (stagingBudgetFiltered) {
      expect(res.code, res.stderr).to.equal(0);
      expect(report.account.findings).to.deep.equal([]);
    } else {
      expect(res.code).to.equal(1);
      expect(report.account.findings.map((f) => [f.what, f.claims.map((c) => c.stack)])).to.deep.equal([
        ["an unfiltered (whole-account) budget", ["production", "staging"]],
      ]);
    }
  });

  it("--all --cost sums every stack against the account budget, each stack against its own", async () => {
    const [json, text] = await Promise.all([
      runAll("--all", "--cost", "--json", "--quiet"),
      runAll("--all", "--cost", "--quiet"),
    ]);
    expect(json.code, json.stderr).to.equal(1);
    const cost = (JSON.parse(json.stdout) as { account: { cost: AccountCost } }).account.cost;
    expect(cost.stacks.map((s) => [s.stack, s.budgetUsd])).to.deep.equal([
      ["blue", 10],
      ["green", 5],
    ]);
    expect(cost.accountBudgetUsd).to.equal(0.25);
    expect(cost.budgetStack).to.equal("blue");
    // Each stack's queue alone fits SQS's free tier; both together do not: the tier is credited once.
    expect(cost.grossUsd).to.be.greaterThan(0);
    expect(cost.monthlyUsd).to.be.closeTo(cost.grossUsd + cost.freeTierUsd, 1e-9);
    expect(cost.monthlyUsd).to.be.greaterThan(cost.stacks.reduce((n, s) => n + s.monthlyUsd, 0));
    expect(text.stdout).to.match(/Monthly cost \(one account, one bill\):\n {2}blue .*its own budget/);
    expect(text.stdout).to.match(
      / {2}account +\$\d+\.\d{2} +\(.*% of \$0\.25( — OVER BUDGET)?: the account budget, huntaze:finops\.accountBudgetUsd of blue/,
    );
  });

  it("--compare and --cost-file preview one stack: refused with --all", async () => {
    const res = await runAll("--all", "--compare", "base.json");
    expect(res.code).to.equal(2);
    expect(res.stderr).to.match(/--compare previews one stack: use it with --stack, not --all/);
  });
});
