import { UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../support/policy-cases";
import { type Row, res, type Verdict } from "./row";
import { rows as encryptionRows } from "./s3-encryption";
import { rows as loggingVersioningRows } from "./s3-logging-versioning";

// S3 data: CKV2_AWS_61, CKV2_AWS_62, CKV_AWS_300, CKV_AWS_379 (and CKV_AWS_19, CKV_AWS_145 in
// s3-encryption.ts; the graph fixtures of CKV_AWS_18, CKV_AWS_21 in s3-logging-versioning.ts).

const BUCKET = "aws:s3/bucket:Bucket";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const NOTIFICATION = "aws:s3/bucketNotification:BucketNotification";
const ACL = "aws:s3/bucketAcl:BucketAcl";
const BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const WEBSITE = "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration";

// CKV2_AWS_61 S3BucketLifecycle (graph check: S3BucketLifecycle/main.tf + expected.yaml). The
// configuration joins its bucket by `bucket = aws_s3_bucket.pass.id`, i.e. the bucket's name.
const lifecycleBuckets: Row[] = [
  {
    check: "CKV2_AWS_61",
    rule: "s3-bucket-lifecycle",
    fixture: "aws_s3_bucket.pass",
    checkov: "PASSED",
    // Any lifecycle configuration passes the check, this one's single rule has no status and aborts nothing.
    pack: "FAILED",
    resources: [
      res(BUCKET, "pass", { bucket: "bucket_good" }),
      res(LIFECYCLE, "pass-lifecycle", { bucket: "bucket_good", rules: [{ id: "", status: "" }] }),
    ],
  },
  {
    check: "CKV2_AWS_61",
    rule: "s3-bucket-lifecycle",
    fixture: "aws_s3_bucket.fail",
    checkov: "FAILED",
    resources: [res(BUCKET, "fail", { bucket: "bucket_bad_1" })],
  },
  {
    // provider v3's inline lifecycle_rule: the v7 Bucket's deprecated `lifecycleRules`.
    check: "CKV2_AWS_61",
    rule: "s3-bucket-lifecycle",
    fixture: "aws_s3_bucket.pass_v3",
    checkov: "PASSED",
    resources: [
      res(BUCKET, "pass_v3", {
        bucket: "bucket_good",
        lifecycleRules: [
          { id: "Delete old incomplete multi-part uploads", enabled: true, abortIncompleteMultipartUploadDays: 7 },
        ],
      }),
    ],
  },
];

// CKV_AWS_300 S3AbortIncompleteUploads (example_S3AbortIncompleteUploads/main.tf). Every
// configuration names a bucket the fixture does not declare: each is judged on its own. The
// fixture's `depends_on` (versioning first) only orders the apply and has no Pulumi input.
// test_S3AbortIncompleteUploads.py lists pass, pass2, pass3, fail, fail2, fail3; the cases added
// to main.tf since (resource_with_dynamic_rule_pass4 and the *_dynamic_* ones) carry their verdict
// in their name, which is the check's own: a `dynamic "rule"` becomes the element the program maps
// from its list, its `var.`/`rule.value` values unknown, and `for_each = var.versioning ? [1] : []`
// the case where the list has its element.
const logRule = {
  abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
  id: "log",
  expiration: { days: 90 },
  filter: { and: { prefix: "log/", tags: { rule: "log", autoclean: "true" } } },
  status: "Enabled",
  transitions: [
    { days: 30, storageClass: "STANDARD_IA" },
    { days: 60, storageClass: "GLACIER" },
  ],
};
const expireNoncurrent = {
  id: "expire-noncurrent-versions",
  status: "Enabled",
  noncurrentVersionExpiration: { noncurrentDays: 1 },
};
const abortUploads = {
  id: "abort-incomplete-uploads",
  status: "Enabled",
  abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
};
const abortCases: [string, unknown[], Verdict][] = [
  [
    "fail",
    [
      {
        id: "config",
        filter: { prefix: "config/" },
        noncurrentVersionExpiration: { noncurrentDays: 90 },
        noncurrentVersionTransitions: [
          { noncurrentDays: 30, storageClass: "STANDARD_IA" },
          { noncurrentDays: 60, storageClass: "GLACIER" },
        ],
        status: "Enabled",
      },
    ],
    "FAILED",
  ],
  [
    "fail2",
    [
      logRule,
      { id: "tmp", filter: { prefix: "tmp/" }, expiration: { date: "2023-01-13T00:00:00Z" }, status: "Enabled" },
    ],
    "FAILED",
  ],
  ["fail3", [{ abortIncompleteMultipartUpload: { daysAfterInitiation: 7 }, id: "log", status: "Disabled" }], "FAILED"],
  [
    "pass2",
    [
      { ...logRule, filter: undefined },
      { id: "id-2", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 1 } },
    ],
    "PASSED",
  ],
  [
    "pass",
    [
      logRule,
      {
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        id: "tmp",
        expiration: { date: "2023-01-13T00:00:00Z" },
        status: "Enabled",
      },
    ],
    "PASSED",
  ],
  [
    "pass3",
    [{ abortIncompleteMultipartUpload: { daysAfterInitiation: 7 }, filter: {}, id: "log", status: "Enabled" }],
    "PASSED",
  ],
  [
    "resource_with_dynamic_rule_pass4",
    [
      {
        id: "abort_incomplete_multipart_upload",
        status: "Enabled",
        abortIncompleteMultipartUpload: { daysAfterInitiation: UNKNOWN_NUMBER },
      },
      { id: UNKNOWN_STRING, status: "Enabled", transitions: [{ storageClass: UNKNOWN_STRING }] },
    ],
    "PASSED",
  ],
  [
    "pass_static_then_dynamic",
    [
      { ...abortUploads, filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: UNKNOWN_NUMBER } },
      { ...expireNoncurrent, filter: {} },
    ],
    "PASSED",
  ],
  ["pass_dynamic_then_static", [expireNoncurrent, abortUploads], "PASSED"],
  [
    "pass_disabled_dynamic_rule",
    [
      abortUploads,
      {
        id: UNKNOWN_STRING,
        status: UNKNOWN_STRING,
        abortIncompleteMultipartUpload: { daysAfterInitiation: UNKNOWN_NUMBER },
      },
    ],
    "PASSED",
  ],
  [
    "pass_multiple_dynamic_rules",
    [
      { ...abortUploads, filter: {} },
      { ...expireNoncurrent, filter: {} },
      { id: "expire-current", status: "Enabled", filter: {}, expiration: { days: UNKNOWN_NUMBER } },
    ],
    "PASSED",
  ],
  ["fail_dynamic_only", [expireNoncurrent], "FAILED"],
];
const abortRows = abortCases.map(
  ([fixture, rules, verdict]): Row => ({
    check: "CKV_AWS_300",
    rule: "s3-bucket-lifecycle",
    fixture,
    checkov: verdict,
    resources: [
      res(LIFECYCLE, fixture, {
        // aws_s3_bucket.main.bucket for pass4, aws_s3_bucket.bucket.id for the others.
        bucket: fixture === "resource_with_dynamic_rule_pass4" ? "main" : "bucket",
        rules: rules.map((r) => JSON.parse(JSON.stringify(r))),
      }),
    ],
  }),
);

