import { expect } from "chai";
import { describe, it } from "mocha";
import type * as v from "valibot";
import { ArgsError, entriesOf, type Problem, readSpec, resolveArgs } from "../../components/spec";
import { RateLimiterPipelineSpec } from "../../components/specs/rate-limiter-pipeline";
import { WorkflowQueueSpec } from "../../components/specs/workflow-queue";
import { RateLimiterSection } from "../../stacks/config-rate-limiter";
import { WorkflowQueueSection } from "../../stacks/config-workflow-queue";

// The stack sections `huntaze:rateLimiter` and `huntaze:finops.workflowQueue` hold no range, regex
// or default of their own: each key's schema is the component spec's field, and both accept and
// refuse the same values with the same words.

type Schema = v.GenericSchema & { wrapped?: v.GenericSchema; type: string };
/** The schema inside `v.optional(…)`. */
const unwrap = (s: v.GenericSchema): v.GenericSchema => {
  const x = s as Schema;
  return x.type === "optional" && x.wrapped ? x.wrapped : s;
};

/** The verdict on `key` of reading `value` there: undefined (accepted) or the allowed text. */
function verdict(problems: readonly Problem[], key: string): string | undefined {
  return problems.find((p) => p.key === key)?.allowed;
}

function componentProblems(spec: v.GenericSchema, given: unknown): readonly Problem[] {
  try {
    resolveArgs("Component", "c", spec, given);
    return [];
  } catch (e) {
    if (e instanceof ArgsError) return e.problems;
    throw e;
  }
}

function sectionProblems(spec: v.GenericSchema, given: unknown, prefix: string): readonly Problem[] {
  const out: Problem[] = [];
  readSpec(spec, given, prefix, out);
  return out.map((p) => ({ ...p, key: p.key.slice(prefix.length + 1) }));
}

describe("huntaze:rateLimiter is read against RateLimiterPipeline's spec", () => {
  const section = entriesOf(RateLimiterSection);
  const component = entriesOf(RateLimiterPipelineSpec);

  it("each key's schema is the component's field (nested objects: each of their fields)", () => {
    for (const key of Object.keys(section)) {
      expect(component, key).to.have.property(key);
      if (["limits", "onlyfans", "alarmThresholds"].includes(key)) {
        const inner = entriesOf(unwrap(section[key] as v.GenericSchema));
        const own = entriesOf(unwrap(component[key] as v.GenericSchema));
        for (const k of Object.keys(inner)) expect(inner[k], `${key}.${k}`).to.equal(own[k]);
      } else expect(section[key], key).to.equal(component[key]);
    }
    expect(Object.keys(section).sort()).to.deep.equal(
      [
        "alarmThresholds",
        "batchSize",
        "dlqName",
        "limits",
        "logRetentionDays",
        "maximumConcurrency",
        "memoryMb",
        "onlyfans",
        "reservedConcurrentExecutions",
        "visibilityTimeoutSeconds",
        "lambdaTimeoutSeconds",
      ].sort(),
    );
  });

  const okSection = { onlyfans: { apiUrl: "https://api.onlyfans.com/v1" } };
  const okArgs = {
    vpcId: "vpc-0a1b2c3d",
    subnetIds: ["subnet-0a1b2c3d"],
    redis: { host: "redis.example", securityGroupId: "sg-0a1b2c3d" },
    onlyfans: { apiUrl: "https://api.onlyfans.com/v1", apiToken: "t".repeat(16) },
    alarmTopicArn: "arn:aws:sns:us-east-1:111122223333:ops",
  };
  const samples: [string, unknown[]][] = [
    ["batchSize", [1, 10, 0, 11, 2.5, "3", "x"]],
    ["maximumConcurrency", [2, 1000, 1, 1001]],
    ["reservedConcurrentExecutions", [2, 10_000, 10_001, -1]],
    ["lambdaTimeoutSeconds", [1, 900, 0, 901]],
    ["memoryMb", [128, 10_240, 127, 10_241]],
    ["visibilityTimeoutSeconds", [180, 43_200, 43_201, 90]],
    ["logRetentionDays", [30, 2192, 10, 0, "30"]],
    ["dlqName", ["huntaze-rate-limiter-queue-dlq", "bad.name", "", "x".repeat(81)]],
  ];
  for (const [key, values] of samples) {
    it(`${key}: the same values accepted and refused, in the same words`, () => {
      const verdicts = values.map((value) => {
        const s = verdict(sectionProblems(RateLimiterSection, { ...okSection, [key]: value }, "s"), key);
        const c = verdict(componentProblems(RateLimiterPipelineSpec, { ...okArgs, [key]: value }), key);
        expect(s, `${key} = ${JSON.stringify(value)}`).to.equal(c);
        return s;
      });
      // The samples hold both accepted and refused values.
      expect(
        verdicts.filter((x) => x === undefined),
        key,
      ).not.to.be.empty;
      expect(
        verdicts.filter((x) => x !== undefined),
        key,
      ).not.to.be.empty;
    });
  }

  const nested: [string, Record<string, unknown>, string][] = [
    ["limits", { perWindow: 2, burst: 3 }, "limits.burst"],
    ["limits", { windowSeconds: 0 }, "limits.windowSeconds"],
    ["alarmThresholds", { errorRatePercent: 101 }, "alarmThresholds.errorRatePercent"],
    ["alarmThresholds", { oldestMessageAgeSeconds: 1_209_601 }, "alarmThresholds.oldestMessageAgeSeconds"],
    ["onlyfans", { apiUrl: "http://api.onlyfans.com" }, "onlyfans.apiUrl"],
  ];
  for (const [key, value, at] of nested) {
    it(`${at}: refused by both with the same words`, () => {
      const merged = key === "onlyfans" ? { ...okArgs.onlyfans, ...value } : value;
      const s = verdict(sectionProblems(RateLimiterSection, { ...okSection, [key]: value }, "s"), at);
      const c = verdict(componentProblems(RateLimiterPipelineSpec, { ...okArgs, [key]: merged }), at);
      expect(s, at).to.be.a("string");
      expect(s).to.equal(c);
    });
  }

  it("the cross-field rules are the component's: visibility ≥ 6 × timeout, reserved ≥ cap", () => {
    const bad = {
      lambdaTimeoutSeconds: 60,
      visibilityTimeoutSeconds: 300,
      maximumConcurrency: 4,
      reservedConcurrentExecutions: 3,
    };
    const s = sectionProblems(RateLimiterSection, { ...okSection, ...bad }, "s");
    const c = componentProblems(RateLimiterPipelineSpec, { ...okArgs, ...bad });
    expect(s).to.deep.equal(c);
    expect(s.map((p) => p.key)).to.deep.equal(["visibilityTimeoutSeconds", "reservedConcurrentExecutions"]);
    expect(s[0]).to.deep.include({ allowed: "≥ 6 × lambda timeout (360)", got: "300" });
  });

  it("the section names unknown keys, the component ignores them (TypeScript refuses them)", () => {
    expect(sectionProblems(RateLimiterSection, { ...okSection, retries: 3 }, "s").map((p) => p.key)).to.deep.equal([
      "retries",
    ]);
    expect(componentProblems(RateLimiterPipelineSpec, { ...okArgs, retries: 3 })).to.deep.equal([]);
  });
});

