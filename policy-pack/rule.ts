import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";

/** Where a rule comes from: its row(s) in docs' policy catalogue and the public controls it matches. */
export interface RuleReferences {
  readonly catalogue: readonly number[];
  readonly fsbp: readonly string[];
  readonly checkov: readonly string[];
}

export interface RuleMeta {
  readonly references: RuleReferences;
  /** Type tokens the rule reads, v7 names first, then deprecated aliases. */
  readonly resourceTypes: readonly string[];
}

export type HuntazePolicy = (ResourceValidationPolicy | StackValidationPolicy) & RuleMeta;

function describe(summary: string, refs: RuleReferences): string {
  const parts = [
    refs.fsbp.length ? `FSBP ${refs.fsbp.join(", ")}` : "",
    refs.checkov.length ? `Checkov ${refs.checkov.join(", ")}` : "",
  ];
  const tail = parts.filter(Boolean).join("; ");
  return tail ? `${summary} [${tail}]` : summary;
}

interface RuleSpec {
  readonly name: string;
  readonly summary: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly references: RuleReferences;
  readonly resourceTypes: readonly string[];
  readonly configSchema?: PolicyConfigSchema;
}

/** What a rule's check receives: the resource's inputs, its config, and a way to report. */
export interface ResourceCheck {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  // biome-ignore lint/suspicious/noExplicitAny: inputs are untyped property bags on the wire.
  readonly props: Record<string, any>;
  readonly config: Record<string, unknown>;
  readonly args: ResourceValidationArgs;
  report(message: string): void;
}

export function resourceRule(spec: RuleSpec & { check(r: ResourceCheck): void }): HuntazePolicy {
  return {
    name: spec.name,
    description: describe(spec.summary, spec.references),
    enforcementLevel: spec.enforcementLevel,
    configSchema: spec.configSchema,
    references: spec.references,
    resourceTypes: spec.resourceTypes,
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      if (!spec.resourceTypes.includes(args.type)) return;
      spec.check({
        type: args.type,
        name: args.name,
        urn: args.urn,
        props: args.props,
        config: args.getConfig<Record<string, unknown>>(),
        args,
        report: (message) => report(message),
      });
    },
  };
}

export interface StackCheck {
  readonly resources: PolicyResource[];
  readonly config: Record<string, unknown>;
  ofType(types: readonly string[]): PolicyResource[];
  report(resource: PolicyResource, message: string): void;
}

export function stackRule(spec: RuleSpec & { check(s: StackCheck): void }): HuntazePolicy {
  return {
    name: spec.name,
    description: describe(spec.summary, spec.references),
    enforcementLevel: spec.enforcementLevel,
    configSchema: spec.configSchema,
    references: spec.references,
    resourceTypes: spec.resourceTypes,
    validateStack: (args, report) => {
      spec.check({
        resources: args.resources,
        config: args.getConfig<Record<string, unknown>>(),
        ofType: (types) => args.resources.filter((r) => types.includes(r.type)),
        report: (resource, message) => report(message, resource.urn),
      });
    },
  };
}
