import type { CoveredType } from "./covered-type";

// The S3 checks the pack cites, with the Terraform types their source declares in
// bridgecrewio/checkov. Graph checks (YAML) list `resource_types` (the bucket they report on) and the
// `connected_resource_types` whose attributes they judge; resource checks (Python) list
// `supported_resources`. The tokens are written out here, not imported from
// policy-pack/lib/aws-types.ts, so that the table is a second statement the rules are held to.

const bucket = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const publicAccessBlock = ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"];
const encryption = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const acl = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"];
const policy = ["aws:s3/bucketPolicy:BucketPolicy"];
const ownership = ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"];
const versioning = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];
const logging = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];
const lifecycle = [
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
];
const notification = ["aws:s3/bucketNotification:BucketNotification"];

export const types: CoveredType[] = [
  // CKV_AWS_18 graph_checks/aws/S3BucketLogging.yaml: aws_s3_bucket with `logging`, or joined to an
  // aws_s3_bucket_logging.
  { check: "CKV_AWS_18", terraform: "aws_s3_bucket", pulumi: bucket },
  { check: "CKV_AWS_18", terraform: "aws_s3_bucket_logging", pulumi: logging },

  // CKV_AWS_19 graph_checks/aws/S3BucketEncryption.yaml: aws_s3_bucket (inline
  // server_side_encryption_configuration, or none at all since S3 encrypts with SSE-S3 by default) or
  // joined to an aws_s3_bucket_server_side_encryption_configuration whose sse_algorithm is aws:kms or
  // AES256.
  { check: "CKV_AWS_19", terraform: "aws_s3_bucket", pulumi: bucket },
  { check: "CKV_AWS_19", terraform: "aws_s3_bucket_server_side_encryption_configuration", pulumi: encryption },

  // CKV_AWS_20 graph_checks/aws/S3PublicACLRead.yaml: aws_s3_bucket's `acl`, or the acl and
  // access_control_policy grants of a joined aws_s3_bucket_acl.
  { check: "CKV_AWS_20", terraform: "aws_s3_bucket", pulumi: bucket },
  { check: "CKV_AWS_20", terraform: "aws_s3_bucket_acl", pulumi: acl },

  // CKV_AWS_21 graph_checks/aws/S3BucketVersioning.yaml: aws_s3_bucket's versioning.enabled, or a
  // joined aws_s3_bucket_versioning with versioning_configuration.status Enabled.
  { check: "CKV_AWS_21", terraform: "aws_s3_bucket", pulumi: bucket },
  { check: "CKV_AWS_21", terraform: "aws_s3_bucket_versioning", pulumi: versioning },

  // CKV_AWS_53..56 resource/aws/S3BlockPublicACLs.py, S3BlockPublicPolicy.py, S3IgnorePublicACLs.py,
  // S3RestrictPublicBuckets.py: supported_resources = ["aws_s3_bucket_public_access_block"], one
  // flag each, the block judged alone.
  { check: "CKV_AWS_53", terraform: "aws_s3_bucket_public_access_block", pulumi: publicAccessBlock },
  { check: "CKV_AWS_54", terraform: "aws_s3_bucket_public_access_block", pulumi: publicAccessBlock },
  { check: "CKV_AWS_55", terraform: "aws_s3_bucket_public_access_block", pulumi: publicAccessBlock },
  { check: "CKV_AWS_56", terraform: "aws_s3_bucket_public_access_block", pulumi: publicAccessBlock },

  // CKV_AWS_57 graph_checks/aws/S3PublicACLWrite.yaml: as CKV_AWS_20, for public-read-write and
  // WRITE / WRITE_ACP / FULL_CONTROL grants to AllUsers.
  { check: "CKV_AWS_57", terraform: "aws_s3_bucket", pulumi: bucket },
  { check: "CKV_AWS_57", terraform: "aws_s3_bucket_acl", pulumi: acl },

  // CKV_AWS_70 resource/aws/S3AllowsAnyPrincipal.py: supported_resources = ['aws_s3_bucket',
  // 'aws_s3_bucket_policy'] (the bucket's legacy inline `policy`, and the policy resource).
  { check: "CKV_AWS_70", terraform: "aws_s3_bucket", pulumi: bucket },
  { check: "CKV_AWS_70", terraform: "aws_s3_bucket_policy", pulumi: policy },

  // CKV_AWS_145 graph_checks/aws/S3KMSEncryptedByDefault.yaml: aws_s3_bucket (inline) or a joined
  // aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms or aws:kms:dsse.
  { check: "CKV_AWS_145", terraform: "aws_s3_bucket", pulumi: bucket },
  { check: "CKV_AWS_145", terraform: "aws_s3_bucket_server_side_encryption_configuration", pulumi: encryption },

  // CKV_AWS_300 resource/aws/S3AbortIncompleteUploads.py: supported_resources =
  // ("aws_s3_bucket_lifecycle_configuration",), the configuration judged alone.
  { check: "CKV_AWS_300", terraform: "aws_s3_bucket_lifecycle_configuration", pulumi: lifecycle },

  // CKV_AWS_375 resource/aws/S3GlobalViewACL.py: supported_resources = ("aws_s3_bucket_acl",)
  // (READ_ACP or FULL_CONTROL granted to AllUsers).
  { check: "CKV_AWS_375", terraform: "aws_s3_bucket_acl", pulumi: acl },

  // CKV_AWS_379 resource/aws/S3SecureDataTransport.py: supported_resources = ('aws_s3_bucket_acl',);
  // it then looks up in the graph, by the ACL's bucket, the aws_s3_bucket_public_access_block (which
  // can neutralise the ACL), an aws_s3_bucket_website_configuration (which passes it) and the
  // aws_s3_bucket_policy, whose statements it reads.
  { check: "CKV_AWS_379", terraform: "aws_s3_bucket_acl", pulumi: acl },
  { check: "CKV_AWS_379", terraform: "aws_s3_bucket_policy", pulumi: policy },
  {
    check: "CKV_AWS_379",
    terraform: "aws_s3_bucket_public_access_block",
    notJudged:
      "the rule asks a TLS-only policy of every bucket, whether or not a public ACL is in force; the access block is judged by s3-bucket-public-access-block",
  },
  {
    check: "CKV_AWS_379",
    terraform: "aws_s3_bucket_website_configuration",
    notJudged:
      "a website configuration exempts no bucket from the rule: every bucket policy must deny requests without TLS",
  },

  // CKV2_AWS_6 graph_checks/aws/S3BucketHasPublicAccessBlock.yaml: aws_s3_bucket joined to an
  // aws_s3_bucket_public_access_block with block_public_acls and block_public_policy true (the YAML
  // is not in the search index; its fixture's expected.yaml reports on aws_s3_bucket only).
  { check: "CKV2_AWS_6", terraform: "aws_s3_bucket", pulumi: bucket },
  { check: "CKV2_AWS_6", terraform: "aws_s3_bucket_public_access_block", pulumi: publicAccessBlock },

  // CKV2_AWS_43 graph_checks/aws/S3NotAllowAccessToAllAuthenticatedUsers.yaml: resource_types
  // aws_s3_bucket_acl (access_control_policy.grant.*.grantee.uri not AuthenticatedUsers).
  { check: "CKV2_AWS_43", terraform: "aws_s3_bucket_acl", pulumi: acl },

  // CKV2_AWS_61 graph_checks/aws/S3BucketLifecycle.yaml: aws_s3_bucket joined to an
  // aws_s3_bucket_lifecycle_configuration (or, in the newer version, with an inline lifecycle_rule).
  { check: "CKV2_AWS_61", terraform: "aws_s3_bucket", pulumi: bucket },
  { check: "CKV2_AWS_61", terraform: "aws_s3_bucket_lifecycle_configuration", pulumi: lifecycle },

  // CKV2_AWS_62 graph_checks/aws/S3BucketEventNotifications.yaml: aws_s3_bucket joined to an
  // aws_s3_bucket_notification.
  { check: "CKV2_AWS_62", terraform: "aws_s3_bucket", pulumi: bucket },
  { check: "CKV2_AWS_62", terraform: "aws_s3_bucket_notification", pulumi: notification },

  // CKV2_AWS_65 graph_checks/aws/AWSdisableS3ACL.yaml: resource_types
  // aws_s3_bucket_ownership_controls (rule.object_ownership equals BucketOwnerEnforced).
  { check: "CKV2_AWS_65", terraform: "aws_s3_bucket_ownership_controls", pulumi: ownership },
];
