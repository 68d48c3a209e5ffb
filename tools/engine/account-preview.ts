import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BUDGET_OUTPUTS } from "../../lib/stack-contract";
import { type AccountFinding, checkAccount } from "./account-check";
import { isCovered, needsNoEntry } from "./account-names";
import { type ChildResult, runNode } from "./child-process";
import {
  BUDGET_FLAGS,
  budgetsFromOutputs,
  type CostEstimate,
  FREE_TIER_COMPONENT,
  freeTierLine,
  loadPriceTable,
  usd,
} from "./cost";
import { engineHome } from "./home";
import { fromInfracost } from "./infracost";
import type { Violation } from "./policy-client";
import { programConfig } from "./program-config";
import { locateProject } from "./project";
import { exitCodeFor, type JsonReport } from "./render";
import { availableStacks, readStackFile } from "./stack-file";

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
  /** Also estimate each stack's cost and the account's against the account budget. */
  readonly cost?: boolean;
  /** --budget-usd: every stack's budget, instead of the programs' outputs. */
  readonly budgetUsd?: number;
  /** --account-budget-usd: the account's budget, instead of a stack's output. */
  readonly accountBudgetUsd?: number;
  /** --config-namespace, passed to every stack's preview. */
  readonly configNamespace?: string;
  /** --account-id, passed to every stack's preview. */
  readonly accountId?: string;
}

export interface StackOutcome {
  readonly stack: string;
  readonly accountId?: string;
  readonly region?: string;
  /** The single-stack preview, when it ran (exit 0 or 1). */
  readonly report?: JsonReport;
  /** Why the preview could not run (exit 2): the single-stack preview's own message. */
  readonly error?: string;
  /** With --cost: the stack's estimate (its free-tier line as the single-stack preview shows it). */
  readonly cost?: CostEstimate;
  /** The stack's budget (--budget-usd, else its program's output), or null. */
  readonly budgetUsd?: number | null;
  /** The account budget, on the stack whose program exports it. */
  readonly accountBudgetUsd?: number | null;
}

/** The account's money: every stack summed, the account-wide free tiers credited once. */
export interface AccountCost {
  readonly stacks: { stack: string; monthlyUsd: number; budgetUsd: number | null; lowerBound: boolean }[];
  /** The stacks' totals before any free tier. */
  readonly grossUsd: number;
  /** The account-wide free tiers, credited once across the stacks (≤ 0). */
  readonly freeTierUsd: number;
  readonly monthlyUsd: number;
  readonly accountBudgetUsd: number | null;
  /** The stack whose program exports the account budget; null when none does, or it came from --account-budget-usd. */
  readonly budgetStack: string | null;
  /** Some stack has unpriced resources or costs that depend on usage: the total is a lower bound. */
  readonly lowerBound: boolean;
}

export interface AccountReport {
  readonly stacks: StackOutcome[];
  readonly findings: AccountFinding[];
  /** Resource types the account table (account-names.ts) does not know: their names went unchecked. */
  readonly uncoveredTypes: string[];
  /** With --cost. */
  readonly cost?: AccountCost;
}

function runPreviewProcess(args: string[]): Promise<ChildResult> {
  return runNode([...engineHome().previewProcess, ...args], { cwd: engineHome().root });
}

