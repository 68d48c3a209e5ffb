import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HardenedBucket } from "./hardened-bucket";
import { createComponentKey, type KeyScope, type PolicyStatement } from "./kms-key";
import { cloudWatchLogsKeyStatement } from "./policy-statements";

// The account's security baseline (seed 002 "Security Architecture", Day 4; seed 003 §3, §4.1,
// §10.1): GuardDuty, Security Hub FSBP (+ AWS Config when the account records nothing), a
// multi-region CloudTrail trail, EventBridge routing of high findings to the security topic, the
// account-level S3 public access block and the S3/DynamoDB gateway endpoints. Everything here is an
// account-wide singleton: exactly one stack of the account creates this component.

/** FSBP's standard ARN in `region` (aws-gotchas: "Budgets, anomaly detection, security services"). */
export function fsbpStandardArn(region: string): string {
  return `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`;
}

/** A trail's ARN, known from its name before it exists (bucket and key policies condition on it). */
/**
 * A trail name CloudTrail accepts (CreateTrail, "Name", AWS CloudTrail API Reference: ASCII letters,
 * digits, periods, underscores and dashes; starts and ends with a letter or digit; 3–128 characters;
 * no two of . _ - adjacent; not in IP address format).
 */
export const TRAIL_NAME_PATTERN = /^(?!\d+\.\d+\.\d+\.\d+$)(?!.*[._-]{2})[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/;

export function trailArn(scope: KeyScope, trailName: string): string {
  return `arn:aws:cloudtrail:${scope.region}:${scope.accountId}:trail/${trailName}`;
}

/**
 * The trail bucket's extra statements: only CloudTrail may read its ACL and write, and only for
 * this trail (aws:SourceArn), under `AWSLogs/<account>/`. With Config delivery, Config may do the
 * same under its own prefix for this account (aws:SourceAccount: Config sends it).
 */
export function trailBucketStatements(
  scope: KeyScope,
  bucketName: string,
  trailName: string,
  configDelivery: boolean,
): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${bucketName}`;
  const source = { "aws:SourceArn": trailArn(scope, trailName) };
  const statements: PolicyStatement[] = [
    {
      Sid: "CloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: { StringEquals: source },
    },
    {
      Sid: "CloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucketArn}/AWSLogs/${scope.accountId}/*`,
      Condition: { StringEquals: { ...source, "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
  ];
  if (configDelivery) {
    const account = { "aws:SourceAccount": scope.accountId };
    statements.push(
      {
        Sid: "ConfigAclCheck",
        Effect: "Allow",
        Principal: { Service: "config.amazonaws.com" },
        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
        Resource: bucketArn,
        Condition: { StringEquals: account },
      },
      {
        Sid: "ConfigWrite",
        Effect: "Allow",
        Principal: { Service: "config.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${bucketArn}/${CONFIG_PREFIX}/AWSLogs/${scope.accountId}/Config/*`,
        Condition: { StringEquals: { ...account, "s3:x-amz-acl": "bucket-owner-full-control" } },
      },
    );
  }
  return statements;
}

/** Where AWS Config delivers in the trail bucket. */
export const CONFIG_PREFIX = "config";

/**
 * The trail key's service statements: CloudTrail encrypts this trail's logs (aws:SourceArn and the
 * trail encryption context of this account), CloudWatch Logs encrypts the trail's log group (its
 * encryption context), and Config writes snapshots into the SSE-KMS bucket when it delivers there.
 */
export function trailKeyStatements(
  scope: KeyScope,
  trailName: string,
  logGroupName: string,
  configDelivery: boolean,
): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      Sid: "CloudTrailEncrypt",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": trailArn(scope, trailName) },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${scope.accountId}:trail/*` },
      },
    },
    {
      Sid: "CloudTrailDescribeKey",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trailArn(scope, trailName) } },
    },
    cloudWatchLogsKeyStatement("CloudWatchLogsEncrypt", scope, [logGroupName]),
    // The trail bucket uses an S3 Bucket Key (HardenedBucket): "If you are using an existing S3
    // bucket with an S3 Bucket Key, kms:Decrypt permissions are required to create or update a
    // trail with SSE-KMS encryption enabled" ("Configure AWS KMS key policies for CloudTrail",
    // docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
    // The page's decrypt grant ("Granting decrypt permissions for trails") names the account's
    // principals, for CloudTrail-encrypted objects only (the encryption context is present): the
    // deploy role that calls CreateTrail/UpdateTrail gets it through its IAM policy.
    {
      Sid: "CloudTrailLogDecrypt",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${scope.accountId}:root` },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { Null: { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } },
    },
  ];
  if (configDelivery)
    statements.push({
      Sid: "ConfigDelivery",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": scope.accountId } },
    });
  return statements;
}

/** The role CloudTrail assumes to deliver to CloudWatch Logs may only write to that one log group. */
export function trailLogsRolePolicy(logGroupArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TrailLogDelivery",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${logGroupArn}:log-stream:*`,
      },
    ],
  });
}

