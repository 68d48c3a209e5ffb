import { describe } from "mocha";
import { complies, factory, UNKNOWN_STRING, violates } from "../support/policy-cases";

const trail = factory("aws:cloudtrail/trail:Trail", "trail", {
  s3BucketName: "trail-logs",
  isMultiRegionTrail: true,
  includeGlobalServiceEvents: true,
  enableLogFileValidation: true,
  kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/abcd",
});

const FSBP = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0";
const hub = factory("aws:securityhub/account:Account", "hub", { enableDefaultStandards: false });
const fsbp = factory("aws:securityhub/standardsSubscription:StandardsSubscription", "fsbp", { standardsArn: FSBP });

const TOPIC_ARN = "arn:aws:sns:us-east-1:111122223333:huntaze-security-alerts";
const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234";
const admin = {
  Sid: "Admin",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111122223333:root" },
  Action: "kms:*",
  Resource: "*",
};
const eventsByTopic = {
  Effect: "Allow",
  Principal: { Service: "events.amazonaws.com" },
  Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
  Resource: "*",
  Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": TOPIC_ARN } },
};
const key = (statements: unknown[]) =>
  factory("aws:kms/key:Key", "alerts-key", {
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  })({}, { outputs: { arn: KEY_ARN, keyId: "1234", policy: JSON.stringify({ Statement: statements }) } });
const topic = factory("aws:sns/topic:Topic", "security", { name: "huntaze-security-alerts", kmsMasterKeyId: KEY_ARN });
const target = factory("aws:cloudwatch/eventTarget:EventTarget", "gd-target", { rule: "gd", arn: TOPIC_ARN });
const topicOn = (k: string) =>
  topic({ kmsMasterKeyId: UNKNOWN_STRING }, { propertyDependencies: { kmsMasterKeyId: [k] } });
const targetOnTopic = () => target({ arn: UNKNOWN_STRING }, { propertyDependencies: { arn: ["security"] } });

const service = factory("aws:ecs/service:Service", "app", {
  name: "app",
  launchType: "FARGATE",
  deploymentCircuitBreaker: { enable: true, rollback: true },
});

const detector = factory("aws:guardduty/detector:Detector", "gd", { enable: true });
const feature = (name: string, status: string, extra: Record<string, unknown> = {}) =>
  factory("aws:guardduty/detectorFeature:DetectorFeature", `gd-${name.toLowerCase()}`, {
    detectorId: UNKNOWN_STRING,
    name,
    status,
    ...extra,
  })({}, { propertyDependencies: { detectorId: ["gd"] } });
const fargateAgent = (status: string) => ({
  additionalConfigurations: [
    { name: "EKS_ADDON_MANAGEMENT", status: "DISABLED" },
    { name: "ECS_FARGATE_AGENT_MANAGEMENT", status },
  ],
});

