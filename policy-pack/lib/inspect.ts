import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import type { HuntazePolicy, RuleReferences } from "../rule";

// Rules read a plain snapshot of a resource's properties instead of @pulumi/policy's proxy, which
// throws on the first unknown value it meets (during preview, anything computed from another
// resource). In the snapshot an unknown value is the `UNKNOWN` symbol: a rule decides what it can
// from the known fields and records what it could not, and when it reported nothing the pack marks
// the rule not applicable with a note that `pulumi up` checks it again.

const RECHECK_NOTE = "this value is unknown until apply; the rule checks it again on `pulumi up`";

export const UNKNOWN: unique symbol = Symbol.for("huntaze.policy.unknown");
export type Unknown = typeof UNKNOWN;

// The engine's sentinels for unknown values (@pulumi/policy proxy.ts), also recognised when a value
// reaches a rule without the proxy (unit tests, tools that load the rules directly).
const sentinels = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

/**
 * The plain snapshot of a rule's `props`. @pulumi/policy hands them wrapped in its unknown-checking
 * proxy, which wraps again every object read through it; the snapshot is taken from the object the
 * proxy wraps instead, where an unknown is the engine's sentinel string that `plain` turns into
 * `UNKNOWN` just as it turns the proxy's throw into it.
 */
function snapshot(props: unknown): Props {
  proxyTarget ??= (require("../../lib/pulumi-internals") as typeof import("../../lib/pulumi-internals")).proxyTarget;
  return (plain(proxyTarget(props)) ?? {}) as Props;
}

/**
 * lib/pulumi-internals' `proxyTarget`, required when a rule first runs: the rule list and the tools
 * that only read the rules' metadata never load the SDK runtime that module loads. (Kept once: a
 * bundler's `require` of a bundled ES module copies its exports on every call.)
 */
let proxyTarget: ((value: unknown) => unknown) | undefined;

/** A deep copy of `value` with every unknown (thrown by the proxy, or a raw sentinel) replaced by `UNKNOWN`. */
export function plain(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return sentinels.has(value) ? UNKNOWN : value;
  if (value === null || typeof value !== "object" || depth > 40) return value;
  const field = (key: string | number): unknown => {
    try {
      return plain((value as Record<string | number, unknown>)[key], depth + 1);
    } catch {
      return UNKNOWN;
    }
  };
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(field(i));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value; // assets, archives
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = field(key);
  return out;
}

export type Props = Record<string, unknown>;

/** Reads a dotted path of a plain snapshot; `UNKNOWN` as soon as a step is unknown. */
export function at(props: unknown, path: string): unknown {
  let current: unknown = props;
  for (const step of path.split(".")) {
    if (isUnknown(current)) return UNKNOWN;
    if (current === undefined || current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** `value` as an array (a lone object becomes a one-element array; absent becomes []). */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** True when `value` or anything inside it is unknown. */
export function hasUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasUnknown);
  return false;
}

/** Parses JSON text (or passes an object through); `undefined` when absent or unknown, `null` when invalid. */
export function parseJson(value: unknown): unknown {
  if (value === undefined || value === null || value === "" || isUnknown(value)) return undefined;
  if (typeof value !== "string") return value;
  try {
    return plain(JSON.parse(value));
  } catch {
    return null;
  }
}

function describe(summary: string, refs: RuleReferences): string {
  const parts = [
    refs.fsbp.length ? `FSBP ${refs.fsbp.join(", ")}` : "",
    refs.checkov.length ? `Checkov ${refs.checkov.join(", ")}` : "",
  ];
  const tail = parts.filter(Boolean).join("; ");
  return tail ? `${summary} [${tail}]` : summary;
}

export interface Spec {
  readonly name: string;
  readonly summary: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly references: RuleReferences;
  readonly resourceTypes: readonly string[];
  readonly configSchema?: PolicyConfigSchema;
}

/** What a resource rule's check sees. */
export interface Resource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Plain snapshot of the properties (inputs for Analyze, outputs for AnalyzeStack). */
  readonly props: Props;
  /** Property name -> URNs it was computed from (stack rules only). */
  readonly dependsOn: Record<string, string[]>;
  /** The `protect` option: the resource holds data no plan may delete (an existing, adopted one here). */
  readonly protect: boolean;
}

export interface Check {
  readonly resource: Resource;
  readonly props: Props;
  readonly config: Record<string, unknown>;
  report(message: string): void;
  /** Records that `what` is unknown during preview (it is checked again on `pulumi up`). */
  unknown(what: string): void;
  /** Records why the rule does not judge this resource here (e.g. its settings belong to another resource). */
  outside(why: string): void;
}

export interface StackCheck {
  readonly resources: Resource[];
  readonly config: Record<string, unknown>;
  ofType(types: readonly string[]): Resource[];
  report(resource: Resource, message: string): void;
  unknown(what: string): void;
  /** Records a part the rule cannot check in this stack at all (e.g. a resource declared elsewhere). */
  outside(why: string): void;
}

function finish(
  unknowns: string[],
  reported: number,
  notApplicable: (reason: string) => void,
  outside: string[] = [],
): void {
  if (reported > 0 || (unknowns.length === 0 && outside.length === 0)) return;
  const parts = [...new Set(outside)];
  if (unknowns.length) parts.push(`${[...new Set(unknowns)].join(", ")}: ${RECHECK_NOTE}`);
  notApplicable(parts.join("; "));
}

