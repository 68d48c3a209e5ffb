// Shared bits of the rate limiter tests: a real redis-server per suite and small factories.

import Redis from "ioredis";
import { type RunningRedis, startRedis } from "../../support/redis-server";

export interface PlainRedis {
  server: RunningRedis;
  client: Redis;
  stop(): Promise<void>;
}

/** A plaintext, password-protected redis-server on loopback and a client for it. */
export async function plainRedis(): Promise<PlainRedis> {
  const server = await startRedis({ password: "test-password-1234567890" });
  const client = new Redis({ host: server.host, port: server.port, password: server.password, lazyConnect: true });
  await client.connect();
  return {
    server,
    client,
    async stop() {
      client.disconnect();
      await server.stop();
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it is true, or fails after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export function body(messageId: string, userId = "creator-1", extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ messageId, userId, fanId: "fan-9", message: "Hey! Thanks for subscribing", ...extra });
}
