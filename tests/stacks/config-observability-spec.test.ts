import { expect } from "chai";
import { describe, it } from "mocha";
import * as v from "valibot";
import { entriesOf } from "../../components/spec";
import {
  databaseThresholdFields as dbThresholdFields,
  HardenedDatabaseSpec,
  hardenedDatabaseFields,
} from "../../components/specs/hardened-database";
import {
  logGroupFields,
  ObservedClusterSpec,
  observedClusterFields,
  scalingFields,
  serviceFields,
} from "../../components/specs/observed-cluster";
import { parseStackConfig } from "../../stacks/config";
import {
  DatabaseAlarmsSpec,
  DatabasePerformanceInsightsSpec,
  databaseFields,
  databaseSectionSpec,
  EcsLogGroupSpec,
  EcsServiceSpec,
  ecsClusterFields,
} from "../../stacks/config-observability";
import { ConfigValidationError } from "../../stacks/validation";
import { readStackFile } from "../../tools/engine/stack-file";

// `huntaze:ecs` and `huntaze:database` hold no range, regex or default of their own: each key's
// schema is the component spec's field (or that field made optional where the stack supplies the
// value), so both accept and refuse the same values.

type Schema = v.GenericSchema;
/** The schema under an optional wrapper the stack adds (a value the stack fills in itself). */
const unwrapped = (s: Schema): Schema => (s.type === "optional" ? (s as unknown as { wrapped: Schema }).wrapped : s);

/** [stack section key, its schema, the component field it must be] */
const pairs: [string, Schema, Schema][] = [
  ["ecs.clusters[].name", ecsClusterFields.name, observedClusterFields.clusterName],
  ["ecs.clusters[].containerInsights", ecsClusterFields.containerInsights, observedClusterFields.containerInsights],
  ...(["name", "taskDefinition"] as const).map((k): [string, Schema, Schema] => [
    `ecs.clusters[].services[].${k}`,
    entriesOf(EcsServiceSpec)[k]!,
    serviceFields[k],
  ]),
  ...(["subnetIds", "securityGroupIds"] as const).map((k): [string, Schema, Schema] => [
    `ecs.clusters[].services[].${k} (optional: the network's ids)`,
    unwrapped(entriesOf(EcsServiceSpec)[k]!),
    serviceFields[k],
  ]),
  ...(["minTasks", "maxTasks"] as const).map((k): [string, Schema, Schema] => [
    `ecs.clusters[].services[].${k}`,
    entriesOf(EcsServiceSpec)[k]!,
    scalingFields[k],
  ]),
  ...Object.keys(logGroupFields).map((k): [string, Schema, Schema] => [
    `ecs.clusters[].logGroups[].${k}`,
    entriesOf(EcsLogGroupSpec)[k]!,
    logGroupFields[k as keyof typeof logGroupFields],
  ]),
  ...(
    [
      "identifier",
      "instanceClass",
      "engineVersion",
      "logMinDurationStatementMs",
      "maxConnections",
      "multiAz",
      "applyImmediately",
    ] as const
  ).map((k): [string, Schema, Schema] => [`database.${k}`, databaseFields[k], hardenedDatabaseFields[k]]),
  [
    "database.performanceInsights.kmsKeyId",
    entriesOf(DatabasePerformanceInsightsSpec).kmsKeyId!,
    hardenedDatabaseFields.performanceInsightsKmsKeyId,
  ],
  ...Object.keys(entriesOf(DatabaseAlarmsSpec)).map((k): [string, Schema, Schema] => [
    `database.alarms.${k}`,
    entriesOf(DatabaseAlarmsSpec)[k]!,
    dbThresholdFields[k as keyof typeof dbThresholdFields],
  ]),
];

const samples: unknown[] = [
  undefined,
  "",
  "huntaze-cluster",
  "Bad Name",
  "ai-team-api:3",
  "arn:aws:ecs:us-east-1:317805897534:task-definition/ai-team-api:3",
  "arn:aws:ecs:us-east-1:317805897534:task-definition/ai-team-api",
  "/ecs/huntaze-cluster",
  "subnet-0a1b2c3d4e5f60001",
  "sg-0a1b2c3d4e5f60011",
  ["subnet-0a1b2c3d4e5f60001"],
  ["subnet-123"],
  ["sg-0a1b2c3d4e5f60011"],
  [],
  "enhanced",
  "enabled",
  "huntaze-postgres-production",
  "db.t3.medium",
  "db.t3.micro",
  "db.z1.big",
  "t3.medium",
  "15",
  "16.4",
  "9.6.22",
  "latest",
  "aws-managed",
  "arn:aws:kms:us-east-1:317805897534:key/0b6f5d2e-1111-2222-3333-444455556666",
  "arn:aws:kms:us-east-1:317805897534:key/mrk-0123456789abcdef0123456789abcdef",
  "arn:aws:kms:us-east-1:317805897534:key/short",
  "alias/aws/rds",
  -5,
  -1,
  0,
  0.5,
  1,
  2,
  10,
  30,
  80,
  100,
  101,
  1000,
  1001,
  3_600_001,
  262_144,
  1073741824,
  true,
  false,
  "true",
  "7",
  null,
  {},
];

