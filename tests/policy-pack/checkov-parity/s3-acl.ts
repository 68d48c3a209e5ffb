import { UNKNOWN_STRING } from "../../support/policy-cases";
import { type Row, res, type Verdict } from "./row";

// CKV_AWS_20 and CKV_AWS_57 as Checkov defines them today: graph checks on aws_s3_bucket
// (graph_checks/aws/S3PublicACLRead.yaml, S3PublicACLWrite.yaml) that read the bucket's inline `acl`
// or the acl and access_control_policy grants of a joined aws_s3_bucket_acl. Fixtures:
// tests/terraform/graph/checks/resources/<Check>/main.tf + expected.yaml; each row is one bucket of
// expected.yaml with the ACL joined to it by the bucket's name (`aws_s3_bucket.<name>.id` or
// `.bucket`). `data.aws_canonical_user_id.*.id` is a literal canonical id; a `var.`/`local.` ACL is
// unknown (the bucket is in neither list: UNKNOWN). The rows of test_S3PublicACLRead.py and
// test_S3PublicACLWrite.py (checkov-parity.test.ts) are the inline cases of the Python checks these
// replaced.

const BUCKET = "aws:s3/bucket:Bucket";
const ACL = "aws:s3/bucketAcl:BucketAcl";
const OWNER = { id: "owner-canonical-id" };
const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

type Case = [fixture: string, resources: ReturnType<typeof res>[], checkov: Verdict, pack?: Verdict];

const inlineAcl = (name: string, acl?: string) => [res(BUCKET, name, { bucket: "example", ...(acl ? { acl } : {}) })];
const withAcl = (name: string, inputs: Record<string, unknown>) => [
  res(BUCKET, name, { bucket: "example" }),
  res(ACL, `${name}-acl`, { bucket: "example", ...inputs }),
];
const grant = (permission: string, uri?: string) => ({
  grantee: uri ? { type: "Group", uri } : { id: OWNER.id, type: "CanonicalUser" },
  permission,
});

// Cases both fixtures share.
const shared: Case[] = [
  ["aws_s3_bucket.private_acl", inlineAcl("private_acl", "private"), "PASSED"],
  ["aws_s3_bucket.no_acl", inlineAcl("no_acl"), "PASSED"],
  ["aws_s3_bucket.unknown_var", inlineAcl("unknown_var", UNKNOWN_STRING), "UNKNOWN"],
  ["aws_s3_bucket.unknown_var_legacy", inlineAcl("unknown_var_legacy", UNKNOWN_STRING), "UNKNOWN"],
  ["aws_s3_bucket.public_read_write", inlineAcl("public_read_write", "public-read-write"), "FAILED"],
  ["aws_s3_bucket.private_acl_v4", withAcl("private_acl_v4", { acl: "private" }), "PASSED"],
  ["aws_s3_bucket.unknown_var_v4_legacy", withAcl("unknown_var_v4_legacy", { acl: UNKNOWN_STRING }), "UNKNOWN"],
  ["aws_s3_bucket.no_grant", withAcl("no_grant", { accessControlPolicy: { owner: OWNER } }), "PASSED"],
  [
    "aws_s3_bucket.grant_onwer",
    withAcl("grant_onwer", { accessControlPolicy: { owner: OWNER, grants: [grant("READ")] } }),
    "PASSED",
  ],
  ["aws_s3_bucket.public_read_write_v4", withAcl("public_read_write_v4", { acl: "public-read-write" }), "FAILED"],
];

// S3PublicACLRead. expected.yaml lists public_read under both pass and fail (its second file,
// same_resource_name/main.tf, declares a resource of that name too); the row is the root module's
// public-read bucket, which fails. "website" is not a canned ACL S3 accepts: the check fails it, and
// so does the rule (it cannot be judged).
const readCases: Case[] = [
  ...shared,
  ["aws_s3_bucket.public_read", inlineAcl("public_read", "public-read"), "FAILED"],
  ["aws_s3_bucket.website", inlineAcl("website", "website"), "FAILED"],
  ["aws_s3_bucket.authenticated_read", inlineAcl("authenticated_read", "authenticated-read"), "FAILED"],
  ["aws_s3_bucket.public_read_v4", withAcl("public_read_v4", { acl: "public-read" }), "FAILED"],
  ["aws_s3_bucket.website_v4", withAcl("website_v4", { acl: "website" }), "FAILED"],
  ["aws_s3_bucket.authenticated_read_v4", withAcl("authenticated_read_v4", { acl: "authenticated-read" }), "FAILED"],
  [
    "aws_s3_bucket.grant_public_read_all",
    withAcl("grant_public_read_all", {
      accessControlPolicy: { owner: OWNER, grants: [grant("READ"), grant("READ", ALL_USERS)] },
    }),
    "FAILED",
  ],
];

// S3PublicACLWrite: a READ grant to AllUsers passes the write check; the rule fails it (CKV_AWS_20's verdict).
const writeCases: Case[] = [
  ...shared,
  [
    "aws_s3_bucket.grant_public_write_all",
    withAcl("grant_public_write_all", {
      accessControlPolicy: { owner: OWNER, grants: [grant("READ"), grant("WRITE", ALL_USERS)] },
    }),
    "FAILED",
  ],
  [
    "aws_s3_bucket.bucket_with_read_acl",
    withAcl("bucket_with_read_acl", { accessControlPolicy: { grants: [grant("READ", ALL_USERS)] } }),
    "PASSED",
    "FAILED",
  ],
];

const toRows = (check: string, cases: Case[]): Row[] =>
  cases.map(([fixture, resources, checkov, pack]) => ({
    check,
    rule: "s3-no-public-acl",
    fixture,
    checkov,
    ...(pack ? { pack } : {}),
    resources,
  }));

export const rows: Row[] = [...toRows("CKV_AWS_20", readCases), ...toRows("CKV_AWS_57", writeCases)];
