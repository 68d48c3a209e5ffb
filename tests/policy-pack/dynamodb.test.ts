import { describe } from "mocha";
import { complies, factory, UNKNOWN_STRING, violates } from "../support/policy-cases";

const TABLE = "aws:dynamodb/table:Table";
const TARGET = "aws:appautoscaling/target:Target";
const table = factory(TABLE, "costs", {
  name: "costs",
  billingMode: "PAY_PER_REQUEST",
  hashKey: "pk",
  attributes: [{ name: "pk", type: "S" }],
  pointInTimeRecovery: { enabled: true },
  serverSideEncryption: { enabled: true, kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/abcd" },
  deletionProtectionEnabled: true,
  ttl: { enabled: true, attributeName: "expiresAt" },
});
const target = (dimension: string, resourceId: unknown = "table/costs") => ({
  type: TARGET,
  name: `scale-${dimension.split(":").pop()}`,
  inputs: { serviceNamespace: "dynamodb", scalableDimension: dimension, resourceId, minCapacity: 1, maxCapacity: 10 },
});
const POLICY = "aws:appautoscaling/policy:Policy";
/** A target-tracking policy on `dimension`, taking resourceId/scalableDimension from its target like `target.resourceId`. */
const policy = (dimension: string) => {
  const t = target(dimension);
  return {
    type: POLICY,
    name: `${t.name}-policy`,
    inputs: {
      policyType: "TargetTrackingScaling",
      serviceNamespace: UNKNOWN_STRING,
      resourceId: UNKNOWN_STRING,
      scalableDimension: UNKNOWN_STRING,
      targetTrackingScalingPolicyConfiguration: { targetValue: 70 },
    },
    propertyDependencies: { serviceNamespace: [t.name], resourceId: [t.name], scalableDimension: [t.name] },
  };
};
const READ = "dynamodb:table:ReadCapacityUnits";
const WRITE = "dynamodb:table:WriteCapacityUnits";

describe("DynamoDB rules", () => {
  complies({ rule: "dynamodb-point-in-time-recovery", title: "PITR on", resources: [table()] });
  violates({
    rule: "dynamodb-point-in-time-recovery",
    title: "PITR not set",
    resources: [table({ pointInTimeRecovery: undefined })],
    message: /point-in-time recovery is off/,
  });

  complies({ rule: "dynamodb-encryption-cmk", title: "a CMK", resources: [table()] });
  complies({
    rule: "dynamodb-encryption-cmk",
    title: "a key unknown during preview",
    resources: [table({ serverSideEncryption: { enabled: true, kmsKeyArn: UNKNOWN_STRING } })],
  });
  violates({
    rule: "dynamodb-encryption-cmk",
    title: "the AWS-owned key (no serverSideEncryption)",
    resources: [table({ serverSideEncryption: undefined })],
    message: /AWS-owned key/,
  });
  violates({
    rule: "dynamodb-encryption-cmk",
    title: "the AWS-managed key (enabled without kmsKeyArn)",
    resources: [table({ serverSideEncryption: { enabled: true } })],
    message: /aws\/dynamodb/,
  });

  complies({ rule: "dynamodb-deletion-protection", title: "on", resources: [table()] });
  violates({
    rule: "dynamodb-deletion-protection",
    title: "off",
    resources: [table({ deletionProtectionEnabled: false })],
  });

  complies({ rule: "dynamodb-capacity-scales", title: "on-demand", resources: [table()] });
  complies({
    rule: "dynamodb-capacity-scales",
    title: "provisioned with read and write autoscaling targets (table/<name>) and their policies",
    resources: [
      table({ billingMode: "PROVISIONED", readCapacity: 5, writeCapacity: 5 }),
      target("dynamodb:table:ReadCapacityUnits"),
      target("dynamodb:table:WriteCapacityUnits"),
      policy(READ),
      policy(WRITE),
    ],
  });
  complies({
    rule: "dynamodb-capacity-scales",
    title: "policies naming the table and dimension themselves (no dependency on the targets)",
    resources: [
      table({ billingMode: "PROVISIONED", readCapacity: 5, writeCapacity: 5 }),
      target(READ),
      target(WRITE),
      ...[READ, WRITE].map((d) => ({
        ...policy(d),
        inputs: {
          policyType: "TargetTrackingScaling",
          serviceNamespace: "dynamodb",
          resourceId: "table/costs",
          scalableDimension: d,
        },
        propertyDependencies: {},
      })),
    ],
  });
  violates({
    rule: "dynamodb-capacity-scales",
    title: "provisioned with read and write targets but no scaling policy",
    resources: [table({ billingMode: "PROVISIONED" }), target(READ), target(WRITE)],
    message: /for ReadCapacityUnits and WriteCapacityUnits \(the Target has no aws.appautoscaling.Policy/,
  });
  violates({
    rule: "dynamodb-capacity-scales",
    title: "provisioned with both targets, a policy for reads only, and an ECS policy",
    resources: [
      table({ billingMode: "PROVISIONED" }),
      target(READ),
      target(WRITE),
      policy(READ),
      {
        type: POLICY,
        name: "ecs-cpu",
        inputs: { serviceNamespace: "ecs", resourceId: "service/c/s", scalableDimension: "ecs:service:DesiredCount" },
      },
    ],
    message: /without autoscaling for WriteCapacityUnits \(the Target has no/,
  });
  complies({
    rule: "dynamodb-capacity-scales",
    title: "targets whose resourceId is unknown but depends on the table",
    resources: [
      table({ billingMode: "PROVISIONED" }),
      {
        ...target("dynamodb:table:ReadCapacityUnits", UNKNOWN_STRING),
        propertyDependencies: { resourceId: ["costs"] },
      },
      {
        ...target("dynamodb:table:WriteCapacityUnits", UNKNOWN_STRING),
        propertyDependencies: { resourceId: ["costs"] },
      },
      policy(READ),
      policy(WRITE),
    ],
  });
  violates({
    rule: "dynamodb-capacity-scales",
    title: "provisioned with only a read target",
    resources: [table({ billingMode: "PROVISIONED" }), target("dynamodb:table:ReadCapacityUnits")],
    message: /without autoscaling for WriteCapacityUnits/,
  });
  violates({
    rule: "dynamodb-capacity-scales",
    title: "provisioned by default, targets on another table",
    resources: [
      table({ billingMode: undefined }),
      target("dynamodb:table:ReadCapacityUnits", "table/other"),
      target("dynamodb:table:WriteCapacityUnits", "table/other"),
    ],
    message: /ReadCapacityUnits and WriteCapacityUnits/,
  });

  complies({ rule: "dynamodb-ttl", title: "TTL on expiresAt", resources: [table()] });
  violates({
    rule: "dynamodb-ttl",
    title: "TTL off",
    resources: [table({ ttl: { enabled: false, attributeName: "expiresAt" } })],
    message: /TTL is off/,
  });
});
