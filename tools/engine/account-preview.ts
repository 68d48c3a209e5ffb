import * as path from "node:path";
import { type AccountFinding, checkAccount } from "./account-check";
import { isCovered, needsNoEntry } from "./account-names";
import { type ChildResult, runNode } from "./child-process";
import type { Violation } from "./policy-client";
import { exitCodeFor, type JsonReport } from "./render";
import { availableStacks, readStackFile, repoRoot } from "./stack-file";

// `npm run preview -- --all`: every stack of the project previewed as `--stack` previews it (each in
// its own process: the Pulumi runtime keeps one program per process), then all of them checked
// together against the account they share (account-check.ts).

export interface AccountPreviewOptions {
  /** @default - every Pulumi.<stack>.yaml in `stackDir` */
  readonly stacks?: readonly string[];
  readonly stackDir?: string;
  readonly program?: string;
  readonly policyConfigFile?: string;
  readonly progress?: (message: string) => void;
  /** Stack previews run at once. @default 2 */
  readonly parallel?: number;
}

export interface StackOutcome {
  readonly stack: string;
  readonly accountId?: string;
  readonly region?: string;
  /** The single-stack preview, when it ran (exit 0 or 1). */
  readonly report?: JsonReport;
  /** Why the preview could not run (exit 2): the single-stack preview's own message. */
  readonly error?: string;
}

export interface AccountReport {
  readonly stacks: StackOutcome[];
  readonly findings: AccountFinding[];
  /** Resource types the account table (account-names.ts) does not know: their names went unchecked. */
  readonly uncoveredTypes: string[];
}

function runPreviewProcess(args: string[]): Promise<ChildResult> {
  return runNode(["-r", "ts-node/register/transpile-only", path.join(repoRoot, "tools", "preview.ts"), ...args], {
    cwd: repoRoot,
  });
}

/** Resolves `--stacks a,b` (or every stack file) against the stack files that exist; unknown names are an error. */
export function selectStacks(requested: readonly string[] | undefined, stackDir = repoRoot): string[] {
  const known = availableStacks(stackDir);
  if (requested === undefined) return known;
  const unknown = requested.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    throw new Error(
      `--stacks names ${unknown.map((s) => `"${s}"`).join(", ")}, which ${unknown.length === 1 ? "has" : "have"} no Pulumi.<stack>.yaml (stacks: ${known.join(", ") || "none"})`,
    );
  }
  return [...requested];
}

async function previewOne(stack: string, options: AccountPreviewOptions): Promise<StackOutcome> {
  const stackDir = options.stackDir ?? repoRoot;
  const config = readStackFile(stack, stackDir).config;
  const where = {
    ...(config["huntaze:accountId"] ? { accountId: config["huntaze:accountId"] } : {}),
    ...(config["aws:region"] ? { region: config["aws:region"] } : {}),
  };
  const args = ["--stack", stack, "--json", "--quiet", "--stack-dir", stackDir];
  if (options.program) args.push("--program", options.program);
  if (options.policyConfigFile) args.push("--policy-config", options.policyConfigFile);
  options.progress?.(`previewing stack ${stack}`);
  const child = await runPreviewProcess(args);
  if (child.code === 0 || child.code === 1) {
    try {
      return { stack, ...where, report: JSON.parse(child.stdout) as JsonReport };
    } catch {
      return { stack, ...where, error: "the preview printed no JSON report" };
    }
  }
  const message = child.stderr.trim().replace(/^error: /, "") || `the preview exited with code ${child.code}`;
  return { stack, ...where, error: message };
}

/** Previews every selected stack with the real policy pack, then checks them together. */
export async function previewAccount(options: AccountPreviewOptions = {}): Promise<AccountReport> {
  const stacks = selectStacks(options.stacks, options.stackDir);
  const parallel = Math.max(1, options.parallel ?? 2);
  const outcomes: StackOutcome[] = new Array(stacks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, stacks.length) }, async () => {
      while (next < stacks.length) {
        const i = next++;
        outcomes[i] = await previewOne(stacks[i] as string, options);
      }
    }),
  );
  const previewed = outcomes.filter((o) => o.report !== undefined);
  options.progress?.(`checking ${previewed.length} stacks together against the account they share`);
  const findings = checkAccount(
    previewed.map((o) => ({
      stack: o.stack,
      ...(o.accountId ? { accountId: o.accountId } : {}),
      ...(o.region ? { region: o.region } : {}),
      resources: o.report?.resources ?? [],
    })),
  );
  const uncovered = new Set<string>();
  for (const o of previewed) {
    for (const r of o.report?.resources ?? []) {
      const custom = !r.type.startsWith("huntaze:") && !r.type.startsWith("pulumi:");
      if (!needsNoEntry(r.type, custom) && !isCovered(r.type)) uncovered.add(r.type);
    }
  }
  return { stacks: outcomes, findings, uncoveredTypes: [...uncovered].sort() };
}

