import { previewStack } from "../../tools/engine/preview";
import type { RecordedResource } from "../../tools/engine/recorder";

// The production stack's records for tests that need a real, large stack. The offline preview runs
// the program's entry module with require(), which runs a module once per process: a second preview
// in the same mocha process records nothing but the stack. So every test file takes them from here.

let production: Promise<RecordedResource[]> | undefined;

/** The records of one offline preview of the production stack (the pack's verdicts are not kept). */
export function productionRecords(): Promise<RecordedResource[]> {
  production ??= (async () => {
    let recorded: RecordedResource[] = [];
    await previewStack({
      stack: "production",
      onRecorded: (resources) => {
        recorded = resources;
        return undefined;
      },
    });
    return recorded;
  })();
  return production;
}
