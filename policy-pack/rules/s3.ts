import { s3 } from "../lib/aws-types";
import { readPolicy } from "../lib/documents";
import { at, isUnknown, type Resource, resourcePolicy, type StackCheck, stackPolicy } from "../lib/inspect";
import { deniesInsecureTransport, isPublicAllow, parsePolicy, principalAccounts } from "../lib/policy-document";
import type { HuntazePolicy } from "../rule";

// S3 on @pulumi/aws v7: a bucket's protections live in side resources (access block, encryption,
// policy, ...) joined to it by `bucket`, so most rules are stack rules that look for them.

const blockFlags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

type Bag = Record<string, unknown> | null | undefined;

function bucketLabel(bucket: Resource): string {
  const name = bucket.props.bucket;
  return typeof name === "string" && name ? `bucket "${name}" (${bucket.name})` : `bucket ${bucket.name}`;
}

/** The strings that name `bucket` in a side resource's `bucket`: its id and its name. */
function bucketIds(bucket: Resource): string[] {
  return [bucket.props.id, bucket.props.bucket].filter((v): v is string => typeof v === "string" && v.length > 0);
}

/**
 * Side resources that belong to a bucket: by the `bucket` property dependency, else by `bucket`
 * equal to its id or name. Indexed once per rule (by the URNs in `dependsOn.bucket` and by `bucket`),
 * not scanned per bucket: a stack has as many side resources as buckets, and a scan per bucket made
 * the S3 rules quadratic (most of a 5,000-resource policy check).
 */
