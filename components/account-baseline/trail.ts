import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HardenedBucket } from "../hardened-bucket";
import { createComponentKey, type KeyScope, type PolicyStatement } from "../kms-key";
import { cloudWatchLogsKeyStatement } from "../policy-statements";
import type { Baseline } from "./context";
import { CONFIG_PREFIX } from "./delivery";

// Trail: the multi-region CloudTrail trail, its KMS key, its bucket (HardenedBucket), its CloudWatch
// log group and the role CloudTrail delivers to that group with. Names are known before the trail
// exists, so the bucket and key policies condition on the trail's ARN.

/** A trail's ARN, known from its name before it exists (bucket and key policies condition on it). */
export function trailArn(scope: KeyScope, trailName: string): string {
  return `arn:aws:cloudtrail:${scope.region}:${scope.accountId}:trail/${trailName}`;
}

/**
 * The trail bucket's extra statements: only CloudTrail may read its ACL and write, and only for
 * this trail (aws:SourceArn), under `AWSLogs/<account>/`. With Config delivery, Config may do the
 * same under its own prefix for this account (aws:SourceAccount: Config sends it).
 */
export function trailBucketStatements(
  scope: KeyScope,
  bucketName: string,
  trailName: string,
  configDelivery: boolean,
): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${bucketName}`;
  const source = { "aws:SourceArn": trailArn(scope, trailName) };
  const statements: PolicyStatement[] = [
    {
      Sid: "CloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: { StringEquals: source },
    },
    {
      Sid: "CloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucketArn}/AWSLogs/${scope.accountId}/*`,
      Condition: { StringEquals: { ...source, "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
  ];
  if (configDelivery) {
    const account = { "aws:SourceAccount": scope.accountId };
    statements.push(
      {
        Sid: "ConfigAclCheck",
        Effect: "Allow",
        Principal: { Service: "config.amazonaws.com" },
        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
        Resource: bucketArn,
        Condition: { StringEquals: account },
      },
      {
        Sid: "ConfigWrite",
        Effect: "Allow",
        Principal: { Service: "config.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${bucketArn}/${CONFIG_PREFIX}/AWSLogs/${scope.accountId}/Config/*`,
        Condition: { StringEquals: { ...account, "s3:x-amz-acl": "bucket-owner-full-control" } },
      },
    );
  }
  return statements;
}

/**
 * The trail key's service statements: CloudTrail encrypts this trail's logs (aws:SourceArn and the
 * trail encryption context of this account), CloudWatch Logs encrypts the trail's log group (its
 * encryption context), and Config writes snapshots into the SSE-KMS bucket when it delivers there.
 */
export function trailKeyStatements(
  scope: KeyScope,
  trailName: string,
  logGroupName: string,
  configDelivery: boolean,
): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      Sid: "CloudTrailEncrypt",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": trailArn(scope, trailName) },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${scope.accountId}:trail/*` },
      },
    },
    {
      Sid: "CloudTrailDescribeKey",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trailArn(scope, trailName) } },
    },
    cloudWatchLogsKeyStatement("CloudWatchLogsEncrypt", scope, [logGroupName]),
    // The trail bucket uses an S3 Bucket Key (HardenedBucket): "If you are using an existing S3
    // bucket with an S3 Bucket Key, kms:Decrypt permissions are required to create or update a
    // trail with SSE-KMS encryption enabled" ("Configure AWS KMS key policies for CloudTrail",
    // docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
    // The page's decrypt grant ("Granting decrypt permissions for trails") names the account's
    // principals, for CloudTrail-encrypted objects only (the encryption context is present): the
    // deploy role that calls CreateTrail/UpdateTrail gets it through its IAM policy.
    {
      Sid: "CloudTrailLogDecrypt",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${scope.accountId}:root` },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { Null: { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } },
    },
  ];
  if (configDelivery)
    statements.push({
      Sid: "ConfigDelivery",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": scope.accountId } },
    });
  return statements;
}

/** The role CloudTrail assumes to deliver to CloudWatch Logs may only write to that one log group. */
export function trailLogsRolePolicy(logGroupArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TrailLogDelivery",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${logGroupArn}:log-stream:*`,
      },
    ],
  });
}

/**
 * Trust policy of the role CloudTrail assumes to deliver to CloudWatch Logs: no condition.
 * "Confused deputy prevention is not applicable to the role policy for CloudWatch Logs monitoring.
 * The role policy doesn't support the use of aws:SourceArn and aws:SourceAccount" ("Role policy
 * document for CloudTrail to use CloudWatch Logs for monitoring",
 * docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html):
 * a condition on them makes CreateTrail fail with InvalidCloudWatchLogsRoleArnException. The role's
 * own policy is what limits it (trailLogsRolePolicy: one log group).
 */
export function cloudTrailLogsTrustPolicy(): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });
}

/** What the other concerns use of the trail. */
export interface Trail {
  readonly key: aws.kms.Key;
  readonly bucket: HardenedBucket;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly trail: aws.cloudtrail.Trail;
}

/** The trail's key, bucket, log group and delivery role, then the trail itself. */
export function createTrail({ name, parent, s, accountId, region }: Baseline): Trail {
  const opts = { parent };
  const { namePrefix: prefix, trailName, tags } = s;
  const logGroupName = `/aws/cloudtrail/${trailName}`;
  const key = createComponentKey(
    `${name}-trail-key`,
    {
      description: `Encrypts the ${prefix} CloudTrail logs`,
      alias: `${prefix}-cloudtrail`,
      statements: (scope) => trailKeyStatements(scope, trailName, logGroupName, s.createConfigRecorder),
      tags,
    },
    opts,
  );
  const bucketName = pulumi.interpolate`${prefix}-cloudtrail-${accountId}`;
  const bucket = new HardenedBucket(
    `${name}-trail-logs`,
    {
      bucketName,
      kmsKeyArn: key.arn,
      expirationDays: s.trailLogExpirationDays,
      accessLogging: s.trailBucketAccessLogging,
      additionalPolicyStatements: pulumi
        .all([accountId, region, bucketName])
        .apply(([account, reg, bucketNm]) =>
          trailBucketStatements({ accountId: account, region: reg }, bucketNm, trailName, s.createConfigRecorder),
        ),
      tags,
    },
    opts,
  );
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-trail-log-group`,
    { name: logGroupName, retentionInDays: s.trailLogRetentionDays, kmsKeyId: key.arn, tags },
    opts,
  );
  const logsRole = new aws.iam.Role(
    `${name}-trail-logs-role`,
    { name: `${prefix}-cloudtrail-logs`, assumeRolePolicy: cloudTrailLogsTrustPolicy(), tags },
    opts,
  );
  const logsPolicy = new aws.iam.RolePolicy(
    `${name}-trail-logs-policy`,
    { role: logsRole.id, policy: logGroup.arn.apply(trailLogsRolePolicy) },
    opts,
  );
  const trail = new aws.cloudtrail.Trail(
    `${name}-trail`,
    {
      name: trailName,
      s3BucketName: bucket.bucketName,
      isMultiRegionTrail: true,
      // A multi-region trail without global service events is refused by AWS.
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: key.arn,
      cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
      cloudWatchLogsRoleArn: logsRole.arn,
      tags,
    },
    // CloudTrail checks the bucket policy and the role when the trail is created.
    { parent, dependsOn: [bucket.policy, logsPolicy] },
  );
  return { key, bucket, logGroup, trail };
}
