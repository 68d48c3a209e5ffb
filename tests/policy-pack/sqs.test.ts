import { describe } from "mocha";
import { complies, factory, UNKNOWN_STRING, violates } from "../support/policy-cases";

const QUEUE = "aws:sqs/queue:Queue";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";
const REDRIVE = "aws:sqs/redrivePolicy:RedrivePolicy";
const DLQ_ARN = "arn:aws:sqs:eu-west-1:111122223333:messages-dlq";

const queue = factory(QUEUE, "messages", {
  name: "messages",
  kmsMasterKeyId: "arn:aws:kms:eu-west-1:111122223333:key/abcd",
  redrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5 }),
});
const dlq = factory(QUEUE, "messages-dlq", { name: "messages-dlq", sqsManagedSseEnabled: true });
const doc = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const snsSend = doc({
  Effect: "Allow",
  Principal: { Service: "sns.amazonaws.com" },
  Action: "sqs:SendMessage",
  Resource: "*",
  Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:111122223333:t" } },
});
const publicSend = doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" });

describe("SQS rules", () => {
  complies({ rule: "sqs-queue-encrypted", title: "a CMK and SSE-SQS", resources: [queue(), dlq()] });
  complies({
    rule: "sqs-queue-encrypted",
    title: "a key unknown during preview",
    resources: [queue({ kmsMasterKeyId: UNKNOWN_STRING })],
  });
  violates({
    rule: "sqs-queue-encrypted",
    title: "no encryption stated",
    resources: [queue({ kmsMasterKeyId: undefined })],
    message: /encryption is not stated/,
  });
  violates({
    rule: "sqs-queue-encrypted",
    title: "SSE-SQS turned off",
    resources: [dlq({ sqsManagedSseEnabled: false })],
    message: /turned off/,
  });

  complies({ rule: "sqs-queue-kms-key-not-aws-managed", title: "a CMK ARN", resources: [queue()] });
  violates({
    rule: "sqs-queue-kms-key-not-aws-managed",
    title: "alias/aws/sqs",
    resources: [queue({ kmsMasterKeyId: "alias/aws/sqs" })],
    message: /alias\/aws\/sqs/,
  });

  complies({
    rule: "sqs-queue-policy-not-public",
    title: "SNS allowed with aws:SourceArn (QueuePolicy)",
    resources: [{ type: QUEUE_POLICY, name: "qp", inputs: { queueUrl: "https://q", policy: snsSend } }],
  });
  complies({
    rule: "sqs-queue-policy-not-public",
    title: "a policy unknown during preview",
    resources: [queue({ policy: UNKNOWN_STRING })],
  });
  violates({
    rule: "sqs-queue-policy-not-public",
    title: "Principal * on the inline policy",
    resources: [queue({ policy: publicSend })],
    message: /Principal "\*" with no condition/,
  });
  violates({
    rule: "sqs-queue-policy-not-public",
    title: "Principal {AWS: *} on aws.sqs.QueuePolicy",
    resources: [
      {
        type: QUEUE_POLICY,
        name: "qp",
        inputs: {
          queueUrl: "https://q",
          policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sqs:*", Resource: "*" }),
        },
      },
    ],
  });
  violates({
    rule: "sqs-queue-policy-not-public",
    title: "an account outside trustedAccountIds",
    resources: [
      queue({
        policy: doc({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::999988887777:root" },
          Action: "sqs:SendMessage",
          Resource: "*",
        }),
      }),
    ],
    config: { "sqs-queue-policy-not-public": { trustedAccountIds: ["111122223333"] } },
    message: /999988887777/,
  });

  complies({
    rule: "sqs-queue-policy-no-wildcard-actions",
    title: "sqs:SendMessage only",
    resources: [queue({ policy: snsSend })],
  });
  violates({
    rule: "sqs-queue-policy-no-wildcard-actions",
    title: "sqs:* to an account",
    resources: [
      queue({ policy: doc({ Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "sqs:*", Resource: "*" }) }),
    ],
    message: /sqs:\*/,
  });
  // CKV_AWS_72's own type: an aws.sqs.QueuePolicy, here of a queue outside the stack.
  violates({
    rule: "sqs-queue-policy-no-wildcard-actions",
    title: '"*" on aws.sqs.QueuePolicy of a queue outside the stack',
    resources: [
      {
        type: QUEUE_POLICY,
        name: "shared-policy",
        inputs: {
          queueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/shared",
          policy: doc({ Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "*", Resource: "*" }),
        },
      },
    ],
    message: /the queue policy allows \*/,
  });
  complies({
    rule: "sqs-queue-policy-no-wildcard-actions",
    title: "sqs:SendMessage on aws.sqs.QueuePolicy",
    resources: [
      {
        type: QUEUE_POLICY,
        name: "shared-policy",
        inputs: { queueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/shared", policy: snsSend },
      },
    ],
  });

  complies({
    rule: "sqs-queue-has-dead-letter-queue",
    title: "a queue with a redrive policy and its DLQ (found by ARN)",
    resources: [queue(), dlq({ name: "m-deadletters" }, { outputs: { id: "x", name: "m-deadletters", arn: DLQ_ARN } })],
  });
  complies({
    rule: "sqs-queue-has-dead-letter-queue",
    title: "a redrive through aws.sqs.RedrivePolicy, DLQ found by property dependency",
    resources: [
      queue({ redrivePolicy: undefined }),
      dlq({ name: "sink" }, { name: "sink" }),
      {
        type: REDRIVE,
        name: "redrive",
        inputs: { queueUrl: "messages", redrivePolicy: UNKNOWN_STRING },
        propertyDependencies: { redrivePolicy: ["sink"], queueUrl: ["messages"] },
      },
    ],
  });
  violates({
    rule: "sqs-queue-has-dead-letter-queue",
    title: "a work queue without a redrive policy",
    resources: [queue({ redrivePolicy: undefined }), dlq()],
    message: /queue messages has no dead-letter queue/,
  });
});
