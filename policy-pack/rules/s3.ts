import type { PolicyResource } from "@pulumi/policy";
import { s3 } from "../lib/aws-types";
import { deniesInsecureTransport, isPublicAllow, parsePolicy, principalAccounts } from "../lib/policy-document";
import { attachedToBucket, read, readPath } from "../lib/values";
import { type HuntazePolicy, resourceRule, type StackCheck, stackRule } from "../rule";

// S3 on @pulumi/aws v7: a bucket's protections live in side resources (access block, encryption,
// policy, ...) joined to it by `bucket`, so most rules are stack rules that look for them.

const blockFlags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

function label(bucket: PolicyResource): string {
  const name = read<string>(bucket.props, "bucket");
  return name.known && name.value ? `bucket "${name.value}" (${bucket.name})` : `bucket ${bucket.name}`;
}

/** Checks each bucket against its attached side resources of `sideTypes`. */
function perBucket(
  s: StackCheck,
  sideTypes: readonly string[],
  check: (bucket: PolicyResource, attached: PolicyResource[]) => string | undefined,
) {
  const side = s.ofType(sideTypes);
  for (const bucket of s.ofType(s3.bucket)) {
    const problem = check(bucket, attachedToBucket(bucket, side));
    if (problem) s.report(bucket, `${label(bucket)}: ${problem}`);
  }
}

const publicAccessBlock = stackRule({
  name: "s3-bucket-public-access-block",
  summary: "Every S3 bucket has a public access block with all four flags set",
  enforcementLevel: "mandatory",
  references: {
    catalogue: [9],
    fsbp: ["S3.8"],
    checkov: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
  },
  resourceTypes: [...s3.bucket, ...s3.publicAccessBlock],
  check: (s) =>
    perBucket(s, s3.publicAccessBlock, (_bucket, blocks) => {
      if (blocks.length === 0) return "no aws.s3.BucketPublicAccessBlock is attached";
      const flagsOff = blockFlags.filter(
        (flag) =>
          !blocks.some((b) => {
            const v = read<boolean>(b.props, flag);
            return !v.known || v.value === true;
          }),
      );
      return flagsOff.length ? `the public access block leaves ${flagsOff.join(", ")} unset or false` : undefined;
    }),
});

function encryptionRules(
  bucket: PolicyResource,
  configs: PolicyResource[],
): { algorithms: string[]; kmsKeys: number; unknown: boolean } {
  const rules: unknown[] = [];
  let unknown = false;
  for (const c of configs) {
    const r = read<unknown[]>(c.props, "rules");
    if (!r.known) unknown = true;
    else if (Array.isArray(r.value)) rules.push(...r.value);
  }
  // Legacy inline configuration on the bucket itself (deprecated in v7, still accepted).
  const inline = readPath<unknown[]>(bucket.props, ["serverSideEncryptionConfiguration", "rules"]);
  if (!inline.known) unknown = true;
  else if (Array.isArray(inline.value)) rules.push(...inline.value);
  const inlineSingle = readPath(bucket.props, ["serverSideEncryptionConfiguration", "rule"]);
  if (inlineSingle.known && inlineSingle.value) rules.push(inlineSingle.value);

  const algorithms: string[] = [];
  let kmsKeys = 0;
  for (const rule of rules) {
    const byDefault = (rule as Record<string, Record<string, unknown>>)?.applyServerSideEncryptionByDefault;
    if (!byDefault) continue;
    if (typeof byDefault.sseAlgorithm === "string") algorithms.push(byDefault.sseAlgorithm);
    if (byDefault.kmsMasterKeyId) kmsKeys++;
  }
  return { algorithms, kmsKeys, unknown };
}

const defaultEncryption = stackRule({
  name: "s3-bucket-default-encryption",
  summary: "Every S3 bucket has default server-side encryption configured (SSE-S3 or SSE-KMS)",
  enforcementLevel: "mandatory",
  references: { catalogue: [11], fsbp: ["S3.4 (retired)"], checkov: ["CKV_AWS_19"] },
  resourceTypes: [...s3.bucket, ...s3.encryption],
  check: (s) =>
    perBucket(s, s3.encryption, (bucket, configs) => {
      const { algorithms, unknown } = encryptionRules(bucket, configs);
      if (unknown) return undefined;
      if (algorithms.length === 0)
        return "no default encryption (aws.s3.BucketServerSideEncryptionConfiguration) is attached";
      const bad = algorithms.filter((a) => !["AES256", "aws:kms", "aws:kms:dsse"].includes(a));
      return bad.length ? `unsupported sseAlgorithm ${bad.join(", ")}` : undefined;
    }),
});

