import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type * as v from "valibot";
import { denyInsecureTransport } from "./policy-statements";
import { resolveArgs } from "./spec";
import { BUCKET_DEFAULTS, HardenedBucketSpec } from "./specs/hardened-bucket";

export interface HardenedBucketArgs {
  /** Physical bucket name. @default - Pulumi auto-names it from the component name (replacement-safe). */
  readonly bucketName?: pulumi.Input<string>;
  /**
   * Customer-managed KMS key for SSE-KMS, with an S3 bucket key to cut KMS request costs.
   * @default - SSE-S3 (AES256); encryption itself cannot be turned off.
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Keep object versions. */
  readonly versioning?: boolean;
  /** Days after which noncurrent versions expire. */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days after which incomplete multipart uploads are aborted. */
  readonly abortIncompleteUploadsAfterDays?: number;
  /**
   * Move objects to INTELLIGENT_TIERING after this many days. It saves nothing on objects under
   * 128 KB: lifecycle rules no longer transition them by default (the configuration's
   * `TransitionDefaultMinimumObjectSize` is `all_storage_classes_128K`), and the other value,
   * `varies_by_storage_class`, lets small objects reach only the Glacier classes, never
   * INTELLIGENT_TIERING, which would not auto-tier them anyway: objects under 128 KB stay in its
   * Frequent Access tier ("Transitioning objects using Amazon S3 Lifecycle", minimum object size:
   * docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html;
   * "How S3 Intelligent-Tiering works": .../intelligent-tiering-overview.html). Most server access
   * log objects are that small: expiration is what bounds their cost.
   * @default - no transition
   */
  readonly intelligentTieringAfterDays?: number;
  /** Expire current objects after this many days. @default - kept forever */
  readonly expirationDays?: number;
  /** Server access logging to another bucket (`targetPrefix` defaults to `<component name>/`). @default - off */
  readonly accessLogging?: { readonly targetBucket: pulumi.Input<string>; readonly targetPrefix?: string };
  /**
   * Let S3 server access logging of this account write into this bucket (it is a log target).
   * With ACLs disabled, log delivery is granted by bucket policy, not by the log-delivery ACL.
   */
  readonly acceptAccessLogs?: boolean;
  /** Extra bucket policy statements (e.g. CloudTrail delivery), merged after the TLS-only deny. */
  readonly additionalPolicyStatements?: pulumi.Input<pulumi.Input<Record<string, unknown>>[]>;
  /** Delete objects when the bucket is destroyed. */
  readonly forceDestroy?: boolean;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export { BUCKET_DEFAULTS } from "./specs/hardened-bucket";

/** Every argument with its default applied (HardenedBucketSpec, then the computed log prefix): the constructor reads only this. */
export type ResolvedBucketArgs = Omit<v.InferOutput<typeof HardenedBucketSpec>, "accessLogging"> & {
  readonly accessLogging?: { readonly targetBucket: pulumi.Input<string>; readonly targetPrefix: string };
};

/**
 * The resolve step: `args` checked against HardenedBucketSpec (every problem in one ArgsError naming
 * the field, what is allowed and what was given), defaults applied, then the access log prefix
 * computed from the resource name.
 */
export function resolveBucketArgs(name: string, args: HardenedBucketArgs): ResolvedBucketArgs {
  const s = resolveArgs("HardenedBucket", name, HardenedBucketSpec, args);
  const { accessLogging, ...rest } = s;
  return accessLogging
    ? {
        ...rest,
        accessLogging: {
          targetBucket: accessLogging.targetBucket,
          targetPrefix: accessLogging.targetPrefix ?? BUCKET_DEFAULTS.accessLogPrefix(name),
        },
      }
    : rest;
}

/** The lifecycle rules: abort stale uploads always; expire old versions, tier and expire when asked. */
export function lifecycleRules(r: ResolvedBucketArgs): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  const rule = (id: string, body: Omit<aws.types.input.s3.BucketLifecycleConfigurationRule, "id" | "status">) => ({
    id,
    status: "Enabled",
    filter: {},
    ...body,
  });
  return [
    rule("abort-incomplete-multipart-uploads", {
      abortIncompleteMultipartUpload: { daysAfterInitiation: r.abortIncompleteUploadsAfterDays },
    }),
    ...(r.versioning
      ? [
          rule("expire-noncurrent-versions", {
            noncurrentVersionExpiration: { noncurrentDays: r.noncurrentVersionExpirationDays },
          }),
        ]
      : []),
    ...(r.intelligentTieringAfterDays !== undefined
      ? [
          rule("intelligent-tiering", {
            transitions: [{ days: r.intelligentTieringAfterDays, storageClass: "INTELLIGENT_TIERING" }],
          }),
        ]
      : []),
    ...(r.expirationDays !== undefined
      ? [rule("expire-current-objects", { expiration: { days: r.expirationDays } })]
      : []),
  ];
}

/**
 * The bucket policy: TLS only; S3 server access logging of `accountId` may deliver (when the bucket
 * accepts access logs); then the caller's statements.
 */
export function bucketPolicyDocument(
  bucketArn: string,
  opts: { readonly acceptAccessLogsFrom?: string; readonly extra?: readonly unknown[] },
): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      denyInsecureTransport("s3", [bucketArn, `${bucketArn}/*`]),
      ...(opts.acceptAccessLogsFrom !== undefined
        ? [
            {
              Sid: "AllowServerAccessLogDelivery",
              Effect: "Allow",
              Principal: { Service: "logging.s3.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: `${bucketArn}/*`,
              Condition: { StringEquals: { "aws:SourceAccount": opts.acceptAccessLogsFrom } },
            },
          ]
        : []),
      ...(opts.extra ?? []),
    ],
  });
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
    const s = resolveBucketArgs(name, args);
    const parent = { parent: this };

    this.bucket = new aws.s3.Bucket(name, { bucket: s.bucketName, forceDestroy: s.forceDestroy, tags: s.tags }, parent);
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
          s.kmsKeyArn
            ? {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: s.kmsKeyArn },
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

    if (s.versioning) {
      new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: bucketId, versioningConfiguration: { status: "Enabled" } },
        parent,
      );
    }

    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      { bucket: bucketId, rules: lifecycleRules(s) },
      parent,
    );

    if (s.accessLogging) {
      new aws.s3.BucketLogging(`${name}-logging`, { bucket: bucketId, ...s.accessLogging }, parent);
    }

    const accountId = s.acceptAccessLogs ? aws.getCallerIdentityOutput({}, parent).accountId : pulumi.output("");
    const document = pulumi
      .all([this.bucket.arn, s.additionalPolicyStatements, accountId])
      .apply(([arn, extra, account]) =>
        bucketPolicyDocument(arn, { ...(s.acceptAccessLogs ? { acceptAccessLogsFrom: account } : {}), extra }),
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
