import { cloudtrail, ecs, events, guardduty, kms, securityhub, sns } from "../lib/aws-types";
import { readPolicy } from "../lib/documents";
import { asArray, at, isUnknown, type Resource, refersTo, resourcePolicy, show, stackPolicy } from "../lib/inspect";
import type { Statement } from "../lib/policy-document";
import type { HuntazePolicy } from "../rule";

// The traps of the account baseline (aws-gotchas: "Budgets, anomaly detection, security
// services"): settings AWS refuses or that silently lose security findings.

const multiRegionIntegrity = resourcePolicy({
  name: "cloudtrail-multi-region-integrity",
  summary:
    "A multi-region trail includes global service events (AWS refuses it otherwise, and IAM/STS calls go unrecorded) and validates its log files; stricter than CloudTrail.1 (which only asks for one multi-region trail with management events) and makes CloudTrail.4 mandatory for the account's trail",
  // Mandatory: without global events the account's IAM/STS activity is not recorded; without
  // validation tampering with the audit trail goes unnoticed.
  enforcementLevel: "mandatory",
  references: { catalogue: [71, 72], fsbp: ["CloudTrail.1", "CloudTrail.4"], checkov: [] },
  resourceTypes: cloudtrail.trail,
  check: (c) => {
    const multi = c.props.isMultiRegionTrail;
    if (isUnknown(multi)) return c.unknown("isMultiRegionTrail");
    if (multi !== true) return;
    const global = c.props.includeGlobalServiceEvents;
    const validation = c.props.enableLogFileValidation;
    if (isUnknown(global)) c.unknown("includeGlobalServiceEvents");
    else if (global === false)
      c.report(
        "a multi-region trail with includeGlobalServiceEvents: false is refused by AWS, and IAM/STS/CloudFront calls would go unrecorded: set it to true",
      );
    if (isUnknown(validation)) c.unknown("enableLogFileValidation");
    else if (validation !== true)
      c.report("the account's multi-region trail does not validate its log files (enableLogFileValidation: true)");
  },
});

const FSBP_MARKER = "/aws-foundational-security-best-practices/";

const defaultStandards = stackPolicy({
  name: "securityhub-default-standards-with-explicit-fsbp",
  summary:
    'A Security Hub account whose stack subscribes FSBP explicitly turns the default standards off (enableDefaultStandards: false); otherwise the subscription fails with "Standards is already enabled", and flipping the flag later replaces the hub',
  enforcementLevel: "mandatory",
  references: {
    catalogue: [],
    fsbp: [],
    checkov: [],
    beyondCatalogue: "Security Hub's own settings have no row in the catalogue (a provider trap, not a control)",
  },
  resourceTypes: [...securityhub.account, ...securityhub.standardsSubscription],
  check: (s) => {
    const subscriptions = s.ofType(securityhub.standardsSubscription);
    const arns = subscriptions.map((sub) => sub.props.standardsArn);
    if (arns.some(isUnknown)) s.unknown("standardsArn");
    if (!arns.some((a) => typeof a === "string" && a.includes(FSBP_MARKER))) return;
    for (const hub of s.ofType(securityhub.account)) {
      const v = hub.props.enableDefaultStandards;
      if (isUnknown(v)) s.unknown(`enableDefaultStandards of ${hub.name}`);
      else if (v !== false)
        s.report(
          hub,
          `Security Hub ${hub.name} enables the default standards (enableDefaultStandards is ${show(v)}) while the stack subscribes FSBP explicitly: set enableDefaultStandards: false`,
        );
    }
  },
});

const KMS_ENCRYPT_ACTIONS = ["kms:generatedatakey", "kms:decrypt"];

/** Whether `action` (IAM wildcards allowed) covers `wanted`. */
function covers(action: string, wanted: string): boolean {
  const pattern = new RegExp(
    `^${action
      .toLowerCase()
      .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")}$`,
  );
  return pattern.test(wanted);
}

