// Entry point of the Pulumi program (Pulumi.yaml `main`): `pulumi preview` / `pulumi up` run this.
import { loadStackConfig } from "./config";
import { buildStack } from "./program";

export = buildStack(loadStackConfig());
