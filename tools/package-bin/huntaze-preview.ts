#!/usr/bin/env node
// `npx huntaze-preview --stack dev [--all] [--json | --markdown] [--cost] [--diagram FILE] ...`:
// the offline preview (tools/preview.ts) as the installed package's bin, in the project it is run
// from, with the package's compiled policy pack. `--help` lists every option.
import { setEngineHome } from "../engine/home";
import { checkNodeVersion, consumerHome, exitWith, registerTypeScript } from "./consumer";

try {
  checkNodeVersion("huntaze-preview");
  const home = consumerHome(process.cwd(), "huntaze-preview");
  setEngineHome(home);
  // @pulumi/pulumi's closure-serialization dependencies, loaded only if a program serializes a function.
  require("../engine/lazy-closure-deps.js");
  registerTypeScript(home.root);
} catch (error) {
  exitWith(error);
}
require("../preview");
