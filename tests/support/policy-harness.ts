import { after } from "mocha";
import {
  type AnalyzerSession,
  analyzeAll,
  type PolicyPackConfig,
  startAnalyzer,
  type Violation,
} from "../../tools/engine/policy-client";
import type { ProgramRun, RecordedResource } from "../../tools/engine/recorder";
import type { PlainObject } from "../../tools/engine/secrets";
import { type HarnessOptions, record, testProject } from "./pulumi-harness";

// Evaluates the real policy pack through the Analyzer gRPC path, exactly as the preview does: one
// pack process is shared by every test file and stopped when mocha finishes.

let session: Promise<AnalyzerSession> | undefined;

export function analyzer(): Promise<AnalyzerSession> {
  session ??= startAnalyzer({ stack: "test", project: testProject });
  return session;
}

after(async () => {
  if (session) await (await session).close();
});

/** A resource described directly, for rules on shapes a program would not produce (deprecated types, bad inputs). */
export interface TestResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** Outputs seen by stack rules; defaults to the inputs plus `id` = name. */
  readonly outputs?: Record<string, unknown>;
  /** Property name -> names of the resources it was computed from (e.g. { bucket: ["my-bucket"] }). */
  readonly propertyDependencies?: Record<string, string[]>;
  readonly parent?: string;
  /** The `protect` resource option. @default false */
  readonly protect?: boolean;
}

const urnOf = (type: string, name: string) => `urn:pulumi:test::${testProject}::${type}::${name}`;

export function toRecorded(resources: TestResource[]): RecordedResource[] {
  const urnByName = new Map(resources.map((r) => [r.name, urnOf(r.type, r.name)]));
  const resolve = (name: string) => {
    const urn = urnByName.get(name);
    if (!urn) throw new Error(`propertyDependencies names unknown resource ${name}`);
    return urn;
  };
  return resources.map((r) => {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, names] of Object.entries(r.propertyDependencies ?? {}))
      propertyDependencies[key] = names.map(resolve);
    return {
      urn: urnOf(r.type, r.name),
      type: r.type,
      name: r.name,
      parent: r.parent ? resolve(r.parent) : undefined,
      custom: true,
      id: r.name,
      inputs: r.inputs as PlainObject,
      outputs: (r.outputs ?? { id: r.name, ...r.inputs }) as PlainObject,
      dependencies: [...new Set(Object.values(propertyDependencies).flat())],
      propertyDependencies,
      options: {
        protect: r.protect ?? false,
        ignoreChanges: [],
        deleteBeforeReplace: false,
        additionalSecretOutputs: [],
        aliases: [],
      },
    };
  });
}

async function evaluateRecorded(resources: RecordedResource[], config: PolicyPackConfig = {}): Promise<Violation[]> {
  const a = await analyzer();
  await a.configure(config);
  try {
    return await analyzeAll(a, resources);
  } finally {
    // Leave the shared pack with its default configuration for the next test.
    if (Object.keys(config).length > 0) await a.configure({});
  }
}

/** Violations the pack reports for hand-written resources (Analyze each, then AnalyzeStack). */
export function evaluate(resources: TestResource[], config?: PolicyPackConfig): Promise<Violation[]> {
  return evaluateRecorded(toRecorded(resources), config);
}

/** Violations the pack reports for what a Pulumi program registers under the offline mocks. */
export async function evaluateProgram(
  program: () => unknown | Promise<unknown>,
  config?: PolicyPackConfig,
  options?: HarnessOptions,
): Promise<{ run: ProgramRun; violations: Violation[] }> {
  const run = await record(program, options);
  return { run, violations: await evaluateRecorded(run.resources, config) };
}

/** Names of the policies that reported, sorted and deduplicated: the usual assertion target. */
export function policyNames(violations: Violation[]): string[] {
  return [...new Set(violations.map((v) => v.policy))].sort();
}

/** Violations of one policy. */
export function of(violations: Violation[], policy: string): Violation[] {
  return violations.filter((v) => v.policy === policy);
}