/** Resolves `--stacks a,b` (or every stack file) against the stack files that exist; unknown names are an error. */
export function selectStacks(requested: readonly string[] | undefined, stackDir = engineHome().root): string[] {
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
  const stackDir = options.stackDir ?? engineHome().root;
  const project = locateProject(stackDir, options.program, engineHome().root);
  const file = readStackFile(stack, stackDir, project.name);
  const config = file.config;
  let accountId: string | undefined;
  try {
    // The account the stack's preview answers with (program-config.ts): the stacks are grouped by it.
    accountId = programConfig(config, project, file.path, {
      ...(options.configNamespace !== undefined ? { namespace: options.configNamespace } : {}),
      ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
    }).accountId;
  } catch (e) {
    return { stack, error: (e as Error).message };
  }
  const where = {
    ...(accountId ? { accountId } : {}),
    ...(config["aws:region"] ? { region: config["aws:region"] } : {}),
  };
  const args = ["--stack", stack, "--json", "--quiet", "--stack-dir", stackDir];
  if (options.program) args.push("--program", options.program);
  if (options.policyConfigFile) args.push("--policy-config", options.policyConfigFile);
  if (options.configNamespace !== undefined) args.push("--config-namespace", options.configNamespace);
  if (options.accountId !== undefined) args.push("--account-id", options.accountId);
  const costDir = options.cost ? fs.mkdtempSync(path.join(os.tmpdir(), "preview-cost-")) : undefined;
  const costFile = costDir ? path.join(costDir, `${stack}.json`) : undefined;
  if (costFile) args.push("--cost-file", costFile);
  options.progress?.(`previewing stack ${stack}`);
  try {
    const child = await runPreviewProcess(args);
    if (child.code === 0 || child.code === 1) {
      let report: JsonReport;
      try {
        report = JSON.parse(child.stdout) as JsonReport;
      } catch {
        return { stack, ...where, error: "the preview printed no JSON report" };
      }
      if (!costFile) return { stack, ...where, report };
      const cost = fromInfracost(JSON.parse(fs.readFileSync(costFile, "utf8")), `the cost of stack ${stack}`).estimate;
      let budgets: ReturnType<typeof budgetsFromOutputs>;
      try {
        budgets = budgetsFromOutputs((report.outputs ?? {}) as Record<string, unknown>);
      } catch (e) {
        return { stack, ...where, error: (e as Error).message };
      }
      return {
        stack,
        ...where,
        report,
        cost,
        budgetUsd: options.budgetUsd ?? budgets.stackUsd,
        accountBudgetUsd: budgets.accountUsd,
      };
    }
    const message = child.stderr.trim().replace(/^error: /, "") || `the preview exited with code ${child.code}`;
    return { stack, ...where, error: message };
  } finally {
    if (costDir) fs.rmSync(costDir, { recursive: true, force: true });
  }
}

/**
 * Sums the stacks' estimates for the account: each stack's lines without its own free-tier credit,
 * then the account-wide free tiers credited once on all of them (AWS applies them per account).
 */
export function accountCost(outcomes: readonly StackOutcome[], accountBudgetUsd?: number): AccountCost | undefined {
  const priced = outcomes.filter((o) => o.cost !== undefined);
  if (priced.length === 0) return undefined;
  const lines = priced.flatMap((o) =>
    (o.cost as CostEstimate).lines.filter((l) => l.component !== FREE_TIER_COMPONENT),
  );
  const grossUsd = Math.round(lines.reduce((n, l) => n + l.monthlyUsd, 0) * 1e4) / 1e4;
  const region = priced[0]?.cost?.region || priced[0]?.region || "us-east-1";
  const freeTierUsd = freeTierLine(lines, loadPriceTable(region))?.monthlyUsd ?? 0;
  const owners = priced.filter((o) => o.accountBudgetUsd !== null && o.accountBudgetUsd !== undefined);
  return {
    stacks: priced.map((o) => ({
      stack: o.stack,
      monthlyUsd: (o.cost as CostEstimate).monthlyUsd,
      budgetUsd: o.budgetUsd ?? null,
      lowerBound: (o.cost as CostEstimate).unpriced.length + (o.cost as CostEstimate).dependsOnUsage.length > 0,
    })),
    grossUsd,
    freeTierUsd,
    monthlyUsd: Math.round((grossUsd + freeTierUsd) * 1e4) / 1e4,
    accountBudgetUsd: accountBudgetUsd ?? owners[0]?.accountBudgetUsd ?? null,
    budgetStack: accountBudgetUsd !== undefined ? null : (owners[0]?.stack ?? null),
    lowerBound: priced.some(
      (o) => (o.cost as CostEstimate).unpriced.length + (o.cost as CostEstimate).dependsOnUsage.length > 0,
    ),
  };
}

