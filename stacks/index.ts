// Entry point of the Pulumi program (Pulumi.yaml `main`): `pulumi preview` / `pulumi up` run this.
import { adoptExisting } from "./adoption";
import { loadStackConfig } from "./config";
import { buildStack } from "./program";

const config = loadStackConfig();
// Before any resource: what the stack's inventory holds is adopted, not created (stacks/adoption.ts).
adoptExisting();
export = buildStack(config);
