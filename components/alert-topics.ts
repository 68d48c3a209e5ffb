import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createComponentKey, type KeyScope, type PolicyStatement } from "./kms-key";
import { resolveArgs } from "./spec";
import { AlertTopicsSpec } from "./specs/alert-topics";

export interface AlertTopicsArgs {
  /** Email subscribers of the ops topic; each address must confirm its subscription. */
  readonly opsEmails: readonly string[];
  /** Email subscribers of the security topic. */
  readonly securityEmails: readonly string[];
  /** Email subscribers of the cost topic. */
  readonly costEmails: readonly string[];
  /**
   * Name prefix of the topics (`<prefix>-ops-alerts`, ...). Topic names are unique per account and
   * region: carry the environment (`huntaze-production`), or two stacks claim the same topics.
   */
  readonly namePrefix: string;
  /**
   * Explicit physical names per topic, for topics that already exist under another name (production's
   * Terraform-made `huntaze-cost-alerts`, adopted rather than created beside it).
   * @default - `<namePrefix>-<kind>-alerts` for each kind
   */
  readonly topicNames?: Partial<Record<AlertTopicKind, string>>;
  /** Tags of every resource. @default - no tags */
  readonly tags?: Record<string, string>;
}

/** The AWS services that publish alarms and alerts to the topics. */
export const ALERT_PUBLISHERS = [
  "cloudwatch.amazonaws.com",
  "events.amazonaws.com",
  "budgets.amazonaws.com",
  "costalerts.amazonaws.com",
] as const;

export const ALERT_TOPIC_KINDS = ["ops", "security", "cost"] as const;
export type AlertTopicKind = (typeof ALERT_TOPIC_KINDS)[number];

/** The physical name of one alert topic; unique per account and region, so the prefix carries the environment. */
export function alertTopicName(
  namePrefix: string,
  kind: AlertTopicKind,
  topicNames?: Partial<Record<AlertTopicKind, string>>,
): string {
  return topicNames?.[kind] ?? `${namePrefix}-${kind}-alerts`;
}

/**
 * The key policy statement that lets EventBridge encrypt messages for `topicArns` (SNS passes the
 * topic ARN as encryption context `aws:sns:topicArn`; EventBridge sends no aws:SourceAccount).
 */
export function eventBridgeKeyStatement(topicArns: readonly string[]): PolicyStatement {
  return {
    Sid: "EventBridgePublishers",
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": [...topicArns] } },
  };
}

/** The ARNs of the three alert topics, known from their names before they exist. */
export function alertTopicArns(
  { accountId, region }: KeyScope,
  namePrefix: string,
  topicNames?: Partial<Record<AlertTopicKind, string>>,
): string[] {
  return ALERT_TOPIC_KINDS.map(
    (k) => `arn:aws:sns:${region}:${accountId}:${alertTopicName(namePrefix, k, topicNames)}`,
  );
}

/**
 * Key statements: the publishers may use the key for these topics only (else SNS drops their
 * messages, silently). Every publisher is scoped by the encryption context SNS itself passes on the
 * KMS calls of an encrypted topic, `kms:EncryptionContext:aws:sns:topicArn` (the key policy AWS
 * documents in "Set up an SNS topic with server-side encryption", Amazon GameLift Servers guide:
 * docs.aws.amazon.com/gamelift/latest/flexmatchguide/queue-notification-sns-sse.html), and by no
 * aws:SourceAccount / aws:SourceArn: no AWS page shows CloudWatch, Budgets or Cost Anomaly Detection
 * sending those keys on their KMS calls for SNS. Their pages document them on the topic policy only
 * ("Creating an Amazon SNS topic for budget notifications": docs.aws.amazon.com/cost-management/
 * latest/userguide/budgets-sns-policy.html; "Creating an Amazon SNS topic for anomaly notifications":
 * .../ad-SNS.html), and SNS's own key-policy example for AWS event sources carries no condition
 * ("Key management", docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 * A condition a publisher does not send drops every alarm or budget alert at the key. EventBridge
 * sends none of them either (its statement below).
 */
export function alertKeyStatements(
  scope: KeyScope,
  namePrefix: string,
  topicNames?: Partial<Record<AlertTopicKind, string>>,
): PolicyStatement[] {
  const topics = alertTopicArns(scope, namePrefix, topicNames);
  return [
    {
      Sid: "AlertPublishers",
      Effect: "Allow",
      Principal: { Service: ALERT_PUBLISHERS.filter((p) => p !== "events.amazonaws.com") },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": topics } },
    },
    eventBridgeKeyStatement(topics),
  ];
}

/** A topic's policy: the account may publish and subscribe, the publishers may publish on its behalf. */
export function alertTopicPolicy(topicArn: string, accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountPublish",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: ["SNS:Publish", "SNS:Subscribe", "SNS:GetTopicAttributes"],
        Resource: topicArn,
      },
      {
        Sid: "AlertPublishers",
        Effect: "Allow",
        Principal: { Service: [...ALERT_PUBLISHERS] },
        Action: "SNS:Publish",
        Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });
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
    const s = resolveArgs("AlertTopics", name, AlertTopicsSpec, args);
    const parent = { parent: this };
    const emails: Record<AlertTopicKind, readonly string[]> = {
      ops: s.opsEmails,
      security: s.securityEmails,
      cost: s.costEmails,
    };
    const tags = s.tags;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;

    this.key = createComponentKey(
      `${name}-key`,
      {
        description: `Encrypts the ${s.namePrefix} alert topics`,
        statements: (scope) => alertKeyStatements(scope, s.namePrefix, s.topicNames),
        ...(tags !== undefined ? { tags } : {}),
      },
      parent,
    );

    const topic = (kind: AlertTopicKind) => {
      const t = new aws.sns.Topic(
        `${name}-${kind}`,
        { name: alertTopicName(s.namePrefix, kind, s.topicNames), kmsMasterKeyId: this.key.arn, tags },
        parent,
      );
      new aws.sns.TopicPolicy(
        `${name}-${kind}-policy`,
        {
          arn: t.arn,
          policy: pulumi.all([t.arn, accountId]).apply(([arn, account]) => alertTopicPolicy(arn, account)),
        },
        parent,
      );
      emails[kind].forEach((endpoint, i) => {
        new aws.sns.TopicSubscription(
          `${name}-${kind}-email-${i}`,
          { topic: t.arn, protocol: "email", endpoint },
          parent,
        );
      });
      return t;
    };
    this.ops = topic("ops");
    this.security = topic("security");
    this.cost = topic("cost");
    this.registerOutputs({ ops: this.ops.arn, security: this.security.arn, cost: this.cost.arn });
  }
}
