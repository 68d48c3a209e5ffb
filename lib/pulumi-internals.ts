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

/** @pulumi/policy's proxy that makes unknown (computed) values throw when a rule reads them. */
export function unknownCheckingProxy(props: unknown): unknown {
  const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy(props: unknown): unknown };
  return proxy.unknownCheckingProxy(props);
}

interface PolicyDeserialize {
  deserializeProperties(struct: object, proxySecrets: boolean): unknown;
  __shared?: true;
}

/** What @pulumi/policy's server calls to turn a request's Struct into a rule's `props` (shared or not). */
export function policyDeserializeProperties(struct: object, proxySecrets: boolean): unknown {
  return (require("@pulumi/policy/deserialize") as PolicyDeserialize).deserializeProperties(struct, proxySecrets);
}

/**
 * @pulumi/policy's server deserializes a resource's properties once per policy: `Analyze` turns the
 * request's Struct into plain values again for every rule, and `AnalyzeStack` turns every resource's
 * Struct again for every stack rule (rules × resources; most of a 5,000-resource policy check).
 * The Struct messages are the same objects each time (protobuf caches wrapper fields), so the result
 * is kept per Struct and shared: rules only read it (through `unknownCheckingProxy`, and this pack's
 * rules copy it with `plain()` before looking), and it is dropped with its request.
 * Installed once by the pack's entry point; a no-op when called again.
 */
export function shareDeserializedProperties(): void {
  const deserialize = require("@pulumi/policy/deserialize") as PolicyDeserialize;
  if (deserialize.__shared) return;
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

/**
 * An output's value when known, else undefined (a preview's computed value). Uses the SDK's
 * internal `isKnown`/`promise()`, as its own apply does; a transform may await it.
 */
export async function knownOutputValue(output: unknown): Promise<unknown> {
  const o = output as { isKnown: Promise<boolean>; promise(withUnknowns?: boolean): Promise<unknown> };
  return (await o.isKnown) ? o.promise() : undefined;
}
