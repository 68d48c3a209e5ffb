import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { describe, it } from "mocha";
import { HardenedBucket } from "../../components/hardened-bucket";
import { ArgsError } from "../../components/spec";
import { attempt } from "../support/args-error";
import { evaluateProgram } from "../support/policy-harness";
import { inputsOf, jsonInput, ofType, one, record } from "../support/pulumi-harness";

const T = {
  bucket: "aws:s3/bucket:Bucket",
  block: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  logging: "aws:s3/bucketLogging:BucketLogging",
};

interface Statement {
  Sid?: string;
  Effect: string;
  Principal: unknown;
  Action: unknown;
  Resource: unknown;
  Condition?: Record<string, Record<string, string>>;
}

describe("HardenedBucket", () => {
  it("blocks all public access, encrypts with SSE-S3 by default and disables ACLs", async () => {
    const run = await record(() => new HardenedBucket("data"));
    const bucketId = one(run, T.bucket).id;
    expect(inputsOf(one(run, T.block))).to.deep.equal({
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(inputsOf(one(run, T.sse)).rules).to.deep.equal([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ]);
    expect(inputsOf(one(run, T.ownership)).rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
    expect(inputsOf(one(run, T.bucket)).forceDestroy).to.equal(false);
  });

  it("uses SSE-KMS with a bucket key when given a key", async () => {
    const keyArn = "arn:aws:kms:us-east-1:317805897534:key/11111111-2222-3333-4444-555555555555";
    const run = await record(() => new HardenedBucket("data", { kmsKeyArn: keyArn }));
    expect(inputsOf(one(run, T.sse)).rules).to.deep.equal([
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
        bucketKeyEnabled: true,
      },
    ]);
  });

  it("denies every non-TLS request in a policy created after the public access block", async () => {
    const run = await record(() => new HardenedBucket("data"));
    const policy = one(run, T.policy);
    const arn = "arn:aws:s3:::data-";
    const statements = (jsonInput(policy, "policy") as unknown as { Statement: Statement[] }).Statement;
    const deny = statements.find((s) => s.Sid === "DenyInsecureTransport");
    expect(deny).to.include({ Effect: "Deny", Principal: "*", Action: "s3:*" });
    expect(deny?.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
    const resources = deny?.Resource as string[];
    expect(resources).to.have.length(2);
    expect(resources[0]).to.match(new RegExp(`^${arn}`));
    expect(resources[1]).to.equal(`${resources[0]}/*`);
    expect(statements.filter((s) => s.Effect === "Allow")).to.deep.equal([]);
    // dependsOn: S3 answers 409 when the policy races the access block.
    expect(policy.dependencies).to.include(one(run, T.block).urn);
  });

  it("versions objects and cleans up: abort incomplete uploads, expire noncurrent versions, optional tiering", async () => {
    const run = await record(
      () => new HardenedBucket("data", { intelligentTieringAfterDays: 30, expirationDays: 365 }),
    );
    expect(inputsOf(one(run, T.versioning)).versioningConfiguration).to.deep.equal({ status: "Enabled" });
    const rules = inputsOf(one(run, T.lifecycle)).rules as Record<string, unknown>[];
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    expect(byId["abort-incomplete-multipart-uploads"]).to.deep.include({
      status: "Enabled",
      abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    });
    expect(byId["expire-noncurrent-versions"]).to.deep.include({ noncurrentVersionExpiration: { noncurrentDays: 90 } });
    expect(byId["intelligent-tiering"]).to.deep.include({
      transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }],
    });
    expect(byId["expire-current-objects"]).to.deep.include({ expiration: { days: 365 } });
  });

  it("opts out of versioning and tiering only when asked, and never out of encryption or the access block", async () => {
    const run = await record(() => new HardenedBucket("scratch", { versioning: false }));
    expect(ofType(run, T.versioning)).to.deep.equal([]);
    const ids = (inputsOf(one(run, T.lifecycle)).rules as Record<string, unknown>[]).map((r) => r.id);
    expect(ids).to.deep.equal(["abort-incomplete-multipart-uploads"]);
    expect(ofType(run, T.sse)).to.have.length(1);
    expect(ofType(run, T.block)).to.have.length(1);
    expect(ofType(run, T.logging)).to.deep.equal([]);
  });

  it("logs access to a target bucket, and as a log target lets only this account's S3 logging write", async () => {
    const run = await record(() => {
      const target = new HardenedBucket("access-logs", { acceptAccessLogs: true });
      return new HardenedBucket("data", { accessLogging: { targetBucket: target.bucketName, targetPrefix: "data/" } });
    });
    const logging = inputsOf(one(run, T.logging));
    expect(logging.targetBucket).to.equal(one(run, T.bucket, "access-logs").id);
    expect(logging.targetPrefix).to.equal("data/");
    const statements = (jsonInput(one(run, T.policy, "access-logs"), "policy") as unknown as { Statement: Statement[] })
      .Statement;
    const delivery = statements.find((s) => s.Sid === "AllowServerAccessLogDelivery");
    expect(delivery?.Principal).to.deep.equal({ Service: "logging.s3.amazonaws.com" });
    expect(delivery?.Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": "317805897534" } });
  });

  it("rejects nonsensical lifecycle settings, naming each", async () => {
    let error: Error | undefined;
    await record(
      () =>
        new HardenedBucket("bad", {
          abortIncompleteUploadsAfterDays: 0,
          intelligentTieringAfterDays: 30,
          expirationDays: 10,
        }),
    ).catch((e: Error) => {
      error = e;
    });
    expect(error).to.be.instanceOf(ArgsError);
    expect(error?.message).to.include(
      "abortIncompleteUploadsAfterDays: expected an integer from 1 to 2147483647, got 0",
    );
    expect(error?.message).to.include(
      "expirationDays: expected more days than intelligentTieringAfterDays (0 when not set), got 10",
    );
  });

  // Intended fix: a name S3 refuses used to preview green and fail at deploy ("Bucket naming rules",
  // Amazon S3 User Guide).
  it("refuses a bucket name S3 would refuse (capitals, IP format, reserved prefixes and suffixes), naming it", async () => {
    for (const bad of [
      "Huntaze-Exports",
      "ab",
      "a".repeat(64),
      "my_bucket",
      "-exports",
      "exports-",
      "my..bucket",
      "192.168.5.4",
      "xn--exports",
      "sthree-exports",
      "amzn-s3-demo-exports",
      "exports-s3alias",
      "exports--ol-s3",
      "exports.mrap",
      "exports--x-s3",
      "exports--table-s3",
    ]) {
      const { error, children } = await attempt(() => new HardenedBucket("exports", { bucketName: bad }));
      expect(error, bad).to.be.instanceOf(ArgsError);
      expect(error?.message, bad).to.include(`bucketName: expected an S3 bucket name (3–63 lowercase letters`);
      expect(error?.message, bad).to.include(`got ${JSON.stringify(bad)}`);
      expect(children, bad).to.deep.equal([]);
    }
    for (const good of ["huntaze-exports", "abc", "a".repeat(63), "logs.huntaze.com", "exports-2026", "1-bucket"]) {
      const { error } = await attempt(() => new HardenedBucket("exports", { bucketName: good }));
      expect(error, good).to.equal(undefined);
    }
  });

  it("from another project: wrong args give one named ArgsError (field, allowed, given) before any child", async () => {
    const { error, children } = await attempt(
      () =>
        new HardenedBucket("x", {
          bucketName: "Exports",
          kmsKeyArn: "my-key",
          versioning: "yes",
          noncurrentVersionExpirationDays: 1.5,
          intelligentTieringAfterDays: -1,
          accessLogging: { targetPrefix: "x/" },
          additionalPolicyStatements: "Allow *",
          forceDestroy: 1,
          tags: ["a"],
        } as never),
    );
    expect(error).to.be.instanceOf(ArgsError);
    expect((error as ArgsError).problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`)).to.deep.equal([
      `bucketName: expected ${(error as ArgsError).problems[0]?.allowed}, got "Exports"`,
      'kmsKeyArn: expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<uuid or mrk-…>), got "my-key"',
      'versioning: expected true or false, got "yes"',
      "noncurrentVersionExpirationDays: expected an integer from 1 to 2147483647, got 1.5",
      "intelligentTieringAfterDays: expected an integer from 0 to 2147483647, got -1",
      "accessLogging.targetBucket: expected a bucket name, got nothing (the key is missing)",
      'additionalPolicyStatements: expected a list, each a policy statement (an object), got "Allow *"',
      "forceDestroy: expected true or false, got 1",
      'tags: expected an object of tags (string values), got ["a"]',
    ]);
    expect((error as ArgsError).problems[0]?.allowed).to.match(/^an S3 bucket name/);
    expect(children).to.deep.equal([]);
    // No args at all is valid: every field has a default or is optional.
    expect((await attempt(() => new HardenedBucket("x", {} as never))).error).to.equal(undefined);
  });

  it("passes every S3 rule of the policy pack, where a bare bucket fails the mandatory ones", async () => {
    const hardened = await evaluateProgram(() => {
      const logs = new HardenedBucket("access-logs", { acceptAccessLogs: true });
      return new HardenedBucket("data", {
        kmsKeyArn: "arn:aws:kms:us-east-1:317805897534:key/11111111-2222-3333-4444-555555555555",
        accessLogging: { targetBucket: logs.bucketName },
      });
    });
    const dataViolations = hardened.violations.filter((v) => v.urn.endsWith("::data") && v.policy.startsWith("s3-"));
    expect(dataViolations.map((v) => v.policy)).to.deep.equal(["s3-bucket-event-notifications"]);
    expect(hardened.violations.filter((v) => v.enforcement === "mandatory")).to.deep.equal([]);

    const bare = await evaluateProgram(() => new aws.s3.Bucket("bare"));
    const mandatory = bare.violations.filter((v) => v.enforcement === "mandatory").map((v) => v.policy);
    expect(mandatory).to.include.members([
      "s3-bucket-public-access-block",
      "s3-bucket-default-encryption",
      "s3-bucket-tls-only-policy",
    ]);
  });
});
