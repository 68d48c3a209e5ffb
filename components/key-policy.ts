// Key policy statements shared by the components' customer-managed KMS keys.

/**
 * Delegates the key to IAM in its own account (the statement AWS's default key policy holds), so
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
