import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Baseline } from "./context";

// Posture: the account-level S3 public access block, Security Hub with the FSBP standard, and the
// AWS Config recorder FSBP's controls need (created only when the account records nothing).

/** FSBP's standard ARN in `region` (aws-gotchas: "Budgets, anomaly detection, security services"). */
export function fsbpStandardArn(region: string): string {
  return `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`;
}

/**
 * Trust policy of a role only `service` may assume, for this account (confused-deputy guard). Only
 * for a service that sends aws:SourceAccount when it assumes the role: AWS Config does ("Permissions
 * for the IAM Role Assigned to AWS Config", docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html,
 * trust policy with `AWS:SourceAccount`). CloudTrail's CloudWatch Logs role does not: see
 * cloudTrailLogsTrustPolicy (trail.ts).
 */
export function serviceTrustPolicy(service: string, accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });
}

/**
 * Account-wide backstop: no bucket of this account can be made public, whatever its own settings.
 * `previousName` is its root-level logical name before it moved into AccountBaseline: an alias, so
 * the move is no create-then-delete (deleting the old resource would remove the account's block).
 */
export function createAccountPublicAccessBlock({ name, parent, s }: Baseline): aws.s3.AccountPublicAccessBlock {
  return new aws.s3.AccountPublicAccessBlock(
    `${name}-s3-public-access-block`,
    { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    {
      parent,
      aliases: s.previousPublicAccessBlockName
        ? [{ name: s.previousPublicAccessBlockName, parent: pulumi.rootStackResource }]
        : [],
    },
  );
}

/** Security Hub: default standards off, FSBP subscribed explicitly (both would conflict). Returns FSBP's ARN. */
export function createSecurityHub({ name, parent, region }: Baseline): pulumi.Output<string> {
  const hub = new aws.securityhub.Account(
    `${name}-securityhub`,
    { enableDefaultStandards: false, controlFindingGenerator: "SECURITY_CONTROL", autoEnableControls: true },
    { parent },
  );
  const standardArn = region.apply(fsbpStandardArn);
  new aws.securityhub.StandardsSubscription(
    `${name}-fsbp`,
    { standardsArn: standardArn },
    { parent, dependsOn: [hub] },
  );
  return standardArn;
}

/** The Config recorder and its role (AWS_ConfigRole); the role's delivery rights are delivery's. */
export interface ConfigRecorder {
  readonly role: aws.iam.Role;
  readonly recorder: aws.cfg.Recorder;
}

/** The recorder's role and the recorder (all supported types, global ones included). */
export function createConfigRecorder({ name, parent, s, accountId }: Baseline): ConfigRecorder {
  const opts = { parent };
  const role = new aws.iam.Role(
    `${name}-config-role`,
    {
      name: `${s.namePrefix}-config-recorder`,
      assumeRolePolicy: accountId.apply((account) => serviceTrustPolicy("config.amazonaws.com", account)),
      tags: s.tags,
    },
    opts,
  );
  new aws.iam.RolePolicyAttachment(
    `${name}-config-role-policy`,
    { role: role.name, policyArn: "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole" },
    opts,
  );
  const recorder = new aws.cfg.Recorder(
    `${name}-config-recorder`,
    {
      name: `${s.namePrefix}-config-recorder`,
      roleArn: role.arn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
    },
    opts,
  );
  return { role, recorder };
}
