import { UNKNOWN_BOOL, UNKNOWN_STRING } from "../../support/policy-cases";
import { type Row, res, type Verdict } from "./row";

// CKV_AWS_18 and CKV_AWS_21 as Checkov defines them today: graph checks on aws_s3_bucket
// (graph_checks/aws/S3BucketLogging.yaml, S3BucketVersioning.yaml) that pass the bucket's inline
// block or a joined aws_s3_bucket_logging / aws_s3_bucket_versioning. Fixtures:
// tests/terraform/graph/checks/resources/<Check>/main.tf + expected.yaml; each row is one bucket of
// expected.yaml with the side resource joined to it (`bucket = aws_s3_bucket.<name>.id`, the bucket's
// name). The rows of test_S3AccessLogs.py and test_S3Versioning.py (checkov-parity.test.ts) are the
// inline cases of the Python checks these replaced.

const BUCKET = "aws:s3/bucket:Bucket";
const LOGGING = "aws:s3/bucketLogging:BucketLogging";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";

type Case = [fixture: string, resources: ReturnType<typeof res>[], checkov: Verdict];

// S3BucketLogging. `aws_s3_bucket.log_bucket` is not declared: it is named by its id, log_bucket.
const loggingCases: Case[] = [
  [
    "aws_s3_bucket.bucket_good_1",
    [
      res(BUCKET, "bucket_good_1", { bucket: "bucket_good" }),
      res(LOGGING, "example", { bucket: "bucket_good", targetBucket: "log_bucket", targetPrefix: "log/" }),
    ],
    "PASSED",
  ],
  [
    "aws_s3_bucket.bucket_good_2",
    [
      res(BUCKET, "bucket_good_2", {
        bucket: "bucket_good",
        logging: { targetBucket: "log_bucket", targetPrefix: "log/" },
      }),
    ],
    "PASSED",
  ],
  ["aws_s3_bucket.bucket_bad_1", [res(BUCKET, "bucket_bad_1", { bucket: "bucket_bad_1" })], "FAILED"],
];

/** A bucket "example" joined to a BucketVersioning of `status`. */
const versioned = (name: string, status: string, bucket = "example") => [
  res(BUCKET, name, { bucket }),
  res(VERSIONING, `${name}-versioning`, { bucket, versioningConfiguration: { status } }),
];
const inlineVersioning = (name: string, enabled: unknown) => [
  res(BUCKET, name, { bucket: "example", versioning: { enabled } }),
];

// S3BucketVersioning. `var.versioning_enabled` has the default true (Checkov reads it; the program's
// config gives it); `var.unknown_var` and `var.whatever` have none: unknown, and in neither list of
// expected.yaml. ref_by_name joins by `var.bucket_name`, a name the program knows from config. The
// `for_each` buckets are "kevin-code-sec-test-bucket1" and "-2", each with its versioning.
const versioningCases: Case[] = [
  ["aws_s3_bucket.enabled", inlineVersioning("enabled", true), "PASSED"],
  ["aws_s3_bucket.enabled_var", inlineVersioning("enabled_var", true), "PASSED"],
  ["aws_s3_bucket.unknown_var", inlineVersioning("unknown_var", UNKNOWN_BOOL), "UNKNOWN"],
  ["aws_s3_bucket.legacy_syntax", inlineVersioning("legacy_syntax", UNKNOWN_BOOL), "UNKNOWN"],
  ["aws_s3_bucket.ref_by_name", versioned("ref_by_name", "Enabled", "configured-bucket-name"), "PASSED"],
  ["aws_s3_bucket.default", [res(BUCKET, "default", { bucket: "example" })], "FAILED"],
  ["aws_s3_bucket.disabled", inlineVersioning("disabled", false), "FAILED"],
  ["aws_s3_bucket.enabled_v4", versioned("enabled_v4", "Enabled"), "PASSED"],
  ["aws_s3_bucket.disabled_v4", versioned("disabled_v4", "Suspended"), "FAILED"],
  ["aws_s3_bucket.legacy_syntax_v4", versioned("legacy_syntax_v4", UNKNOWN_STRING), "UNKNOWN"],
  ...["test-bucket1", "test-bucket2"].map(
    (key): Case => [
      `aws_s3_bucket.this["${key}"]`,
      versioned(`this-${key}`, "Enabled", `kevin-code-sec-${key}`),
      "PASSED",
    ],
  ),
];

const toRows = (check: string, rule: string, cases: Case[]): Row[] =>
  cases.map(([fixture, resources, checkov]) => ({ check, rule, fixture, checkov, resources }));

export const rows: Row[] = [
  ...toRows("CKV_AWS_18", "s3-bucket-access-logging", loggingCases),
  ...toRows("CKV_AWS_21", "s3-bucket-versioning", versioningCases),
];