// CKV2_AWS_62 S3BucketEventNotifications (graph check: S3BucketEventNotifications/main.tf +
// expected.yaml). The topic the notification names is not declared: its ARN is unknown.
const notificationRows: Row[] = [
  {
    check: "CKV2_AWS_62",
    rule: "s3-bucket-event-notifications",
    fixture: "aws_s3_bucket.pass",
    checkov: "PASSED",
    resources: [
      res(BUCKET, "pass", { bucket: "your-bucket-name" }),
      res(NOTIFICATION, "bucket_notification", {
        bucket: "your-bucket-name",
        topics: [{ topicArn: UNKNOWN_STRING, events: ["s3:ObjectCreated:*"], filterSuffix: ".log" }],
      }),
    ],
  },
  {
    check: "CKV2_AWS_62",
    rule: "s3-bucket-event-notifications",
    fixture: "aws_s3_bucket.fail",
    checkov: "FAILED",
    resources: [res(BUCKET, "fail", { bucket: "bucket_bad_1" })],
  },
];

// CKV_AWS_379 S3SecureDataTransport (example_S3SecureDataTransport/main.tf). The check judges
// aws_s3_bucket_acl: a bucket its ACL opens (no access block stopping it) passes when it has a
// website configuration or a policy that denies aws:SecureTransport = false or allows only with
// aws:SecureTransport = true. None of the buckets is declared in the fixture: the pack judges each
// case's bucket policy on its own (and a public ACL whose policy is elsewhere is only noted). The
// ownership controls named in `depends_on` are not declared either (ordering only); the aws_s3_bucket_policy
// of pass_policy3 is named pass_policy2 in the fixture (a second resource of that name) and is
// joined to pass_policy3 by its bucket, as the check does.
const open = {
  blockPublicAcls: false,
  blockPublicPolicy: false,
  ignorePublicAcls: false,
  restrictPublicBuckets: false,
};
const arn = (bucket: string) => `arn:aws:s3:::${bucket}`;
/** data "aws_iam_policy_document" rendered as its `json`. */
const accountReadDocument = (bucket: string, condition?: Record<string, unknown>) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:ListBucket"],
        Resource: arn(bucket),
        Principal: { AWS: "123456789012" },
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });
/** The jsonencode policies: an IP deny, then a statement on aws:SecureTransport. */
const transportDocument = (bucket: string, effect: string, secure: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Id: "MYBUCKETPOLICY",
    Statement: [
      {
        Sid: "IPAllow",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn(bucket)],
        Condition: { IpAddress: { "aws:SourceIp": "8.8.8.8/32" } },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: effect,
        Principal: "*",
        Action: "s3:*",
        Resource: [arn(bucket)],
        Condition: { Bool: { "aws:SecureTransport": secure } },
      },
    ],
  });
