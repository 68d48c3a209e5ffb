// The audit's verdict: exit code, readable table and JSON. Both outputs are built from results and
// unreadable records only, which never carry a secret value.

import type { Result, Severity } from "./checks/types";
import type { Unreadable } from "./facts";

/** The seed's contract (0 pass, 1 critical, 2 warnings) plus 3: something could not be evaluated. */
export const EXIT_PASS = 0;
export const EXIT_CRITICAL = 1;
export const EXIT_WARNING = 2;
export const EXIT_NOT_EVALUATED = 3;
export const EXIT_USAGE = 4;

export type FailOn = Severity;

export interface AuditReport {
  readonly accountId?: string;
  readonly regions: readonly string[];
  readonly results: readonly Result[];
  readonly unreadable: readonly Unreadable[];
}

/**
 * A critical failure wins (it needs action whatever else happened); then anything not evaluated
 * (an account that could not be read never looks clean); then warnings, unless `failOn` is critical.
 */
export function exitCodeFor(report: AuditReport, failOn: FailOn): number {
  const failed = report.results.filter((r) => r.status === "FAIL");
  if (failed.some((r) => r.severity === "critical")) return EXIT_CRITICAL;
  if (report.unreadable.length) return EXIT_NOT_EVALUATED;
  if (failOn === "warning" && failed.length) return EXIT_WARNING;
  return EXIT_PASS;
}

const severityRank: Record<Severity, number> = { critical: 0, warning: 1 };

function ordered(results: readonly Result[]): Result[] {
  return [...results].sort(
    (a, b) =>
      (a.status === b.status ? 0 : a.status === "FAIL" ? -1 : 1) ||
      severityRank[a.severity] - severityRank[b.severity] ||
      a.check.id.localeCompare(b.check.id) ||
      a.resource.arn.localeCompare(b.resource.arn),
  );
}

function counts(report: AuditReport) {
  const failed = report.results.filter((r) => r.status === "FAIL");
  return {
    checks: new Set(report.results.map((r) => r.check.id)).size,
    passed: report.results.length - failed.length,
    critical: failed.filter((r) => r.severity === "critical").length,
    warning: failed.filter((r) => r.severity === "warning").length,
    notEvaluated: report.unreadable.length,
  };
}

/** One line per finding: status, severity, resource, what is wrong, the fix. Passes only with `all`. */
export function formatText(report: AuditReport, options: { all?: boolean; failOn: FailOn }): string {
  const lines: string[] = [
    `Security audit of account ${report.accountId ?? "(unknown)"} in ${report.regions.join(", ") || "(no region)"}`,
    "",
  ];
  const shown = ordered(report.results).filter((r) => options.all || r.status === "FAIL");
  if (shown.length) {
    const width = (header: string, f: (r: Result) => string) =>
      Math.max(header.length, ...shown.map((r) => f(r).length));
    const w = {
      status: "STATUS".length,
      severity: width("SEVERITY", (r) => r.severity),
      arn: Math.min(
        80,
        width("RESOURCE", (r) => r.resource.arn),
      ),
    };
    lines.push(
      `${"STATUS".padEnd(w.status)}  ${"SEVERITY".padEnd(w.severity)}  ${"RESOURCE".padEnd(w.arn)}  FINDING  ->  FIX`,
    );
    for (const r of shown) {
      const fix = r.status === "FAIL" ? `  ->  ${r.check.remediation}` : "";
      lines.push(
        `${r.status.padEnd(w.status)}  ${(r.status === "FAIL" ? r.severity : "-").padEnd(w.severity)}  ${r.resource.arn.padEnd(w.arn)}  [${r.check.id}] ${r.detail}${fix}`,
      );
    }
    lines.push("");
  } else if (report.results.length) {
    lines.push("No finding: every evaluated check passed.", "");
  }
  if (report.unreadable.length) {
    lines.push("NOT EVALUATED (the account could not be read there; this is not a pass):");
    for (const u of report.unreadable)
      lines.push(`  ${u.region}  ${u.what}: ${u.reason}  [blocks ${u.checks.join(", ")}]`);
    lines.push("");
  }
  const c = counts(report);
  lines.push(
    `${c.checks} checks, ${report.results.length} results: ${c.passed} passed, ${c.critical} critical, ${c.warning} warnings, ${c.notEvaluated} not evaluated (--fail-on ${options.failOn})`,
  );
  return `${lines.join("\n")}\n`;
}

const ocsfSeverity: Record<Severity, { id: number; name: string }> = {
  critical: { id: 5, name: "Critical" },
  warning: { id: 3, name: "Medium" },
};

/** JSON with field names after OCSF Detection Finding (class 2004), as Prowler and Security Hub use. */
export function formatJson(report: AuditReport, failOn: FailOn): string {
  const findings = ordered(report.results).map((r) => ({
    finding_info: { uid: `${r.check.id}:${r.resource.arn}`, title: r.check.title, types: [r.check.service] },
    metadata: { event_code: r.check.id },
    status_code: r.status,
    severity: ocsfSeverity[r.severity].name,
    severity_id: ocsfSeverity[r.severity].id,
    status_detail: r.detail,
    risk_details: r.check.risk,
    resources: [{ uid: r.resource.arn, type: r.resource.type, region: r.resource.region }],
    remediation: { desc: r.check.remediation, references: r.check.fsbp.map((id) => `FSBP ${id}`) },
    unmapped: { compliance: { FSBP: r.check.fsbp } },
  }));
  const not_evaluated = report.unreadable.map((u) => ({
    status_code: "ERROR",
    region: u.region,
    what: u.what,
    status_detail: u.reason,
    checks: u.checks,
  }));
  return `${JSON.stringify(
    {
      account_id: report.accountId ?? null,
      regions: report.regions,
      fail_on: failOn,
      exit_code: exitCodeFor(report, failOn),
      summary: counts(report),
      findings,
      not_evaluated,
    },
    null,
    2,
  )}\n`;
}
