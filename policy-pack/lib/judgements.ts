// Judgements shared by the policy pack (planned resources) and `npm run audit` (the live account).
// Each takes plain values, performs no I/O and says what is wrong in words both callers can print.
// The callers differ only in where the values come from: Pulumi inputs (camelCase) or AWS API
// responses (PascalCase). A question asked in both places is answered here, once.

/** ElastiCache in-transit encryption: `required` is the only mode that refuses plaintext clients. */
export type TransitVerdict =
  | { readonly kind: "ok" }
  | { readonly kind: "off"; readonly message: string }
  | { readonly kind: "preferred"; readonly message: string };

export function elasticacheTransit(enabled: unknown, mode: unknown): TransitVerdict {
  if (enabled !== true) return { kind: "off", message: "in-transit encryption (TLS) is off" };
  if (mode === "preferred")
    return {
      kind: "preferred",
      message: 'transitEncryptionMode is "preferred": clients may still connect without TLS; move to "required"',
    };
  return { kind: "ok" };
}

/** ElastiCache at rest: a problem message, or undefined when encryption is on. */
export function elasticacheAtRestProblem(enabled: unknown): string | undefined {
  return enabled === true
    ? undefined
    : "at-rest encryption is off; it can only be set at creation, so migrate through a snapshot restore";
}

/** Whether a KMS key reference names a customer-managed key (not absent, not an `alias/aws/...` key). */
export function isCustomerKey(key: unknown): boolean {
  return typeof key === "string" && key !== "" && !key.startsWith("alias/aws/") && !key.includes(":alias/aws/");
}

/** ElastiCache authentication: AUTH token or RBAC user groups, and TLS for the credential to travel on. */
export function elasticacheAuthProblem(hasAuth: boolean, tls: unknown): string | undefined {
  if (!hasAuth) return "no AUTH token and no RBAC user group: any client that reaches the port can run commands";
  if (tls !== true)
    return "authentication is configured but TLS is off: the credential would cross the network in clear text";
  return undefined;
}

/** The four settings of an S3 public access block, in AWS's API names (Pulumi's are the camelCase forms). */
export const PUBLIC_ACCESS_BLOCK_SETTINGS = [
  "BlockPublicAcls",
  "IgnorePublicAcls",
  "BlockPublicPolicy",
  "RestrictPublicBuckets",
] as const;
export type PublicAccessBlockSetting = (typeof PUBLIC_ACCESS_BLOCK_SETTINGS)[number];

const camel = (s: string) => s[0]!.toLowerCase() + s.slice(1);

/**
 * The settings of a public access block that are not exactly true. `block` may use either API
 * (`BlockPublicAcls`) or Pulumi (`blockPublicAcls`) names; an absent block has all four missing.
 */
export function publicAccessBlockGaps(block: Record<string, unknown> | undefined): PublicAccessBlockSetting[] {
  return PUBLIC_ACCESS_BLOCK_SETTINGS.filter((s) => block?.[s] !== true && block?.[camel(s)] !== true);
}

/** A trail that counts as the account's audit trail: multi-region and logging. */
export function trailCoverageProblem(trail: { multiRegion: unknown; logging: unknown }): string | undefined {
  if (trail.multiRegion !== true) return "the trail is single-region: API calls in other regions are not recorded";
  if (trail.logging === false) return "the trail is not logging (StopLogging was called or enableLogging is false)";
  return undefined;
}

export function logFileValidationProblem(enabled: unknown): string | undefined {
  return enabled === true ? undefined : "log file validation is off: tampered or deleted log files go unnoticed";
}

/** GuardDuty protection features this project expects on (DetectorFeature / GetDetector names). */
export const GUARDDUTY_REQUIRED_FEATURES = [
  "S3_DATA_EVENTS",
  "EBS_MALWARE_PROTECTION",
  "RDS_LOGIN_EVENTS",
  "LAMBDA_NETWORK_LOGS",
  "RUNTIME_MONITORING",
] as const;

/** Required features that are reported DISABLED (a feature the detector does not list is not judged). */
export function disabledGuardDutyFeatures(
  features: readonly { name: string; status: string }[],
  required: readonly string[] = GUARDDUTY_REQUIRED_FEATURES,
): string[] {
  const wanted = new Set(required);
  return features.filter((f) => wanted.has(f.name) && f.status === "DISABLED").map((f) => f.name);
}

/** The parameter that makes an RDS engine refuse unencrypted connections, with its accepted values. */
export function tlsParameter(engine: string): { name: string; values: string[] } | undefined {
  const e = engine.toLowerCase();
  if (e.includes("postgres") || e.startsWith("sqlserver")) return { name: "rds.force_ssl", values: ["1"] };
  if (e.includes("mysql") || e.includes("mariadb")) return { name: "require_secure_transport", values: ["1", "on"] };
  if (e.includes("db2")) return { name: "db2comm", values: ["ssl"] };
  return undefined;
}

/** Whether a parameter value (as a string, any case) turns TLS enforcement on. */
export function enforcesTls(parameter: { values: string[] }, value: unknown): boolean {
  return value !== undefined && value !== null && parameter.values.includes(String(value).toLowerCase());
}

/** RDS for PostgreSQL turned rds.force_ssl on by default in major version 15. */
export const POSTGRES_FORCE_SSL_DEFAULT_MAJOR = 15;

/**
 * Whether rds.force_ssl is in effect on an RDS for PostgreSQL instance: the group's explicit value
 * when it has one, otherwise the engine default for that major version. Aurora is not covered by the
 * version rule (its cluster parameter group carries the value): pass `engineDefault: false` there.
 */
