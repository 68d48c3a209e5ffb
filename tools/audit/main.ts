// `npm run audit`: collect the account's facts, judge them, print, exit with the verdict.
// Everything with side effects is injectable so tests run this in-process on a mocked account.

import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { type AuditOptions, parseArgs, USAGE } from "./args";
import { judge, stillUnreadable } from "./checks";
import {
  type AuditClients,
  type Credentials,
  collectAccount,
  type Identity,
  MAX_ATTEMPTS,
  sdkClients,
} from "./collect";
import { classify, reasonOf } from "./errors";
import { type AuditReport, EXIT_NOT_EVALUATED, EXIT_USAGE, exitCodeFor, formatJson, formatText } from "./report";

export interface AuditDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The SDK clients to read with (tests pass mocked ones). @default real clients with the resolved credentials */
  readonly clients?: (credentials: Credentials) => AuditClients;
}

/**
 * The default credential chain (or one profile). Without the metadata service's short timeout, a
 * laptop with no credentials would wait on 169.254.169.254 before saying so.
 */
function credentialsFor(options: AuditOptions): Credentials {
  if (options.profile) return fromIni({ profile: options.profile });
  return fromNodeProviderChain({ timeout: 1000, maxRetries: 0 });
}

function notEvaluated(
  deps: AuditDeps,
  options: AuditOptions,
  what: string,
  error: unknown,
  regions: string[] = [],
): number {
  const report: AuditReport = {
    regions: regions.length ? regions : [...options.regions],
    results: [],
    unreadable: [{ checks: ["*"], region: regions[0] ?? "global", what, reason: reasonOf(error) }],
  };
  const hint: Record<string, string> = {
    credentials:
      "credentials are missing or invalid: set AWS_PROFILE (or --profile), or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where a role is available (CI OIDC, ECS, EC2)",
    region: "the region is missing: pass --region us-east-1, or set AWS_REGION",
  };
  const kind = classify(error);
  deps.stderr(`audit: nothing was evaluated: ${hint[kind] ?? reasonOf(error)}\n`);
  deps.stdout(options.json ? formatJson(report, options.failOn) : formatText(report, { failOn: options.failOn }));
  return EXIT_NOT_EVALUATED;
}

async function regionsOf(options: AuditOptions, env: NodeJS.ProcessEnv): Promise<string[]> {
  if (options.regions.length) return [...options.regions];
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (fromEnv) return [fromEnv];
  // The profile's `region` in ~/.aws/config, read the way every SDK client reads it.
  const region = await new STSClient({ profile: options.profile }).config.region();
  return [region];
}

async function identify(credentials: Credentials, region: string, profile?: string): Promise<Identity> {
  const sts = new STSClient({ region, credentials, profile, retryMode: "standard", maxAttempts: MAX_ATTEMPTS });
  const out = await sts.send(new GetCallerIdentityCommand({}));
  return { accountId: out.Account ?? "(unknown)", partition: out.Arn?.split(":")[1] || "aws" };
}

export async function runAudit(argv: readonly string[], deps: AuditDeps): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === "help") {
    deps.stdout(USAGE);
    return 0;
  }
  if (parsed.kind === "error") {
    deps.stderr(`audit: ${parsed.problems.join("\n  ")}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const options = parsed.options;

  let regions: string[];
  try {
    regions = await regionsOf(options, deps.env);
  } catch (error) {
    return notEvaluated(deps, options, "the region to audit", error);
  }
  const credentials = credentialsFor(options);
  let identity: Identity;
  try {
    identity = await identify(credentials, regions[0]!, options.profile);
  } catch (error) {
    return notEvaluated(deps, options, "the caller's identity (sts:GetCallerIdentity)", error, regions);
  }

  deps.stderr(`[audit] reading account ${identity.accountId} in ${regions.join(", ")}...\n`);
  const clients = (deps.clients ?? sdkClients)(credentials);
  const facts = await collectAccount(clients, identity, regions);
  const report: AuditReport = {
    accountId: identity.accountId,
    regions,
    results: judge(facts, undefined, { minLogRetentionDays: options.minLogRetentionDays }),
    unreadable: stillUnreadable(facts),
  };
  deps.stdout(
    options.json
      ? formatJson(report, options.failOn)
      : formatText(report, { all: options.all, failOn: options.failOn }),
  );
  return exitCodeFor(report, options.failOn);
}
