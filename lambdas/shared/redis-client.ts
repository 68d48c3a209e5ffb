// The one ioredis factory every runtime part in lambdas/ uses. Settings come from the environment
// (see redis-config.ts for every variable); this file only turns them into ioredis options and
// turns ioredis failures into messages an operator can act on, never carrying the secret.

import * as fs from "node:fs";
import * as net from "node:net";
import type { ConnectionOptions } from "node:tls";
import Redis, { Cluster, type ClusterOptions, type RedisOptions } from "ioredis";
import {
  describeEndpoint,
  type ParseOptions,
  type RedisConnectionConfig,
  redactSecret,
  redisConfigFromEnv,
} from "./redis-config";

export type RedisClient = Redis | Cluster;

export interface RedisClientOverrides extends ParseOptions {
  /** Merged over the computed options; `tls` is merged field by field (e.g. to add a `lookup` in tests). */
  redisOptions?: RedisOptions;
  /** Cluster-level options (REDIS_CLUSTER=true only); `redisOptions` above applies to every node. */
  clusterOptions?: Omit<ClusterOptions, "redisOptions">;
  /** Where configuration warnings go. @default console.warn */
  warn?: (message: string) => void;
  /** Reads the PEM files named by the config. @default fs.readFileSync */
  readFile?: (path: string) => Buffer;
}

/**
 * Timing choices, tuned for Lambda (a 30 s budget, cold starts inside a VPC):
 * - connectTimeout 5 s: TCP + TLS handshake + AUTH to ElastiCache takes tens of ms; 5 s is a dead
 *   endpoint or a security group, and ioredis' 10 s default would eat a third of the invocation.
 * - maxRetriesPerRequest 2: a command waits through at most two reconnects and then fails, so
 *   callers reach their "store unavailable" path quickly instead of after ioredis' 20 retries.
 * - enableOfflineQueue true: commands issued during the cold-start connect are queued rather than
 *   rejected; maxRetriesPerRequest bounds how long they can sit there.
 * - retryStrategy: exponential from 100 ms, capped at 2 s, so a failover (about 30 s on
 *   ElastiCache) does not turn into a reconnect storm.
 * - protocol 2 (RESP2): the reply shapes this code reads. ioredis 6 defaults to RESP3, where even
 *   its "legacy" mapping nests some replies (ZRANGE WITHSCORES becomes [member, score] pairs).
 */
export const CLIENT_DEFAULTS = {
  protocol: 2,
  connectTimeout: 5000,
  maxRetriesPerRequest: 2,
  enableOfflineQueue: true,
  retryStrategy: (times: number): number => Math.min(100 * 2 ** Math.max(0, times - 1), 2000),
} as const;

/** TLS options for ioredis / tls.connect. PEM files are read here, once, at client creation. */
export function buildTlsOptions(
  config: RedisConnectionConfig,
  readFile: (path: string) => Buffer = fs.readFileSync,
  forCluster = false,
): ConnectionOptions | undefined {
  const tls = config.tls;
  if (!tls) return undefined;
  const options: ConnectionOptions = { rejectUnauthorized: tls.rejectUnauthorized, minVersion: "TLSv1.2" };
  if (tls.caFile !== undefined) options.ca = readFile(tls.caFile);
  if (tls.certFile !== undefined) options.cert = readFile(tls.certFile);
  if (tls.keyFile !== undefined) options.key = readFile(tls.keyFile);
  if (tls.servername !== undefined) {
    options.servername = tls.servername;
  } else if (!forCluster && net.isIP(config.host) === 0) {
    // Seed 000's advice, made explicit: SNI and the identity check use the configured name. In a
    // cluster every node has its own name, so Node's per-connection default is left alone.
    options.servername = config.host;
  }
  return options;
}

