import * as pulumi from "@pulumi/pulumi";
import * as v from "valibot";
import {
  accountId as accountIdField,
  alertTopicsFields,
  costTrackingFields,
  expirationAfterTiering,
  hardenedBucketFields,
  list,
  oneOf,
  securityGroupId,
  showGiven,
  strictObject,
  subnetId,
  subscribedEmails,
  vpcId,
} from "../components/specs";
import { isConfigSecret } from "../lib/pulumi-internals";
import { type AdoptionConfig, readAdoptionConfig } from "./config-adoption";
import { type FinOpsConfig, readFinOpsConfig } from "./config-finops";
import { type ObservabilityConfig, readObservabilityConfig } from "./config-observability";
import { type RateLimiterConfig, readRateLimiterConfig } from "./config-rate-limiter";
import { type RedisStackConfig, readRedisConfig } from "./config-redis";
import { readSecurityConfig, type SecurityConfig } from "./config-security";
import { awsRegions, type ConfigProblem, ConfigReader, ConfigValidationError } from "./validation";

// The one place stack configuration is read and validated. Components never read config: the
// stack program turns this typed object into plain component args.

export const CONFIG_NAMESPACE = "huntaze";
export const environments = ["staging", "production"] as const;

export interface AlertsConfig {
  readonly opsEmails: string[];
  readonly securityEmails: string[];
  readonly costEmails: string[];
  /**
   * The cost topic's physical name when it exists under another name than `<prefix>-cost-alerts`
   * (production's Terraform-made `huntaze-cost-alerts`, adopted). @default `<prefix>-cost-alerts`
   */
  readonly costTopicName?: string;
}

export interface NetworkConfig {
  readonly vpcId: string;
  /** Private subnets in at least two AZs (ElastiCache multi-AZ, Lambda in VPC). */
  readonly privateSubnetIds: string[];
  /** Security groups of the application tasks that may reach internal services. */
  readonly appSecurityGroupIds: string[];
}

/**
 * `huntaze:alerts`: AlertTopics' fields. Each list must name at least one address (the stack's rule:
 * its alerts must reach someone), which the component, open to other subscribers, does not require.
 */
export const AlertsSectionSpec = strictObject({
  opsEmails: subscribedEmails,
  securityEmails: subscribedEmails,
  costEmails: subscribedEmails,
  costTopicName: v.optional(alertTopicsFields.topicName),
});

/**
 * `huntaze:network`: the shared id formats (components/specs/formats.ts). The item counts are the
 * stack's: private subnets in two AZs (ElastiCache multi-AZ, Lambda in VPC), one app security group.
 */
export const NetworkSectionSpec = strictObject({
  vpcId: vpcId(),
  privateSubnetIds: list(subnetId(), { minItems: 2 }),
  appSecurityGroupIds: list(securityGroupId(), { minItems: 1 }),
});

/** The top-level keys that are a component's fields. */
export const topLevelFields = {
  accountId: accountIdField(),
  monthlyBudgetUsd: costTrackingFields.monthlyBudgetUsd,
};

/**
 * The audit-log bucket's lifecycle: this stack's choice (Intelligent-Tiering after 30 days, expiry
 * after a year), not a rule of the bucket: the ranges and the rule between the two are HardenedBucket's.
 */
const AUDIT_LOGS_LIFECYCLE = { intelligentTieringAfterDays: 30, expirationDays: 365 } as const;

/** `huntaze:auditLogs`: HardenedBucket's lifecycle fields and rule, with this stack's defaults. */
const auditLogsSection = strictObject({
  intelligentTieringAfterDays: v.optional(
    hardenedBucketFields.intelligentTieringAfterDays.wrapped,
    AUDIT_LOGS_LIFECYCLE.intelligentTieringAfterDays,
  ),
  expirationDays: v.optional(hardenedBucketFields.expirationDays.wrapped, AUDIT_LOGS_LIFECYCLE.expirationDays),
});
export const AuditLogsSectionSpec = v.optional(
  v.pipe(auditLogsSection, expirationAfterTiering<v.InferOutput<typeof auditLogsSection>>()),
  {},
);

