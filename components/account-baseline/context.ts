import type * as pulumi from "@pulumi/pulumi";
import type * as v from "valibot";
import type { AccountBaselineSpec } from "../specs/account-baseline";

/** AccountBaseline's args resolved: the spec's defaults applied, and the trail name computed. */
export type ResolvedBaselineArgs = v.InferOutput<typeof AccountBaselineSpec> & { readonly trailName: string };

/**
 * What every concern of the baseline builds from: the component's name (children are named
 * `${name}-<part>`, parented to the component, so their URNs are the ones AccountBaseline always had),
 * the resolved args, and the account and region the stack deploys to.
 */
export interface Baseline {
  readonly name: string;
  readonly parent: pulumi.ComponentResource;
  readonly s: ResolvedBaselineArgs;
  readonly accountId: pulumi.Output<string>;
  readonly region: pulumi.Output<string>;
}
