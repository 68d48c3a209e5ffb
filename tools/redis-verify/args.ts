// Command-line parsing for `npm run redis:verify`. Pure: argv and env in, options or problems out.

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

export const USAGE = `Usage: npm run redis:verify -- --source URL --target URL [options]

Compares every key of the source with the target (after a snapshot/restore): existence, type,
TTL presence and a canonical content digest, then looks for keys only the target has.
Standalone servers or primary endpoints (cluster mode disabled); a cluster node is refused.

  --source URL             redis://[user:password@]host:port[/db] or rediss://...
                           (or env REDIS_VERIFY_SOURCE, which keeps the token out of \`ps\`)
  --target URL             same, for the target (or env REDIS_VERIFY_TARGET)
  --ca FILE                CA bundle for every rediss:// URL (NODE_EXTRA_CA_CERTS works too)
  --source-ca FILE, --target-ca FILE            per side
  --servername NAME        TLS name to verify, e.g. the ElastiCache endpoint behind a CNAME
  --source-servername NAME, --target-servername NAME
  --batch N                keys per SCAN/pipeline batch (default 1000, 1..100000)
  --parallel N             batches in flight (default 4, 1..64)
  --match PATTERN          only keys matching this SCAN pattern (default *)
  --json                   print one JSON object instead of text
  --strict                 also fail when the target has extra keys
  --quiet                  no progress on stderr
  -h, --help

Exit status: 0 nothing missing or different; 1 keys missing or different (or extra, with
--strict); 2 bad arguments or connection failure.
`;

const VALUE_FLAGS = new Set([
  "--source",
  "--target",
  "--ca",
  "--source-ca",
  "--target-ca",
  "--servername",
  "--source-servername",
  "--target-servername",
  "--batch",
  "--parallel",
  "--match",
]);
const BOOLEAN_FLAGS = new Set(["--json", "--strict", "--quiet"]);

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
  const problems: string[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-h" || arg === "--help") return { kind: "help" };
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 && arg.startsWith("--") ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith("--"))) {
        problems.push(`${name} needs a value`);
        if (value !== undefined) i--;
        continue;
      }
      if (values.has(name)) problems.push(`${name} is given twice`);
      values.set(name, value);
    } else if (BOOLEAN_FLAGS.has(name)) {
      flags.add(name);
    } else {
      // May be a stray URL with a password in it: name it by position, not by value.
      problems.push(
        arg.startsWith("-")
          ? `unknown option ${name}`
          : `unexpected argument #${i + 1} (options take the form --name value)`,
      );
    }
  }

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
    return { ca: ownCa ?? ca, servername: ownName ?? servername };
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
      json: flags.has("--json"),
      strict: flags.has("--strict"),
      quiet: flags.has("--quiet"),
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