export interface AuditLogsConfig {
  readonly intelligentTieringAfterDays: number;
  readonly expirationDays: number;
}

export interface StackConfig {
  readonly environment: (typeof environments)[number];
  readonly region: string;
  readonly accountId: string;
  readonly tags: Record<string, string>;
  readonly monthlyBudgetUsd: number;
  /**
   * Whether this stack owns the account-wide settings (the account-level S3 public access block).
   * Staging and production share one account: exactly one stack may own them.
   */
  readonly manageAccountBaseline: boolean;
  readonly alerts: AlertsConfig;
  readonly network: NetworkConfig;
  readonly auditLogs: AuditLogsConfig;
  readonly rateLimiter: RateLimiterConfig;
  readonly redis: RedisStackConfig;
  readonly security: SecurityConfig;
  readonly observability: ObservabilityConfig;
  readonly finops: FinOpsConfig;
  readonly adoption: AdoptionConfig;
}

/** Pulumi's runtime config map ("namespace:key" -> string; objects as JSON text) split into values. */
function namespaceValues(all: Record<string, string>, namespace: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [fullKey, raw] of Object.entries(all)) {
    if (!fullKey.startsWith(`${namespace}:`)) continue;
    const key = fullKey.slice(namespace.length + 1);
    const trimmed = raw.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        out[key] = JSON.parse(trimmed);
        continue;
      } catch {
        // Not JSON after all: validated as the plain string it is.
      }
    }
    out[key] = raw;
  }
  return out;
}

/**
 * Validates the whole stack configuration and returns it typed, or throws one
 * ConfigValidationError listing every problem (secrets never shown).
 */
export function parseStackConfig(all: Record<string, string>, secretKeys: Iterable<string> = []): StackConfig {
  const problems: ConfigProblem[] = [];
  const secrets = new Set(secretKeys);
  const region = all["aws:region"];
  if (region === undefined || !(awsRegions as readonly string[]).includes(region)) {
    problems.push({
      key: "aws:region",
      allowed: `one of ${awsRegions.join(", ")}`,
      got: showGiven(region, false),
    });
  }
  const c = new ConfigReader(namespaceValues(all, CONFIG_NAMESPACE), `${CONFIG_NAMESPACE}:`, problems, secrets);

  const environment = (c.spec("environment", oneOf(environments)) ?? "") as StackConfig["environment"];
  const accountId = c.spec("accountId", topLevelFields.accountId) ?? "";
  const monthlyBudgetUsd = c.spec("monthlyBudgetUsd", topLevelFields.monthlyBudgetUsd) ?? 0;
  const manageAccountBaseline = c.boolean("manageAccountBaseline", false);

  const tags = c.stringMap("tags");

  // Undefined only when a section has problems, which are thrown below: the casts are never reached.
  const alerts = c.spec("alerts", AlertsSectionSpec) as AlertsConfig;
  const network = c.spec("network", NetworkSectionSpec) as NetworkConfig;

  const auditLogs = c.spec("auditLogs", AuditLogsSectionSpec) as AuditLogsConfig;

  const rateLimiter = readRateLimiterConfig(c);
  const redis = readRedisConfig(c);
  const security = readSecurityConfig(c);
  const observability = readObservabilityConfig(c, environment);
  const finops = readFinOpsConfig(c, manageAccountBaseline);
  const adoption = readAdoptionConfig(c);

  c.rejectUnknownKeys();
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return {
    environment,
    region: region as string,
    accountId,
    tags: { Project: "huntaze", Environment: environment, ManagedBy: "pulumi", ...tags },
    monthlyBudgetUsd,
    manageAccountBaseline,
    alerts,
    network,
    auditLogs,
    rateLimiter,
    // Undefined only when the section is missing, which is a recorded problem: never reached.
    redis: redis as RedisStackConfig,
    security,
    observability,
    finops,
    adoption,
  };
}

/** Reads the running stack's configuration (as `pulumi up` or the offline engine set it). */
export function loadStackConfig(): StackConfig {
  const all = pulumi.runtime.allConfig();
  const secretKeys = Object.keys(all).filter((k) => isConfigSecret(k));
  return parseStackConfig(all, secretKeys);
}