function sideIndex(side: Resource[]) {
  const byKey = new Map<unknown, number[]>();
  const add = (key: unknown, i: number) => {
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  side.forEach((r, i) => {
    for (const urn of r.dependsOn.bucket ?? []) add(`urn ${urn}`, i);
    if (typeof r.props.bucket === "string") add(`id ${r.props.bucket}`, i);
  });
  /** The side resources attached to `bucket`, in their order in the stack. */
  return (bucket: Resource): Resource[] => {
    const found = new Set<number>(byKey.get(`urn ${bucket.urn}`));
    for (const id of bucketIds(bucket)) for (const i of byKey.get(`id ${id}`) ?? []) found.add(i);
    return [...found].sort((a, b) => a - b).map((i) => side[i] as Resource);
  };
}

/**
 * The items of a list-shaped inline block of the deprecated BucketV2 (`loggings`, `versionings`,
 * `serverSideEncryptionConfigurations`, ...: the Terraform blocks kept as lists, where v7's Bucket has
 * one object); an unknown list is one unknown item.
 */
function blocks(value: unknown): unknown[] {
  if (isUnknown(value)) return [value];
  return Array.isArray(value) ? value : [];
}

/** A bucket's verdict: a problem to report, what is unknown until apply, or nothing. */
type Verdict = string | { unknown: string[] } | undefined;

/** Checks each bucket against its attached side resources of `sideTypes`. */
function perBucket(
  s: StackCheck,
  sideTypes: readonly string[],
  check: (bucket: Resource, attached: Resource[]) => Verdict,
) {
  const buckets = s.ofType(s3.bucket);
  const side = s.ofType(sideTypes);
  // A side resource whose `bucket` is unknown and not computed from a bucket of this stack may
  // belong to any of them: a bucket that looks unprotected is then undecided, not a violation.
  const urns = new Set(buckets.map((b) => b.urn));
  const unjoined = side.filter(
    (r) => isUnknown(r.props.bucket) && !(r.dependsOn.bucket ?? []).some((urn) => urns.has(urn)),
  );
  const attachedTo = sideIndex(side);
  for (const bucket of buckets) {
    const verdict = check(bucket, attachedTo(bucket));
    if (verdict === undefined) continue;
    if (typeof verdict !== "string") for (const what of verdict.unknown) s.unknown(what);
    else if (unjoined.length) for (const r of unjoined) s.unknown(`bucket of ${r.name}`);
    else s.report(bucket, `${bucketLabel(bucket)}: ${verdict}`);
  }
}

/** A side resource for messages: its name and the bucket it names. */
function sideLabel(side: Resource): string {
  const name = side.props.bucket;
  return typeof name === "string" && name ? `${side.name} (bucket "${name}")` : side.name;
}

/**
 * Side resources of `sideTypes` joined to no bucket of this stack (the bucket is declared
 * elsewhere, or adopted by name).
 */
function ofBucketsElsewhere(s: StackCheck, sideTypes: readonly string[]): Resource[] {
  const buckets = s.ofType(s3.bucket);
  const urns = new Set(buckets.map((b) => b.urn));
  const ids = new Set<unknown>(buckets.flatMap(bucketIds));
  return s
    .ofType(sideTypes)
    .filter((r) => !(r.dependsOn.bucket ?? []).some((urn) => urns.has(urn)) && !ids.has(r.props.bucket));
}

/**
 * Judges each side resource of `sideTypes` whose bucket is not in this stack on its own inputs, as
 * Checkov's checks of the side resource itself do.
 */
function perUnattached(s: StackCheck, sideTypes: readonly string[], check: (side: Resource) => Verdict) {
  for (const side of ofBucketsElsewhere(s, sideTypes)) {
    const verdict = check(side);
    if (verdict === undefined) continue;
    if (typeof verdict !== "string") for (const what of verdict.unknown) s.unknown(what);
    else s.report(side, `${sideLabel(side)}, joined to no bucket of this stack: ${verdict}`);
  }
}

/** The four flags over the access blocks of one bucket: a flag passes when any block sets it. */
function blockVerdict(blocks: Resource[]): Verdict {
  if (blocks.length === 0) return "no aws.s3.BucketPublicAccessBlock is attached";
  const flagsOff: string[] = [];
  const unknown: string[] = [];
  for (const flag of blockFlags) {
    if (blocks.some((b) => b.props[flag] === true)) continue;
    const undecided = blocks.filter((b) => isUnknown(b.props[flag]));
    if (undecided.length) unknown.push(...undecided.map((b) => `${flag} of ${b.name}`));
    else flagsOff.push(flag);
  }
  if (flagsOff.length) return `the public access block leaves ${flagsOff.join(", ")} unset or false`;
  return unknown.length ? { unknown } : undefined;
}

const publicAccessBlock = stackPolicy({
  name: "s3-bucket-public-access-block",
  summary:
    "Every S3 bucket has a public access block with all four flags set, and so has every access block whose bucket is outside the stack (FSBP S3.8 and CKV_AWS_53–56 together: unlike CKV2_AWS_6 alone, a block setting only blockPublicAcls and blockPublicPolicy fails)",
  enforcementLevel: "mandatory",
  references: {
    catalogue: [9],
    fsbp: ["S3.8"],
    checkov: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
  },
  resourceTypes: [...s3.bucket, ...s3.publicAccessBlock],
  check: (s) => {
    perBucket(s, s3.publicAccessBlock, (_bucket, blocks) => blockVerdict(blocks));
    perUnattached(s, s3.publicAccessBlock, (block) => blockVerdict([block]));
  },
});

interface Encryption {
  readonly algorithms: string[];
  readonly kmsKeys: number;
  /** Where an algorithm (or a whole rule) is unknown. */
  readonly unknown: string[];
  /** Where only a kmsMasterKeyId is unknown. */
  readonly unknownKeys: string[];
}

function encryption(bucket: Resource, configs: Resource[]): Encryption {
  const rules: { rule: unknown; where: string }[] = [];
  const unknown: string[] = [];
  for (const c of configs) {
    const where = `rules of ${c.name}`;
    const r = c.props.rules;
    if (isUnknown(r)) unknown.push(where);
    else if (Array.isArray(r)) rules.push(...r.map((rule) => ({ rule, where })));
  }
  // Legacy inline configuration on the bucket itself (deprecated in v7, still accepted).
  const where = `serverSideEncryptionConfiguration of ${bucket.name}`;
  const inline = at(bucket.props, "serverSideEncryptionConfiguration.rules");
  if (isUnknown(inline)) unknown.push(where);
  else if (Array.isArray(inline)) rules.push(...inline.map((rule) => ({ rule, where })));
  const inlineSingle = at(bucket.props, "serverSideEncryptionConfiguration.rule");
  if (isUnknown(inlineSingle)) unknown.push(where);
  else if (inlineSingle) rules.push({ rule: inlineSingle, where });
  // The deprecated BucketV2: serverSideEncryptionConfigurations[].rules[].applyServerSideEncryptionByDefaults[].
  const whereV2 = `serverSideEncryptionConfigurations of ${bucket.name}`;
  for (const config of blocks(bucket.props.serverSideEncryptionConfigurations))
    for (const rule of blocks(at(config, "rules")))
      for (const byDefault of blocks(at(rule, "applyServerSideEncryptionByDefaults")))
        rules.push({
          rule: isUnknown(byDefault) ? byDefault : { applyServerSideEncryptionByDefault: byDefault },
          where: whereV2,
        });

  const algorithms: string[] = [];
  const unknownKeys: string[] = [];
  let kmsKeys = 0;
  for (const { rule, where } of rules) {
    const byDefault = isUnknown(rule) ? rule : (rule as Bag)?.applyServerSideEncryptionByDefault;
    if (isUnknown(byDefault)) {
      unknown.push(where);
      continue;
    }
    if (!byDefault) continue;
    const { sseAlgorithm, kmsMasterKeyId } = byDefault as Record<string, unknown>;
    if (isUnknown(sseAlgorithm)) unknown.push(where);
    else if (typeof sseAlgorithm === "string") algorithms.push(sseAlgorithm);
    if (isUnknown(kmsMasterKeyId)) unknownKeys.push(where);
    else if (kmsMasterKeyId) kmsKeys++;
  }
  return { algorithms, kmsKeys, unknown, unknownKeys };
}

const defaultEncryption = stackPolicy({
  name: "s3-bucket-default-encryption",
  summary:
    "Every S3 bucket has default server-side encryption configured (SSE-S3 or SSE-KMS), declared in the stack (unlike CKV_AWS_19, which passes a bucket with no encryption configuration at all since S3 applies SSE-S3 by default)",
  enforcementLevel: "mandatory",
  references: { catalogue: [11], fsbp: ["S3.4 (retired)"], checkov: ["CKV_AWS_19"] },
  resourceTypes: [...s3.bucket, ...s3.encryption],
  check: (s) =>
    perBucket(s, s3.encryption, (bucket, configs) => {
      const { algorithms, unknown } = encryption(bucket, configs);
      if (unknown.length) return { unknown };
      if (algorithms.length === 0)
        return "no default encryption (aws.s3.BucketServerSideEncryptionConfiguration) is attached";
      const bad = algorithms.filter((a) => !["AES256", "aws:kms", "aws:kms:dsse"].includes(a));
      return bad.length ? `unsupported sseAlgorithm ${bad.join(", ")}` : undefined;
    }),
});

const kmsEncryption = stackPolicy({
  name: "s3-bucket-encryption-kms-cmk",
  summary:
    "S3 default encryption uses SSE-KMS with a customer-managed key (unlike CKV_AWS_145, which passes SSE-KMS without kmsMasterKeyId, i.e. the AWS-managed aws/s3 key)",
  enforcementLevel: "advisory",
  references: { catalogue: [12], fsbp: [], checkov: ["CKV_AWS_145"] },
  resourceTypes: [...s3.bucket, ...s3.encryption],
  check: (s) =>
    perBucket(s, s3.encryption, (bucket, configs) => {
      const { algorithms, kmsKeys, unknown, unknownKeys } = encryption(bucket, configs);
      if (unknown.length) return { unknown };
      if (!algorithms.some((a) => a.startsWith("aws:kms")))
        return "default encryption is not SSE-KMS (pass a KMS key to use a customer-managed key)";
      if (kmsKeys > 0) return undefined;
      return unknownKeys.length
        ? { unknown: unknownKeys.map((w) => `kmsMasterKeyId in ${w}`) }
        : "SSE-KMS without kmsMasterKeyId uses the AWS-managed aws/s3 key";
    }),
});

/** Bucket policies of `bucket` (side resources, then the legacy inline one) and where one is unknown. */
function bucketPolicies(bucket: Resource, policies: Resource[]): { docs: unknown[]; unknown: string[] } {
  const docs: unknown[] = [];
  const unknown: string[] = [];
  for (const r of [...policies, bucket]) {
    const policy = readPolicy(r.props.policy);
    if (policy.state === "unknown") unknown.push(`policy of ${r.name}`);
    else if (r.props.policy) docs.push(r.props.policy);
  }
  return { docs, unknown };
}

const tlsOnly = stackPolicy({
  name: "s3-bucket-tls-only-policy",
  summary:
    "Every S3 bucket policy denies requests without TLS (aws:SecureTransport = false), the policy of a bucket declared elsewhere included (unlike CKV_AWS_379, which judges only buckets a public ACL opens, passes website buckets and accepts an Allow conditioned on aws:SecureTransport = true, which does not stop the ACL's own grants over plain HTTP)",
  enforcementLevel: "mandatory",
  references: { catalogue: [13], fsbp: ["S3.5"], checkov: ["CKV_AWS_379"] },
  resourceTypes: [...s3.bucket, ...s3.policy, ...s3.acl],
  check: (s) => {
    perBucket(s, s3.policy, (bucket, policies) => {
      const { docs, unknown } = bucketPolicies(bucket, policies);
      const statements = docs.flatMap((d) => parsePolicy(d) ?? []);
      if (statements.some((st) => deniesInsecureTransport(st, "s3"))) return undefined;
      if (unknown.length) return { unknown };
      return docs.length === 0
        ? "no bucket policy denies non-TLS requests (none is attached)"
        : "the bucket policy has no Deny for aws:SecureTransport = false";
    });
    perUnattached(s, s3.policy, (policy) => {
      const read = readPolicy(policy.props.policy);
      if (read.state === "unknown") return { unknown: [`policy of ${policy.name}`] };
      return read.state === "parsed" && read.statements.some((st) => deniesInsecureTransport(st, "s3"))
        ? undefined
        : "the bucket policy has no Deny for aws:SecureTransport = false";
    });
    const policies = ofBucketsElsewhere(s, s3.policy);
    // A public ACL on a bucket declared elsewhere whose policy is not here either: that policy is
    // judged where it is declared.
    for (const acl of ofBucketsElsewhere(s, s3.acl)) {
      const target = acl.props.bucket;
      if (typeof target !== "string" || policies.some((p) => p.props.bucket === target)) continue;
      const grants = [at(acl.props, "accessControlPolicy.grants"), acl.props.grants].flatMap((g) =>
        Array.isArray(g) ? g : [],
      );
      if (publicAclProblem(acl.props.acl, grants))
        s.outside(
          `bucket "${target}" is made public by ${acl.name} and its policy is not declared in this stack: check there that it denies non-TLS requests`,
        );
    }
  },
});

const publicCannedAcls = new Set(["public-read", "public-read-write", "authenticated-read"]);
/** The canned ACLs S3 accepts (@pulumi/aws `types.enums.s3.CannedAcl`; s3.test.ts holds them equal). */
const cannedAcls: readonly string[] = [
  "private",
  "public-read",
  "public-read-write",
  "aws-exec-read",
  "authenticated-read",
  "bucket-owner-read",
  "bucket-owner-full-control",
  "log-delivery-write",
];
const publicGroupUris = [
  "http://acs.amazonaws.com/groups/global/AllUsers",
  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

/** The grantee URI a grant names (`uri`, or `grantee.uri` in an access control policy). */
function granteeUri(grant: unknown): unknown {
  if (isUnknown(grant)) return grant;
  const g = grant as Bag;
  const grantee = g?.grantee;
  return g?.uri ?? (isUnknown(grantee) ? grantee : (grantee as Bag)?.uri);
}

function publicAclProblem(acl: unknown, grants: unknown[]): string | undefined {
  if (typeof acl === "string" && publicCannedAcls.has(acl))
    return `canned ACL "${acl}" makes objects readable outside the account`;
  for (const grant of grants) {
    const uri = granteeUri(grant);
    if (typeof uri === "string" && publicGroupUris.includes(uri)) return `a grant to ${uri.split("/").pop()} is public`;
  }
  return undefined;
}

const noPublicAcl = resourcePolicy({
  name: "s3-no-public-acl",
  summary:
    'No S3 bucket ACL grants access to AllUsers or AuthenticatedUsers or names a canned ACL S3 does not accept (CKV_AWS_20 and CKV_AWS_57 together: unlike CKV_AWS_57 alone, a public-read ACL or a READ grant to AllUsers fails, and so does the ACL "website", as CKV_AWS_20 fails it; unlike CKV_AWS_375 alone, a grant to AllUsers fails whatever its permission)',
  enforcementLevel: "mandatory",
  references: {
    catalogue: [14],
    fsbp: ["S3.2", "S3.3"],
    checkov: ["CKV_AWS_20", "CKV_AWS_57", "CKV2_AWS_43", "CKV_AWS_375"],
  },
  resourceTypes: [...s3.acl, ...s3.bucket],
  check: (c) => {
    const acl = c.props.acl;
    const lists = { "accessControlPolicy.grants": at(c.props, "accessControlPolicy.grants"), grants: c.props.grants };
    const grants = Object.values(lists).flatMap((g) => (Array.isArray(g) ? g : []));
    const problem = publicAclProblem(acl, grants);
    if (problem) {
      c.report(problem);
      return;
    }
    if (typeof acl === "string" && acl !== "" && !cannedAcls.includes(acl)) {
      c.report(`acl "${acl}" is not a canned ACL S3 accepts (${cannedAcls.join(", ")}): it cannot be judged`);
      return;
    }
    if (isUnknown(acl)) c.unknown("acl");
    for (const [key, list] of Object.entries(lists))
      if (isUnknown(list) || (Array.isArray(list) && list.some((g) => isUnknown(granteeUri(g))))) c.unknown(key);
  },
});

const noPublicPolicy = resourcePolicy({
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
  check: (c) => {
    const policy = readPolicy(c.props.policy);
    if (policy.state === "unknown") c.unknown("policy");
    if (policy.state === "invalid") c.report("the bucket policy is not valid JSON");
    if (policy.state !== "parsed") return;
    const trusted = (c.config.trustedAccountIds as string[] | undefined) ?? [];
    for (const st of policy.statements) {
      if (isPublicAllow(st))
        c.report(`allows ${st.actions.join(", ")} to Principal "*" with no condition on the caller`);
      if (st.effect === "Allow" && trusted.length > 0) {
        const foreign = principalAccounts(st).filter((a) => !trusted.includes(a));
        if (foreign.length) c.report(`allows account(s) ${foreign.join(", ")} that are not in trustedAccountIds`);
      }
    }
  },
});

/** Whether the ownership controls of one bucket disable ACLs (any of them BucketOwnerEnforced). */
function ownershipVerdict(controls: Resource[]): Verdict {
  const owners = controls.map((c) => ({ c, owner: at(c.props, "rule.objectOwnership") }));
  if (owners.some((o) => o.owner === "BucketOwnerEnforced")) return undefined;
  const unknown = owners.filter((o) => isUnknown(o.owner)).map((o) => `rule.objectOwnership of ${o.c.name}`);
  if (unknown.length) return { unknown };
  const set = owners.map((o) => o.owner).filter((o): o is string => typeof o === "string");
  return set.length
    ? `ACLs are not disabled: objectOwnership is ${set.join(", ")}, not BucketOwnerEnforced`
    : "ACLs are not disabled: attach aws.s3.BucketOwnershipControls with objectOwnership BucketOwnerEnforced";
}

const ownerEnforced = stackPolicy({
  name: "s3-bucket-owner-enforced",
  summary:
    "Every S3 bucket disables ACLs (object ownership BucketOwnerEnforced), and so does every ownership control whose bucket is outside the stack (FSBP S3.12: unlike CKV2_AWS_65, which judges only aws_s3_bucket_ownership_controls, a bucket with none attached is reported too)",
  enforcementLevel: "advisory",
  references: { catalogue: [16], fsbp: ["S3.12"], checkov: ["CKV2_AWS_65"] },
  resourceTypes: [...s3.bucket, ...s3.ownership],
  check: (s) => {
    perBucket(s, s3.ownership, (_bucket, controls) => ownershipVerdict(controls));
    perUnattached(s, s3.ownership, (control) => ownershipVerdict([control]));
  },
});

const versioning = stackPolicy({
  name: "s3-bucket-versioning",
  summary: "Every S3 bucket has versioning enabled",
  enforcementLevel: "advisory",
  references: { catalogue: [17], fsbp: ["S3.14 (not FSBP)"], checkov: ["CKV_AWS_21"] },
  resourceTypes: [...s3.bucket, ...s3.versioning],
  check: (s) =>
    perBucket(s, s3.versioning, (bucket, configs) => {
      const states = configs.map((c) => ({ c, status: at(c.props, "versioningConfiguration.status") }));
      // Inline: v7 Bucket's `versioning`, the deprecated BucketV2's `versionings` list.
      const inline = [
        at(bucket.props, "versioning.enabled"),
        ...blocks(bucket.props.versionings).map((v) => at(v, "enabled")),
      ];
      if (states.some((st) => st.status === "Enabled") || inline.includes(true)) return undefined;
      const unknown = states
        .filter((st) => isUnknown(st.status))
        .map((st) => `versioningConfiguration.status of ${st.c.name}`);
      if (inline.some(isUnknown)) unknown.push(`versioning of ${bucket.name}`);
      if (unknown.length) return { unknown };
      return "versioning is not enabled (aws.s3.BucketVersioning with status Enabled)";
    }),
});

const accessLogging = stackPolicy({
  name: "s3-bucket-access-logging",
  summary: "Every S3 bucket has server access logging to another bucket",
  enforcementLevel: "advisory",
  references: { catalogue: [18], fsbp: ["S3.9"], checkov: ["CKV_AWS_18"] },
  resourceTypes: [...s3.bucket, ...s3.logging],
  check: (s) =>
    perBucket(s, s3.logging, (bucket, configs) => {
      if (configs.length > 0) return undefined;
      // Inline: v7 Bucket's `logging`, the deprecated BucketV2's `loggings` list.
      const targets = [
        at(bucket.props, "logging.targetBucket"),
        ...blocks(bucket.props.loggings).map((l) => at(l, "targetBucket")),
      ];
      if (targets.some((t) => !isUnknown(t) && t)) return undefined;
      if (targets.some(isUnknown)) return { unknown: [`logging of ${bucket.name}`] };
      return "server access logging is off (aws.s3.BucketLogging)";
    }),
});

/** One lifecycle rule as the abort check reads it, from a lifecycle configuration or a bucket's legacy inline rules. */
interface LifecycleRule {
  readonly enabled: unknown;
  readonly abort: unknown;
  /** What may narrow the rule to part of the bucket: prefixes, object sizes, tags. */
  readonly selectors: unknown[];
  readonly where: string;
}

const filterSelectors = ["prefix", "objectSizeGreaterThan", "objectSizeLessThan", "tag", "tags"];

/** The rules of a BucketLifecycleConfiguration (`rules`) or of a bucket's deprecated inline `lifecycleRules`. */
function lifecycleRulesOf(r: Resource): LifecycleRule[] {
  const rules: LifecycleRule[] = [];
  const { rules: configured, lifecycleRules: inline } = r.props;
  for (const [list, where] of [
    [configured, `rules of ${r.name}`],
    [inline, `lifecycleRules of ${r.name}`],
  ] as const) {
    if (isUnknown(list)) rules.push({ enabled: list, abort: list, selectors: [], where });
    for (const rule of Array.isArray(list) ? list : []) {
      const bag = (isUnknown(rule) ? {} : (rule ?? {})) as Record<string, unknown>;
      const abort = isUnknown(rule)
        ? rule
        : list === inline
          ? bag.abortIncompleteMultipartUploadDays
          : bag.abortIncompleteMultipartUpload;
      const status = isUnknown(rule) ? rule : list === inline ? bag.enabled : bag.status;
      const enabled = isUnknown(status) ? status : status === true || status === "Enabled";
      const filter = bag.filter;
      const selectors = [
        bag.prefix,
        bag.tags,
        ...filterSelectors.flatMap((k) => [at(filter, k), at(filter, `and.${k}`)]),
      ];
      rules.push({ enabled, abort, selectors, where });
    }
  }
  return rules;
}

/** Whether `value` selects part of a bucket: a non-empty prefix, a positive object size, a tag or tags. */
function selectsPart(value: unknown): boolean {
  if (typeof value === "string") return value.length > 0;
  if (typeof value === "number") return value > 0;
  return value !== null && typeof value === "object" && Object.keys(value).length > 0;
}

/**
 * Whether an enabled rule aborts incomplete multipart uploads on the whole bucket (a rule with a
 * prefix, size or tag filter leaves the uploads elsewhere billed): true, false, or what is unknown.
 */
function abortsEverywhere(rules: LifecycleRule[]): boolean | string[] {
  const unknown: string[] = [];
  for (const { enabled, abort, selectors, where } of rules) {
    if (enabled === false || (!isUnknown(enabled) && enabled !== true)) continue;
    if (!isUnknown(abort) && !abort) continue;
    if (selectors.some((v) => !isUnknown(v) && selectsPart(v))) continue;
    if (isUnknown(enabled) || isUnknown(abort) || selectors.some(isUnknown)) unknown.push(where);
    else return true;
  }
  return unknown.length ? unknown : false;
}

const noAbortRule =
  "no enabled abortIncompleteMultipartUpload rule covers the whole bucket: incomplete uploads are billed until deleted";

const lifecycle = stackPolicy({
  name: "s3-bucket-lifecycle",
  summary:
    "Every S3 bucket has a lifecycle configuration with an enabled rule that aborts incomplete multipart uploads on the whole bucket, and so does the lifecycle configuration of a bucket declared elsewhere (unlike CKV2_AWS_61, which passes any lifecycle configuration; as CKV_AWS_300 does for the configuration, and for the bucket's legacy inline lifecycleRules too)",
  enforcementLevel: "advisory",
  references: { catalogue: [19], fsbp: ["S3.13"], checkov: ["CKV2_AWS_61", "CKV_AWS_300"] },
  resourceTypes: [...s3.bucket, ...s3.lifecycle],
  check: (s) => {
    perBucket(s, s3.lifecycle, (bucket, configs) => {
      const inline = bucket.props.lifecycleRules;
      if (configs.length === 0 && !isUnknown(inline) && !(Array.isArray(inline) && inline.length > 0))
        return "no lifecycle configuration is attached";
      const aborts = abortsEverywhere([bucket, ...configs].flatMap(lifecycleRulesOf));
      if (aborts === true) return undefined;
      return aborts === false ? noAbortRule : { unknown: aborts };
    });
    perUnattached(s, s3.lifecycle, (config) => {
      const aborts = abortsEverywhere(lifecycleRulesOf(config));
      if (aborts === true) return undefined;
      return aborts === false ? noAbortRule : { unknown: aborts };
    });
  },
});

const notifications = stackPolicy({
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
