import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { describe, it } from "mocha";
import type * as v from "valibot";
import { entriesOf, hardenedBucketFields, type Problem, readSpec } from "../../components/specs";
import { AuditLogsSectionSpec } from "../../stacks/config";

// Issue 21: a stack section is "read huntaze:<section> against the component's spec", so the stack's
// config readers hold no range, regex or default of their own (each section's own test compares its
// keys with the component's fields; this one reads the sources of all of them).

const stacksDir = path.join(__dirname, "..", "..", "stacks");

/** What a config reader must not write itself: literal ranges, patterns and defaults. */
function ownRules(source: string): string[] {
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`|'(?:[^'\\\n]|\\.)*'/g, '""');
  const found: string[] = [];
  const checks: [string, RegExp][] = [
    ["a regex literal", /[=(,:[]\s*\/[^/*\s][^/\n]*\/[dgimsuy]*\s*[,;)\].]/],
    ["new RegExp", /\bnew RegExp\b/],
    ["a number literal", /(?<![\w.$])\d[\d_]*(\.\d+)?(e\d+)?\b/],
    // A literal bound; one named from the module that owns it (`minLength: ONLYFANS_TOKEN_MIN_LENGTH`) is fine.
    [
      "a min/max/default/pattern option",
      /\b(min|max|minItems|maxItems|minLength|default|pattern)\s*:\s*(-?\d|\/|""|true|false)/,
    ],
    ["a value default (v.optional(field, value))", /v\.optional\([^()]*(\([^()]*\))?[^()]*,\s*(-?\d|true|false|""|\[)/],
  ];
  for (const [what, re] of checks) if (re.test(code)) found.push(what);
  return found;
}

describe("stacks/config-*.ts hold no range, regex or default of their own", () => {
  const files = fs.readdirSync(stacksDir).filter((f) => /^config-.*\.ts$/.test(f));

  it("finds the section readers", () => {
    expect(files).to.include.members([
      "config-finops.ts",
      "config-observability.ts",
      "config-rate-limiter.ts",
      "config-redis.ts",
      "config-security.ts",
      "config-workflow-queue.ts",
    ]);
  });

  for (const f of files)
    it(`${f}: every rule comes from a spec`, () => {
      expect(ownRules(fs.readFileSync(path.join(stacksDir, f), "utf8"))).to.deep.equal([]);
    });

  it("the check finds what a hand-written reader writes", () => {
    expect(ownRules('const x = f.integer("ttl", { min: 1, max: 3650, default: 90 });')).to.include.members([
      "a number literal",
      "a min/max/default/pattern option",
    ]);
    expect(ownRules('const name = text(/^[a-z]+$/, "letters");')).to.deep.equal(["a regex literal"]);
    expect(ownRules('const r = new RegExp("^a$");')).to.deep.equal(["new RegExp"]);
    expect(ownRules("const s = strictObject({ days: v.optional(cost.days, 30) });")).to.include(
      "a value default (v.optional(field, value))",
    );
    expect(ownRules("const s = strictObject({ days: cost.days, kind: v.optional(cost.kind) });")).to.deep.equal([]);
    expect(ownRules('c.secret("token", { minLength: TOKEN_MIN_LENGTH });')).to.deep.equal([]);
  });
});

describe("huntaze:auditLogs: HardenedBucket's lifecycle fields and rule, the stack's defaults", () => {
  const read = (raw: unknown) => {
    const problems: Problem[] = [];
    return { value: readSpec(AuditLogsSectionSpec, raw, "huntaze:auditLogs", problems), problems };
  };
  const section = entriesOf((AuditLogsSectionSpec as unknown as { wrapped: v.GenericSchema }).wrapped);

  it("each key's field is the bucket's own (the same object), with the stack's defaults", () => {
    const wrapped = (s: unknown) => (s as { wrapped: unknown }).wrapped;
    expect(wrapped(section.intelligentTieringAfterDays)).to.equal(
      wrapped(hardenedBucketFields.intelligentTieringAfterDays),
    );
    expect(wrapped(section.expirationDays)).to.equal(wrapped(hardenedBucketFields.expirationDays));
    expect(read(undefined).value).to.deep.equal({ intelligentTieringAfterDays: 30, expirationDays: 365 });
  });

  it("refuses what the bucket refuses, in the bucket's words", () => {
    expect(read({ expirationDays: 0 }).problems).to.deep.equal([
      { key: "huntaze:auditLogs.expirationDays", allowed: "an integer from 1 to 2147483647", got: "0" },
    ]);
    expect(read({ intelligentTieringAfterDays: 400 }).problems).to.deep.equal([
      {
        key: "huntaze:auditLogs.expirationDays",
        allowed: "more days than intelligentTieringAfterDays (0 when not set)",
        got: "365",
      },
    ]);
    expect(read({ expiration: 30 }).problems[0]?.allowed).to.match(/^no such setting.*expirationDays/);
  });
});
