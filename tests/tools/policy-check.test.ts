import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import { expect } from "chai";
import { before, describe, it } from "mocha";
import { HardenedBucket } from "../../components/hardened-bucket";
import { allPolicies } from "../../policy-pack/policies";
import { parseStackExport, toStackExport } from "../../tools/engine/state-file";
import { runTool } from "../support/cli";
import { one, record } from "../support/pulumi-harness";

// `npm run policy:check` audits a `pulumi stack export` file through the same Analyzer path.

describe("policy:check (tools/policy-check.ts)", function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-state-"));
  const publicState = path.join(dir, "public.json");
  const hardenedState = path.join(dir, "hardened.json");
  let token = "";

  before(async () => {
    const pub = await record(() => {
      const b = new aws.s3.Bucket("exported-public");
      new aws.s3.BucketPolicy("exported-public-policy", {
        bucket: b.id,
        policy: JSON.stringify({
          Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }],
        }),
      });
    });
    fs.writeFileSync(publicState, JSON.stringify(toStackExport("audit", pub.resources)));
    const hardened = await record(() => {
      const logs = new HardenedBucket("access-logs", { acceptAccessLogs: true });
      new HardenedBucket("data", { accessLogging: { targetBucket: logs.bucketName } });
      const password = new random.RandomPassword("token", { length: 64, special: false });
      return { token: password.result };
    });
    token = String(
      (one(hardened, "random:index/randomPassword:RandomPassword").outputs.result as { value: string }).value,
    );
    fs.writeFileSync(hardenedState, JSON.stringify(toStackExport("audit", hardened.resources, hardened.outputs)));
  });

  it("exits 1 naming the rule for a stack export holding a public bucket", async () => {
    const result = await runTool("policy-check.ts", ["--state", publicState, "--json", "--quiet"]);
    expect(result.code, result.stderr).to.equal(1);
    const report = JSON.parse(result.stdout) as { violations: { policy: string; enforcement: string }[] };
    const mandatory = report.violations.filter((v) => v.enforcement === "mandatory").map((v) => v.policy);
    expect(mandatory).to.include.members(["s3-no-public-bucket-policy", "s3-bucket-public-access-block"]);
  });

  it("exits 0 for hardened buckets, never printing a secret held in the state", async () => {
    const result = await runTool("policy-check.ts", ["--state", hardenedState, "--quiet"]);
    expect(result.code, result.stdout).to.equal(0);
    expect(result.stdout).to.match(/0 mandatory/);
    expect(token).to.have.length(64);
    expect(result.stdout).to.not.include(token);
    expect(result.stdout).to.match(/token\s+\[secret\]/);
  });

  it("honours the policy config: all rules advisory turns the public bucket into exit 0", async () => {
    const config = path.join(dir, "advisory.json");
    fs.writeFileSync(config, JSON.stringify({ all: "advisory" }));
    const result = await runTool("policy-check.ts", ["--state", publicState, "--policy-config", config, "--quiet"]);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/\[advisory\] s3-no-public-bucket-policy/);
  });

  it("exits 2 on a file that is not a version-3 stack export", async () => {
    const bad = path.join(dir, "v2.json");
    fs.writeFileSync(bad, JSON.stringify({ version: 2, deployment: {} }));
    const [old, missing] = await Promise.all([
      runTool("policy-check.ts", ["--state", bad]),
      runTool("policy-check.ts", ["--state", path.join(dir, "nope.json")]),
    ]);
    expect(old.code).to.equal(2);
    expect(old.stderr).to.match(/"version": 3, got version 2/);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/cannot read state file/);
  });

  it("reads secrets exported with --show-secrets as secrets, and skips providers and pending deletes", () => {
    const sig = "4dabf18193072939515e22adb298388d";
    const state = parseStackExport(
      JSON.stringify({
        version: 3,
        deployment: {
          resources: [
            { urn: "urn:pulumi:p::x::pulumi:providers:aws::default", type: "pulumi:providers:aws", custom: true },
            {
              urn: "urn:pulumi:p::x::aws:s3/bucket:Bucket::old",
              type: "aws:s3/bucket:Bucket",
              custom: true,
              delete: true,
            },
            {
              urn: "urn:pulumi:p::x::aws:ssm/parameter:Parameter::p",
              type: "aws:ssm/parameter:Parameter",
              custom: true,
              inputs: { value: { [sig]: "1b47061264138c4ac30d75fd1eb44270", plaintext: '"hunter2-secret"' } },
            },
          ],
        },
      }),
    );
    expect(state.resources.map((r) => r.name)).to.deep.equal(["p"]);
    expect(state.resources[0]?.inputs.value).to.deep.equal({
      [sig]: "1b47061264138c4ac30d75fd1eb44270",
      value: "hunter2-secret",
    });
  });

  it("--list reports every rule with its level and references", async () => {
    const [json, md] = await Promise.all([
      runTool("policy-check.ts", ["--list", "--json"]),
      runTool("policy-check.ts", ["--list", "--markdown"]),
    ]);
    const list = JSON.parse(json.stdout) as {
      count: number;
      rules: { name: string; enforcementLevel: string; fsbp: string[]; checkov: string[] }[];
    };
    expect(list.count).to.equal(allPolicies.length);
    expect(list.rules.find((r) => r.name === "s3-bucket-public-access-block")).to.deep.include({
      enforcementLevel: "mandatory",
      fsbp: ["S3.8"],
    });
    expect(md.stdout).to.match(/^# Policy rules/);
  });
});

