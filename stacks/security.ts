import type * as pulumi from "@pulumi/pulumi";
import { AccountBaseline, type AlertTopics, type HardenedBucket } from "../components";
import type { StackConfig } from "./config";

/**
 * The account baseline (seed 002 Day 4, seed 003 §3, §4.1, §10.1): created only by the stack that
 * owns the account (`huntaze:manageAccountBaseline`); other stacks get no outputs from it.
 */
export function buildSecurity(
  config: StackConfig,
  alerts: AlertTopics,
  accessLogs: HardenedBucket,
): Record<string, pulumi.Output<unknown>> {
  if (!config.manageAccountBaseline) return {};
  const s = config.security;
  const baseline = new AccountBaseline("account-baseline", {
    namePrefix: `huntaze-${config.environment}`,
    securityTopicArn: alerts.security.arn,
    // It lived at the root of the program before: the alias keeps it in place.
    previousPublicAccessBlockName: "account-public-access-block",
    createConfigRecorder: s.createConfigRecorder,
    guardDutyMinSeverity: s.guardDutyMinSeverity,
    securityHubLabels: s.securityHubLabels,
    ...(s.trailName !== undefined ? { trailName: s.trailName } : {}),
    trailLogRetentionDays: s.trailLogRetentionDays,
    trailLogExpirationDays: config.auditLogs.expirationDays,
    trailBucketAccessLogging: { targetBucket: accessLogs.bucketName, targetPrefix: "cloudtrail/" },
    gatewayEndpoints: { vpcId: config.network.vpcId, routeTableIds: s.privateRouteTableIds },
    tags: config.tags,
  });
  return {
    guardDutyDetectorId: baseline.detectorId,
    cloudTrailArn: baseline.trailArn,
    cloudTrailBucketName: baseline.trailBucketName,
    cloudTrailLogGroupName: baseline.trailLogGroupName,
    securityHubStandardArn: baseline.securityHubStandardArn,
    vpcEndpointIds: baseline.vpcEndpointIds,
  };
}
