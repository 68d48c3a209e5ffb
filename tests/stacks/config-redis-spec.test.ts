import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { describe, it } from "mocha";
import type * as v from "valibot";
import { type EncryptedRedisArgs, EncryptedRedisSpec } from "../../components/encrypted-redis";
import { entriesOf, type Problem, readSpec, resolveArgs } from "../../components/spec";
import { RedisSectionSpec } from "../../stacks/config-redis";

// `huntaze:redis` is EncryptedRedis' spec: each key of the section is the component's own field,
// and the section accepts and refuses what the component accepts and refuses.

const required: EncryptedRedisArgs = {
  description: "Huntaze Redis with encryption",
  nodeType: "cache.t3.micro",
  vpcId: "vpc-0a1b2c3d4e5f60718",
  subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
  allowedSecurityGroupIds: ["sg-0a1b2c3d4e5f60011"],
  alarmTopicArn: "arn:aws:sns:us-east-1:317805897534:huntaze-ops-alerts",
};
const section = { nodeType: "cache.t3.micro" };

/** The problem keys of the stack section and of the component, for the same settings. */
function problemKeys(settings: Record<string, unknown>): { stack: string[]; component: string[] } {
  const stack: Problem[] = [];
  readSpec(RedisSectionSpec, { ...section, ...settings }, "huntaze:redis", stack);
  let component: Problem[] = [];
  try {
    resolveArgs("EncryptedRedis", "redis", EncryptedRedisSpec, { ...required, ...settings });
  } catch (e) {
    component = (e as { problems: Problem[] }).problems;
  }
  return {
    stack: stack.map((p) => `${p.key.replace(/^huntaze:redis\./, "")}: expected ${p.allowed}, got ${p.got}`),
    component: component.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`),
  };
}

// For each key: values the component accepts and values it refuses.
const samples: Record<string, { ok: unknown[]; bad: unknown[] }> = {
  nodeType: { ok: ["cache.t4g.micro", "cache.r7g.large"], bad: ["cache.t3.mirco", "t3.micro", 3] },
  numCacheClusters: { ok: [2, 6, "3"], bad: [1, 7, 2.5, "two"] },
  replicationGroupId: { ok: ["huntaze-redis-encrypted"], bad: ["Huntaze_Redis", "a--b", "redis-", "9redis"] },
  snapshotName: { ok: ["huntaze-redis-pre-encryption-20261122-1500"], bad: ["-snap", "snap--1", ""] },
  snapshotRetentionDays: { ok: [1, 35], bad: [0, 36, 1.5] },
  snapshotWindow: { ok: ["05:00-06:00", "23:30-00:30"], bad: ["01:00-01:30", "1:00-2:00", "01:00-02:00x"] },
  maintenanceWindow: {
    ok: ["sat:03:00-sat:04:00", "sun:03:00-sun:23:00", "sat:23:30-sun:00:30"],
    bad: ["sun:03:00-sun:03:30", "sunday 3am"],
  },
  authTokenUpdateStrategy: { ok: ["SET", "ROTATE"], bad: ["set", "REPLACE"] },
  authTokenVersion: { ok: [1, 42, "2"], bad: [0, -1, 1.5] },
  transitEncryptionMigration: { ok: [true, false, "true"], bad: ["yes", 1] },
  applyImmediately: { ok: [true, false], bad: ["no"] },
  cname: {
    ok: [
      { zoneId: "Z0HUNTAZEINTERNAL1", name: "redis.huntaze.internal" },
      {
        zoneId: "Z0HUNTAZEINTERNAL1",
        name: "redis.huntaze.internal",
        rollbackToEndpoint: "huntaze-redis-production.asmyhp.0001.use1.cache.amazonaws.com",
        allowOverwrite: true,
      },
    ],
    bad: [
      { zoneId: "bad", name: "redis.huntaze.internal" },
      { zoneId: "Z0HUNTAZEINTERNAL1", name: "Redis_Huntaze" },
      { zoneId: "Z0HUNTAZEINTERNAL1", name: "redis.huntaze.internal", ttl: 60 },
      "redis.huntaze.internal",
    ],
  },
  alarms: {
    ok: [{}, { cpuPercentThreshold: 100, evictionsThreshold: 0, replicationLagSecondsThreshold: 0.5 }],
    bad: [
      { cpuPercentThreshold: 0 },
      { memoryPercentThreshold: 101 },
      { evictionsThreshold: -1 },
      { connectionsThreshold: 0.5 },
      { replicationLagSecondsThreshold: 0 },
      { cpuPercent: 70 },
    ],
  },
};

describe("huntaze:redis is read against EncryptedRedis' spec", () => {
  const sectionEntries = entriesOf(RedisSectionSpec as unknown as v.GenericSchema);
  const componentEntries = entriesOf(EncryptedRedisSpec as unknown as v.GenericSchema);

  it("takes each key's field from the component's spec (the same object)", () => {
    expect(Object.keys(sectionEntries)).to.not.be.empty;
    for (const [key, field] of Object.entries(sectionEntries)) {
      expect(field, key).to.equal(componentEntries[key]);
    }
    expect(Object.keys(samples).sort()).to.deep.equal(Object.keys(sectionEntries).sort());
  });

  for (const [key, { ok, bad }] of Object.entries(samples)) {
    it(`${key}: the section accepts and refuses what the component does, with the same problem`, () => {
      for (const value of ok) {
        expect(problemKeys({ [key]: value }), `${key} = ${JSON.stringify(value)}`).to.deep.equal({
          stack: [],
          component: [],
        });
      }
      for (const value of bad) {
        const { stack, component } = problemKeys({ [key]: value });
        expect(stack, `${key} = ${JSON.stringify(value)}`).to.not.be.empty;
        expect(stack, `${key} = ${JSON.stringify(value)}`).to.deep.equal(component);
      }
    });
  }

  it("checks the component's rules between the keys it has: Multi-AZ nodes, overlapping windows", () => {
    const overlap = problemKeys({ snapshotWindow: "03:30-04:30", maintenanceWindow: "sun:04:00-sun:05:00" });
    expect(overlap.stack).to.deep.equal([
      'snapshotWindow: expected a daily window that does not overlap maintenanceWindow "sun:04:00-sun:05:00", got "03:30-04:30"',
    ]);
    expect(overlap.component).to.deep.equal(overlap.stack);
    expect(problemKeys({ numCacheClusters: 1 }).stack).to.deep.equal([
      "numCacheClusters: expected an integer from 2 to 6 for Multi-AZ with automatic failover (1 only with multiAz false), got 1",
    ]);
  });

  it("applies the component's defaults to keys the stack leaves out", () => {
    const out: Problem[] = [];
    const read = readSpec(RedisSectionSpec, section, "huntaze:redis", out);
    const resolved = resolveArgs("EncryptedRedis", "redis", EncryptedRedisSpec, required);
    expect(out).to.deep.equal([]);
    for (const key of Object.keys(sectionEntries)) {
      expect(read?.[key as keyof typeof read], key).to.deep.equal(resolved[key as keyof typeof resolved]);
    }
  });

  it("holds no range, regex or default of its own (stacks/config-redis.ts)", () => {
    const source = fs.readFileSync(path.join(__dirname, "..", "..", "stacks", "config-redis.ts"), "utf8");
    const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    expect(code, "a regex literal").to.not.match(/[=(,:]\s*\/[^/*\s][^/\n]*\/[gimsuy]*/);
    expect(code, "a number literal").to.not.match(/\b\d+\b/);
    expect(code, "a default").to.not.match(/v\.optional\(/);
  });
});
