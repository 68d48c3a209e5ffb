import { parseArgs as parseNodeArgs } from "node:util";
import { DEFAULT_SETTINGS } from "./checks/types";
import type { FailOn } from "./report";

/** CloudWatch Logs' longest retention: PutRetentionPolicy's retentionInDays goes up to 3653 (@aws-sdk/client-cloudwatch-logs model). */
export const MAX_LOG_RETENTION_DAYS = 3653;

export const USAGE = `Usage: npm run audit -- [--region REGION]... [--profile NAME] [--json] [--fail-on critical|warning] [--all]
                     [--min-log-retention-days DAYS]

Audits the live AWS account (read-only) and judges it with the same rules as the policy pack:
ElastiCache encryption/TLS/AUTH/RBAC users, RDS rds.force_ssl and require_secure_transport
(Aurora and Multi-AZ DB clusters: the cluster group), S3 public access blocks and TLS-only bucket
policies, a logging multi-region CloudTrail trail, log file validation and KMS on every trail,
GuardDuty and its features, Security Hub FSBP, ECS task roles and keys in task definitions, log
group retention (CloudWatch.16).

Options:
  --region REGION   a region to audit; repeat it (or separate by commas) for several
                    (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region)
  --profile NAME    a profile of ~/.aws/config (default: AWS_PROFILE, then the default credential chain)
  --json            print OCSF-style findings as JSON instead of the table
  --fail-on LEVEL   critical: only critical findings fail; warning (default): warnings exit 2
  --all             also list the checks that passed
  --min-log-retention-days DAYS
                    CloudWatch.16's minimum retention, 1 to ${MAX_LOG_RETENTION_DAYS}
                    (default: ${DEFAULT_SETTINGS.minLogRetentionDays}; a group that never expires passes)
  --help            this text

Exit codes: 0 every check passed; 1 a critical finding; 2 warnings only; 3 something could not be
evaluated (missing credentials or region, AccessDenied, throttled after retries); 4 bad arguments.
Runbook: docs/runbooks/security-audit.md
`;

export interface AuditOptions {
  readonly regions: readonly string[];
  readonly profile?: string;
  readonly json: boolean;
  readonly failOn: FailOn;
  readonly all: boolean;
  readonly minLogRetentionDays: number;
}

export type Parsed = { kind: "help" } | { kind: "error"; problems: string[] } | { kind: "ok"; options: AuditOptions };

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const PROFILE = /^[\w.+@-]{1,128}$/;

export function parseArgs(argv: readonly string[]): Parsed {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseNodeArgs({
      args: [...argv],
      options: {
        region: { type: "string", multiple: true },
        profile: { type: "string" },
        json: { type: "boolean", default: false },
        "fail-on": { type: "string", default: "warning" },
        all: { type: "boolean", default: false },
        "min-log-retention-days": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: "error", problems: [error instanceof Error ? error.message : String(error)] };
  }
  if (values.help) return { kind: "help" };
  const problems: string[] = [];
  const regions = ((values.region as string[] | undefined) ?? []).flatMap((r) => r.split(",")).map((r) => r.trim());
  for (const r of regions)
    if (!REGION.test(r)) problems.push(`--region must be an AWS region name such as us-east-1, got "${r}"`);
  const profile = values.profile as string | undefined;
  if (profile !== undefined && !PROFILE.test(profile))
    problems.push(`--profile must be a profile name (letters, digits, . _ + @ -), got "${profile}"`);
  const failOn = values["fail-on"] as string;
  if (failOn !== "critical" && failOn !== "warning")
    problems.push(`--fail-on must be critical or warning, got "${failOn}"`);
  const minDays = values["min-log-retention-days"] as string | undefined;
  const minLogRetentionDays = minDays === undefined ? DEFAULT_SETTINGS.minLogRetentionDays : Number(minDays);
  if (!/^\d+$/.test(minDays ?? "1") || minLogRetentionDays < 1 || minLogRetentionDays > MAX_LOG_RETENTION_DAYS)
    problems.push(
      `--min-log-retention-days must be a whole number of days from 1 to ${MAX_LOG_RETENTION_DAYS}, got "${minDays}"`,
    );
  if (problems.length) return { kind: "error", problems };
  return {
    kind: "ok",
    options: {
      regions: [...new Set(regions)],
      profile,
      json: values.json === true,
      failOn: failOn as FailOn,
      all: values.all === true,
      minLogRetentionDays,
    },
  };
}
