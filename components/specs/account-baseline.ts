import * as v from "valibot";
import { DEFAULT_LOG_RETENTION_DAYS, LOG_RETENTION_DAYS } from "../log-retention";
import { args, flag, input, list, nonEmpty, number, oneOf, present, stringMap, text } from "../spec";
import { name, snsTopicArn, vpcId } from "./formats";
import { accessLoggingSpec, lifecycleDays } from "./hardened-bucket";

// AccountBaseline's args as data; the stack's `huntaze:security` section reads the same fields.

/**
 * A trail name CloudTrail accepts (CreateTrail, "Name", AWS CloudTrail API Reference: ASCII letters,
 * digits, periods, underscores and dashes; starts and ends with a letter or digit; 3–128 characters;
 * no two of . _ - adjacent; not in IP address format).
 */
export const TRAIL_NAME_PATTERN = /^(?!\d+\.\d+\.\d+\.\d+$)(?!.*[._-]{2})[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/;
export const trailName = () =>
  text(
    TRAIL_NAME_PATTERN,
    "a trail name (3–128 letters, digits, . _ or -; starting and ending with a letter or digit; no two of . _ - adjacent; not an IP address)",
  );

/**
 * A route table id: `rtb-` and 8 (older) or 17 hexadecimal characters ("Resource IDs", Amazon EC2
 * User Guide: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html).
 */
export const ROUTE_TABLE_ID = /^rtb-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const routeTableId = () => text(ROUTE_TABLE_ID, "a route table id (rtb- and 8 or 17 hex digits)");

/**
 * The severity labels of Security Hub findings (ASFF `Severity.Label`: "Severity", AWS Security Hub
 * User Guide, AWS Security Finding Format).
 */
export const SECURITY_HUB_LABELS = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;

/**
 * GuardDuty's numeric finding severity runs from 1.0 (low) to 10.0 (critical) ("Severity levels of
 * GuardDuty findings", Amazon GuardDuty User Guide); 7 is where "high" begins.
 */
export const guardDutySeverity = () => number({ min: 1, max: 10 });

/**
 * The trail's log group keeps audit logs: one of the periods CloudWatch Logs accepts
 * (LOG_RETENTION_DAYS, PutRetentionPolicy) and at least the audit minimum (90 days, seed 003 §4.1).
 */
const AUDIT_RETENTION_DAYS = LOG_RETENTION_DAYS.filter((d) => d >= DEFAULT_LOG_RETENTION_DAYS.audit);
export const auditLogRetentionDays = () =>
  present<number>(
    `one of ${AUDIT_RETENTION_DAYS.join(", ")} (days CloudWatch Logs accepts, ≥ 90 for audit logs)`,
    (x) => (AUDIT_RETENTION_DAYS as readonly unknown[]).includes(x),
  );

/** GuardDuty runtime monitoring: which agents GuardDuty manages. */
export const runtimeMonitoringSpec = args({
  eksAddon: v.optional(flag(), false),
  ec2Agent: v.optional(flag(), false),
  ecsFargateAgent: v.optional(flag(), true),
});

/** The S3 and DynamoDB gateway endpoints: none while `routeTableIds` is empty. */
export const gatewayEndpointsSpec = args({
  vpcId: vpcId(),
  routeTableIds: v.optional(list(routeTableId()), []),
});

export const accountBaselineFields = {
  namePrefix: name(),
  securityTopicArn: input(snsTopicArn()),
  createConfigRecorder: v.optional(flag(), false),
  guardDutyMinSeverity: v.optional(guardDutySeverity(), 7),
  securityHubLabels: v.optional(list(oneOf(SECURITY_HUB_LABELS), { minItems: 1 }), ["HIGH", "CRITICAL"]),
  trailName: v.optional(trailName()),
  trailLogRetentionDays: v.optional(auditLogRetentionDays(), DEFAULT_LOG_RETENTION_DAYS.audit),
  trailLogExpirationDays: v.optional(lifecycleDays(), 365),
  trailBucketAccessLogging: v.optional(accessLoggingSpec),
  runtimeMonitoring: v.optional(runtimeMonitoringSpec, { eksAddon: false, ec2Agent: false, ecsFargateAgent: true }),
  previousPublicAccessBlockName: v.optional(nonEmpty()),
  gatewayEndpoints: v.optional(gatewayEndpointsSpec),
  tags: v.optional(stringMap()),
};

/** AccountBaseline's args (no cross-field rule: each concern reads its own fields). */
export const AccountBaselineSpec = args(accountBaselineFields);
