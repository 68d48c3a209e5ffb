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
    title: "provisioned with read and write autoscaling targets (table/<name>)",
    resources: [
      table({ billingMode: "PROVISIONED", readCapacity: 5, writeCapacity: 5 }),
      target("dynamodb:table:ReadCapacityUnits"),
      target("dynamodb:table:WriteCapacityUnits"),
    ],
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
