// One resource type a cited Checkov check covers, as its source declares it
// (`supported_resources` of a resource check in checkov/terraform/checks/resource/aws/<Check>.py, or
// `resource_types` of a graph check in checkov/terraform/checks/graph_checks/aws/<Check>.yaml),
// with the @pulumi/aws v7 type tokens of that Terraform type (the current token first, then the
// deprecated aliases the rules also match). A type the pack deliberately does not judge says why in
// `notJudged`, and the rule citing the check says so in its description ("unlike <check id>").

export interface CoveredType {
  readonly check: string;
  /** The Terraform resource type, as Checkov names it. */
  readonly terraform: string;
  /** The Pulumi type tokens a rule citing the check must read. */
  readonly pulumi?: readonly string[];
  /** Why no rule judges this type (required when `pulumi` is absent). */
  readonly notJudged?: string;
}