const kmsEncryption = stackRule({
  name: "s3-bucket-encryption-kms-cmk",
  summary: "S3 default encryption uses SSE-KMS with a customer-managed key",
  enforcementLevel: "advisory",
  references: { catalogue: [12], fsbp: [], checkov: ["CKV_AWS_145"] },
  resourceTypes: [...s3.bucket, ...s3.encryption],
  check: (s) =>
    perBucket(s, s3.encryption, (bucket, configs) => {
      const { algorithms, kmsKeys, unknown } = encryptionRules(bucket, configs);
      if (unknown) return undefined;
      if (!algorithms.some((a) => a.startsWith("aws:kms")))
        return "default encryption is not SSE-KMS (pass a KMS key to use a customer-managed key)";
      return kmsKeys === 0 ? "SSE-KMS without kmsMasterKeyId uses the AWS-managed aws/s3 key" : undefined;
    }),
});

function bucketPolicies(bucket: PolicyResource, policies: PolicyResource[]): { docs: unknown[]; unknown: boolean } {
  const docs: unknown[] = [];
  let unknown = false;
  for (const p of [...policies.map((r) => read(r.props, "policy")), read(bucket.props, "policy")]) {
    if (!p.known) unknown = true;
    else if (p.value) docs.push(p.value);
  }
  return { docs, unknown };
}

const tlsOnly = stackRule({
  name: "s3-bucket-tls-only-policy",
  summary: "Every S3 bucket policy denies requests without TLS (aws:SecureTransport = false)",
  enforcementLevel: "mandatory",
  references: { catalogue: [13], fsbp: ["S3.5"], checkov: ["CKV_AWS_379"] },
  resourceTypes: [...s3.bucket, ...s3.policy],
  check: (s) =>
    perBucket(s, s3.policy, (bucket, policies) => {
      const { docs, unknown } = bucketPolicies(bucket, policies);
      if (docs.length === 0) return unknown ? undefined : "no bucket policy denies non-TLS requests (none is attached)";
      const statements = docs.flatMap((d) => parsePolicy(d) ?? []);
      return statements.some((st) => deniesInsecureTransport(st, "s3"))
        ? undefined
        : "the bucket policy has no Deny for aws:SecureTransport = false";
    }),
});

const publicCannedAcls = new Set(["public-read", "public-read-write", "authenticated-read"]);
const publicGroupUris = [
  "http://acs.amazonaws.com/groups/global/AllUsers",
  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

function publicAclProblem(acl: unknown, grants: unknown): string | undefined {
  if (typeof acl === "string" && publicCannedAcls.has(acl))
    return `canned ACL "${acl}" makes objects readable outside the account`;
  for (const grant of (Array.isArray(grants) ? grants : []) as Record<string, unknown>[]) {
    const uri = grant?.uri ?? (grant?.grantee as Record<string, unknown> | undefined)?.uri;
    if (typeof uri === "string" && publicGroupUris.includes(uri)) return `a grant to ${uri.split("/").pop()} is public`;
  }
  return undefined;
}

const noPublicAcl = resourceRule({
  name: "s3-no-public-acl",
  summary: "No S3 bucket ACL grants access to AllUsers or AuthenticatedUsers",
  enforcementLevel: "mandatory",
  references: {
    catalogue: [14],
    fsbp: ["S3.2", "S3.3"],
    checkov: ["CKV_AWS_20", "CKV_AWS_57", "CKV2_AWS_43", "CKV_AWS_375"],
  },
  resourceTypes: [...s3.acl, ...s3.bucket],
  check: (r) => {
    const acl = read(r.props, "acl");
    const policyGrants = readPath(r.props, ["accessControlPolicy", "grants"]);
    const grants = read(r.props, "grants");
    const problem = publicAclProblem(acl.known ? acl.value : undefined, [
      ...(policyGrants.known && Array.isArray(policyGrants.value) ? policyGrants.value : []),
      ...(grants.known && Array.isArray(grants.value) ? grants.value : []),
    ]);
    if (problem) r.report(problem);
  },
});

const noPublicPolicy = resourceRule({
  name: "s3-no-public-bucket-policy",
  summary: "No S3 bucket policy allows Principal * (without a condition pinning the caller) or an untrusted account",
  enforcementLevel: "mandatory",
  references: { catalogue: [15], fsbp: ["S3.2", "S3.3", "S3.6"], checkov: ["CKV_AWS_70"] },
  resourceTypes: [...s3.policy, ...s3.bucket],
  configSchema: {
    properties: {
      trustedAccountIds: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          "Account ids other than the stack's own that bucket policies may name; empty = only public principals are checked.",
      },
    },
  },
  check: (r) => {
    const policy = read(r.props, "policy");
    if (!policy.known) return;
    const statements = parsePolicy(policy.value);
    if (statements === null) {
      r.report("the bucket policy is not valid JSON");
      return;
    }
    const trusted = (r.config.trustedAccountIds as string[] | undefined) ?? [];
    for (const st of statements ?? []) {
      if (isPublicAllow(st))
        r.report(`allows ${st.actions.join(", ")} to Principal "*" with no condition on the caller`);
      if (st.effect === "Allow" && trusted.length > 0) {
        const foreign = principalAccounts(st).filter((a) => !trusted.includes(a));
        if (foreign.length) r.report(`allows account(s) ${foreign.join(", ")} that are not in trustedAccountIds`);
      }
    }
  },
});

