import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { before, describe, it } from "mocha";
import type { JsonReport } from "../../tools/engine/render";
import { type CliResult, repoRoot, runTool } from "../support/cli";

// The main job, end to end: `npm run preview -- --stack production` as a user runs it.

describe("offline preview (tools/preview.ts)", function () {
  this.timeout(60_000);
  let text: CliResult;
  let json: CliResult;
  let report: JsonReport;

  before(async () => {
    [text, json] = await Promise.all([
      runTool("preview.ts", ["--stack", "production"]),
      runTool("preview.ts", ["--stack", "production", "--json", "--quiet"]),
    ]);
    report = JSON.parse(json.stdout) as JsonReport;
  });

  it("previews production with no mandatory violation and exits 0", () => {
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.match(/Preview of stack production/);
    expect(text.stdout).to.match(
      /Summary: \d+ resources, 0 mandatory and \d+ advisory policy violations, 0 adoption errors\./,
    );
    expect(text.stderr).to.match(/checking \d+ resources against huntaze-hardening@0\.1\.0/);
    expect(json.code).to.equal(0);
  });

  it("prints the resource tree under its components, counts by type and the outputs", () => {
    expect(text.stdout).to.match(
      /\+ huntaze:storage:HardenedBucket\s+audit-logs\n {8}\+ aws:s3\/bucket:Bucket\s+audit-logs/,
    );
    expect(text.stdout).to.match(/Counts by type \(\d+ resources\):/);
    expect(text.stdout).to.match(/auditLogBucketName\s+audit-logs-/);
  });

  it("--json lists the audit bucket's children with the inputs that matter", () => {
    expect(Object.keys(report)).to.include.members(["stack", "resources", "violations", "outputs"]);
    expect(report.stack).to.equal("production");
    const component = report.resources.find(
      (r) => r.type === "huntaze:storage:HardenedBucket" && r.name === "audit-logs",
    );
    expect(component).to.not.equal(undefined);
    const children = report.resources.filter((r) => r.parent === component?.urn);
    const byType = Object.fromEntries(children.map((c) => [c.type, c]));
    expect(byType["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"]?.inputs).to.deep.include({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const sse = byType["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"]
      ?.inputs as { rules: { applyServerSideEncryptionByDefault: Record<string, string> }[] };
    expect(sse.rules[0]?.applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("aws:kms");
    expect(sse.rules[0]?.applyServerSideEncryptionByDefault.kmsMasterKeyId).to.match(
      /^arn:aws:kms:us-east-1:317805897534:key\//,
    );
    expect(byType["aws:s3/bucketOwnershipControls:BucketOwnershipControls"]?.inputs).to.deep.include({
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const policy = byType["aws:s3/bucketPolicy:BucketPolicy"];
    expect(policy?.dependencies).to.include(byType["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"]?.urn);
    for (const v of report.violations)
      expect(Object.keys(v).sort()).to.deep.equal(["enforcement", "message", "policy", "urn"]);
    expect(report.violations.filter((v) => v.enforcement === "mandatory")).to.deep.equal([]);
  });

  it("--markdown renders a PR comment", async () => {
    const md = await runTool("preview.ts", ["--stack", "staging", "--markdown", "--quiet"]);
    expect(md.code, md.stderr).to.equal(0);
    expect(md.stdout).to.match(/^## Preview of stack staging/);
    expect(md.stdout).to.match(/\| count \| type \|/);
    expect(md.stdout).to.match(/<details><summary>Resource tree<\/summary>/);
  });

  it("exits 1 naming the rule when the program has a public bucket", async () => {
    const dir = path.join(repoRoot, "tests", "fixtures", "public-bucket");
    const result = await runTool("preview.ts", [
      "--stack",
      "public",
      "--stack-dir",
      dir,
      "--program",
      path.join(dir, "index.ts"),
      "--quiet",
    ]);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.stdout).to.match(/\[mandatory\] s3-no-public-bucket-policy \(1\)/);
    expect(result.stdout).to.match(/\[mandatory\] s3-bucket-public-access-block/);
  });

  it("exits 2 listing every config problem at once, with no stack trace and no secret", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-stack-"));
    const spoiled = fs
      .readFileSync(path.join(repoRoot, "Pulumi.production.yaml"), "utf8")
      .replace("aws:region: us-east-1", "aws:region: mars-north-1")
      .replace("monthlyBudgetUsd: 500", "monthlyBudgetUsd: -500")
      .replace("finops@huntaze.com", "finops-at-huntaze")
      .replace(/ {2}huntaze:accountId: "317805897534"\n/, "")
      .replace("huntaze:tags:", "huntaze:apiKey:\n    secure: AAABAOnlyCiphertextHere\n  huntaze:tags:");
    fs.writeFileSync(path.join(dir, "Pulumi.spoiled.yaml"), spoiled);
    const result = await runTool("preview.ts", ["--stack", "spoiled", "--stack-dir", dir, "--quiet"]);
    expect(result.code).to.equal(2);
    expect(result.stdout).to.equal("");
    const err = result.stderr;
    expect(err).to.match(/invalid stack configuration \(5 problems\)/);
    expect(err).to.match(/aws:region: expected one of us-east-1, .* got "mars-north-1"/);
    // CostTracking's monthlyBudgetUsd rule (was 1..1e6 in the stack's own copy); the string read as a number.
    expect(err).to.match(/huntaze:monthlyBudgetUsd: expected a number ≥ 0\.01 and ≤ 1000000000, got -500/);
    expect(err).to.match(/huntaze:alerts\.costEmails\[0\]: expected an email address, got "finops-at-huntaze"/);
    expect(err).to.match(/huntaze:accountId: expected a 12-digit AWS account id, got nothing \(the key is missing\)/);
    expect(err).to.match(/huntaze:apiKey: expected no such setting .* got a secret value \(not shown\)/);
    expect(err).to.not.match(/\n\s+at /);
    expect(err).to.not.include("offline-secret-");
  });

  it("exits 2 on usage errors and unknown stacks", async () => {
    const [noStack, unknown, badFlag] = await Promise.all([
      runTool("preview.ts", ["--quiet"]),
      runTool("preview.ts", ["--stack", "qa", "--quiet"]),
      runTool("preview.ts", ["--stack", "production", "--yaml"]),
    ]);
    expect([noStack.code, unknown.code, badFlag.code]).to.deep.equal([2, 2, 2]);
    expect(noStack.stderr).to.match(/--stack is required/);
    expect(unknown.stderr).to.match(/no stack named "qa".*stacks: production, staging/);
    expect(badFlag.stderr).to.match(/unknown option --yaml/);
  });
});
