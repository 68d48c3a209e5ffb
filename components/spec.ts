import * as pulumi from "@pulumi/pulumi";
import * as v from "valibot";
import { didYouMean } from "../lib/did-you-mean";

// One validator for every component's args and every stack config section.
//
// A component's spec module states its args as data: each field is a valibot schema built with the
// vocabulary below (`integer`, `text`, `oneOf`, …), which gives every issue one message, the
// field's "allowed" text; defaults are `v.optional(field, default)`; cross-field rules are `rule`s.
// The component resolves its args with `resolveArgs` (every problem in one named error), the stack
// reads its `huntaze:<section>` against the same fields with `readSpec`, and the package README's
// args tables show each field's allowed values and default from `describeField`.
//
// Why valibot and not zod: the preview loads every component, so the validator's load time is paid
// on every `pulumi preview`. Measured with the project's Node 24 (`require()` of the package and one
// small object schema, median of 3 cold processes, 2026-12-07): valibot 1.5.0 7.3 ms, zod 4.6.7
// 72 ms, zod/mini 4.6.7 61 ms. valibot is also modular (tree-shaken into the Lambda bundles).

/** One problem: the field's full path, what is allowed, and what was given (masked when secret). */
export interface Problem {
  readonly key: string;
  readonly allowed: string;
  readonly got: string;
}

