// Parsing of the SQS message body (seed 002: huntaze-rate-limiter-queue). Errors are values: a
// malformed body is a result with a reason, never a throw, so the handler can dead-letter it at once.

export interface OutboundMessage {
  readonly messageId: string;
  readonly userId: string;
  readonly fanId: string;
  readonly message: string;
  /** Producer's epoch seconds, informational. */
  readonly timestamp?: number;
}

export type ParseResult =
  | { readonly kind: "ok"; readonly value: OutboundMessage }
  | { readonly kind: "malformed"; readonly reason: string };

const MAX_ID_LENGTH = 256;

function idField(o: Record<string, unknown>, name: string, problems: string[]): string {
  const v = o[name];
  if (typeof v !== "string" || v.trim() === "") {
    problems.push(`${name} must be a non-empty string`);
    return "";
  }
  if (v.length > MAX_ID_LENGTH) problems.push(`${name} must be at most ${MAX_ID_LENGTH} characters, got ${v.length}`);
  return v;
}

/** The reason never quotes the body: it holds a fan's message. */
export function parseMessage(body: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return { kind: "malformed", reason: "body is not JSON" };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { kind: "malformed", reason: "body is not a JSON object" };
  }
  const o = data as Record<string, unknown>;
  const problems: string[] = [];
  const messageId = idField(o, "messageId", problems);
  const userId = idField(o, "userId", problems);
  const fanId = idField(o, "fanId", problems);
  if (typeof o["message"] !== "string") problems.push("message must be a string");
  const ts = o["timestamp"];
  if (ts !== undefined && (typeof ts !== "number" || !Number.isFinite(ts))) problems.push("timestamp must be a number");
  if (problems.length > 0) return { kind: "malformed", reason: problems.join("; ") };
  return {
    kind: "ok",
    value: {
      messageId,
      userId,
      fanId,
      message: o["message"] as string,
      ...(typeof ts === "number" ? { timestamp: ts } : {}),
    },
  };
}

/**
 * Redis keys of one creator: `<prefix>:{userId}:` then a suffix. The `{userId}` hash tag puts them
 * all in one cluster slot. The scripts in lua.ts are given the state key and build the others from
 * it with these suffixes. The state (bucket, window log, line size, in-flight leases) is one packed
 * string at `st:p`; `done:<messageId>` is a message's done marker.
 */
export const KEY_SUFFIX = { state: "st:p", line: "line", body: "body", done: "done" } as const;

export interface UserKeys {
  readonly state: string;
  readonly line: string;
  readonly body: string;
  readonly done: string;
}

/** What every key of the creator starts with. */
export function keyBase(userId: string, prefix = "rl"): string {
  return `${prefix}:{${userId}}:`;
}

export function userKeys(userId: string, prefix = "rl"): UserKeys {
  const base = keyBase(userId, prefix);
  return {
    state: base + KEY_SUFFIX.state,
    line: base + KEY_SUFFIX.line,
    body: base + KEY_SUFFIX.body,
    done: base + KEY_SUFFIX.done,
  };
}