export function postgresForceSslEffective(
  value: string | undefined,
  engineVersion: string | undefined,
  engineDefault = true,
): boolean {
  if (value !== undefined && value !== "") return enforcesTls({ values: ["1"] }, value);
  const major = Number.parseInt(engineVersion ?? "", 10);
  return engineDefault && Number.isFinite(major) && major >= POSTGRES_FORCE_SSL_DEFAULT_MAJOR;
}

/** Log group retention: 0/absent means events never expire. */
export function logRetentionProblem(days: unknown, minimumDays: number): string | undefined {
  if (typeof days !== "number" || days === 0)
    return "retention is not set: events never expire (and are billed forever)";
  if (days < minimumDays) return `retention is ${days} days; keep at least ${minimumDays} days`;
  return undefined;
}

/** Environment variable names that carry AWS credentials into a container. */
export const AWS_CREDENTIAL_ENV_NAMES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "ECS_ENGINE_AUTH_DATA",
] as const;

const credentialNames = new Set<string>(AWS_CREDENTIAL_ENV_NAMES);

/**
 * Names of environment entries that hold AWS credentials (by name, or an access key id as value).
 * Returns names only: the values are credentials and must never be printed.
 */
export function credentialEnvironmentNames(environment: readonly { name?: unknown; value?: unknown }[]): string[] {
  return environment
    .filter((e) => {
      const name = String(e?.name ?? "");
      const value = typeof e?.value === "string" ? e.value : "";
      return credentialNames.has(name.toUpperCase()) || /^(AKIA|ASIA)[A-Z0-9]{16}$/.test(value);
    })
    .map((e) => String(e?.name));
}

/** ECS: the task role (what the app may do) must be separate from the execution role (what the agent may do). */
export function taskRoleProblem(taskRoleArn: unknown, executionRoleArn: unknown): string | undefined {
  if (typeof taskRoleArn !== "string" || taskRoleArn === "")
    return "the task definition has no task role (taskRoleArn): the app cannot use scoped AWS permissions";
  if (taskRoleArn === executionRoleArn)
    return "the task role is the execution role: the app can read every secret and image the ECS agent can";
  return undefined;
}

// Literal secrets in an environment (Lambda variables, ECS container `environment` entries). A
// heuristic on names and values: a secret-like name holding a value that is not a reference.
const SECRET_NAME = /(pass(word|wd)?|pwd|secret|token|api_?key|private_?key|access_?key|credential|auth)/i;
const REFERENCE_NAME =
  /(_arn|_id|_name|_path|_param(eter)?|_url|_uri|_endpoint|_host|_port|_mode|_enabled|_ttl|_region|_file|_version|_header|_type)$/i;
const REFERENCE_VALUE = /^(arn:|\{\{resolve:|ssm:|secretsmanager:|\/)/;

/** Whether a variable name looks like it holds a secret (and does not name a reference to one: `_ARN`, `_NAME`...). */
export function secretLikeName(name: string): boolean {
  return SECRET_NAME.test(name) && !REFERENCE_NAME.test(name);
}

/** Why a literal env var looks like a secret, or undefined. Never returns or logs the value. */
export function secretLooking(name: string, value: unknown): string | undefined {
  if (typeof value !== "string" || value.length === 0) return undefined;
  if (/^(AKIA|ASIA)[A-Z0-9]{16}$/.test(value)) return "an AWS access key id";
  if (value.includes("-----BEGIN") && value.includes("PRIVATE KEY")) return "a private key";
  if (/^aws_secret_access_key$/i.test(name)) return "an AWS secret access key";
  if (!secretLikeName(name)) return undefined;
  if (REFERENCE_VALUE.test(value) || value.length < 8 || /^(true|false|\d+)$/i.test(value)) return undefined;
  return "a literal secret-looking value";
}

/**
 * The setting of both literal-secret rules (Lambda variables, ECS container environments): names
 * never reported, for known non-secrets with secret-like names. One schema, read with
 * `allowedVariables(config)`.
 */
export const allowedVariablesSchema = {
  properties: {
    allowedVariables: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: "Environment variable names never reported (known non-secrets with secret-like names).",
    },
  },
} as const;

/** The names `allowedVariablesSchema` exempts, from a rule's config. */
export const allowedVariables = (config: Record<string, unknown>): ReadonlySet<string> =>
  new Set((Array.isArray(config.allowedVariables) ? config.allowedVariables : []).map(String));

/**
 * Entries of an ECS container's `environment` ({ name, value }, as both the container definitions
 * JSON and DescribeTaskDefinition spell them) that hold a literal secret, except the `allowed`
 * names. Returns names and reasons only: the values are secrets and must never be printed.
 */
export function literalSecretEnvironment(
  environment: readonly { name?: unknown; value?: unknown }[],
  allowed: ReadonlySet<string> = new Set(),
): { name: string; why: string }[] {
  return environment.flatMap((e) => {
    const name = String(e?.name ?? "");
    if (allowed.has(name)) return [];
    const why = secretLooking(name, e?.value);
    return why ? [{ name, why }] : [];
  });
}

/**
 * Whether an anomaly monitor is the account's AWS-services monitor (DIMENSIONAL on SERVICE, the
 * only dimension AWS offers): an account holds one. CUSTOM monitors watch a chosen slice, any number.
 */
export function isServicesAnomalyMonitor(inputs: { monitorType?: unknown }): boolean {
  return inputs.monitorType === "DIMENSIONAL";
}