describe("account baseline traps", () => {
  complies({
    rule: "cloudtrail-multi-region-integrity",
    title: "a validated multi-region trail with global events",
    resources: [trail()],
  });
  complies({
    rule: "cloudtrail-multi-region-integrity",
    title: "a single-region data-events trail without them",
    resources: [
      trail({ isMultiRegionTrail: false, includeGlobalServiceEvents: false, enableLogFileValidation: false }),
    ],
  });
  violates({
    rule: "cloudtrail-multi-region-integrity",
    title: "a multi-region trail without global service events",
    resources: [trail({ includeGlobalServiceEvents: false })],
    message: /refused by AWS/,
  });
  violates({
    rule: "cloudtrail-multi-region-integrity",
    title: "a multi-region trail without log file validation",
    resources: [trail({ enableLogFileValidation: undefined })],
    message: /does not validate its log files/,
  });

  complies({
    rule: "securityhub-default-standards-with-explicit-fsbp",
    title: "default standards off with FSBP subscribed",
    resources: [hub(), fsbp()],
  });
  complies({
    rule: "securityhub-default-standards-with-explicit-fsbp",
    title: "default standards on without an explicit FSBP subscription",
    resources: [hub({ enableDefaultStandards: undefined })],
  });
  violates({
    rule: "securityhub-default-standards-with-explicit-fsbp",
    title: "the default (on) with FSBP subscribed",
    resources: [hub({ enableDefaultStandards: undefined }), fsbp()],
    message: /enableDefaultStandards: false/,
  });

  complies({
    rule: "sns-eventbridge-target-key-admits-events",
    title: "a key admitting events.amazonaws.com by the topic's encryption context",
    resources: [key([admin, eventsByTopic]), topicOn("alerts-key"), targetOnTopic()],
  });
  complies({
    rule: "sns-eventbridge-target-key-admits-events",
    title: "a topic no rule targets, under a key without EventBridge",
    resources: [key([admin]), topicOn("alerts-key")],
  });
  violates({
    rule: "sns-eventbridge-target-key-admits-events",
    title: "a key admitting EventBridge only with aws:SourceAccount (never sent)",
    resources: [
      key([admin, { ...eventsByTopic, Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } }]),
      topicOn("alerts-key"),
      targetOnTopic(),
    ],
    message: /dropped silently/,
  });
  violates({
    rule: "sns-eventbridge-target-key-admits-events",
    title: "a key without any EventBridge statement (matched by ARN values)",
    resources: [key([admin]), topic(), target()],
  });
  violates({
    rule: "sns-eventbridge-target-key-admits-events",
    title: "the AWS-managed alias/aws/sns key",
    resources: [topic({ kmsMasterKeyId: "alias/aws/sns" }), target()],
    message: /AWS-managed alias\/aws\/sns/,
  });

  complies({ rule: "ecs-service-deployment-circuit-breaker", title: "breaker with rollback", resources: [service()] });
  complies({
    rule: "ecs-service-deployment-circuit-breaker",
    title: "a CODE_DEPLOY service (the breaker does not apply)",
    resources: [service({ deploymentCircuitBreaker: undefined, deploymentController: { type: "CODE_DEPLOY" } })],
  });
  violates({
    rule: "ecs-service-deployment-circuit-breaker",
    title: "no breaker",
    resources: [service({ deploymentCircuitBreaker: undefined })],
    message: /circuit breaker is off/,
  });
  violates({
    rule: "ecs-service-deployment-circuit-breaker",
    title: "a breaker without rollback",
    resources: [service({ deploymentCircuitBreaker: { enable: true, rollback: false } })],
    message: /does not roll back/,
  });

  complies({
    rule: "guardduty-runtime-monitoring",
    title: "runtime monitoring with the Fargate agent managed",
    resources: [detector(), feature("RUNTIME_MONITORING", "ENABLED", fargateAgent("ENABLED"))],
  });
  complies({
    rule: "guardduty-runtime-monitoring",
    title: "no Fargate agent when requireEcsFargateAgent is false",
    resources: [detector(), feature("RUNTIME_MONITORING", "ENABLED")],
    config: { "guardduty-runtime-monitoring": { requireEcsFargateAgent: false } },
  });
  violates({
    rule: "guardduty-runtime-monitoring",
    title: "a detector with only S3 protection",
    resources: [detector(), feature("S3_DATA_EVENTS", "ENABLED")],
    message: /no RUNTIME_MONITORING/,
  });
  violates({
    rule: "guardduty-runtime-monitoring",
    title: "runtime monitoring without the Fargate agent",
    resources: [detector(), feature("RUNTIME_MONITORING", "ENABLED", fargateAgent("DISABLED"))],
    message: /Fargate tasks are not covered/,
  });
});

describe("account baseline traps: the key's encryption context names the targeted topic", () => {
  complies({
    rule: "sns-eventbridge-target-key-admits-events",
    title: "a key scoped to the targeted topic's known ARN",
    resources: [
      key([admin, eventsByTopic]),
      topic({}, { outputs: { name: "huntaze-security-alerts", arn: TOPIC_ARN, kmsMasterKeyId: KEY_ARN } }),
      targetOnTopic(),
    ],
  });
  violates({
    rule: "sns-eventbridge-target-key-admits-events",
    title: "a key scoped to another topic's ARN",
    resources: [
      key([
        admin,
        {
          ...eventsByTopic,
          Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": `${TOPIC_ARN}-other` } },
        },
      ]),
      topic({}, { outputs: { name: "huntaze-security-alerts", arn: TOPIC_ARN, kmsMasterKeyId: KEY_ARN } }),
      targetOnTopic(),
    ],
  });
});
