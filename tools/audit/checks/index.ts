import type { AccountFacts, Unreadable } from "../facts";
import { cloudtrailChecks, covering } from "./cloudtrail";
import { ecsChecks } from "./ecs";
import { elasticacheChecks } from "./elasticache";
import { elasticacheServerlessChecks } from "./elasticache-serverless";
import { guarddutyChecks } from "./guardduty";
import { logsChecks } from "./logs";
import { rdsChecks } from "./rds";
import { s3Checks } from "./s3";
import { securityhubChecks } from "./securityhub";
import { type AuditCheck, type AuditSettings, DEFAULT_SETTINGS, type Result } from "./types";

export const CHECKS: readonly AuditCheck[] = [
  ...elasticacheChecks,
  ...elasticacheServerlessChecks,
  ...rdsChecks,
  ...s3Checks,
  ...cloudtrailChecks,
  ...guarddutyChecks,
  ...securityhubChecks,
  ...ecsChecks,
  ...logsChecks,
];

/** Runs every check over the facts. */
export function judge(
  facts: AccountFacts,
  checks: readonly AuditCheck[] = CHECKS,
  settings: AuditSettings = DEFAULT_SETTINGS,
): Result[] {
  return checks.flatMap((c) => c.run(facts, settings));
}

/**
 * What could not be read and still blocks a verdict. A trail's unreadable status or selectors block
 * nothing once another trail is known to cover the account (multi-region, logging, recording read
 * and write management events): the question they would answer is settled.
 */
export function stillUnreadable(facts: AccountFacts): Unreadable[] {
  const covered = covering(facts.trails ?? []).length > 0;
  return facts.unreadable.filter((u) => !(u.unlessAnotherTrailCovers && covered));
}
