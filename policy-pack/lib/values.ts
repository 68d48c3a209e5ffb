import type { PolicyResource } from "@pulumi/policy";

// During `pulumi preview` values computed from other resources are unknown, and @pulumi/policy's
// property proxy throws when a rule reads one. Rules read through these helpers so an unknown
// becomes an explicit state instead of aborting the whole rule.

export type Known<T> = { known: true; value: T } | { known: false };

// biome-ignore lint/suspicious/noExplicitAny: property bags are untyped on the wire.
type Untyped = any;
type Bag = Record<string, Untyped>;

export function read<T = Untyped>(props: Bag | undefined, key: string): Known<T | undefined> {
  if (props === undefined || props === null) return { known: true, value: undefined };
  try {
    return { known: true, value: props[key] as T | undefined };
  } catch {
    return { known: false };
  }
}

/** Reads a nested path; `known: false` as soon as any step is unknown. */
export function readPath<T = Untyped>(
  props: Bag | undefined,
  path: readonly (string | number)[],
): Known<T | undefined> {
  let current: Untyped = props;
  for (const step of path) {
    if (current === undefined || current === null) return { known: true, value: undefined };
    try {
      current = current[step];
    } catch {
      return { known: false };
    }
  }
  return { known: true, value: current as T | undefined };
}

export const RECHECK_NOTE = "this value is unknown until apply; the rule checks it again on `pulumi up`";

/** Resources of `types` that belong to `bucket`: by the engine's property dependency, else by bucket id/name. */
export function attachedToBucket(bucket: PolicyResource, candidates: PolicyResource[]): PolicyResource[] {
  const ids = new Set<string>();
  for (const key of ["id", "bucket"]) {
    const v = read<string>(bucket.props, key);
    if (v.known && typeof v.value === "string" && v.value.length > 0) ids.add(v.value);
  }
  return candidates.filter((c) => {
    const deps = c.propertyDependencies?.bucket ?? [];
    if (deps.some((d) => d.urn === bucket.urn)) return true;
    const ref = read<string>(c.props, "bucket");
    return ref.known && typeof ref.value === "string" && ids.has(ref.value);
  });
}
