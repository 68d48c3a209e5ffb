import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { describe, it } from "mocha";
import { allPolicies } from "../../policy-pack/policies";
import { compliantCases, violatingCases } from "../support/policy-cases";

// Runs last (mocha loads spec files alphabetically). Cases register when their test is defined, so
// the sibling service files are loaded here too: this file checks coverage even when run alone.
for (const file of fs.readdirSync(__dirname).sort()) {
  if (file.endsWith(".test.ts") && file !== path.basename(__filename)) require(path.join(__dirname, file));
}

/** The catalogue as data (policy-pack/catalogue.json, converted from the design's table). */
const catalogueFile = path.resolve(__dirname, "..", "..", "policy-pack", "catalogue.json");

interface Row {
  readonly number: number;
  readonly ids: string[];
  readonly statics: string;
}

/** Control ids of a cell, expanding shorthand: "CKV_AWS_168, 72" and "CloudTrail.2 / .4" name two each. */
function idsOf(text: string): string[] {
  const ids: string[] = [];
  for (const m of text.matchAll(/(CKV2?_AWS_)(\d+)((?:\s*,\s*\d+)*)/g))
    for (const n of [m[2], ...(m[3]?.match(/\d+/g) ?? [])]) ids.push(`${m[1]}${n}`);
  for (const m of text.matchAll(/\b([A-Z][A-Za-z0-9]*)\.(\d+)((?:\s*[/,]\s*\.\d+)*)/g))
    for (const n of [m[2], ...(m[3]?.match(/\d+/g) ?? [])]) ids.push(`${m[1]}.${n}`);
  return ids;
}

interface CatalogueRow {
  readonly number: number;
  readonly rule: string;
  readonly resourceType: string;
  readonly fsbp: string;
  readonly checkov: string;
  readonly awsguard: string;
  readonly static: string;
}

/** The catalogue's rows: number, FSBP + Checkov ids, and the "static" column. */
function catalogue(): Row[] {
  const { rows } = JSON.parse(fs.readFileSync(catalogueFile, "utf8")) as { rows: CatalogueRow[] };
  return rows.map((r) => ({ number: r.number, ids: idsOf(`${r.fsbp} ${r.checkov}`), statics: r.static }));
}

function awsTypeTokens(): Set<string> {
  const root = path.dirname(require.resolve("@pulumi/aws/package.json"));
  const tokens = new Set<string>();
  for (const dir of fs.readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name === "node_modules" || dir.name === "types") continue;
    for (const file of fs.readdirSync(path.join(root, dir.name))) {
      if (!file.endsWith(".js")) continue;
      const m = /__pulumiType = '([^']+)'/.exec(fs.readFileSync(path.join(root, dir.name, file), "utf8"));
      if (m?.[1]) tokens.add(m[1]);
    }
  }
  return tokens;
}

describe("policy pack coverage (catalogue, metadata, cases)", () => {
  it("every rule has a unique kebab-case name, a default level, catalogue rows and resource types", () => {
    const names = allPolicies.map((p) => p.name);
    expect(new Set(names).size, "duplicate rule names").to.equal(names.length);
    for (const p of allPolicies) {
      expect(p.name, p.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(["advisory", "mandatory"], `${p.name} level`).to.include(p.enforcementLevel);
      // A rule is either on catalogue rows or says why it is beyond the catalogue (never both).
      if (p.references.beyondCatalogue === undefined)
        expect(p.references.catalogue, `${p.name} catalogue rows`).to.not.be.empty;
      else {
        expect(p.references.catalogue, `${p.name} is beyond the catalogue`).to.deep.equal([]);
        expect(p.references.beyondCatalogue.length, `${p.name} reason`).to.be.greaterThan(20);
      }
      for (const row of p.references.catalogue) expect(row, `${p.name} row`).to.be.within(1, 79);
      expect(p.resourceTypes, `${p.name} resource types`).to.not.be.empty;
      for (const id of [...p.references.fsbp, ...p.references.checkov])
        expect(p.description, `${p.name} description`).to.include(id);
    }
  });

  it("every type token a rule matches exists in the installed @pulumi/aws (v7 names and deprecated aliases)", () => {
    const tokens = awsTypeTokens();
    expect(tokens.size).to.be.greaterThan(1000);
    for (const p of allPolicies)
      for (const t of p.resourceTypes)
        expect(tokens.has(t), `${p.name}: ${t} is not a type of @pulumi/aws`).to.equal(true);
  });

  it("every rule has a violating and a compliant case run through the Analyzer", () => {
    const names = allPolicies.map((p) => p.name);
    const noViolation = names.filter((n) => !violatingCases.has(n));
    const noCompliant = names.filter((n) => !compliantCases.has(n));
    expect(noViolation, "rules without a violating case").to.deep.equal([]);
    expect(noCompliant, "rules without a compliant case").to.deep.equal([]);
    const unknownNames = [...violatingCases, ...compliantCases].filter((n) => !names.includes(n));
    expect(unknownNames, "cases naming no rule of the pack").to.deep.equal([]);
  });

  describe("against the catalogue (policy-pack/catalogue.json)", () => {
    it("the catalogue is complete: rows 1 to 79, each with a rule, a resource type and a static column", () => {
      const { rows } = JSON.parse(fs.readFileSync(catalogueFile, "utf8")) as { rows: CatalogueRow[] };
      expect(rows.map((r) => r.number)).to.deep.equal(Array.from({ length: 79 }, (_, i) => i + 1));
      for (const r of rows) {
        expect(r.rule, `row ${r.number} rule`).to.not.equal("");
        expect(r.resourceType, `row ${r.number} resource type`).to.not.equal("");
        expect(r.static, `row ${r.number} static`).to.match(/yes|stack|partial|runtime|no/);
      }
    });

    it("every row is covered by a rule (yes, stack and partial rows alike)", () => {
      const rows = catalogue();
      expect(rows.length, "rows parsed from the catalogue").to.be.greaterThanOrEqual(79);
      const covered = new Set(allPolicies.flatMap((p) => p.references.catalogue));
      const required = rows.filter((r) => /yes|stack|partial/.test(r.statics));
      const missing = required.filter((r) => !covered.has(r.number)).map((r) => `${r.number} (${r.statics})`);
      expect(missing, "catalogue rows without a rule").to.deep.equal([]);
    });

    it("every rule's description names an FSBP or Checkov id of its rows when the catalogue has one", () => {
      const byNumber = new Map(catalogue().map((r) => [r.number, r]));
      for (const p of allPolicies) {
        const ids = p.references.catalogue.flatMap((n) => byNumber.get(n)?.ids ?? []);
        if (ids.length === 0) continue;
        expect(
          ids.some((id) => p.description.includes(id)),
          `${p.name}: description "${p.description}" names none of ${ids.join(", ")}`,
        ).to.equal(true);
      }
    });
  });
});
