import { expect } from "chai";
import { ArgsError } from "../../components/spec";
import type { RecordedResource } from "../../tools/engine/recorder";
import { record } from "./pulumi-harness";

/**
 * Runs `make` inside the test mocks, as a program from another project would run it: the error it
 * threw (none when the args were good), the resources registered by then, and among them the
 * children — the custom resources (AWS, random, …), none for a component that checks its args
 * before it creates anything (components and the default providers are not children).
 */
export async function attempt(
  make: () => unknown,
): Promise<{ error?: Error; resources: RecordedResource[]; children: string[] }> {
  let error: Error | undefined;
  const run = await record(() => {
    try {
      make();
    } catch (e) {
      error = e as Error;
    }
  });
  const children = run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.urn);
  return { ...(error ? { error } : {}), resources: run.resources, children };
}

/** `attempt`, where `make` must throw an ArgsError (a named error, not a TypeError). */
export async function argsErrorOf(make: () => void): Promise<{ error: ArgsError; resources: RecordedResource[] }> {
  const { error, resources } = await attempt(make);
  expect(error, String(error)).to.be.instanceOf(ArgsError);
  return { error: error as ArgsError, resources };
}