/**
 * Trust policy of a role only `service` may assume, for this account (confused-deputy guard). Only
 * for a service that sends aws:SourceAccount when it assumes the role: AWS Config does ("Permissions
 * for the IAM Role Assigned to AWS Config", docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html,
 * trust policy with `AWS:SourceAccount`). CloudTrail's CloudWatch Logs role does not: see
 * cloudTrailLogsTrustPolicy.
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
 * Policy of the S3 and DynamoDB gateway endpoints: only this account's principals may use them (an
 * identity perimeter). Without a policy AWS attaches the full-access default ("Control access to VPC
 * endpoints using endpoint policies", https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html),
 * so stolen credentials of any account could move data out through our network path. A gateway
 * endpoint's Principal must be "*"; the caller is named by a condition (same page, "Principals for
 * gateway endpoints"). aws:PrincipalAccount is the global condition key of the calling principal's
 * account ("AWS global condition context keys", IAM User Guide). ECR image layers come from an
 * AWS-owned bucket but are fetched with the task's own role, so they still pass; anonymous reads of
 * public buckets (e.g. OS package mirrors on S3) do not, which no workload here makes.
 */
export function gatewayEndpointPolicy(accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ThisAccountPrincipalsOnly",
        Effect: "Allow",
        Principal: "*",
        Action: "*",
        Resource: "*",
        Condition: { StringEquals: { "aws:PrincipalAccount": accountId } },
      },
    ],
  });
}

/**
 * Trust policy of the role CloudTrail assumes to deliver to CloudWatch Logs: no condition.
 * "Confused deputy prevention is not applicable to the role policy for CloudWatch Logs monitoring.
 * The role policy doesn't support the use of aws:SourceArn and aws:SourceAccount" ("Role policy
 * document for CloudTrail to use CloudWatch Logs for monitoring",
 * docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html):
 * a condition on them makes CreateTrail fail with InvalidCloudWatchLogsRoleArnException. The role's
 * own policy is what limits it (trailLogsRolePolicy: one log group).
 */
export function cloudTrailLogsTrustPolicy(): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });
}

/**
 * What the Config recorder's role needs to deliver to a bucket of its own account: AWS Config
 * "uses the IAM role you assigned to the configuration recorder to deliver configuration history
 * and snapshots to S3 buckets in your account"; the config.amazonaws.com principal is only tried
 * for a bucket of another account ("Permissions for the Amazon S3 Bucket for the AWS Config
 * Delivery Channel", docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html).
 * AWS_ConfigRole grants no s3:PutObject, so the role gets: PutObject under the delivery prefix with
 * the bucket-owner-full-control ACL and GetBucketAcl/ListBucket on the bucket ("Permissions for the
 * IAM Role Assigned to AWS Config": iamrole-permissions.html), and the data key of the bucket's SSE-KMS
 * key ("Permissions for the KMS Key for the AWS Config Delivery Channel":
 * docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html: kms:Decrypt,
 * kms:GenerateDataKey for the role). The key delegates to IAM (accountAdministration), so the
 * role's policy suffices.
 */
export function configDeliveryRolePolicy(bucketName: string, keyArn: string, accountId: string): string {
  const bucketArn = `arn:aws:s3:::${bucketName}`;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ConfigBucketCheck",
        Effect: "Allow",
        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
        Resource: bucketArn,
      },
      {
        Sid: "ConfigDeliveryWrite",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: `${bucketArn}/${CONFIG_PREFIX}/AWSLogs/${accountId}/Config/*`,
        Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
      },
      {
        Sid: "ConfigDeliveryKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: keyArn,
      },
    ],
  });
}

/** GuardDuty findings at or above `minSeverity` (numeric: 7 = high, 9 = critical). */
export function guardDutyFindingsPattern(minSeverity: number): Record<string, unknown> {
  return {
    source: ["aws.guardduty"],
    "detail-type": ["GuardDuty Finding"],
    detail: { severity: [{ numeric: [">=", minSeverity] }] },
  };
}

