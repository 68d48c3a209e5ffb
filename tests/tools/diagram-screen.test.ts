import { expect } from "chai";
import { buildDiagram, toScreenDiagram } from "../../tools/engine/diagram";
import { SCREEN_ASPECT, SCREEN_FONT, SCREEN_FONT_FAMILY, type ScreenDiagram } from "../../tools/engine/diagram-screen";
import type { RecordedResource } from "../../tools/engine/recorder";
import { productionRecords } from "../support/production-records";

// The SVG diagram of the production stack, laid out for a screen: a grid of components that fits a
// 16:9 display at a readable size, no two labels overlapping (boxes as Graphviz measured them, with
// the font the SVG names first), data flows across components as stubs instead of long lines.
// Checked by eye as well, rendered to PNG by Chromium and by librsvg (README "Architecture diagram").

/** A 1920 × 1080 display, in CSS px; an SVG in pt is drawn at 4/3 px per pt before fitting. */
const SCREEN = { width: 1920, height: 1080 };

function overlaps(d: ScreenDiagram): string[] {
  const found: string[] = [];
  for (let i = 0; i < d.labels.length; i++)
    for (let j = i + 1; j < d.labels.length; j++) {
      const a = d.labels[i]!;
      const b = d.labels[j]!;
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height)
        found.push(`${JSON.stringify(a.text)} × ${JSON.stringify(b.text)}`);
    }
  return found;
}

describe("architecture diagram for a screen (tools/engine/diagram-screen.ts), production stack", function () {
  this.timeout(120_000);
  let resources: RecordedResource[] = [];
  let diagram: ScreenDiagram;

  before(async () => {
    resources = await productionRecords();
    diagram = await toScreenDiagram(buildDiagram(resources, { title: "Stack production" }));
  });

  it("is a grid of components near 16:9, not one column", () => {
    const aspect = diagram.width / diagram.height;
    expect(aspect).to.be.within(SCREEN_ASPECT * 0.8, SCREEN_ASPECT * 1.25);
    expect(diagram.svg).to.match(new RegExp(`viewBox="0 0 ${diagram.width} ${diagram.height}"`));
  });

  it("fits a 1920 × 1080 screen with node text at 9 px or more", () => {
    const scale = Math.min(SCREEN.width / diagram.width, SCREEN.height / diagram.height); // px per pt
    // Node labels are 10 pt, edge labels 9 pt (diagram-screen.ts).
    expect(diagram.labels.filter((l) => l.height === 10).length).to.be.greaterThan(80);
    expect(10 * scale, "node text, px").to.be.at.least(9);
    expect(9 * scale, "edge labels, px").to.be.at.least(8);
    for (const l of diagram.labels) {
      expect(l.x, l.text).to.be.at.least(0);
      expect(l.x + l.width, l.text).to.be.at.most(diagram.width);
      expect(l.y + l.height, l.text).to.be.at.most(diagram.height);
    }
  });

  it("no two labels overlap (node, edge, component and stub labels, as measured)", () => {
    expect(diagram.labels.length).to.be.greaterThan(150);
    expect(overlaps(diagram)).to.deep.equal([]);
  });

  it("the overlap check itself finds two labels on top of each other", () => {
    const twice = { ...diagram, labels: [diagram.labels[0]!, { ...diagram.labels[0]!, x: diagram.labels[0]!.x + 1 }] };
    expect(overlaps(twice)).to.have.length(1);
  });

  it("names first the font its text was measured with, then metric-equal and generic fallbacks", () => {
    expect(new Set(diagram.labels.map((l) => l.face))).to.deep.equal(new Set([SCREEN_FONT]));
    const families = new Set([...diagram.svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]));
    expect(families).to.deep.equal(new Set([SCREEN_FONT_FAMILY]));
    expect(SCREEN_FONT_FAMILY.split(",")[0]).to.equal(SCREEN_FONT);
    expect(diagram.svg).to.not.match(/Helvetica|Times/);
  });

  it("draws data flows across components as stubs naming the other end, and dependencies only inside a component", () => {
    expect(diagram.labels.map((l) => l.text)).to.include.members([
      "→ alerts-ops",
      "→ redis",
      "TLS :6379 from",
      "event source mapping, batch 1",
      "redrive",
    ]);
    const dependencyLines = diagram.svg.match(/stroke="#c9d1d9"/g) ?? [];
    expect(dependencyLines.length).to.be.greaterThan(20);
    expect(diagram.svg).to.include('stroke-width="0.6"');
  });
});
