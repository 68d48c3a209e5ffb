import { describe } from "mocha";
import { complies, violates } from "../support/policy-cases";

const ACCOUNT_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";
const flags = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
const bucket = (type = "aws:s3/bucket:Bucket") => ({ type, name: "assets", inputs: {} });

describe("S3 account-level public access block", () => {
  complies({
    rule: "s3-account-public-access-block",
    title: "all four flags, with a bucket",
    resources: [bucket(), { type: ACCOUNT_BLOCK, name: "account", inputs: flags }],
  });
  complies({ rule: "s3-account-public-access-block", title: "a stack without buckets", resources: [] });
  violates({
    rule: "s3-account-public-access-block",
    title: "a flag off",
    resources: [{ type: ACCOUNT_BLOCK, name: "account", inputs: { ...flags, restrictPublicBuckets: false } }],
    message: /restrictPublicBuckets/,
  });
  violates({
    rule: "s3-account-public-access-block",
    title: "a deprecated BucketV2 and no account block",
    resources: [bucket("aws:s3/bucketV2:BucketV2")],
    message: /no aws.s3.AccountPublicAccessBlock/,
  });
});
