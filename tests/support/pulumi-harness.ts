import * as path from "node:path";
import { OfflineMocks } from "../../tools/engine/mocks";
import { readProject } from "../../tools/engine/project";
import { type ProgramRun, type RecordedResource, runProgram } from "../../tools/engine/recorder";
import { maskSecrets, type PlainObject, type PlainValue } from "../../tools/engine/secrets";

// Runs a component or stack program under the offline engine's recording mocks, for component tests.

export const testAccount = { accountId: "317805897534", region: "us-east-1" };

/** This repository's project name, from its Pulumi.yaml (it appears in every URN). */
export const testProject = readProject(path.resolve(__dirname, "..", "..")).name;

export interface HarnessOptions {
  readonly stack?: string;
  readonly config?: Record<string, string>;
  readonly secretKeys?: string[];
}

/** Runs `program` (which creates resources) and returns every registered resource. */
export async function record(
  program: () => unknown | Promise<unknown>,
  options: HarnessOptions = {},
): Promise<ProgramRun> {
  return runProgram(
    async () => {
      const out = await program();
      return out && typeof out === "object" ? (out as Record<string, unknown>) : undefined;
    },
    {
      project: testProject,
      stack: options.stack ?? "test",
      mocks: new OfflineMocks(testAccount),
      config: { "aws:region": testAccount.region, ...options.config },
      secretKeys: options.secretKeys,
      preview: true,
    },
  );
}

/** Resources of one type token (e.g. "aws:s3/bucket:Bucket"). */
export function ofType(run: ProgramRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The one resource of `type`, optionally whose name contains `nameIncludes`; throws when not exactly one. */
export function one(run: ProgramRun, type: string, nameIncludes = ""): RecordedResource {
  const found = ofType(run, type).filter((r) => r.name.includes(nameIncludes));
  if (found.length !== 1) {
    const names = ofType(run, type).map((r) => r.name);
    throw new Error(`expected one ${type} named *${nameIncludes}*, found ${found.length} among [${names.join(", ")}]`);
  }
  return found[0]!;
}

/** A resource's inputs with secrets masked ("[secret]"), as plain JSON for assertions. */
export function inputsOf(resource: RecordedResource): PlainObject {
  return maskSecrets(resource.inputs) as PlainObject;
}

/** Parses a JSON-string input (policy documents, container definitions). */
export function jsonInput(resource: RecordedResource, key: string): PlainValue {
  const raw = inputsOf(resource)[key];
  return typeof raw === "string" ? (JSON.parse(raw) as PlainValue) : (raw ?? null);
}
