import { s3 } from "../lib/aws-types";
import { isUnknown, stackPolicy } from "../lib/inspect";
import { publicAccessBlockGaps } from "../lib/judgements";
import type { HuntazePolicy } from "../rule";

const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

const accountBlock = stackPolicy({
  name: "s3-account-public-access-block",
  summary:
    "A stack with S3 buckets declares the account-level public access block with all four flags (disable this rule where another stack owns it; the live setting is a runtime check)",
  // Advisory: the account-level block is often owned by a baseline stack elsewhere.
  enforcementLevel: "advisory",
  references: { catalogue: [10], fsbp: ["S3.1"], checkov: [] },
  resourceTypes: [...s3.bucket, ...s3.accountPublicAccessBlock],
  check: (s) => {
    const blocks = s.ofType(s3.accountPublicAccessBlock);
    for (const block of blocks) {
      const gaps = new Set(publicAccessBlockGaps(block.props).map((g) => g[0]!.toLowerCase() + g.slice(1)));
      const off = flags.filter((f) => gaps.has(f) && !isUnknown(block.props[f]));
      if (flags.some((f) => isUnknown(block.props[f]))) s.unknown(`flags of ${block.name}`);
      if (off.length) s.report(block, `the account-level public access block leaves ${off.join(", ")} unset or false`);
    }
    const buckets = s.ofType(s3.bucket);
    if (blocks.length === 0 && buckets.length > 0)
      s.report(
        buckets[0]!,
        "the stack creates S3 buckets but no aws.s3.AccountPublicAccessBlock: declare it (all four flags true) or disable this rule where another stack owns it",
      );
  },
});

export const s3AccountPolicies: HuntazePolicy[] = [accountBlock];
