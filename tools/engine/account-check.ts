import { NAMED_TYPES, type NameScope, SINGLETON_TYPES } from "./account-names";

// The account view: stacks previewed one by one each look fine, yet deployed into one account they
// fight over physical names and account-wide singletons. Pure: plain resource lists in, findings out.

/** A previewed resource, as the JSON report carries it (inputs already masked). */
export interface AccountResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly inputs: unknown;
}

export interface AccountStack {
  readonly stack: string;
  /** The AWS account the stack deploys to. @default - unknown: assumed shared with every other stack */
  readonly accountId?: string;
  /** @default - unknown: assumed shared with every other stack */
  readonly region?: string;
  readonly resources: readonly AccountResource[];
}

export interface Claim {
  readonly stack: string;
  readonly urn: string;
  /** The physical name claimed, or what the singleton is. */
  readonly name: string;
}

export interface AccountFinding {
  readonly kind: "name" | "singleton";
  /** What AWS keeps unique ("SNS topic", "the account S3 public access block"). */
  readonly what: string;
  readonly scope: NameScope;
  readonly claims: readonly Claim[];
  readonly message: string;
}

const MASKED = "[secret]";

function inputsOf(r: AccountResource): Record<string, unknown> {
  return r.inputs !== null && typeof r.inputs === "object" ? (r.inputs as Record<string, unknown>) : {};
}

/** A usable name: a plain string that is neither masked nor empty (unknown values are skipped). */
function plainName(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && value !== MASKED ? value : undefined;
}

function where(stack: AccountStack, scope: NameScope): string {
  if (scope === "global") return "";
  const account = stack.accountId ?? "?";
  return scope === "account" ? account : `${account}/${stack.region ?? "?"}`;
}

const describeScope = (scope: NameScope) =>
  scope === "global" ? "in every AWS account" : scope === "account" ? "per account" : "per account and region";

function describeClaims(claims: readonly Claim[]): string {
  return claims.map((c) => `${c.stack}: ${c.urn}`).join(" and ");
}

/**
 * Every physical name claimed more than once (by two stacks, or twice by one) in a namespace AWS
 * keeps unique, and every account singleton created more than once. Sorted for stable output.
 */
export function checkAccount(stacks: readonly AccountStack[]): AccountFinding[] {
  const names = new Map<string, { what: string; scope: NameScope; display: string; claims: Claim[] }>();
  const singletons = new Map<string, { what: string; scope: NameScope; claims: Claim[] }>();

  for (const stack of stacks) {
    for (const r of stack.resources) {
      const inputs = inputsOf(r);
      for (const n of NAMED_TYPES[r.type] ?? []) {
        const name = plainName(inputs[n.input]);
        if (name === undefined) continue;
        const within = (n.within ?? []).map((k) => `${k}=${JSON.stringify(inputs[k] ?? null)}`).join(",");
        const normalized = n.caseInsensitive ? name.toLowerCase() : name;
        const key = [n.namespace, where(stack, n.scope), within, normalized].join("|");
        const entry = names.get(key) ?? { what: n.namespace, scope: n.scope, display: name, claims: [] };
        entry.claims.push({ stack: stack.stack, urn: r.urn, name });
        names.set(key, entry);
      }
      const single = SINGLETON_TYPES[r.type];
      if (single && (single.when === undefined || single.when(inputs))) {
        const scope: NameScope = /of the region$/.test(single.what) ? "region" : "account";
        const key = `${single.what}|${where(stack, scope)}`;
        const entry = singletons.get(key) ?? { what: single.what, scope, claims: [] };
        entry.claims.push({ stack: stack.stack, urn: r.urn, name: single.what });
        singletons.set(key, entry);
      }
    }
  }

  const findings: AccountFinding[] = [];
  for (const e of names.values()) {
    if (e.claims.length < 2) continue;
    findings.push({
      kind: "name",
      what: e.what,
      scope: e.scope,
      claims: e.claims,
      message: `${e.what} name "${e.display}" (unique ${describeScope(e.scope)}) is claimed ${e.claims.length} times: ${describeClaims(e.claims)}. The second deployment fails or takes over the first one's resource: put the environment in the name, or let Pulumi auto-name it.`,
    });
  }
  for (const e of singletons.values()) {
    if (e.claims.length < 2) continue;
    findings.push({
      kind: "singleton",
      what: e.what,
      scope: e.scope,
      claims: e.claims,
      message: `${e.what} exists once ${describeScope(e.scope)} but is created ${e.claims.length} times: ${describeClaims(e.claims)}. Create it in one stack only, the one that owns the account-wide resources; the others leave it out.`,
    });
  }
  return findings.sort(
    (a, b) =>
      a.kind.localeCompare(b.kind) ||
      a.what.localeCompare(b.what) ||
      (a.claims[0]?.urn ?? "").localeCompare(b.claims[0]?.urn ?? ""),
  );
}
