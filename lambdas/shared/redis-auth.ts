// AUTH token rotation without downtime, for every client built by the shared factory.
//
// ElastiCache rotates in two steps: ROTATE (the new token is added, the old one still works; the
// secret then holds the new one) and SET (the old token is removed). Connections already
// authenticated stay up; what breaks is the next connection made with the old token (a failover, a
// node replacement, a network blip): AUTH answers WRONGPASS, and ioredis would retry with the same
// token for ever. This module re-reads the token (Secrets Manager by ARN, or the environment) on
// the first WRONGPASS/NOAUTH, installs it for the reconnect, and retries the failed command once.
// An unchanged token means a genuinely bad one: no reconnect loop, no read loop (one read per
// `minRefreshIntervalMs`), and the caller counts Redis as unavailable as for any other outage.

import type { Cluster, Redis } from "ioredis";
import { createRedisClient, type RedisClientOverrides } from "./redis-client";
import { PASSWORD_VARS } from "./redis-config";

type RedisClient = Redis | Cluster;

/** Secrets Manager secret holding the AUTH token: EncryptedRedis' JSON `{authToken, ...}`, or the bare token. */
export const AUTH_TOKEN_SECRET_ARN_VAR = "REDIS_AUTH_TOKEN_SECRET_ARN";

/** JSON fields of a secret that may hold the token, in order of preference. */
const TOKEN_FIELDS = ["authToken", "password", "token"] as const;

/** Reads a secret's string (Secrets Manager GetSecretValue in the Lambda; anything in tests). */
export type SecretReader = (arn: string) => Promise<string>;

/** Returns the current token; undefined when there is none. Never logs it. */
export type TokenProvider = () => Promise<string | undefined>;

/** The token in a secret string: EncryptedRedis' JSON `{authToken, ...}` or the bare string. */
export function tokenFromSecretString(secret: string): string {
  try {
    const parsed = JSON.parse(secret) as Record<string, unknown>;
    if (typeof parsed === "object" && parsed !== null) {
      for (const f of TOKEN_FIELDS) if (typeof parsed[f] === "string") return parsed[f] as string;
    }
  } catch {
    // a bare token
  }
  return secret;
}

export function secretTokenProvider(arn: string, readSecret: SecretReader): TokenProvider {
  return async () => tokenFromSecretString(await readSecret(arn));
}

/** REDIS_PASSWORD / REDIS_AUTH_TOKEN, read from `env` at each call (a local run may update it). */
export function envTokenProvider(env: NodeJS.ProcessEnv): TokenProvider {
  return async () => {
    for (const name of PASSWORD_VARS) {
      const value = env[name]?.trim();
      if (value) return value;
    }
    return undefined;
  };
}

/** The secret when REDIS_AUTH_TOKEN_SECRET_ARN is set (and a reader given), else the environment. */
export function tokenProviderFor(env: NodeJS.ProcessEnv, readSecret?: SecretReader): TokenProvider {
  const arn = env[AUTH_TOKEN_SECRET_ARN_VAR]?.trim();
  return arn && readSecret ? secretTokenProvider(arn, readSecret) : envTokenProvider(env);
}

/** WRONGPASS / NOAUTH, from ioredis directly or wrapped (RedisConnectionError, a cluster's lastNodeError). */
export function isAuthFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const x = e as { message?: unknown; reason?: unknown; cause?: unknown; lastNodeError?: unknown };
    if (x.reason === "auth") return true;
    if (typeof x.message === "string" && /^(WRONGPASS|NOAUTH)/.test(x.message)) return true;
    e = x.lastNodeError ?? x.cause;
  }
  return false;
}

export type AuthRefreshEvent =
  | { readonly kind: "auth_failed" }
  | { readonly kind: "token_refreshed" }
  | { readonly kind: "token_unchanged" }
  | { readonly kind: "token_read_failed"; readonly error: string };

export interface AuthRefresherOptions {
  /** At most one token read per this many ms: a bad token never turns into a read or reconnect loop. @default 5000 */
  readonly minRefreshIntervalMs?: number;
  /** How long the retry waits for the reconnect with the new token. @default 2000 */
  readonly readyTimeoutMs?: number;
  /** Observes what happened (for logs and metrics); never receives a token. */
  readonly onEvent?: (event: AuthRefreshEvent) => void;
  readonly now?: () => number;
}

/** Runs Redis calls so that an AUTH token rotation costs at most one retried call. */
export interface AuthRetry {
  run<T>(op: () => Promise<T>): Promise<T>;
}

/**
 * Watches one client (standalone or cluster) for authentication failures and swaps in the
 * current token. `run` retries a call once after a successful swap; everything else is rethrown.
 */
