import type { Collected, Unreadable } from "./facts";

// Turns an SDK error into the reason a check could not be evaluated. Only the error's name and
// AWS's message are kept: neither carries credentials (the SDK never puts them in errors).

const ACCESS_DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "UnauthorizedAccess",
  "AuthorizationError",
  "AuthorizationErrorException",
]);

const THROTTLED = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "SlowDown",
]);

const CREDENTIALS = new Set([
  "CredentialsProviderError",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
]);

export type ErrorKind = "access-denied" | "throttled" | "credentials" | "region" | "other";

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "Error";
}

export function classify(error: unknown): ErrorKind {
  const name = errorName(error);
  const message = error instanceof Error ? error.message : "";
  if (ACCESS_DENIED.has(name)) return "access-denied";
  if (THROTTLED.has(name)) return "throttled";
  if (CREDENTIALS.has(name) || /could not load credentials/i.test(message)) return "credentials";
  if (/region is missing/i.test(message)) return "region";
  return "other";
}

const single = (s: string) => s.replace(/\s+/g, " ").trim();

/** One line saying why a read failed, e.g. "AccessDenied: User ... is not authorized to perform ...". */
export function reasonOf(error: unknown): string {
  const name = errorName(error);
  const message = error instanceof Error ? single(error.message).slice(0, 300) : String(error);
  const prefix: Record<ErrorKind, string> = {
    "access-denied": "access denied",
    throttled: "throttled after the SDK's retries",
    credentials: "credentials missing or invalid",
    region: "region missing",
    other: "API error",
  };
  return `${prefix[classify(error)]} (${name}: ${message})`;
}

/** Whether an error is AWS's answer `name` (the SDK sets `name` to the error code). */
export function isAwsError(error: unknown, ...names: string[]): boolean {
  const e = error as { name?: unknown; Code?: unknown } | undefined;
  return names.includes(String(e?.name)) || names.includes(String(e?.Code));
}

/**
 * Runs a collector's read of one listing (every page): its facts, or, when any call fails, one
 * Unreadable naming `where.what`, so the checks say "not evaluated" instead of judging part of it.
 */
export async function readListing<T>(where: Omit<Unreadable, "reason">, read: () => Promise<T>): Promise<Collected<T>> {
  try {
    return { facts: await read(), unreadable: [] };
  } catch (error) {
    return { unreadable: [{ ...where, reason: reasonOf(error) }] };
  }
}
