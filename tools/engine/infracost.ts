import {
  type CostEstimate,
  type CostItem,
  type CostLine,
  CostUsageError,
  HOURS_PER_MONTH,
  mdCell,
  summarize,
  usd,
} from "./cost";

// The cost estimate in Infracost's JSON output shape (projects → breakdown → resources →
// costComponents; prices, quantities and costs as decimal strings), so `infracost comment` and
// Infracost's dashboards take it, and a previous one (the PR's base commit) read back for
// `--compare`. The schema it must satisfy is vendored in tools/engine/schemas/ (see its README).
// Our own fields (component, quantity sources, usage settings) ride in each resource's `metadata`,
// the one free-form place the schema leaves.

/** The Infracost output format version this writes (Root.version). */
export const INFRACOST_OUTPUT_VERSION = "0.2";
/** ProjectMetadata.type for a project this engine previewed. */
export const PROJECT_TYPE = "pulumi_offline_preview";

export interface Vcs {
  readonly branch: string;
  readonly commitSha: string;
  readonly commitAuthorName: string;
  readonly commitAuthorEmail: string;
  /** ISO 8601; also the document's timeGenerated, so one commit gives one byte-identical document. */
  readonly commitTimestamp: string;
  readonly commitMessage: string;
  readonly baseCommitSha?: string;
}

type Dec = string | null;

export interface InfracostComponent {
  name: string;
  unit: string;
  hourlyQuantity: Dec;
  monthlyQuantity: Dec;
  price: Dec;
  hourlyCost: Dec;
  monthlyCost: Dec;
  usageBased: boolean;
  priceNotFound: boolean;
}

export interface InfracostResource {
  name: string;
  resourceType: string;
  metadata: { huntaze: HuntazeResourceMetadata };
  hourlyCost: Dec;
  monthlyCost: Dec;
  monthlyUsageCost: Dec;
  costComponents: InfracostComponent[];
}

interface HuntazeResourceMetadata {
  readonly component: string;
  readonly urn: string;
  readonly status: CostLine["status"];
  readonly note?: string;
  readonly region: string;
  readonly pricesTranscribed: string;
  readonly usageFile: string | null;
  readonly items: CostItem[];
}

export interface InfracostBreakdown {
  resources: InfracostResource[];
  totalHourlyCost: Dec;
  totalMonthlyCost: Dec;
  totalMonthlyUsageCost: Dec;
}

export interface InfracostDoc {
  version: string;
  metadata: Record<string, string>;
  currency: string;
  projects: {
    name: string;
    displayName: string;
    metadata: { path: string; type: string };
    pastBreakdown: InfracostBreakdown;
    breakdown: InfracostBreakdown;
    diff: InfracostBreakdown;
    summary: Record<string, unknown>;
  }[];
  totalHourlyCost: Dec;
  totalMonthlyCost: Dec;
  totalMonthlyUsageCost: Dec;
  pastTotalHourlyCost: Dec;
  pastTotalMonthlyCost: Dec;
  pastTotalMonthlyUsageCost: Dec;
  diffTotalHourlyCost: Dec;
  diffTotalMonthlyCost: Dec;
  diffTotalMonthlyUsageCost: Dec;
  timeGenerated: string;
  summary: Record<string, unknown>;
}

/** A decimal string, never in exponent notation (Infracost's fields are decimals). */
export function decimal(n: number): string {
  if (n === 0) return "0";
  const s = n
    .toFixed(10)
    .replace(/(\.\d*?)0+$/, "$1")
    .replace(/\.$/, "");
  return s === "-0" ? "0" : s;
}

const hourly = (monthly: number) => decimal(monthly / HOURS_PER_MONTH);

