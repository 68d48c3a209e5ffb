import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { describe, it } from "mocha";
import { type AccountStack, checkAccount } from "../../tools/engine/account-check";
import { isCovered, NAMED_TYPES, SINGLETON_TYPES } from "../../tools/engine/account-names";
import { repoRoot } from "../support/cli";

// The account table must know every resource type the project creates: a type missing from it is
// a name the account-wide preview silently does not check.

/** `new aws.sns.Topic(` / `new random.RandomId(` in every component and stack source file, as type tokens. */
function typesCreatedInSource(): Map<string, string> {
  const packages: Record<string, Record<string, Record<string, { __pulumiType?: string }>>> = {
    aws: require("@pulumi/aws"),
    random: { index: require("@pulumi/random") },
  };
  const found = new Map<string, string>();
  for (const dir of ["components", "stacks"]) {
    const files = fs.readdirSync(path.join(repoRoot, dir), { recursive: true }) as string[];
    for (const file of files.filter((f) => f.endsWith(".ts"))) {
      const text = fs.readFileSync(path.join(repoRoot, dir, file), "utf8");
      for (const m of text.matchAll(/new\s+(aws|random)\.(?:([a-z0-9]+)\.)?([A-Z][A-Za-z0-9]*)\s*\(/g)) {
        const [, pkg = "", mod = "index", kind = ""] = m;
        const cls = packages[pkg]?.[pkg === "random" ? "index" : mod]?.[kind];
        const type = cls?.__pulumiType ?? `${pkg}.${mod}.${kind} (not a resource class?)`;
        found.set(type, `${dir}/${file}`);
      }
    }
  }
  return found;
}

describe("account name table (tools/engine/account-names.ts)", () => {
  it("covers every resource type the components and stacks create", () => {
    const created = typesCreatedInSource();
    expect(created.size).to.be.greaterThan(20);
    const missing = [...created].filter(([type]) => !isCovered(type)).map(([type, file]) => `${type} (${file})`);
    expect(missing, "add these types to NAMED_TYPES, SINGLETON_TYPES or UNNAMED_TYPES").to.deep.equal([]);
  });

  it("knows the account-unique types the other parts of the platform will add", () => {
    for (const type of [
      "aws:dynamodb/table:Table",
      "aws:ecs/cluster:Cluster",
      "aws:ecs/service:Service",
      "aws:cloudtrail/trail:Trail",
      "aws:cloudwatch/eventRule:EventRule",
      "aws:budgets/budget:Budget",
      "aws:rds/parameterGroup:ParameterGroup",
      "aws:route53/record:Record",
      "aws:iam/role:Role",
      "aws:s3/bucket:Bucket",
    ])
      expect(NAMED_TYPES, type).to.have.property(type);
    for (const type of [
      "aws:guardduty/detector:Detector",
      "aws:securityhub/account:Account",
      "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
      "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    ])
      expect(SINGLETON_TYPES, type).to.have.property(type);
  });
});

const res = (stack: string, type: string, name: string, inputs: Record<string, unknown>) => ({
  urn: `urn:pulumi:${stack}::p::${type}::${name}`,
  type,
  name,
  inputs,
});

const account = (stacks: [string, ReturnType<typeof res>[]][], accountId = "317805897534"): AccountStack[] =>
  stacks.map(([stack, resources]) => ({ stack, accountId, region: "us-east-1", resources }));

describe("checkAccount", () => {
  const topic = "aws:sns/topic:Topic";

  it("reports a name claimed by two stacks, naming both resources", () => {
    const [f, ...rest] = checkAccount(
      account([
        ["staging", [res("staging", topic, "ops", { name: "huntaze-ops-alerts" })]],
        ["production", [res("production", topic, "ops", { name: "huntaze-ops-alerts" })]],
      ]),
    );
    expect(rest).to.deep.equal([]);
    expect(f?.kind).to.equal("name");
    expect(f?.claims.map((c) => c.stack)).to.deep.equal(["staging", "production"]);
    expect(f?.message).to.include(
      'SNS topic name "huntaze-ops-alerts" (unique per account and region) is claimed 2 times',
    );
    expect(f?.message).to.include("urn:pulumi:staging::p::aws:sns/topic:Topic::ops");
  });

  it("reports one stack claiming a name twice, and ignores masked, unknown and auto names", () => {
    const findings = checkAccount(
      account([
        [
          "production",
          [
            res("production", "aws:sqs/queue:Queue", "a", { name: "jobs" }),
            res("production", "aws:sqs/queue:Queue", "b", { name: "jobs" }),
            res("production", "aws:secretsmanager/secret:Secret", "c", { name: "[secret]" }),
            res("production", "aws:secretsmanager/secret:Secret", "d", { name: "[secret]" }),
            res("production", "aws:sqs/queue:Queue", "e", {}),
            res("production", "aws:sqs/queue:Queue", "f", {}),
          ],
        ],
      ]),
    );
    expect(findings.map((f) => f.claims.map((c) => c.urn.split("::").pop()))).to.deep.equal([["a", "b"]]);
  });

  it("compares IAM and bucket names without case, records within their zone, and accounts apart", () => {
    const record = "aws:route53/record:Record";
    const findings = checkAccount(
      account([
        [
          "a",
          [
            res("a", "aws:iam/role:Role", "r", { name: "Deployer" }),
            res("a", record, "x", { name: "redis.internal", zoneId: "Z1", type: "CNAME" }),
          ],
        ],
        [
          "b",
          [
            res("b", "aws:iam/role:Role", "r", { name: "deployer" }),
            res("b", record, "x", { name: "redis.internal", zoneId: "Z2", type: "CNAME" }),
          ],
        ],
      ]),
    );
    expect(findings.map((f) => f.what)).to.deep.equal(["IAM role"]);
    const apart = checkAccount([
      { stack: "a", accountId: "111111111111", region: "us-east-1", resources: [res("a", topic, "t", { name: "x" })] },
      { stack: "b", accountId: "222222222222", region: "us-east-1", resources: [res("b", topic, "t", { name: "x" })] },
    ]);
    expect(apart).to.deep.equal([]);
    const buckets = checkAccount([
      { stack: "a", accountId: "111111111111", resources: [res("a", "aws:s3/bucket:Bucket", "b", { bucket: "logs" })] },
      { stack: "b", accountId: "222222222222", resources: [res("b", "aws:s3/bucket:Bucket", "b", { bucket: "logs" })] },
    ]);
    expect(buckets.map((f) => [f.what, f.scope])).to.deep.equal([["S3 bucket", "global"]]);
  });

  it("reports an account singleton created twice; a filtered budget and a custom monitor are not singletons", () => {
    const block = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";
    const budget = "aws:budgets/budget:Budget";
    const monitor = "aws:costexplorer/anomalyMonitor:AnomalyMonitor";
    const findings = checkAccount(
      account([
        [
          "staging",
          [
            res("staging", block, "pab", {}),
            res("staging", budget, "b", {
              costFilters: [{ name: "TagKeyValue", values: ["user:Environment$staging"] }],
            }),
            res("staging", monitor, "m", { monitorType: "CUSTOM" }),
          ],
        ],
        [
          "production",
          [
            res("production", block, "pab", {}),
            res("production", budget, "b", {}),
            res("production", monitor, "m", { monitorType: "DIMENSIONAL" }),
          ],
        ],
      ]),
    );
    expect(findings.map((f) => [f.kind, f.what, f.claims.map((c) => c.stack)])).to.deep.equal([
      ["singleton", "the account S3 public access block", ["staging", "production"]],
    ]);
  });
});