/** 2 when a stack could not be previewed, 1 for a mandatory violation or a cross-stack finding, else 0. */
export function accountExitCode(report: AccountReport): 0 | 1 | 2 {
  if (report.stacks.some((s) => s.error !== undefined)) return 2;
  const mandatory = report.stacks.some(
    (s) => exitCodeFor(s.report?.violations ?? [], s.report?.adoption?.findings.length ?? 0) === 1,
  );
  return mandatory || report.findings.length > 0 ? 1 : 0;
}

const isMandatory = (v: Violation) => v.enforcement === "mandatory" || v.enforcement === "remediate";

function stackLine(s: StackOutcome): string {
  if (s.error !== undefined) return `${s.stack}: could not be previewed: ${s.error}`;
  const r = s.report as JsonReport;
  const adoption = r.adoption
    ? `; adopting ${r.adoption.counts.import + r.adoption.counts.update + r.adoption.counts.replace} from ${r.adoption.inventory}, ${r.adoption.findings.length} adoption errors, ${r.adoption.unmanaged.length} left unmanaged`
    : "";
  return `${s.stack}: ${r.summary.resources} resources, ${r.summary.mandatory} mandatory and ${r.summary.advisory} advisory policy violations${adoption}`;
}

export function renderAccountJson(report: AccountReport): string {
  return JSON.stringify(
    {
      stacks: report.stacks.map((s) => ({
        stack: s.stack,
        accountId: s.accountId ?? null,
        region: s.region ?? null,
        ...(s.error !== undefined ? { error: s.error } : { preview: s.report }),
      })),
      account: { findings: report.findings, uncoveredTypes: report.uncoveredTypes },
      summary: {
        stacks: report.stacks.length,
        failedStacks: report.stacks.filter((s) => s.error !== undefined).length,
        mandatory: report.stacks.reduce((n, s) => n + (s.report?.summary.mandatory ?? 0), 0),
        advisory: report.stacks.reduce((n, s) => n + (s.report?.summary.advisory ?? 0), 0),
        findings: report.findings.length,
      },
    },
    null,
    2,
  );
}

export function renderAccountText(report: AccountReport): string {
  const lines = [`Account preview of ${report.stacks.length} stacks (offline engine, nothing deployed)`, "", "Stacks:"];
  for (const s of report.stacks) {
    lines.push(`  ${stackLine(s)}`);
    for (const v of s.report?.violations ?? []) {
      const detail = v.message.split("\n").slice(1).join(" ") || v.message;
      lines.push(`      [${v.enforcement}] ${v.policy}  ${v.urn}`, `        ${detail}`);
    }
  }
  lines.push("", "Checked together (one account):");
  if (report.findings.length === 0) lines.push("  no two resources claim the same name, no account singleton twice");
  for (const f of report.findings) {
    lines.push(`  [${f.kind === "name" ? "name collision" : "account singleton"}] ${f.what}`);
    for (const c of f.claims) lines.push(`      ${c.stack}: ${c.urn}  (${c.name})`);
    lines.push(`    ${f.message}`);
  }
  if (report.uncoveredTypes.length > 0) {
    lines.push("", `Types the account table does not know (names not checked): ${report.uncoveredTypes.join(", ")}`);
  }
  const mandatory = report.stacks.filter((s) => s.report?.violations.some(isMandatory)).length;
  lines.push(
    "",
    `Summary: ${report.stacks.length} stacks, ${mandatory} with mandatory violations, ${report.findings.length} cross-stack findings, ${report.stacks.filter((s) => s.error).length} failed.`,
  );
  return lines.join("\n");
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, "<br>");

export function renderAccountMarkdown(report: AccountReport): string {
  const code = accountExitCode(report);
  const status =
    code === 2
      ? "❌ a stack could not be previewed"
      : code === 1
        ? "❌ blocked: mandatory violations or cross-stack findings"
        : "✅ every stack clean, nothing claimed twice in the account";
  const lines = [
    `## Account preview of ${report.stacks.length} stacks (offline engine, nothing deployed)`,
    "",
    `**${status}**`,
    "",
    "### Stacks",
    "",
    "| stack | result |",
    "| --- | --- |",
    ...report.stacks.map((s) => `| \`${s.stack}\` | ${cell(stackLine(s).slice(s.stack.length + 2))} |`),
    "",
    "### Checked together (one account)",
    "",
  ];
  if (report.findings.length === 0) lines.push("No two resources claim the same name; no account singleton twice.");
  else {
    lines.push("| finding | claimed by | message |", "| --- | --- | --- |");
    for (const f of report.findings) {
      const by = f.claims.map((c) => `\`${c.stack}\`: \`${cell(c.urn)}\``).join("<br>");
      lines.push(
        `| ${f.kind === "name" ? "name collision" : "account singleton"}: ${cell(f.what)} | ${by} | ${cell(f.message)} |`,
      );
    }
  }
  const violations = report.stacks.flatMap((s) => (s.report?.violations ?? []).map((v) => ({ stack: s.stack, v })));
  if (violations.length > 0) {
    lines.push("", "### Policy violations", "", "| stack | level | policy | resource |", "| --- | --- | --- | --- |");
    for (const { stack, v } of violations)
      lines.push(`| \`${stack}\` | ${v.enforcement} | \`${v.policy}\` | \`${cell(v.urn)}\` |`);
  }
  return lines.join("\n");
}