function componentOf(i: CostItem): InfracostComponent {
  const marker = i.dependsOnUsage ? "" : i.source === "default" ? " (default usage)" : "";
  return {
    name: `${i.description}${marker}`,
    unit: i.unit,
    hourlyQuantity: i.dependsOnUsage ? null : decimal(i.quantity / HOURS_PER_MONTH),
    monthlyQuantity: i.dependsOnUsage ? null : decimal(i.quantity),
    price: decimal(i.unitPriceUsd),
    hourlyCost: i.dependsOnUsage ? null : hourly(i.monthlyUsd),
    monthlyCost: i.dependsOnUsage ? null : decimal(i.monthlyUsd),
    usageBased: i.basis === "usage",
    priceNotFound: false,
  };
}

/**
 * The engine's own metadata of one line: its component, URN and status, and the estimate's region
 * and sources; for a change between two estimates, the head's items.
 */
function lineMetadata(
  l: CostLine,
  e: CostEstimate,
  change?: { items: CostItem[] },
): { huntaze: HuntazeResourceMetadata } {
  return {
    huntaze: {
      component: l.component,
      urn: l.urn,
      status: l.status,
      // A change's note would describe one side only.
      ...(l.note && !change ? { note: l.note } : {}),
      region: e.region,
      pricesTranscribed: e.pricesTranscribed,
      usageFile: e.usageFile,
      items: change ? change.items : l.items,
    },
  };
}

function breakdownOf(e: CostEstimate): InfracostBreakdown {
  return {
    resources: e.lines.map((l) => ({
      name: resourceAddress(l),
      resourceType: l.type,
      metadata: lineMetadata(l, e),
      hourlyCost: l.status === "unpriced" ? null : hourly(l.monthlyUsd),
      monthlyCost: l.status === "unpriced" ? null : decimal(l.monthlyUsd),
      monthlyUsageCost: l.status === "unpriced" ? null : decimal(l.usageUsd),
      costComponents: l.items.map(componentOf),
    })),
    totalHourlyCost: hourly(e.monthlyUsd),
    totalMonthlyCost: decimal(e.monthlyUsd),
    totalMonthlyUsageCost: decimal(e.usageUsd),
  };
}

const EMPTY_BREAKDOWN: InfracostBreakdown = {
  resources: [],
  totalHourlyCost: "0",
  totalMonthlyCost: "0",
  totalMonthlyUsageCost: "0",
};

/** A resource's address: `component.name` (the name alone for the stack's own resources). */
export function resourceAddress(l: Pick<CostLine, "component" | "name">): string {
  return l.component === "(stack)" ? l.name : `${l.component}.${l.name}`;
}

const lineKey = (l: Pick<CostLine, "component" | "name" | "type">) => `${l.component}\u0000${l.type}\u0000${l.name}`;

/** Infracost's `diff` breakdown: each resource whose monthly cost changed, with the change. */
function diffBreakdown(past: CostEstimate, head: CostEstimate): InfracostBreakdown {
  const before = new Map(past.lines.map((l) => [lineKey(l), l]));
  const after = new Map(head.lines.map((l) => [lineKey(l), l]));
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const resources: InfracostResource[] = [];
  for (const k of keys) {
    const a = before.get(k);
    const b = after.get(k);
    const l = (b ?? a) as CostLine;
    const delta = (b?.monthlyUsd ?? 0) - (a?.monthlyUsd ?? 0);
    const usageDelta = (b?.usageUsd ?? 0) - (a?.usageUsd ?? 0);
    if (a && b && Math.abs(delta) < 1e-9 && a.status === b.status) continue;
    const names = [...new Set([...(a?.items ?? []), ...(b?.items ?? [])].map((i) => i.description))];
    resources.push({
      name: resourceAddress(l),
      resourceType: l.type,
      metadata: lineMetadata(l, head, { items: b?.items ?? [] }),
      hourlyCost: hourly(delta),
      monthlyCost: decimal(delta),
      monthlyUsageCost: decimal(usageDelta),
      costComponents: names.map((name) => {
        const x = a?.items.find((i) => i.description === name);
        const y = b?.items.find((i) => i.description === name);
        const d = (y?.monthlyUsd ?? 0) - (x?.monthlyUsd ?? 0);
        const dq = (y?.quantity ?? 0) - (x?.quantity ?? 0);
        const i = (y ?? x) as CostItem;
        return {
          name,
          unit: i.unit,
          hourlyQuantity: decimal(dq / HOURS_PER_MONTH),
          monthlyQuantity: decimal(dq),
          price: decimal(i.unitPriceUsd),
          hourlyCost: hourly(d),
          monthlyCost: decimal(d),
          usageBased: i.basis === "usage",
          priceNotFound: false,
        };
      }),
    });
  }
  return {
    resources,
    totalHourlyCost: hourly(head.monthlyUsd - past.monthlyUsd),
    totalMonthlyCost: decimal(head.monthlyUsd - past.monthlyUsd),
    totalMonthlyUsageCost: decimal(head.usageUsd - past.usageUsd),
  };
}