export function formatProblems(what: string, problems: readonly Problem[]): string {
  const lines = problems.map((p) => `  - ${p.key}: expected ${p.allowed}, got ${p.got}`);
  return `${what} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

/**
 * A component was given args it cannot build from. A RunError, so `pulumi up` prints the list of
 * problems without a stack trace; thrown before any child resource is registered.
 */
export class ArgsError extends pulumi.RunError {
  constructor(
    readonly component: string,
    readonly resourceName: string,
    readonly problems: readonly Problem[],
  ) {
    super(formatProblems(`${component} "${resourceName}": invalid arguments`, problems));
    this.name = "ArgsError";
  }
}

// --- The vocabulary ---------------------------------------------------------------------------

/** A field: a schema whose every issue carries the field's allowed text as its message. */
export type Field<TOut = unknown> = v.GenericSchema<unknown, TOut>;

const ALLOWED = new WeakMap<object, string>();

/** Labels `schema` with `allowed` (what `describeField` and the docs show). */
function labelled<S extends object>(schema: S, allowed: string): S {
  ALLOWED.set(schema, allowed);
  return schema;
}

function range(min?: number, max?: number, gt?: number): string {
  return [gt !== undefined ? `> ${gt}` : "", min !== undefined ? `≥ ${min}` : "", max !== undefined ? `≤ ${max}` : ""]
    .filter(Boolean)
    .join(" and ");
}

// Pulumi passes top-level stack config as strings ("5", "true"): numbers and flags accept their
// string forms, so one field serves a component's args and a stack's config alike.
const NUMERIC = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
function toNumber(x: unknown): unknown {
  return typeof x === "string" && NUMERIC.test(x.trim()) ? Number(x) : x;
}

/** A finite number within the bounds (inclusive `min`/`max`, exclusive `gt`). */
export function number(b: { min?: number; max?: number; gt?: number } = {}): Field<number> {
  const allowed = `a number${range(b.min, b.max, b.gt) ? ` ${range(b.min, b.max, b.gt)}` : ""}`;
  return labelled(
    v.pipe(
      v.unknown(),
      v.transform(toNumber),
      v.number(allowed),
      v.finite(allowed),
      v.check((n) => b.gt === undefined || n > b.gt, allowed),
      v.check((n) => b.min === undefined || n >= b.min, allowed),
      v.check((n) => b.max === undefined || n <= b.max, allowed),
    ),
    allowed,
  );
}

/** An integer from `min` to `max` inclusive. */
export function integer(min: number, max: number): Field<number> {
  const allowed = `an integer from ${min} to ${max}`;
  return labelled(
    v.pipe(
      v.unknown(),
      v.transform(toNumber),
      v.number(allowed),
      v.integer(allowed),
      v.minValue(min, allowed),
      v.maxValue(max, allowed),
    ),
    allowed,
  );
}

/** true or false (or their string forms). */
export function flag(): Field<boolean> {
  const allowed = "true or false";
  return labelled(
    v.pipe(
      v.unknown(),
      v.transform((x) => (x === "true" ? true : x === "false" ? false : x)),
      v.boolean(allowed),
    ),
    allowed,
  );
}

/** A string matching `pattern`; `allowed` says it in words (cite the AWS rule beside the pattern). */
export function text(pattern: RegExp, allowed: string): Field<string> {
  return labelled(v.pipe(v.string(allowed), v.regex(pattern, allowed)), allowed);
}

/** Any non-empty string (after trimming). */
export function nonEmpty(allowed = "a non-empty string"): Field<string> {
  return labelled(
    v.pipe(
      v.string(allowed),
      v.check((s) => s.trim().length > 0, allowed),
    ),
    allowed,
  );
}

/** One of the listed values. */
export function oneOf<const T extends readonly string[]>(values: T): Field<T[number]> {
  const allowed = `one of ${values.join(", ")}`;
  return labelled(v.picklist(values, allowed), allowed);
}

/** A list of `item`s, at least `minItems` long. */
export function list<T>(item: Field<T>, b: { minItems?: number; maxItems?: number } = {}): Field<T[]> {
  const min = b.minItems ?? 0;
  const each = ALLOWED.get(item) ?? "a valid item";
  const allowed = `a list${min > 0 ? ` of at least ${min} item${min === 1 ? "" : "s"}` : ""}${b.maxItems !== undefined ? ` of at most ${b.maxItems} items` : ""}, each ${each}`;
  return labelled(
    v.pipe(
      v.array(item, allowed),
      v.minLength(min, allowed),
      v.check((a) => b.maxItems === undefined || a.length <= b.maxItems, allowed),
    ),
    allowed,
  );
}

/** An object of string values (tags). */
export function stringMap(): Field<Record<string, string>> {
  return labelled(
    v.record(v.string("a string"), v.string("a string"), "an object of string values"),
    "an object of string values",
  );
}

/** A value that is a Pulumi Output or Promise (checked by the provider at deploy) or else matches `field`. */
export function input<T>(field: Field<T>): Field<pulumi.Input<T>> {
  const allowed = ALLOWED.get(field) ?? "a valid value";
  const later = (x: unknown) => pulumi.Output.isInstance(x) || x instanceof Promise;
  return labelled(
    v.pipe(
      v.unknown(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        if (later(dataset.value)) return dataset.value as pulumi.Input<T>;
        const r = v.safeParse(field, dataset.value);
        if (r.success) return r.output as pulumi.Input<T>;
        addIssue({ message: allowed, input: dataset.value });
        return NEVER;
      }),
    ),
    allowed,
  );
}

/** Any value of the given kind, unchecked (a resource, a callback): required when not optional. */
export function present<T>(
  allowed: string,
  is: (x: unknown) => boolean = (x) => x !== undefined && x !== null,
): Field<T> {
  return labelled(
    v.custom<T>((x) => is(x), allowed),
    allowed,
  );
}

/** An integer ≥ `min`, with no upper bound (a version counter, a count threshold). */
export function integerAtLeast(min: number): Field<number> {
  const allowed = `an integer ≥ ${min}`;
  return labelled(
    v.pipe(v.unknown(), v.transform(toNumber), v.number(allowed), v.integer(allowed), v.minValue(min, allowed)),
    allowed,
  );
}

/** A missing required key's issue says what the field allows (valibot reports it on the object). */
function missingField(entries: v.ObjectEntries, issue: v.BaseIssue<unknown>): string | undefined {
  const path = issue.path ?? [];
  const key = (path[path.length - 1] as { key?: unknown } | undefined)?.key;
  if (issue.input !== undefined || typeof key !== "string" || !(key in entries)) return undefined;
  return ALLOWED.get(entries[key] as object) ?? "a value";
}

/**
 * An object with these fields. Unknown keys are problems (a typo is named, with the closest known
 * key), so use it for stack config sections and nested config objects; component args use `args`.
 */
export function strictObject<E extends v.ObjectEntries>(entries: E) {
  const known = Object.keys(entries).sort();
  const schema = v.strictObject(entries, (issue) => {
    if (issue.expected === "never") {
      const key = String(issue.input);
      return `no such setting${didYouMean(key, known)} (known: ${known.join(", ")})`;
    }
    return missingField(entries, issue) ?? "an object";
  });
  return labelled(schema, "an object");
}

/**
 * A component's args object: the same fields, unknown keys ignored (TypeScript already refuses
 * them, and a spread of a wider object must not fail). Missing args (`undefined`) read as `{}` so
 * every required field is named.
 */
export function args<E extends v.ObjectEntries>(entries: E) {
  return labelled(
    v.object(entries, (issue) => missingField(entries, issue) ?? "an object of arguments"),
    "an object of arguments",
  );
}

/**
 * A cross-field rule on an object spec's output `T` (`rule<v.InferOutput<typeof base>>(…)` in
 * `v.pipe(base, …)`), checked once the fields it reads are valid, so it is reported beside the
 * field problems rather than hidden by them; the problem is reported at the field `at`.
 */
export function rule<T extends object>(
  reads: readonly (keyof T & string)[],
  at: keyof T & string,
  allowed: string | ((value: T) => string),
  holds: (value: T) => boolean,
): v.BaseValidation<T, T, v.BaseIssue<unknown>> {
  // `allowed` may name the other fields' values (e.g. "not overlapping maintenanceWindow "sun:01:00-…"").
  const message = typeof allowed === "string" ? allowed : (issue: v.BaseIssue<unknown>) => allowed(issue.input as T);
  const check = v.partialCheck(reads.map((k) => [k]) as never, (value: unknown) => holds(value as T), message);
  return v.forward(check as never, [at] as never) as unknown as v.BaseValidation<T, T, v.BaseIssue<unknown>>;
}

/** One of the listed numbers (or its string form): CloudWatch Logs retentions, RDS monitoring intervals. */
export function oneOfNumbers<const T extends readonly number[]>(values: T): Field<T[number]> {
  const allowed = `one of ${values.join(", ")}`;
  return labelled(
    v.pipe(
      v.unknown(),
      v.transform(toNumber),
      v.number(allowed),
      v.check((n) => (values as readonly number[]).includes(n), allowed),
    ),
    allowed,
  ) as Field<T[number]>;
}

/** Whether no issue of `dataset` lies on one of `paths` ("$" matches any array index). */
function untouched(issues: readonly v.BaseIssue<unknown>[] | undefined, paths: readonly string[][]): boolean {
  for (const path of paths)
    for (const issue of issues ?? []) {
      const at = issue.path ?? [];
      const n = Math.min(path.length, at.length);
      let apart = false;
      for (let i = 0; i < n; i++) {
        const item = at[i] as { key: unknown; type: string };
        if (path[i] !== item.key && !(path[i] === "$" && item.type === "array")) {
          apart = true;
          break;
        }
      }
      if (!apart) return false;
    }
  return true;
}

/**
 * A cross-field rule like `rule`, reported as a problem of the field `at` with that field's value
 * as "got" (not the whole object), reading nested paths too (`"services.$.name"`: every service's
 * name, "$" any index), with an `allowed` text that may quote the other fields (e.g. "≥ 6 ×
 * lambdaTimeoutSeconds (180)"). Checked once the values it reads are valid, so a problem elsewhere
 * does not hide it, and a problem of a value it reads is not reported twice.
 */
export function fieldRule<T extends object>(
  reads: readonly string[],
  at: keyof T & string,
  allowed: string | ((value: T) => string),
  holds: (value: T) => boolean,
): v.BaseValidation<T, T, v.BaseIssue<unknown>> {
  const paths = reads.map((r) => r.split("."));
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    const issues = dataset.issues ?? [];
    // The object itself is wrong, or a value the rule reads is: that problem is reported already.
    // (Not `dataset.typed`: a value failing a check — a regex, a range — leaves the object typed.)
    if (issues.some((i) => (i.path ?? []).length === 0) || !untouched(issues, paths)) return;
    const value = dataset.value as T;
    if (value === null || typeof value !== "object" || holds(value)) return;
    const given = (value as Record<string, unknown>)[at];
    addIssue({
      message: typeof allowed === "function" ? allowed(value) : allowed,
      input: given,
      path: [{ type: "object", origin: "value", input: value as Record<string, unknown>, key: at, value: given }],
    });
  }) as unknown as v.BaseValidation<T, T, v.BaseIssue<unknown>>;
}

/**
 * `field`, further limited to the values `holds` accepts, with one message for every refusal
 * (`allowed`): e.g. an integer that must also be one of CloudWatch Logs' retention periods.
 */
export function refine<T>(field: Field<T>, allowed: string, holds: (value: T) => boolean): Field<T> {
  return labelled(
    v.pipe(
      v.unknown(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        const r = v.safeParse(field, dataset.value);
        if (r.success && holds(r.output)) return r.output;
        addIssue({ message: allowed, input: dataset.value });
        return NEVER;
      }),
    ),
    allowed,
  );
}

/**
 * `schema` described as `allowed` where a field is missing or shown in the docs (e.g. a nested
 * args object with its rules: "an object { host, port?, … }").
 */
export function describedAs<S extends object>(schema: S, allowed: string): S {
  return labelled(schema, allowed);
}

/** Required nested args objects (`group`): the docs show them required though they read `undefined` as `{}`. */
const GROUPS = new WeakSet<object>();

/**
 * A required nested args object (`costTopic: { arn, name }`). When it is missing, each of its
 * required fields is named (`costTopic.arn`, `costTopic.name`), as `resolveArgs` does for missing
 * top-level args, rather than the object alone.
 */
export function group<E extends v.ObjectEntries>(entries: E) {
  const inner = args(entries);
  const schema = v.optional(inner, () => ({}) as v.InferInput<typeof inner>);
  GROUPS.add(schema);
  return labelled(schema, `an object with ${Object.keys(entries).join(", ")}`);
}

/**
 * `true`, `false` (or their string forms) or an object matching `object`: a setting that is either
 * switched on or given details (`anomalyMonitor: true` or `{ existingArn }`). Unlike `v.union`, an
 * object's problems are reported at its own fields.
 */
export function flagOr<T>(object: Field<T>): Field<boolean | T> {
  const yesNo = flag();
  const allowed = `true, false or ${ALLOWED.get(object) ?? "an object"}`;
  const schema = {
    ...v.unknown(),
    type: "flag_or",
    expects: allowed,
    /** The object form's schema (a stack section test compares it with the component's). */
    object,
    "~run"(dataset: v.UnknownDataset, config: v.Config<v.BaseIssue<unknown>>) {
      const x = dataset.value;
      const isObject = typeof x === "object" && x !== null && !Array.isArray(x);
      return (isObject ? object : yesNo)["~run"](dataset, config);
    },
  };
  // The spread copied v.unknown()'s standard-schema props: validate with this schema's run instead.
  schema["~standard"] = {
    ...schema["~standard"],
    validate: ((value: unknown) => schema["~run"]({ value }, {})) as never,
  };
  return labelled(schema as unknown as Field<boolean | T>, allowed);
}

// --- Reading ----------------------------------------------------------------------------------

/** What a problem says was given for a missing key. */
export const MISSING = "nothing (the key is missing)";

/** What a problem says was given: the value as JSON, or that it is missing, or masked when secret. */
export function showGiven(value: unknown, secret: boolean): string {
  if (value === undefined) return MISSING;
  if (secret) return "a secret value (not shown)";
  if (pulumi.Output.isInstance(value)) return "an Output";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function pathOf(prefix: string, issue: v.BaseIssue<unknown>): string {
  let out = prefix;
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" || out.endsWith(":") ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** The problems of a failed parse, one per field (the first issue of each), in order. */
export function problemsOf(
  issues: readonly v.BaseIssue<unknown>[],
  prefix = "",
  secretKeys: ReadonlySet<string> = new Set(),
): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const key = pathOf(prefix, issue);
    if (seen.has(key)) continue;
    seen.add(key);
    const path = issue.path ?? [];
    // An unknown key's issue has the key as input, a rule's the whole object; show the field's value instead.
    const atField = (issue.type === "strict_object" && issue.expected === "never") || issue.type === "partial_check";
    const got = atField ? (path[path.length - 1] as { value: unknown } | undefined)?.value : issue.input;
    const secret = [...secretKeys].some((s) => key === s || key.startsWith(`${s}.`) || key.startsWith(`${s}[`));
    out.push({ key, allowed: issue.message, got: showGiven(got, secret) });
  }
  return out;
}

/**
 * A component's resolve step: `args` checked against `spec`, defaults applied. Throws one
 * `ArgsError` naming every problem (the field, what is allowed, what was given).
 */
export function resolveArgs<S extends v.GenericSchema>(
  component: string,
  resourceName: string,
  spec: S,
  given: unknown,
  opts: { secretFields?: readonly string[] } = {},
): v.InferOutput<S> {
  const r = v.safeParse(spec, given ?? {});
  if (r.success) return r.output;
  throw new ArgsError(component, resourceName, problemsOf(r.issues, "", new Set(opts.secretFields ?? [])));
}

/**
 * A stack's config section read against `spec`: problems are appended to `problems` (keys under
 * `prefix`, e.g. "huntaze:finops"), and the output is undefined when there are any.
 */
export function readSpec<S extends v.GenericSchema>(
  spec: S,
  raw: unknown,
  prefix: string,
  problems: Problem[],
  secretKeys: ReadonlySet<string> = new Set(),
): v.InferOutput<S> | undefined {
  const r = v.safeParse(spec, raw);
  if (r.success) return r.output;
  problems.push(...problemsOf(r.issues, prefix, secretKeys));
  return undefined;
}

// --- Describing (docs) ------------------------------------------------------------------------

export interface FieldDescription {
  readonly required: boolean;
  /** The default, JSON-encoded, when the field has one that is a value (not computed). */
  readonly defaultValue?: string;
  readonly allowed?: string;
}

/** What the docs show for one field of a spec: required or its default, and what it allows. */
export function describeField(schema: v.GenericSchema): FieldDescription {
  const s = schema as v.GenericSchema & { wrapped?: v.GenericSchema; default?: unknown };
  // A required group reads a missing value as {} (an optional with a default) but is required.
  if (GROUPS.has(schema)) return { required: true, allowed: ALLOWED.get(schema) as string };
  if (s.type === "optional" || s.type === "exact_optional" || s.type === "nullish") {
    const inner = describeField(s.wrapped as v.GenericSchema);
    const d = s.default;
    return {
      required: false,
      ...(d !== undefined && typeof d !== "function" ? { defaultValue: JSON.stringify(d) } : {}),
      ...(inner.allowed !== undefined ? { allowed: inner.allowed } : {}),
    };
  }
  const allowed = ALLOWED.get(schema);
  return { required: true, ...(allowed !== undefined ? { allowed } : {}) };
}

/** The fields of an object spec (`args`/`strictObject`, with or without a pipe of rules). */
export function entriesOf(spec: v.GenericSchema): Record<string, v.GenericSchema> {
  const s = spec as v.GenericSchema & { entries?: Record<string, v.GenericSchema>; pipe?: v.GenericSchema[] };
  if (s.entries) return s.entries;
  if (s.pipe && s.pipe.length > 0) return entriesOf(s.pipe[0] as v.GenericSchema);
  throw new Error(`entriesOf: not an object spec (${s.type})`);
}
