import type { DiagramCluster, DiagramEdge, DiagramModel, DiagramNode } from "./diagram";

// The SVG diagram, laid out for a screen. One Graphviz graph of a whole stack is one tall column
// (data flows are short, so every resource lands in a few ranks), with grey dependency lines
// across it and edge labels fighting for room. Here every top-level component is laid out on its
// own (Graphviz dot, left to right; resources that exchange no data wrapped into columns), then the
// pieces are packed into rows towards a 16:9 box:
//   - data flows inside a component are bold blue edges with their label;
//   - a data flow to another component ends at a stub naming it ("→ alerts-ops · AlertTopics:
//     alerts"), and the receiving resource gets one stub listing its senders, so no line crosses
//     the picture;
//   - dependencies are drawn only inside a component, thin, light and dashed (all of them are in
//     the .dot and .mmd outputs);
//   - text is measured by Graphviz with the metrics of the font the SVG names first (DejaVu Sans,
//     one of the fonts in Graphviz's width tables); the fallbacks are Verdana, whose advance widths
//     are DejaVu Sans's within a fraction of a percent (it ships with macOS and Windows; DejaVu with
//     most Linux desktops and librsvg set-ups), then the generic sans-serif, narrower than both, so
//     a label never outgrows its box.

export const SCREEN_FONT = "DejaVu Sans";
export const SCREEN_FONT_FAMILY = "DejaVu Sans,Verdana,sans-serif";
/** The box the packing aims at: width / height. */
export const SCREEN_ASPECT = 16 / 9;

const FLOW = "#1f6feb";
const QUIET = "#c9d1d9";
const GAP = 18;

/** What a Graphviz layout of one DOT text returns: the SVG and the JSON (xdot) of the same layout. */
export type GraphvizRender = (dot: string, format: "svg" | "json") => string;

/** A label's box in the composed picture (points, y down), as Graphviz measured its text. */
export interface LabelBox {
  readonly text: string;
  /** The font Graphviz measured the text with. */
  readonly face: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ScreenDiagram {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
  readonly labels: LabelBox[];
}

const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

interface Group {
  readonly key: string;
  readonly label: string;
  /** The cluster this group is (undefined for the stack's loose resources). */
  readonly cluster?: DiagramCluster;
}

/** "AlertTopics: alerts" → "alerts". */
const componentName = (label: string) => label.slice(label.indexOf(": ") + 2);

function badgeLines(badges: readonly string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < badges.length; i += 3) lines.push(`[${badges.slice(i, i + 3).join(" · ")}]`);
  return lines;
}

/** The node's lines on screen: its name without its component's prefix, its type, its badges. */
function screenLabel(n: DiagramNode, clusterLabel: string | undefined): string {
  const prefix = clusterLabel === undefined ? undefined : `${componentName(clusterLabel)}-`;
  const name =
    prefix && n.name.startsWith(prefix) && n.name.length > prefix.length ? n.name.slice(prefix.length) : n.name;
  const lines = [name];
  if (!n.external) lines.push(n.kind);
  lines.push(...badgeLines(n.badges));
  return lines.join("\n");
}

