// The OnlyFans send: one JSON POST per message. Endpoint and credentials come from configuration;
// the token never appears in a log line or an error.

import { classifyStatus, parseRetryAfter, type SendOutcome } from "./backoff";
import type { OutboundMessage } from "./message";

export interface OnlyFansClient {
  send(message: OutboundMessage): Promise<SendOutcome>;
}

export interface OnlyFansConfig {
  readonly url: string;
  /** Bearer token. A secret. */
  readonly token?: string;
  readonly timeoutMs: number;
}

export function createOnlyFansClient(config: OnlyFansConfig, now: () => number = Date.now): OnlyFansClient {
  return {
    async send(m) {
      const headers: Record<string, string> = { "content-type": "application/json", "idempotency-key": m.messageId };
      if (config.token !== undefined) headers["authorization"] = `Bearer ${config.token}`;
      try {
        const res = await fetch(config.url, {
          method: "POST",
          headers,
          body: JSON.stringify({ messageId: m.messageId, userId: m.userId, fanId: m.fanId, message: m.message }),
          signal: AbortSignal.timeout(config.timeoutMs),
        });
        // Drain the body so the connection can be reused.
        await res.arrayBuffer().catch(() => undefined);
        return classifyStatus(res.status, parseRetryAfter(res.headers.get("retry-after"), now()));
      } catch (error) {
        const name = error instanceof Error ? error.name : "Error";
        return { kind: "retryable", status: 0, reason: `network error (${name})` };
      }
    },
  };
}
