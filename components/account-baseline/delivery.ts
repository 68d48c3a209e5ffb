import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Baseline } from "./context";
import type { ConfigRecorder } from "./posture";
import type { Trail } from "./trail";

// Delivery: AWS Config's delivery channel into the trail bucket (the recorder role's rights to it,
// the channel, then the recorder turned on), and the high findings sent to the security topic.

/** Where AWS Config delivers in the trail bucket. */
export const CONFIG_PREFIX = "config";

/**
 * What the Config recorder's role needs to deliver to a bucket of its own account: AWS Config
 * "uses the IAM role you assigned to the configuration recorder to deliver configuration history
 * and snapshots to S3 buckets in your account"; the config.amazonaws.com principal is only tried
 * for a bucket of another account ("Permissions for the Amazon S3 Bucket for the AWS Config
 * Delivery Channel", docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html).
 * AWS_ConfigRole grants no s3:PutObject, so the role gets: PutObject under the delivery prefix with
 * the bucket-owner-full-control ACL and GetBucketAcl/ListBucket on the bucket ("Permissions for the
 * IAM Role Assigned to AWS Config": iamrole-permissions.html), and the data key of the bucket's SSE-KMS
 * key ("Permissions for the KMS Key for the AWS Config Delivery Channel":
 * docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html: kms:Decrypt,
 * kms:GenerateDataKey for the role). The key delegates to IAM (accountAdministration), so the
 * role's policy suffices.
 */
export function configDeliveryRolePolicy(bucketName: string, keyArn: string, accountId: string): string {
  const bucketArn = `arn:aws:s3:::${bucketName}`;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ConfigBucketCheck",
        Effect: "Allow",
        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
        Resource: bucketArn,
      },
      {
        Sid: "ConfigDeliveryWrite",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: `${bucketArn}/${CONFIG_PREFIX}/AWSLogs/${accountId}/Config/*`,
        Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
      },
      {
        Sid: "ConfigDeliveryKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: keyArn,
      },
    ],
  });
}

/** The recorder role's delivery rights, the delivery channel into the trail bucket, then the recorder turned on. */
export function createConfigDelivery({ name, parent, s, accountId }: Baseline, config: ConfigRecorder, t: Trail): void {
  const deliveryPolicy = new aws.iam.RolePolicy(
    `${name}-config-delivery-policy`,
    {
      role: config.role.id,
      policy: pulumi
        .all([t.bucket.bucketName, t.key.arn, accountId])
        .apply(([bucketNm, keyArn, account]) => configDeliveryRolePolicy(bucketNm, keyArn, account)),
    },
    { parent },
  );
  const channel = new aws.cfg.DeliveryChannel(
    `${name}-config-delivery`,
    {
      name: `${s.namePrefix}-config-delivery`,
      s3BucketName: t.bucket.bucketName,
      s3KeyPrefix: CONFIG_PREFIX,
      snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
    },
    // PutDeliveryChannel checks that the role can write to the bucket and use its key.
    { parent, dependsOn: [config.recorder, t.bucket.policy, deliveryPolicy] },
  );
  new aws.cfg.RecorderStatus(
    `${name}-config-recorder-status`,
    { name: config.recorder.name, isEnabled: true },
    { parent, dependsOn: [channel] },
  );
}

/** GuardDuty findings at or above `minSeverity` (numeric: 7 = high, 9 = critical). */
export function guardDutyFindingsPattern(minSeverity: number): Record<string, unknown> {
  return {
    source: ["aws.guardduty"],
    "detail-type": ["GuardDuty Finding"],
    detail: { severity: [{ numeric: [">=", minSeverity] }] },
  };
}

/** Security Hub findings labelled with one of `labels`, new and active (not suppressed, not archived). */
export function securityHubFindingsPattern(labels: readonly string[]): Record<string, unknown> {
  return {
    source: ["aws.securityhub"],
    "detail-type": ["Security Hub Findings - Imported"],
    detail: {
      findings: {
        Severity: { Label: [...labels] },
        Workflow: { Status: ["NEW"] },
        RecordState: ["ACTIVE"],
      },
    },
  };
}

/** High findings to the security topic (the topic's key admits events.amazonaws.com). */
export function createFindingRoutes({ name, parent, s }: Baseline): void {
  const route = (key: string, description: string, pattern: Record<string, unknown>) => {
    const rule = new aws.cloudwatch.EventRule(
      `${name}-${key}`,
      { name: `${s.namePrefix}-${key}`, description, eventPattern: JSON.stringify(pattern), tags: s.tags },
      { parent },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-${key}-target`,
      { rule: rule.name, arn: s.securityTopicArn, targetId: "security-topic" },
      { parent },
    );
  };
  route(
    "guardduty-findings",
    `GuardDuty findings of severity >= ${s.guardDutyMinSeverity} to the security topic`,
    guardDutyFindingsPattern(s.guardDutyMinSeverity),
  );
  route(
    "securityhub-findings",
    `Security Hub findings labelled ${s.securityHubLabels.join("/")} (new, active) to the security topic`,
    securityHubFindingsPattern(s.securityHubLabels),
  );
}
