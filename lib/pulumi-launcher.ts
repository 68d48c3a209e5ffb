// The one SDK-internal path needed to start a policy pack, apart from lib/pulumi-internals.ts (which
// re-exports it) because that module loads a good part of the SDK runtime on import, and a command
// starts the pack first so the pack's own start overlaps loading the rest (tools/engine/pack-process.ts).

/** The script the Pulumi CLI runs to start a policy pack as an Analyzer plugin. */
export function policyPackLauncher(fromDir: string): string {
  return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [fromDir] });
}
