// The runbook is what the on-call engineer reads at 3 a.m.: its exit-code table must say what the
// code does. Parsed from docs/runbooks/security-audit.md and compared with tools/audit/report.ts.

import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { USAGE } from "../../../tools/audit/args";
import * as report from "../../../tools/audit/report";

const runbook = fs.readFileSync(path.join(__dirname, "../../../docs/runbooks/security-audit.md"), "utf8");

/** The rows of the table under "## Exit codes": code → meaning. */
function exitCodeTable(): Map<number, string> {
  const section = runbook.split(/^## /m).find((s) => s.startsWith("Exit codes"));
  if (!section) throw new Error('the runbook has no "## Exit codes" section');
  const rows = [...section.matchAll(/^\| (\d+) \| ([^|]+) \|/gm)];
  return new Map(rows.map((m) => [Number(m[1]), m[2]!.trim()]));
}

/** Every EXIT_* constant the code exports. */
const constants: [string, number][] = Object.entries(report as Record<string, unknown>).flatMap(([name, value]) =>
  name.startsWith("EXIT_") && typeof value === "number" ? [[name, value] as [string, number]] : [],
);

// What each constant means, in the words the runbook and --help must use.
const MEANING: Record<string, RegExp> = {
  EXIT_PASS: /every check passed/,
  EXIT_CRITICAL: /critical/,
  EXIT_WARNING: /warnings/,
  EXIT_NOT_EVALUATED: /could not be evaluated/,
  EXIT_USAGE: /bad arguments/,
};

describe("the audit runbook's exit codes", () => {
  it("the table lists exactly the exit codes the code defines", () => {
    expect(constants.map(([name]) => name).sort()).to.deep.equal(Object.keys(MEANING).sort());
    expect([...exitCodeTable().keys()].sort()).to.deep.equal(constants.map(([, code]) => code).sort());
  });

  it("each code's row says what the code's constant means", () => {
    const table = exitCodeTable();
    for (const [name, code] of constants) expect(table.get(code), `${name} = ${code}`).to.match(MEANING[name]!);
  });

  it("--help states the same codes", () => {
    const line = /Exit codes: ([\s\S]*?)\n[A-Z]/.exec(USAGE)?.[1]?.replace(/\s+/g, " ") ?? "";
    for (const [name, code] of constants)
      expect(line, name).to.match(new RegExp(`${code} [^;]*${MEANING[name]!.source}`));
  });

  it("fails on a runbook that disagrees (the parser reads what it claims to)", () => {
    const swapped = runbook.replace("| 1 | at least one **critical**", "| 5 | at least one **critical**");
    const rows = [
      ...swapped
        .split(/^## /m)
        .find((s) => s.startsWith("Exit codes"))!
        .matchAll(/^\| (\d+) \|/gm),
    ].map((m) => Number(m[1]));
    expect(rows.sort()).to.not.deep.equal(constants.map(([, code]) => code).sort());
  });
});
