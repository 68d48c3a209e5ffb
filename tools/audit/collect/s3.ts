import {
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  type S3Client,
} from "@aws-sdk/client-s3";
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  type S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { mapLimit } from "../../../lib/map-limit";
import { parsePolicy } from "../../../policy-pack/lib/policy-document";
import { isAwsError, reasonOf } from "../errors";
import type { BucketFacts, Collected, PublicAccessBlockFacts, S3Facts, Unreadable } from "../facts";
import { CONCURRENCY } from "../limit";

export const S3_ACCOUNT_CHECKS = ["s3-account-public-access-block"];
export const S3_BUCKET_BLOCK_CHECKS = ["s3-bucket-public-access-block"];
export const S3_BUCKET_POLICY_CHECKS = ["s3-bucket-deny-insecure-transport"];
export const S3_BUCKET_CHECKS = [...S3_BUCKET_BLOCK_CHECKS, ...S3_BUCKET_POLICY_CHECKS];

// Not configured: a finding (nothing blocks public access), not a read error.
const NOT_CONFIGURED = "NoSuchPublicAccessBlockConfiguration";
// No bucket policy at all: a finding for the TLS check, not a read error.
const NO_POLICY = "NoSuchBucketPolicy";

/**
 * Buckets per ListBuckets page. Any parameter makes ListBuckets return each bucket's BucketRegion:
 * "BucketRegion indicates the Amazon Web Services region where the bucket is located. If the
 * request contains at least one valid parameter, it is included in the response." (S3 API
 * Reference, ListBuckets / Bucket, https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html;
 * the same words in @aws-sdk/client-s3's model). Without one, BucketRegion is absent and a bucket
 * of another region would be read in the wrong one (and come back unreadable: a spurious exit 3).
 */
export const LIST_BUCKETS_PAGE_SIZE = 1000;

function settings(c: PublicAccessBlockFacts | undefined): PublicAccessBlockFacts {
  return {
    BlockPublicAcls: c?.BlockPublicAcls === true,
    IgnorePublicAcls: c?.IgnorePublicAcls === true,
    BlockPublicPolicy: c?.BlockPublicPolicy === true,
    RestrictPublicBuckets: c?.RestrictPublicBuckets === true,
  };
}

/**
 * GetBucketLocation's LocationConstraint as a region: "Buckets in Region us-east-1 have a
 * LocationConstraint of null. Buckets with a LocationConstraint of EU reside in eu-west-1." (S3 API
 * Reference, GetBucketLocation, https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html).
 */
export function regionOfLocation(constraint: string | undefined | null): string {
  if (!constraint) return "us-east-1";
  if (constraint === "EU") return "eu-west-1";
  return constraint;
}

export interface S3Clients {
  readonly control: S3ControlClient;
  /** The S3 client of a region (buckets answer only in their own region). */
  readonly s3: (region: string) => S3Client;
}

/** The account's public access block and each bucket's block and policy. Account-wide: read once, from `region`. */
export async function collectS3(
  clients: S3Clients,
  accountId: string,
  region: string,
  partition = "aws",
): Promise<Collected<S3Facts>> {
  const unreadable: Unreadable[] = [];
  let accountBlock: PublicAccessBlockFacts | null | undefined;
  try {
    const out = await clients.control.send(new GetAccountPublicAccessBlockCommand({ AccountId: accountId }));
    accountBlock = settings(out.PublicAccessBlockConfiguration);
  } catch (error) {
    if (isAwsError(error, NOT_CONFIGURED)) accountBlock = null;
    else
      unreadable.push({
        checks: S3_ACCOUNT_CHECKS,
        region: "global",
        what: "the account's S3 public access block",
        reason: reasonOf(error),
      });
  }

  const listed: { name: string; region?: string }[] = [];
  try {
    for await (const page of paginateListBuckets({ client: clients.s3(region), pageSize: LIST_BUCKETS_PAGE_SIZE }, {}))
      for (const b of page.Buckets ?? []) if (b.Name) listed.push({ name: b.Name, region: b.BucketRegion });
  } catch (error) {
    unreadable.push({
      checks: S3_BUCKET_CHECKS,
      region: "global",
      what: "the account's S3 buckets",
      reason: reasonOf(error),
    });
    return { facts: { accountBlock }, unreadable };
  }
  const buckets = await mapLimit(listed, CONCURRENCY, async (b): Promise<BucketFacts | undefined> => {
    const arn = `arn:${partition}:s3:::${b.name}`;
    let home = b.region;
    if (!home) {
      // An answer without BucketRegion (an endpoint that ignores the parameter): ask the bucket.
      try {
        const out = await clients.s3(region).send(new GetBucketLocationCommand({ Bucket: b.name }));
        home = regionOfLocation(out.LocationConstraint);
      } catch (error) {
        unreadable.push({
          checks: S3_BUCKET_CHECKS,
          region,
          what: `the region of bucket ${b.name}`,
          reason: reasonOf(error),
        });
        return undefined;
      }
    }
    const client = clients.s3(home);
    let block: PublicAccessBlockFacts | null | undefined;
    try {
      const out = await client.send(new GetPublicAccessBlockCommand({ Bucket: b.name }));
      block = settings(out.PublicAccessBlockConfiguration);
    } catch (error) {
      if (isAwsError(error, NOT_CONFIGURED)) block = null;
      else
        unreadable.push({
          checks: S3_BUCKET_BLOCK_CHECKS,
          region: home,
          what: `the public access block of bucket ${b.name}`,
          reason: reasonOf(error),
        });
    }
    let policy: BucketFacts["policy"];
    try {
      const out = await client.send(new GetBucketPolicyCommand({ Bucket: b.name }));
      policy = parsePolicy(out.Policy) ?? [];
    } catch (error) {
      if (isAwsError(error, NO_POLICY)) policy = null;
      else
        unreadable.push({
          checks: S3_BUCKET_POLICY_CHECKS,
          region: home,
          what: `the bucket policy of bucket ${b.name}`,
          reason: reasonOf(error),
        });
    }
    return { name: b.name, arn, region: home, block, policy };
  });
  return { facts: { accountBlock, buckets: buckets.filter((b) => b !== undefined) }, unreadable };
}
