import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport } from "./policy-statements";

export interface HardenedBucketArgs {
  /** Physical bucket name. @default - Pulumi auto-names it from the component name (replacement-safe). */
  readonly bucketName?: pulumi.Input<string>;
  /**
   * Customer-managed KMS key for SSE-KMS, with an S3 bucket key to cut KMS request costs.
   * @default - SSE-S3 (AES256); encryption itself cannot be turned off.
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Keep object versions. @default true */
  readonly versioning?: boolean;
  /** Days after which noncurrent versions expire. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days after which incomplete multipart uploads are aborted. @default 7 */
  readonly abortIncompleteUploadsAfterDays?: number;
  /** Move objects to INTELLIGENT_TIERING after this many days. @default - no transition */
  readonly intelligentTieringAfterDays?: number;
  /** Expire current objects after this many days. @default - kept forever */
  readonly expirationDays?: number;
  /** Server access logging to another bucket. @default - off */
  readonly accessLogging?: { readonly targetBucket: pulumi.Input<string>; readonly targetPrefix?: string };
  /**
   * Let S3 server access logging of this account write into this bucket (it is a log target).
   * With ACLs disabled, log delivery is granted by bucket policy, not by the log-delivery ACL.
   * @default false
   */
  readonly acceptAccessLogs?: boolean;
  /** Extra bucket policy statements (e.g. CloudTrail delivery), merged after the TLS-only deny. @default - none */
  readonly additionalPolicyStatements?: pulumi.Input<pulumi.Input<Record<string, unknown>>[]>;
  /** Delete objects when the bucket is destroyed. @default false */
  readonly forceDestroy?: boolean;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

interface ResolvedArgs {
  versioning: boolean;
  noncurrentVersionExpirationDays: number;
  abortIncompleteUploadsAfterDays: number;
  intelligentTieringAfterDays?: number;
  expirationDays?: number;
}

function resolve(name: string, args: HardenedBucketArgs): ResolvedArgs {
  const resolved = {
    versioning: args.versioning ?? true,
    noncurrentVersionExpirationDays: args.noncurrentVersionExpirationDays ?? 90,
    abortIncompleteUploadsAfterDays: args.abortIncompleteUploadsAfterDays ?? 7,
    intelligentTieringAfterDays: args.intelligentTieringAfterDays,
    expirationDays: args.expirationDays,
  };
  const problems = [
    {
      ok: resolved.noncurrentVersionExpirationDays >= 1,
      message: `noncurrentVersionExpirationDays must be ≥ 1, got ${resolved.noncurrentVersionExpirationDays}`,
    },
    {
      ok: resolved.abortIncompleteUploadsAfterDays >= 1,
      message: `abortIncompleteUploadsAfterDays must be ≥ 1, got ${resolved.abortIncompleteUploadsAfterDays}`,
    },
    {
      ok: resolved.intelligentTieringAfterDays === undefined || resolved.intelligentTieringAfterDays >= 0,
      message: `intelligentTieringAfterDays must be ≥ 0, got ${resolved.intelligentTieringAfterDays}`,
    },
    {
      ok:
        resolved.expirationDays === undefined || resolved.expirationDays > (resolved.intelligentTieringAfterDays ?? 0),
      message: `expirationDays (${resolved.expirationDays}) must be greater than intelligentTieringAfterDays (${resolved.intelligentTieringAfterDays ?? 0})`,
    },
  ]
    .filter((c) => !c.ok)
    .map((c) => c.message);
  if (problems.length) throw new Error(`HardenedBucket ${name}: ${problems.join("; ")}`);
  return resolved;
}

/**
 * An S3 bucket that is private, encrypted and TLS-only by construction: public access block (all
 * four flags), default encryption, ACLs disabled, a bucket policy that denies plain HTTP (created
 * after the access block, or S3 answers 409), versioning and a lifecycle that cleans up.
 */
export class HardenedBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly bucketName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  readonly policy: aws.s3.BucketPolicy;

  constructor(name: string, args: HardenedBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("huntaze:storage:HardenedBucket", name, {}, opts);
    const settings = resolve(name, args);
    const parent = { parent: this };

    this.bucket = new aws.s3.Bucket(
      name,
      { bucket: args.bucketName, forceDestroy: args.forceDestroy ?? false, tags: args.tags },
      parent,
    );
    const bucketId = this.bucket.id;

    this.publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access-block`,
      {
        bucket: bucketId,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );

    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucketId,
        rules: [
          args.kmsKeyArn
            ? {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
                bucketKeyEnabled: true,
              }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ],
      },
      parent,
    );

    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucketId, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );

    if (settings.versioning) {
      new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: bucketId, versioningConfiguration: { status: "Enabled" } },
        parent,
      );
    }

    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucketId,
        rules: [
          {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: settings.abortIncompleteUploadsAfterDays },
          },
          ...(settings.versioning
            ? [
                {
                  id: "expire-noncurrent-versions",
                  status: "Enabled",
                  filter: {},
                  noncurrentVersionExpiration: { noncurrentDays: settings.noncurrentVersionExpirationDays },
                },
              ]
            : []),
          ...(settings.intelligentTieringAfterDays !== undefined
            ? [
                {
                  id: "intelligent-tiering",
                  status: "Enabled",
                  filter: {},
                  transitions: [{ days: settings.intelligentTieringAfterDays, storageClass: "INTELLIGENT_TIERING" }],
                },
              ]
            : []),
          ...(settings.expirationDays !== undefined
            ? [
                {
                  id: "expire-current-objects",
                  status: "Enabled",
                  filter: {},
                  expiration: { days: settings.expirationDays },
                },
              ]
            : []),
        ],
      },
      parent,
    );

    if (args.accessLogging) {
      new aws.s3.BucketLogging(
        `${name}-logging`,
        {
          bucket: bucketId,
          targetBucket: args.accessLogging.targetBucket,
          targetPrefix: args.accessLogging.targetPrefix ?? `${name}/`,
        },
        parent,
      );
    }

    const accountId = args.acceptAccessLogs ? aws.getCallerIdentityOutput({}, parent).accountId : pulumi.output("");
    const document = pulumi
      .all([this.bucket.arn, args.additionalPolicyStatements ?? [], accountId])
      .apply(([arn, extra, account]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            denyInsecureTransport("s3", [arn, `${arn}/*`]),
            ...(args.acceptAccessLogs
              ? [
                  {
                    Sid: "AllowServerAccessLogDelivery",
                    Effect: "Allow",
                    Principal: { Service: "logging.s3.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: `${arn}/*`,
                    Condition: { StringEquals: { "aws:SourceAccount": account } },
                  },
                ]
              : []),
            ...extra,
          ],
        }),
      );
    // S3 rejects a policy put while the public access block is still being applied (409).
    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucketId, policy: document },
      { parent: this, dependsOn: [this.publicAccessBlock] },
    );

    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
  }
}
