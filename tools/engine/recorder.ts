import * as pulumi from "@pulumi/pulumi";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import {
  deserializeProperties,
  getRuntimeStore,
  MockMonitor,
  resproto,
  serializeProperties,
  setMockOptions,
  waitForRPCs,
} from "../../lib/pulumi-internals";
import type { PlainObject } from "./secrets";
import { wrapSecret } from "./secrets";

/** A resource as the engine saw it: what the program asked for (inputs) and what the mocks gave back (state). */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string;
  readonly custom: boolean;
  readonly id?: string;
  /** Serialized inputs, in Pulumi's wire form: secrets keep their signature so renderers can mask them. */
  readonly inputs: PlainObject;
  /** Serialized outputs (inputs plus computed values); for the stack resource, its exported outputs. */
  outputs: PlainObject;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
  readonly provider?: string;
  readonly options: {
    readonly protect: boolean;
    readonly ignoreChanges: string[];
    readonly deleteBeforeReplace: boolean;
    readonly additionalSecretOutputs: string[];
    readonly aliases: string[];
  };
}

/**
 * Pulumi's MockMonitor, extended to keep what the real engine keeps (parent, dependencies, options)
 * and to honour `additionalSecretOutputs` the way the engine does, so a random password's result is
 * a secret offline exactly as it is in a real preview.
 */
export class RecordingMonitor extends MockMonitor {
  readonly recorded: RecordedResource[] = [];
  private readonly byUrn = new Map<string, RecordedResource>();

  constructor(
    private readonly offlineMocks: pulumi.runtime.Mocks,
    private readonly projectName: string,
    private readonly stackName: string,
  ) {
    super(offlineMocks);
  }

  /** The URN the real engine would give: parent types are prefixed, `$`-joined. */
  private urnFor(parent: string, type: string, name: string): string {
    const parentType = parent ? (parent.split("::")[2] ?? "").split("$").pop() : undefined;
    // Children of the root stack are not prefixed with its type, as in the real engine.
    const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
    return `urn:pulumi:${this.stackName}::${this.projectName}::${qualified}::${name}`;
  }

  override async registerResource(
    req: resproto.RegisterResourceRequest,
    callback: (err: unknown, res?: unknown) => void,
  ) {
    try {
      const type = req.getType();
      const name = req.getName();
      const rawInputs = (req.getObject()?.toJavaScript() ?? {}) as PlainObject;
      const result = await this.offlineMocks.newResource({
        type,
        name,
        inputs: deserializeProperties(req.getObject() ?? new structproto.Struct()),
        provider: req.getProvider(),
        custom: req.getCustom(),
        id: req.getImportid(),
      });
      const urn = this.urnFor(req.getParent(), type, name);
      const secretOutputs = req.getAdditionalsecretoutputsList();
      const serializedState = (await serializeProperties("", result.state)) as PlainObject;
      for (const key of secretOutputs) {
        if (key in serializedState) serializedState[key] = wrapSecret(serializedState[key]);
      }
      this.resources.set(urn, { urn, id: result.id ?? null, state: serializedState });

      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((deps, key) => {
        propertyDependencies[key] = deps.getUrnsList();
      });
      const record: RecordedResource = {
        urn,
        type,
        name,
        parent: req.getParent() || undefined,
        custom: req.getCustom(),
        id: result.id ?? undefined,
        inputs: rawInputs,
        outputs: serializedState,
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        provider: req.getProvider() || undefined,
        options: {
          protect: req.getProtect() ?? false,
          ignoreChanges: req.getIgnorechangesList(),
          deleteBeforeReplace: req.getDeletebeforereplace(),
          additionalSecretOutputs: secretOutputs,
          aliases: req.getAliasesList().map((a) => a.getUrn() || a.getSpec()?.getName() || ""),
        },
      };
      this.recorded.push(record);
      this.byUrn.set(urn, record);

      const response = new resproto.RegisterResourceResponse();
      response.setUrn(urn);
      response.setId(result.id || "");
      response.setObject(structproto.Struct.fromJavaScript(serializedState as never));
      callback(null, response);
    } catch (err) {
      callback(err, undefined);
    }
  }