const publicRead = (bucket: string) => [
  res(BLOCK, `${bucket}-block`, { bucket, ...open }),
  res(ACL, bucket, { bucket, acl: "public-read" }),
];
const withPolicy = (bucket: string, policy: string, name = bucket) => [
  ...publicRead(bucket),
  res(POLICY, name, { bucket, policy }),
];
const transportRows: [string, ReturnType<typeof res>[], Verdict, Verdict?][] = [
  ["pass_private", [res(ACL, "pass_private", { bucket: "pass_private", acl: "private" })], "PASSED"],
  [
    "pass_restricted",
    [
      res(BLOCK, "pass_restricted-block", { bucket: "pass_restricted", ...open, restrictPublicBuckets: true }),
      res(ACL, "pass_restricted", { bucket: "pass_restricted", acl: "public-read" }),
    ],
    "PASSED",
  ],
  [
    "pass_grant_blocked",
    [
      res(ACL, "pass_grant_blocked", {
        bucket: "pass_grant_blocked",
        accessControlPolicy: {
          grants: [
            { grantee: { id: "canonical-user-id", type: "CanonicalUser" }, permission: "READ" },
            {
              grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" },
              permission: "READ_ACP",
            },
          ],
          owner: { id: "canonical-user-id" },
        },
      }),
      res(BLOCK, "pass_grant_blocked-block", {
        bucket: "pass_grant_blocked",
        blockPublicAcls: true,
        blockPublicPolicy: false,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      }),
    ],
    "PASSED",
  ],
  ["pass_website", [...publicRead("pass_website"), res(WEBSITE, "pass_website", { bucket: "pass_website" })], "PASSED"],
  ["fail1", withPolicy("fail1", accountReadDocument("fail1")), "FAILED"],
  [
    "pass_policy1",
    withPolicy("pass_policy1", accountReadDocument("pass_policy1", { Bool: { "aws:SecureTransport": ["true"] } })),
    "PASSED",
    "FAILED",
  ],
  ["pass_policy2", withPolicy("pass_policy2", transportDocument("pass_policy2", "Deny", "false")), "PASSED"],
  [
    "pass_policy3",
    withPolicy("pass_policy3", transportDocument("pass_policy3", "Allow", "true"), "pass_policy2"),
    "PASSED",
    "FAILED",
  ],
  ["fail2", withPolicy("fail2", transportDocument("fail2", "Allow", "false")), "FAILED"],
];

export const rows: Row[] = [
  ...encryptionRows,
  ...loggingVersioningRows,
  ...lifecycleBuckets,
  ...abortRows,
  ...notificationRows,
  ...transportRows.map(
    ([fixture, resources, verdict, pack]): Row => ({
      check: "CKV_AWS_379",
      rule: "s3-bucket-tls-only-policy",
      fixture,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      resources,
    }),
  ),
];
