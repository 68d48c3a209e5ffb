import type { Statement } from "./policy-document";

// Whether an identity policy (a role's inline or attached policy, parsed by policy-document.ts)
// allows an action on a resource: IAM's wildcard matching (`*` and `?`, case-insensitive for
// actions, case-sensitive for resources), an explicit Deny wins. Conditions are not evaluated: a
// conditioned Allow counts as a grant (the rules ask "can it ever", not "for which request").

function wildcard(pattern: string, flags = ""): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, flags);
}

export function actionMatches(pattern: string, action: string): boolean {
  return wildcard(pattern, "i").test(action);
}

export function resourceMatches(pattern: string, resource: string): boolean {
  return wildcard(pattern).test(resource);
}

/** True when `statements` allow `action` on `resource` (and no statement denies it). */
export function allows(statements: readonly Statement[], action: string, resource: string): boolean {
  const applies = (s: Statement) =>
    s.actions.some((a) => actionMatches(a, action)) && s.resources.some((r) => resourceMatches(r, resource));
  const denied = statements.some((s) => s.effect === "Deny" && Object.keys(s.conditions).length === 0 && applies(s));
  return !denied && statements.some((s) => s.effect === "Allow" && applies(s));
}

/** The global condition keys a service sends (or not) when it assumes a role, in lower case as parsed. */
export const SOURCE_CONDITION_KEYS = ["aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"];

/** The aws:Source* condition keys an Allow statement for `service` conditions on. */
export function sourceConditionKeys(statements: readonly Statement[], service: string): string[] {
  const keys = new Set<string>();
  for (const s of statements) {
    if (s.effect !== "Allow" || !s.principals.includes(service)) continue;
    for (const block of Object.values(s.conditions))
      for (const key of Object.keys(block)) if (SOURCE_CONDITION_KEYS.includes(key)) keys.add(key);
  }
  return [...keys];
}
