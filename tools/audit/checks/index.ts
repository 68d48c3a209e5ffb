import type { AccountFacts } from "../facts";
import { cloudtrailChecks } from "./cloudtrail";
import { ecsChecks } from "./ecs";
import { elasticacheChecks } from "./elasticache";
import { elasticacheServerlessChecks } from "./elasticache-serverless";
import { guarddutyChecks } from "./guardduty";
import { logsChecks } from "./logs";
import { rdsChecks } from "./rds";
import { s3Checks } from "./s3";
import { securityhubChecks } from "./securityhub";
import type { AuditCheck, Result } from "./types";

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
export function judge(facts: AccountFacts, checks: readonly AuditCheck[] = CHECKS): Result[] {
  return checks.flatMap((c) => c.run(facts));
}
