import * as pulumi from "@pulumi/pulumi";

// What a preview must know to refuse an unsafe AUTH token change: the token version the last
// successful deployment applied. The stack exports it and reads it back from its own previous
// outputs (a stack reference to itself, read at preview time), so no one has to remember it.

/** The stack output holding the applied `authTokenVersion`. */
export const AUTH_TOKEN_VERSION_OUTPUT = "redisAuthTokenVersion";

/** The `authTokenVersion` of this stack's last deployment; undefined before the first one. */
export function appliedAuthTokenVersion(): pulumi.Output<number | undefined> {
  const self = new pulumi.StackReference("redis-auth-token-history", {
    name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
  });
  return self.getOutput(AUTH_TOKEN_VERSION_OUTPUT).apply((v) => (typeof v === "number" ? v : undefined));
}
