import { UNKNOWN_STRING } from "../../support/policy-cases";
import { type Row, res, type Verdict } from "./row";

// S3 default encryption: CKV_AWS_19 and CKV_AWS_145 as Checkov defines them today, graph checks
// (checkov/terraform/checks/graph_checks/aws/S3BucketEncryption.yaml and S3KMSEncryptedByDefault.yaml)
// whose fixtures are tests/terraform/graph/checks/resources/<Check>/main.tf + expected.yaml. The
// Python checks they replaced (and test_S3Encryption.py) judged the bucket's inline block only.
//
// Conversion: an inline `server_side_encryption_configuration` is the v7 Bucket's
// `serverSideEncryptionConfiguration.rule`; an aws_s3_bucket_server_side_encryption_configuration
// joins its bucket by `bucket = aws_s3_bucket.<name>.bucket` (the bucket's name). Each row holds one
// bucket of expected.yaml with the configuration joined to it. `aws_kms_key.mykey` is not declared:
// its ARN is unknown, as a key created by the program is during preview. A `var.` algorithm is
// unknown (the bucket is in neither list of expected.yaml: UNKNOWN). A `dynamic` block with
// `for_each = var.s3_bucket_encryption_enabled ? [1] : []` is the case where it has its element.

const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const KEY = UNKNOWN_STRING;

/** apply_server_side_encryption_by_default with the fixture's algorithm, and its key when it names one. */
const byDefault = (sseAlgorithm: string | undefined, withKey = true) => ({
  ...(withKey ? { kmsMasterKeyId: KEY } : {}),
  ...(sseAlgorithm === undefined ? {} : { sseAlgorithm }),
});

/** A bucket named `name` with its inline configuration. */
const inline = (resource: string, name: string, sseAlgorithm: string, withKey = true) => [
  res(BUCKET, resource, {
    bucket: name,
    serverSideEncryptionConfiguration: {
      rule: { applyServerSideEncryptionByDefault: byDefault(sseAlgorithm, withKey) },
    },
  }),
];

/** A bucket named `name` joined to the configuration `config`. */
const joined = (resource: string, name: string, config: string, sseAlgorithm: string | undefined, withKey = true) => [
  res(BUCKET, resource, { bucket: name }),
  res(SSE, config, { bucket: name, rules: [{ applyServerSideEncryptionByDefault: byDefault(sseAlgorithm, withKey) }] }),
];

type Case = [fixture: string, resources: ReturnType<typeof res>[], checkov: Verdict, pack?: Verdict];

// S3BucketEncryption: a bucket with no configuration passes (S3 applies SSE-S3 to every new object
// since January 2023); the rule asks the default encryption to be declared.
const encryptionCases: Case[] = [
  ["aws_s3_bucket.bucket_good_1", joined("bucket_good_1", "bucket_good", "good_sse_1", "aws:kms"), "PASSED"],
  ["aws_s3_bucket.bucket_good_2", joined("bucket_good_2", "bucket_good", "good_sse_2", "AES256"), "PASSED"],
  ["aws_s3_bucket.bucket_good_3", inline("bucket_good_3", "bucket_good", "aws:kms"), "PASSED"],
  ["aws_s3_bucket.bucket_unknown", inline("bucket_unknown", "bucket_unknown", UNKNOWN_STRING), "UNKNOWN"],
  ["aws_s3_bucket.bucket_good_5", inline("bucket_good_5", "bucket_good", "AES256", false), "PASSED"],
  ["aws_s3_bucket.bucket_good_6", joined("bucket_good_6", "bucket_good", "good_sse_3", "aws:kms", false), "PASSED"],
  ["aws_s3_bucket.bucket_unknown2", inline("bucket_unknown2", "bucket_unknown", UNKNOWN_STRING), "UNKNOWN"],
  [
    "aws_s3_bucket.bucket_unknown3",
    joined("bucket_unknown3", "bucket_good", "unknown_sse_4", UNKNOWN_STRING),
    "UNKNOWN",
  ],
  [
    "aws_s3_bucket.default_encryption_bucket",
    [res(BUCKET, "default_encryption_bucket", { bucket: "default_encryption_bucket" })],
    "PASSED",
    "FAILED",
  ],
  ["aws_s3_bucket.bucket_bad_2", inline("bucket_bad_2", "bucket_bad_2", "metallica"), "FAILED"],
  ["aws_s3_bucket.bucket_bad_3", joined("bucket_bad_3", "bucket_bad_3", "bad_sse_1", "iron maiden"), "FAILED"],
  ["aws_s3_bucket.bucket_bad_4", joined("bucket_bad_4", "bucket_bad_4", "bad_sse_2", undefined), "FAILED"],
  ["aws_s3_bucket.bucket_bad_5", inline("bucket_bad_5", "bucket_good", "jack daniels", false), "FAILED"],
  [
    "aws_s3_bucket.bucket_bad_6",
    joined("bucket_bad_6", "bucket_bad_6", "bad_sse_3", "johnnie walker", false),
    "FAILED",
  ],
];

