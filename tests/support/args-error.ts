import { expect } from "chai";
import { ArgsError } from "../../components/spec";
import type { RecordedResource } from "../../tools/engine/recorder";
import { record } from "./pulumi-harness";

/**
 * The ArgsError `make` throws when run inside the test mocks (as a program from another project
 * would run it), and the resources registered by then: a component that checks its args first has
 * registered only itself.
 */
export async function argsErrorOf(make: () => void): Promise<{ error: ArgsError; resources: RecordedResource[] }> {
  let error: unknown;
  const run = await record(() => {
    try {
      make();
    } catch (e) {
      error = e;
    }
  });
  expect(error, String(error)).to.be.instanceOf(ArgsError);
  return { error: error as ArgsError, resources: run.resources };
}
