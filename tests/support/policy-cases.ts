import type { ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { expect } from "chai";
import { it } from "mocha";
import { unknownCheckingProxy } from "../../lib/pulumi-internals";
import { allPolicies } from "../../policy-pack/policies";
import type { PolicyPackConfig, Violation } from "../../tools/engine/policy-client";
import { evaluate, of, type TestResource } from "./policy-harness";

// Table-driven policy cases. Each `violates`/`complies` call defines one mocha test that runs the
// resources through the real pack (Analyzer protocol) and records the rule name when the test is
// defined, so zz-coverage.test.ts can demand a violating and a compliant case for every rule.

export const violatingCases = new Set<string>();
export const compliantCases = new Set<string>();

/** The pack's unknown-value sentinel for strings (any computed value during preview). */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
export const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
export const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";

export interface Case {
  readonly rule: string;
  readonly title: string;
  readonly resources: TestResource[];
  readonly config?: PolicyPackConfig;
  /** Every violation message of the rule must match (violating cases). */
  readonly message?: RegExp;
  /** No violation message of any rule may match (e.g. a secret's value). */
  readonly neverInMessages?: string;
  /** Extra assertions on all violations. */
  readonly andThen?: (violations: Violation[]) => void;
}

export function violates(c: Case): void {
  violatingCases.add(c.rule);
  it(`${c.rule}: violated by ${c.title}`, async () => {
    const violations = await evaluate(c.resources, c.config);
    const mine = of(violations, c.rule);
    expect(mine, `expected ${c.rule} to report; got ${JSON.stringify(violations.map((v) => v.policy))}`).to.not.be
      .empty;
    if (c.message) for (const v of mine) expect(v.message).to.match(c.message);
    const level = allPolicies.find((p) => p.name === c.rule)?.enforcementLevel;
    if (!c.config) for (const v of mine) expect(v.enforcement, `${c.rule} level`).to.equal(level);
    if (c.neverInMessages) for (const v of violations) expect(v.message).to.not.include(c.neverInMessages);
    c.andThen?.(violations);
  });
}

export function complies(c: Case): void {
  compliantCases.add(c.rule);
  it(`${c.rule}: satisfied by ${c.title}`, async () => {
    const violations = await evaluate(c.resources, c.config);
    expect(of(violations, c.rule).map((v) => v.message)).to.deep.equal([]);
    if (c.neverInMessages) for (const v of violations) expect(v.message).to.not.include(c.neverInMessages);
    c.andThen?.(violations);
  });
}

/** A resource factory: `base` inputs, overridden per case (an override of `undefined` removes the input). */
export function factory(type: string, name: string, base: Record<string, unknown>) {
  return (overrides: Record<string, unknown> = {}, extra: Partial<TestResource> = {}): TestResource => {
    const inputs: Record<string, unknown> = { ...base, ...overrides };
    for (const [k, v] of Object.entries(inputs)) if (v === undefined) delete inputs[k];
    return { type, name, ...extra, inputs };
  };
}

/**
 * Runs one rule in-process on `inputs` wrapped in @pulumi/policy's unknown-checking proxy (as the
 * pack sees them during preview) and returns the not-applicable reason it gave, if any. The
 * Analyzer harness reports violations only, so the "re-checked on up" note is asserted here.
 */
export function notApplicableReason(rule: string, type: string, inputs: Record<string, unknown>): string | undefined {
  const policy = allPolicies.find((p) => p.name === rule);
  if (!policy || !("validateResource" in policy) || !policy.validateResource)
    throw new Error(`${rule} is not a resource rule`);
  const validate = Array.isArray(policy.validateResource) ? policy.validateResource[0] : policy.validateResource;
  let reason: string | undefined;
  const reported: string[] = [];
  const args = {
    type,
    name: "r",
    urn: `urn:pulumi:test::p::${type}::r`,
    props: unknownCheckingProxy(inputs),
    opts: {},
    getConfig: () => ({}),
    notApplicable: (why?: string): never => {
      reason = why ?? "";
      throw new Error("not applicable");
    },
    isType: () => false,
    asType: () => undefined,
  } as unknown as ResourceValidationArgs;
  try {
    validate!(args, (message: string) => reported.push(message));
  } catch (e) {
    if (reason === undefined) throw e;
  }
  if (reported.length) throw new Error(`${rule} reported ${reported.join("; ")}`);
  return reason;
}

/** Drops keys from an inputs object (to test "not set"). */
export function without(inputs: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const copy = { ...inputs };
  for (const k of keys) delete copy[k];
  return copy;
}

/** As `notApplicableReason`, for a stack rule over `resources` (outputs default to inputs + id). */
export function stackNotApplicableReason(rule: string, resources: TestResource[]): string | undefined {
  const policy = allPolicies.find((p) => p.name === rule);
  if (!policy || !("validateStack" in policy) || !policy.validateStack) throw new Error(`${rule} is not a stack rule`);
  const urn = (r: TestResource) => `urn:pulumi:test::p::${r.type}::${r.name}`;
  const built = resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: urn(r),
    props: unknownCheckingProxy(r.outputs ?? { id: r.name, ...r.inputs }),
    opts: {},
    dependencies: [] as unknown[],
    propertyDependencies: {} as Record<string, unknown[]>,
  }));
  resources.forEach((r, i) => {
    for (const [key, names] of Object.entries(r.propertyDependencies ?? {}))
      built[i]!.propertyDependencies[key] = names.map((n) => built.find((b) => b.name === n));
  });
  let reason: string | undefined;
  const reported: string[] = [];
  const args = {
    resources: built,
    getConfig: () => ({}),
    notApplicable: (why?: string): never => {
      reason = why ?? "";
      throw new Error("not applicable");
    },
  } as unknown as StackValidationArgs;
  try {
    policy.validateStack(args, (message: string) => reported.push(message));
  } catch (e) {
    if (reason === undefined) throw e;
  }
  if (reported.length) throw new Error(`${rule} reported ${reported.join("; ")}`);
  return reason;
}
