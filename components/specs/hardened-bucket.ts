import * as v from "valibot";
import { args, fieldRule, flag, input, integer, list, present, text } from "../spec";
import { kmsKeyArn } from "./formats";

// HardenedBucket's args as data: the lifecycle days, the bucket name S3 accepts, the defaults.

/**
 * A general purpose bucket name S3 accepts: 3–63 characters of lowercase letters, digits, dots and
 * hyphens; begins and ends with a letter or digit; no two adjacent periods; not formatted as an IP
 * address; not starting with `xn--`, `sthree-` or `amzn-s3-demo-`; not ending with `-s3alias`,
 * `--ol-s3`, `.mrap`, `--x-s3` or `--table-s3` ("Bucket naming rules", Amazon S3 User Guide:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). A name S3 refuses
 * used to preview green and fail at deploy.
 */
export const BUCKET_NAME =
  /^(?!xn--|sthree-|amzn-s3-demo-)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)(?!.*(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const bucketName = () =>
  text(
    BUCKET_NAME,
    "an S3 bucket name (3–63 lowercase letters, digits, . or -; starting and ending with a letter or digit; no .., not an IP address, no xn--/sthree-/amzn-s3-demo- prefix, no -s3alias/--ol-s3/.mrap/--x-s3/--table-s3 suffix)",
  );

/**
 * The largest lifecycle day count: the S3 API types `Days`, `NoncurrentDays` and
 * `DaysAfterInitiation` as Integer (32-bit) ("LifecycleExpiration", "NoncurrentVersionExpiration",
 * "AbortIncompleteMultipartUpload", "Transition", Amazon S3 API Reference).
 */
export const MAX_LIFECYCLE_DAYS = 2_147_483_647;

/**
 * Expiration, noncurrent-version expiration and upload abortion take a non-zero positive integer
 * of days; a transition to INTELLIGENT_TIERING may take 0 ("Lifecycle configuration elements",
 * Amazon S3 User Guide: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html).
 */
export const lifecycleDays = () => integer(1, MAX_LIFECYCLE_DAYS);
export const transitionDays = () => integer(0, MAX_LIFECYCLE_DAYS);

/** Defaults of the lifecycle arguments. */
export const BUCKET_DEFAULTS = {
  versioning: true,
  noncurrentVersionExpirationDays: 90,
  abortIncompleteUploadsAfterDays: 7,
  forceDestroy: false,
  /** The target prefix of access logs, from the component's resource name (computed, not a spec default). */
  accessLogPrefix: (name: string) => `${name}/`,
} as const;

const isObject = (x: unknown) => typeof x === "object" && x !== null && !Array.isArray(x);
/** Tag values are strings or Outputs/Promises of one (objects): checked by the provider then. */
const isTagMap = (x: unknown) =>
  isObject(x) && Object.values(x as object).every((t) => typeof t === "string" || isObject(t));

/** Server access logging to another bucket (AccountBaseline's trail bucket reuses it). */
export const accessLoggingSpec = args({
  targetBucket: input(text(/\S/, "a bucket name")),
  targetPrefix: v.optional(text(/^[\s\S]*$/, "a key prefix (a string)")),
});

export const hardenedBucketFields = {
  bucketName: v.optional(input(bucketName())),
  kmsKeyArn: v.optional(input(kmsKeyArn())),
  versioning: v.optional(flag(), BUCKET_DEFAULTS.versioning),
  noncurrentVersionExpirationDays: v.optional(lifecycleDays(), BUCKET_DEFAULTS.noncurrentVersionExpirationDays),
  abortIncompleteUploadsAfterDays: v.optional(lifecycleDays(), BUCKET_DEFAULTS.abortIncompleteUploadsAfterDays),
  intelligentTieringAfterDays: v.optional(transitionDays()),
  expirationDays: v.optional(lifecycleDays()),
  accessLogging: v.optional(accessLoggingSpec),
  acceptAccessLogs: v.optional(flag(), false),
  additionalPolicyStatements: v.optional(
    input(list(present<Record<string, unknown>>("a policy statement (an object)", isObject))),
    [],
  ),
  forceDestroy: v.optional(flag(), BUCKET_DEFAULTS.forceDestroy),
  tags: v.optional(input(present<Record<string, string>>("an object of tags (string values)", isTagMap))),
};

/**
 * Current objects expire after they were tiered: S3 refuses a lifecycle rule whose transition comes
 * at or after its expiration ("Transitioning objects using Amazon S3 Lifecycle", constraints).
 */
export function expirationAfterTiering<T extends { expirationDays?: number; intelligentTieringAfterDays?: number }>() {
  return fieldRule<T>(
    ["expirationDays", "intelligentTieringAfterDays"],
    "expirationDays" as keyof T & string,
    "more days than intelligentTieringAfterDays (0 when not set)",
    (a) => a.expirationDays === undefined || a.expirationDays > (a.intelligentTieringAfterDays ?? 0),
  );
}

const base = args(hardenedBucketFields);

/** HardenedBucket's args: current objects expire after they were tiered (a transition after expiry is refused). */
export const HardenedBucketSpec = v.pipe(base, expirationAfterTiering<v.InferOutput<typeof base>>());
