// Pure parsing of the Redis connection settings every runtime part reads from its environment.
// No network and no logging here: the only side effect is the (injectable) file-existence check.
//
// Variable names come from the seeds: ElastiCache migration runbook (REDIS_HOST, REDIS_PORT,
// REDIS_TLS_ENABLED, REDIS_AUTH_TOKEN) and the Redis production guides (REDIS_URL, REDIS_DB,
// REDIS_USERNAME, REDIS_PASSWORD, REDIS_SSL, REDIS_SSL_CA_CERTS, REDIS_SSL_CERTFILE,
// REDIS_SSL_KEYFILE, REDIS_SSL_CERT_REQS, REDIS_SSL_CHECK_HOSTNAME), plus REDIS_TLS_* spellings.

import * as fs from "node:fs";
import * as net from "node:net";

export interface RedisTlsConfig {
  /** PEM bundle to trust instead of Node's default roots. @default - Node's roots (+ NODE_EXTRA_CA_CERTS) */
  readonly caFile?: string;
  /** Client certificate for mutual TLS; always paired with keyFile. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /**
   * Name sent as SNI and checked against the certificate. Needed when the client reaches
   * ElastiCache through a Route53 CNAME: the certificate names the real endpoint.
   * @default - the host, when it is a DNS name; the IP SANs when the host is an IP
   */
  readonly servername?: string;
  /** Certificate verification. Only an explicit "false" turns it off, and that produces a warning. */
  readonly rejectUnauthorized: boolean;
}

export interface RedisConnectionConfig {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  /** ACL user. @default - the "default" user */
  readonly username?: string;
  /** Password or ElastiCache AUTH token. A secret: never log it or put it in a message. */
  readonly password?: string;
  /** @default - plaintext (a warning is raised when a password would travel in clear) */
  readonly tls?: RedisTlsConfig;
  /** REDIS_CLUSTER=true: the host is a cluster configuration endpoint / startup node. */
  readonly cluster: boolean;
}

