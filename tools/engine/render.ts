import { type AdoptionPlan, type Op, planSummary } from "./adoption-plan";
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
  /** What `pulumi up` will do given the stack's inventory (absent: no inventory, every resource a create). */
  readonly adoption?: AdoptionPlan;
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
    /** Pulumi's registration kind, as `pulumi stack export` records it: false for a component. */
    custom: boolean;
    inputs: PlainValue;
    dependencies: string[];
    /** Pulumi's step for it: create, import, update, replace (same needs a state: never offline). */
    op: Op;
    importId?: string;
    diff?: { key: string; program: PlainValue; recorded: PlainValue; forcesReplacement: boolean }[];
  }[];
  violations: Violation[];
  outputs: PlainValue;
  adoption?: ReturnType<typeof planSummary>;
}

const levelOrder = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 } as const;

/** Mandatory violations (and adoption findings: a stateful replacement, a create of a held name) decide the exit code. */
export function exitCodeFor(violations: Violation[], adoptionFindings = 0): 0 | 1 {
  return violations.some((v) => v.enforcement === "mandatory" || v.enforcement === "remediate") || adoptionFindings > 0
    ? 1
    : 0;
}

/** The symbol Pulumi's preview prints before each step. */
export const OP_SYMBOL: Record<Op, string> = { create: "+", import: "=", update: "~", replace: "+-", same: " " };

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
export function tree(resources: RecordedResource[], adoption?: AdoptionPlan): string[] {
  const urns = new Set(resources.map((r) => r.urn));
  const children = new Map<string | undefined, RecordedResource[]>();
  for (const r of resources) {
    const parent = r.parent !== undefined && urns.has(r.parent) ? r.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      const step = adoption?.steps.get(r.urn);
      const symbol = OP_SYMBOL[step?.op ?? "create"];
      const indent = "    ".repeat(depth);
      const id = step?.importId ? `  (import ${step.importId})` : "";
      lines.push(`${indent}${symbol} ${r.type.padEnd(Math.max(0, 60 - depth * 4))} ${r.name}${id}`);
      for (const d of step?.diffs ?? [])
        lines.push(
          `${indent}      ${d.forcesReplacement ? "+-" : "~"} ${d.key}: ${formatValue(d.recorded)} => ${formatValue(d.program)}${d.forcesReplacement ? "  (forces replacement)" : ""}`,
        );
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
      custom: r.custom,
      inputs: maskSecrets(r.inputs),
      dependencies: r.dependencies,
      ...stepJson(report.adoption, r.urn),
    })),
    violations: sortedViolations(report.violations),
    outputs: maskSecrets(report.outputs),
    ...(report.adoption ? { adoption: planSummary(report.adoption) } : {}),
  };
}

function stepJson(adoption: AdoptionPlan | undefined, urn: string) {
  const step = adoption?.steps.get(urn);
  return {
    op: step?.op ?? ("create" as Op),
    ...(step?.importId ? { importId: step.importId } : {}),
    ...(step && step.diffs.length > 0 ? { diff: step.diffs.map((d) => ({ ...d })) } : {}),
  };
}

/** The adoption section of the text and Markdown views: counts, findings, what is left unmanaged. */
export function adoptionLines(adoption: AdoptionPlan, markdown = false): string[] {
  const s = planSummary(adoption);
  const c = s.counts;
  const code = (t: string) => (markdown ? `\`${t}\`` : t);
  const item = markdown ? "- " : "  ";
  const lines = [
    markdown
      ? `### What \`pulumi up\` will do (inventory ${code(adoption.inventoryFile)})`
      : `What pulumi up will do (inventory ${adoption.inventoryFile}):`,
    "",
    `${item}${c.import} import, ${c.update} update (import, then update to the program's inputs), ${c.replace} replace, ${c.create} create`,
  ];
  if (adoption.findings.length > 0) {
    lines.push("", markdown ? "**Adoption errors (the preview fails):**" : "Adoption errors (the preview fails):");
    for (const f of adoption.findings) lines.push(`${item}[${f.kind}] ${markdown ? mdCell(f.message) : f.message}`);
  }
  lines.push(
    "",
    markdown
      ? `**Left unmanaged** (${adoption.unmanaged.length}: in the inventory, adopted by no resource, untouched by Pulumi):`
      : `Left unmanaged (${adoption.unmanaged.length}: in the inventory, adopted by no resource, untouched by Pulumi):`,
  );
  if (adoption.unmanaged.length === 0) lines.push(`${item}none`);
  for (const e of adoption.unmanaged)
    lines.push(
      `${item}${code(e.type)} ${code(e.physicalName)} (${e.source.kind === "terraform" ? `Terraform ${e.source.address}` : `live, ${e.source.api}`})`,
    );
  if (s.terraformStateRm.length > 0) {
    lines.push(
      "",
      "After `pulumi import`, Terraform must forget what Pulumi now owns (docs/runbooks/terraform-to-pulumi.md):",
    );
    if (markdown) lines.push("", "```", ...s.terraformStateRm, "```");
    else lines.push(...s.terraformStateRm.map((l) => `  ${l}`));
  }
  return lines;
}

export function renderJson(report: Report): string {
  return redact(JSON.stringify(toJson(report), null, 2), report);
}

export function renderText(report: Report): string {
  const { mandatory, advisory } = counts(report.violations);
  const lines = [`${report.title}`, "", "Resources:", ...tree(report.resources, report.adoption), ""];
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
  if (report.adoption) lines.push("", ...adoptionLines(report.adoption));
  const outputs = maskSecrets(report.outputs) as PlainObject;
  lines.push("", "Outputs:");
  const width = Math.max(0, ...Object.keys(outputs).map((k) => k.length));
  for (const [k, v] of Object.entries(outputs).sort()) lines.push(`    ${k.padEnd(width)}  ${formatValue(v)}`);
  lines.push(
    "",
    `Summary: ${report.resources.length} resources, ${mandatory} mandatory and ${advisory} advisory policy violations${report.adoption ? `, ${report.adoption.findings.length} adoption errors` : ""}.`,
  );
  return redact(lines.join("\n"), report);
}

function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
}

export function renderMarkdown(report: Report): string {
  const { mandatory, advisory } = counts(report.violations);
  const adoptionErrors = report.adoption?.findings.length ?? 0;
  const status =
    adoptionErrors > 0
      ? `❌ blocked by ${adoptionErrors} adoption error${adoptionErrors === 1 ? "" : "s"} (see "What pulumi up will do")`
      : mandatory > 0
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
  if (report.adoption) lines.push("", ...adoptionLines(report.adoption, true));
  lines.push("", "### Resources", "", "| count | type |", "| ---: | --- |");
  for (const [type, n] of typeCounts(report.resources)) lines.push(`| ${n} | \`${type}\` |`);
  lines.push(
    "",
    "<details><summary>Resource tree</summary>",
    "",
    "```",
    ...tree(report.resources, report.adoption),
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
