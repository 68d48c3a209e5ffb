// Type tokens, v7 names first. @pulumi/aws v7 renamed s3 BucketV2 -> Bucket and dropped the V2
// suffix of the bucket side resources; stacks still on the deprecated names must be checked too.
export const s3 = {
  bucket: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
  publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
  accountPublicAccessBlock: ["aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"],
  encryption: [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  ],
  policy: ["aws:s3/bucketPolicy:BucketPolicy"],
  acl: ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
  ownership: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
  versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
  logging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
  lifecycle: [
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
  ],
  notification: ["aws:s3/bucketNotification:BucketNotification"],
} as const;