const share = (n: number, of: number | null, atLeast: boolean) =>
  of === null
    ? "no budget"
    : `${atLeast ? "at least " : ""}${((n / of) * 100).toFixed(1)} % of ${usd(of)}${n > of ? " — OVER BUDGET" : ""}`;

/** The account's money, one line per stack then the account against its budget. */
export function accountCostLines(c: AccountCost): string[] {
  const width = Math.max(...c.stacks.map((s) => s.stack.length));
  const out = c.stacks.map(
    (s) =>
      `${s.stack.padEnd(width)} ${usd(s.monthlyUsd).padStart(10)}  (${share(s.monthlyUsd, s.budgetUsd, s.lowerBound)}: its own budget, ${s.budgetUsd === null ? `no \`${BUDGET_OUTPUTS.stack}\` output (or ${BUDGET_FLAGS.stack} N)` : BUDGET_OUTPUTS.stack})`,
  );
  out.push(
    `${"account".padEnd(width)} ${usd(c.monthlyUsd).padStart(10)}  (${share(c.monthlyUsd, c.accountBudgetUsd, c.lowerBound)}: the account budget${c.budgetStack ? `, ${BUDGET_OUTPUTS.account} of ${c.budgetStack}` : c.accountBudgetUsd !== null ? `, ${BUDGET_FLAGS.account}` : ` (no stack exports \`${BUDGET_OUTPUTS.account}\`: export it from the stack that holds the account budget, or pass ${BUDGET_FLAGS.account} N)`}; stacks ${usd(c.grossUsd)}, account-wide free tiers credited once ${usd(c.freeTierUsd)})`,
  );
  return out;
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
      // Registration data, not the type's name: a component (custom: false) claims no AWS name.
      if (!needsNoEntry(r.type, r.custom) && !isCovered(r.type)) uncovered.add(r.type);
    }
  }
  const cost = options.cost ? accountCost(outcomes, options.accountBudgetUsd) : undefined;
  return { stacks: outcomes, findings, uncoveredTypes: [...uncovered].sort(), ...(cost ? { cost } : {}) };
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
        ...(s.cost ? { cost: { monthlyUsd: s.cost.monthlyUsd, budgetUsd: s.budgetUsd ?? null } } : {}),
      })),
      account: {
        findings: report.findings,
        uncoveredTypes: report.uncoveredTypes,
        ...(report.cost ? { cost: report.cost } : {}),
      },
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
  if (report.cost) {
    lines.push("", "Monthly cost (one account, one bill):");
    for (const l of accountCostLines(report.cost)) lines.push(`  ${l}`);
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
  if (report.cost) {
    const c = report.cost;
    lines.push(
      "",
      "### Monthly cost (one account, one bill)",
      "",
      "| | monthly | budget | share |",
      "| --- | ---: | ---: | ---: |",
      ...c.stacks.map(
        (s) =>
          `| \`${s.stack}\` | ${usd(s.monthlyUsd)} | ${s.budgetUsd === null ? "—" : usd(s.budgetUsd)} (its own) | ${share(s.monthlyUsd, s.budgetUsd, s.lowerBound)} |`,
      ),
      `| **account** | **${usd(c.monthlyUsd)}** | ${c.accountBudgetUsd === null ? "—" : usd(c.accountBudgetUsd)} (account) | **${share(c.monthlyUsd, c.accountBudgetUsd, c.lowerBound)}** |`,
      "",
      `The account total sums every stack (${usd(c.grossUsd)}) and credits AWS's account-wide free tiers once (${usd(c.freeTierUsd)}).`,
    );
  }
  const violations = report.stacks.flatMap((s) => (s.report?.violations ?? []).map((v) => ({ stack: s.stack, v })));
  if (violations.length > 0) {
    lines.push("", "### Policy violations", "", "| stack | level | policy | resource |", "| --- | --- | --- | --- |");
    for (const { stack, v } of violations)
      lines.push(`| \`${stack}\` | ${v.enforcement} | \`${v.policy}\` | \`${cell(v.urn)}\` |`);
  }
  return lines.join("\n");
}
