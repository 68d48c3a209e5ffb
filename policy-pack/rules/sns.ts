import { sns } from "../lib/aws-types";
import { checkNotPublic, trustedAccountsSchema } from "../lib/documents";
import { isUnknown, resourcePolicy } from "../lib/inspect";
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

export const snsPolicies: HuntazePolicy[] = [encrypted, notPublic, deliveryLogging];