function outcome(schema: Schema, value: unknown): string {
  const r = v.safeParse(schema, value);
  return r.success ? `ok ${JSON.stringify(r.output)}` : `refused: ${r.issues[0]?.message}`;
}

function problemsWith(stack: string, overrides: Record<string, unknown>): string[] {
  const file = readStackFile(stack);
  const config = { ...file.config };
  for (const [k, value] of Object.entries(overrides)) config[k] = JSON.stringify(value);
  try {
    parseStackConfig(config, file.secretKeys);
  } catch (e) {
    if (e instanceof ConfigValidationError)
      return e.problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`);
    throw e;
  }
  return [];
}

const topic = "arn:aws:sns:us-east-1:317805897534:huntaze-ops-alerts";
const service = {
  name: "huntaze-app",
  taskDefinition: "huntaze-app",
  subnetIds: ["subnet-0a1b2c3d4e5f60001"],
  securityGroupIds: ["sg-0a1b2c3d4e5f60011"],
};
const database = { identifier: "huntaze-postgres-production", instanceClass: "db.t3.medium", engineVersion: "15" };

describe("stack config: huntaze:ecs and huntaze:database are read against the components' specs", () => {
  for (const [key, section, component] of pairs)
    it(`${key} is the component's field`, () => {
      expect(section).to.equal(component);
    });

  it("each section key accepts and refuses the same samples as the component field", () => {
    for (const [key, section, component] of pairs)
      for (const value of samples)
        expect(outcome(section, value), `${key} ← ${JSON.stringify(value)}`).to.equal(outcome(component, value));
  });

  it("the stack has no field of its own: every key of the sections is listed above", () => {
    const listed = new Set(pairs.map(([k]) => k.split(" ")[0]));
    const keys = [
      ...Object.keys(ecsClusterFields)
        .filter((k) => k !== "services" && k !== "logGroups")
        .map((k) => `ecs.clusters[].${k}`),
      ...Object.keys(entriesOf(EcsServiceSpec)).map((k) => `ecs.clusters[].services[].${k}`),
      ...Object.keys(entriesOf(EcsLogGroupSpec)).map((k) => `ecs.clusters[].logGroups[].${k}`),
      ...Object.keys(databaseFields)
        .filter((k) => k !== "performanceInsights" && k !== "alarms")
        .map((k) => `database.${k}`),
      "database.performanceInsights.kmsKeyId",
      ...Object.keys(entriesOf(DatabaseAlarmsSpec)).map((k) => `database.alarms.${k}`),
    ];
    expect(keys.filter((k) => !listed.has(k))).to.deep.equal([]);
  });

  it("minTasks ≤ maxTasks: the component's rule in both, at the same field", () => {
    const component = v.safeParse(ObservedClusterSpec, {
      clusterName: "c",
      alarmTopicArn: topic,
      services: [{ ...service, scaling: { minTasks: 5, maxTasks: 2 } }],
    });
    expect(component.success).to.equal(false);
    expect(component.issues?.map((i) => i.message)).to.deep.equal(["an integer ≥ minTasks"]);
    const stack = v.safeParse(EcsServiceSpec, { ...service, minTasks: 5, maxTasks: 2 });
    expect(stack.issues?.map((i) => i.message)).to.deep.equal(["an integer ≥ minTasks"]);
    expect(
      problemsWith("staging", {
        "huntaze:ecs": {
          clusters: [{ name: "huntaze-staging-cluster", services: [{ ...service, minTasks: 5, maxTasks: 2 }] }],
        },
      }),
    ).to.deep.equal(["huntaze:ecs.clusters[0].services[0].maxTasks: expected an integer ≥ minTasks, got 2"]);
  });

  it("the default logMinDurationStatementMs is the component's, in both", () => {
    const section = v.parse(databaseSectionSpec("production"), database);
    const component = v.parse(HardenedDatabaseSpec, { ...database, alarmTopicArn: topic });
    expect(section.logMinDurationStatementMs).to.equal(component.logMinDurationStatementMs);
    expect(section.logMinDurationStatementMs).to.equal(1000);
  });

  it("the instance class rules are the component's: no Performance Insights, no memory figure without maxConnections", () => {
    for (const instanceClass of ["db.t3.micro", "db.z1.big", "db.t3.medium"]) {
      const stack = v.safeParse(databaseSectionSpec("production"), { ...database, instanceClass });
      const component = v.safeParse(HardenedDatabaseSpec, { ...database, instanceClass, alarmTopicArn: topic });
      expect(
        stack.issues?.map((i) => i.message),
        instanceClass,
      ).to.deep.equal(component.issues?.map((i) => i.message));
    }
    // Intended fix: the stack accepted db.t3.micro, and the preview then failed in the component.
    expect(
      problemsWith("production", { "huntaze:database": { ...database, instanceClass: "db.t3.micro" } }),
    ).to.deep.equal([
      'huntaze:database.instanceClass: expected a class with Performance Insights (not db.t3.micro, db.t3.small, db.t4g.micro, db.t4g.small), got "db.t3.micro"',
    ]);
    // Intended change: a class outside the memory table is accepted with the live maxConnections,
    // as the component always accepted it.
    expect(
      problemsWith("production", {
        "huntaze:database": { ...database, instanceClass: "db.r6gd.large", maxConnections: 1000 },
      }),
    ).to.deep.equal([]);
  });

  it("the PI key is formats.ts's KMS key ARN (multi-Region mrk- keys too) or the keep-key sentinel", () => {
    const mrk = "arn:aws:kms:us-east-1:317805897534:key/mrk-0123456789abcdef0123456789abcdef";
    expect(
      problemsWith("production", { "huntaze:database": { ...database, performanceInsights: { kmsKeyId: mrk } } }),
    ).to.deep.equal([]);
    // Refused before by the component only (the stack's pattern took any [0-9a-z-]+ key id).
    expect(
      problemsWith("production", {
        "huntaze:database": {
          ...database,
          performanceInsights: { kmsKeyId: "arn:aws:kms:us-east-1:317805897534:key/short" },
        },
      }),
    ).to.deep.equal([
      'huntaze:database.performanceInsights.kmsKeyId: expected "aws-managed" or the ARN of the KMS key Performance Insights uses now (RDS refuses to change it), got "arn:aws:kms:us-east-1:317805897534:key/short"',
    ]);
  });

  it("a cluster's duplicate service names are refused by the stack as by the component", () => {
    expect(
      problemsWith("staging", {
        "huntaze:ecs": { clusters: [{ name: "huntaze-staging-cluster", services: [service, service] }] },
      }),
    ).to.deep.equal([
      `huntaze:ecs.clusters[0].services: expected services with distinct names, got ${JSON.stringify([
        { ...service, minTasks: 1, maxTasks: 10 },
        { ...service, minTasks: 1, maxTasks: 10 },
      ])}`,
    ]);
  });

  it("keeps the stack's own rules: names carry the environment, clusters distinct, unknown keys named", () => {
    expect(
      problemsWith("staging", {
        "huntaze:ecs": { clusters: [{ name: "huntaze-staging-a", logGroup: [] }, { name: "ai-team" }] },
      }),
    ).to.deep.equal([
      "huntaze:ecs.clusters[0].logGroup: expected no such setting (did you mean logGroups?) (known: containerInsights, logGroups, name, services), got []",
      'huntaze:ecs.clusters[1].name: expected a cluster name containing "staging" (both stacks share the account), got "ai-team"',
    ]);
    expect(
      problemsWith("staging", {
        "huntaze:ecs": {
          clusters: [{ name: "huntaze-staging-a" }, { name: "huntaze-staging-a", containerInsights: "enabled" }],
        },
      }),
    ).to.deep.equal([
      'huntaze:ecs.clusters: expected clusters with distinct names, got [{"name":"huntaze-staging-a","containerInsights":"enhanced"},{"name":"huntaze-staging-a","containerInsights":"enabled"}]',
    ]);
    // Production keeps the seeds' cluster names; its database identifier carries its environment.
    expect(
      problemsWith("production", { "huntaze:database": { ...database, identifier: "huntaze-postgres" } }),
    ).to.deep.equal([
      'huntaze:database.identifier: expected an identifier containing "production" (both stacks share the account), got "huntaze-postgres"',
    ]);
  });
});
