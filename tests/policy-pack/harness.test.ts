import { expect } from "chai";
import { describe, it } from "mocha";
import { PolicyConfigError } from "../../tools/engine/policy-client";
import { analyzer, evaluate, of } from "../support/policy-harness";
import { testProject } from "../support/pulumi-harness";

const publicPolicy = JSON.stringify({
  Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }],
});

describe("policy pack through the Analyzer protocol", () => {
  it("reports the pack's name, version and rules from GetAnalyzerInfo", async () => {
    const a = await analyzer();
    expect(a.packName).to.equal("huntaze-hardening");
    expect(a.packVersion).to.equal("0.1.0");
    expect(a.policies.map((p) => p.name)).to.include("s3-no-public-bucket-policy");
  });

  it("honours `all` and per-rule enforcement levels the way --policy-pack-config does", async () => {
    const resources = [
      { type: "aws:s3/bucketPolicy:BucketPolicy", name: "p", inputs: { bucket: "b", policy: publicPolicy } },
    ];
    const byDefault = of(await evaluate(resources), "s3-no-public-bucket-policy");
    expect(byDefault.map((v) => v.enforcement)).to.deep.equal(["mandatory"]);

    const allAdvisory = of(await evaluate(resources, { all: "advisory" }), "s3-no-public-bucket-policy");
    expect(allAdvisory.map((v) => v.enforcement)).to.deep.equal(["advisory"]);

    const disabled = of(
      await evaluate(resources, { all: "mandatory", "s3-no-public-bucket-policy": "disabled" }),
      "s3-no-public-bucket-policy",
    );
    expect(disabled).to.deep.equal([]);
  });

  it("attributes a per-resource violation to the analyzed resource, as the CLI does", async () => {
    const resources = [
      { type: "aws:s3/bucketPolicy:BucketPolicy", name: "p", inputs: { bucket: "b", policy: publicPolicy } },
    ];
    const [violation] = of(await evaluate(resources), "s3-no-public-bucket-policy");
    expect(violation?.urn).to.equal(`urn:pulumi:test::${testProject}::aws:s3/bucketPolicy:BucketPolicy::p`);
  });

  it("rejects configuration naming an unknown rule, a bad level or a value outside the schema, all at once", async () => {
    const a = await analyzer();
    const error = await a
      .configure({
        "no-such-rule": "mandatory",
        all: "loud",
        "s3-no-public-bucket-policy": { trustedAccountIds: "123" },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).to.be.instanceOf(PolicyConfigError);
    const problems = (error as PolicyConfigError).problems.join("\n");
    expect(problems).to.match(/no-such-rule: no such policy/);
    expect(problems).to.match(/all: enforcement level must be one of .* got "loud"/);
    expect(problems).to.match(/s3-no-public-bucket-policy.trustedAccountIds must be an array, got "123"/);
  });
});
