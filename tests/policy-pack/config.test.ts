import { describe } from "mocha";
import { complies, factory, violates } from "../support/policy-cases";

// AWS Config delivers to a bucket of its own account with the recorder's role: the role must be
// able to write there and use the bucket's key.

const ACCOUNT = "111122223333";
const BUCKET = "huntaze-test-cloudtrail";
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b6f5d2e-1111-2222-3333-444455556666`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/huntaze-test-config-recorder`;

const role = factory("aws:iam/role:Role", "config-role", {
  name: "huntaze-test-config-recorder",
  arn: ROLE_ARN,
  assumeRolePolicy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "sts:AssumeRole" }],
  }),
});
const managed = factory("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "config-role-policy", {
  role: "huntaze-test-config-recorder",
  policyArn: "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole",
});
const writePolicy = (statements: Record<string, unknown>[]) =>
  factory("aws:iam/rolePolicy:RolePolicy", "config-delivery-policy", {
    role: "huntaze-test-config-recorder",
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  })();
const put = {
  Effect: "Allow",
  Action: "s3:PutObject",
  Resource: `arn:aws:s3:::${BUCKET}/config/AWSLogs/${ACCOUNT}/Config/*`,
};
const dataKey = { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: KEY };
const recorder = factory("aws:cfg/recorder:Recorder", "recorder", { name: "rec", roleArn: ROLE_ARN });
const channel = factory("aws:cfg/deliveryChannel:DeliveryChannel", "channel", {
  name: "chan",
  s3BucketName: BUCKET,
  s3KeyPrefix: "config",
});
const sse = factory("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", {
  bucket: BUCKET,
  rules: [
    { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true },
  ],
});

describe("AWS Config rules", () => {
  complies({
    rule: "config-delivery-role-can-write",
    title: "a recorder role granted PutObject on the prefix and the bucket key's data key",
    resources: [role(), managed(), writePolicy([put, dataKey]), recorder(), channel(), sse()],
  });
  complies({
    rule: "config-delivery-role-can-write",
    title: "Config's service-linked role (the bucket policy grants it)",
    resources: [
      recorder({
        roleArn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      }),
      channel(),
    ],
  });
  violates({
    rule: "config-delivery-role-can-write",
    title: "a recorder role with AWS_ConfigRole only (no s3:PutObject, no key)",
    resources: [role(), managed(), recorder(), channel(), sse()],
    message:
      /lacks s3:PutObject on arn:aws:s3:::huntaze-test-cloudtrail\/config\/AWSLogs\/111122223333\/Config\/\* and kms:GenerateDataKey on arn:aws:kms/,
  });
  violates({
    rule: "config-delivery-role-can-write",
    title: "a role that may write but not use the bucket's KMS key",
    resources: [role(), managed(), writePolicy([put]), recorder(), channel(), sse()],
    message: /lacks kms:GenerateDataKey on arn:aws:kms:us-east-1:111122223333:key\//,
  });
  violates({
    rule: "config-delivery-role-can-write",
    title: "a role granted PutObject on another prefix than the channel's",
    resources: [
      role(),
      writePolicy([{ ...put, Resource: `arn:aws:s3:::${BUCKET}/other/*` }, dataKey]),
      recorder(),
      channel(),
      sse(),
    ],
    message: /lacks s3:PutObject/,
  });
});