/** Security Hub findings labelled with one of `labels`, new and active (not suppressed, not archived). */
export function securityHubFindingsPattern(labels: readonly string[]): Record<string, unknown> {
  return {
    source: ["aws.securityhub"],
    "detail-type": ["Security Hub Findings - Imported"],
    detail: {
      findings: {
        Severity: { Label: [...labels] },
        Workflow: { Status: ["NEW"] },
        RecordState: ["ACTIVE"],
      },
    },
  };
}

export interface AccountBaselineArgs {
  /** Physical name prefix, with the environment (`huntaze-production`). */
  readonly namePrefix: string;
  /** The security alert topic; its KMS key must admit events.amazonaws.com (see AlertTopics). */
  readonly securityTopicArn: pulumi.Input<string>;
  /** Create the AWS Config recorder and delivery channel: only when the account has none (one per region). @default false */
  readonly createConfigRecorder?: boolean;
  /** GuardDuty findings at or above this severity go to the security topic. @default 7 */
  readonly guardDutyMinSeverity?: number;
  /** Security Hub severity labels sent to the security topic. @default ["HIGH", "CRITICAL"] */
  readonly securityHubLabels?: readonly string[];
  /**
   * The multi-region trail's name. Set it to the name of the trail the account already has (the
   * stack's inventory lists it) so that trail is adopted rather than a second one created beside it
   * (each trail is billed for every event it delivers beyond the first copy).
   * @default `${namePrefix}-trail`
   */
  readonly trailName?: string;
  /** Retention of the trail's CloudWatch log group (audit/security logs: 90 days). @default 90 */
  readonly trailLogRetentionDays?: number;
  /** Expire trail log objects after this many days. @default 365 */
  readonly trailLogExpirationDays?: number;
  /** Server access logging of the trail bucket. @default - off */
  readonly trailBucketAccessLogging?: { readonly targetBucket: pulumi.Input<string>; readonly targetPrefix?: string };
  /** Runtime monitoring agents GuardDuty manages. @default { eksAddon: false, ec2Agent: false, ecsFargateAgent: true } */
  readonly runtimeMonitoring?: {
    readonly eksAddon?: boolean;
    readonly ec2Agent?: boolean;
    readonly ecsFargateAgent?: boolean;
  };
  /**
   * The root-level logical name the account public access block had before it moved into this
   * component: an alias, so the move is no create-then-delete (deleting the old resource would
   * remove the account's block). @default - no alias
   */
  readonly previousPublicAccessBlockName?: string;
  /** Gateway endpoints for S3 and DynamoDB on these route tables. @default - no endpoints */
  readonly gatewayEndpoints?: { readonly vpcId: string; readonly routeTableIds: readonly string[] };
  readonly tags?: Record<string, string>;
}

const status = (on: boolean) => (on ? "ENABLED" : "DISABLED");

/**
 * Account-wide security services and guards. Children are named `${name}-<part>`; every physical
 * name starts with `namePrefix`.
 */
export class AccountBaseline extends pulumi.ComponentResource {
  readonly detectorId: pulumi.Output<string>;
  readonly trailArn: pulumi.Output<string>;
  readonly trailBucketName: pulumi.Output<string>;
  readonly trailLogGroupName: pulumi.Output<string>;
  readonly trailKeyArn: pulumi.Output<string>;
  readonly securityHubStandardArn: pulumi.Output<string>;
  readonly vpcEndpointIds: pulumi.Output<string[]>;

