// Every use of Pulumi SDK and policy SDK internals, in one module below the stacks, the engine and
// the tests. Some are marked @internal (absent from the .d.ts files) but are what
// `pulumi.runtime.setMocks` itself uses; others are deep imports of generated protocol code.
// Typing them here keeps every private path in one place: an SDK upgrade that moves them breaks
// this file only.

interface RuntimeStore {
  supportsSecrets: boolean;
  supportsResourceReferences: boolean;
  supportsOutputValues: boolean;
  supportsDeletedWith: boolean;
  supportsReplaceWith: boolean;
  supportsAliasSpecs: boolean;
  supportsTransforms: boolean;
  supportsInvokeTransforms: boolean;
  supportsParameterization: boolean;
  supportsResourceHooks: boolean;
  supportsErrorHooks: boolean;
  supportsInvokeDependsOn: boolean;
  /** The SDK's callback server (transforms), created on first use; setMockOptions forgets it. */
  callbacks?: { shutdown(): void };
}

const state = require("@pulumi/pulumi/runtime/state") as { getStore(): RuntimeStore };
const settings = require("@pulumi/pulumi/runtime/settings") as {
  setMockOptions(monitor: unknown, project?: string, stack?: string, preview?: boolean, organization?: string): void;
  waitForRPCs(): Promise<void>;
  getStack(): string;
  getProject(): string;
};

export const getRuntimeStore = state.getStore;

/**
 * The function the SDK's callback server (runtime/callbacks.js, CallbackServer) registered under
 * `token`, when that server runs in this process: the offline engine then calls it as the server's
 * own `invoke` does (request bytes in, a message to serialize out), without a loopback gRPC hop per
 * resource. undefined when the server or the token is not this process's.
 */
export function inProcessCallback(
  token: string,
): ((request: Uint8Array) => Promise<{ serializeBinary(): Uint8Array }>) | undefined {
  const server = state.getStore().callbacks as
    | { _callbacks?: Map<string, (request: Uint8Array) => Promise<{ serializeBinary(): Uint8Array }>> }
    | undefined;
  return server?._callbacks?.get(token);
}
export const setMockOptions = settings.setMockOptions;
export const waitForRPCs = settings.waitForRPCs;

const config = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/** Whether a "namespace:key" config value was stored with --secret. */
export const isConfigSecret = config.isConfigSecret;

