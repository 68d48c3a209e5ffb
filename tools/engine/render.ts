import type { Violation } from "./policy-client";
import type { RecordedResource } from "./recorder";
import { collectSecretStrings, maskSecrets, type PlainObject, type PlainValue, SECRET_MASK } from "./secrets";

// Three views of one result — text for a terminal, JSON for tools, Markdown for a PR comment — all
// built from masked values and passed through a last redaction of every known secret string.

export interface Report {
  readonly title: string;
  readonly stack: string;
  readonly policyPack: { readonly name: string; readonly version: string };
  readonly resources: RecordedResource[];
  readonly violations: Violation[];
  readonly outputs: PlainObject;
}

export interface JsonReport {
  stack: string;
  policyPack: { name: string; version: string };
  summary: { resources: number; mandatory: number; advisory: number };
  resources: {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    inputs: PlainValue;
    dependencies: string[];
  }[];
  violations: Violation[];
  outputs: PlainValue;
}

const levelOrder = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 } as const;

/** Mandatory violations decide the exit code: 1 when any, else 0. */
export function exitCodeFor(violations: Violation[]): 0 | 1 {
  return violations.some((v) => v.enforcement === "mandatory" || v.enforcement === "remediate") ? 1 : 0;
}

function counts(violations: Violation[]) {
  return {
    mandatory: violations.filter((v) => v.enforcement === "mandatory" || v.enforcement === "remediate").length,
    advisory: violations.filter((v) => v.enforcement === "advisory").length,
  };
}

/** Replaces every secret string found in the raw values, wherever it ended up in `text`. */
export function redact(text: string, report: Report): string {
  const secrets = new Set<string>();
  collectSecretStrings(report.outputs, secrets);
  for (const r of report.resources) {
    collectSecretStrings(r.inputs, secrets);
    collectSecretStrings(r.outputs, secrets);
  }
  let out = text;
  // Longest first, so a secret containing another is replaced whole. Very short strings (booleans,
  // small numbers marked secret) would redact unrelated text and carry no secret worth hiding.
  for (const s of [...secrets].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length))
    out = out.split(s).join(SECRET_MASK);
  return out;
}

function sortedViolations(violations: Violation[]): Violation[] {
  return [...violations].sort(
    (a, b) =>
      levelOrder[a.enforcement] - levelOrder[b.enforcement] ||
      a.policy.localeCompare(b.policy) ||
      a.urn.localeCompare(b.urn),
  );
}

function groupByPolicy(violations: Violation[]): Map<string, Violation[]> {
  const groups = new Map<string, Violation[]>();
  for (const v of sortedViolations(violations)) groups.set(v.policy, [...(groups.get(v.policy) ?? []), v]);
  return groups;
}

function typeCounts(resources: RecordedResource[]): [string, number][] {
  const m = new Map<string, number>();
  for (const r of resources) m.set(r.type, (m.get(r.type) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function shortUrn(urn: string): string {
  const parts = urn.split("::");
  const type = (parts[2] ?? "").split("$").pop();
  return `${type}::${parts[3] ?? urn}`;
}

/**
 * The resource tree: each resource under its parent, components first-class. A resource whose
 * parent is not in the list (the stack resource a state file's export leaves out) is a root.
 */
export function tree(resources: RecordedResource[]): string[] {
  const urns = new Set(resources.map((r) => r.urn));
  const children = new Map<string | undefined, RecordedResource[]>();
  for (const r of resources) {
    const parent = r.parent !== undefined && urns.has(r.parent) ? r.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      lines.push(`${"    ".repeat(depth)}+ ${r.type.padEnd(Math.max(0, 60 - depth * 4))} ${r.name}`);
      walk(r.urn, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

function formatValue(v: PlainValue): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

export function toJson(report: Report): JsonReport {
  return {
    stack: report.stack,
    policyPack: report.policyPack,
    summary: { resources: report.resources.length, ...counts(report.violations) },
    resources: report.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent ?? null,
      inputs: maskSecrets(r.inputs),
      dependencies: r.dependencies,
    })),
    violations: sortedViolations(report.violations),
    outputs: maskSecrets(report.outputs),
  };
}

export function renderJson(report: Report): string {
  return redact(JSON.stringify(toJson(report), null, 2), report);
}

export function renderText(report: Report): string {
  const { mandatory, advisory } = counts(report.violations);
  const lines = [`${report.title}`, "", "Resources:", ...tree(report.resources), ""];
  lines.push(`Counts by type (${report.resources.length} resources):`);
  for (const [type, n] of typeCounts(report.resources)) lines.push(`  ${String(n).padStart(4)}  ${type}`);
  lines.push("", `Policy violations (${report.policyPack.name}@${report.policyPack.version}):`);
  if (report.violations.length === 0) lines.push("  none");
  for (const [policy, vs] of groupByPolicy(report.violations)) {
    lines.push(`  [${vs[0]?.enforcement}] ${policy} (${vs.length})`);
    for (const v of vs) {
      const [description, ...detail] = v.message.split("\n");
      lines.push(`      ${shortUrn(v.urn)}`, `        ${(detail.length ? detail.join(" ") : description) ?? ""}`);
    }
  }
  const outputs = maskSecrets(report.outputs) as PlainObject;
  lines.push("", "Outputs:");
  const width = Math.max(0, ...Object.keys(outputs).map((k) => k.length));
  for (const [k, v] of Object.entries(outputs).sort()) lines.push(`    ${k.padEnd(width)}  ${formatValue(v)}`);
  lines.push(
    "",
    `Summary: ${report.resources.length} resources, ${mandatory} mandatory and ${advisory} advisory policy violations.`,
  );
  return redact(lines.join("\n"), report);
}

function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
}

export function renderMarkdown(report: Report): string {
  const { mandatory, advisory } = counts(report.violations);
  const status =
    mandatory > 0
      ? "❌ blocked by mandatory policy violations"
      : advisory > 0
        ? "⚠️ advisory violations only"
        : "✅ no policy violations";
  const lines = [
    `## ${report.title}`,
    "",
    `**${status}** — ${report.resources.length} resources, ${mandatory} mandatory, ${advisory} advisory (${report.policyPack.name}@${report.policyPack.version})`,
    "",
    "### Policy violations",
    "",
  ];
  if (report.violations.length === 0) lines.push("None.");
  else {
    lines.push("| level | policy | resource | message |", "| --- | --- | --- | --- |");
    for (const v of sortedViolations(report.violations)) {
      const detail = v.message.split("\n").slice(1).join(" ") || v.message;
      lines.push(`| ${v.enforcement} | \`${v.policy}\` | \`${mdCell(shortUrn(v.urn))}\` | ${mdCell(detail)} |`);
    }
  }
  lines.push("", "### Resources", "", "| count | type |", "| ---: | --- |");
  for (const [type, n] of typeCounts(report.resources)) lines.push(`| ${n} | \`${type}\` |`);
  lines.push(
    "",
    "<details><summary>Resource tree</summary>",
    "",
    "```",
    ...tree(report.resources),
    "```",
    "",
    "</details>",
    "",
    "### Outputs",
    "",
  );
  lines.push("| output | value |", "| --- | --- |");
  for (const [k, v] of Object.entries(maskSecrets(report.outputs) as PlainObject).sort())
    lines.push(`| \`${k}\` | ${mdCell(formatValue(v))} |`);
  return redact(lines.join("\n"), report);
}
