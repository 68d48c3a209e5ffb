import { text } from "../spec";

// The formats more than one component (and its stack section) accepts: one field each, with the AWS
// rule it follows. A format only one component uses lives in that component's spec.

/**
 * A KMS key ARN: `arn:<partition>:kms:<region>:<account>:key/<key-id>`, the key id a UUID or, for a
 * multi-Region key, `mrk-` and 32 hex digits ("Key identifiers (KeyId)" and "Multi-Region key
 * identifiers", AWS KMS Developer Guide:
 * https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN,
 * https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html#mrk-id).
 */
export const KMS_KEY_ARN =
  /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
export const kmsKeyArn = () => text(KMS_KEY_ARN, "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<uuid or mrk-…>)");

/** An AWS account id: 12 digits ("View AWS account identifiers", AWS Account Management Reference Guide). */
export const ACCOUNT_ID = /^\d{12}$/;
export const accountId = () => text(ACCOUNT_ID, "a 12-digit AWS account id");

// EC2 resource ids: the prefix and 8 (older) or 17 hexadecimal characters ("Resource IDs", Amazon
// EC2 User Guide: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html).
export const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const vpcId = () => text(VPC_ID, "a VPC id (vpc- and 8 or 17 hex digits)");
export const subnetId = () => text(SUBNET_ID, "a subnet id (subnet- and 8 or 17 hex digits)");
export const securityGroupId = () => text(SECURITY_GROUP_ID, "a security group id (sg- and 8 or 17 hex digits)");

/** An email address (SNS "email" protocol endpoint); SNS itself confirms it by mail. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const email = () => text(EMAIL, "an email address");

/** An https:// URL (an SNS "https" endpoint, the OnlyFans API). */
export const HTTPS_URL = /^https:\/\/[^\s/]+(\/[^\s]*)?$/;
export const httpsUrl = () => text(HTTPS_URL, "an https:// URL");

/**
 * A user tag key: 1–128 characters of letters (a-z, A-Z), digits, spaces and `_ . : / = + - @`, not starting
 * with `aws:` ("Tag naming limits and requirements", Tagging AWS Resources:
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions).
 */
export const TAG_KEY = /^(?!aws:)[A-Za-z0-9 _.:/=+@-]{1,128}$/;
export const tagKey = () => text(TAG_KEY, "a user tag key (1–128 characters, not starting with aws:)");

/**
 * The environment and name prefix every physical name carries: lowercase letters, digits and "-",
 * 1–31 characters, so `<prefix>-<environment>-<purpose>` stays within the shortest name limit the
 * components meet (ElastiCache replication group ids: 40; "Naming constraints", ElastiCache User Guide).
 */
export const NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;
export const name = () => text(NAME, '1–31 lowercase letters, digits or "-"');

/**
 * A lowercase DNS name of at least two labels, e.g. `redis.huntaze.internal` or an ElastiCache endpoint:
 * labels of 1–63 letters, digits or hyphens, not starting or ending with a hyphen, 253 characters in
 * all, an optional final dot ("DNS domain name format", Amazon Route 53 Developer Guide:
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html). Lowercase only:
 * DNS names are case-insensitive, and one spelling keeps a record's name from changing by case alone.
 */
export const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}\.?$/;
export const dnsName = () => text(DNS_NAME, "a lowercase DNS name (e.g. redis.huntaze.internal)");

/**
 * An SNS topic ARN: `arn:<partition>:sns:<region>:<account>:<topic>`, the topic name 1–256 letters,
 * digits, `_` and `-`, a FIFO topic's ending in `.fifo` ("CreateTopic", Amazon SNS API Reference:
 * https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html; "Amazon SNS resource ARNs").
 */
export const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
export const snsTopicArn = () => text(SNS_TOPIC_ARN, "an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)");

/**
 * An IAM role ARN: `arn:<partition>:iam::<account>:role/<path><name>`, the name 1–64 of letters,
 * digits and `+=,.@_-` ("IAM identifiers" and "IAM and AWS STS quotas", IAM User Guide:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
 */
export const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/([\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/;
export const iamRoleArn = () => text(IAM_ROLE_ARN, "an IAM role ARN (arn:aws:iam::<account>:role/<name>)");

/**
 * A Secrets Manager secret ARN: `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6
 * random characters>`, the name of letters, digits and `/_+=.@-` ("Secret ARN" and "CreateSecret",
 * AWS Secrets Manager User Guide / API Reference:
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html).
 */
export const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
export const secretArn = () => text(SECRET_ARN, "a Secrets Manager secret ARN (arn:aws:secretsmanager:…:secret:…)");