// The engine's protocol messages (resource monitor and Analyzer).
export * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
export * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
// The Callbacks service the SDK serves (transforms): the engine calls it back as the CLI's does.
export * as callbackproto from "@pulumi/pulumi/proto/callback_pb";
export * as resproto from "@pulumi/pulumi/proto/resource_pb";
export { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
// Wire-format helpers and the mock monitor the offline engine extends.
export {
  deserializeProperties,
  serializeProperties,
  specialSecretSig,
  specialSigKey,
  unknownValue,
} from "@pulumi/pulumi/runtime/rpc";

// The policy pack launcher's path is in lib/pulumi-launcher.ts: that module loads nothing, so a
// command can start the pack before this one (and the SDK runtime it loads) is imported.

interface PolicyProxy {
  unknownCheckingProxy(props: unknown): unknown;
  /** The property a special proxy answers `true` to. */
  isSpecialProxy: string;
  /** The property a special proxy answers with the object it wraps. */
  getSpecialProxyTarget: string;
}

let policyProxy: PolicyProxy | undefined;
/** @pulumi/policy/proxy, loaded on first use (once: rules ask for a proxy's target per resource). */
const proxyModule = () => {
  policyProxy ??= require("@pulumi/policy/proxy") as PolicyProxy;
  return policyProxy;
};

/** @pulumi/policy's proxy that makes unknown (computed) values throw when a rule reads them. */
export function unknownCheckingProxy(props: unknown): unknown {
  return proxyModule().unknownCheckingProxy(props);
}

/**
 * The object an unknown-checking proxy wraps (the plain values @pulumi/policy deserialized, unknowns
 * still the engine's sentinel strings); any other value as it is.
 */
export function proxyTarget(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const { isSpecialProxy, getSpecialProxyTarget } = proxyModule();
  const v = value as Record<string, unknown>;
  return v[isSpecialProxy] === true ? v[getSpecialProxyTarget] : value;
}

interface PolicyDeserialize {
  deserializeProperties(struct: object, proxySecrets: boolean): unknown;
  __shared?: true;
}

/** What @pulumi/policy's server calls to turn a request's Struct into a rule's `props` (shared or not). */
export function policyDeserializeProperties(struct: object, proxySecrets: boolean): unknown {
  return (require("@pulumi/policy/deserialize") as PolicyDeserialize).deserializeProperties(struct, proxySecrets);
}

interface PolicyProxyModule {
  unknownCheckingProxy(props: unknown): unknown;
  __shared?: true;
}

/**
 * @pulumi/policy's server deserializes a resource's properties once per policy: `Analyze` turns the
 * request's Struct into plain values again for every rule, and `AnalyzeStack` turns every resource's
 * Struct again for every stack rule (rules × resources; most of a 5,000-resource policy check).
 * The Struct messages are the same objects each time (protobuf caches wrapper fields), so the result
 * is kept per Struct and shared: rules only read it (through `unknownCheckingProxy`, and this pack's
 * rules copy it with `plain()` before looking), and it is dropped with its request.
 * The server then wraps the shared value in a new `unknownCheckingProxy` per rule too: the proxy
 * keeps no state of its own (it reads its target on every access), so one per value is shared as well.
 * Installed once by the pack's entry point; a no-op when called again.
 */
export function shareDeserializedProperties(): void {
  const deserialize = require("@pulumi/policy/deserialize") as PolicyDeserialize;
  if (!deserialize.__shared) {
    const original = deserialize.deserializeProperties;
    const byMode = { plain: new WeakMap<object, unknown>(), secrets: new WeakMap<object, unknown>() };
    deserialize.deserializeProperties = (struct, proxySecrets) => {
      const cache = proxySecrets ? byMode.secrets : byMode.plain;
      if (cache.has(struct)) return cache.get(struct);
      const value = original(struct, proxySecrets);
      cache.set(struct, value);
      return value;
    };
    deserialize.__shared = true;
  }
  const proxy = require("@pulumi/policy/proxy") as PolicyProxyModule;
  if (!proxy.__shared) {
    const original = proxy.unknownCheckingProxy;
    const proxies = new WeakMap<object, unknown>();
    proxy.unknownCheckingProxy = (target) => {
      // Not an object: the proxy function returns it as it is.
      if (target === null || typeof target !== "object") return original(target);
      let shared = proxies.get(target);
      if (shared === undefined) {
        shared = original(target);
        proxies.set(target, shared);
      }
      return shared;
    };
    proxy.__shared = true;
  }
}

type AnalyzeResponse = InstanceType<typeof import("@pulumi/pulumi/proto/analyzer_pb").AnalyzeResponse>;
type AnalyzeRequest = InstanceType<typeof import("@pulumi/pulumi/proto/analyzer_pb").AnalyzeRequest>;
type AnalyzeStackRequest = InstanceType<typeof import("@pulumi/pulumi/proto/analyzer_pb").AnalyzeStackRequest>;
type AnalyzerResource = InstanceType<typeof import("@pulumi/pulumi/proto/analyzer_pb").AnalyzerResource>;
type RpcCallback = (error: unknown, response?: AnalyzeResponse) => void;
/** A unary handler as @pulumi/policy's server makes them (`makeAnalyzeRpcFun`, `makeAnalyzeStackRpcFun`). */
type RpcHandler = (call: { request: unknown }, callback: RpcCallback) => unknown;
type MakeHandler = (packName: string, packVersion: string, packLevel: string, policies: object[]) => RpcHandler;

interface PolicyServer {
  serve(
    packName: string,
    packVersion: string,
    packLevel: string,
    args: { policies?: object[] },
    initialConfig?: unknown,
  ): void;
  makeAnalyzeRpcFun: MakeHandler;
  makeAnalyzeStackRpcFun: MakeHandler;
  __narrowed?: true;
}

/**
 * @pulumi/policy's server runs every policy of the pack on every call: `Analyze` loops over all of
 * them for each resource (a step, a proxy, an options object... per policy, even for one that returns
 * at once because the resource is not of its type), and `AnalyzeStack` rebuilds, for each stack
 * policy, its view of every resource of the stack (rules × resources again). That loop was most of
 * the pack's time on a 5,000-resource export. `typesRead(policy)` names the resource types a policy
 * reads when its validate function does nothing at all (no diagnostic, no not-applicable note, no
 * error) for a resource of another type and, for a stack policy, reads nothing of the others but the
 * `propertyDependencies` links to them; undefined for any other policy. Then:
 * - `Analyze` runs, for a resource of type T, the server's own handler over the policies that read T
 *   plus those of unknown reach, in the pack's order: the same answer, without the calls that return
 *   at once.
 * - `AnalyzeStack` runs the server's own handler once per stack policy, in the pack's order (the server
 *   runs them one after the other too), each with the request narrowed to the resources of its types
 *   and those they depend on (so every link it reads resolves as before); a policy of unknown reach
 *   gets the whole request. The diagnostics and not-applicable notes are joined in that order, as the
 *   server's one loop would have produced them, and the first error fails the call as it would.
 * A call the server would reject (a resource without options: "A more recent version of the Pulumi
 * CLI is required") goes to the server's handler over every policy, to be rejected the same way.
 * The handlers are swapped in while the server registers its service (grpc's addService), inside
 * @pulumi/policy's `serve`: install before the PolicyPack is created; a no-op when called again.
 */
export function narrowPoliciesByType(typesRead: (policy: object) => readonly string[] | undefined): void {
  const serverPath = require.resolve("@pulumi/policy/server");
  const server = require(serverPath) as PolicyServer;
  if (server.__narrowed) return;
  // The gRPC library and protocol messages the policy server itself uses (its responses must be
  // instances of its own message classes).
  const fromPolicy = require("node:module").createRequire(serverPath) as NodeJS.Require;
  const grpcServer = (fromPolicy("@grpc/grpc-js") as typeof import("@grpc/grpc-js")).Server.prototype;
  const proto = fromPolicy("@pulumi/pulumi/proto/analyzer_pb") as typeof import("@pulumi/pulumi/proto/analyzer_pb");
  // A narrowed AnalyzeStack request is a new message holding some of the resources: only sound while
  // the resources are all the message holds (analyzer.proto today); otherwise the stack is not narrowed.
  const stackRequestFields = Object.keys(new proto.AnalyzeStackRequest().toObject());
  const canNarrowStack = stackRequestFields.length === 1 && stackRequestFields[0] === "resourcesList";
  const serve = server.serve;
  server.serve = function (this: unknown, packName, packVersion, packLevel, args, initialConfig) {
    const policies = args.policies ?? [];
    const make = (fn: MakeHandler, ps: object[]) => fn(packName, packVersion, packLevel, ps);
    const addService = grpcServer.addService;
    grpcServer.addService = function (this: unknown, service, implementation) {
      const handlers = implementation as Record<string, RpcHandler | undefined>;
      const { analyze, analyzeStack } = handlers;
      const narrowed = { ...handlers };
      if (analyze) narrowed.analyze = narrowAnalyze(analyze, (ps) => make(server.makeAnalyzeRpcFun, ps));
      if (analyzeStack && canNarrowStack)
        narrowed.analyzeStack = narrowAnalyzeStack(analyzeStack, (p) => make(server.makeAnalyzeStackRpcFun, [p]));
      return addService.call(this, service, narrowed as typeof implementation);
    };
    try {
      return serve.call(this, packName, packVersion, packLevel, args, initialConfig);
    } finally {
      grpcServer.addService = addService;
    }

    function narrowAnalyze(all: RpcHandler, over: (ps: object[]) => RpcHandler): RpcHandler {
      const byType = new Map<string, RpcHandler>();
      return (call, callback) => {
        const request = call.request as AnalyzeRequest;
        if (!request.getOptions()) return all(call, callback);
        const type = request.getType();
        let handler = byType.get(type);
        if (handler === undefined) {
          handler = over(policies.filter((p) => typesRead(p)?.includes(type) ?? true));
          byType.set(type, handler);
        }
        return handler(call, callback);
      };
    }

    function narrowAnalyzeStack(all: RpcHandler, alone: (p: object) => RpcHandler): RpcHandler {
      const perPolicy = policies.map((p) => ({ types: typesRead(p), handler: alone(p) }));
      return (call, callback) => {
        const request = call.request as AnalyzeStackRequest;
        if (request.getResourcesList().some((r) => !r.getOptions())) return all(call, callback);
        return policyByPolicy(call, callback).catch((error: unknown) => callback(error, undefined));
      };

      async function policyByPolicy(call: { request: unknown }, callback: RpcCallback): Promise<void> {
        const request = call.request as AnalyzeStackRequest;
        const resources = request.getResourcesList();
        const at = (index: Map<string, number[]>, key: string) => index.get(key) ?? [];
        const index = (key: (r: AnalyzerResource) => string) => {
          const byKey = new Map<string, number[]>();
          resources.forEach((r, i) => {
            const k = key(r);
            const list = byKey.get(k);
            if (list) list.push(i);
            else byKey.set(k, [i]);
          });
          return byKey;
        };
        const byType = index((r) => r.getType());
        const byUrn = index((r) => r.getUrn());
        const dependedOn = new Map<number, number[]>();
        const dependenciesOf = (i: number) => {
          let found = dependedOn.get(i);
          if (found === undefined) {
            found = [];
            for (const [, deps] of (resources[i] as AnalyzerResource).getPropertydependenciesMap().entries())
              for (const urn of deps.getUrnsList()) found.push(...at(byUrn, urn));
            dependedOn.set(i, found);
          }
          return found;
        };
        const diagnostics: ReturnType<AnalyzeResponse["getDiagnosticsList"]> = [];
        const notApplicable: ReturnType<AnalyzeResponse["getNotApplicableList"]> = [];
        for (const { types, handler } of perPolicy) {
          let policyCall = call;
          if (types !== undefined) {
            const picked = new Set<number>();
            for (const type of types)
              for (const i of at(byType, type)) {
                picked.add(i);
                for (const j of dependenciesOf(i)) picked.add(j);
              }
            const narrowed = new proto.AnalyzeStackRequest();
            narrowed.setResourcesList([...picked].sort((a, b) => a - b).map((i) => resources[i] as AnalyzerResource));
            policyCall = Object.create(call, { request: { value: narrowed } }) as typeof call;
          }
          const [error, response] = await new Promise<[unknown, AnalyzeResponse | undefined]>((resolve) => {
            handler(policyCall, (e, r) => resolve([e, r]));
          });
          if (error || !response) {
            callback(error, undefined);
            return;
          }
          diagnostics.push(...response.getDiagnosticsList());
          notApplicable.push(...response.getNotApplicableList());
        }
        // As the server's makeAnalyzeResponse: the diagnostics always, the notes when there are any.
        const joined = new proto.AnalyzeResponse();
        joined.setDiagnosticsList(diagnostics);
        if (notApplicable.length > 0) joined.setNotApplicableList(notApplicable);
        callback(undefined, joined);
      }
    }
  };
  server.__narrowed = true;
}

/**
 * An output's value when known, else undefined (a preview's computed value). Uses the SDK's
 * internal `isKnown`/`promise()`, as its own apply does; a transform may await it.
 */
export async function knownOutputValue(output: unknown): Promise<unknown> {
  const o = output as { isKnown: Promise<boolean>; promise(withUnknowns?: boolean): Promise<unknown> };
  return (await o.isKnown) ? o.promise() : undefined;
}