/** Whether a key policy statement lets EventBridge encrypt for the topic `topicArn` (when known). */
function admitsEventBridge(st: Statement, topicArn: unknown): boolean {
  if (st.effect !== "Allow") return false;
  if (!st.principals.some((p) => p === "events.amazonaws.com" || p === "*")) return false;
  if (!KMS_ENCRYPT_ACTIONS.every((w) => st.actions.some((a) => covers(a, w)))) return false;
  // EventBridge sends no aws:SourceAccount (nor aws:SourceOrgID) on its KMS calls: a statement
  // requiring them never matches.
  const keys = Object.values(st.conditions).flatMap((block) => Object.keys(block));
  if (keys.some((k) => k === "aws:sourceaccount" || k === "aws:sourceorgid")) return false;
  // Scoped by SNS's encryption context: the topic must be one of the ARNs it names.
  const scoped = Object.values(st.conditions).flatMap((block) => block["kms:encryptioncontext:aws:sns:topicarn"] ?? []);
  if (scoped.length === 0 || typeof topicArn !== "string") return true;
  return scoped.some((v) => covers(v, topicArn.toLowerCase()));
}

function keyPolicyOf(key: Resource, keyPolicies: Resource[]): unknown {
  const attached = keyPolicies.find((kp) => refersTo(kp, "keyId", key, "keyId"));
  return attached ? attached.props.policy : key.props.policy;
}

const eventBridgeTopicKey = stackPolicy({
  name: "sns-eventbridge-target-key-admits-events",
  summary:
    "An SNS topic that an EventBridge rule targets is either unencrypted or encrypted with a customer-managed key whose policy lets events.amazonaws.com use kms:GenerateDataKey and kms:Decrypt without an aws:SourceAccount condition (EventBridge does not send it); otherwise events are dropped silently. Extends SNS.1 (ex-FSBP: topics encrypted with KMS) to the topics EventBridge publishes to",
  enforcementLevel: "mandatory",
  references: { catalogue: [30], fsbp: ["SNS.1 (ex-FSBP)"], checkov: [] },
  resourceTypes: [...events.target, ...sns.topic, ...kms.key, ...kms.keyPolicy],
  check: (s) => {
    const topics = s.ofType(sns.topic);
    const keys = s.ofType(kms.key);
    const keyPolicies = s.ofType(kms.keyPolicy);
    const checked = new Set<string>();
    for (const target of s.ofType(events.target)) {
      const arn = target.props.arn;
      const topic = topics.find((t) => refersTo(target, "arn", t));
      if (!topic) {
        if (typeof arn === "string" && arn.startsWith("arn:aws:sns:"))
          s.outside(`topic ${arn} targeted by ${target.name} is not declared in this stack: check its key where it is`);
        continue;
      }
      if (checked.has(topic.urn)) continue;
      checked.add(topic.urn);
      const keyRef = topic.props.kmsMasterKeyId;
      if (isUnknown(keyRef) && !(topic.dependsOn.kmsMasterKeyId ?? []).length) {
        s.unknown(`kmsMasterKeyId of ${topic.name}`);
        continue;
      }
      if (keyRef === undefined || keyRef === null || keyRef === "") continue;
      if (typeof keyRef === "string" && /(^|:)alias\/aws\/sns$/.test(keyRef)) {
        s.report(
          topic,
          `topic ${topic.name} is encrypted with the AWS-managed alias/aws/sns key, whose policy cannot admit EventBridge: rule target ${target.name} loses every event; use a customer-managed key`,
        );
        continue;
      }
      const key = keys.find((k) => refersTo(topic, "kmsMasterKeyId", k, "keyId"));
      if (!key) {
        s.outside(
          `the key of topic ${topic.name} is not declared in this stack: check that its policy admits EventBridge`,
        );
        continue;
      }
      const policy = readPolicy(keyPolicyOf(key, keyPolicies));
      if (policy.state === "unknown") {
        s.unknown(`policy of ${key.name}`);
        continue;
      }
      if (policy.state === "parsed" && policy.statements.some((st) => admitsEventBridge(st, topic.props.arn))) continue;
      s.report(
        topic,
        `topic ${topic.name} is targeted by EventBridge (${target.name}) but the policy of its key ${key.name} ${
          policy.state === "parsed" ? "has no statement" : "is the default one, with no statement"
        } letting events.amazonaws.com use kms:GenerateDataKey* and kms:Decrypt without an aws:SourceAccount condition: events are dropped silently`,
      );
    }
  },
});

