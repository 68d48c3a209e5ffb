import { expect } from "chai";
import { describe, it } from "mocha";
import * as v from "valibot";
import { entriesOf, type Problem, readSpec } from "../../components/spec";
import { AccountBaselineSpec, gatewayEndpointsSpec } from "../../components/specs";
import { readSecurityConfig, SecuritySectionSpec } from "../../stacks/config-security";
import { ConfigReader } from "../../stacks/validation";

// `huntaze:security` holds no range, regex or default of its own: each key IS AccountBaseline's
// field of the same meaning, so the stack accepts exactly what the component accepts.

/** Each section key and the component field it must be (the spec, the field's key in it). */
const component = entriesOf(AccountBaselineSpec);
const sameAs: Record<string, v.GenericSchema | undefined> = {
  createConfigRecorder: component.createConfigRecorder,
  guardDutyMinSeverity: component.guardDutyMinSeverity,
  securityHubLabels: component.securityHubLabels,
  trailName: component.trailName,
  trailLogRetentionDays: component.trailLogRetentionDays,
  privateRouteTableIds: entriesOf(gatewayEndpointsSpec).routeTableIds,
};

/** Sample values per key, good and bad. */
const samples: Record<string, unknown[]> = {
  createConfigRecorder: [true, false, "yes", 1],
  guardDutyMinSeverity: [1, 7, 8.5, 10, 0, 11, "high"],
  securityHubLabels: [["HIGH"], ["HIGH", "CRITICAL"], [], ["SEVERE"], "HIGH"],
  trailName: ["huntaze-org-trail", "my..trail", "ab", "10.0.0.1", "-trail"],
  trailLogRetentionDays: [90, 365, 3653, 30, 100, 4000],
  privateRouteTableIds: [[], ["rtb-0a1b2c3d4e5f60021"], ["rtb-0a1b2c3d"], ["route-1"], ["rtb-0a1b2c3d4e"]],
};

const outcome = (schema: v.GenericSchema, value: unknown) => {
  const r = v.safeParse(schema, value);
  return r.success ? { ok: r.output } : { problem: r.issues[0]?.message };
};

describe("stacks/config-security: huntaze:security read against AccountBaseline's spec", () => {
  it("every key of the section is the component's field (not a copy)", () => {
    const section = entriesOf(SecuritySectionSpec);
    expect(Object.keys(section).sort()).to.deep.equal(Object.keys(sameAs).sort());
    for (const [key, field] of Object.entries(sameAs)) {
      expect(field, key).to.not.equal(undefined);
      expect(section[key], key).to.equal(field);
    }
  });

  it("accepts and refuses sample values exactly as the component does", () => {
    for (const [key, values] of Object.entries(samples)) {
      const field = sameAs[key] as v.GenericSchema;
      const refused = values.filter((x) => "problem" in outcome(field, x));
      expect(refused.length, `${key}: some sample is refused`).to.be.greaterThan(0);
      expect(refused.length, `${key}: some sample is accepted`).to.be.lessThan(values.length);
      for (const value of values) {
        const out: Problem[] = [];
        const read = readSpec(SecuritySectionSpec, { [key]: value }, "huntaze:security", out);
        const direct = outcome(field, value);
        if ("ok" in direct) {
          expect(out, `${key}=${JSON.stringify(value)}`).to.deep.equal([]);
          expect((read as Record<string, unknown>)[key], key).to.deep.equal(direct.ok);
        } else {
          expect(
            out.map((p) => p.key.replace(/\[\d+\]$/, "")),
            `${key}=${JSON.stringify(value)}`,
          ).to.deep.equal([`huntaze:security.${key}`]);
          expect(out[0]?.allowed, key).to.equal(direct.problem);
        }
      }
    }
  });

  it("an absent section is the component's defaults; a typo is named with the closest key", () => {
    const problems: Problem[] = [];
    expect(readSecurityConfig(new ConfigReader({}, "huntaze:", problems))).to.deep.equal({
      createConfigRecorder: false,
      guardDutyMinSeverity: 7,
      securityHubLabels: ["HIGH", "CRITICAL"],
      trailLogRetentionDays: 90,
      privateRouteTableIds: [],
    });
    expect(problems).to.deep.equal([]);
    readSecurityConfig(new ConfigReader({ security: { trailNme: "x" } }, "huntaze:", problems));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.deep.include({ key: "huntaze:security.trailNme", got: '"x"' });
    expect(problems[0]?.allowed).to.match(/^no such setting.*trailName/);
  });
});