/** What every rule declares, whichever call (Analyze or AnalyzeStack) it answers. */
function metadata(spec: Spec) {
  return {
    name: spec.name,
    description: describe(spec.summary, spec.references),
    enforcementLevel: spec.enforcementLevel,
    configSchema: spec.configSchema,
    references: spec.references,
    resourceTypes: spec.resourceTypes,
  };
}

/** Rules made here -> the types they read: their validate functions read nothing of a resource of another type. */
const reads = new WeakMap<object, readonly string[]>();

/**
 * The resource types a rule made by `resourcePolicy` or `stackPolicy` reads: for a resource of any
 * other type its validate function returns at once (no report, no not-applicable note), and a stack
 * rule reads nothing of another resource but the `propertyDependencies` links to it (`dependsOn`).
 * undefined for any other policy. The pack's server runs a rule only on what it reads (index.ts).
 */
export function typesRead(policy: object): readonly string[] | undefined {
  return reads.get(policy);
}

/** A rule over one resource at a time (the CLI's Analyze call). */
export function resourcePolicy(spec: Spec & { check(c: Check): void }): HuntazePolicy {
  const rule: HuntazePolicy = {
    ...metadata(spec),
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
      if (!spec.resourceTypes.includes(args.type)) return;
      const props = snapshot(args.props);
      const resource: Resource = {
        type: args.type,
        name: args.name,
        urn: args.urn,
        props,
        dependsOn: {},
        protect: args.opts?.protect === true,
      };
      const unknowns: string[] = [];
      const outside: string[] = [];
      let reported = 0;
      spec.check({
        resource,
        props,
        config: args.getConfig<Record<string, unknown>>() ?? {},
        report: (message) => {
          reported++;
          // The CLI fills in the analyzed resource's URN when none is given; naming it keeps tools
          // that read the diagnostics directly (the offline engine) pointing at the right resource.
          report(message, args.urn);
        },
        unknown: (what) => unknowns.push(what),
        outside: (why) => outside.push(why),
      });
      finish(unknowns, reported, args.notApplicable, outside);
    },
  };
  reads.set(rule, spec.resourceTypes);
  return rule;
}

function toResource(r: PolicyResource): Resource {
  const dependsOn: Record<string, string[]> = {};
  for (const [key, deps] of Object.entries(r.propertyDependencies ?? {})) dependsOn[key] = deps.map((d) => d.urn);
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: snapshot(r.props),
    dependsOn,
    protect: r.opts?.protect === true,
  };
}

/** A rule over the whole stack (the CLI's AnalyzeStack call), for checks that join resources. */
export function stackPolicy(spec: Spec & { check(s: StackCheck): void }): HuntazePolicy {
  const rule: HuntazePolicy = {
    ...metadata(spec),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const relevant = args.resources.filter((r) => spec.resourceTypes.includes(r.type)).map(toResource);
      const unknowns: string[] = [];
      const outside: string[] = [];
      let reported = 0;
      spec.check({
        resources: relevant,
        config: args.getConfig<Record<string, unknown>>() ?? {},
        ofType: (types) => relevant.filter((r) => types.includes(r.type)),
        report: (resource, message) => {
          reported++;
          report(message, resource.urn);
        },
        unknown: (what) => unknowns.push(what),
        outside: (why) => outside.push(why),
      });
      finish(unknowns, reported, args.notApplicable, outside);
    },
  };
  reads.set(rule, spec.resourceTypes);
  return rule;
}

/** `name` (`props.name`/`bucket`/...) for messages: the physical name when known, else the Pulumi name. */
export function label(r: Resource, ...keys: string[]): string {
  for (const key of [...keys, "name"]) {
    const v = r.props[key];
    if (typeof v === "string" && v.length > 0 && v !== r.name) return `${r.name} ("${v}")`;
  }
  return r.name;
}

/** Identifiers another resource may use to refer to `r`: its id, name, arn and the given keys. */
export function identifiers(r: Resource, ...keys: string[]): Set<string> {
  const ids = new Set<string>();
  for (const key of ["id", "name", "arn", ...keys]) {
    const v = r.props[key];
    if (typeof v === "string" && v.length > 0) ids.add(v);
  }
  return ids;
}

/**
 * Whether `from.props[key]` refers to `to`: by the engine's property dependency (reliable during
 * preview, when the id is still unknown), else by value against `to`'s identifiers.
 */
export function refersTo(from: Resource, key: string, to: Resource, ...toKeys: string[]): boolean {
  if ((from.dependsOn[key] ?? []).includes(to.urn)) return true;
  const ids = identifiers(to, ...toKeys);
  const values = asArray(from.props[key]).filter((v): v is string => typeof v === "string");
  return values.some((v) => ids.has(v) || [...ids].some((id) => v.endsWith(`:${id}`) || v.endsWith(`/${id}`)));
}

/** A non-secret input value for a message; safe on unknowns nested anywhere (never throws). */
export function show(value: unknown): string {
  if (isUnknown(value)) return "unknown until apply";
  if (value === undefined || value === null) return "not set";
  try {
    const text = JSON.stringify(value, (_key, v) => (isUnknown(v) ? "<unknown>" : v));
    return text === undefined ? "an unreadable value" : text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return "an unreadable value";
  }
}