/** The DOT of one group: its clusters, its nodes, stubs for flows across groups, columns of unconnected nodes. */
function groupDot(model: DiagramModel, group: Group, groupOf: (n: DiagramNode) => string | undefined): string {
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const clusterByUrn = new Map(model.clusters.map((c) => [c.urn, c]));
  const groupLabel = new Map<string, string>();
  for (const c of model.clusters) groupLabel.set(c.urn, c.label);
  const inGroup = (n: DiagramNode | undefined) => n !== undefined && groupOf(n) === group.key;

  const nodes = new Map<string, string>(); // id -> attributes
  const edges: string[] = [];
  const flowTouched = new Set<string>();
  const addNode = (n: DiagramNode) => {
    const attrs = [`label=${quote(screenLabel(n, n.cluster ? clusterByUrn.get(n.cluster)?.label : undefined))}`];
    if (n.external) attrs.push(`shape=ellipse`, `fillcolor="#fff8c5"`);
    nodes.set(n.id, attrs.join(", "));
  };
  for (const n of model.nodes) if (inGroup(n)) addNode(n);

  const incoming = new Map<string, { to: string; label: string; from: Set<string> }>();
  const outStubs = new Set<string>();
  for (const e of model.edges as DiagramEdge[]) {
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    if (!from || !to) continue;
    const fromIn = inGroup(from);
    const toIn = inGroup(to);
    if (!fromIn && !toIn) continue;
    if (e.kind === "dependency") {
      if (fromIn && toIn)
        edges.push(
          `${quote(e.from)} -> ${quote(e.to)} [color="${QUIET}", style=dashed, penwidth=0.6, arrowsize=0.5, constraint=false];`,
        );
      continue;
    }
    const label = e.label ? `label=${quote(e.label)}, ` : "";
    if (fromIn && toIn) {
      edges.push(`${quote(e.from)} -> ${quote(e.to)} [${label}color="${FLOW}", penwidth=1.8];`);
    } else if (fromIn) {
      if (to.external) {
        addNode(to);
        edges.push(`${quote(e.from)} -> ${quote(e.to)} [${label}color="${FLOW}", penwidth=1.8];`);
      } else {
        const stub = `out::${e.to}`;
        if (!outStubs.has(stub)) {
          outStubs.add(stub);
          const where = groupOf(to);
          const text = `→ ${to.name}\n${where ? (groupLabel.get(where) ?? "") : "the stack"}`;
          nodes.set(stub, `label=${quote(text.trim())}, shape=note, color="${FLOW}", fontcolor="${FLOW}"`);
        }
        edges.push(`${quote(e.from)} -> ${quote(stub)} [${label}color="${FLOW}", penwidth=1.8];`);
        flowTouched.add(stub);
      }
    } else if (from.external) {
      addNode(from);
      edges.push(`${quote(e.from)} -> ${quote(e.to)} [${label}color="${FLOW}", penwidth=1.8];`);
    } else {
      const key = `in::${e.to}::${e.label ?? ""}`;
      const entry = incoming.get(key) ?? { to: e.to, label: e.label ?? "data", from: new Set<string>() };
      const where = groupOf(from);
      entry.from.add(where ? componentName(groupLabel.get(where) ?? where) : "the stack");
      incoming.set(key, entry);
    }
    flowTouched.add(e.from);
    flowTouched.add(e.to);
  }
  for (const [key, { to, label, from }] of [...incoming].sort(([a], [b]) => a.localeCompare(b))) {
    const senders = [...from].sort();
    const rows: string[] = [];
    for (let i = 0; i < senders.length; i += 3) rows.push(senders.slice(i, i + 3).join(", "));
    nodes.set(
      key,
      `label=${quote(`${label} from\n${rows.join(",\n")}`)}, shape=note, color="${FLOW}", fontcolor="${FLOW}"`,
    );
    edges.push(`${quote(key)} -> ${quote(to)} [color="${FLOW}", penwidth=1.8];`);
    flowTouched.add(key);
  }

  // Resources that exchange no data would all share the first rank (one tall column): wrap them
  // into columns of `rows` with invisible edges, each column one rank to the right of the last.
  const loose = [...nodes.keys()].filter((id) => !flowTouched.has(id) && byId.has(id));
  const rows = Math.max(3, Math.ceil(1.4 * Math.sqrt(loose.length)));
  for (let i = 0; i + rows < loose.length; i++)
    edges.push(`${quote(loose[i]!)} -> ${quote(loose[i + rows]!)} [style=invis, weight=0];`);

  // Clusters nested in the group, in the model's order.
  const out: string[] = [
    `digraph ${quote(group.label)} {`,
    `  graph [rankdir=LR, fontname="${SCREEN_FONT}", fontsize=13, nodesep=0.12, ranksep=0.3, margin=0, newrank=true];`,
    `  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#57606a", fontname="${SCREEN_FONT}", fontsize=10, margin="0.08,0.03", height=0.3];`,
    `  edge [fontname="${SCREEN_FONT}", fontsize=9, fontcolor="${FLOW}"];`,
  ];
  const childrenOf = new Map<string | undefined, DiagramCluster[]>();
  for (const c of model.clusters) childrenOf.set(c.parent, [...(childrenOf.get(c.parent) ?? []), c]);
  const emitCluster = (c: DiagramCluster, depth: number) => {
    const indent = "  ".repeat(depth);
    out.push(`${indent}subgraph ${quote(`cluster_${c.urn}`)} {`);
    out.push(
      `${indent}  graph [label=${quote(c.label)}, labeljust=l, style="rounded,filled", fillcolor="${depth === 1 ? "#f6f8fa" : "#eaeef2"}", color="#d0d7de"];`,
    );
    for (const child of childrenOf.get(c.urn) ?? []) emitCluster(child, depth + 1);
    for (const n of model.nodes)
      if (n.cluster === c.urn && nodes.has(n.id)) out.push(`${indent}  ${quote(n.id)} [${nodes.get(n.id)}];`);
    out.push(`${indent}}`);
  };
  if (group.cluster) emitCluster(group.cluster, 1);
  else out.push(`  graph [label=${quote(group.label)}, labeljust=l, labelloc=t];`);
  const inClusters = new Set(
    model.nodes.filter((n) => n.cluster !== undefined && nodes.has(n.id) && group.cluster).map((n) => n.id),
  );
  for (const [id, attrs] of nodes) if (!inClusters.has(id)) out.push(`  ${quote(id)} [${attrs}];`);
  out.push(...edges.map((e) => `  ${e}`), "}", "");
  return out.join("\n");
}

