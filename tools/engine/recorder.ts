import * as pulumi from "@pulumi/pulumi";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import {
  type callbackproto,
  deserializeProperties,
  getRuntimeStore,
  inProcessCallback,
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
    /** The `import` option after every transform: the id the real engine imports (an import step), else undefined. */
    readonly import?: string;
    /** `retainOnDelete` after every transform, as the engine's registration carries it (unset: undefined). */
    readonly retainOnDelete?: boolean;
  };
}

/** A transform the program registered with the SDK's callback server: the engine calls it back by token. */
interface TransformCallback {
  readonly token: string;
  readonly target: string;
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

  // Transforms, served as the CLI's engine serves them (pkg/resource/deploy/source_eval.go, resmon
  // RegisterStackTransform / RegisterResource / wrapTransformCallback, pulumi/pulumi): the SDK
  // registers each transform with its Callbacks gRPC server and sends the engine a Callback {target,
  // token}; at every registration the engine builds a TransformRequest from the request, calls the
  // resource's own transforms, then those of each ancestor up the parent chain, then the stack's in
  // the order they were registered, each over Callbacks.Invoke (here in process: invokeCallback), and
  // registers what the last returns.
  // The `import` option is part of TransformResourceOptions since pulumi/pulumi#20586 ("Support
  // import option in resource transforms"), so a transform can adopt a resource.
  private readonly stackTransforms: TransformCallback[] = [];
  private readonly ownTransforms = new Map<string, TransformCallback[]>();
  private readonly parents = new Map<string, string>();

  override registerStackTransform(req: callbackproto.Callback, callback: (err: unknown, res?: unknown) => void) {
    if (req.getTarget() === "") {
      callback(new Error("target must be specified"));
      return;
    }
    this.stackTransforms.push({ token: req.getToken(), target: req.getTarget() });
    callback(null, {});
  }

  /**
   * Calls a transform as the SDK's callback server's own `invoke` does (request bytes in, the
   * serialized response out). The program's callback server runs in this process, so the engine
   * calls it directly instead of over a loopback gRPC connection per resource (that round trip was
   * a fifth of the production preview's time); the messages are the same TransformRequest and
   * TransformResponse bytes the CLI's engine exchanges.
   */
  private async invokeCallback(cb: TransformCallback, request: Uint8Array): Promise<Uint8Array> {
    const local = inProcessCallback(cb.token);
    if (!local) throw new Error(`transform callback ${cb.token} (${cb.target}) is not registered in this process`);
    return (await local(request)).serializeBinary();
  }

  /** The options a transform receives, built from the registration as the engine builds them. */
  private static transformOptions(req: resproto.RegisterResourceRequest): resproto.TransformResourceOptions {
    const opts = new resproto.TransformResourceOptions();
    opts.setDependsOnList(req.getDependenciesList());
    const protect = req.getProtect();
    if (protect !== undefined) opts.setProtect(protect);
    opts.setIgnoreChangesList(req.getIgnorechangesList());
    opts.setReplaceOnChangesList(req.getReplaceonchangesList());
    opts.setVersion(req.getVersion());
    opts.setAliasesList(req.getAliasesList());
    opts.setProvider(req.getProvider());
    req.getProvidersMap().forEach((v, k) => {
      opts.getProvidersMap().set(k, v);
    });
    const timeouts = req.getCustomtimeouts();
    if (timeouts) opts.setCustomTimeouts(timeouts);
    opts.setPluginDownloadUrl(req.getPlugindownloadurl());
    const retain = req.getRetainondelete();
    if (retain !== undefined) opts.setRetainOnDelete(retain);
    opts.setDeletedWith(req.getDeletedwith());
    if (req.getDeletebeforereplacedefined() || req.getDeletebeforereplace())
      opts.setDeleteBeforeReplace(req.getDeletebeforereplace());
    opts.setAdditionalSecretOutputsList(req.getAdditionalsecretoutputsList());
    if (req.getImportid() !== "") opts.setImport(req.getImportid());
    return opts;
  }