function countBy<T>(xs: readonly T[], key: (x: T) => string, n: (x: T) => number = () => 1): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + n(x);
  return out;
}

/** The estimate (and, with --compare, the base's) as an Infracost JSON document. */
export function toInfracost(
  head: CostEstimate,
  options: { readonly stack: string; readonly vcs: Vcs; readonly past?: CostEstimate },
): InfracostDoc {
  const past = options.past;
  const priced = head.lines.filter((l) => l.status === "priced" && l.urn !== "");
  const unpriced = head.lines.filter((l) => l.status === "unpriced");
  const summary = {
    totalDetectedResources: head.lines.filter((l) => l.urn !== "").length + head.free.reduce((n, f) => n + f.count, 0),
    totalSupportedResources: priced.length,
    totalUnsupportedResources: unpriced.length,
    totalUsageBasedResources: priced.filter((l) => l.items.some((i) => i.basis === "usage")).length,
    totalNoPriceResources: head.free.reduce((n, f) => n + f.count, 0),
    supportedResourceCounts: countBy(priced, (l) => l.type),
    unsupportedResourceCounts: countBy(unpriced, (l) => l.type),
    noPriceResourceCounts: countBy(
      head.free,
      (f) => f.type,
      (f) => f.count,
    ),
  };
  const pastBreakdown = past ? breakdownOf(past) : EMPTY_BREAKDOWN;
  const breakdown = breakdownOf(head);
  const diff = past ? diffBreakdown(past, head) : breakdown;
  const vcs = options.vcs;
  return {
    version: INFRACOST_OUTPUT_VERSION,
    metadata: {
      infracostCommand: past ? "diff" : "breakdown",
      vcsBranch: vcs.branch,
      vcsCommitSha: vcs.commitSha,
      vcsCommitAuthorName: vcs.commitAuthorName,
      vcsCommitAuthorEmail: vcs.commitAuthorEmail,
      vcsCommitTimestamp: vcs.commitTimestamp,
      vcsCommitMessage: vcs.commitMessage,
      ...(vcs.baseCommitSha ? { vcsBaseCommitSha: vcs.baseCommitSha } : {}),
    },
    currency: "USD",
    projects: [
      {
        name: options.stack,
        displayName: options.stack,
        metadata: { path: `Pulumi.${options.stack}.yaml`, type: PROJECT_TYPE },
        pastBreakdown,
        breakdown,
        diff,
        summary,
      },
    ],
    totalHourlyCost: breakdown.totalHourlyCost,
    totalMonthlyCost: breakdown.totalMonthlyCost,
    totalMonthlyUsageCost: breakdown.totalMonthlyUsageCost,
    pastTotalHourlyCost: pastBreakdown.totalHourlyCost,
    pastTotalMonthlyCost: pastBreakdown.totalMonthlyCost,
    pastTotalMonthlyUsageCost: pastBreakdown.totalMonthlyUsageCost,
    diffTotalHourlyCost: diff.totalHourlyCost,
    diffTotalMonthlyCost: diff.totalMonthlyCost,
    diffTotalMonthlyUsageCost: diff.totalMonthlyUsageCost,
    timeGenerated: vcs.commitTimestamp,
    summary,
  };
}

/**
 * Reads back a document `--cost --json` wrote (the base of `--compare`, a stack of `--all --cost`):
 * the stack's estimate, rebuilt from each resource's metadata. `where` names the file in errors.
 */
