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
