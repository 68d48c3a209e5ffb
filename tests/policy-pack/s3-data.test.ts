import { expect } from "chai";
import { describe, it } from "mocha";
import { complies, stackNotApplicableReason, UNKNOWN_STRING, violates } from "../support/policy-cases";
import type { TestResource } from "../support/policy-harness";

// The lifecycle and TLS-only rules on what s3.test.ts's hardened bucket does not show: the
// bucket's legacy inline lifecycle rules, rules narrowed by a filter, and side resources of a
// bucket declared elsewhere, judged on their own inputs.

const BUCKET = "aws:s3/bucket:Bucket";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const ACL = "aws:s3/bucketAcl:BucketAcl";

const r = (type: string, name: string, inputs: Record<string, unknown>): TestResource => ({ type, name, inputs });
const abort = { id: "abort", status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } };
/** A lifecycle configuration of the bucket "elsewhere", which the stack does not declare. */
const elsewhere = (rules: unknown) => r(LIFECYCLE, "lc", { bucket: "elsewhere", rules });
const tlsDeny = {
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: ["arn:aws:s3:::elsewhere", "arn:aws:s3:::elsewhere/*"],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const policyOf = (...statements: unknown[]) =>
  r(POLICY, "policy", {
    bucket: "elsewhere",
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  });

describe("policy pack: S3 lifecycle and TLS-only policy, side resources on their own", () => {
  complies({
    rule: "s3-bucket-lifecycle",
    title: "a bucket's legacy inline lifecycleRules aborting uploads",
    resources: [
      r(BUCKET, "logs", {
        bucket: "logs",
        lifecycleRules: [{ id: "abort", enabled: true, abortIncompleteMultipartUploadDays: 7 }],
      }),
    ],
  });
  violates({
    rule: "s3-bucket-lifecycle",
    title: "a legacy inline abort rule that is disabled",
    resources: [
      r(BUCKET, "logs", {
        bucket: "logs",
        lifecycleRules: [{ id: "abort", enabled: false, abortIncompleteMultipartUploadDays: 7 }],
      }),
    ],
    message: /covers the whole bucket/,
  });
  violates({
    rule: "s3-bucket-lifecycle",
    title: "an abort rule narrowed to a prefix (uploads elsewhere stay billed)",
    resources: [
      r(BUCKET, "logs", { bucket: "logs" }),
      r(LIFECYCLE, "logs-lc", { bucket: "logs", rules: [{ ...abort, filter: { and: { prefix: "log/" } } }] }),
    ],
    message: /covers the whole bucket/,
  });
  complies({
    rule: "s3-bucket-lifecycle",
    title: "an abort rule with an empty filter, beside a narrowed one",
    resources: [
      r(BUCKET, "logs", { bucket: "logs" }),
      r(LIFECYCLE, "logs-lc", {
        bucket: "logs",
        rules: [
          { ...abort, id: "tmp", filter: { prefix: "tmp/" } },
          { ...abort, filter: {} },
        ],
      }),
    ],
  });
  violates({
    rule: "s3-bucket-lifecycle",
    title: "the lifecycle configuration of a bucket declared elsewhere, without an abort rule",
    resources: [elsewhere([{ id: "expire", status: "Enabled", expiration: { days: 30 } }])],
    message:
      /lc \(bucket "elsewhere"\), joined to no bucket of this stack: no enabled abortIncompleteMultipartUpload rule/,
  });
  complies({
    rule: "s3-bucket-lifecycle",
    title: "the lifecycle configuration of a bucket declared elsewhere, aborting uploads",
    resources: [elsewhere([abort])],
  });
  it("s3-bucket-lifecycle: an abort rule whose status is unknown is checked again on up", () => {
    expect(
      stackNotApplicableReason("s3-bucket-lifecycle", [elsewhere([{ ...abort, status: UNKNOWN_STRING }])]),
    ).to.match(/rules of lc: .*pulumi up/);
  });

  violates({
    rule: "s3-bucket-tls-only-policy",
    title: "the policy of a bucket declared elsewhere, without the TLS deny",
    resources: [policyOf({ ...tlsDeny, Condition: { IpAddress: { "aws:SourceIp": "8.8.8.8/32" } } })],
    message: /policy \(bucket "elsewhere"\), joined to no bucket of this stack: the bucket policy has no Deny/,
  });
  violates({
    rule: "s3-bucket-tls-only-policy",
    title: "an Allow conditioned on aws:SecureTransport = true (it does not stop other grants over HTTP)",
    resources: [policyOf({ ...tlsDeny, Effect: "Allow", Condition: { Bool: { "aws:SecureTransport": "true" } } })],
  });
  complies({
    rule: "s3-bucket-tls-only-policy",
    title: "the policy of a bucket declared elsewhere, with the TLS deny",
    resources: [policyOf(tlsDeny)],
  });
  it("s3-bucket-tls-only-policy: a policy of a bucket declared elsewhere that is unknown is checked again on up", () => {
    const resources = [r(POLICY, "policy", { bucket: "elsewhere", policy: UNKNOWN_STRING })];
    expect(stackNotApplicableReason("s3-bucket-tls-only-policy", resources)).to.match(/policy of policy: .*pulumi up/);
  });
  it("s3-bucket-tls-only-policy: a public ACL of a bucket whose policy is declared elsewhere is noted, not judged", () => {
    const acl = r(ACL, "acl", { bucket: "elsewhere", acl: "public-read" });
    expect(stackNotApplicableReason("s3-bucket-tls-only-policy", [acl])).to.match(
      /bucket "elsewhere" is made public by acl and its policy is not declared in this stack/,
    );
    expect(
      stackNotApplicableReason("s3-bucket-tls-only-policy", [{ ...acl, inputs: { ...acl.inputs, acl: "private" } }]),
    ).to.be.undefined;
  });
});