/** ioredis options for one node (standalone client, or every node of a cluster). */
export function buildRedisOptions(
  config: RedisConnectionConfig,
  readFile: (path: string) => Buffer = fs.readFileSync,
): RedisOptions {
  const tls = buildTlsOptions(config, readFile, config.cluster);
  return {
    ...CLIENT_DEFAULTS,
    ...(config.cluster ? {} : { host: config.host, port: config.port, db: config.db }),
    ...(config.username !== undefined ? { username: config.username } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    ...(tls ? { tls } : {}),
  };
}

function mergeOptions(base: RedisOptions, extra: RedisOptions | undefined): RedisOptions {
  if (!extra) return base;
  const merged: RedisOptions = { ...base, ...extra };
  if (base.tls && extra.tls) merged.tls = { ...base.tls, ...extra.tls };
  return merged;
}

/** Builds the client from an already parsed config. */
export function createRedisClientFromConfig(
  config: RedisConnectionConfig,
  overrides: RedisClientOverrides = {},
): RedisClient {
  const nodeOptions = mergeOptions(buildRedisOptions(config, overrides.readFile), overrides.redisOptions);
  if (!config.cluster) return new Redis(nodeOptions);

  // Cluster manages reconnects and the offline queue itself and rejects them at node level.
  const redisOptions: RedisOptions = { ...nodeOptions };
  delete redisOptions.retryStrategy;
  delete redisOptions.enableOfflineQueue;
  return new Cluster([{ host: config.host, port: config.port }], {
    redisOptions,
    enableOfflineQueue: nodeOptions.enableOfflineQueue,
    // AWS's advice for TLS clusters: keep hostnames as given, so every node's certificate is
    // checked against the name it was reached by, not an IP the certificate does not list.
    dnsLookup: (address, callback) => callback(null, address),
    slotsRefreshTimeout: 3000,
    clusterRetryStrategy: (times) => Math.min(100 * 2 ** Math.max(0, times - 1), 2000),
    ...overrides.clusterOptions,
  });
}

/**
 * The factory: parses `env` (throwing a RedisConfigError that lists every problem) and returns an
 * ioredis `Redis`, or a `Cluster` when REDIS_CLUSTER=true. Connects in the background unless
 * `overrides.redisOptions.lazyConnect` is set; use {@link connectRedis} to fail fast instead.
 */
export function createRedisClient(
  env: NodeJS.ProcessEnv = process.env,
  overrides: RedisClientOverrides = {},
): RedisClient {
  const config = redisConfigFromEnv(env, overrides);
  return createRedisClientFromConfig(config, overrides);
}

export type RedisFailureReason =
  | "auth"
  | "permission"
  | "tls-certificate"
  | "tls-hostname"
  | "tls-client-certificate"
  | "tls-protocol"
  | "refused"
  | "reset"
  | "timeout"
  | "dns"
  | "unavailable"
  | "unknown";

/** A connection or command failure, explained; `message` never contains the password. */
export class RedisConnectionError extends Error {
  readonly reason: RedisFailureReason;
  constructor(reason: RedisFailureReason, message: string, cause: unknown) {
    super(message, { cause });
    this.name = "RedisConnectionError";
    this.reason = reason;
  }
}

const UNTRUSTED_CERT_CODES = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "INVALID_CA",
]);

interface ErrorLike {
  message: string;
  code?: string;
  lastNodeError?: unknown;
}

function asErrorLike(error: unknown): ErrorLike {
  if (error instanceof Error) return error as ErrorLike;
  return { message: String(error) };
}

/**
 * Names the cause of an ioredis failure (wrong password, untrusted certificate, refused port...)
 * with what to change. The password is scrubbed from everything, including third-party text.
 */
