import { sns } from "../lib/aws-types";
import { checkNotPublic, trustedAccountsSchema } from "../lib/documents";
import { isUnknown, resourcePolicy } from "../lib/inspect";
import { isCustomerKey } from "../lib/judgements";
import type { HuntazePolicy } from "../rule";

const encrypted = resourcePolicy({
  name: "sns-topic-encrypted",
  summary:
    "SNS topics are encrypted with KMS (kmsMasterKeyId; a customer-managed key when AWS services such as Budgets publish)",
  enforcementLevel: "mandatory",
  references: { catalogue: [30], fsbp: ["SNS.1 (ex-FSBP)"], checkov: ["CKV_AWS_26"] },
  resourceTypes: sns.topic,
  check: (c) => {
    const key = c.props.kmsMasterKeyId;
    if (isUnknown(key)) c.unknown("kmsMasterKeyId");
    else if (typeof key !== "string" || key === "")
      c.report("the topic is not encrypted at rest: set kmsMasterKeyId (a customer-managed key)");
  },
});

const notPublic = resourcePolicy({
  name: "sns-topic-policy-not-public",
  summary:
    "SNS topic policies (inline or aws.sns.TopicPolicy) do not allow Principal * without a condition, nor untrusted accounts (unlike CKV_AWS_385, an account outside trustedAccountIds fails even under a condition, and Principal * fails as in CKV_AWS_169)",
  enforcementLevel: "mandatory",
  references: { catalogue: [31], fsbp: ["SNS.4"], checkov: ["CKV_AWS_169", "CKV_AWS_385"] },
  resourceTypes: [...sns.topic, ...sns.topicPolicy],
  configSchema: { properties: { ...trustedAccountsSchema } },
  check: (c) => checkNotPublic(c, "policy", "topic policy"),
});

const feedbackKeys = ["application", "firehose", "http", "lambda", "sqs"].flatMap((p) => [
  `${p}SuccessFeedbackRoleArn`,
  `${p}FailureFeedbackRoleArn`,
]);

const deliveryLogging = resourcePolicy({
  name: "sns-topic-delivery-status-logging",
  summary: "SNS topics log delivery status to CloudWatch (a *FeedbackRoleArn for the protocols they deliver to)",
  enforcementLevel: "advisory",
  references: { catalogue: [32], fsbp: ["SNS.2 (ex-FSBP)"], checkov: [] },
  resourceTypes: sns.topic,
  check: (c) => {
    const values = feedbackKeys.map((k) => c.props[k]);
    if (values.some((v) => isUnknown(v) || (typeof v === "string" && v.length > 0))) return;
    c.report(
      "no delivery-status logging: set e.g. sqsFailureFeedbackRoleArn / lambdaFailureFeedbackRoleArn so failed deliveries are visible",
    );
  },
});

const notAwsManagedKey = resourcePolicy({
  name: "sns-topic-customer-managed-key",
  summary:
    "SNS topics are not encrypted with the AWS-managed key alias/aws/sns: AWS services that publish (CloudWatch alarms, EventBridge, Budgets) need kms:GenerateDataKey* and kms:Decrypt granted in the key policy, which only a customer-managed key can carry, so their messages are dropped; as Trivy AVD-AWS-0136 and KICS b1a72f66-2236-4f3b-87ba-0da1b366956f (a key referenced by ARN, not alias, is not recognised)",
  // Advisory: the topic is encrypted (sns-topic-encrypted is the mandatory rule); this one names the
  // silent failure (alerts that never arrive) apart, for topics AWS services publish to.
  enforcementLevel: "advisory",
  references: {
    catalogue: [],
    fsbp: [],
    checkov: [],
    beyondCatalogue:
      "row 30 asks for KMS encryption; which key matters because the AWS-managed key's policy cannot admit the services that publish alerts",
  },
  resourceTypes: sns.topic,
  check: (c) => {
    const key = c.props.kmsMasterKeyId;
    if (isUnknown(key)) return c.unknown("kmsMasterKeyId");
    // No key is sns-topic-encrypted's finding. An AWS-managed key's policy cannot be edited, so the
    // service principals cannot be granted the key ("Encryption at rest", Amazon SNS Developer Guide:
    // Enable compatibility between event sources from AWS services and encrypted topics,
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services;
    // "Amazon SNS access policy", AWS End User Messaging SMS User Guide: "the AWS managed key for
    // Amazon SNS can't be modified").
    if (typeof key === "string" && key !== "" && !isCustomerKey(key))
      c.report(
        `the topic is encrypted with the AWS-managed key ${key}: CloudWatch, EventBridge and Budgets cannot publish to it; use a customer-managed key whose policy admits them`,
      );
  },
});

export const snsPolicies: HuntazePolicy[] = [encrypted, notPublic, deliveryLogging, notAwsManagedKey];