  constructor(name: string, args: AccountBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("huntaze:security:AccountBaseline", name, {}, opts);
    const parent = { parent: this };
    const prefix = args.namePrefix;
    const createConfig = args.createConfigRecorder ?? false;
    const minSeverity = args.guardDutyMinSeverity ?? 7;
    const labels = args.securityHubLabels ?? ["HIGH", "CRITICAL"];
    const retentionDays = args.trailLogRetentionDays ?? 90;
    const runtime = { eksAddon: false, ec2Agent: false, ecsFargateAgent: true, ...args.runtimeMonitoring };
    if (!Number.isFinite(minSeverity) || minSeverity < 1 || minSeverity > 10)
      throw new Error(`AccountBaseline ${name}: guardDutyMinSeverity must be 1–10, got ${minSeverity}`);
    if (labels.length === 0) throw new Error(`AccountBaseline ${name}: securityHubLabels must not be empty`);
    const tags = args.tags;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    const region = aws.getRegionOutput({}, parent).region;
    const trailName = args.trailName ?? `${prefix}-trail`;
    if (!TRAIL_NAME_PATTERN.test(trailName))
      throw new Error(
        `AccountBaseline ${name}: trailName must be 3–128 letters, digits, . _ or - (starting and ending with a letter or digit, no two of . _ - adjacent, not an IP address), got ${JSON.stringify(trailName)}`,
      );
    const logGroupName = `/aws/cloudtrail/${trailName}`;

    // Account-wide backstop: no bucket of this account can be made public, whatever its own settings.
    new aws.s3.AccountPublicAccessBlock(
      `${name}-s3-public-access-block`,
      { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      {
        parent: this,
        aliases: args.previousPublicAccessBlockName
          ? [{ name: args.previousPublicAccessBlockName, parent: pulumi.rootStackResource }]
          : [],
      },
    );

    // GuardDuty: protection plans as DetectorFeatures (the `datasources` block is deprecated in v7).
    const detector = new aws.guardduty.Detector(
      `${name}-guardduty`,
      { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES", tags },
      parent,
    );
    new aws.guardduty.DetectorFeature(
      `${name}-guardduty-s3`,
      { detectorId: detector.id, name: "S3_DATA_EVENTS", status: "ENABLED" },
      parent,
    );
    new aws.guardduty.DetectorFeature(
      `${name}-guardduty-runtime`,
      {
        detectorId: detector.id,
        name: "RUNTIME_MONITORING",
        status: "ENABLED",
        // AWS's order (EKS, EC2, ECS), or every refresh shows a diff.
        additionalConfigurations: [
          { name: "EKS_ADDON_MANAGEMENT", status: status(runtime.eksAddon) },
          { name: "EC2_AGENT_MANAGEMENT", status: status(runtime.ec2Agent) },
          { name: "ECS_FARGATE_AGENT_MANAGEMENT", status: status(runtime.ecsFargateAgent) },
        ],
      },
      parent,
    );
    new aws.guardduty.DetectorFeature(
      `${name}-guardduty-lambda`,
      { detectorId: detector.id, name: "LAMBDA_NETWORK_LOGS", status: "ENABLED" },
      parent,
    );

    // The trail's key, bucket, log group and delivery role; names are known before the trail exists.
    const key = createComponentKey(
      `${name}-trail-key`,
      {
        description: `Encrypts the ${prefix} CloudTrail logs`,
        alias: `${prefix}-cloudtrail`,
        statements: (scope) => trailKeyStatements(scope, trailName, logGroupName, createConfig),
        tags,
      },
      parent,
    );
    const bucketName = pulumi.interpolate`${prefix}-cloudtrail-${accountId}`;
    const bucket = new HardenedBucket(
      `${name}-trail-logs`,
      {
        bucketName,
        kmsKeyArn: key.arn,
        expirationDays: args.trailLogExpirationDays ?? 365,
        accessLogging: args.trailBucketAccessLogging,
        additionalPolicyStatements: pulumi
          .all([accountId, region, bucketName])
          .apply(([account, reg, bucketNm]) =>
            trailBucketStatements({ accountId: account, region: reg }, bucketNm, trailName, createConfig),
          ),
        tags,
      },
      parent,
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-trail-log-group`,
      { name: logGroupName, retentionInDays: retentionDays, kmsKeyId: key.arn, tags },
      parent,
    );
    const logsRole = new aws.iam.Role(
      `${name}-trail-logs-role`,
      {
        name: `${prefix}-cloudtrail-logs`,
        assumeRolePolicy: cloudTrailLogsTrustPolicy(),
        tags,
      },
      parent,
    );
    const logsPolicy = new aws.iam.RolePolicy(
      `${name}-trail-logs-policy`,
      { role: logsRole.id, policy: logGroup.arn.apply(trailLogsRolePolicy) },
      parent,
    );
    const trail = new aws.cloudtrail.Trail(
      `${name}-trail`,
      {
        name: trailName,
        s3BucketName: bucket.bucketName,
        isMultiRegionTrail: true,
        // A multi-region trail without global service events is refused by AWS.
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        enableLogging: true,
        kmsKeyId: key.arn,
        cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
        cloudWatchLogsRoleArn: logsRole.arn,
        tags,
      },
      // CloudTrail checks the bucket policy and the role when the trail is created.
      { parent: this, dependsOn: [bucket.policy, logsPolicy] },
    );

    // Security Hub: default standards off, FSBP subscribed explicitly (both would conflict).
    const hub = new aws.securityhub.Account(
      `${name}-securityhub`,
      { enableDefaultStandards: false, controlFindingGenerator: "SECURITY_CONTROL", autoEnableControls: true },
      parent,
    );
    const standardArn = region.apply(fsbpStandardArn);
    new aws.securityhub.StandardsSubscription(
      `${name}-fsbp`,
      { standardsArn: standardArn },
      { parent: this, dependsOn: [hub] },
    );

    // FSBP controls stay INCOMPLETE without Config recording: create it when the account has none.
    if (createConfig) {
      const configRole = new aws.iam.Role(
        `${name}-config-role`,
        {
          name: `${prefix}-config-recorder`,
          assumeRolePolicy: accountId.apply((account) => serviceTrustPolicy("config.amazonaws.com", account)),
          tags,
        },
        parent,
      );
      new aws.iam.RolePolicyAttachment(
        `${name}-config-role-policy`,
        { role: configRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole" },
        parent,
      );
      const configDeliveryPolicy = new aws.iam.RolePolicy(
        `${name}-config-delivery-policy`,
        {
          role: configRole.id,
          policy: pulumi
            .all([bucket.bucketName, key.arn, accountId])
            .apply(([bucketNm, keyArn, account]) => configDeliveryRolePolicy(bucketNm, keyArn, account)),
        },
        parent,
      );
      const recorder = new aws.cfg.Recorder(
        `${name}-config-recorder`,
        {
          name: `${prefix}-config-recorder`,
          roleArn: configRole.arn,
          recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
        },
        parent,
      );
      const channel = new aws.cfg.DeliveryChannel(
        `${name}-config-delivery`,
        {
          name: `${prefix}-config-delivery`,
          s3BucketName: bucket.bucketName,
          s3KeyPrefix: CONFIG_PREFIX,
          snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
        },
        // PutDeliveryChannel checks that the role can write to the bucket and use its key.
        { parent: this, dependsOn: [recorder, bucket.policy, configDeliveryPolicy] },
      );
      new aws.cfg.RecorderStatus(
        `${name}-config-recorder-status`,
        { name: recorder.name, isEnabled: true },
        { parent: this, dependsOn: [channel] },
      );
    }

    // High findings to the security topic (the topic's key admits events.amazonaws.com).
    const route = (key: string, description: string, pattern: Record<string, unknown>) => {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${key}`,
        { name: `${prefix}-${key}`, description, eventPattern: JSON.stringify(pattern), tags },
        parent,
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${key}-target`,
        { rule: rule.name, arn: args.securityTopicArn, targetId: "security-topic" },
        parent,
      );
    };
    route(
      "guardduty-findings",
      `GuardDuty findings of severity >= ${minSeverity} to the security topic`,
      guardDutyFindingsPattern(minSeverity),
    );
    route(
      "securityhub-findings",
      `Security Hub findings labelled ${labels.join("/")} (new, active) to the security topic`,
      securityHubFindingsPattern(labels),
    );

    // Gateway endpoints: S3 and DynamoDB traffic stays off the NAT gateway (seed 003 §10.1).
    const endpointIds: pulumi.Output<string>[] = [];
    if (args.gatewayEndpoints && args.gatewayEndpoints.routeTableIds.length > 0) {
      for (const service of ["s3", "dynamodb"]) {
        const endpoint = new aws.ec2.VpcEndpoint(
          `${name}-${service}-endpoint`,
          {
            vpcId: args.gatewayEndpoints.vpcId,
            serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
            vpcEndpointType: "Gateway",
            routeTableIds: [...args.gatewayEndpoints.routeTableIds],
            policy: accountId.apply(gatewayEndpointPolicy),
            tags: { ...tags, Name: `${prefix}-${service}` },
          },
          parent,
        );
        endpointIds.push(endpoint.id);
      }
    }

    this.detectorId = detector.id;
    this.trailArn = trail.arn;
    this.trailBucketName = bucket.bucketName;
    this.trailLogGroupName = logGroup.name;
    this.trailKeyArn = key.arn;
    this.securityHubStandardArn = standardArn;
    this.vpcEndpointIds = pulumi.all(endpointIds);
    this.registerOutputs({
      detectorId: this.detectorId,
      trailArn: this.trailArn,
      trailBucketName: this.trailBucketName,
      securityHubStandardArn: this.securityHubStandardArn,
    });
  }
}
