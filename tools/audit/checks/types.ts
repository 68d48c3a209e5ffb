import type { AccountFacts } from "../facts";

export type Severity = "critical" | "warning";

/** What a check asks, why it matters and what in this repository fixes it. */
export interface CheckMeta {
  readonly id: string;
  readonly title: string;
  readonly service: string;
  /** The severity of a failure unless a result says otherwise (e.g. TLS `preferred` is a warning). */
  readonly severity: Severity;
  readonly risk: string;
  /** The component, config key or command of this repository that fixes a failure. */
  readonly remediation: string;
  /** AWS Foundational Security Best Practices control ids (empty when FSBP has none). */
  readonly fsbp: readonly string[];
}

export interface ResourceRef {
  /** An ARN, or `AWS::::Account:<id>` for account-wide settings. */
  readonly arn: string;
  readonly type: string;
  readonly region: string;
}

export interface Result {
  readonly check: CheckMeta;
  readonly status: "PASS" | "FAIL";
  readonly severity: Severity;
  readonly resource: ResourceRef;
  /** What was found, in words; never a secret value. */
  readonly detail: string;
}

/** What the person running the audit may tune (command-line options); the checks read nothing else. */
export interface AuditSettings {
  /**
   * CloudWatch.16's minimum log retention in days. Security Hub's default for the control's
   * `minRetentionTime` parameter is 365 ("CloudWatch log groups should be retained for a specified
   * period of time", https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-16);
   * Prowler's `log_group_retention_days` defaults to 365 too.
   */
  readonly minLogRetentionDays: number;
}

export const DEFAULT_SETTINGS: AuditSettings = { minLogRetentionDays: 365 };

export interface AuditCheck extends CheckMeta {
  /** Pure: judges the facts it needs, and returns nothing for facts that could not be read. */
  run(facts: AccountFacts, settings?: AuditSettings): Result[];
}

export function check(
  meta: CheckMeta,
  run: (facts: AccountFacts, r: ResultMaker, settings: AuditSettings) => Result[],
): AuditCheck {
  const maker: ResultMaker = {
    pass: (resource, detail) => ({ check: meta, status: "PASS", severity: meta.severity, resource, detail }),
    fail: (resource, detail, severity = meta.severity) => ({ check: meta, status: "FAIL", severity, resource, detail }),
  };
  return { ...meta, run: (facts, settings = DEFAULT_SETTINGS) => run(facts, maker, settings) };
}

export interface ResultMaker {
  pass(resource: ResourceRef, detail: string): Result;
  fail(resource: ResourceRef, detail: string, severity?: Severity): Result;
}

/** The reference used for account-wide settings (Security Hub's notation). */
export function accountRef(facts: AccountFacts, type: string, region = "global"): ResourceRef {
  return { arn: `AWS::::Account:${facts.accountId}`, type, region };
}
