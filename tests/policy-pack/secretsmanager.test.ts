import { describe } from "mocha";
import { complies, factory, UNKNOWN_STRING, violates } from "../support/policy-cases";

const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const secret = factory(SECRET, "redis-auth", { kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/abcd" });
const rotation = factory(ROTATION, "redis-auth-rotation", {
  secretId: "redis-auth",
  rotationLambdaArn: "arn:aws:lambda:f",
  rotationRules: { automaticallyAfterDays: 30 },
});

describe("Secrets Manager rules", () => {
  complies({ rule: "secretsmanager-secret-cmk", title: "a CMK", resources: [secret()] });
  complies({
    rule: "secretsmanager-secret-cmk",
    title: "a key unknown during preview",
    resources: [secret({ kmsKeyId: UNKNOWN_STRING })],
  });
  violates({
    rule: "secretsmanager-secret-cmk",
    title: "no kmsKeyId",
    resources: [secret({ kmsKeyId: undefined })],
    message: /AWS-managed/,
  });

  complies({ rule: "secretsmanager-rotation", title: "30-day rotation", resources: [secret(), rotation()] });
  complies({
    rule: "secretsmanager-rotation",
    title: "rate(60 days), joined by property dependency",
    resources: [
      secret(),
      rotation(
        { secretId: UNKNOWN_STRING, rotationRules: { scheduleExpression: "rate(60 days)" } },
        { propertyDependencies: { secretId: ["redis-auth"] } },
      ),
    ],
  });
  violates({ rule: "secretsmanager-rotation", title: "no rotation", resources: [secret()], message: /no rotation/ });
  violates({
    rule: "secretsmanager-rotation",
    title: "every 180 days",
    resources: [secret(), rotation({ rotationRules: { automaticallyAfterDays: 180 } })],
    message: /every 180 days; at most 90/,
  });
});
