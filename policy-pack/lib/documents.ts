import { type Check, hasUnknown, isUnknown } from "./inspect";
import { isPublicAllow, parsePolicy, principalAccounts, type Statement } from "./policy-document";

// Resource policies (queue, topic, key) read from a snapshot: absent, unknown during preview,
// invalid JSON, or parsed statements.

export type PolicyRead =
  | { state: "absent" }
  | { state: "unknown" }
  | { state: "invalid" }
  | { state: "parsed"; statements: Statement[] };

export function readPolicy(value: unknown): PolicyRead {
  if (value === undefined || value === null || value === "") return { state: "absent" };
  if (isUnknown(value) || (typeof value === "object" && hasUnknown(value))) return { state: "unknown" };
  const statements = parsePolicy(value);
  if (statements === null) return { state: "invalid" };
  if (statements === undefined) return { state: "absent" };
  return { state: "parsed", statements };
}

export const trustedAccountsSchema = {
  trustedAccountIds: {
    type: "array",
    items: { type: "string" },
    default: [],
    description:
      "Account ids other than the stack's own that resource policies may name; empty = only public principals are checked.",
  },
} as const;

/**
 * Reports statements of the policy in `key` that allow the public (Principal "*" without a
 * condition pinning the caller) or, when `trustedAccountIds` is configured, an account outside it.
 */
export function checkNotPublic(c: Check, key: string, what: string): void {
  const policy = readPolicy(c.props[key]);
  if (policy.state === "unknown") c.unknown(key);
  if (policy.state === "invalid") c.report(`the ${what} is not valid JSON`);
  if (policy.state !== "parsed") return;
  const trusted = ((c.config.trustedAccountIds as string[] | undefined) ?? []).map(String);
  for (const st of policy.statements) {
    if (isPublicAllow(st))
      c.report(
        `the ${what} allows ${st.actions.join(", ") || "actions"} to Principal "*" with no condition on the caller (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, ...)`,
      );
    if (st.effect === "Allow" && trusted.length > 0) {
      const foreign = principalAccounts(st).filter((a) => !trusted.includes(a));
      if (foreign.length)
        c.report(`the ${what} allows account(s) ${foreign.join(", ")} that are not in trustedAccountIds`);
    }
  }
}
