// Command-line parsing for `npm run redis:verify`. Pure: argv and env in, options or problems out.

import { callerPath, formatOptions, parseCommandLine } from "../cli/options";

export interface VerifyOptions {
  source: string;
  target: string;
  sourceCa?: string;
  targetCa?: string;
  sourceServername?: string;
  targetServername?: string;
  /** SCAN COUNT and pipeline size. */
  batch: number;
  /** Batches in flight at once: hides round trips without holding the keyspace in memory. */
  parallel: number;
  match: string;
  json: boolean;
  strict: boolean;
  quiet: boolean;
}

export type ParsedArgs =
  | { kind: "help" }
  | { kind: "run"; options: VerifyOptions }
  | { kind: "error"; problems: string[] };

/** The command line, one entry per flag: add a flag here and it is parsed and listed in --help. */
export const verifyOptions = {
  source: {
    type: "string",
    placeholder: "URL",
    help: "redis://[user:password@]host:port[/db] or rediss://...\n(or env REDIS_VERIFY_SOURCE, which keeps the token out of `ps`)",
  },
  target: { type: "string", placeholder: "URL", help: "same, for the target (or env REDIS_VERIFY_TARGET)" },
  ca: {
    type: "string",
    placeholder: "FILE",
    help: "CA bundle for every rediss:// URL (NODE_EXTRA_CA_CERTS works too)",
  },
  "source-ca": { type: "string", placeholder: "FILE", help: "CA bundle for the source only" },
  "target-ca": { type: "string", placeholder: "FILE", help: "CA bundle for the target only" },
  servername: {
    type: "string",
    placeholder: "NAME",
    help: "TLS name to verify, e.g. the ElastiCache endpoint behind a CNAME",
  },
  "source-servername": { type: "string", placeholder: "NAME", help: "TLS name for the source only" },
  "target-servername": { type: "string", placeholder: "NAME", help: "TLS name for the target only" },
  batch: { type: "string", placeholder: "N", help: "keys per SCAN/pipeline batch (default 1000, 1..100000)" },
  parallel: { type: "string", placeholder: "N", help: "batches in flight (default 4, 1..64)" },
  match: { type: "string", placeholder: "PATTERN", help: "only keys matching this SCAN pattern (default *)" },
  json: { type: "boolean", help: "print one JSON object instead of text" },
  strict: { type: "boolean", help: "also fail when the target has extra keys" },
  quiet: { type: "boolean", help: "no progress on stderr" },
  help: { type: "boolean", short: "h", help: "this help" },
} as const;

export const USAGE = `Usage: npm run redis:verify -- --source URL --target URL [options]

Compares every key of the source with the target (after a snapshot/restore): existence, type,
TTL presence and a canonical content digest, then looks for keys only the target has.
Standalone servers or primary endpoints (cluster mode disabled); a cluster node is refused.

${formatOptions(verifyOptions)}

Relative paths are resolved against the directory the command was run from.
Exit status: 0 nothing missing or different; 1 keys missing or different (or extra, with
--strict); 2 bad arguments or connection failure.
`;

function integer(flag: string, raw: string, min: number, max: number, problems: string[]): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${flag} must be an integer from ${min} to ${max}, got "${raw}"`);
    return min;
  }
  return Number(raw);
}

function isRedisUrl(raw: string): { ok: boolean; tls: boolean } {
  try {
    const url = new URL(raw);
    return { ok: url.protocol === "redis:" || url.protocol === "rediss:", tls: url.protocol === "rediss:" };
  } catch {
    return { ok: false, tls: false };
  }
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ParsedArgs {
  const parsed = parseCommandLine(argv, verifyOptions);
  if (parsed.values.help) return { kind: "help" };
  const problems = [...parsed.problems];
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(parsed.values))
    if (typeof value === "string") values.set(`--${name}`, value);
  const flag = (name: "json" | "strict" | "quiet") => parsed.values[name] === true;

  const source = values.get("--source") ?? env["REDIS_VERIFY_SOURCE"];
  const target = values.get("--target") ?? env["REDIS_VERIFY_TARGET"];
  if (source === undefined || source === "") problems.push("--source is required (or REDIS_VERIFY_SOURCE)");
  if (target === undefined || target === "") problems.push("--target is required (or REDIS_VERIFY_TARGET)");
  const sourceUrl = source ? isRedisUrl(source) : undefined;
  const targetUrl = target ? isRedisUrl(target) : undefined;
  if (sourceUrl && !sourceUrl.ok) problems.push("--source is not a redis:// or rediss:// URL");
  if (targetUrl && !targetUrl.ok) problems.push("--target is not a redis:// or rediss:// URL");

  const ca = values.get("--ca");
  const servername = values.get("--servername");
  const side = (which: "source" | "target", url: { ok: boolean; tls: boolean } | undefined) => {
    const ownCa = values.get(`--${which}-ca`);
    const ownName = values.get(`--${which}-servername`);
    if (url?.ok && !url.tls) {
      if (ownCa !== undefined) problems.push(`--${which}-ca is set but the ${which} URL is redis:// (no TLS)`);
      if (ownName !== undefined)
        problems.push(`--${which}-servername is set but the ${which} URL is redis:// (no TLS)`);
      return {};
    }
    const file = ownCa ?? ca;
    return { ca: file === undefined ? undefined : callerPath(file, env), servername: ownName ?? servername };
  };
  const sourceTls = side("source", sourceUrl);
  const targetTls = side("target", targetUrl);
  const anyTls = sourceUrl?.tls === true || targetUrl?.tls === true;
  if (!anyTls && sourceUrl?.ok && targetUrl?.ok) {
    if (ca !== undefined) problems.push("--ca is set but neither URL is rediss://");
    if (servername !== undefined) problems.push("--servername is set but neither URL is rediss://");
  }

  const batchRaw = values.get("--batch");
  const batch = batchRaw === undefined ? 1000 : integer("--batch", batchRaw, 1, 100000, problems);
  const parallelRaw = values.get("--parallel");
  const parallel = parallelRaw === undefined ? 4 : integer("--parallel", parallelRaw, 1, 64, problems);
  const match = values.get("--match") ?? "*";
  if (match === "") problems.push("--match needs a non-empty pattern");

  if (problems.length > 0) return { kind: "error", problems };
  return {
    kind: "run",
    options: {
      source: source as string,
      target: target as string,
      ...(sourceTls.ca !== undefined ? { sourceCa: sourceTls.ca } : {}),
      ...(targetTls.ca !== undefined ? { targetCa: targetTls.ca } : {}),
      ...(sourceTls.servername !== undefined ? { sourceServername: sourceTls.servername } : {}),
      ...(targetTls.servername !== undefined ? { targetServername: targetTls.servername } : {}),
      batch,
      parallel,
      match,
      json: flag("json"),
      strict: flag("strict"),
      quiet: flag("quiet"),
    },
  };
}

/** The environment the shared client factory expects, for one side. */
export function clientEnv(url: string, ca?: string, servername?: string): NodeJS.ProcessEnv {
  return {
    REDIS_URL: url,
    ...(ca !== undefined ? { REDIS_TLS_CA_FILE: ca } : {}),
    ...(servername !== undefined ? { REDIS_TLS_SERVERNAME: servername } : {}),
  };
}
