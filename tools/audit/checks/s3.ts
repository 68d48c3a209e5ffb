import { type PublicAccessBlockSetting, publicAccessBlockGaps } from "../../../policy-pack/lib/judgements";
import { deniesInsecureTransport, isWildcardPrincipal, type Statement } from "../../../policy-pack/lib/policy-document";
import type { BucketFacts } from "../facts";
import { type AuditCheck, accountRef, check } from "./types";

const list = (s: readonly string[]) => s.join(", ");
const bucketRef = (b: BucketFacts) => ({ arn: b.arn, type: "AwsS3Bucket", region: b.region });

/** The TLS floor to enforce: "Amazon S3 supports TLS 1.2 and TLS 1.3 for HTTPS connections across all API endpoints" (S3 User Guide, Protecting data in transit with encryption). */
export const MIN_S3_TLS_VERSION = 1.2;

/**
 * The other form of a TLS-only bucket policy: Deny, any principal, all S3 actions, when
 * `s3:TlsVersion` is NumericLessThan 1.2 or more. AWS's own answer to "How can I enforce TLS 1.2
 * or later for my Amazon S3 buckets?" (https://repost.aws/knowledge-center/s3-enforce-modern-tls)
 * gives this statement and says it "enforces HTTPS", and CIS AWS Foundations 2.1.1 / 3.1.1 accept it
 * in place of aws:SecureTransport = false. A threshold below 1.2 (e.g. 1.0) still lets old TLS through.
 */
export function deniesOldTls(statement: Statement): boolean {
  if (statement.effect !== "Deny" || !isWildcardPrincipal(statement)) return false;
  if (!statement.actions.some((a) => a === "*" || a.toLowerCase() === "s3:*")) return false;
  const thresholds = statement.conditions.NumericLessThan?.["s3:tlsversion"] ?? [];
  return thresholds.some((v) => Number(v) >= MIN_S3_TLS_VERSION);
}

/** Which statement makes the bucket TLS-only, in words; undefined: none does. */
export function tlsOnlyStatement(statements: readonly Statement[]): string | undefined {
  if (statements.some((st) => deniesInsecureTransport(st, "s3"))) return "a Deny on aws:SecureTransport = false";
  if (statements.some(deniesOldTls)) return `a Deny on s3:TlsVersion NumericLessThan ${MIN_S3_TLS_VERSION} or more`;
  return undefined;
}

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
    return (facts.s3.buckets ?? []).flatMap((b) => {
      if (b.block === undefined) return [];
      const ref = bucketRef(b);
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

export const s3TlsOnly: AuditCheck = check(
  {
    id: "s3-bucket-deny-insecure-transport",
    title: "Every S3 bucket policy denies requests that do not use TLS (1.2 or later)",
    service: "s3",
    severity: "warning",
    risk: "S3 answers plain HTTP too: a client or a misconfigured tool can read or write objects, with their signatures, in clear.",
    remediation:
      'HardenedBucket attaches the TLS-only statement; on another bucket add {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["<bucket ARN>","<bucket ARN>/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}} to its policy',
    fsbp: ["S3.5"],
  },
  // FSBP S3.5 and Prowler's s3_bucket_secure_transport_policy: a Deny of all S3 actions to any
  // principal when aws:SecureTransport is false; no policy at all fails.
  (facts, r) =>
    (facts.s3.buckets ?? []).flatMap((b) => {
      if (b.policy === undefined) return [];
      if (b.policy === null)
        return [r.fail(bucketRef(b), "the bucket has no policy, so it accepts plain HTTP requests")];
      const how = tlsOnlyStatement(b.policy);
      return [
        how
          ? r.pass(bucketRef(b), `the bucket policy has ${how}`)
          : r.fail(
              bucketRef(b),
              "the bucket policy has no Deny for aws:SecureTransport = false (nor for s3:TlsVersion below 1.2): it accepts plain HTTP requests",
            ),
      ];
    }),
);

export const s3Checks = [s3AccountBlock, s3BucketBlock, s3TlsOnly];
