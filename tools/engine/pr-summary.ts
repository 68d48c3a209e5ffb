import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { INVENTORY_FILE_ENV, indexInventory, inventoryPath, readInventory } from "../../lib/inventory";
import {
  budgetsFromOutputs,
  type CostEstimate,
  CostUsageError,
  estimateCost,
  loadPriceTable,
  loadUsageProfile,
  renderCostMarkdown,
  renderCostText,
  usageProfilePath,
} from "./cost";
import { buildDiagram, type DiagramModel, diagramFormatOf, renderDiagram, toMermaid } from "./diagram";
import { engineHome } from "./home";
import {
  type CostChange,
  diffEstimates,
  fromInfracost,
  renderChangeMarkdown,
  renderChangeText,
  toInfracost,
  type Vcs,
} from "./infracost";
import type { PreviewResult } from "./preview";
import { type Report, redact, renderJson, renderMarkdown, renderText } from "./render";
import { readStackFile } from "./stack-file";

// What `preview --cost --diagram FILE --focus C` and `--markdown` add to the plain preview: the
// cost estimate against the stack's budget, the architecture diagram, and the pull-request comment
// that puts them together under GitHub's comment size limit.

/** GitHub rejects an issue or PR comment body longer than this (characters). */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Room left for what the workflow adds around the summary (a marker line, a heading). */
export const SUMMARY_MARGIN = 1_024;

export interface ExtrasOptions {
  readonly stackDir?: string;
  readonly cost: boolean;
  readonly diagramFile?: string;
  readonly focus?: string;
  /** The Mermaid diagram is needed for the PR comment even without --diagram. */
  readonly mermaid: boolean;
  readonly usageDir?: string;
  /** A previous `--cost --json` document (the PR's base commit): the cost is shown as a change from it. */
  readonly compareFile?: string;
  /** --budget-usd: the stack's budget when the program exports none (or to try another). */
  readonly budgetUsd?: number;
}

export interface Extras {
  readonly cost?: CostEstimate;
  /** The base estimate (--compare) and the change from it. */
  readonly past?: CostEstimate;
  readonly change?: CostChange;
  readonly vcs?: Vcs;
  readonly diagram?: DiagramModel;
  readonly diagramWritten?: string;
}

/** Computes the cost and the diagram the flags ask for, and writes the diagram file. */
export async function previewExtras(
  result: Pick<PreviewResult, "stack" | "resources"> & Partial<Pick<PreviewResult, "outputs">>,
  options: ExtrasOptions,
): Promise<Extras> {
  const format = options.diagramFile ? diagramFormatOf(options.diagramFile) : undefined;
  let cost: CostEstimate | undefined;
  let past: CostEstimate | undefined;
  let change: CostChange | undefined;
  let vcs: Vcs | undefined;
  if (options.cost || options.compareFile) {
    const config = readStackFile(result.stack, options.stackDir ?? engineHome().root).config;
    const usageDir = options.usageDir ?? engineHome().usageDir;
    const usageFile = path.join(usageDir, `${result.stack}.yaml`);
    cost = estimateCost(result.resources, {
      prices: loadPriceTable(config["aws:region"] ?? "us-east-1"),
      usage: loadUsageProfile(result.stack, usageDir),
      usageFile: fs.existsSync(usageFile)
        ? options.usageDir
          ? path.relative(process.cwd(), usageFile) || usageFile
          : usageProfilePath(result.stack)
        : null,
      budgetUsd: options.budgetUsd ?? budgetsFromOutputs(result.outputs ?? {}).stackUsd,
      inventory: loadInventoryIndex(result.stack, options.stackDir ?? engineHome().root),
    });
    vcs = vcsInfo();
    if (options.compareFile) {
      past = readCostFile(options.compareFile);
      change = diffEstimates(past, cost);
    }
  }
  let diagram: DiagramModel | undefined;
  let diagramWritten: string | undefined;
  if (options.diagramFile || options.mermaid || options.focus) {
    diagram = buildDiagram(result.resources, { title: `Stack ${result.stack}`, focus: options.focus });
    if (options.diagramFile && format) {
      const text = await renderDiagram(diagram, format);
      fs.mkdirSync(path.dirname(path.resolve(options.diagramFile)), { recursive: true });
      fs.writeFileSync(options.diagramFile, text);
      diagramWritten = options.diagramFile;
    }
  }
  return { cost, past, change, vcs, diagram, diagramWritten };
}

