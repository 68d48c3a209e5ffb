import { expect } from "chai";
import { describe, it } from "mocha";
import { parseStackConfig } from "../../stacks/config";
import { buildStack } from "../../stacks/program";
import { ConfigValidationError } from "../../stacks/validation";
import { readStackFile } from "../../tools/engine/stack-file";
import { inputsOf, ofType, record } from "../support/pulumi-harness";

async function build(stack: string) {
  const file = readStackFile(stack);
  const config = parseStackConfig(file.config, file.secretKeys);
  return record(() => buildStack(config), { stack, config: file.config, secretKeys: file.secretKeys });
}

function problemsWith(stack: string, overrides: Record<string, unknown>): string[] {
  const file = readStackFile(stack);
  const config = { ...file.config };
  for (const [k, v] of Object.entries(overrides)) config[k] = JSON.stringify(v);
  try {
    parseStackConfig(config, file.secretKeys);
  } catch (e) {
    if (e instanceof ConfigValidationError)
      return e.problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`);
    throw e;
  }
  return [];
}

describe("stacks: security and observability pillars", () => {
  it("production builds the account baseline, the seeds' three clusters and the hardened database", async () => {
    const run = await build("production");
    const count = (type: string) => ofType(run, type).length;
    expect(count("aws:guardduty/detector:Detector")).to.equal(1);
    expect(count("aws:securityhub/standardsSubscription:StandardsSubscription")).to.equal(1);
    expect(count("aws:cloudtrail/trail:Trail")).to.equal(1);
    expect(count("aws:cfg/recorder:Recorder")).to.equal(1);
    expect(count("aws:cloudwatch/eventRule:EventRule")).to.equal(2);
    expect(count("aws:ec2/vpcEndpoint:VpcEndpoint")).to.equal(2);
    expect(count("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock")).to.equal(1);
    expect(ofType(run, "aws:ecs/cluster:Cluster").map((c) => inputsOf(c).name)).to.have.members([
      "ai-team",
      "huntaze-cluster",
      "huntaze-of-fargate",
    ]);
    for (const c of ofType(run, "aws:ecs/cluster:Cluster"))
      expect(inputsOf(c).settings).to.deep.equal([{ name: "containerInsights", value: "enhanced" }]);
    expect(count("aws:ecs/service:Service")).to.equal(3);
    const db = ofType(run, "aws:rds/instance:Instance").map(inputsOf);
    expect(db.map((d) => d.identifier)).to.deep.equal(["huntaze-postgres-production"]);
    const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map(inputsOf);
    const ops = ofType(run, "aws:sns/topic:Topic").find((t) => t.name === "alerts-ops")!.outputs.arn;
    const watched = alarms.filter((a) =>
      /^(ai-team|huntaze-cluster|huntaze-of-fargate|huntaze-postgres)/.test(String(a.name)),
    );
    expect(watched).to.have.length(3 * 3 + 5);
    for (const a of watched) expect(a.alarmActions).to.deep.equal([ops]);
    expect(run.outputs.ecsClusterNames).to.deep.equal(["ai-team", "huntaze-cluster", "huntaze-of-fargate"]);
    expect(run.outputs.securityHubStandardArn).to.match(/aws-foundational-security-best-practices/);
  });

  it("staging creates no account-wide resource and names its cluster with its environment", async () => {
    const run = await build("staging");
    for (const type of [
      "aws:guardduty/detector:Detector",
      "aws:securityhub/account:Account",
      "aws:cloudtrail/trail:Trail",
      "aws:cfg/recorder:Recorder",
      "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
      "aws:rds/instance:Instance",
    ])
      expect(ofType(run, type), type).to.deep.equal([]);
    expect(ofType(run, "aws:ecs/cluster:Cluster").map((c) => inputsOf(c).name)).to.deep.equal([
      "huntaze-staging-cluster",
    ]);
    expect(run.outputs.cloudTrailArn).to.equal(undefined);
  });

  it("refuses, all at once, a staging cluster or database named like production's and malformed settings", () => {
    const problems = problemsWith("staging", {
      "huntaze:ecs": { clusters: [{ name: "ai-team", services: [{ name: "x", taskDefinition: "x", maxTasks: 0 }] }] },
      "huntaze:database": { identifier: "huntaze-postgres-production", instanceClass: "db.z1.big", engineVersion: "x" },
      "huntaze:security": {
        guardDutyMinSeverity: 11,
        privateRouteTableIds: ["route-1"],
        securityHubLabels: ["SEVERE"],
        trailName: "my..trail",
      },
    });
    const text = problems.join("\n");
    expect(text).to.include('huntaze:ecs.clusters[0].name: expected a cluster name containing "staging"');
    expect(text).to.include("huntaze:ecs.clusters[0].services[0].maxTasks");
    expect(text).to.include('huntaze:database.identifier: expected an identifier containing "staging"');
    expect(text).to.include("huntaze:database.instanceClass: expected one of db.t3.micro");
    expect(text).to.include("huntaze:database.engineVersion");
    expect(text).to.include("huntaze:security.guardDutyMinSeverity");
    expect(text).to.include("huntaze:security.privateRouteTableIds[0]");
    expect(text).to.include("huntaze:security.securityHubLabels[0]");
    expect(text).to.include(
      'huntaze:security.trailName: expected a trail name (3–128 letters, digits, . _ or -; starting and ending with a letter or digit; no two of . _ - adjacent; not an IP address), got "my..trail"',
    );
  });
});