export class RedisAuthRefresher implements AuthRetry {
  private readonly minIntervalMs: number;
  private readonly readyTimeoutMs: number;
  private readonly now: () => number;
  private lastReadAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<boolean> | undefined;
  private authFailures = 0;
  private readonly onError = (error: unknown) => {
    if (!isAuthFailure(error)) return;
    this.authFailures += 1;
    this.options.onEvent?.({ kind: "auth_failed" });
    void this.refresh();
  };

  constructor(
    private readonly client: RedisClient,
    private readonly provider: TokenProvider,
    private readonly options: AuthRefresherOptions = {},
  ) {
    this.minIntervalMs = options.minRefreshIntervalMs ?? 5000;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 2000;
    this.now = options.now ?? Date.now;
    client.on("error", this.onError);
    client.on("node error", this.onError);
  }

  /** Stops watching the client. */
  close(): void {
    this.client.off("error", this.onError);
    this.client.off("node error", this.onError);
  }

  private password(): string | undefined {
    const c = this.client as {
      isCluster?: boolean;
      options: { password?: string; redisOptions?: { password?: string } };
    };
    return c.isCluster ? c.options.redisOptions?.password : c.options.password;
  }

  /** ioredis reads `options.password` at every (re)connect, so the next AUTH uses the new token. */
  private install(token: string): void {
    const c = this.client as {
      isCluster?: boolean;
      options: { password?: string; redisOptions?: { password?: string } };
      nodes?: () => { options: { password?: string } }[];
    };
    if (c.isCluster) {
      c.options.redisOptions = { ...c.options.redisOptions, password: token };
      for (const node of c.nodes?.() ?? []) node.options.password = token;
    } else {
      c.options.password = token;
    }
  }

  /**
   * Re-reads the token (one read at a time, at most one per interval). When it differs from the one
   * in use, installs it and reconnects a connection that is up (one that failed is already
   * reconnecting with ioredis' backoff). Resolves true when a new token was installed.
   */
  refresh(): Promise<boolean> {
    this.inflight ??= this.readAndInstall().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async readAndInstall(): Promise<boolean> {
    if (this.now() - this.lastReadAt < this.minIntervalMs) return false;
    this.lastReadAt = this.now();
    let token: string | undefined;
    try {
      token = await this.provider();
    } catch (error) {
      this.options.onEvent?.({
        kind: "token_read_failed",
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
    if (token === undefined || token === "" || token === this.password()) {
      this.options.onEvent?.({ kind: "token_unchanged" });
      return false;
    }
    this.install(token);
    this.options.onEvent?.({ kind: "token_refreshed" });
    if ((this.client as { status?: string }).status === "ready") this.client.disconnect(true);
    return true;
  }

  private waitReady(): Promise<void> {
    const c = this.client as RedisClient & { status?: string };
    if (c.status === "ready") return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        c.off("ready", done);
        resolve();
      };
      const timer = setTimeout(done, this.readyTimeoutMs);
      c.on("ready", done);
    });
  }

  async run<T>(op: () => Promise<T>): Promise<T> {
    const failuresBefore = this.authFailures;
    const passwordBefore = this.password();
    try {
      return await op();
    } catch (error) {
      // An auth failure of this call, or of the reconnect it waited for (the call itself then
      // fails with "max retries" or a timeout).
      if (!isAuthFailure(error) && this.authFailures === failuresBefore) throw error;
      const swapped = (await this.refresh()) || this.password() !== passwordBefore;
      if (!swapped) throw error;
      await this.waitReady();
      return op();
    }
  }
}

/**
 * The factory plus rotation: resolves the token (REDIS_AUTH_TOKEN_SECRET_ARN through `readSecret`,
 * unless REDIS_PASSWORD / REDIS_AUTH_TOKEN is set), creates the client and watches it.
 */
export async function createRotatingRedisClient(
  env: NodeJS.ProcessEnv,
  options: { readSecret?: SecretReader; overrides?: RedisClientOverrides; refresher?: AuthRefresherOptions } = {},
): Promise<{ client: RedisClient; auth: RedisAuthRefresher }> {
  const provider = tokenProviderFor(env, options.readSecret);
  const direct = PASSWORD_VARS.some((name) => env[name]?.trim());
  const resolved: NodeJS.ProcessEnv = { ...env };
  if (!direct && env[AUTH_TOKEN_SECRET_ARN_VAR]?.trim() && options.readSecret) {
    const token = await provider();
    if (token) resolved.REDIS_AUTH_TOKEN = token;
  }
  const client = createRedisClient(resolved, options.overrides);
  return { client, auth: new RedisAuthRefresher(client, provider, options.refresher) };
}
