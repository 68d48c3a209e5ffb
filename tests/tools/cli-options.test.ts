// The command-line layer every tool shares: node:util parseArgs over one declarative option
// table, every problem reported at once with a "did you mean", `--help` on every command, and
// "did you mean" for config keys and policy names too.

import * as path from "node:path";
import { expect } from "chai";
import { closest, didYouMean, editDistance } from "../../lib/did-you-mean";
import { parseStackConfig } from "../../stacks/config";
import { ConfigValidationError } from "../../stacks/validation";
import { callerPath, formatOptions, parseCommandLine } from "../../tools/cli/options";
import { type PolicyInfo, resolvePolicyConfig } from "../../tools/engine/policy-client";
import { readStackFile } from "../../tools/engine/stack-file";
import { repoRoot, runTool } from "../support/cli";

const table = {
  stack: { type: "string", placeholder: "NAME", help: "the stack" },
  json: { type: "boolean", help: "JSON out" },
  "policy-config": { type: "string", placeholder: "FILE", help: "first line\nsecond line" },
  help: { type: "boolean", short: "h", help: "this help" },
} as const;

describe("command-line options (tools/cli/options.ts)", () => {
  it("parses --flag value, --flag=value and switches into typed values", () => {
    const { values, problems } = parseCommandLine(["--stack", "prod", "--policy-config=p.json", "--json"], table);
    expect(problems).to.deep.equal([]);
    expect(values).to.deep.equal({ stack: "prod", "policy-config": "p.json", json: true });
    expect(parseCommandLine(["-h"], table).values.help).to.equal(true);
  });

  it("reports every problem at once: unknown option with a suggestion, missing value, switch with a value, stray and repeated arguments", () => {
    const { problems } = parseCommandLine(
      ["--jsn", "--stack", "--json=yes", "stray", "--policy-config", "a", "--policy-config", "b", "--stack"],
      table,
    );
    expect(problems).to.deep.equal([
      "unknown option --jsn (did you mean --json?) (see --help)",
      "--stack needs a value",
      "--json takes no value",
      "unexpected argument #4 (options take the form --name value)",
      "--policy-config is given twice",
      "--stack needs a value",
    ]);
  });

  it("collects a repeatable option's values in order, and still refuses a repeated single one", () => {
    const repeatable = {
      state: { type: "string", multiple: true, help: "a state" },
      stack: { type: "string", help: "the stack" },
    } as const;
    const parsed = parseCommandLine(
      ["--state", "a.tfstate", "--state=b.json", "--stack", "x", "--stack", "y"],
      repeatable,
    );
    expect(parsed.values.state).to.deep.equal(["a.tfstate", "b.json"]);
    expect(parsed.problems).to.deep.equal(["--stack is given twice"]);
  });

  it("generates aligned help lines from the same table", () => {
    expect(formatOptions(table).split("\n")).to.deep.equal([
      "  --stack NAME          the stack",
      "  --json                JSON out",
      "  --policy-config FILE  first line",
      "                        second line",
      "  -h, --help            this help",
    ]);
  });

  it("resolves a relative path against the caller's directory (INIT_CWD from npm), else the process's", () => {
    expect(callerPath("a/b.json", { INIT_CWD: "/home/me/project" })).to.equal("/home/me/project/a/b.json");
    expect(callerPath("/abs.json", { INIT_CWD: "/home/me" })).to.equal("/abs.json");
    expect(callerPath("x", {})).to.equal(path.resolve("x"));
  });
});

describe("did you mean (lib/did-you-mean.ts)", () => {
  it("measures edit distance and offers only a close name", () => {
    expect(editDistance("kitten", "sitting")).to.equal(3);
    expect(editDistance("Json", "json")).to.equal(0);
    expect(editDistance("tgas", "tags")).to.equal(1);
    expect(closest("monthlyBudgetUSD", ["monthlyBudgetUsd", "accountId"])).to.equal("monthlyBudgetUsd");
    expect(closest("environmnet", ["environment", "tags"])).to.equal("environment");
    expect(closest("zzz", ["environment", "tags"])).to.equal(undefined);
    expect(didYouMean("tgas", ["tags"], (k) => `huntaze:${k}`)).to.equal(" (did you mean huntaze:tags?)");
  });

  it("suggests the stack config key a typo meant", () => {
    const { config, secretKeys } = readStackFile("production");
    const typo: Record<string, string> = {
      ...config,
      "huntaze:monthlyBudgetUSD": config["huntaze:monthlyBudgetUsd"] as string,
    };
    delete typo["huntaze:monthlyBudgetUsd"];
    let error: unknown;
    try {
      parseStackConfig(typo, secretKeys);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigValidationError);
    expect((error as Error).message).to.match(
      /huntaze:monthlyBudgetUSD: expected no such setting \(did you mean huntaze:monthlyBudgetUsd\?\)/,
    );
  });

  it("suggests the policy and the policy setting a typo meant", () => {
    const policies: PolicyInfo[] = [
      { name: "s3-bucket-versioning", description: "", enforcementLevel: "advisory" },
      {
        name: "cloudwatch-log-group-retention",
        description: "",
        enforcementLevel: "advisory",
        configSchema: { properties: { minimumRetentionDays: { type: "integer" } }, required: [] },
      },
    ];
    expect(() =>
      resolvePolicyConfig(policies, {
        "s3-bucket-versionning": "mandatory",
        "cloudwatch-log-group-retention": { minimumRetentionDay: 90 },
      }),
    )
      .to.throw(/s3-bucket-versionning: no such policy in the pack \(did you mean s3-bucket-versioning\?\)/)
      .and.to.match(/minimumRetentionDay: not a setting of this policy \(did you mean minimumRetentionDays\?\)/);
  });
});

describe("--help on every command-line tool", function () {
  this.timeout(120_000);
  const tools: [string, RegExp][] = [
    ["tools/preview.ts", /^usage: npm run preview/],
    ["tools/policy-check.ts", /^usage: npm run policy:check/],
    ["tools/redis-verify.ts", /^Usage: npm run redis:verify/],
    ["tools/pipeline-local.ts", /^usage: npm run pipeline:local/],
    ["tools/build.ts", /^usage: npm run build/],
    ["tools/inventory.ts", /^Usage: npm run inventory/],
    ["bench/preview.ts", /^usage: npm run bench:preview/],
    ["bench/redis-verify.ts", /^usage: npm run bench:redis-verify/],
    ["bench/pipeline.ts", /^usage: npm run bench:pipeline/],
    ["bench/rate-limiter.ts", /^usage: npm run bench:rate-limiter/],
  ];
  it("exits 0 with the usage, its options listed, on stdout", async () => {
    const results = await Promise.all(
      tools.map(([tool]) =>
        runTool(path.relative(path.join(repoRoot, "tools"), path.join(repoRoot, tool)), ["--help"]),
      ),
    );
    results.forEach((result, i) => {
      const [tool, usage] = tools[i]!;
      expect(result.code, `${tool}: ${result.stderr}`).to.equal(0);
      expect(result.stdout, tool).to.match(usage);
      expect(result.stdout, tool).to.match(/-h, --help/);
      expect(result.stderr, tool).to.equal("");
    });
  });
});