describe("huntaze:finops.workflowQueue is read against WorkflowQueue's spec", () => {
  const section = entriesOf(unwrap(WorkflowQueueSection));
  const component = entriesOf(WorkflowQueueSpec);

  it("each key's schema is the component's field; `alarms` holds alarmThresholds' fields", () => {
    expect(unwrap(section.queueName as v.GenericSchema)).to.equal(component.queueName);
    expect(section.visibilityTimeoutSeconds).to.equal(component.visibilityTimeoutSeconds);
    expect(section.maxReceiveCount).to.equal(component.maxReceiveCount);
    const alarms = entriesOf(unwrap(section.alarms as v.GenericSchema));
    const thresholds = entriesOf(unwrap(component.alarmThresholds as v.GenericSchema));
    expect(Object.keys(alarms)).to.deep.equal(Object.keys(thresholds));
    for (const k of Object.keys(alarms)) expect(alarms[k], k).to.equal(thresholds[k]);
    expect(Object.keys(section).sort()).to.deep.equal(
      ["alarms", "maxReceiveCount", "queueName", "visibilityTimeoutSeconds"].sort(),
    );
  });

  const okArgs = { queueName: "huntaze-hybrid-workflows", alarmTopicArn: "arn:aws:sns:us-east-1:111122223333:ops" };
  const samples: [string, unknown[]][] = [
    ["queueName", ["huntaze-hybrid-workflows", "q.fifo", "x".repeat(71), "x".repeat(72), ""]],
    ["visibilityTimeoutSeconds", [0, 300, 43_200, 43_201, -1, 1.5]],
    ["maxReceiveCount", [1, 1000, 0, 1001]],
  ];
  for (const [key, values] of samples) {
    it(`${key}: the same values accepted and refused, in the same words`, () => {
      const verdicts = values.map((value) => {
        const s = verdict(sectionProblems(WorkflowQueueSection, { [key]: value }, "w"), key);
        const c = verdict(componentProblems(WorkflowQueueSpec, { ...okArgs, [key]: value }), key);
        expect(s, `${key} = ${JSON.stringify(value)}`).to.equal(c);
        return s;
      });
      expect(
        verdicts.filter((x) => x === undefined),
        key,
      ).not.to.be.empty;
      expect(
        verdicts.filter((x) => x !== undefined),
        key,
      ).not.to.be.empty;
    });
  }

  it("alarms: the same thresholds refused as the component's alarmThresholds; defaults when absent", () => {
    const s = sectionProblems(WorkflowQueueSection, { alarms: { visibleMessages: -1 } }, "w");
    const c = componentProblems(WorkflowQueueSpec, { ...okArgs, alarmThresholds: { visibleMessages: -1 } });
    expect(s.map((p) => [p.key.replace("alarms.", ""), p.allowed, p.got])).to.deep.equal(
      c.map((p) => [p.key.replace("alarmThresholds.", ""), p.allowed, p.got]),
    );
    const out: Problem[] = [];
    expect(readSpec(WorkflowQueueSection, undefined, "w", out)).to.deep.equal({
      visibilityTimeoutSeconds: 300,
      maxReceiveCount: 5,
      alarms: { oldestMessageAgeSeconds: 300, visibleMessages: 1000, dlqMessages: 10 },
    });
    expect(resolveArgs("WorkflowQueue", "w", WorkflowQueueSpec, okArgs)).to.deep.include({
      visibilityTimeoutSeconds: 300,
      maxReceiveCount: 5,
      alarmThresholds: { oldestMessageAgeSeconds: 300, visibleMessages: 1000, dlqMessages: 10 },
    });
  });
});