interface Piece {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
  readonly labels: LabelBox[];
}

interface XdotOp {
  op: string;
  size?: number;
  face?: string;
  pt?: [number, number];
  align?: "l" | "c" | "r";
  width?: number;
  text?: string;
}

/** The text boxes of one layout (JSON output), in the piece's SVG coordinates (y down). */
function labelsOf(json: string, height: number): LabelBox[] {
  const doc = JSON.parse(json) as { objects?: Record<string, unknown>[]; edges?: Record<string, unknown>[] };
  const boxes: LabelBox[] = [];
  const visit = (obj: Record<string, unknown>) => {
    let size = 14;
    let face = "";
    for (const key of ["_ldraw_", "_tldraw_", "_hldraw_"]) {
      for (const op of (obj[key] as XdotOp[] | undefined) ?? []) {
        if (op.op === "F" && op.size !== undefined) {
          size = op.size;
          face = op.face ?? "";
        }
        if (op.op !== "T" || !op.pt || op.width === undefined) continue;
        const left = op.align === "l" ? op.pt[0] : op.align === "r" ? op.pt[0] - op.width : op.pt[0] - op.width / 2;
        // 4 pt: the margin Graphviz puts around the drawing (the SVG's translate); the glyphs of a
        // line span about 0.8 em above the baseline and 0.2 em below it.
        boxes.push({
          text: op.text ?? "",
          face,
          x: left + 4,
          y: height - 4 - op.pt[1] - 0.8 * size,
          width: op.width,
          height: size,
        });
      }
    }
  };
  const root = doc as unknown as Record<string, unknown>;
  visit(root);
  for (const o of doc.objects ?? []) visit(o);
  for (const e of doc.edges ?? []) visit(e);
  return boxes;
}

function pieceOf(dot: string, render: GraphvizRender): Piece {
  const svg = render(dot, "svg");
  const size = /<svg width="([\d.]+)pt" height="([\d.]+)pt"/.exec(svg);
  if (!size) throw new Error("Graphviz returned an SVG without a size");
  const width = Number(size[1]);
  const height = Number(size[2]);
  return { svg, width, height, labels: labelsOf(render(dot, "json"), height) };
}