const circuitBreaker = resourcePolicy({
  name: "ecs-service-deployment-circuit-breaker",
  summary:
    "ECS services using the ECS deployment controller turn on the deployment circuit breaker with rollback (a failing deployment rolls back instead of cycling tasks)",
  enforcementLevel: "advisory",
  references: {
    catalogue: [],
    fsbp: [],
    checkov: [],
    beyondCatalogue: "deployment safety of ECS services has no row in the catalogue (seed 003 §9.2 asks for it)",
  },
  resourceTypes: ecs.service,
  check: (c) => {
    const controller = at(c.props, "deploymentController.type");
    if (isUnknown(controller)) return c.unknown("deploymentController.type");
    if (controller === "CODE_DEPLOY" || controller === "EXTERNAL") return;
    const cb = c.props.deploymentCircuitBreaker;
    if (isUnknown(cb)) return c.unknown("deploymentCircuitBreaker");
    const enable = at(cb, "enable");
    const rollback = at(cb, "rollback");
    if (isUnknown(enable) || isUnknown(rollback)) return c.unknown("deploymentCircuitBreaker");
    if (enable !== true)
      c.report("the deployment circuit breaker is off: set deploymentCircuitBreaker { enable: true, rollback: true }");
    else if (rollback !== true) c.report("the deployment circuit breaker does not roll back (rollback: true)");
  },
});

const runtimeMonitoring = stackPolicy({
  name: "guardduty-runtime-monitoring",
  summary:
    "Every GuardDuty detector of the stack has RUNTIME_MONITORING enabled (an aws.guardduty.DetectorFeature), with the ECS Fargate agent managed unless requireEcsFargateAgent is false",
  enforcementLevel: "advisory",
  references: { catalogue: [74], fsbp: ["GuardDuty.11", "GuardDuty.12"], checkov: [] },
  resourceTypes: [...guardduty.detector, ...guardduty.feature],
  configSchema: {
    properties: {
      requireEcsFargateAgent: {
        type: "boolean",
        default: true,
        description: "Also require additional configuration ECS_FARGATE_AGENT_MANAGEMENT ENABLED (ECS on Fargate).",
      },
    },
  },
  check: (s) => {
    const fargate = s.config.requireEcsFargateAgent !== false;
    const features = s.ofType(guardduty.feature);
    for (const detector of s.ofType(guardduty.detector)) {
      if (detector.props.enable === false) continue;
      const runtime = features.filter(
        (f) => refersTo(f, "detectorId", detector) && f.props.name === "RUNTIME_MONITORING",
      );
      if (runtime.length === 0) {
        if (features.some((f) => isUnknown(f.props.name))) s.unknown("feature names");
        else
          s.report(
            detector,
            `detector ${detector.name} has no RUNTIME_MONITORING DetectorFeature: runtime threats in ECS tasks go undetected`,
          );
        continue;
      }
      for (const f of runtime) {
        const status = f.props.status;
        if (isUnknown(status)) s.unknown(`status of ${f.name}`);
        else if (status !== "ENABLED")
          s.report(f, `RUNTIME_MONITORING is ${show(status)} on detector ${detector.name}`);
        else if (fargate) {
          const extra = f.props.additionalConfigurations;
          if (isUnknown(extra)) s.unknown(`additionalConfigurations of ${f.name}`);
          else {
            const agent = (asArray(extra) as Record<string, unknown>[]).find(
              (a) => a?.name === "ECS_FARGATE_AGENT_MANAGEMENT",
            );
            if (agent?.status !== "ENABLED")
              s.report(
                f,
                `RUNTIME_MONITORING on detector ${detector.name} does not manage the ECS Fargate agent (ECS_FARGATE_AGENT_MANAGEMENT ENABLED): Fargate tasks are not covered`,
              );
          }
        }
      }
    }
  },
});

export const securityBaselinePolicies: HuntazePolicy[] = [
  multiRegionIntegrity,
  defaultStandards,
  eventBridgeTopicKey,
  circuitBreaker,
  runtimeMonitoring,
];
