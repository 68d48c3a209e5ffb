import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { before, describe, it } from "mocha";
import { buildDiagram, DiagramError, diagramFormatOf, toDot, toMermaid, toSvg } from "../../tools/engine/diagram";
import { type CliResult, runTool } from "../support/cli";
import { syntheticStack } from "../support/records";

// The architecture diagram: a golden DOT of a synthetic stack that has every data flow the engine
// knows, determinism, --focus, and the real production preview rendered to SVG by Graphviz (wasm).

const goldenDot = path.join(__dirname, "..", "fixtures", "diagram", "synthetic.dot");

/** Well-formed XML: one root, every tag closed in order, no stray `<` or `&` in text. Throws otherwise. */
function assertWellFormedXml(xml: string): void {
  const body = xml
    .replace(/^<\?xml[^>]*\?>/, "")
    .replace(/<!DOCTYPE[^>]*>/, "")
    .replace(/<!--[\s\S]*?-->/g, "");
  const stack: string[] = [];
  let roots = 0;
  let last = 0;
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  const checkText = (text: string) => {
    if (/</.test(text)) throw new Error(`stray "<" in text: ${text.slice(0, 80)}`);
    if (/&(?!(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);)/.test(text)) throw new Error(`bare "&" in text: ${text.slice(0, 80)}`);
  };
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    checkText(body.slice(last, m.index));
    last = m.index + m[0].length;
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
  }
  checkText(body.slice(last));
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("> <")}>`);
  if (roots !== 1) throw new Error(`expected one root element, found ${roots}`);
}

/** The text of every <text> element, entities decoded (Graphviz writes "-" as &#45;). */
function svgTexts(svg: string): string[] {
  const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    (m[1] ?? "").replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_, e: string) =>
      e.startsWith("#x")
        ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
        : e.startsWith("#")
          ? String.fromCodePoint(Number(e.slice(1)))
          : (entities[e] ?? `&${e};`),
    ),
  );
}

describe("architecture diagram (tools/engine/diagram.ts)", () => {
  const model = buildDiagram(syntheticStack(), { title: "Stack test" });

  it("matches the golden DOT (UPDATE_GOLDEN=1 rewrites it after a deliberate change)", () => {
    const dot = toDot(model);
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(goldenDot, dot);
    expect(dot).to.equal(fs.readFileSync(goldenDot, "utf8"));
  });

  it("is deterministic: the same records in another order give the same bytes", () => {
    const shuffled = [...syntheticStack()].reverse();
    const again = buildDiagram(shuffled, { title: "Stack test" });
    expect(toDot(again)).to.equal(toDot(model));
    expect(toMermaid(again)).to.equal(toMermaid(model));
  });

  it("draws one cluster per component and folds plumbing into badges on its owner", () => {
    expect(model.clusters.map((c) => c.label)).to.have.members([
      "AlertTopics: alerts",
      "EncryptedRedis: redis",
      "RateLimiterPipeline: rate-limiter",
      "AccountBaseline: baseline",
    ]);
    const byName = new Map(model.nodes.map((n) => [n.name, n]));
    expect(byName.get("rate-limiter-role")?.badges).to.deep.equal(["inline policy"]);
    expect(byName.get("rate-limiter-fn")?.badges).to.deep.equal(["event source mapping"]);
    expect(byName.get("redis-sg")?.badges).to.deep.equal(["ingress ×2"]);
    expect(byName.get("trail-bucket")?.badges).to.deep.equal(["public access block"]);
    expect(byName.get("security-hub")?.badges).to.deep.equal(["standard"]);
    for (const folded of [
      "alerts-ops-policy",
      "rate-limiter-trigger",
      "rate-limiter-role-policy",
      "findings-to-security",
    ])
      expect(byName.has(folded), folded).to.equal(false);
    // The two Redis alarms paging the same topic are one node.
    expect(byName.get("2 alarms")?.cluster).to.match(/EncryptedRedis::redis$/);
  });

  it("draws the data flows from type knowledge, apart from plain dependencies", () => {
    const flows = model.edges
      .filter((e) => e.kind === "flow")
      .map((e) => `${e.from.split("::")[1]} -> ${e.to.split("::").pop()} (${e.label ?? ""})`);
    expect(flows).to.include.members([
      "rate-limiter-queue -> rate-limiter-fn (event source mapping, batch 1)",
      "rate-limiter-fn -> redis (TLS :6379)",
      "rate-limiter-fn -> api.onlyfans.com (HTTPS)",
      "rate-limiter-queue -> rate-limiter-dlq (redrive)",
      "redis-cpu -> alerts-ops (alarm)",
      "alerts-ops -> alerts-ops-email-0 (email)",
      "guardduty -> findings (findings)",
      "security-hub -> findings (findings)",
      "findings -> alerts-security (event)",
      "trail -> trail-bucket (log files)",
      "rate-limiter-sg -> redis (tcp :6379)",
    ]);
    expect(model.nodes.map((n) => n.name)).to.include("email: ops@example.com");
    const app = model.edges.find((e) => e.from === "external::sg-0123456789abcdef0");
    expect(app?.kind).to.equal("flow");
    expect(app?.label).to.equal("tcp :6379");
    const deps = model.edges.filter((e) => e.kind === "dependency");
    expect(deps.length).to.be.greaterThan(0);
    // No dependency edge doubles a data flow between the same two nodes.
    const flowPairs = new Set(
      model.edges.filter((e) => e.kind === "flow").flatMap((e) => [`${e.from}|${e.to}`, `${e.to}|${e.from}`]),
    );
    for (const d of deps) expect(flowPairs.has(`${d.from}|${d.to}`), `${d.from} -> ${d.to}`).to.equal(false);
    const dot = toDot(model);
    expect(dot).to.match(
      /-> "aws:elasticache\/replicationGroup:ReplicationGroup::redis" \[label="TLS :6379", color="#1f6feb"/,
    );
    expect(dot).to.match(/style=dashed/);
    expect(toMermaid(model))
      .to.match(/==>\|TLS :6379\|/)
      .and.to.match(/-\.->/);
  });

  it("--focus keeps one component and what it exchanges data with, and names the components on a typo", () => {
    const focused = buildDiagram(syntheticStack(), { title: "t", focus: "rate-limiter" });
    expect(focused.clusters.map((c) => c.label)).to.include("RateLimiterPipeline: rate-limiter");
    const names = focused.nodes.map((n) => n.name);
    expect(names).to.include.members(["rate-limiter-fn", "redis", "api.onlyfans.com"]);
    expect(names).to.not.include("trail");
    expect(() => buildDiagram(syntheticStack(), { title: "t", focus: "nope" })).to.throw(
      DiagramError,
      /no component named "nope" \(components: .*rate-limiter.*\)/,
    );
  });

  it("picks the format from the file name and rejects others by name", () => {
    expect(diagramFormatOf("a/b.SVG")).to.equal("svg");
    expect(diagramFormatOf("x.mmd")).to.equal("mmd");
    expect(() => diagramFormatOf("x.png")).to.throw(DiagramError, /\.svg, \.dot or \.mmd, got "x\.png"/);
  });

  it("renders SVG with Graphviz: well-formed XML naming every component", async () => {
    const svg = await toSvg(model);
    assertWellFormedXml(svg);
    expect(svgTexts(svg)).to.include.members(model.clusters.map((c) => c.label));
    expect(await toSvg(model)).to.equal(svg);
  });

  it("the well-formedness check itself rejects broken XML", () => {
    expect(() => assertWellFormedXml("<svg><g></svg>")).to.throw(/closes/);
    expect(() => assertWellFormedXml("<svg><text>a & b</text></svg>")).to.throw(/bare "&"/);
  });
});

describe("npm run preview -- --diagram (end to end)", function () {
  this.timeout(90_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-diagram-"));
  let svg: CliResult;
  let mmd: CliResult;

  before(async () => {
    [svg, mmd] = await Promise.all([
      runTool("preview.ts", ["--stack", "production", "--quiet", "--diagram", path.join(dir, "arch.svg")]),
      runTool("preview.ts", [
        "--stack",
        "production",
        "--quiet",
        "--diagram",
        path.join(dir, "arch.mmd"),
        "--focus",
        "redis",
      ]),
    ]);
  });

  it("writes an SVG of the production stack that parses and names every component", () => {
    expect(svg.code, svg.stderr).to.equal(0);
    expect(svg.stdout).to.include(`Diagram written to ${path.join(dir, "arch.svg")}`);
    const text = fs.readFileSync(path.join(dir, "arch.svg"), "utf8");
    assertWellFormedXml(text);
    expect(svgTexts(text)).to.include.members([
      "AlertTopics: alerts",
      "HardenedBucket: access-logs",
      "HardenedBucket: audit-logs",
      "EncryptedRedis: redis",
      "RateLimiterPipeline: rate-limiter",
    ]);
  });

  it("writes a focused Mermaid diagram", () => {
    expect(mmd.code, mmd.stderr).to.equal(0);
    const text = fs.readFileSync(path.join(dir, "arch.mmd"), "utf8");
    expect(text).to.match(/^---\ntitle: Stack production — focus: redis\n---\nflowchart LR\n/);
    expect(text).to.include("EncryptedRedis: redis").and.to.include("TLS :6379");
    expect(text).to.not.include("HardenedBucket");
  });
});