/** Shelf packing: pieces, tallest first, in rows no wider than `maxWidth`. */
function pack(pieces: readonly Piece[], maxWidth: number) {
  const order = pieces.map((p, i) => ({ p, i })).sort((a, b) => b.p.height - a.p.height || a.i - b.i);
  const placed: { i: number; x: number; y: number }[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  for (const { p, i } of order) {
    if (x > 0 && x + p.width > maxWidth) {
      y += rowHeight + GAP;
      x = 0;
      rowHeight = 0;
    }
    placed.push({ i, x, y });
    x += p.width + GAP;
    width = Math.max(width, x - GAP);
    rowHeight = Math.max(rowHeight, p.height);
  }
  return { placed, width, height: y + rowHeight };
}

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The screen SVG of the model. `render` is Graphviz; the result is deterministic for a model. */
export function screenDiagram(model: DiagramModel, render: GraphvizRender): ScreenDiagram {
  const parentOf = new Map(model.clusters.map((c) => [c.urn, c.parent]));
  const topOf = (urn: string): string => {
    let u = urn;
    for (let p = parentOf.get(u); p !== undefined; p = parentOf.get(u)) u = p;
    return u;
  };
  const STACK = "stack";
  const groupOf = (n: DiagramNode): string | undefined =>
    n.cluster !== undefined ? topOf(n.cluster) : n.external ? undefined : STACK;
  const groups: Group[] = model.clusters
    .filter((c) => c.parent === undefined)
    .map((c) => ({ key: c.urn, label: c.label, cluster: c }));
  if (model.nodes.some((n) => groupOf(n) === STACK)) groups.push({ key: STACK, label: "the stack" });

  const pieces = groups.map((g) => pieceOf(groupDot(model, g, groupOf), render));
  // The narrowest row width whose packing is at least as wide as 16:9, tried in steps.
  const widest = Math.max(0, ...pieces.map((p) => p.width));
  const total = pieces.reduce((s, p) => s + p.width + GAP, 0);
  let best = pack(pieces, total);
  for (let w = widest; w <= total; w += Math.max(20, (total - widest) / 200)) {
    const attempt = pack(pieces, w);
    if (attempt.width / Math.max(1, attempt.height) >= SCREEN_ASPECT || w + 1 > total) {
      best = attempt;
      break;
    }
    best = attempt;
  }

  const titleHeight = 30;
  const legendHeight = 22;
  const width = Math.ceil(Math.max(best.width, 520) + 2 * GAP);
  const height = Math.ceil(best.height + titleHeight + legendHeight + 2 * GAP);
  const labels: LabelBox[] = [];
  const body: string[] = [];
  best.placed.forEach(({ i, x, y }, n) => {
    const p = pieces[i]!;
    const ox = GAP + x;
    const oy = GAP + titleHeight + y;
    const inner = p.svg
      .slice(p.svg.indexOf("<svg"))
      .replace(/^<svg width="([\d.]+)pt" height="([\d.]+)pt"/, `<svg x="${ox}" y="${oy}" width="$1" height="$2"`)
      .replace(/ id="([^"]+)"/g, ` id="p${n}_$1"`)
      .replace(/<title>[^<]*<\/title>\n?/g, "")
      .replace(/font-family="[^"]*"/g, `font-family="${SCREEN_FONT_FAMILY}"`);
    body.push(inner.trim());
    for (const l of p.labels) labels.push({ ...l, x: l.x + ox, y: l.y + oy });
  });
  const legendY = height - GAP - 6;
  const legend = [
    `<g font-family="${SCREEN_FONT_FAMILY}" font-size="10">`,
    `<line x1="${GAP}" y1="${legendY - 4}" x2="${GAP + 30}" y2="${legendY - 4}" stroke="${FLOW}" stroke-width="1.8"/>`,
    `<text x="${GAP + 36}" y="${legendY}" fill="#24292f">data flow</text>`,
    `<line x1="${GAP + 110}" y1="${legendY - 4}" x2="${GAP + 140}" y2="${legendY - 4}" stroke="${QUIET}" stroke-width="0.8" stroke-dasharray="4,3"/>`,
    `<text x="${GAP + 146}" y="${legendY}" fill="#24292f">dependency (inside a component; all of them: --diagram FILE.dot)</text>`,
    `</g>`,
  ];
  const svg = [
    `<?xml version="1.0" encoding="UTF-8" standalone="no"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}pt" height="${height}pt" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(model.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${GAP}" y="${GAP + 16}" font-family="${SCREEN_FONT_FAMILY}" font-size="16" font-weight="bold" fill="#24292f">${escapeXml(model.title)}</text>`,
    ...body,
    ...legend,
    `</svg>`,
    "",
  ].join("\n");
  return { svg, width, height, labels };
}
