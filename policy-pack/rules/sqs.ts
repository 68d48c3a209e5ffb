import { sqs } from "../lib/aws-types";
import { checkNotPublic, readPolicy, trustedAccountsSchema } from "../lib/documents";
import { isUnknown, parseJson, type Resource, refersTo, resourcePolicy, stackPolicy } from "../lib/inspect";
import type { HuntazePolicy } from "../rule";

const encrypted = resourcePolicy({
  name: "sqs-queue-encrypted",
  summary: "SQS queues are encrypted at rest, stated in code (sqsManagedSseEnabled: true or kmsMasterKeyId)",
  enforcementLevel: "mandatory",
  references: { catalogue: [26], fsbp: ["SQS.1"], checkov: ["CKV_AWS_27"] },
  resourceTypes: sqs.queue,
  check: (c) => {
    const key = c.props.kmsMasterKeyId;
    const managed = c.props.sqsManagedSseEnabled;
    if (isUnknown(key) || isUnknown(managed)) {
      if (!(typeof key === "string" && key) && managed !== true) c.unknown("kmsMasterKeyId/sqsManagedSseEnabled");
      return;
    }
    if (typeof key === "string" && key.length > 0) return;
    if (managed === true) return;
    c.report(
      managed === false
        ? "server-side encryption is turned off (sqsManagedSseEnabled: false and no kmsMasterKeyId)"
        : "encryption is not stated: set kmsMasterKeyId (a customer-managed key) or sqsManagedSseEnabled: true",
    );
  },
});

const notAwsManagedKey = resourcePolicy({
  name: "sqs-queue-kms-key-not-aws-managed",
  summary: "SQS queues encrypted with KMS use a customer-managed key, not alias/aws/sqs",
  enforcementLevel: "advisory",
  references: { catalogue: [27], fsbp: [], checkov: ["CKV2_AWS_73"] },
  resourceTypes: sqs.queue,
  check: (c) => {
    const key = c.props.kmsMasterKeyId;
    if (isUnknown(key)) c.unknown("kmsMasterKeyId");
    else if (typeof key === "string" && /(^|:)alias\/aws\/sqs$/.test(key))
      c.report(
        "kmsMasterKeyId is the AWS-managed alias/aws/sqs: its key policy cannot grant other services or accounts",
      );
  },
});

const notPublic = resourcePolicy({
  name: "sqs-queue-policy-not-public",
  summary: "SQS queue policies (inline or aws.sqs.QueuePolicy) do not allow Principal * or untrusted accounts",
  enforcementLevel: "mandatory",
  references: { catalogue: [28], fsbp: ["SQS.3"], checkov: ["CKV_AWS_168", "CKV_AWS_387"] },
  resourceTypes: [...sqs.queue, ...sqs.queuePolicy],
  configSchema: { properties: { ...trustedAccountsSchema } },
  check: (c) => checkNotPublic(c, "policy", "queue policy"),
});

const noWildcardActions = resourcePolicy({
  name: "sqs-queue-policy-no-wildcard-actions",
  summary: 'SQS queue policies do not Allow "sqs:*" or "*"',
  // Advisory: an Allow sqs:* to a trusted principal is over-broad, not public (that is the rule above).
  enforcementLevel: "advisory",
  references: { catalogue: [28], fsbp: [], checkov: ["CKV_AWS_72"] },
  resourceTypes: [...sqs.queue, ...sqs.queuePolicy],
  check: (c) => {
    const policy = readPolicy(c.props.policy);
    if (policy.state === "unknown") c.unknown("policy");
    if (policy.state !== "parsed") return;
    for (const st of policy.statements)
      if (st.effect === "Allow" && st.actions.some((a) => a === "*" || a.toLowerCase() === "sqs:*"))
        c.report(
          `the queue policy allows ${st.actions.join(", ")}: grant the actions the caller needs (e.g. sqs:SendMessage)`,
        );
  },
});

/** A queue's names and ARNs as other resources refer to it. */
function queueRefs(q: Resource): string[] {
  return ["arn", "id", "url", "name"].map((k) => q.props[k]).filter((v): v is string => typeof v === "string");
}

// A queue named like a DLQ ("orders-dlq", "dead-letter") is taken to be one.
const dlqName = /(^|[-_.])(dlq|dead-?letter(-queue)?)([-_.]|\.fifo|$)/i;

const hasDlq = stackPolicy({
  name: "sqs-queue-has-dead-letter-queue",
  summary:
    "Every SQS queue that is not itself a dead-letter queue sends poison messages to one (redrivePolicy or aws.sqs.RedrivePolicy)",
  enforcementLevel: "advisory",
  references: { catalogue: [29], fsbp: [], checkov: [] },
  resourceTypes: [...sqs.queue, ...sqs.redrivePolicy],
  check: (s) => {
    const queues = s.ofType(sqs.queue);
    const standalone = s.ofType(sqs.redrivePolicy);
    const redriveOf = (value: unknown) => parseJson(value) as Record<string, unknown> | null | undefined;
    // Queues named as a deadLetterTargetArn are DLQs (by value, or by dependency during preview).
    const dlqs = new Set<string>();
    for (const r of [...queues, ...standalone]) {
      const target = redriveOf(r.props.redrivePolicy)?.deadLetterTargetArn;
      for (const q of queues) {
        if ((r.dependsOn.redrivePolicy ?? []).includes(q.urn) && q !== r) dlqs.add(q.urn);
        if (typeof target === "string" && queueRefs(q).includes(target)) dlqs.add(q.urn);
      }
    }
    for (const q of queues) {
      if (dlqs.has(q.urn)) continue;
      const allow = q.props.redriveAllowPolicy;
      if (allow !== undefined && allow !== null && allow !== "") continue; // declared as a DLQ
      if ([q.name, q.props.name].some((n) => typeof n === "string" && dlqName.test(n))) continue;
      const inline = q.props.redrivePolicy;
      if (isUnknown(inline)) {
        s.unknown(`redrivePolicy of ${q.name}`);
        continue;
      }
      const parsed = redriveOf(inline);
      if (parsed && typeof parsed === "object" && parsed.deadLetterTargetArn) continue;
      if (standalone.some((r) => refersTo(r, "queueUrl", q, "url"))) continue;
      s.report(
        q,
        `queue ${q.name} has no dead-letter queue: a message that keeps failing is retried until it expires (set redrivePolicy with deadLetterTargetArn and maxReceiveCount)`,
      );
    }
  },
});

export const sqsPolicies: HuntazePolicy[] = [encrypted, notAwsManagedKey, notPublic, noWildcardActions, hasDlq];
