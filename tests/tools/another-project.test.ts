import * as path from "node:path";
import { expect } from "chai";
import { describe, it } from "mocha";
import type { AccountCost } from "../../tools/engine/account-preview";
import { programConfig } from "../../tools/engine/program-config";
import type { JsonReport } from "../../tools/engine/render";
import { type CliResult, repoRoot, runTool } from "../support/cli";

// The engine knows no project (issue #21, item 5): another project (tests/fixtures/acme: project
// acme-infra, config namespace acme, its own component package) previewed with --cost gets messages
// in its own terms, its own account, and its components recognised as components.

const dir = path.join(repoRoot, "tests", "fixtures", "acme");
const run = (...args: string[]): Promise<CliResult> =>
  runTool("preview.ts", ["--stack-dir", dir, "--transpile-only", "--quiet", ...args]);
// No config key of this repository's program (`huntaze:…`) in anything another project is told.
const PROJECT_KEY = /huntaze:/;

describe("another project's preview (tests/fixtures/acme)", function () {
  this.timeout(180_000);

  it("--cost with no budget says how to give one in this project's terms: its program's output or --budget-usd", async () => {
    const res = await run("--stack", "dev", "--cost");
    expect(res.code, res.stderr).to.equal(1); // the fixture's queue is unencrypted: a mandatory violation
    expect(res.stdout).to.include(
      "no budget: the program exports no `monthlyBudgetUsd` stack output (export the stack's monthly budget in USD, or pass --budget-usd N)",
    );
    expect(res.stdout + res.stderr).to.not.match(PROJECT_KEY);
  });

  it("takes the budget from the program's output, or from --budget-usd", async () => {
    const [prod, flagged] = await Promise.all([
      run("--stack", "prod", "--cost"),
      run("--stack", "dev", "--cost", "--budget-usd", "7.5"),
    ]);
    expect(prod.stdout, prod.stderr).to.match(/of the stack's \$20\.00 monthly budget/);
    expect(flagged.stdout, flagged.stderr).to.match(/of the stack's \$7\.50 monthly budget/);
    const bad = await run("--stack", "dev", "--cost", "--budget-usd", "lots");
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('--budget-usd must be a positive number of dollars, got "lots"');
  });

  it("answers with the account of its own namespace (acme:accountId), or --account-id; components by registration", async () => {
    const [own, flagged] = await Promise.all([
      run("--stack", "dev", "--json"),
      run("--stack", "dev", "--json", "--account-id", "444455556666"),
    ]);
    const report = JSON.parse(own.stdout) as JsonReport;
    expect(report.outputs).to.deep.equal({ queueArn: "arn:aws:sqs:us-east-1:111122223333:acme-dev-jobs" });
    expect((JSON.parse(flagged.stdout) as JsonReport).outputs).to.deep.equal({
      queueArn: "arn:aws:sqs:us-east-1:444455556666:acme-dev-jobs",
    });
    expect(report.resources.map((r) => [r.type, r.custom])).to.deep.equal([
      ["pulumi:pulumi:Stack", false],
      ["acme:app:Worker", false],
      ["aws:sqs/queue:Queue", true],
    ]);
  });

  it("--all --cost names the account budget's output and flag, and knows its component is one", async () => {
    const [json, text] = await Promise.all([run("--all", "--cost", "--json"), run("--all", "--cost")]);
    const doc = JSON.parse(json.stdout) as {
      stacks: { stack: string; accountId: string | null }[];
      account: { uncoveredTypes: string[]; cost: AccountCost };
    };
    expect(doc.stacks.map((s) => [s.stack, s.accountId])).to.deep.equal([
      ["dev", "111122223333"],
      ["prod", "111122223333"],
    ]);
    // A component claims no AWS name: not a type the account table lacks (it used to be told by the
    // `huntaze:` prefix, so another project's components were all "uncovered").
    expect(doc.account.uncoveredTypes).to.deep.equal([]);
    expect(doc.account.cost.stacks.map((s) => [s.stack, s.budgetUsd])).to.deep.equal([
      ["dev", null],
      ["prod", 20],
    ]);
    expect(doc.account.cost.accountBudgetUsd).to.equal(null);
    expect(text.stdout).to.match(
      / {2}dev +\$[\d.]+ +\(no budget: its own budget, no `monthlyBudgetUsd` output \(or --budget-usd N\)\)/,
    );
    expect(text.stdout).to.include(
      "(no stack exports `accountBudgetUsd`: export it from the stack that holds the account budget, or pass --account-budget-usd N)",
    );
    expect(text.stdout + text.stderr).to.not.match(PROJECT_KEY);
    const flagged = JSON.parse((await run("--all", "--cost", "--json", "--account-budget-usd", "30")).stdout) as {
      account: { cost: AccountCost };
    };
    expect(flagged.account.cost).to.deep.include({ accountBudgetUsd: 30, budgetStack: null });
  });
});

describe("the program's config namespace (program-config.ts)", () => {
  const project = { name: "acme-infra", dir };
  const keys = (config: Record<string, string>, options = {}) =>
    programConfig(config, project, "Pulumi.dev.yaml", options);

  it("is the one namespace no provider claims, when the project name is not used", () => {
    const found = keys({ "aws:region": "us-east-1", "pulumi:tags": "{}", "acme:accountId": "111122223333" });
    expect(found).to.deep.equal({
      namespace: "acme",
      from: "stack file",
      accountIdKey: "acme:accountId",
      accountId: "111122223333",
      adoptionKey: "acme:adoption",
    });
  });

  it("is the project name when the stack file uses it (Pulumi's default), or when nothing else is set", () => {
    expect(keys({ "acme-infra:accountId": "111122223333", "other:x": "1" })).to.include({
      namespace: "acme-infra",
      accountId: "111122223333",
    });
    expect(keys({ "aws:region": "us-east-1" })).to.deep.equal({
      namespace: "acme-infra",
      from: "project name",
      accountIdKey: "acme-infra:accountId",
      adoptionKey: "acme-infra:adoption",
    });
  });

  it("asks for --config-namespace when two namespaces could be the program's, and takes it", () => {
    const two = { "aws:region": "us-east-1", "acme:accountId": "111122223333", "billing:team": "x" };
    expect(() => keys(two)).to.throw(
      /Pulumi\.dev\.yaml sets keys in 2 namespaces no provider claims \(acme, billing\) and none is the project's name \(acme-infra\): pass --config-namespace NS/,
    );
    expect(keys(two, { namespace: "acme" })).to.include({ namespace: "acme", from: "flag", accountId: "111122223333" });
  });

  it("takes --account-id over the stack file's, refuses one that is not 12 digits, ignores a malformed config value", () => {
    expect(keys({ "acme:accountId": "111122223333" }, { accountId: "444455556666" }).accountId).to.equal(
      "444455556666",
    );
    expect(() => keys({}, { accountId: "12" })).to.throw(/--account-id must be a 12-digit AWS account id, got "12"/);
    // The program validates its own config; the engine's mocks just answer with their default.
    expect(keys({ "acme:accountId": "nope" }).accountId).to.equal(undefined);
  });
});
