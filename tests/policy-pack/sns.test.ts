import { describe } from "mocha";
import { complies, factory, UNKNOWN_STRING, violates } from "../support/policy-cases";

const TOPIC = "aws:sns/topic:Topic";
const doc = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const budgets = doc({
  Effect: "Allow",
  Principal: { Service: ["budgets.amazonaws.com", "costalerts.amazonaws.com"] },
  Action: "SNS:Publish",
  Resource: "*",
});
const topic = factory(TOPIC, "alerts", {
  kmsMasterKeyId: "arn:aws:kms:eu-west-1:111122223333:key/abcd",
  sqsFailureFeedbackRoleArn: "arn:aws:iam::111122223333:role/sns-feedback",
  policy: budgets,
});

describe("SNS rules", () => {
  complies({ rule: "sns-topic-encrypted", title: "a CMK", resources: [topic()] });
  complies({
    rule: "sns-topic-encrypted",
    title: "a key unknown during preview",
    resources: [topic({ kmsMasterKeyId: UNKNOWN_STRING })],
  });
  violates({
    rule: "sns-topic-encrypted",
    title: "no kmsMasterKeyId",
    resources: [topic({ kmsMasterKeyId: undefined })],
    message: /not encrypted/,
  });

  complies({
    rule: "sns-topic-policy-not-public",
    title: "Budgets and anomaly alerts as service principals",
    resources: [topic()],
  });
  complies({
    rule: "sns-topic-policy-not-public",
    title: "Principal * pinned by aws:SourceAccount (aws.sns.TopicPolicy)",
    resources: [
      {
        type: "aws:sns/topicPolicy:TopicPolicy",
        name: "tp",
        inputs: {
          arn: "arn:aws:sns:eu-west-1:111122223333:alerts",
          policy: doc({
            Effect: "Allow",
            Principal: "*",
            Action: "SNS:Publish",
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
          }),
        },
      },
    ],
  });
  violates({
    rule: "sns-topic-policy-not-public",
    title: "Principal * on aws.sns.TopicPolicy",
    resources: [
      {
        type: "aws:sns/topicPolicy:TopicPolicy",
        name: "tp",
        inputs: {
          arn: "arn:t",
          policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "SNS:Subscribe", Resource: "*" }),
        },
      },
    ],
    message: /topic policy allows SNS:Subscribe to Principal "\*"/,
  });
  violates({
    rule: "sns-topic-policy-not-public",
    title: "invalid JSON",
    resources: [topic({ policy: "{not json" })],
    message: /not valid JSON/,
  });

  complies({ rule: "sns-topic-delivery-status-logging", title: "an SQS failure feedback role", resources: [topic()] });
  violates({
    rule: "sns-topic-delivery-status-logging",
    title: "no feedback role",
    resources: [topic({ sqsFailureFeedbackRoleArn: undefined })],
    message: /no delivery-status logging/,
  });
});

describe("SNS: the topic key is customer-managed", () => {
  complies({ rule: "sns-topic-customer-managed-key", title: "a customer-managed key ARN", resources: [topic()] });
  complies({
    rule: "sns-topic-customer-managed-key",
    title: "a customer alias",
    resources: [topic({ kmsMasterKeyId: "alias/huntaze-alerts" })],
  });
  complies({
    rule: "sns-topic-customer-managed-key",
    title: "no key (sns-topic-encrypted's finding, not this rule's)",
    resources: [topic({ kmsMasterKeyId: undefined })],
  });
  violates({
    rule: "sns-topic-customer-managed-key",
    title: "alias/aws/sns",
    resources: [topic({ kmsMasterKeyId: "alias/aws/sns" })],
    message: /AWS-managed key alias\/aws\/sns: CloudWatch, EventBridge and Budgets cannot publish/,
  });
  violates({
    rule: "sns-topic-customer-managed-key",
    title: "the AWS-managed alias as an ARN",
    resources: [topic({ kmsMasterKeyId: "arn:aws:kms:us-east-1:111122223333:alias/aws/sns" })],
  });
});