  /** Runs the resource's own, its ancestors' and the stack's transforms; undefined when there are none. */
  private async transform(
    req: resproto.RegisterResourceRequest,
    own: TransformCallback[],
  ): Promise<{ props: structproto.Struct; opts: resproto.TransformResourceOptions } | undefined> {
    const chain = [...own];
    for (let p = req.getParent(); p; p = this.parents.get(p) ?? "") chain.push(...(this.ownTransforms.get(p) ?? []));
    chain.push(...this.stackTransforms);
    if (chain.length === 0) return undefined;
    let props = req.getObject() ?? new structproto.Struct();
    let opts = RecordingMonitor.transformOptions(req);
    for (const cb of chain) {
      const request = new resproto.TransformRequest();
      request.setType(req.getType());
      request.setName(req.getName());
      request.setCustom(req.getCustom());
      request.setParent(req.getParent());
      request.setProperties(props);
      request.setOptions(opts);
      const response = resproto.TransformResponse.deserializeBinary(
        await this.invokeCallback(cb, request.serializeBinary()),
      );
      props = response.getProperties() ?? props;
      opts = response.getOptions() ?? opts;
    }
    return { props, opts };
  }

  override async registerResource(
    req: resproto.RegisterResourceRequest,
    callback: (err: unknown, res?: unknown) => void,
  ) {
    try {
      const type = req.getType();
      const name = req.getName();
      const own = req.getTransformsList().map((cb) => ({ token: cb.getToken(), target: cb.getTarget() }));
      const transformed = await this.transform(req, own);
      const object = transformed?.props ?? req.getObject() ?? new structproto.Struct();
      const opts = transformed?.opts;
      const importId = opts ? opts.getImport() : req.getImportid();
      const rawInputs = (object.toJavaScript() ?? {}) as PlainObject;
      const result = await this.offlineMocks.newResource({
        type,
        name,
        inputs: deserializeProperties(object),
        provider: opts?.getProvider() ?? req.getProvider(),
        custom: req.getCustom(),
        id: importId,
      });
      const urn = this.urnFor(req.getParent(), type, name);
      const secretOutputs = opts?.getAdditionalSecretOutputsList() ?? req.getAdditionalsecretoutputsList();
      const serializedState = (await serializeProperties("", result.state)) as PlainObject;
      for (const key of secretOutputs) {
        if (key in serializedState) serializedState[key] = wrapSecret(serializedState[key]);
      }
      this.resources.set(urn, { urn, id: result.id ?? null, state: serializedState });
      this.parents.set(urn, req.getParent());
      this.ownTransforms.set(urn, own);

      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((deps, key) => {
        propertyDependencies[key] = deps.getUrnsList();
      });
      const retainOnDelete = opts ? opts.getRetainOnDelete() : req.getRetainondelete();
      const record: RecordedResource = {
        urn,
        type,
        name,
        parent: req.getParent() || undefined,
        custom: req.getCustom(),
        id: result.id ?? undefined,
        inputs: rawInputs,
        outputs: serializedState,
        // The engine re-reads the dependencies from the options when the resource has its own transforms.
        dependencies: opts && own.length > 0 ? opts.getDependsOnList() : req.getDependenciesList(),
        propertyDependencies,
        provider: (opts?.getProvider() ?? req.getProvider()) || undefined,
        options: {
          protect: (opts ? opts.getProtect() : req.getProtect()) ?? false,
          ignoreChanges: opts?.getIgnoreChangesList() ?? req.getIgnorechangesList(),
          deleteBeforeReplace: (opts ? opts.getDeleteBeforeReplace() : req.getDeletebeforereplace()) ?? false,
          additionalSecretOutputs: secretOutputs,
          aliases: (opts?.getAliasesList() ?? req.getAliasesList()).map(
            (a) => a.getUrn() || a.getSpec()?.getName() || "",
          ),
          ...(importId ? { import: importId } : {}),
          ...(retainOnDelete !== undefined ? { retainOnDelete } : {}),
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
  // pulumi.runtime.setMocks' feature set (SDK 3.276), minus resource/error hooks and invoke transforms
  // (the monitor does not call those back). Resource transforms are served (RecordingMonitor calls
  // them over the SDK's Callbacks service, as the CLI's engine does). Output values stay off, as in
  // setMocks, so inputs arrive as plain values.
  store.supportsSecrets = true;
  store.supportsResourceReferences = true;
  store.supportsOutputValues = false;
  store.supportsDeletedWith = true;
  store.supportsReplaceWith = true;
  store.supportsAliasSpecs = true;
  store.supportsParameterization = true;
  store.supportsTransforms = true;
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
    // The SDK's callback server (started by the first transform) belongs to this run's monitor.
    store.callbacks?.shutdown();
    store.callbacks = undefined;
  }
  if (programError !== undefined) throw programError;
  if (stray.length > 0) throw stray[0];
  const stackResource = monitor.recorded.find((r) => r.type === "pulumi:pulumi:Stack");
  return { resources: monitor.recorded, outputs: stackResource?.outputs ?? {} };
}