export type RedisConfigResult =
  | { readonly ok: true; readonly config: RedisConnectionConfig; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Every problem found in the environment, listed at once. The message never holds a secret. */
export class RedisConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      `Invalid Redis configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "RedisConfigError";
    this.problems = problems;
  }
}

export const DEFAULT_REDIS_HOST = "localhost";
export const DEFAULT_REDIS_PORT = 6379;

/** The variables a deployment sets for the connection (RateLimiterPipeline sets these four). */
export const REDIS_ENV = {
  host: "REDIS_HOST",
  port: "REDIS_PORT",
  tls: "REDIS_TLS_ENABLED",
  servername: "REDIS_TLS_SERVERNAME",
} as const;

/** Synonyms accepted for each setting; all that are set must agree. */
const TLS_FLAG_VARS = [REDIS_ENV.tls, "REDIS_TLS", "REDIS_SSL"] as const;
export const PASSWORD_VARS = ["REDIS_PASSWORD", "REDIS_AUTH_TOKEN"] as const;
const CA_VARS = ["REDIS_TLS_CA_FILE", "REDIS_SSL_CA_CERTS"] as const;
const CERT_VARS = ["REDIS_TLS_CERT_FILE", "REDIS_SSL_CERTFILE"] as const;
const KEY_VARS = ["REDIS_TLS_KEY_FILE", "REDIS_SSL_KEYFILE"] as const;

// Seed 004's `secrets/.env`; npm run redis:dev writes an environment with them.
/** The environment variable spellings of the legacy `.env` file, for tools that write an environment. */
export const SEED_ENV_NAMES = {
  host: "REDIS_HOST",
  port: "REDIS_PORT",
  username: "REDIS_USERNAME",
  password: PASSWORD_VARS[0],
  tls: TLS_FLAG_VARS[2],
  caFile: CA_VARS[1],
  certFile: CERT_VARS[1],
  keyFile: KEY_VARS[1],
} as const;

export interface ParseOptions {
  /** Injected so the parser stays testable without touching the disk. @default fs.existsSync */
  fileExists?: (path: string) => boolean;
}

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

const TRUE_WORDS = new Set(["true", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off"]);

function parseBool(name: string, raw: string, problems: string[]): boolean | undefined {
  const word = raw.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  problems.push(`${name} must be true or false, got "${raw}"`);
  return undefined;
}

function parseInteger(name: string, raw: string, min: number, max: number, problems: string[]): number | undefined {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return undefined;
  }
  return Number(raw);
}

/** Value of the first synonym set, after checking that every synonym set agrees. */
function agreeing(
  env: NodeJS.ProcessEnv,
  names: readonly string[],
  problems: string[],
  secret = false,
): { name: string; value: string } | undefined {
  const set = names.flatMap((name) => {
    const value = read(env, name);
    return value === undefined ? [] : [{ name, value }];
  });
  const first = set[0];
  if (first === undefined) return undefined;
  const disagreeing = set.filter((s) => s.value !== first.value);
  if (disagreeing.length > 0) {
    const shown = secret
      ? set.map((s) => s.name).join(" and ")
      : set.map((s) => `${s.name}="${s.value}"`).join(" and ");
    problems.push(`${shown} disagree${secret ? " (values not shown)" : ""}: set only one`);
  }
  return first;
}

interface UrlParts {
  tls: boolean;
  host?: string;
  port?: number;
  db?: number;
  username?: string;
  password?: string;
}

function parseUrl(raw: string, problems: string[]): UrlParts | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The raw value may hold the password: never echo it.
    problems.push("REDIS_URL is not a valid URL (expected redis://[user:password@]host[:port][/db] or rediss://...)");
    return undefined;
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    problems.push(`REDIS_URL must start with redis:// or rediss://, got ${url.protocol}//`);
    return undefined;
  }
  const parts: UrlParts = { tls: url.protocol === "rediss:" };
  // WHATWG URL keeps IPv6 brackets in hostname; sockets want them off.
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host !== "") parts.host = host;
  if (url.port !== "") parts.port = Number(url.port);
  try {
    if (url.username !== "") parts.username = decodeURIComponent(url.username);
    if (url.password !== "") parts.password = decodeURIComponent(url.password);
  } catch {
    problems.push("REDIS_URL has a badly percent-encoded user or password");
  }
  const path = url.pathname.replace(/^\//, "");
  if (path !== "") parts.db = parseInteger("REDIS_URL database (path)", path, 0, 1_000_000, problems);
  return parts;
}

/**
 * Reads the Redis settings from `env`. Returns every problem at once instead of throwing, so a
 * caller can print them all; {@link redisConfigFromEnv} is the throwing form.
 */
