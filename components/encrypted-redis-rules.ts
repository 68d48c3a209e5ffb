// The one EncryptedRedis rule its args spec (components/specs/encrypted-redis.ts) cannot check: it
// compares the token version with the version the last deployment applied, an Output known only
// while the preview runs.

/**
 * Why this token change must not be applied, or undefined when it may: a new token version applied
 * with `SET` revokes the old token at once (the provider applies token changes immediately), before
 * any client has read the new one from the secret. Pure, so the preview check is tested directly.
 */
export function authTokenChangeProblem(
  applied: number | undefined,
  version: number,
  strategy: "SET" | "ROTATE",
): string | undefined {
  if (applied === undefined || applied === version || strategy === "ROTATE") return undefined;
  return (
    `authTokenVersion changes from ${applied} to ${version} with authTokenUpdateStrategy "SET", which revokes the ` +
    `old AUTH token at once and disconnects every client still using it. Rotate in two deployments: ` +
    `(1) authTokenVersion ${version} with authTokenUpdateStrategy "ROTATE" and applyImmediately true (old and new ` +
    `tokens both work; the secret gets the new one; clients re-read it on their next auth failure or restart); ` +
    `(2) once every client uses the new token, authTokenUpdateStrategy "SET" with the same version ${version} ` +
    `(the old token stops working). To keep the current token, set authTokenVersion back to ${applied}.`
  );
}
