import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { describe, it } from "mocha";
import * as v from "valibot";
import {
  ArgsError,
  args,
  describedAs,
  describeField,
  entriesOf,
  fieldRule,
  flag,
  flagOr,
  group,
  input,
  integer,
  integerAtLeast,
  list,
  nonEmpty,
  number,
  oneOf,
  oneOfNumbers,
  type Problem,
  readSpec,
  refine,
  resolveArgs,
  rule,
  strictObject,
  text,
} from "../../components/spec";

// The shared validator: every problem at once, each naming the field, what is allowed and what was
// given; defaults applied; cross-field rules beside field problems; secrets masked.

const fields = {
  name: text(/^[a-z][a-z0-9-]{0,30}$/, "1–31 lowercase letters, digits or -"),
  ttlDays: v.optional(integer(1, 3650), 90),
  budgetUsd: number({ gt: 0, max: 1e9 }),
  tier: v.optional(oneOf(["small", "large"] as const), "small"),
  enabled: v.optional(flag(), true),
  emails: v.optional(list(text(/^[^\s@]+@[^\s@]+$/, "an email address"), { minItems: 1 })),
  arn: v.optional(input(text(/^arn:/, "an ARN"))),
  description: nonEmpty(),
  min: v.optional(integer(0, 100), 1),
  max: v.optional(integer(0, 100), 4),
};
const base = args(fields);
const spec = v.pipe(
  base,
  rule<v.InferOutput<typeof base>>(["min", "max"], "max", "≥ min", (a) => a.max >= a.min),
);

function problems(given: unknown): readonly Problem[] {
  try {
    resolveArgs("Thing", "t1", spec, given);
  } catch (e) {
    expect(e).to.be.instanceOf(ArgsError);
    expect((e as Error).message).to.match(/^Thing "t1": invalid arguments \(\d+ problems?\)/);
    return (e as ArgsError).problems;
  }
  throw new Error("expected an ArgsError");
}

