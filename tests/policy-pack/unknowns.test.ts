import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { describe, it } from "mocha";
import { allPolicies } from "../../policy-pack/policies";
import { UNKNOWN_STRING } from "../support/policy-cases";
import { evaluate, type TestResource } from "../support/policy-harness";

// Preview robustness: every resource type the pack reads, with every input of its Args interface
// unknown (as during a first preview, when everything is computed), or in shapes the rules do not
// expect. The pack must answer (no gRPC error) and resource rules must not report a violation they
// cannot know about.

const awsRoot = path.dirname(require.resolve("@pulumi/aws/package.json"));

/** Input names of a type token's Args interface, read from the installed @pulumi/aws typings. */
function inputNames(token: string): string[] {
  const m = /^aws:([^/]+)\/([^:]+):(.+)$/.exec(token);
  if (!m) return [];
  const file = path.join(awsRoot, m[1]!, `${m[2]}.d.ts`);
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, "utf8");
  const start = text.indexOf(`export interface ${m[3]}Args {`);
  if (start < 0) return [];
  const body = text.slice(start, text.indexOf("\n}", start));
  return [...body.matchAll(/^ {4}(\w+)\??:/gm)].map((x) => x[1]!);
}

const types = [...new Set(allPolicies.flatMap((p) => p.resourceTypes))].sort();
const resourceRules = new Set(allPolicies.filter((p) => "validateResource" in p).map((p) => p.name));

function resources(value: (key: string) => unknown, among: string[] = types): TestResource[] {
  return among.map((type, i) => ({
    type,
    name: `r${i}`,
    inputs: Object.fromEntries(inputNames(type).map((k) => [k, value(k)])),
  }));
}

describe("policy pack with unknown and unexpected values", () => {
  it("reads the input names of every type it checks", () => {
    for (const t of types) expect(inputNames(t), t).to.not.be.empty;
  });

  it("raises no resource-rule violation when every input is unknown", async () => {
    const violations = await evaluate(resources(() => UNKNOWN_STRING));
    expect(violations.filter((v) => resourceRules.has(v.policy)).map((v) => `${v.policy}: ${v.message}`)).to.deep.equal(
      [],
    );
  });

  for (const [title, value] of [
    ["unknown elements inside lists", () => [UNKNOWN_STRING, { x: UNKNOWN_STRING }]],
    ["objects with unknown fields", () => ({ enabled: UNKNOWN_STRING, name: UNKNOWN_STRING, value: UNKNOWN_STRING })],
    ["empty objects", () => ({})],
    ["numbers", () => 7],
    ["JSON-looking junk", () => "{not json"],
    ["null", () => null],
  ] as const) {
    it(`answers without error for ${title}`, async () => {
      await evaluate(resources(value as (key: string) => unknown, types));
    });
  }
});
