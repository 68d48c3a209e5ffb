#!/usr/bin/env node
// `npx huntaze-policy-check --state FILE | --list`: the policy check (tools/policy-check.ts) of a
// `pulumi stack export` file as the installed package's bin, with the package's compiled pack.
import { setEngineHome } from "../engine/home";
import { checkNodeVersion, consumerHome, exitWith } from "./consumer";

try {
  checkNodeVersion("huntaze-policy-check");
  setEngineHome(consumerHome(process.cwd(), "huntaze-policy-check"));
} catch (error) {
  exitWith(error);
}
require("../policy-check");