export function parseRedisConfig(env: NodeJS.ProcessEnv, options: ParseOptions = {}): RedisConfigResult {
  const fileExists = options.fileExists ?? fs.existsSync;
  const problems: string[] = [];
  const warnings: string[] = [];

  const rawUrl = read(env, "REDIS_URL");
  const url = rawUrl === undefined ? undefined : parseUrl(rawUrl, problems);

  // Discrete variables, then cross-checked with the URL: a deploy that sets both and lets one
  // silently win is how a service ends up talking to the old, unencrypted cluster.
  const rawHost = read(env, REDIS_ENV.host);
  const rawPort = read(env, REDIS_ENV.port);
  const port = rawPort === undefined ? undefined : parseInteger("REDIS_PORT", rawPort, 1, 65535, problems);
  const rawDb = read(env, "REDIS_DB");
  const db = rawDb === undefined ? undefined : parseInteger("REDIS_DB", rawDb, 0, 1_000_000, problems);
  const username = read(env, "REDIS_USERNAME");
  const password = agreeing(env, PASSWORD_VARS, problems, true);

  if (url) {
    const clash = (name: string, fromEnv: string | number | undefined, fromUrl: string | number | undefined) => {
      if (fromEnv !== undefined && fromUrl !== undefined && fromEnv !== fromUrl) {
        problems.push(`REDIS_URL and ${name} disagree (${fromUrl} vs ${fromEnv}): set only one`);
      }
    };
    clash("REDIS_HOST", rawHost?.toLowerCase(), url.host?.toLowerCase());
    clash("REDIS_PORT", port, url.port ?? (rawPort === undefined ? undefined : DEFAULT_REDIS_PORT));
    clash("REDIS_DB", db, url.db ?? (rawDb === undefined ? undefined : 0));
    clash("REDIS_USERNAME", username, url.username);
    if (password !== undefined && url.password !== undefined && password.value !== url.password) {
      problems.push(`REDIS_URL and ${password.name} hold different passwords (values not shown): set only one`);
    }
  }

  const tlsFlag = agreeing(env, TLS_FLAG_VARS, problems);
  let tlsFromFlag: boolean | undefined;
  if (tlsFlag !== undefined) tlsFromFlag = parseBool(tlsFlag.name, tlsFlag.value, problems);
  if (url !== undefined && tlsFromFlag !== undefined && tlsFromFlag !== url.tls) {
    problems.push(
      url.tls
        ? `REDIS_URL uses rediss:// (TLS) but ${tlsFlag?.name}=${tlsFlag?.value}: remove ${tlsFlag?.name} or fix the URL`
        : `REDIS_URL uses redis:// (plaintext) but ${tlsFlag?.name}=${tlsFlag?.value}: use rediss:// for TLS`,
    );
  }
  const tlsOn = url?.tls ?? tlsFromFlag ?? false;

  const ca = agreeing(env, CA_VARS, problems);
  const cert = agreeing(env, CERT_VARS, problems);
  const key = agreeing(env, KEY_VARS, problems);
  const servername = read(env, REDIS_ENV.servername);
  for (const file of [ca, cert, key]) {
    if (file !== undefined && !fileExists(file.value))
      problems.push(`${file.name} points to a missing file: ${file.value}`);
  }
  if (cert !== undefined && key === undefined)
    problems.push(`${cert.name} is set without ${KEY_VARS[0]}: mTLS needs both`);
  if (key !== undefined && cert === undefined)
    problems.push(`${key.name} is set without ${CERT_VARS[0]}: mTLS needs both`);

  let rejectUnauthorized = true;
  const rawReject = read(env, "REDIS_TLS_REJECT_UNAUTHORIZED");
  if (rawReject !== undefined) {
    // Only the literal word turns verification off: "0", "no" or a typo must not.
    if (rawReject === "false") rejectUnauthorized = false;
    else if (rawReject !== "true") {
      problems.push(`REDIS_TLS_REJECT_UNAUTHORIZED must be exactly "true" or "false", got "${rawReject}"`);
    }
  }
  const certReqs = read(env, "REDIS_SSL_CERT_REQS");
  if (certReqs !== undefined) {
    const mode = certReqs.toLowerCase();
    if (mode === "none") {
      if (rawReject === "true")
        problems.push('REDIS_SSL_CERT_REQS=none contradicts REDIS_TLS_REJECT_UNAUTHORIZED="true"');
      rejectUnauthorized = false;
    } else if (mode !== "required") {
      problems.push(
        `REDIS_SSL_CERT_REQS must be "required" or "none" (Node has no "optional" mode), got "${certReqs}"`,
      );
    }
  }
  const checkHostname = read(env, "REDIS_SSL_CHECK_HOSTNAME");
  if (checkHostname !== undefined && parseBool("REDIS_SSL_CHECK_HOSTNAME", checkHostname, problems) === false) {
    // The classic reason is a CNAME in front of ElastiCache; the fix is the servername, not a blind client.
    problems.push(
      "REDIS_SSL_CHECK_HOSTNAME=false is not supported: set REDIS_TLS_SERVERNAME to the name in the server certificate",
    );
  }

  if (!tlsOn) {
    const tlsOnly = [
      ca?.name,
      cert?.name,
      key?.name,
      servername === undefined ? undefined : "REDIS_TLS_SERVERNAME",
      rawReject === undefined ? undefined : "REDIS_TLS_REJECT_UNAUTHORIZED",
      certReqs === undefined ? undefined : "REDIS_SSL_CERT_REQS",
    ].filter((n): n is string => n !== undefined);
    if (tlsOnly.length > 0) {
      problems.push(
        `${tlsOnly.join(", ")} set but TLS is off: use rediss:// or REDIS_TLS_ENABLED=true (or remove ${tlsOnly.length === 1 ? "it" : "them"})`,
      );
    }
  }

  const cluster = read(env, "REDIS_CLUSTER");
  const clusterOn = cluster === undefined ? false : parseBool("REDIS_CLUSTER", cluster, problems) === true;
  const finalDb = url?.db ?? db ?? 0;
  if (clusterOn && finalDb !== 0) problems.push(`Redis Cluster only has database 0, got database ${finalDb}`);

  const finalPassword = url?.password ?? password?.value;
  const finalUsername = url?.username ?? username;
  if (finalUsername !== undefined && finalPassword === undefined) {
    problems.push("REDIS_USERNAME is set without a password (REDIS_PASSWORD or REDIS_AUTH_TOKEN)");
  }

  if (problems.length > 0) return { ok: false, problems };

  const host = url?.host ?? rawHost ?? DEFAULT_REDIS_HOST;
  if (tlsOn && !rejectUnauthorized) {
    warnings.push(
      `TLS certificate verification is OFF for ${host}: anyone on the path can impersonate Redis and read the AUTH token`,
    );
  }
  if (!tlsOn && finalPassword !== undefined && host !== "localhost" && host !== "127.0.0.1" && host !== "::1") {
    warnings.push(
      `the Redis password is sent in plaintext to ${host}: enable TLS (rediss:// or REDIS_TLS_ENABLED=true)`,
    );
  }

  let tls: RedisTlsConfig | undefined;
  if (tlsOn) {
    tls = {
      rejectUnauthorized,
      ...(ca ? { caFile: ca.value } : {}),
      ...(cert ? { certFile: cert.value } : {}),
      ...(key ? { keyFile: key.value } : {}),
      ...(servername !== undefined ? { servername } : {}),
    };
  }

  const config: RedisConnectionConfig = {
    host,
    port: url?.port ?? port ?? DEFAULT_REDIS_PORT,
    db: finalDb,
    cluster: clusterOn,
    ...(finalUsername !== undefined ? { username: finalUsername } : {}),
    ...(finalPassword !== undefined ? { password: finalPassword } : {}),
    ...(tls ? { tls } : {}),
  };
  return { ok: true, config, warnings };
}

