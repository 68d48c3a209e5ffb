import { expect } from "chai";
import { describe, it } from "mocha";
import * as v from "valibot";
import { describeField, entriesOf } from "../../components/spec";
import { AlertTopicsSpec, alertTopicsFields, subscribedEmails } from "../../components/specs/alert-topics";
import {
  CostTrackingSpec,
  costTrackingFields,
  DEFAULT_ACCOUNT_BUDGET_USD,
  DEFAULT_ANOMALY_THRESHOLD_USD,
} from "../../components/specs/cost-tracking";
import { ACCOUNT_ID, SECURITY_GROUP_ID, SUBNET_ID, VPC_ID } from "../../components/specs/formats";
import { AlertsSectionSpec, NetworkSectionSpec, parseStackConfig, topLevelFields } from "../../stacks/config";
import { FinOpsSectionSpec } from "../../stacks/config-finops";
import { ConfigValidationError } from "../../stacks/validation";
import { readStackFile } from "../../tools/engine/stack-file";

// One home for each FinOps contract: every key of `huntaze:finops`, `huntaze:alerts` and the
// top-level budget IS the component spec's field (the same object), so the stack accepts and refuses
// exactly what CostTracking / AlertTopics accept and refuse. The section adds only rules that depend
// on other stack settings (manageAccountBaseline) and, for alerts, "at least one address".

type Schema = v.GenericSchema;
const unwrap = (s: unknown): Schema => (s as { wrapped?: Schema }).wrapped ?? (s as Schema);
const cost = entriesOf(CostTrackingSpec);
const accountBudget = entriesOf(unwrap(cost.accountBudget));
const anomaly = entriesOf(unwrap(cost.anomalyMonitor));
const finops = entriesOf(FinOpsSectionSpec);

/** Sample values, valid and not, that both fields must judge alike. */
const samples: Record<string, readonly unknown[]> = {
  usd: [0, 0.001, 0.01, 1, "25", 500, 1e6, 1e9, 1e9 + 1, -5, "lots", Number.NaN, true],
  budgetName: ["huntaze-monthly-budget", "a:b", "a\\b", "x/action/y", "", "n".repeat(100), "n".repeat(101), 5],
  monitorArn: [
    "arn:aws:ce::317805897534:anomalymonitor/0b6f5d2e-1111-2222-3333-444455556666",
    "default",
    "arn:aws:ce::3178:anomalymonitor/x",
  ],
  flag: [true, false, "true", "false", "yes", 1],
  ttl: [1, 90, 3650, 3651, 0, 1.5, "30", "x"],
  tagKey: ["Environment", "aws:env", "", "x".repeat(129), "Cost Center"],
  topicName: ["huntaze-cost-alerts", "bad name", "x.fifo", "", "t".repeat(256), "t".repeat(257)],
};

/** [section key, its schema, the component's field, samples] */
const finopsPairs: [string, Schema, Schema, readonly unknown[]][] = [
  ["accountBudgetUsd", unwrap(finops.accountBudgetUsd), accountBudget.limitUsd as Schema, samples.usd!],
  ["accountBudgetName", finops.accountBudgetName!, accountBudget.name as Schema, samples.budgetName!],
  ["anomalyThresholdUsd", finops.anomalyThresholdUsd!, anomaly.thresholdUsd as Schema, samples.usd!],
  ["tableDeletionProtection", finops.tableDeletionProtection!, cost.deletionProtection as Schema, samples.flag!],
  ["costsTtlDays", finops.costsTtlDays!, cost.costsTtlDays as Schema, samples.ttl!],
  ["alertsTtlDays", finops.alertsTtlDays!, cost.alertsTtlDays as Schema, samples.ttl!],
  ["environmentTagKey", finops.environmentTagKey!, cost.environmentTagKey as Schema, samples.tagKey!],
];

function judged(schema: Schema, values: readonly unknown[]): boolean[] {
  return values.map((x) => v.safeParse(schema, x).success);
}

