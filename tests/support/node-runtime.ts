// Mocha root hook (loaded by .mocharc.json): says once which Node the suite runs on, and fails the run
// when it is older than package.json's engines — the tests must exercise the Node the project ships.

import * as fs from "node:fs";
import * as path from "node:path";

const packageJson = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "package.json"), "utf8")) as {
  engines: { node: string };
};

/** The lowest Node major `engines.node` (">=N") accepts. */
export const MINIMUM_NODE_MAJOR = Number(/^>=\s*(\d+)/.exec(packageJson.engines.node)?.[1]);

export const mochaHooks = {
  beforeAll(): void {
    const major = Number(process.versions.node.split(".")[0]);
    const source =
      process.env.HUNTAZE_SYSTEM_NODE === "1" ? "the system's node (HUNTAZE_SYSTEM_NODE=1)" : "the project's node";
    console.log(`  tests run on Node ${process.version} (${source}: ${process.execPath})`);
    if (!(major >= MINIMUM_NODE_MAJOR))
      throw new Error(
        `the tests need Node ${MINIMUM_NODE_MAJOR} or newer (package.json engines), got ${process.version}`,
      );
  },
};
