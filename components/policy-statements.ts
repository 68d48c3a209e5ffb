// IAM policy statements the components share (key policies, resource policies).

/**
 * Delegates a KMS key to IAM in its own account (the statement AWS's default key policy holds), so
 * role policies grant its use; every other statement of a key policy adds a service principal.
 */
export function accountAdministration(accountId: string): Record<string, unknown> {
  return {
    Sid: "AccountAdministration",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}

/** Denies every request of `service` that does not use TLS (aws:SecureTransport = false). */
export function denyInsecureTransport(
  service: "s3" | "sqs" | "sns",
  resources: string | string[],
): Record<string, unknown> {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: `${service}:*`,
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * Lets CloudWatch Logs of `region` use a key for the named log groups only (the encryption context
 * CloudWatch Logs sends is the log group's ARN). One name gives a string condition, several a list.
 */
export function cloudWatchLogsKeyStatement(
  sid: string,
  scope: { readonly accountId: string; readonly region: string },
  logGroupNames: readonly string[],
): Record<string, unknown> {
  const arns = logGroupNames.map((n) => `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${n}`);
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: `logs.${scope.region}.amazonaws.com` },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": arns.length === 1 ? arns[0] : arns } },
  };
}
