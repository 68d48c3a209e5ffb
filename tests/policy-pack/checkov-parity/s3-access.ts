import { type Row, res, type Verdict } from "./row";
import { rows as aclRows } from "./s3-acl";

// S3 access: CKV2_AWS_6, CKV2_AWS_43, CKV2_AWS_65, and the side resources of the rules citing
// them judged on their own (their bucket outside the stack); the graph fixtures of CKV_AWS_20 and
// CKV_AWS_57 are in s3-acl.ts.

const BUCKET = "aws:s3/bucket:Bucket";
const BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
const ACL = "aws:s3/bucketAcl:BucketAcl";

type Flags = Partial<
  Record<"blockPublicAcls" | "blockPublicPolicy" | "ignorePublicAcls" | "restrictPublicBuckets", boolean>
>;

/** `aws_s3_bucket.<name>` and, when given, the `aws_s3_bucket_public_access_block` whose `bucket` references its id. */
const bucketWithBlock = (name: string, bucket: string, block: string, flags: Flags | null) => [
  res(BUCKET, name, { bucket }),
  ...(flags ? [{ ...res(BLOCK, block, { bucket, ...flags }), propertyDependencies: { bucket: [name] } }] : []),
];

// CKV2_AWS_6 S3BucketHasPublicAccessBlock (graph check on aws_s3_bucket; fixture
// tests/terraform/graph/checks/resources/S3BucketHasPublicAccessBlock/main.tf + expected.yaml). Checkov
// asks a connected block with block_public_acls and block_public_policy true; the rule asks all four
// (FSBP S3.8, CKV_AWS_53–56), so bucket_good_1 fails here.
// bucket_good_2 and access_good_2 are created under `count = var.cur_bucket_name != "" ? 1 : 0` and joined
// by `aws_s3_bucket.bucket_good_2[0].id`: a Pulumi program creates them conditionally, so the row is the
// case where both exist (when neither does there is no resource to judge).
const ckv2Aws6: [string, string, string, Flags | null, Verdict, Verdict?][] = [
  [
    "bucket_good_1",
    "bucket_good",
    "access_good_1",
    { blockPublicAcls: true, blockPublicPolicy: true },
    "PASSED",
    "FAILED",
  ],
  [
    "bucket_good_2",
    "bucket_good_2",
    "access_good_2",
    { blockPublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true, ignorePublicAcls: true },
    "PASSED",
  ],
  ["bucket_bad_1", "bucket_bad_1", "access_bad_1", {}, "FAILED"],
  ["bucket_bad_2", "bucket_bad_2", "access_bad_2", { blockPublicAcls: false, blockPublicPolicy: false }, "FAILED"],
  ["bucket_bad_3", "bucket_bad_3", "access_bad_3", { blockPublicAcls: false, blockPublicPolicy: true }, "FAILED"],
  ["bucket_bad_4", "bucket_bad_4", "", null, "FAILED"],
];

// CKV_AWS_53..56 (test_<Check>.py) judge the block alone: its `bucket` is the literal "foo" and the
// fixture has no aws_s3_bucket. The rows of the main table add a bucket "foo"; these keep the block
// alone, so the rule must judge a block whose bucket is outside the stack on its own flags.
const allFlags = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};
const blockChecks: [string, keyof typeof allFlags][] = [
  ["CKV_AWS_53", "blockPublicAcls"],
  ["CKV_AWS_54", "blockPublicPolicy"],
  ["CKV_AWS_55", "ignorePublicAcls"],
  ["CKV_AWS_56", "restrictPublicBuckets"],
];

// CKV2_AWS_43 S3NotAllowAccessToAllAuthenticatedUsers (attribute check on aws_s3_bucket_acl:
// access_control_policy.grant.*.grantee.uri not AuthenticatedUsers; fixture main.tf + expected.yaml).
// Every aws_s3_bucket_acl names the literal bucket "name" (no aws_s3_bucket in the fixture); the owner
// id reads data.aws_canonical_user_id, which becomes a literal canonical id here.
const canonical = { id: "52b113e7a2f25102679df27bb0ae12b3f85be6", type: "CanonicalUser" };
const authenticated = { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" };
const ckv2Aws43: [string, { grantee: Record<string, string>; permission: string }[], Verdict][] = [
  [
    "fail_1",
    [
      { grantee: canonical, permission: "READ" },
      { grantee: authenticated, permission: "READ_ACP" },
    ],
    "FAILED",
  ],
  ["fail_2", [{ grantee: authenticated, permission: "READ_ACP" }], "FAILED"],
  ["pass", [{ grantee: canonical, permission: "READ" }], "PASSED"],
];

// CKV2_AWS_65 AWSdisableS3ACL (attribute check on aws_s3_bucket_ownership_controls:
// rule.object_ownership equals BucketOwnerEnforced; fixture main.tf + expected.yaml). Each control is
// converted with its bucket (joined by `aws_s3_bucket.<name>.id`) and alone, its bucket outside the stack.
const ckv2Aws65: [string, string, Verdict][] = [
  ["pud_bucket_fail", "BucketOwnerPreferred", "FAILED"],
  ["pud_bucket_pass", "BucketOwnerEnforced", "PASSED"],
];

export const rows: Row[] = [
  ...aclRows,
  ...ckv2Aws6.map(
    ([bucket, name, block, flags, checkov, pack]): Row => ({
      check: "CKV2_AWS_6",
      rule: "s3-bucket-public-access-block",
      fixture: `aws_s3_bucket.${bucket}${flags ? ` with aws_s3_bucket_public_access_block.${block}` : " (no block)"}`,
      checkov,
      ...(pack ? { pack } : {}),
      resources: bucketWithBlock(bucket, name, block, flags),
    }),
  ),
  ...blockChecks.flatMap(([check, flag]) =>
    (
      [
        ["test_failure", false, "FAILED"],
        ["test_success", true, "PASSED"],
      ] as [string, boolean, Verdict][]
    ).map(
      ([fixture, value, checkov]): Row => ({
        check,
        rule: "s3-bucket-public-access-block",
        fixture: `${fixture} (the block alone, bucket "foo" outside the stack)`,
        checkov,
        resources: [res(BLOCK, "foo", { bucket: "foo", ...allFlags, [flag]: value })],
      }),
    ),
  ),
  ...ckv2Aws43.map(
    ([name, grants, checkov]): Row => ({
      check: "CKV2_AWS_43",
      rule: "s3-no-public-acl",
      fixture: `aws_s3_bucket_acl.${name}`,
      checkov,
      resources: [
        res(ACL, name, { bucket: "name", accessControlPolicy: { grants, owner: { id: "owner-canonical-id" } } }),
      ],
    }),
  ),
  ...ckv2Aws65.flatMap(([name, objectOwnership, checkov]): Row[] => {
    // Pulumi names are unique across types in the harness: the control takes a suffix.
    const control = res(OWNERSHIP, `${name}-ownership`, { bucket: name, rule: { objectOwnership } });
    return [
      {
        check: "CKV2_AWS_65",
        rule: "s3-bucket-owner-enforced",
        fixture: `aws_s3_bucket_ownership_controls.${name} with aws_s3_bucket.${name}`,
        checkov,
        resources: [res(BUCKET, name, { bucket: name }), { ...control, propertyDependencies: { bucket: [name] } }],
      },
      {
        check: "CKV2_AWS_65",
        rule: "s3-bucket-owner-enforced",
        fixture: `aws_s3_bucket_ownership_controls.${name} alone (its bucket outside the stack)`,
        checkov,
        resources: [control],
      },
    ];
  }),
];