describe("components/spec: the shared validator", () => {
  it("applies defaults and coerces config strings", () => {
    const r = resolveArgs("Thing", "t1", spec, { name: "a", budgetUsd: "12.5", description: "d", enabled: "false" });
    expect(r).to.deep.include({
      name: "a",
      ttlDays: 90,
      budgetUsd: 12.5,
      tier: "small",
      enabled: false,
      min: 1,
      max: 4,
    });
  });

  it("names every missing required field (no TypeError on undefined args)", () => {
    const p = problems(undefined);
    expect(p.map((x) => x.key)).to.deep.equal(["name", "budgetUsd", "description"]);
    expect(p[0]).to.deep.equal({
      key: "name",
      allowed: "1–31 lowercase letters, digits or -",
      got: "nothing (the key is missing)",
    });
  });

  it("reports every wrong field at once with allowed and given", () => {
    const p = problems({
      name: "Bad",
      budgetUsd: 0,
      description: " ",
      ttlDays: 1.5,
      tier: "huge",
      emails: ["ok@x.io", "nope"],
      arn: "xyz",
    });
    expect(p).to.deep.equal([
      { key: "name", allowed: "1–31 lowercase letters, digits or -", got: '"Bad"' },
      { key: "ttlDays", allowed: "an integer from 1 to 3650", got: "1.5" },
      { key: "budgetUsd", allowed: "a number > 0 and ≤ 1000000000", got: "0" },
      { key: "tier", allowed: "one of small, large", got: '"huge"' },
      { key: "emails[1]", allowed: "an email address", got: '"nope"' },
      { key: "arn", allowed: "an ARN", got: '"xyz"' },
      { key: "description", allowed: "a non-empty string", got: '" "' },
    ]);
  });

  it("checks cross-field rules beside field problems", () => {
    const p = problems({ name: "Bad", budgetUsd: 1, description: "d", min: 5, max: 2 });
    expect(p.map((x) => `${x.key}: ${x.allowed}`)).to.deep.equal([
      "name: 1–31 lowercase letters, digits or -",
      "max: ≥ min",
    ]);
    // The rule's problem shows the value of the field it is reported at, not the whole object.
    expect(p[1]?.got).to.equal("2");
  });

  it("lets Outputs through unchecked (the provider checks them at deploy)", () => {
    const arn = pulumi.output("not-checked-now");
    const r = resolveArgs("Thing", "t1", spec, { name: "a", budgetUsd: 1, description: "d", arn });
    expect(r.arn).to.equal(arn);
  });

  it("reads a config section: unknown keys named with the closest one, secrets masked", () => {
    const section = strictObject({ ttlDays: fields.ttlDays, token: v.optional(nonEmpty()) });
    const out: Problem[] = [];
    expect(readSpec(section, { ttlDay: 3, token: "" }, "huntaze:finops", out, new Set(["huntaze:finops.token"]))).to.be
      .undefined;
    expect(out).to.have.length(2);
    expect(out[0]?.key).to.equal("huntaze:finops.token");
    expect(out[0]?.got).to.equal("a secret value (not shown)");
    expect(out[1]).to.deep.include({ key: "huntaze:finops.ttlDay", got: "3" });
    expect(out[1]?.allowed).to.match(/^no such setting.*ttlDays/);
    const ok: Problem[] = [];
    expect(readSpec(section, {}, "huntaze:finops", ok)).to.deep.equal({ ttlDays: 90 });
    expect(ok).to.deep.equal([]);
  });

  it("describes fields for the docs: required, default, allowed", () => {
    const e = entriesOf(spec);
    expect(describeField(e.name as v.GenericSchema)).to.deep.equal({
      required: true,
      allowed: "1–31 lowercase letters, digits or -",
    });
    expect(describeField(e.ttlDays as v.GenericSchema)).to.deep.equal({
      required: false,
      defaultValue: "90",
      allowed: "an integer from 1 to 3650",
    });
  });
  it("shows a rule's problem with the field's value, and lets its allowed text name the other fields", () => {
    const p = problems({ name: "a", budgetUsd: 1, description: "d", min: 5, max: 2 });
    expect(p).to.deep.equal([{ key: "max", allowed: "≥ min", got: "2" }]);
    const named = v.pipe(
      base,
      rule<v.InferOutput<typeof base>>(
        ["min", "max"],
        "max",
        (a) => `≥ min (${a.min})`,
        (a) => a.max >= a.min,
      ),
    );
    try {
      resolveArgs("Thing", "t1", named, { name: "a", budgetUsd: 1, description: "d", min: 5, max: 2 });
      expect.fail("expected an ArgsError");
    } catch (e) {
      expect((e as ArgsError).problems).to.deep.equal([{ key: "max", allowed: "≥ min (5)", got: "2" }]);
    }
  });

  it("integerAtLeast: an integer with a lower bound only", () => {
    const spec = args({ version: integerAtLeast(1) });
    expect(resolveArgs("Thing", "t1", spec, { version: "12" })).to.deep.equal({ version: 12 });
    for (const bad of [0, 1.5, "x"]) {
      try {
        resolveArgs("Thing", "t1", spec, { version: bad });
        expect.fail(`expected ${JSON.stringify(bad)} to be refused`);
      } catch (e) {
        expect((e as ArgsError).problems).to.deep.equal([
          { key: "version", allowed: "an integer ≥ 1", got: JSON.stringify(bad) },
        ]);
      }
    }
    expect(describeField(spec.entries.version)).to.deep.equal({ required: true, allowed: "an integer ≥ 1" });
  });

  it("oneOfNumbers: a listed number or its string form, naming the list otherwise", () => {
    const section = strictObject({ days: v.optional(oneOfNumbers([1, 7, 30] as const), 30) });
    const out: Problem[] = [];
    expect(readSpec(section, { days: "7" }, "huntaze:x", out)).to.deep.equal({ days: 7 });
    expect(readSpec(section, {}, "huntaze:x", out)).to.deep.equal({ days: 30 });
    expect(out).to.deep.equal([]);
    expect(readSpec(section, { days: 10 }, "huntaze:x", out)).to.be.undefined;
    expect(readSpec(section, { days: "week" }, "huntaze:x", out)).to.be.undefined;
    expect(out).to.deep.equal([
      { key: "huntaze:x.days", allowed: "one of 1, 7, 30", got: "10" },
      { key: "huntaze:x.days", allowed: "one of 1, 7, 30", got: '"week"' },
    ]);
    expect(describeField(entriesOf(section).days as v.GenericSchema)).to.deep.equal({
      required: false,
      defaultValue: "30",
      allowed: "one of 1, 7, 30",
    });
  });

  it("fieldRule: reads nested paths, reports the field's own value, and is not hidden by other problems", () => {
    const item = args({ name: text(/^[a-z]+$/, "lowercase letters"), size: v.optional(integer(1, 9), 1) });
    const base = args({
      items: v.optional(list(item), []),
      min: v.optional(integer(0, 9), 0),
      max: v.optional(integer(0, 9), 9),
    });
    type T = v.InferOutput<typeof base>;
    const spec = v.pipe(
      base,
      fieldRule<T>(
        ["items.$.name"],
        "items",
        "items with distinct names",
        (a) => new Set(a.items.map((i) => i.name)).size === a.items.length,
      ),
      fieldRule<T>(["min", "max"], "max", "≥ min", (a) => a.max >= a.min),
    );
    const problemsFor = (given: unknown) => {
      try {
        resolveArgs("Thing", "t1", spec, given);
      } catch (e) {
        expect(e).to.be.instanceOf(ArgsError);
        return (e as ArgsError).problems;
      }
      return [];
    };
    // A bad size elsewhere in an item does not hide the duplicate; the given value is the field's.
    expect(problemsFor({ items: [{ name: "a", size: 99 }, { name: "a" }], min: 5, max: 2 })).to.deep.equal([
      { key: "items[0].size", allowed: "an integer from 1 to 9", got: "99" },
      { key: "items", allowed: "items with distinct names", got: '[{"name":"a","size":99},{"name":"a","size":1}]' },
      { key: "max", allowed: "≥ min", got: "2" },
    ]);
    // A bad name is reported as itself; the rule reading it waits.
    expect(problemsFor({ items: [{ name: "A" }, { name: "A" }] }).map((p) => p.key)).to.deep.equal([
      "items[0].name",
      "items[1].name",
    ]);
    expect(problemsFor({ items: [{ name: "a" }, { name: "b" }], min: 1, max: 1 })).to.deep.equal([]);
  });

  it("group: a missing required nested object names each of its required fields; the docs show it required", () => {
    const spec = args({
      topic: group({ arn: text(/^arn:/, "an ARN"), name: nonEmpty(), key: v.optional(text(/^k/, "a key")) }),
    });
    let caught: unknown;
    try {
      resolveArgs("Thing", "t1", spec, {});
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(ArgsError);
    expect((caught as ArgsError).problems).to.deep.equal([
      { key: "topic.arn", allowed: "an ARN", got: "nothing (the key is missing)" },
      { key: "topic.name", allowed: "a non-empty string", got: "nothing (the key is missing)" },
    ]);
    expect(() => resolveArgs("Thing", "t1", spec, { topic: { arn: "x", name: "n" } })).to.throw(
      'topic.arn: expected an ARN, got "x"',
    );
    expect(resolveArgs("Thing", "t1", spec, { topic: { arn: "arn:x", name: "n" } })).to.deep.equal({
      topic: { arn: "arn:x", name: "n" },
    });
    expect(describeField(entriesOf(spec).topic as v.GenericSchema)).to.deep.equal({
      required: true,
      allowed: "an object with arn, name, key",
    });
  });

  it("flagOr: true/false (or their strings) or an object whose problems are named at its own fields", () => {
    const field = flagOr(strictObject({ existingArn: text(/^arn:/, "an ARN") }));
    const read = (x: unknown) => {
      const out: Problem[] = [];
      return { value: readSpec(field, x, "huntaze:s.m", out), problems: out };
    };
    expect(read(true)).to.deep.equal({ value: true, problems: [] });
    expect(read("false")).to.deep.equal({ value: false, problems: [] });
    expect(read({ existingArn: "arn:m" })).to.deep.equal({ value: { existingArn: "arn:m" }, problems: [] });
    const bad = read({ existingArn: "default", extra: 1 }).problems;
    expect(bad[0]).to.deep.equal({ key: "huntaze:s.m.existingArn", allowed: "an ARN", got: '"default"' });
    expect(bad[1]).to.deep.include({ key: "huntaze:s.m.extra", got: "1" });
    expect(read("yes").problems).to.deep.equal([{ key: "huntaze:s.m", allowed: "true or false", got: '"yes"' }]);
    expect(describeField(field).allowed).to.equal("true, false or an object");
  });
});

describe("components/spec: refine and fieldRule", () => {
  const days = refine(integer(1, 3653), "one of 1, 7, 30", (d) => [1, 7, 30].includes(d));
  const base = args({ timeout: v.optional(integer(1, 900), 30), visibility: v.optional(integer(0, 43_200)), days });
  type T = v.InferOutput<typeof base>;
  const spec = v.pipe(
    base,
    fieldRule<T>(
      ["timeout", "visibility"],
      "visibility",
      (a) => `≥ 6 × timeout (${6 * a.timeout})`,
      (a) => a.visibility === undefined || a.visibility >= 6 * a.timeout,
    ),
  );

  it("refine: one message for a value of the wrong kind and for one the check refuses", () => {
    expect(problems2({ days: 10 })).to.deep.equal([{ key: "days", allowed: "one of 1, 7, 30", got: "10" }]);
    expect(problems2({ days: "x" })).to.deep.equal([{ key: "days", allowed: "one of 1, 7, 30", got: '"x"' }]);
    expect(resolveArgs("Thing", "t", spec, { days: "7" }).days).to.equal(7);
  });

  it("fieldRule: reported at its field with that field's value, the allowed text quoting the others", () => {
    expect(problems2({ days: 1, visibility: 90 })).to.deep.equal([
      { key: "visibility", allowed: "≥ 6 × timeout (180)", got: "90" },
    ]);
    expect(problems2({ days: 1, timeout: 10, visibility: 60 })).to.deep.equal([]);
  });

  it("fieldRule: beside other fields' problems, silent when a field it reads is wrong", () => {
    expect(problems2({ days: 2, visibility: 90 }).map((p) => p.key)).to.deep.equal(["days", "visibility"]);
    expect(problems2({ days: 1, timeout: 0, visibility: 1 })).to.deep.equal([
      { key: "timeout", allowed: "an integer from 1 to 900", got: "0" },
    ]);
  });

  function problems2(given: unknown): readonly Problem[] {
    try {
      resolveArgs("Thing", "t", spec, given);
      return [];
    } catch (e) {
      expect(e).to.be.instanceOf(ArgsError);
      return (e as ArgsError).problems;
    }
  }
});

describe("components/spec: describedAs", () => {
  it("names what a missing nested object must hold, in the problems and the docs", () => {
    const nested = describedAs(
      v.pipe(
        args({ a: integer(0, 1) }),
        v.check(() => true),
      ),
      "an object { a }",
    );
    const spec = args({ inner: nested });
    try {
      resolveArgs("Thing", "t", spec, {});
      expect.fail("expected an ArgsError");
    } catch (e) {
      expect((e as ArgsError).problems).to.deep.equal([
        { key: "inner", allowed: "an object { a }", got: "nothing (the key is missing)" },
      ]);
    }
    expect(describeField(nested)).to.deep.equal({ required: true, allowed: "an object { a }" });
  });
});
