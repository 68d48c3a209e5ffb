import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountAdministration } from "./policy-statements";

/**
 * The key policy statement that lets EventBridge encrypt messages for `topicArns` (SNS passes the
 * topic ARN as encryption context `aws:sns:topicArn`; EventBridge sends no aws:SourceAccount).
 */
export function eventBridgeKeyStatement(topicArns: readonly string[]): Record<string, unknown> {
  return {
    Sid: "EventBridgePublishers",
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": [...topicArns] } },
  };
}

export interface AlertTopicsArgs {
  /** Email subscribers per topic; each address must confirm its subscription. */
  readonly opsEmails: readonly string[];
  readonly securityEmails: readonly string[];
  readonly costEmails: readonly string[];
  /** Name prefix of the topics (`<prefix>-ops-alerts`, ...). */
  readonly namePrefix: string;
  readonly tags?: Record<string, string>;
}

/**
 * The three SNS topics every alarm and alert of the platform publishes to (ops, security, cost),
 * encrypted with one customer-managed key whose policy lets the publishing AWS services use it:
 * an SNS topic under a CMK silently drops CloudWatch and Budgets messages otherwise.
 */
export class AlertTopics extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly ops: aws.sns.Topic;
  readonly security: aws.sns.Topic;
  readonly cost: aws.sns.Topic;

  constructor(name: string, args: AlertTopicsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("huntaze:observability:AlertTopics", name, {}, opts);
    const parent = { parent: this };
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    const region = aws.getRegionOutput({}, parent).region;
    const publishers = [
      "cloudwatch.amazonaws.com",
      "events.amazonaws.com",
      "budgets.amazonaws.com",
      "costalerts.amazonaws.com",
    ];
    const kinds = ["ops", "security", "cost"] as const;
    const topicName = (kind: (typeof kinds)[number]) => `${args.namePrefix}-${kind}-alerts`;

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the ${args.namePrefix} alert topics`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi.all([accountId, region]).apply(([account, reg]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              accountAdministration(account),
              {
                Sid: "AlertPublishers",
                Effect: "Allow",
                Principal: { Service: publishers.filter((p) => p !== "events.amazonaws.com") },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": account } },
              },
              // EventBridge sends no aws:SourceAccount on its KMS calls (a condition on it drops every
              // event silently): it is scoped to these topics by SNS's encryption context instead.
              eventBridgeKeyStatement(kinds.map((k) => `arn:aws:sns:${reg}:${account}:${topicName(k)}`)),
            ],
          }),
        ),
        tags: args.tags,
      },
      parent,
    );

    const topic = (kind: (typeof kinds)[number], emails: readonly string[]) => {
      const t = new aws.sns.Topic(
        `${name}-${kind}`,
        { name: topicName(kind), kmsMasterKeyId: this.key.arn, tags: args.tags },
        parent,
      );
      new aws.sns.TopicPolicy(
        `${name}-${kind}-policy`,
        {
          arn: t.arn,
          policy: pulumi.all([t.arn, accountId]).apply(([arn, account]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "AccountPublish",
                  Effect: "Allow",
                  Principal: { AWS: `arn:aws:iam::${account}:root` },
                  Action: ["SNS:Publish", "SNS:Subscribe", "SNS:GetTopicAttributes"],
                  Resource: arn,
                },
                {
                  Sid: "AlertPublishers",
                  Effect: "Allow",
                  Principal: { Service: publishers },
                  Action: "SNS:Publish",
                  Resource: arn,
                  Condition: { StringEquals: { "aws:SourceAccount": account } },
                },
              ],
            }),
          ),
        },
        parent,
      );
      emails.forEach((endpoint, i) => {
        new aws.sns.TopicSubscription(
          `${name}-${kind}-email-${i}`,
          { topic: t.arn, protocol: "email", endpoint },
          parent,
        );
      });
      return t;
    };
    this.ops = topic("ops", args.opsEmails);
    this.security = topic("security", args.securityEmails);
    this.cost = topic("cost", args.costEmails);
    this.registerOutputs({ ops: this.ops.arn, security: this.security.arn, cost: this.cost.arn });
  }
}