/** Throwing form of {@link parseRedisConfig}: a {@link RedisConfigError} lists every problem. */
export function redisConfigFromEnv(
  env: NodeJS.ProcessEnv,
  options: ParseOptions & { warn?: (message: string) => void } = {},
): RedisConnectionConfig {
  const result = parseRedisConfig(env, options);
  if (!result.ok) throw new RedisConfigError(result.problems);
  // A disabled verification must never be silent, so warnings go to stderr unless redirected.
  const warn = options.warn ?? ((message: string) => console.warn(`[redis] ${message}`));
  for (const warning of result.warnings) warn(warning);
  return result.config;
}

/** "redis(s)://user@host:port/db" without the password, for logs and messages. */
export function describeEndpoint(config: RedisConnectionConfig): string {
  const scheme = config.tls ? "rediss" : "redis";
  const auth = config.password !== undefined ? `${config.username ?? ""}:***@` : "";
  const host = net.isIPv6(config.host) ? `[${config.host}]` : config.host;
  const db = config.db !== 0 ? `/${config.db}` : "";
  return `${scheme}://${auth}${host}:${config.port}${db}${config.cluster ? " (cluster)" : ""}`;
}

/** Replaces every occurrence of the secret in `text`, for messages built from third-party errors. */
export function redactSecret(text: string, secret: string | undefined): string {
  if (secret === undefined || secret === "") return text;
  let out = text.split(secret).join("***");
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) out = out.split(encoded).join("***");
  return out;
}