  override registerResourceOutputs(
    req: resproto.RegisterResourceOutputsRequest,
    callback: (err: unknown, res?: unknown) => void,
  ) {
    const record = this.byUrn.get(req.getUrn());
    if (record) record.outputs = (req.getOutputs()?.toJavaScript() ?? {}) as PlainObject;
    super.registerResourceOutputs(req, callback);
  }
}

export interface ProgramRun {
  readonly resources: RecordedResource[];
  readonly outputs: PlainObject;
}

export interface RunOptions {
  readonly project: string;
  readonly stack: string;
  readonly mocks: pulumi.runtime.Mocks;
  /** Stack configuration as `pulumi config` holds it: "namespace:key" -> string value. */
  readonly config?: Record<string, string>;
  readonly secretKeys?: string[];
  /** true runs the program as `pulumi preview` would (pulumi.runtime.isDryRun()). */
  readonly preview?: boolean;
}

/**
 * Runs a Pulumi program in this process under the recording mocks and returns every resource it
 * registered plus the stack outputs. `program` is what a Pulumi entry point does at load time.
 */
export async function runProgram(
  program: () => Promise<Record<string, unknown> | undefined>,
  options: RunOptions,
): Promise<ProgramRun> {
  const monitor = new RecordingMonitor(options.mocks, options.project, options.stack);
  // "organization" is what the Pulumi CLI names the organization of a self-managed backend.
  setMockOptions(monitor, options.project, options.stack, options.preview ?? true, "organization");
  const store = getRuntimeStore();
  // pulumi.runtime.setMocks' feature set (SDK 3.276), minus what needs the engine's callback server:
  // transforms (the real engine applies them before registration; offline they would be silently
  // skipped, so the SDK's own "does not support transforms" error is the honest answer) and
  // resource/error hooks. Output values stay off, as in setMocks, so inputs arrive as plain values.
  store.supportsSecrets = true;
  store.supportsResourceReferences = true;
  store.supportsOutputValues = false;
  store.supportsDeletedWith = true;
  store.supportsReplaceWith = true;
  store.supportsAliasSpecs = true;
  store.supportsParameterization = true;
  store.supportsTransforms = false;
  store.supportsInvokeTransforms = false;
  store.supportsResourceHooks = false;
  store.supportsErrorHooks = false;
  // The mock monitor has no invoke dependency gate: keep the SDK's client-side one, as setMocks does.
  store.supportsInvokeDependsOn = false;
  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);

  // The program's own error (bad config, a component's validation) must reach the caller, not
  // surface as an unhandled rejection from the stack resource's registration.
  let programError: unknown;
  const stray: unknown[] = [];
  // A resource whose inputs fail to resolve (a check thrown inside an apply) surfaces only as an
  // unhandled rejection, and its dependents never resolve: like the Pulumi CLI, fail the run at once.
  let failRun: (reason: unknown) => void = () => {};
  const strayFailure = new Promise<never>((_, reject) => {
    failRun = reject;
  });
  strayFailure.catch(() => {});
  const onUnhandled = (reason: unknown) => {
    stray.push(reason);
    failRun(reason);
  };
  process.on("unhandledRejection", onUnhandled);
  try {
    const run = async () => {
      await pulumi.runtime.runInPulumiStack(async () => {
        try {
          return await program();
        } catch (e) {
          programError = e;
          return undefined;
        }
      });
      await waitForRPCs();
      // Rejections are reported after the microtask queue drains, and a failed stack output (a check
      // thrown inside an apply) settles a few event-loop turns after the RPCs (SDK 3.276): give them
      // those turns (each drains every microtask; ten cost well under a millisecond).
      for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
    };
    await Promise.race([run(), strayFailure]);
  } catch (e) {
    programError ??= e;
  } finally {
    // A failed input fails every resource that depends on it, each as one more unhandled rejection,
    // for a while after the first: absorb them until they stop, so none escapes to the caller.
    if (programError !== undefined || stray.length > 0) {
      for (let seen = -1; seen !== stray.length; ) {
        seen = stray.length;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
    process.off("unhandledRejection", onUnhandled);
  }
  if (programError !== undefined) throw programError;
  if (stray.length > 0) throw stray[0];
  const stackResource = monitor.recorded.find((r) => r.type === "pulumi:pulumi:Stack");
  return { resources: monitor.recorded, outputs: stackResource?.outputs ?? {} };
}
