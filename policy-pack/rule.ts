import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

// The pack's rule types. Rules are written with lib/inspect.ts (`resourcePolicy`, `stackPolicy`).

/** Where a rule comes from: its row(s) in docs' policy catalogue and the public controls it matches. */
export interface RuleReferences {
  readonly catalogue: readonly number[];
  readonly fsbp: readonly string[];
  readonly checkov: readonly string[];
  /**
   * Why the rule has no row in docs' policy catalogue (a trap outside it); such a rule has an
   * empty `catalogue`. @default - the rule covers catalogue rows
   */
  readonly beyondCatalogue?: string;
}

export interface RuleMeta {
  readonly references: RuleReferences;
  /** Type tokens the rule reads, v7 names first, then deprecated aliases. */
  readonly resourceTypes: readonly string[];
}

export type HuntazePolicy = (ResourceValidationPolicy | StackValidationPolicy) & RuleMeta;
