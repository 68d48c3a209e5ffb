import { expect } from "chai";
import { describe, it } from "mocha";
import {
  complies,
  factory,
  stackNotApplicableReason,
  UNKNOWN_NUMBER,
  UNKNOWN_STRING,
  violates,
} from "../support/policy-cases";

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
  violates({
    rule: "secretsmanager-rotation",
    title: "a rotation that turns rotation off (rotationEnabled: false)",
    resources: [secret(), rotation({ rotationEnabled: false, rotationRules: undefined })],
    message: /redis-auth-rotation turns automatic rotation off/,
  });

  // CKV_AWS_304 judges aws_secretsmanager_secret_rotation on its own: a rotation of a secret declared
  // elsewhere (adopted by ARN) is judged on its own inputs.
  const adopted = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:shared-AbCdEf";
  complies({
    rule: "secretsmanager-rotation",
    title: "a 30-day rotation of a secret outside the stack",
    resources: [rotation({ secretId: adopted })],
  });
  violates({
    rule: "secretsmanager-rotation",
    title: "a 180-day rotation of a secret outside the stack",
    resources: [rotation({ secretId: adopted, rotationRules: { scheduleExpression: "rate(180 days)" } })],
    message:
      /rotation redis-auth-rotation, of a secret outside this stack \(secretId "arn:aws:secretsmanager:.*shared-AbCdEf"\): rotates every 180 days; at most 90/,
  });
  violates({
    rule: "secretsmanager-rotation",
    title: "a rotation of a secret outside the stack with rotationEnabled: false",
    resources: [rotation({ secretId: adopted, rotationEnabled: false, rotationRules: undefined })],
    message: /outside this stack.*turns automatic rotation off/,
  });
  violates({
    rule: "secretsmanager-rotation",
    title: "a stack secret without rotation, next to a rotation of another secret",
    resources: [secret(), rotation({ secretId: adopted })],
    message: /secret redis-auth has no rotation/,
  });
  it("secretsmanager-rotation: an interval unknown during preview is re-checked on up, not reported", () => {
    const reason = stackNotApplicableReason("secretsmanager-rotation", [
      rotation({ secretId: adopted, rotationRules: { automaticallyAfterDays: UNKNOWN_NUMBER } }),
    ]);
    expect(reason).to.match(/rotationRules\.automaticallyAfterDays of redis-auth-rotation/);
  });
});