export function fromInfracost(doc: unknown, where: string): { stack: string; estimate: CostEstimate } {
  const fail = (what: string) =>
    new CostUsageError(
      `${where} is not a cost estimate written by \`npm run preview -- --stack <stack> --cost --json\`: ${what}`,
    );
  const d = doc as Partial<InfracostDoc> | null;
  if (d === null || typeof d !== "object" || !Array.isArray(d.projects))
    throw fail("no projects (Infracost JSON has version, projects[], totalMonthlyCost...)");
  if (d.projects.length !== 1) throw fail(`${d.projects.length} projects, expected one stack`);
  const project = d.projects[0] as InfracostDoc["projects"][number];
  if (project.metadata?.type !== PROJECT_TYPE)
    throw fail(`projects[0].metadata.type is ${JSON.stringify(project.metadata?.type)}, expected "${PROJECT_TYPE}"`);
  const resources = project.breakdown?.resources ?? [];
  const lines: CostLine[] = resources.map((r, i) => {
    const h = r.metadata?.huntaze;
    if (!h || !Array.isArray(h.items)) throw fail(`projects[0].breakdown.resources[${i}].metadata.huntaze is missing`);
    const items = h.items;
    const sum = (basis?: string) =>
      Math.round(items.filter((x) => !basis || x.basis === basis).reduce((s, x) => s + x.monthlyUsd, 0) * 1e4) / 1e4;
    const line: CostLine = {
      urn: h.urn,
      type: r.resourceType,
      name: r.name.startsWith(`${h.component}.`) ? r.name.slice(h.component.length + 1) : r.name,
      component: h.component,
      status: h.status,
      monthlyUsd: sum(),
      fixedUsd: sum("fixed"),
      usageUsd: sum("usage"),
      items,
      ...(h.note ? { note: h.note } : {}),
    };
    return line;
  });
  const first = resources[0]?.metadata?.huntaze;
  return {
    stack: project.name,
    estimate: summarize(lines, {
      region: first?.region ?? "",
      pricesTranscribed: first?.pricesTranscribed ?? "",
      budgetUsd: null,
      usageFile: first?.usageFile ?? null,
      free: Object.entries((project.summary?.noPriceResourceCounts ?? {}) as Record<string, number>).map(
        ([type, count]) => ({ type, count, reason: "" }),
      ),
    }),
  };
}

// ---- the monthly change between two estimates (`--compare`) ----

export type ChangeKind = "added" | "removed" | "changed";

export interface ResourceChange {
  readonly component: string;
  readonly name: string;
  readonly type: string;
  readonly change: ChangeKind;
  readonly pastUsd: number | null;
  readonly headUsd: number | null;
  readonly deltaUsd: number;
  /** The line's status when it is not "priced" (an unpriced resource changes no total). */
  readonly note?: string;
}

export interface CostChange {
  readonly pastUsd: number;
  readonly headUsd: number;
  readonly deltaUsd: number;
  readonly components: { component: string; pastUsd: number; headUsd: number; deltaUsd: number }[];
  readonly resources: ResourceChange[];
}

const r4 = (n: number) => Math.round(n * 1e4) / 1e4;

