import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { describe } from "mocha";
import { complies, UNKNOWN_ARRAY, UNKNOWN_STRING, violates } from "../support/policy-cases";
import type { TestResource } from "../support/policy-harness";

// The bucket "logs" with every protection HardenedBucket attaches; each case removes or spoils one.

const bucket = (type = "aws:s3/bucket:Bucket"): TestResource => ({
  type,
  name: "logs",
  inputs: {},
  outputs: { id: "logs", bucket: "logs", arn: "arn:aws:s3:::logs" },
});
const loose = (type: string, name: string, inputs: Record<string, unknown>): TestResource => ({
  type,
  name,
  inputs: { bucket: "logs", ...inputs },
});
const side = (type: string, name: string, inputs: Record<string, unknown>): TestResource => ({
  type,
  name,
  inputs: { bucket: "logs", ...inputs },
  propertyDependencies: { bucket: ["logs"] },
});
const allFlags = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};
const tlsPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
});
const publicReadPolicy = JSON.stringify({
  Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/*" }],
});

const pieces = {
  block: side("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "logs-pab", allFlags),
  sseKms: side("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "logs-sse", {
    rules: [
      {
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: "aws:kms",
          kmsMasterKeyId: "arn:aws:kms:us-east-1:317805897534:key/1",
        },
        bucketKeyEnabled: true,
      },
    ],
  }),
  policy: side("aws:s3/bucketPolicy:BucketPolicy", "logs-policy", { policy: tlsPolicy }),
  ownership: side("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "logs-own", {
    rule: { objectOwnership: "BucketOwnerEnforced" },
  }),
  versioning: side("aws:s3/bucketVersioning:BucketVersioning", "logs-ver", {
    versioningConfiguration: { status: "Enabled" },
  }),
  logging: side("aws:s3/bucketLogging:BucketLogging", "logs-log", {
    targetBucket: "access-logs",
    targetPrefix: "logs/",
  }),
  lifecycle: side("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "logs-lc", {
    rules: [{ id: "abort", status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }],
  }),
  notification: side("aws:s3/bucketNotification:BucketNotification", "logs-events", { eventbridge: true }),
};
const sseS3 = side(
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "logs-sse",
  {
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
  },
);
type Piece = keyof typeof pieces;
const hardened = (replace: Partial<Record<Piece, TestResource | null>> = {}, bucketType?: string): TestResource[] => [
  bucket(bucketType),
  ...(Object.keys(pieces) as Piece[]).flatMap((k) => {
    const r = k in replace ? replace[k] : pieces[k];
    return r ? [r] : [];
  }),
];
/**
 * A deprecated BucketV2 "logs" configured inline (its Terraform blocks are lists: `loggings`,
 * `versionings`, `serverSideEncryptionConfigurations`), with the side resources but `without`.
 */
const inlineBucket = (inputs: Record<string, unknown>, type?: string): TestResource => {
  const b = bucket(type);
  return { ...b, inputs, outputs: { ...b.outputs, ...inputs } };
};
const inlineV2 = (inputs: Record<string, unknown>, without: Piece): TestResource[] => [
  inlineBucket(inputs, "aws:s3/bucketV2:BucketV2"),
  ...hardened({ [without]: null }).slice(1),
];
const inlineSse = (sseAlgorithm: string, kmsMasterKeyId?: string) => ({
  serverSideEncryptionConfigurations: [
    {
      rules: [
        { applyServerSideEncryptionByDefaults: [{ sseAlgorithm, ...(kmsMasterKeyId ? { kmsMasterKeyId } : {}) }] },
      ],
    },
  ],
});

describe("policy pack: S3", () => {
  complies({ rule: "s3-bucket-public-access-block", title: "a bucket with all four flags", resources: hardened() });
  complies({
    rule: "s3-bucket-public-access-block",
    title: "a deprecated BucketV2 with all four flags",
    resources: hardened({}, "aws:s3/bucketV2:BucketV2"),
  });
  violates({
    rule: "s3-bucket-public-access-block",
    title: "a bucket without an access block",
    resources: hardened({ block: null }),
    message: /no aws.s3.BucketPublicAccessBlock/,
  });
  violates({
    rule: "s3-bucket-public-access-block",
    title: "a block leaving restrictPublicBuckets off",
    resources: hardened({
      block: side("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "logs-pab", {
        ...allFlags,
        restrictPublicBuckets: false,
      }),
    }),
    message: /restrictPublicBuckets/,
  });
  violates({
    rule: "s3-bucket-public-access-block",
    title: "a deprecated BucketV2 without an access block",
    resources: hardened({ block: null }, "aws:s3/bucketV2:BucketV2"),
  });
  complies({
    rule: "s3-bucket-public-access-block",
    title: "a block joined by bucket name alone (no dependency recorded)",
    resources: [bucket(), { ...pieces.block, propertyDependencies: {} }],
  });
  complies({
    rule: "s3-bucket-public-access-block",
    title: "a flag unknown during preview (re-checked on up)",
    resources: hardened({
      block: side("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "logs-pab", {
        ...allFlags,
        blockPublicAcls: UNKNOWN_STRING,
      }),
    }),
  });

  // A side resource joined to no bucket of the stack (the bucket lives elsewhere) is judged on its own.
  complies({
    rule: "s3-bucket-public-access-block",
    title: "a block with all four flags on a bucket outside the stack",
    resources: [loose("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "elsewhere-pab", allFlags)],
  });
  violates({
    rule: "s3-bucket-public-access-block",
    title: "a block leaving ignorePublicAcls off on a bucket outside the stack",
    resources: [
      loose("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "elsewhere-pab", {
        ...allFlags,
        ignorePublicAcls: false,
      }),
    ],
    message: /elsewhere-pab \(bucket "logs"\), joined to no bucket of this stack: .*ignorePublicAcls/,
  });
  violates({
    rule: "s3-bucket-public-access-block",
    title: "a block with no flags whose bucket is unknown and not one of the stack's",
    resources: [
      ...hardened({ block: null }),
      loose("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "other-pab", { bucket: UNKNOWN_STRING }),
    ],
    message: /other-pab, joined to no bucket of this stack: .*blockPublicAcls, blockPublicPolicy/,
  });
  violates({
    rule: "s3-bucket-public-access-block",
    title: "a stack bucket's weak block, reported once on the bucket",
    resources: hardened({
      block: side("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "logs-pab", {
        ...allFlags,
        blockPublicPolicy: false,
      }),
    }),
    message: /bucket "logs" \(logs\): .*blockPublicPolicy/,
    andThen: (violations) =>
      expect(violations.filter((v) => v.policy === "s3-bucket-public-access-block")).to.have.length(1),
  });
  complies({
    rule: "s3-bucket-public-access-block",
    title: "a flag unknown on a block outside the stack (re-checked on up)",
    resources: [
      loose("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "elsewhere-pab", {
        ...allFlags,
        restrictPublicBuckets: UNKNOWN_STRING,
      }),
    ],
  });

  complies({ rule: "s3-bucket-default-encryption", title: "SSE-S3", resources: hardened({ sseKms: sseS3 }) });
  violates({
    rule: "s3-bucket-default-encryption",
    title: "no encryption configuration",
    resources: hardened({ sseKms: null }),
    message: /no default encryption/,
  });
  violates({
    rule: "s3-bucket-default-encryption",
    title: "a deprecated V2 configuration with an unknown algorithm",
    resources: hardened({
      sseKms: side(
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        "logs-sse",
        {
          rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "ROT13" } }],
        },
      ),
    }),
    message: /unsupported sseAlgorithm ROT13/,
  });

  complies({
    rule: "s3-bucket-default-encryption",
    title: "SSE-S3 inline on a deprecated BucketV2 (serverSideEncryptionConfigurations)",
    resources: inlineV2(inlineSse("AES256"), "sseKms"),
  });
  violates({
    rule: "s3-bucket-default-encryption",
    title: "an unknown algorithm inline on a deprecated BucketV2",
    resources: inlineV2(inlineSse("ROT13"), "sseKms"),
    message: /unsupported sseAlgorithm ROT13/,
  });
  violates({
    rule: "s3-bucket-default-encryption",
    title: "a deprecated BucketV2 whose inline configuration has no default rule",
    resources: inlineV2({ serverSideEncryptionConfigurations: [{ rules: [{ bucketKeyEnabled: true }] }] }, "sseKms"),
    message: /no default encryption/,
  });
  complies({
    rule: "s3-bucket-default-encryption",
    title: "an inline BucketV2 configuration unknown during preview (re-checked on up)",
    resources: inlineV2({ serverSideEncryptionConfigurations: UNKNOWN_ARRAY }, "sseKms"),
  });

  complies({ rule: "s3-bucket-encryption-kms-cmk", title: "SSE-KMS with a customer key", resources: hardened() });
  complies({
    rule: "s3-bucket-encryption-kms-cmk",
    title: "dual-layer SSE-KMS (aws:kms:dsse) with a customer key",
    resources: hardened({
      sseKms: side(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "logs-sse",
        {
          rules: [
            {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms:dsse",
                kmsMasterKeyId: "arn:aws:kms:us-east-1:317805897534:key/1",
              },
            },
          ],
        },
      ),
    }),
  });
  complies({
    rule: "s3-bucket-encryption-kms-cmk",
    title: "SSE-KMS with a customer key inline on a deprecated BucketV2",
    resources: inlineV2(inlineSse("aws:kms", "arn:aws:kms:us-east-1:317805897534:key/1"), "sseKms"),
  });
  violates({
    rule: "s3-bucket-encryption-kms-cmk",
    title: "SSE-KMS with the AWS-managed key inline on a deprecated BucketV2",
    resources: inlineV2(inlineSse("aws:kms"), "sseKms"),
    message: /aws\/s3 key/,
  });
  violates({
    rule: "s3-bucket-encryption-kms-cmk",
    title: "SSE-S3",
    resources: hardened({ sseKms: sseS3 }),
    message: /not SSE-KMS/,
  });

  complies({ rule: "s3-bucket-tls-only-policy", title: "a Deny on aws:SecureTransport=false", resources: hardened() });
  violates({
    rule: "s3-bucket-tls-only-policy",
    title: "no bucket policy",
    resources: hardened({ policy: null }),
    message: /none is attached/,
  });
  violates({
    rule: "s3-bucket-tls-only-policy",
    title: "a policy without the TLS deny",
    resources: hardened({
      policy: side("aws:s3/bucketPolicy:BucketPolicy", "logs-policy", { policy: JSON.stringify({ Statement: [] }) }),
    }),
    message: /no Deny for aws:SecureTransport/,
  });

  complies({
    rule: "s3-no-public-acl",
    title: "a private ACL",
    resources: [{ type: "aws:s3/bucketAcl:BucketAcl", name: "acl", inputs: { bucket: "logs", acl: "private" } }],
  });
  violates({
    rule: "s3-no-public-acl",
    title: "public-read on BucketAcl",
    resources: [{ type: "aws:s3/bucketAcl:BucketAcl", name: "acl", inputs: { bucket: "logs", acl: "public-read" } }],
    message: /public-read/,
  });
  violates({
    rule: "s3-no-public-acl",
    title: "a grant to AllUsers on the deprecated BucketAclV2",
    resources: [
      {
        type: "aws:s3/bucketAclV2:BucketAclV2",
        name: "acl",
        inputs: {
          bucket: "logs",
          accessControlPolicy: {
            grants: [
              {
                grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" },
                permission: "READ",
              },
            ],
          },
        },
      },
    ],
    message: /AllUsers/,
  });
  // Every canned ACL of the provider is known to the rule: the private ones comply, the public ones are reported as public.
  for (const acl of Object.values(aws.types.enums.s3.CannedAcl)) {
    const isPublic = ["public-read", "public-read-write", "authenticated-read"].includes(acl);
    (isPublic ? violates : complies)({
      rule: "s3-no-public-acl",
      title: `the provider's canned ACL ${acl}`,
      resources: [{ type: "aws:s3/bucketAcl:BucketAcl", name: "acl", inputs: { bucket: "logs", acl } }],
      ...(isPublic ? { message: /makes objects readable/ } : {}),
    });
  }
  violates({
    rule: "s3-no-public-acl",
    title: "an ACL that is no canned ACL S3 accepts (website, which CKV_AWS_20 fails)",
    resources: [{ type: "aws:s3/bucketAcl:BucketAcl", name: "acl", inputs: { bucket: "logs", acl: "website" } }],
    message: /acl "website" is not a canned ACL S3 accepts \(private, public-read, .*log-delivery-write\)/,
  });
  violates({
    rule: "s3-no-public-acl",
    title: "an inline public-read-write ACL on the bucket",
    resources: [{ type: "aws:s3/bucket:Bucket", name: "b", inputs: { acl: "public-read-write" } }],
  });

  complies({ rule: "s3-no-public-bucket-policy", title: "the TLS-only policy", resources: hardened() });
  complies({
    rule: "s3-no-public-bucket-policy",
    title: "a service principal pinned by aws:SourceAccount",
    resources: [
      loose("aws:s3/bucketPolicy:BucketPolicy", "p", {
        policy: JSON.stringify({
          Statement: [
            {
              Effect: "Allow",
              Principal: "*",
              Action: "s3:PutObject",
              Resource: "*",
              Condition: { StringEquals: { "aws:SourceAccount": "317805897534" } },
            },
          ],
        }),
      }),
    ],
  });
  violates({
    rule: "s3-no-public-bucket-policy",
    title: "Allow s3:GetObject to AWS:*",
    resources: hardened({
      policy: side("aws:s3/bucketPolicy:BucketPolicy", "logs-policy", { policy: publicReadPolicy }),
    }),
    message: /Principal "\*"/,
  });
  violates({
    rule: "s3-no-public-bucket-policy",
    title: "an account outside trustedAccountIds",
    config: { "s3-no-public-bucket-policy": { trustedAccountIds: ["317805897534"] } },
    resources: [
      loose("aws:s3/bucketPolicy:BucketPolicy", "p", {
        policy: JSON.stringify({
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::999988887777:root" },
              Action: "s3:GetObject",
              Resource: "*",
            },
          ],
        }),
      }),
    ],
    message: /999988887777/,
  });
  violates({
    rule: "s3-no-public-bucket-policy",
    title: "a policy that is not JSON",
    resources: [loose("aws:s3/bucketPolicy:BucketPolicy", "p", { policy: "{not json" })],
    message: /not valid JSON/,
  });

  complies({ rule: "s3-bucket-owner-enforced", title: "BucketOwnerEnforced", resources: hardened() });
  violates({
    rule: "s3-bucket-owner-enforced",
    title: "ObjectWriter ownership",
    resources: hardened({
      ownership: side("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "logs-own", {
        rule: { objectOwnership: "ObjectWriter" },
      }),
    }),
  });

  complies({
    rule: "s3-bucket-owner-enforced",
    title: "BucketOwnerEnforced on a bucket outside the stack",
    resources: [
      loose("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "elsewhere-own", {
        rule: { objectOwnership: "BucketOwnerEnforced" },
      }),
    ],
  });
  violates({
    rule: "s3-bucket-owner-enforced",
    title: "BucketOwnerPreferred on a bucket outside the stack",
    resources: [
      loose("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "elsewhere-own", {
        rule: { objectOwnership: "BucketOwnerPreferred" },
      }),
    ],
    message: /elsewhere-own \(bucket "logs"\), joined to no bucket of this stack: .*BucketOwnerPreferred/,
  });
  violates({
    rule: "s3-bucket-owner-enforced",
    title: "a bucket without ownership controls (unlike CKV2_AWS_65, which judges only the controls)",
    resources: hardened({ ownership: null }),
    message: /attach aws.s3.BucketOwnershipControls/,
  });

  complies({ rule: "s3-bucket-versioning", title: "versioning Enabled", resources: hardened() });
  complies({
    rule: "s3-bucket-versioning",
    title: "versioning enabled inline on a deprecated BucketV2 (versionings)",
    resources: inlineV2({ versionings: [{ enabled: true }] }, "versioning"),
  });
  violates({
    rule: "s3-bucket-versioning",
    title: "versioning disabled inline on a deprecated BucketV2",
    resources: inlineV2({ versionings: [{ enabled: false }] }, "versioning"),
    message: /versioning is not enabled/,
  });
  violates({
    rule: "s3-bucket-versioning",
    title: "versioning Suspended on the deprecated V2 resource",
    resources: hardened({
      versioning: side("aws:s3/bucketVersioningV2:BucketVersioningV2", "logs-ver", {
        versioningConfiguration: { status: "Suspended" },
      }),
    }),
  });

  complies({ rule: "s3-bucket-access-logging", title: "a BucketLogging target", resources: hardened() });
  violates({ rule: "s3-bucket-access-logging", title: "no logging", resources: hardened({ logging: null }) });
  complies({
    rule: "s3-bucket-access-logging",
    title: "inline logging on a deprecated BucketV2 (loggings)",
    resources: inlineV2({ loggings: [{ targetBucket: "access-logs", targetPrefix: "logs/" }] }, "logging"),
  });
  violates({
    rule: "s3-bucket-access-logging",
    title: "a deprecated BucketV2 with an empty loggings list",
    resources: inlineV2({ loggings: [] }, "logging"),
    message: /server access logging is off/,
  });
  complies({
    rule: "s3-bucket-access-logging",
    title: "a BucketV2 logging target unknown during preview (re-checked on up)",
    resources: inlineV2({ loggings: [{ targetBucket: UNKNOWN_STRING }] }, "logging"),
  });
  complies({
    rule: "s3-bucket-access-logging",
    title: "inline logging on a v7 Bucket (logging)",
    resources: [inlineBucket({ logging: { targetBucket: "access-logs" } })],
  });

  complies({ rule: "s3-bucket-lifecycle", title: "an abort-incomplete-uploads rule", resources: hardened() });
  violates({
    rule: "s3-bucket-lifecycle",
    title: "no lifecycle configuration",
    resources: hardened({ lifecycle: null }),
    message: /no lifecycle/,
  });
  violates({
    rule: "s3-bucket-lifecycle",
    title: "a lifecycle that only expires objects",
    resources: hardened({
      lifecycle: side("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "logs-lc", {
        rules: [{ id: "x", status: "Enabled", expiration: { days: 30 } }],
      }),
    }),
    message: /abortIncompleteMultipartUpload/,
  });

  complies({ rule: "s3-bucket-event-notifications", title: "an EventBridge notification", resources: hardened() });
  violates({
    rule: "s3-bucket-event-notifications",
    title: "no notification",
    resources: hardened({ notification: null }),
  });
});
