import { secretsmanager } from "../lib/aws-types";
import {
  at,
  isUnknown,
  type Resource,
  refersTo,
  resourcePolicy,
  type StackCheck,
  show,
  stackPolicy,
} from "../lib/inspect";
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

/**
 * What is wrong with one rotation's own inputs (rotation turned off, or an interval above `max`
 * days), or undefined; inputs unknown during preview are recorded on `s`.
 */
function rotationProblem(s: StackCheck, r: Resource, max: number): string | undefined {
  const enabled = r.props.rotationEnabled;
  if (isUnknown(enabled)) {
    s.unknown(`rotationEnabled of ${r.name}`);
    return undefined;
  }
  if (enabled === false) return `${r.name} turns automatic rotation off (rotationEnabled: false)`;
  const rules = at(r.props, "rotationRules");
  if (isUnknown(rules)) {
    s.unknown(`rotationRules of ${r.name}`);
    return undefined;
  }
  if (!rules || typeof rules !== "object") return undefined;
  const undecided = ["automaticallyAfterDays", "scheduleExpression"].filter((k) =>
    isUnknown((rules as Record<string, unknown>)[k]),
  );
  if (undecided.length) {
    for (const k of undecided) s.unknown(`rotationRules.${k} of ${r.name}`);
    return undefined;
  }
  const days = rotationDays(rules as Record<string, unknown>);
  return days !== undefined && days > max
    ? `rotates every ${days} days; at most ${max} (maximumRotationDays)`
    : undefined;
}

const rotation = stackPolicy({
  name: "secretsmanager-rotation",
  summary:
    "Every Secrets Manager secret has rotation configured (aws.secretsmanager.SecretRotation) at most every maximumRotationDays (default 90), and so has every rotation whose secret is outside the stack, judged on its own inputs as CKV_AWS_304 does (unlike CKV2_AWS_57, which passes on the join alone, a rotation with rotationEnabled: false does not count: it turns rotation off)",
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
    const secrets = s.ofType(secretsmanager.secret);
    for (const secret of secrets) {
      const mine = rotations.filter((r) => refersTo(r, "secretId", secret));
      if (mine.length === 0) {
        s.report(secret, `secret ${secret.name} has no rotation (aws.secretsmanager.SecretRotation)`);
        continue;
      }
      for (const r of mine) {
        const problem = rotationProblem(s, r, max);
        if (problem) s.report(secret, `secret ${secret.name}: ${problem}`);
      }
    }
    // A rotation of a secret declared elsewhere (adopted by ARN or name) is judged on its own inputs.
    for (const r of rotations) {
      if (secrets.some((secret) => refersTo(r, "secretId", secret))) continue;
      const problem = rotationProblem(s, r, max);
      if (problem)
        s.report(
          r,
          `rotation ${r.name}, of a secret outside this stack (secretId ${show(r.props.secretId)}): ${problem}`,
        );
    }
  },
});

export const secretsmanagerPolicies: HuntazePolicy[] = [cmk, rotation];
