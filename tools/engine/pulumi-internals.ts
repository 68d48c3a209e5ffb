// Pulumi SDK internals the offline engine needs. They are marked @internal (absent from the .d.ts
// files) but are what `pulumi.runtime.setMocks` itself uses; typing them here keeps every `require`
// of private API in one place, so an SDK upgrade that moves them breaks one file.

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
}

const state = require("@pulumi/pulumi/runtime/state") as { getStore(): RuntimeStore };
const settings = require("@pulumi/pulumi/runtime/settings") as {
  setMockOptions(monitor: unknown, project?: string, stack?: string, preview?: boolean, organization?: string): void;
  waitForRPCs(): Promise<void>;
  getStack(): string;
  getProject(): string;
};

export const getRuntimeStore = state.getStore;
export const setMockOptions = settings.setMockOptions;
export const waitForRPCs = settings.waitForRPCs;

const config = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/** Whether a "namespace:key" config value was stored with --secret. */
export const isConfigSecret = config.isConfigSecret;