export function explainRedisError(
  error: unknown,
  config: RedisConnectionConfig,
): { reason: RedisFailureReason; message: string } {
  let err = asErrorLike(error);
  // Cluster failures wrap the node's own error.
  while (err.lastNodeError !== undefined && err.lastNodeError !== null) err = asErrorLike(err.lastNodeError);
  const endpoint = describeEndpoint(config);
  const user = config.username ?? "default";
  const code = err.code ?? "";
  const text = err.message;
  const tlsName = config.tls?.servername ?? config.host;

  const explained = ((): { reason: RedisFailureReason; message: string } => {
    if (text.startsWith("WRONGPASS")) {
      return {
        reason: "auth",
        message: `authentication failed for user "${user}" at ${endpoint}: wrong password/AUTH token, or the user is disabled (WRONGPASS)`,
      };
    }
    if (text.startsWith("NOAUTH")) {
      return {
        reason: "auth",
        message:
          config.password === undefined
            ? `authentication failed for user "${user}" at ${endpoint}: the server requires a password and none is configured (NOAUTH); set REDIS_PASSWORD or REDIS_AUTH_TOKEN`
            : `authentication failed for user "${user}" at ${endpoint}: the server did not accept the AUTH (NOAUTH)`,
      };
    }
    if (text.startsWith("NOPERM")) {
      return { reason: "permission", message: `user "${user}" is not allowed to do this at ${endpoint}: ${text}` };
    }
    if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
      return {
        reason: "tls-hostname",
        message: `TLS certificate of ${endpoint} does not cover "${tlsName}" (${code}: ${text}); behind a CNAME, set REDIS_TLS_SERVERNAME to a name in the certificate (verification stays on)`,
      };
    }
    if (UNTRUSTED_CERT_CODES.has(code)) {
      return {
        reason: "tls-certificate",
        message: `TLS certificate of ${endpoint} is not trusted (${code}: ${text}); set REDIS_TLS_CA_FILE or NODE_EXTRA_CA_CERTS to the CA that signed it`,
      };
    }
    if (code === "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED" || /certificate required/i.test(text)) {
      return {
        reason: "tls-client-certificate",
        message: `${endpoint} requires a client certificate (mutual TLS): set REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE`,
      };
    }
    if (code.startsWith("ERR_SSL_") || /wrong version number|packet length too long/i.test(text)) {
      return {
        reason: "tls-protocol",
        message: `TLS handshake with ${endpoint} failed (${code || text}): does the port speak TLS? ElastiCache without transit encryption needs redis://`,
      };
    }
    if (code === "ECONNREFUSED") {
      return {
        reason: "refused",
        message: `connection refused by ${endpoint} (ECONNREFUSED): nothing listens on that host and port`,
      };
    }
    if (code === "ECONNRESET" || code === "EPIPE" || text === "Connection is closed.") {
      const hint = !config.tls
        ? "if the server only accepts TLS (transit encryption required), use rediss:// or REDIS_TLS_ENABLED=true"
        : config.tls.certFile === undefined
          ? "the server may require a client certificate (REDIS_TLS_CERT_FILE + REDIS_TLS_KEY_FILE)"
          : "the server may not trust the client certificate, or may not speak TLS on this port";
      return { reason: "reset", message: `${endpoint} closed the connection (${code || "closed"}): ${hint}` };
    }
    if (code === "ETIMEDOUT" || /timed? ?out/i.test(text)) {
      return {
        reason: "timeout",
        message: `connecting to ${endpoint} timed out: check security groups, routing and the port`,
      };
    }
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
      return { reason: "dns", message: `cannot resolve ${config.host} (${code}) for ${endpoint}` };
    }
    if (/max retries per request|Failed to refresh slots cache|None of startup nodes/i.test(text)) {
      return { reason: "unavailable", message: `Redis at ${endpoint} is unavailable: ${text}` };
    }
    return { reason: "unknown", message: `Redis error at ${endpoint}: ${code ? `${code} ` : ""}${text}` };
  })();
  return { reason: explained.reason, message: redactSecret(explained.message, config.password) };
}

/** Wraps any error from ioredis into a {@link RedisConnectionError} with an explained message. */
export function toRedisConnectionError(error: unknown, config: RedisConnectionConfig): RedisConnectionError {
  if (error instanceof RedisConnectionError) return error;
  const { reason, message } = explainRedisError(error, config);
  return new RedisConnectionError(reason, message, error);
}

/**
 * Creates the client, connects and PINGs; on failure the client is closed and the first
 * underlying error is thrown, explained (ioredis itself only rejects with "Connection is closed").
 */
export async function connectRedis(
  env: NodeJS.ProcessEnv = process.env,
  overrides: RedisClientOverrides = {},
): Promise<RedisClient> {
  const config = redisConfigFromEnv(env, overrides);
  return connectRedisWithConfig(config, overrides);
}

export async function connectRedisWithConfig(
  config: RedisConnectionConfig,
  overrides: RedisClientOverrides = {},
): Promise<RedisClient> {
  const client = createRedisClientFromConfig(config, {
    ...overrides,
    redisOptions: { ...overrides.redisOptions, lazyConnect: true },
    clusterOptions: { ...overrides.clusterOptions, lazyConnect: true },
  });
  let firstError: unknown;
  const remember = (error: unknown) => {
    firstError ??= error;
  };
  client.on("error", remember);
  client.on("node error", remember);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    // The first emitted error (WRONGPASS, a certificate code...) says more than the rejection,
    // which is "Connection is closed." or a cluster-level wrapper.
    throw toRedisConnectionError(firstError ?? error, config);
  } finally {
    client.off("error", remember);
    client.off("node error", remember);
  }
  return client;
}
