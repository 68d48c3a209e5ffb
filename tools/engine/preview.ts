import * as path from "node:path";
import { INVENTORY_FILE_ENV, readInventory } from "../../lib/inventory";
import { type AdoptionPlan, allowReplaceFrom, defaultInventoryFile, planAdoption } from "./adoption-plan";
import { engineHome } from "./home";
import { OfflineMocks } from "./mocks";
import {
  type AnalyzerSession,
  analyzeAll,
  type PolicyPackConfig,
  startAnalyzer,
  type Violation,
} from "./policy-client";
import { programConfig } from "./program-config";
import { locateProject } from "./project";
import { type RecordedResource, runProgram } from "./recorder";
import type { PlainObject } from "./secrets";
import { readStackFile, StackFileError } from "./stack-file";

export interface PreviewResult {
  readonly stack: string;
  readonly policyPack: { readonly name: string; readonly version: string };
  readonly resources: RecordedResource[];
  readonly violations: Violation[];
  readonly outputs: PlainObject;
  /** Each resource's step against the stack's inventory; absent without one. */
  readonly adoption?: AdoptionPlan;
}

export interface PreviewOptions {
  readonly stack: string;
  /** The program's entry module, run as the Pulumi CLI runs Pulumi.yaml's `main`. @default the project's `main` */
  readonly program?: string;
  /** Where Pulumi.<stack>.yaml lives; the project is the Pulumi.yaml there or above. @default the engine's home (engine/home.ts) */
  readonly stackDir?: string;
  /** The policy pack directory, as `pulumi preview --policy-pack DIR` takes it. @default the engine's home's pack */
  readonly policyPack?: string;
  readonly policyConfig?: PolicyPackConfig;
  /**
   * The inventory the program adopts from (passed to it as $HUNTAZE_INVENTORY_FILE); null: none.
   * @default inventory/<stack>.json beside the stack file, when it exists
   */
  readonly inventory?: string | null;
  /** The program's config namespace (--config-namespace). @default found in the stack file (program-config.ts) */
  readonly configNamespace?: string;
  /** The account id the offline AWS answers with (--account-id). @default the stack's `<namespace>:accountId` */
  readonly accountId?: string;
  readonly progress?: (message: string) => void;
  /**
   * Called with the records and the stack outputs as soon as the program has run, before the pack is consulted: work that
   * needs only the records (the cost estimate, the diagram) overlaps the pack's start instead of
   * following the analysis. The preview waits for the returned promise and fails with it.
   */
  readonly onRecorded?: (resources: RecordedResource[], outputs: PlainObject) => Promise<unknown> | undefined;
}

/** The account the offline AWS answers with when the stack names none (AWS's documentation example id). */
export const OFFLINE_ACCOUNT_ID = "123456789012";

/**
 * `pulumi preview --policy-pack policy-pack`, offline: load the stack's config, run the program's
 * entry module under the recording mocks (its exports become the stack outputs, as with the CLI),
 * then evaluate every resource with the real pack over the Analyzer protocol.
 */
export async function previewStack(options: PreviewOptions): Promise<PreviewResult> {
  const progress = options.progress ?? (() => {});
  const stackDir = path.resolve(options.stackDir ?? engineHome().root);
  const project = locateProject(stackDir, options.program, engineHome().root);
  const file = readStackFile(options.stack, stackDir, project.name);
  const program = path.resolve(options.program ?? project.main);
  const inventoryFile =
    options.inventory === null
      ? undefined
      : options.inventory !== undefined
        ? path.resolve(options.inventory)
        : defaultInventoryFile(options.stack, stackDir);
  // Read (and checked) before the program runs, so a bad file fails with its own message.
  const inventory = inventoryFile !== undefined ? readInventory(inventoryFile) : undefined;
  const programKeys = programConfig(file.config, project, file.path, {
    ...(options.configNamespace !== undefined ? { namespace: options.configNamespace } : {}),
    ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
  });
  const allowReplace = allowReplaceFrom(file.config, programKeys.adoptionKey);

  // Starting the pack takes as long as running the program: do both at once.
  const analyzer: Promise<AnalyzerSession> = startAnalyzer({
    stack: options.stack,
    project: project.name,
    dryRun: true,
    ...(options.policyPack !== undefined ? { packDir: path.resolve(options.policyPack) } : {}),
  });
  analyzer.catch(() => {});
  // @pulumi/pulumi captures a stack trace for every promise it tracks (runtime/debuggable.ts) and
  // every resource's source position: a tenth of the preview's CPU in a profile, for traces only
  // its leak report prints. Kept when DEBUG is set, where errors are printed with their stacks.
  const stackTraceLimit = Error.stackTraceLimit;
  if (!process.env.DEBUG) Error.stackTraceLimit = 0;
  // The program finds the inventory as under `pulumi up` (stacks/adoption.ts): "" means none.
  const inventoryEnv = process.env[INVENTORY_FILE_ENV];
  process.env[INVENTORY_FILE_ENV] = inventoryFile ?? "";
  try {
    progress(`running ${path.relative(process.cwd(), program)} for stack ${options.stack} under the offline engine`);
    if (file.empty) progress(`${path.basename(file.path)} is empty: the program runs with no stack config`);
    const run = await runProgram(async () => require(program) as Record<string, unknown>, {
      project: project.name,
      stack: options.stack,
      mocks: new OfflineMocks({
        accountId: programKeys.accountId ?? OFFLINE_ACCOUNT_ID,
        region: file.config["aws:region"] ?? "us-east-1",
      }),
      config: file.config,
      secretKeys: file.secretKeys,
      preview: true,
    }).catch((error: unknown) => {
      // A program that needs config fails on the first missing key; say why there is none.
      if (!file.empty) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new StackFileError(
        `${path.basename(file.path)} is empty (no "config:" values), and the program failed without them:\n${message}`,
      );
    });
    if (inventoryFile !== undefined) progress(`adopting from ${path.relative(process.cwd(), inventoryFile)}`);
    const adoption =
      inventory && inventoryFile
        ? planAdoption(run.resources, inventory, inventoryFile, allowReplace, programKeys.adoptionKey)
        : undefined;
    const recordedWork = options.onRecorded?.(run.resources, run.outputs);
    recordedWork?.catch(() => {}); // awaited below, after the analysis
    const session = await analyzer;
    await session.configure(options.policyConfig ?? {});
    progress(
      `checking ${run.resources.length} resources against ${session.packName}@${session.packVersion} (${session.policies.length} policies)`,
    );
    const violations = await analyzeAll(session, run.resources);
    await recordedWork;
    return {
      stack: options.stack,
      policyPack: { name: session.packName, version: session.packVersion },
      resources: run.resources,
      violations,
      outputs: run.outputs,
      ...(adoption ? { adoption } : {}),
    };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    if (inventoryEnv === undefined) delete process.env[INVENTORY_FILE_ENV];
    else process.env[INVENTORY_FILE_ENV] = inventoryEnv;
    await analyzer.then(
      (s) => s.close(),
      () => {},
    );
  }
}
