import * as v from "valibot";
import { args, list, stringMap, text } from "../spec";
import { email } from "./formats";

// AlertTopics' args as data: the three topics' subscribers, the name prefix and explicit names.
// The stack's `huntaze:alerts` section reads the same fields (stacks/config.ts).

/**
 * A standard SNS topic name: 1–256 ASCII letters, digits, "_" and "-" ("Topic names must be made
 * up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be
 * between 1 and 256 characters long": CreateTopic, Amazon SNS API Reference,
 * https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html).
 */
export const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
export const topicName = text(TOPIC_NAME, 'a standard topic name (1–256 letters, digits, "-" or "_")');

/**
 * The topics' name prefix: the longest topic name, `<prefix>-security-alerts`, must stay within
 * SNS's 256 characters (16 for the suffix), in the characters a topic name allows.
 */
export const TOPIC_PREFIX = /^[A-Za-z0-9_-]{1,240}$/;

/** Email subscribers of one topic: any number (a consumer may subscribe other endpoints itself). */
const emails = list(email());

/**
 * A stack's subscribers of one topic: the same addresses, and at least one (a stack's alerts must
 * reach someone; a consumer of the component may subscribe other endpoints instead).
 */
export const subscribedEmails = list(email(), { minItems: 1 });

const topicNames = args({
  ops: v.optional(topicName),
  security: v.optional(topicName),
  cost: v.optional(topicName),
});

export const alertTopicsFields = {
  emails,
  namePrefix: text(TOPIC_PREFIX, 'a topic name prefix (1–240 letters, digits, "-" or "_")'),
  topicName,
  topicNames: v.optional(topicNames),
  tags: v.optional(stringMap()),
};

export const AlertTopicsSpec = args({
  opsEmails: emails,
  securityEmails: emails,
  costEmails: emails,
  namePrefix: alertTopicsFields.namePrefix,
  topicNames: alertTopicsFields.topicNames,
  tags: alertTopicsFields.tags,
});
export type ResolvedAlertTopicsArgs = v.InferOutput<typeof AlertTopicsSpec>;