/** The stack's inventory (inventory/<stack>.json, or the file INVENTORY_FILE_ENV names), indexed; none is fine. */
function loadInventoryIndex(stack: string, root: string) {
  const file = process.env[INVENTORY_FILE_ENV] || path.join(root, inventoryPath(stack));
  if (!process.env[INVENTORY_FILE_ENV] && !fs.existsSync(file)) return undefined;
  return indexInventory(readInventory(file));
}

/** Reads a `--cost --json` document for --compare; a clear error naming the file otherwise. */
export function readCostFile(file: string): CostEstimate {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new CostUsageError(`--compare ${file}: cannot be read (${(e as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CostUsageError(`--compare ${file}: not JSON (${(e as Error).message})`);
  }
  return fromInfracost(doc, `--compare ${file}`).estimate;
}

/**
 * The commit the estimate describes, for Infracost's metadata: git's HEAD, the branch GitHub
 * Actions names (GITHUB_HEAD_REF / GITHUB_REF_NAME) when there. Its commit time is also the
 * document's timeGenerated, so one commit always gives the same document.
 */
export function vcsInfo(cwd = engineHome().root): Vcs {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return "";
    }
  };
  const [sha = "", name = "", email = "", time = "", subject = ""] = git(
    "log",
    "-1",
    "--format=%H%x00%an%x00%ae%x00%cI%x00%s",
  ).split("\u0000");
  return {
    branch: process.env.GITHUB_HEAD_REF || process.env.GITHUB_REF_NAME || git("rev-parse", "--abbrev-ref", "HEAD"),
    commitSha: sha,
    commitAuthorName: name,
    commitAuthorEmail: email,
    commitTimestamp: time ? new Date(time).toISOString() : new Date(0).toISOString(),
    commitMessage: subject,
  };
}

/** The Infracost JSON document of the extras' estimate (with the base's when --compare was given). */
export function costJson(stack: string, extras: Extras): string {
  if (!extras.cost || !extras.vcs) throw new Error("costJson needs the cost estimate");
  return JSON.stringify(toInfracost(extras.cost, { stack, vcs: extras.vcs, past: extras.past }), null, 2);
}

export function renderTextWithExtras(report: Report, extras: Extras): string {
  const parts = [renderText(report)];
  if (extras.change) parts.push("", renderChangeText(extras.change));
  if (extras.cost) parts.push("", renderCostText(extras.cost));
  if (extras.diagramWritten) parts.push("", `Diagram written to ${extras.diagramWritten}`);
  return redact(parts.join("\n"), report);
}

/**
 * `--json`: the preview's report; with `--cost`, the cost estimate alone in Infracost's JSON output
 * shape instead (what `infracost comment` and `--compare` read; the exit code still carries the
 * policy result).
 */
export function renderJsonWithExtras(report: Report, extras: Extras): string {
  if (extras.cost) return redact(costJson(report.stack, extras), report);
  const json = JSON.parse(renderJson(report)) as Record<string, unknown>;
  if (extras.diagramWritten) json.diagram = extras.diagramWritten;
  return redact(JSON.stringify(json, null, 2), report);
}

function mdSummary(e: CostEstimate): string {
  return `$${e.monthlyUsd.toFixed(2)} a month${e.budgetUsd !== null ? ` of the stack's $${e.budgetUsd.toFixed(2)} budget` : ""}`;
}

interface Block {
  readonly text: string;
  /** Lower is dropped first when the comment is too long; undefined is never dropped. */
  readonly dropOrder?: number;
  /** What replaces the block when it is dropped. */
  readonly omitted?: string;
}

/** Cuts `text` at a line boundary so that it and the note fit in `limit` characters. */
function hardTruncate(text: string, limit: number, note: string): string {
  const room = limit - note.length - 2;
  const cut = text.slice(0, Math.max(0, room));
  const lastNewline = cut.lastIndexOf("\n");
  return `${lastNewline > 0 ? cut.slice(0, lastNewline) : cut}\n\n${note}`;
}

/** Joins blocks, dropping the least important ones, then cutting, until the result fits. */
export function fitBlocks(blocks: readonly Block[], limit: number): string {
  const current = [...blocks];
  const join = () => current.map((b) => b.text).join("\n\n");
  const droppable = blocks
    .map((b, i) => ({ b, i }))
    .filter(({ b }) => b.dropOrder !== undefined)
    .sort((x, y) => (x.b.dropOrder ?? 0) - (y.b.dropOrder ?? 0));
  for (const { b, i } of droppable) {
    if (join().length <= limit) break;
    current[i] = { text: b.omitted ?? "" };
  }
  const text = join();
  if (text.length <= limit) return text;
  return hardTruncate(
    text,
    limit,
    `> ✂️ Truncated: the full summary is ${text.length.toLocaleString("en-US")} characters, over GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character comment limit. Run \`npm run preview -- --stack <stack>\` or see the job summary for all of it.`,
  );
}

