import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { describe, it } from "mocha";
import { allPolicies } from "../../policy-pack/policies";
import { types as clustersAndTasks } from "./checkov-resource-types/clusters-and-tasks";
import { types as computeAndLogs } from "./checkov-resource-types/compute-and-logs";
import type { CoveredType } from "./checkov-resource-types/covered-type";
import { types as databases } from "./checkov-resource-types/databases";
import { types as identityAndMessaging } from "./checkov-resource-types/identity-and-messaging";
import { types as s3 } from "./checkov-resource-types/s3";

// The demand that a rule cover "every resource type the check covers": per cited check, the
// Terraform types its Checkov source declares, and the Pulumi tokens a rule citing it must read.

const all: CoveredType[] = [...s3, ...databases, ...identityAndMessaging, ...computeAndLogs, ...clustersAndTasks];

/** The class @pulumi/aws exports for a type token (`aws:s3/bucketAcl:BucketAcl` -> aws.s3.BucketAcl). */
function providerClass(token: string): { __pulumiType?: string } | undefined {
  const m = /^aws:([a-z0-9]+)\/[a-zA-Z0-9]+:([A-Za-z0-9]+)$/.exec(token);
  if (!m) return undefined;
  const mod = (aws as unknown as Record<string, Record<string, { __pulumiType?: string }> | undefined>)[m[1] as string];
  return mod?.[m[2] as string];
}

describe("Checkov parity: every resource type a cited check covers", () => {
  for (const t of all) {
    const what = t.pulumi ? `judged as ${t.pulumi.join(", ")}` : `not judged (${t.notJudged})`;
    it(`${t.check} ${t.terraform}: ${what}`, () => {
      const rules = allPolicies.filter((p) => p.references.checkov.includes(t.check));
      expect(
        rules.map((r) => r.name),
        `rules citing ${t.check}`,
      ).to.not.be.empty;
      if (t.pulumi) {
        for (const token of t.pulumi) {
          const cls = providerClass(token);
          // The current token must be a class of the provider (some deprecated aliases still are, some not).
          if (token === t.pulumi[0]) expect(cls?.__pulumiType, `${token} is a type of @pulumi/aws`).to.equal(token);
          expect(
            rules.some((r) => r.resourceTypes.includes(token)),
            `${token} is read by ${rules.map((r) => r.name).join(" or ")}`,
          ).to.equal(true);
        }
      } else {
        expect(t.notJudged ?? "", "the reason").to.have.length.greaterThan(10);
        expect(
          rules.some((r) => r.description.includes(`unlike ${t.check}`)),
          `a rule citing ${t.check} states the difference`,
        ).to.equal(true);
      }
    });
  }

  it("lists the types of every cited check, and only cited checks", () => {
    const cited = new Set(allPolicies.flatMap((p) => p.references.checkov));
    const listed = new Set(all.map((t) => t.check));
    expect(
      [...listed].filter((id) => !cited.has(id)),
      "listed but not cited",
    ).to.deep.equal([]);
    expect([...cited].filter((id) => !listed.has(id)).sort(), "cited checks with no types listed").to.deep.equal([]);
  });
});