/** What changes per month from `past` to `head`: total, per component, per resource; sorted by component and name. */
export function diffEstimates(past: CostEstimate, head: CostEstimate): CostChange {
  const before = new Map(past.lines.map((l) => [lineKey(l), l]));
  const after = new Map(head.lines.map((l) => [lineKey(l), l]));
  const resources: ResourceChange[] = [];
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(k);
    const b = after.get(k);
    const l = (b ?? a) as CostLine;
    const deltaUsd = r4((b?.monthlyUsd ?? 0) - (a?.monthlyUsd ?? 0));
    const sameItems = a && b && JSON.stringify(a.items) === JSON.stringify(b.items) && a.status === b.status;
    if (sameItems) continue;
    if (a && b && deltaUsd === 0 && a.status === b.status) continue;
    const status = b?.status ?? a?.status;
    resources.push({
      component: l.component,
      name: l.name,
      type: l.type,
      change: !a ? "added" : !b ? "removed" : "changed",
      pastUsd: a ? a.monthlyUsd : null,
      headUsd: b ? b.monthlyUsd : null,
      deltaUsd,
      ...(status === "unpriced" ? { note: `unpriced: ${l.note ?? ""}` } : {}),
    });
  }
  resources.sort(
    (x, y) => x.component.localeCompare(y.component) || x.name.localeCompare(y.name) || x.type.localeCompare(y.type),
  );
  const comps = new Map<string, { pastUsd: number; headUsd: number }>();
  for (const c of past.components) comps.set(c.component, { pastUsd: c.monthlyUsd, headUsd: 0 });
  for (const c of head.components)
    comps.set(c.component, { pastUsd: comps.get(c.component)?.pastUsd ?? 0, headUsd: c.monthlyUsd });
  const components = [...comps.entries()]
    .map(([component, v]) => ({ component, ...v, deltaUsd: r4(v.headUsd - v.pastUsd) }))
    .filter((c) => c.deltaUsd !== 0)
    .sort((x, y) => x.component.localeCompare(y.component));
  return {
    pastUsd: past.monthlyUsd,
    headUsd: head.monthlyUsd,
    deltaUsd: r4(head.monthlyUsd - past.monthlyUsd),
    components,
    resources,
  };
}

const signed = (n: number) => (n > 0 ? `+${usd(n)}` : n < 0 ? usd(n) : "$0.00");

/** The headline Infracost's PR comment leads with. */
export function changeHeadline(c: CostChange): string {
  const verb =
    c.deltaUsd > 0
      ? `will increase by ${usd(c.deltaUsd)}`
      : c.deltaUsd < 0
        ? `will decrease by ${usd(-c.deltaUsd)}`
        : "will not change";
  return `Monthly cost ${verb} (${usd(c.pastUsd)} → ${usd(c.headUsd)})`;
}

const money = (n: number | null) => (n === null ? "—" : usd(n));

export function renderChangeText(c: CostChange): string {
  const out = [`${changeHeadline(c)}:`];
  if (c.resources.length === 0) out.push("  no resource changes cost");
  const width = Math.max(0, ...c.components.map((x) => x.component.length));
  if (c.components.length > 0) {
    out.push("  by component:");
    for (const x of c.components)
      out.push(
        `    ${x.component.padEnd(width)} ${signed(x.deltaUsd).padStart(10)}  (${usd(x.pastUsd)} → ${usd(x.headUsd)})`,
      );
  }
  if (c.resources.length > 0) {
    out.push("  by resource:");
    for (const r of c.resources)
      out.push(
        `    ${signed(r.deltaUsd).padStart(10)}  ${r.change.padEnd(7)} ${r.component} / ${r.name} (${r.type}): ${money(r.pastUsd)} → ${money(r.headUsd)}${r.note ? `  ${r.note}` : ""}`,
      );
  }
  return out.join("\n");
}

export function renderChangeMarkdown(c: CostChange): string {
  const out = [`**${changeHeadline(c)}**`, ""];
  if (c.resources.length === 0) {
    out.push("No resource changes cost.");
    return out.join("\n");
  }
  out.push(
    "| component | resource | change | before | after | monthly change |",
    "| --- | --- | --- | ---: | ---: | ---: |",
  );
  for (const r of c.resources)
    out.push(
      `| ${mdCell(r.component)} | \`${mdCell(r.name)}\` (\`${r.type}\`) | ${r.change}${r.note ? ` (${mdCell(r.note)})` : ""} | ${money(r.pastUsd)} | ${money(r.headUsd)} | ${signed(r.deltaUsd)} |`,
    );
  for (const x of c.components)
    out.push(
      `| **${mdCell(x.component)}** | (component) | | ${usd(x.pastUsd)} | ${usd(x.headUsd)} | **${signed(x.deltaUsd)}** |`,
    );
  return out.join("\n");
}
