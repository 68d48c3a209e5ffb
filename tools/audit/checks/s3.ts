import { type PublicAccessBlockSetting, publicAccessBlockGaps } from "../../../policy-pack/lib/judgements";
import { type AuditCheck, accountRef, check } from "./types";

const list = (s: readonly string[]) => s.join(", ");

export const s3AccountBlock: AuditCheck = check(
  {
    id: "s3-account-public-access-block",
    title: "The account's S3 public access block has all four settings on",
    service: "s3",
    severity: "critical",
    risk: "Any bucket of the account can be made public by one ACL or bucket policy, by mistake or by an attacker.",
    remediation:
      "Set huntaze:manageAccountBaseline: true in the stack that owns the account baseline (Pulumi.production.yaml): it declares aws.s3.AccountPublicAccessBlock with all four settings",
    fsbp: ["S3.1"],
  },
  (facts, r) => {
    const block = facts.s3.accountBlock;
    if (block === undefined) return [];
    const ref = accountRef(facts, "AwsAccount");
    if (block === null)
      return [r.fail(ref, "no account-level public access block is configured (NoSuchPublicAccessBlockConfiguration)")];
    const gaps = publicAccessBlockGaps(block);
    return [
      gaps.length
        ? r.fail(ref, `the account-level block leaves ${list(gaps)} off`)
        : r.pass(ref, "all four settings on"),
    ];
  },
);

export const s3BucketBlock: AuditCheck = check(
  {
    id: "s3-bucket-public-access-block",
    title: "Every S3 bucket has its own public access block with all four settings on",
    service: "s3",
    severity: "critical",
    risk: "A bucket without its own block is one account-setting change away from public; with neither, it can be public now.",
    remediation:
      "Create buckets with the HardenedBucket component (components/hardened-bucket.ts): it attaches the four-setting block",
    fsbp: ["S3.8"],
  },
  (facts, r) => {
    const account = facts.s3.accountBlock;
    // An unreadable account setting protects nothing we can prove.
    const accountGaps = new Set<PublicAccessBlockSetting>(publicAccessBlockGaps(account ?? undefined));
    return (facts.s3.buckets ?? []).map((b) => {
      const ref = { arn: b.arn, type: "AwsS3Bucket", region: b.region };
      const gaps = publicAccessBlockGaps(b.block ?? undefined);
      if (gaps.length === 0) return r.pass(ref, "all four settings on");
      const what =
        b.block === null ? "the bucket has no public access block" : `the bucket's block leaves ${list(gaps)} off`;
      const exposed = gaps.filter((g) => accountGaps.has(g));
      if (exposed.length === 0) return r.fail(ref, `${what}; the account-level block covers them today`, "warning");
      return r.fail(ref, `${what}, and the account-level block does not cover ${list(exposed)}`);
    });
  },
);

export const s3Checks = [s3AccountBlock, s3BucketBlock];
