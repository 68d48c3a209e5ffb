import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountAdministration } from "./policy-statements";

export interface AlertTopicsArgs {
  /** Email subscribers per topic; each address must confirm its subscription. */
  readonly opsEmails: readonly string[];
  readonly securityEmails: readonly string[];
  readonly costEmails: readonly string[];
  /**
   * Name prefix of the topics (`<prefix>-ops-alerts`, ...). Topic names are unique per account and
   * region: carry the environment (`huntaze-production`), or two stacks claim the same topics.
   */
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
    const publishers = [
      "cloudwatch.amazonaws.com",
      "events.amazonaws.com",
      "budgets.amazonaws.com",
      "costalerts.amazonaws.com",
    ];

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the ${args.namePrefix} alert topics`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: accountId.apply((account) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              accountAdministration(account),
              {
                Sid: "AlertPublishers",
                Effect: "Allow",
                Principal: { Service: publishers },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": account } },
              },
            ],
          }),
        ),
        tags: args.tags,
      },
      parent,
    );

    const topic = (kind: "ops" | "security" | "cost", emails: readonly string[]) => {
      const t = new aws.sns.Topic(
        `${name}-${kind}`,
        { name: `${args.namePrefix}-${kind}-alerts`, kmsMasterKeyId: this.key.arn, tags: args.tags },
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
