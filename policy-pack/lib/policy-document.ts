// IAM-style policy documents (bucket, queue, topic and key policies) reduced to what the rules
// need: which statements allow or deny whom, for what, under which conditions.

export interface Statement {
  readonly effect: "Allow" | "Deny";
  readonly principals: string[];
  readonly actions: string[];
  readonly resources: string[];
  readonly conditions: Record<string, Record<string, string[]>>;
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}

function principalsOf(principal: unknown): string[] {
  if (principal === undefined) return [];
  if (typeof principal === "string") return [principal];
  if (typeof principal === "object" && principal !== null) {
    return Object.values(principal as Record<string, unknown>).flatMap(list);
  }
  return [];
}

/** Parses a policy given as JSON text or as an object; `undefined` when absent, `null` when unparseable. */
export function parsePolicy(policy: unknown): Statement[] | undefined | null {
  if (policy === undefined || policy === null || policy === "") return undefined;
  let doc: unknown = policy;
  if (typeof policy === "string") {
    try {
      doc = JSON.parse(policy);
    } catch {
      return null;
    }
  }
  if (typeof doc !== "object" || doc === null) return null;
  const raw = (doc as Record<string, unknown>).Statement;
  const statements = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return statements.map((s: Record<string, unknown>) => {
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [op, block] of Object.entries((s.Condition as Record<string, Record<string, unknown>>) ?? {})) {
      conditions[op] = {};
      for (const [key, v] of Object.entries(block ?? {}))
        conditions[op][key.toLowerCase()] = list(v).map((x) => x.toLowerCase());
    }
    return {
      effect: s.Effect === "Deny" ? "Deny" : "Allow",
      principals: principalsOf(s.Principal),
      actions: list(s.Action),
      resources: list(s.Resource),
      conditions,
    };
  });
}

// Condition keys that pin a wildcard principal to a known caller, so the statement is not public.
const restrictingKeys = new Set(
  [
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:PrincipalOrgID",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceOrgID",
    "kms:CallerAccount",
    "kms:ViaService",
  ].map((k) => k.toLowerCase()),
);

export function isWildcardPrincipal(statement: Statement): boolean {
  return statement.principals.some((p) => p === "*");
}

/** A principal ARN whose account is a wildcard (arn:aws:iam::*:role/x): any account's principal. */
const anyAccountArn = /^arn:aws[\w-]*:iam::\*:/;

/** An Allow to `*` (or to a principal ARN of any account) with no condition that pins the caller: anyone on the internet. */
export function isPublicAllow(statement: Statement): boolean {
  const anyone = isWildcardPrincipal(statement) || statement.principals.some((p) => anyAccountArn.test(p));
  if (statement.effect !== "Allow" || !anyone) return false;
  // A restricting key pins the caller unless a value matches any account ("*", arn:aws:iam::*).
  const pins = (values: string[]) => !values.some((v) => v === "*" || /^arn:[^:]*:[^:]*:[^:]*:\*(?::|$)/.test(v));
  return !Object.values(statement.conditions).some((block) =>
    Object.entries(block).some(([k, values]) => restrictingKeys.has(k) && pins(values)),
  );
}

/** Accounts named in principals (ARNs or bare 12-digit ids). */
export function principalAccounts(statement: Statement): string[] {
  return statement.principals.flatMap((p) => {
    const m = /^(?:arn:aws[\w-]*:iam::)?(\d{12})(?::|$)/.exec(p);
    return m?.[1] ? [m[1]] : [];
  });
}

/** The Deny-when-not-TLS statement: Deny, any principal, all actions of the service, aws:SecureTransport=false. */
export function deniesInsecureTransport(statement: Statement, service: string): boolean {
  if (statement.effect !== "Deny" || !isWildcardPrincipal(statement)) return false;
  if (!statement.actions.some((a) => a === "*" || a.toLowerCase() === `${service}:*`)) return false;
  return statement.conditions.Bool?.["aws:securetransport"]?.includes("false") ?? false;
}
