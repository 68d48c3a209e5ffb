import { expect } from "chai";
import { describe, it } from "mocha";
import { parseStackConfig } from "../../stacks/config";
import { ConfigValidationError } from "../../stacks/validation";
import { readStackFile } from "../../tools/engine/stack-file";

function problemsOf(config: Record<string, string>, secretKeys: string[] = []): string[] {
  try {
    parseStackConfig(config, secretKeys);
  } catch (e) {
    if (e instanceof ConfigValidationError)
      return e.problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`);
    throw e;
  }
  return [];
}

describe("stack configuration", () => {
  for (const stack of ["production", "staging"]) {
    it(`reads Pulumi.${stack}.yaml into a typed config`, () => {
      const file = readStackFile(stack);
      const config = parseStackConfig(file.config, file.secretKeys);
      expect(config.environment).to.equal(stack);
      expect(config.region).to.equal("us-east-1");
      expect(config.accountId).to.equal("317805897534");
      expect(config.network.privateSubnetIds.length).to.be.at.least(2);
      expect(config.tags).to.include({ Project: "huntaze", Environment: stack, ManagedBy: "pulumi" });
    });
  }

  it("carries the seed's production values: $500 budget, alert emails", () => {
    const file = readStackFile("production");
    const config = parseStackConfig(file.config, file.secretKeys);
    expect(config.monthlyBudgetUsd).to.equal(500);
    expect(config.alerts.costEmails).to.have.length.greaterThan(0);
  });

  it("production keeps the Performance Insights key the instance has (seed 003: PI on, AWS-managed key)", () => {
    const file = readStackFile("production");
    const config = parseStackConfig(file.config, file.secretKeys);
    expect(config.observability.database?.performanceInsightsKmsKeyId).to.equal("aws-managed");
  });

  it("reads the PI key and an existing anomaly monitor, and names what is allowed when they are wrong", () => {
    const file = readStackFile("production");
    const base = file.config;
    const database = JSON.parse(base["huntaze:database"]!) as Record<string, unknown>;
    const finops = JSON.parse(base["huntaze:finops"]!) as Record<string, unknown>;
    const monitor = "arn:aws:ce::317805897534:anomalymonitor/0b6f5d2e-1111-2222-3333-444455556666";
    const good = parseStackConfig(
      { ...base, "huntaze:finops": JSON.stringify({ ...finops, anomalyMonitor: { existingArn: monitor } }) },
      file.secretKeys,
    );
    expect(good.finops).to.deep.include({ anomalyMonitor: true, anomalyMonitorExistingArn: monitor });
    const problems = problemsOf(
      {
        ...base,
        "huntaze:database": JSON.stringify({ ...database, performanceInsights: { kmsKeyId: "alias/aws/rds" } }),
        "huntaze:finops": JSON.stringify({ ...finops, anomalyMonitor: { existingArn: "default", extra: 1 } }),
      },
      [...file.secretKeys],
    );
    expect(problems).to.include.members([
      'huntaze:database.performanceInsights.kmsKeyId: expected "aws-managed" or the ARN of the KMS key Performance Insights uses now (RDS refuses to change it), got "alias/aws/rds"',
      'huntaze:finops.anomalyMonitor.existingArn: expected the ARN of the account\'s existing AWS-services anomaly monitor (arn:aws:ce::<account>:anomalymonitor/<id>), got "default"',
    ]);
    expect(problems.some((p) => p.startsWith("huntaze:finops.anomalyMonitor.extra"))).to.equal(true);
  });

  it("lets exactly one stack of the shared account own the account baseline", () => {
    const owners = ["production", "staging"].filter((stack) => {
      const file = readStackFile(stack);
      return parseStackConfig(file.config, file.secretKeys).manageAccountBaseline;
    });
    expect(owners).to.deep.equal(["production"]);
  });

  it("turns `secure:` values into secret placeholders, never the ciphertext", () => {
    const file = readStackFile("production");
    for (const key of file.secretKeys) {
      expect(file.config[key]).to.match(/^offline-secret-[0-9a-f]{24}$/);
    }
  });

  it("lists every problem at once: missing, negative, unknown region, malformed email, typo'd key, wrong shape", () => {
    const base = readStackFile("production").config;
    const spoiled: Record<string, string> = {
      ...base,
      "aws:region": "us-middle-1",
      "huntaze:monthlyBudgetUsd": "-1",
      "huntaze:monthlyBudgetUSD": "500",
    };
    delete spoiled["huntaze:environment"];
    spoiled["huntaze:alerts"] = JSON.stringify({
      opsEmails: ["ops@huntaze.com", "not an email"],
      securityEmails: [],
      costEmails: ["a@b.co"],
    });
    spoiled["huntaze:network"] = JSON.stringify({
      vpcId: "vpc-0a1b2c3d4e5f60718",
      privateSubnetIds: ["subnet-0a1b2c3d4e5f60001"],
      appSecurityGroupIds: ["sg-0a1b2c3d4e5f60011"],
    });
    const problems = problemsOf(spoiled);
    expect(problems).to.include.members([
      'aws:region: expected one of us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-north-1, eu-south-1, ap-northeast-1, ap-northeast-2, ap-southeast-1, ap-southeast-2, ap-south-1, sa-east-1, got "us-middle-1"',
      "huntaze:environment: expected one of staging, production, got nothing (the key is missing)",
      // One rule with CostTracking's monthlyBudgetUsd (was 1..1e6 here): the string is read as a number.
      "huntaze:monthlyBudgetUsd: expected a number ≥ 0.01 and ≤ 1000000000, got -1",
      'huntaze:alerts.opsEmails[1]: expected an email address, got "not an email"',
      "huntaze:alerts.securityEmails: expected a list of at least 1 item, each an email address, got []",
      'huntaze:network.privateSubnetIds: expected a list of at least 2 items, each a subnet id (subnet- and 8 or 17 hex digits), got ["subnet-0a1b2c3d4e5f60001"]',
    ]);
    expect(problems.find((p) => p.startsWith("huntaze:monthlyBudgetUSD: expected no such setting"))).to.not.equal(
      undefined,
    );
  });

  it("never shows a secret's value, even when it is the wrong setting", () => {
    const base = readStackFile("production").config;
    const problems = problemsOf({ ...base, "huntaze:apiToken": "sk-live-very-secret" }, ["huntaze:apiToken"]);
    expect(problems.join("\n")).to.not.include("sk-live-very-secret");
    expect(problems.join("\n")).to.include("huntaze:apiToken: expected no such setting");
  });
});