const ownerEnforced = stackRule({
  name: "s3-bucket-owner-enforced",
  summary: "Every S3 bucket disables ACLs (object ownership BucketOwnerEnforced)",
  enforcementLevel: "advisory",
  references: { catalogue: [16], fsbp: ["S3.12"], checkov: ["CKV2_AWS_65"] },
  resourceTypes: [...s3.bucket, ...s3.ownership],
  check: (s) =>
    perBucket(s, s3.ownership, (_bucket, controls) => {
      const owners = controls.map((c) => readPath(c.props, ["rule", "objectOwnership"]));
      if (owners.some((o) => !o.known || o.value === "BucketOwnerEnforced")) return undefined;
      return "ACLs are not disabled: attach aws.s3.BucketOwnershipControls with objectOwnership BucketOwnerEnforced";
    }),
});

const versioning = stackRule({
  name: "s3-bucket-versioning",
  summary: "Every S3 bucket has versioning enabled",
  enforcementLevel: "advisory",
  references: { catalogue: [17], fsbp: ["S3.14 (not FSBP)"], checkov: ["CKV_AWS_21"] },
  resourceTypes: [...s3.bucket, ...s3.versioning],
  check: (s) =>
    perBucket(s, s3.versioning, (bucket, configs) => {
      const states = configs.map((c) => readPath(c.props, ["versioningConfiguration", "status"]));
      const inline = readPath(bucket.props, ["versioning", "enabled"]);
      if (states.some((st) => !st.known || st.value === "Enabled") || !inline.known || inline.value === true)
        return undefined;
      return "versioning is not enabled (aws.s3.BucketVersioning with status Enabled)";
    }),
});

const accessLogging = stackRule({
  name: "s3-bucket-access-logging",
  summary: "Every S3 bucket has server access logging to another bucket",
  enforcementLevel: "advisory",
  references: { catalogue: [18], fsbp: ["S3.9"], checkov: ["CKV_AWS_18"] },
  resourceTypes: [...s3.bucket, ...s3.logging],
  check: (s) =>
    perBucket(s, s3.logging, (bucket, configs) => {
      const inline = readPath(bucket.props, ["logging", "targetBucket"]);
      if (configs.length > 0 || !inline.known || inline.value) return undefined;
      return "server access logging is off (aws.s3.BucketLogging)";
    }),
});

const lifecycle = stackRule({
  name: "s3-bucket-lifecycle",
  summary: "Every S3 bucket has a lifecycle configuration that aborts incomplete multipart uploads",
  enforcementLevel: "advisory",
  references: { catalogue: [19], fsbp: ["S3.13"], checkov: ["CKV2_AWS_61", "CKV_AWS_300"] },
  resourceTypes: [...s3.bucket, ...s3.lifecycle],
  check: (s) =>
    perBucket(s, s3.lifecycle, (_bucket, configs) => {
      if (configs.length === 0) return "no lifecycle configuration is attached";
      const rules = configs.map((c) => read<Record<string, unknown>[]>(c.props, "rules"));
      if (rules.some((r) => !r.known)) return undefined;
      const aborts = rules.some((r) =>
        (r.known && Array.isArray(r.value) ? r.value : []).some(
          (rule) => rule?.status === "Enabled" && rule?.abortIncompleteMultipartUpload,
        ),
      );
      return aborts
        ? undefined
        : "no enabled abortIncompleteMultipartUpload rule: incomplete uploads are billed until deleted";
    }),
});

const notifications = stackRule({
  name: "s3-bucket-event-notifications",
  summary: "Every S3 bucket sends event notifications",
  enforcementLevel: "advisory",
  references: { catalogue: [20], fsbp: ["S3.11 (ex-FSBP)"], checkov: ["CKV2_AWS_62"] },
  resourceTypes: [...s3.bucket, ...s3.notification],
  check: (s) =>
    perBucket(s, s3.notification, (_bucket, configs) =>
      configs.length ? undefined : "no aws.s3.BucketNotification is attached",
    ),
});

export const s3Policies: HuntazePolicy[] = [
  publicAccessBlock,
  defaultEncryption,
  kmsEncryption,
  tlsOnly,
  noPublicAcl,
  noPublicPolicy,
  ownerEnforced,
  versioning,
  accessLogging,
  lifecycle,
  notifications,
];