/**
 * The pull-request comment: status and policy violations first, then the cost against the budget,
 * the architecture (Mermaid, rendered by GitHub), what the preview creates, and the outputs.
 */
export function renderPrSummary(report: Report, extras: Extras, limit = GITHUB_COMMENT_LIMIT - SUMMARY_MARGIN): string {
  const base = renderMarkdown(report);
  const at = (marker: string, from = 0) => {
    const i = base.indexOf(marker, from);
    return i < 0 ? base.length : i;
  };
  const resourcesAt = at("\n### Resources");
  const treeAt = at("\n<details><summary>Resource tree", resourcesAt);
  const outputsAt = at("\n### Outputs", treeAt);
  const blocks: Block[] = [{ text: base.slice(0, resourcesAt).trimEnd() }];
  if (extras.cost && extras.change)
    // Infracost's order: the monthly change first, the full estimate folded under it.
    blocks.push({
      text: `### Monthly cost change\n\n${renderChangeMarkdown(extras.change)}\n\n<details><summary>Full estimate: ${mdSummary(extras.cost)}</summary>\n\n${renderCostMarkdown(extras.cost)}\n\n</details>`,
      dropOrder: 3,
      omitted: `### Monthly cost change\n\n${renderChangeMarkdown(extras.change)}\n\n_Full estimate omitted to fit the comment limit._`,
    });
  else if (extras.cost)
    blocks.push({
      text: `### Cost against the budget\n\n${renderCostMarkdown(extras.cost)}`,
      dropOrder: 3,
      omitted: `### Cost against the budget\n\n${renderCostMarkdown({ ...extras.cost, lines: [] }).split("\n<details>")[0]}`,
    });
  if (extras.diagram) {
    const mermaid = toMermaid(extras.diagram);
    blocks.push({
      text: `### Architecture\n\n<details><summary>Diagram (${extras.diagram.nodes.length} nodes; blue: data flow, dashed: dependency)</summary>\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n\n</details>`,
      dropOrder: 2,
      omitted: `### Architecture\n\nDiagram omitted to fit the comment limit: \`npm run preview -- --stack ${report.stack} --diagram architecture.svg\`.`,
    });
  }
  const resources = base.slice(resourcesAt, treeAt).trim();
  blocks.push({
    text: resources.replace(
      "### Resources",
      report.adoption
        ? "### Resources (steps against the inventory: see What `pulumi up` will do)"
        : "### What changes (offline preview: every resource is a create)",
    ),
    dropOrder: 4,
    omitted: `### What changes\n\n${report.resources.length} resources to create (table omitted to fit the comment limit).`,
  });
  const tree = base.slice(treeAt, outputsAt).trim();
  if (tree) blocks.push({ text: tree, dropOrder: 0, omitted: "_Resource tree omitted to fit the comment limit._" });
  const outputs = base.slice(outputsAt).trim();
  if (outputs) blocks.push({ text: outputs, dropOrder: 1, omitted: "_Outputs omitted to fit the comment limit._" });
  return fitBlocks(
    blocks.map((b) => ({ ...b, text: redact(b.text, report), omitted: b.omitted && redact(b.omitted, report) })),
    limit,
  );
}
