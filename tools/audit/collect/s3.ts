import { GetPublicAccessBlockCommand, paginateListBuckets, type S3Client } from "@aws-sdk/client-s3";
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  type S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { isAwsError, reasonOf } from "../errors";
import type { BucketFacts, Collected, PublicAccessBlockFacts, S3Facts, Unreadable } from "../facts";
import { CONCURRENCY, mapLimit } from "../limit";

export const S3_ACCOUNT_CHECKS = ["s3-account-public-access-block"];
export const S3_BUCKET_CHECKS = ["s3-bucket-public-access-block"];

// Not configured: a finding (nothing blocks public access), not a read error.
const NOT_CONFIGURED = "NoSuchPublicAccessBlockConfiguration";

function settings(c: PublicAccessBlockFacts | undefined): PublicAccessBlockFacts {
  return {
    BlockPublicAcls: c?.BlockPublicAcls === true,
    IgnorePublicAcls: c?.IgnorePublicAcls === true,
    BlockPublicPolicy: c?.BlockPublicPolicy === true,
    RestrictPublicBuckets: c?.RestrictPublicBuckets === true,
  };
}

export interface S3Clients {
  readonly control: S3ControlClient;
  /** The S3 client of a region (buckets answer only in their own region). */
  readonly s3: (region: string) => S3Client;
}

/** The account's public access block and each bucket's. Account-wide: read once, from `region`. */
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

  const listed: { name: string; region: string }[] = [];
  try {
    for await (const page of paginateListBuckets({ client: clients.s3(region) }, {}))
      for (const b of page.Buckets ?? []) if (b.Name) listed.push({ name: b.Name, region: b.BucketRegion ?? region });
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
    try {
      const out = await clients.s3(b.region).send(new GetPublicAccessBlockCommand({ Bucket: b.name }));
      return { name: b.name, arn, region: b.region, block: settings(out.PublicAccessBlockConfiguration) };
    } catch (error) {
      if (isAwsError(error, NOT_CONFIGURED)) return { name: b.name, arn, region: b.region, block: null };
      unreadable.push({
        checks: S3_BUCKET_CHECKS,
        region: b.region,
        what: `the public access block of bucket ${b.name}`,
        reason: reasonOf(error),
      });
      return undefined;
    }
  });
  return { facts: { accountBlock, buckets: buckets.filter((b) => b !== undefined) }, unreadable };
}