// tests/fixtures/pack-gaps: two version-3 stack exports. gaps.json holds one resource per kind the
// pack once left unjudged (an Aurora cluster, an ECS task definition, a Security Hub without
// standards, a VPC endpoint without a policy, a topic on alias/aws/sns), each with the gap;
// hardened.json holds their hardened twins (same names, plus the FSBP subscription the hub needs).
describe("policy:check on stack exports: the resource kinds the pack judges since issue #20", function () {
  this.timeout(60_000);
  const fixtures = path.resolve(__dirname, "..", "fixtures", "pack-gaps");
  const PASSWORD = "fixture-Pl41nt3xt-db-password";

  interface Report {
    violations: { policy: string; enforcement: string; urn: string; message: string }[];
  }

  it("flags each gap with its rule and level, naming the resource, never the password in a message", async () => {
    const result = await runTool("policy-check.ts", ["--state", path.join(fixtures, "gaps.json"), "--json", "--quiet"]);
    expect(result.code, result.stderr).to.equal(1);
    const report = JSON.parse(result.stdout) as Report;
    const found = report.violations.map((v) => `${v.enforcement} ${v.policy} ${v.urn.split("::").pop()}`).sort();
    expect(found).to.deep.equal(
      [
        "mandatory rds-cluster-storage-encrypted aurora",
        "advisory rds-cluster-deletion-protection aurora",
        "advisory rds-cluster-iam-authentication aurora",
        "advisory rds-cluster-aurora-backtrack aurora",
        "mandatory ecs-task-no-literal-secrets-in-environment api",
        "mandatory ecs-task-efs-transit-encryption api",
        "advisory securityhub-standard-subscribed hub",
        "advisory vpc-endpoint-policy-not-full-access s3-endpoint",
        "advisory sns-topic-customer-managed-key alerts",
      ].sort(),
    );
    // The messages name the variable, never its value (the JSON report's resource inputs are the
    // export's own plaintext data, echoed as given).
    const messages = report.violations.map((v) => v.message).join("\n");
    expect(messages).to.include("DB_PASSWORD");
    expect(messages).to.not.include(PASSWORD);
  });

  it("passes the hardened twins with no violation at all", async () => {
    const result = await runTool("policy-check.ts", [
      "--state",
      path.join(fixtures, "hardened.json"),
      "--json",
      "--quiet",
    ]);
    expect(result.code, result.stderr).to.equal(0);
    expect((JSON.parse(result.stdout) as Report).violations).to.deep.equal([]);
  });
});