// S3KMSEncryptedByDefault: aws:kms (or aws:kms:dsse) passes with or without a key; the rule asks a
// customer-managed key (without kmsMasterKeyId, S3 uses the AWS-managed aws/s3 key). expected.yaml
// also lists bucket_good_dsse_inline and bucket_good_dsse_sse, which the stored main.tf does not
// declare yet: the rule's aws:kms:dsse case is in s3.test.ts.
const kmsCases: Case[] = [
  ["aws_s3_bucket.bucket_good_1", joined("bucket_good_1", "bucket_good", "good_sse_1", "aws:kms"), "PASSED"],
  ["aws_s3_bucket.bucket_good_3", inline("bucket_good_3", "bucket_good", "aws:kms"), "PASSED"],
  ["aws_s3_bucket.bucket_good_4", inline("bucket_good_4", "bucket_good", UNKNOWN_STRING), "UNKNOWN"],
  [
    "aws_s3_bucket.bucket_good_6",
    joined("bucket_good_6", "bucket_good", "good_sse_3", "aws:kms", false),
    "PASSED",
    "FAILED",
  ],
  ["aws_s3_bucket.bucket_good_7", inline("bucket_good_7", "bucket_good", UNKNOWN_STRING), "UNKNOWN"],
  ["aws_s3_bucket.bucket_good_8", joined("bucket_good_8", "bucket_good", "good_sse_4", UNKNOWN_STRING), "UNKNOWN"],
  ["aws_s3_bucket.bucket_bad_1", [res(BUCKET, "bucket_bad_1", { bucket: "bucket_bad_1" })], "FAILED"],
  ["aws_s3_bucket.bucket_bad_2", inline("bucket_bad_2", "bucket_bad_2", "metallica"), "FAILED"],
  ["aws_s3_bucket.bucket_bad_3", joined("bucket_bad_3", "bucket_bad_3", "bad_sse_1", "iron maiden"), "FAILED"],
  ["aws_s3_bucket.bucket_bad_4", joined("bucket_bad_4", "bucket_bad_4", "bad_sse_2", undefined), "FAILED"],
  ["aws_s3_bucket.bucket_bad_5", inline("bucket_bad_5", "bucket_good", "jack daniels", false), "FAILED"],
  [
    "aws_s3_bucket.bucket_bad_6",
    joined("bucket_bad_6", "bucket_bad_6", "bad_sse_3", "johnnie walker", false),
    "FAILED",
  ],
];

const toRows = (check: string, rule: string, cases: Case[]): Row[] =>
  cases.map(([fixture, resources, checkov, pack]) => ({
    check,
    rule,
    fixture,
    checkov,
    ...(pack ? { pack } : {}),
    resources,
  }));

export const rows: Row[] = [
  ...toRows("CKV_AWS_19", "s3-bucket-default-encryption", encryptionCases),
  ...toRows("CKV_AWS_145", "s3-bucket-encryption-kms-cmk", kmsCases),
];