describe("huntaze:finops against CostTracking's spec", () => {
  it("covers every key of the section (workflowQueue is WorkflowQueue's, read by its own block)", () => {
    expect(Object.keys(finops).sort()).to.deep.equal(
      [...finopsPairs.map(([k]) => k), "anomalyMonitor", "workflowQueue"].sort(),
    );
  });

  for (const [key, section, component, values] of finopsPairs) {
    it(`${key} is CostTracking's field, and accepts and refuses what it does`, () => {
      expect(section).to.equal(component);
      expect(judged(section, values)).to.deep.equal(judged(component, values));
      // Each sample list has both kinds, so the comparison can fail.
      expect(judged(section, values)).to.include(true).and.include(false);
    });
  }

  it("anomalyMonitor: true/false, or { existingArn } with CostTracking's anomalyMonitor.existingArn field", () => {
    const object = (unwrap(finops.anomalyMonitor) as unknown as { object: Schema }).object;
    const existingArn = entriesOf(object).existingArn as Schema;
    expect(existingArn).to.equal(unwrap(anomaly.existingArn));
    expect(judged(existingArn, samples.monitorArn!)).to.deep.equal([true, false, false]);
    expect(
      judged(unwrap(finops.anomalyMonitor), [true, "false", { existingArn: samples.monitorArn![0] }, {}]),
    ).to.deep.equal([true, true, true, false]);
  });

  it("the stack-level defaults are the spec module's: account budget 500 where the baseline is owned, threshold 50", () => {
    const file = readStackFile("production");
    const section = JSON.parse(file.config["huntaze:finops"]!) as Record<string, unknown>;
    delete section.accountBudgetUsd;
    delete section.anomalyThresholdUsd;
    const parsed = parseStackConfig({ ...file.config, "huntaze:finops": JSON.stringify(section) }, file.secretKeys);
    expect(parsed.finops.accountBudgetUsd).to.equal(DEFAULT_ACCOUNT_BUDGET_USD);
    expect(parsed.finops.anomalyThresholdUsd).to.equal(DEFAULT_ANOMALY_THRESHOLD_USD);
    expect(describeField(anomaly.thresholdUsd as Schema).defaultValue).to.equal(String(DEFAULT_ANOMALY_THRESHOLD_USD));
  });

  it("a refused value gets the same 'allowed' from the stack and from the component", () => {
    const file = readStackFile("production");
    const section = JSON.parse(file.config["huntaze:finops"]!) as Record<string, unknown>;
    let problems: readonly { key: string; allowed: string; got: string }[] = [];
    try {
      parseStackConfig(
        {
          ...file.config,
          "huntaze:monthlyBudgetUsd": "0.001",
          "huntaze:finops": JSON.stringify({ ...section, costsTtlDays: 0, accountBudgetName: "x/action/y" }),
        },
        file.secretKeys,
      );
    } catch (e) {
      if (!(e instanceof ConfigValidationError)) throw e;
      problems = e.problems;
    }
    expect(problems.map((p) => [p.key, p.allowed, p.got])).to.deep.equal([
      ["huntaze:monthlyBudgetUsd", describeField(cost.monthlyBudgetUsd as Schema).allowed, "0.001"],
      ["huntaze:finops.accountBudgetName", describeField(accountBudget.name as Schema).allowed, '"x/action/y"'],
      ["huntaze:finops.costsTtlDays", describeField(cost.costsTtlDays as Schema).allowed, "0"],
    ]);
  });
});

describe("huntaze top-level keys, huntaze:alerts and huntaze:network against the component specs", () => {
  it("monthlyBudgetUsd is CostTracking's field (one budget rule: ≥ 0.01 and ≤ 1e9)", () => {
    expect(topLevelFields.monthlyBudgetUsd).to.equal(cost.monthlyBudgetUsd);
    expect(topLevelFields.monthlyBudgetUsd).to.equal(costTrackingFields.monthlyBudgetUsd);
    expect(judged(topLevelFields.monthlyBudgetUsd, samples.usd!)).to.deep.equal(
      judged(cost.monthlyBudgetUsd as Schema, samples.usd!),
    );
    expect(describeField(topLevelFields.monthlyBudgetUsd).allowed).to.equal("a number ≥ 0.01 and ≤ 1000000000");
  });

  it("accountId and the network ids use the shared formats (vpc- and 8 or 17 hex digits, not 8 to 17)", () => {
    const ids = ["317805897534", "31780589753", "3178058975341"];
    expect(judged(topLevelFields.accountId, ids)).to.deep.equal(ids.map((x) => ACCOUNT_ID.test(x)));
    const net = entriesOf(NetworkSectionSpec);
    const vpcs = ["vpc-0a1b2c3d4e5f60718", "vpc-0a1b2c3d", "vpc-0a1b2c3d4e", "vpc-XYZ"];
    expect(judged(net.vpcId as Schema, vpcs)).to.deep.equal(vpcs.map((x) => VPC_ID.test(x)));
    expect(judged(net.vpcId as Schema, vpcs)).to.deep.equal([true, true, false, false]);
    const subnets = [
      ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d"],
      ["subnet-0a1b2c3d4e5f60001"],
      ["subnet-1", "subnet-0a1b2c3d"],
    ];
    expect(judged(net.privateSubnetIds as Schema, subnets)).to.deep.equal(
      subnets.map((l) => l.length >= 2 && l.every((x) => SUBNET_ID.test(x))),
    );
    const groups = [["sg-0a1b2c3d4e5f60011"], [], ["sg-0a1b2c3d4e5f6001"]];
    expect(judged(net.appSecurityGroupIds as Schema, groups)).to.deep.equal(
      groups.map((l) => l.length >= 1 && l.every((x) => SECURITY_GROUP_ID.test(x))),
    );
  });

  it("alerts: the addresses AlertTopics takes, at least one per topic (the stack's rule)", () => {
    const alerts = entriesOf(AlertsSectionSpec);
    const topics = entriesOf(AlertTopicsSpec);
    const lists = [["ops@huntaze.com"], ["ops@huntaze.com", "not an email"], ["a@b.co", "c@d.io"], "ops@huntaze.com"];
    for (const key of ["opsEmails", "securityEmails", "costEmails"]) {
      expect(alerts[key]).to.equal(subscribedEmails);
      expect(topics[key]).to.equal(alertTopicsFields.emails);
      expect(judged(alerts[key]!, lists)).to.deep.equal(judged(topics[key]!, lists));
      // The one difference: the component takes a topic without email subscribers, the stack does not.
      expect([v.is(alerts[key]!, []), v.is(topics[key]!, [])]).to.deep.equal([false, true]);
    }
    const costTopicName = unwrap(alerts.costTopicName);
    expect(costTopicName).to.equal(unwrap(entriesOf(unwrap(topics.topicNames)).cost));
    expect(judged(costTopicName, samples.topicName!)).to.deep.equal([true, false, false, false, true, false]);
  });
});
