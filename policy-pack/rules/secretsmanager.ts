import { secretsmanager } from "../lib/aws-types";
import { at, isUnknown, refersTo, resourcePolicy, stackPolicy } from "../lib/inspect";
import type { HuntazePolicy } from "../rule";

const cmk = resourcePolicy({
  name: "secretsmanager-secret-cmk",
  summary: "Secrets Manager secrets are encrypted with a customer-managed KMS key (kmsKeyId), not aws/secretsmanager",
  enforcementLevel: "mandatory",
  references: { catalogue: [56], fsbp: [], checkov: ["CKV_AWS_149"] },
  resourceTypes: secretsmanager.secret,
  check: (c) => {
    const key = c.props.kmsKeyId;
    if (isUnknown(key)) c.unknown("kmsKeyId");
    else if (typeof key !== "string" || key === "")
      c.report("the secret uses the AWS-managed aws/secretsmanager key: set kmsKeyId to a customer-managed key");
    else if (/(^|:)alias\/aws\/secretsmanager$/.test(key))
      c.report("kmsKeyId names the AWS-managed alias/aws/secretsmanager: use a customer-managed key");
  },
});

/** Days between rotations from rotationRules, or undefined when it cannot be read (cron). */
function rotationDays(rules: Record<string, unknown>): number | undefined {
  if (typeof rules.automaticallyAfterDays === "number") return rules.automaticallyAfterDays;
  const m =
    typeof rules.scheduleExpression === "string" ? /^rate\((\d+)\s+days?\)$/.exec(rules.scheduleExpression) : null;
  return m ? Number(m[1]) : undefined;
}

const rotation = stackPolicy({
  name: "secretsmanager-rotation",
  summary:
    "Every Secrets Manager secret has rotation configured (aws.secretsmanager.SecretRotation) at most every maximumRotationDays (default 90)",
  enforcementLevel: "advisory",
  references: {
    catalogue: [57],
    fsbp: ["SecretsManager.1", "SecretsManager.4"],
    checkov: ["CKV2_AWS_57", "CKV_AWS_304"],
  },
  resourceTypes: [...secretsmanager.secret, ...secretsmanager.rotation],
  configSchema: {
    properties: {
      maximumRotationDays: {
        type: "integer",
        minimum: 1,
        maximum: 1000,
        default: 90,
        description: "Longest allowed rotation interval.",
      },
    },
  },
  check: (s) => {
    const max = Number(s.config.maximumRotationDays ?? 90);
    const rotations = s.ofType(secretsmanager.rotation);
    for (const secret of s.ofType(secretsmanager.secret)) {
      const mine = rotations.filter((r) => refersTo(r, "secretId", secret));
      if (mine.length === 0) {
        s.report(secret, `secret ${secret.name} has no rotation (aws.secretsmanager.SecretRotation)`);
        continue;
      }
      for (const r of mine) {
        const rules = at(r.props, "rotationRules");
        if (isUnknown(rules) || !rules || typeof rules !== "object") {
          if (isUnknown(rules)) s.unknown(`rotationRules of ${r.name}`);
          continue;
        }
        const days = rotationDays(rules as Record<string, unknown>);
        if (days !== undefined && days > max)
          s.report(secret, `secret ${secret.name} rotates every ${days} days; at most ${max} (maximumRotationDays)`);
      }
    }
  },
});

export const secretsmanagerPolicies: HuntazePolicy[] = [cmk, rotation];
