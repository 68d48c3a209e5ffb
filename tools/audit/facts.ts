// What the collectors read from the account, as plain data. The checks judge only these facts, so
// they are pure and testable on hand-built values. A fact that could not be read is absent (the
// field is undefined) and an `Unreadable` record says which checks it blocks and why.

import type { PublicAccessBlockSetting } from "../../policy-pack/lib/judgements";
import type { Statement } from "../../policy-pack/lib/policy-document";
import type { TrailEventSelectors } from "../../policy-pack/lib/trail-event-selectors";

/** Something the audit could not read, so the checks in `checks` could not be evaluated there. */
export interface Unreadable {
  readonly checks: readonly string[];
  /** The region asked, or "global" for account-wide reads (S3 account settings). */
  readonly region: string;
  /** What was being read, e.g. "ElastiCache replication groups" or "bucket huntaze-logs". */
  readonly what: string;
  /** Why: the error class and AWS's message (never a credential). */
  readonly reason: string;
  /**
   * This read matters only when no other trail covers the account (a trail's status or event
   * selectors): the verdict then drops it, as the runbook says ("unless another trail covers the
   * account").
   */
  readonly unlessAnotherTrailCovers?: boolean;
}

/** A read that either produced facts or could not be evaluated. */
export interface Collected<T> {
  readonly facts?: T;
  readonly unreadable: Unreadable[];
}

/** An ElastiCache replication group, or a cache cluster that belongs to none (standalone). */
export interface CacheFacts {
  readonly kind: "replication-group" | "cache-cluster";
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  /** redis, valkey or memcached (replication groups are Redis OSS or Valkey). */
  readonly engine: string;
  readonly atRestEncryption: boolean;
  readonly kmsKeyId?: string;
  readonly transitEncryption: boolean;
  /** "preferred" | "required" | undefined (an older API answer without the field). */
  readonly transitEncryptionMode?: string;
  readonly authTokenEnabled: boolean;
  readonly userGroupIds: readonly string[];
}

/** An ElastiCache RBAC user (DescribeUsers). Held for the judgement; no password is ever read. */
export interface CacheUserFacts {
  readonly id: string;
  readonly name: string;
  readonly status?: string;
  /** e.g. "on ~* +@all" (AWS's built-in `default` user) or "off ..." */
  readonly accessString?: string;
  /** password | no-password | iam */
  readonly authenticationType?: string;
}

/** An ElastiCache RBAC user group (DescribeUserGroups) with its users (DescribeUsers). */
export interface CacheUserGroupFacts {
  readonly id: string;
  readonly users: readonly CacheUserFacts[];
  /** UserIds the group lists that DescribeUsers did not return. */
  readonly missingUserIds: readonly string[];
}

/** An ElastiCache Serverless cache (DescribeServerlessCaches). Always encrypted at rest and in transit. */
export interface ServerlessCacheFacts {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  /** redis, valkey or memcached. */
  readonly engine: string;
  readonly status?: string;
  /** undefined: encrypted with an AWS-owned key (StorageEncryptionType sse-elasticache). */
  readonly kmsKeyId?: string;
  /** sse-elasticache | sse-kms (newer API answers only). */
  readonly storageEncryptionType?: string;
  /** The RBAC user group (Redis OSS and Valkey); undefined: none. */
  readonly userGroupId?: string;
  /** Recorded for reference; their ingress is not judged (that needs EC2 DescribeSecurityGroups). */
  readonly securityGroupIds: readonly string[];
  /** Days of automatic snapshots; 0 or undefined: none. */
  readonly snapshotRetentionLimit?: number;
}

/** Where an RDS PostgreSQL / MySQL / MariaDB instance takes its TLS parameter from, and the value found there. */
export interface RdsInstanceFacts {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly engine: string;
  readonly engineVersion?: string;
  /** The Aurora or Multi-AZ DB cluster the instance belongs to. */
  readonly clusterId?: string;
  readonly parameterGroup: {
    readonly name: string;
    /** Instances of a cluster (Aurora, Multi-AZ DB cluster) read it from the cluster's parameter group. */
    readonly kind: "instance" | "cluster";
    /** A `default.` group: AWS's engine defaults, not editable. */
    readonly isDefault: boolean;
    /** rds.force_ssl (PostgreSQL) or require_secure_transport (MySQL, MariaDB). */
    readonly parameter: string;
    /** The group's value; undefined when the group sets none (the engine default applies). */
    readonly value?: string;
    /** The group was attached or changed and the instance has not rebooted since: its values are not in effect yet. */
    readonly pendingReboot?: boolean;
  };
}

export type PublicAccessBlockFacts = Partial<Record<PublicAccessBlockSetting, boolean>>;

export interface BucketFacts {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  /** null: the bucket has no public access block configuration; undefined: could not be read. */
  readonly block?: PublicAccessBlockFacts | null;
  /** The bucket policy's statements; null: the bucket has no policy (NoSuchBucketPolicy); undefined: could not be read. */
  readonly policy?: readonly Statement[] | null;
}

export interface S3Facts {
  /** null: NoSuchPublicAccessBlockConfiguration (nothing configured: a failure, not an error). */
  readonly accountBlock?: PublicAccessBlockFacts | null;
  readonly buckets?: readonly BucketFacts[];
}

export interface TrailFacts {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly multiRegion: boolean;
  readonly logFileValidation: boolean;
  /** The KMS key ARN of SSE-KMS log encryption; undefined: SSE-S3 only. */
  readonly kmsKeyId?: string;
  /** From GetTrailStatus in the trail's home region; undefined: could not be read (an Unreadable says why). */
  readonly logging?: boolean;
  /** From GetEventSelectors in the trail's home region; undefined: could not be read (an Unreadable says why). */
  readonly eventSelectors?: TrailEventSelectors;
}

export interface DetectorFacts {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  /** ENABLED | DISABLED (suspended). */
  readonly status: string;
  readonly features: readonly { readonly name: string; readonly status: string }[];
}

export interface StandardFacts {
  readonly arn: string;
  /** PENDING | READY | FAILED | DELETING | INCOMPLETE */
  readonly status: string;
  /** e.g. NO_AVAILABLE_CONFIGURATION_RECORDER when AWS Config is off. */
  readonly reason?: string;
}

export interface SecurityHubFacts {
  readonly region: string;
  /** undefined: Security Hub is not enabled in the region (DescribeHub: InvalidAccessException). */
  readonly hubArn?: string;
  readonly standards: readonly StandardFacts[];
}

export interface ContainerFacts {
  readonly name: string;
  /** Held in memory for the judgement only; reports print names, never values. */
  readonly environment: readonly { readonly name?: string; readonly value?: string }[];
}

export interface TaskDefinitionFacts {
  readonly arn: string;
  readonly taskRoleArn?: string;
  readonly executionRoleArn?: string;
  readonly containers: readonly ContainerFacts[];
}

export interface EcsServiceFacts {
  readonly arn: string;
  readonly cluster: string;
  readonly region: string;
  readonly taskDefinition: TaskDefinitionFacts;
}

export interface LogGroupFacts {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly retentionInDays?: number;
}

export interface RegionFacts {
  readonly region: string;
  readonly caches?: readonly CacheFacts[];
  readonly serverlessCaches?: readonly ServerlessCacheFacts[];
  /** The RBAC user groups the region's caches use; undefined: could not be read. */
  readonly cacheUserGroups?: readonly CacheUserGroupFacts[];
  readonly rdsInstances?: readonly RdsInstanceFacts[];
  /** Detectors of the region; empty: GuardDuty was never enabled there. */
  readonly detectors?: readonly DetectorFacts[];
  readonly securityHub?: SecurityHubFacts;
  readonly ecsServices?: readonly EcsServiceFacts[];
  /**
   * Every ACTIVE task definition revision of the region (ListTaskDefinitions), whoever runs it:
   * services scaled to zero, scheduled and standalone tasks. undefined: could not be read.
   */
  readonly ecsTaskDefinitions?: readonly TaskDefinitionFacts[];
  readonly logGroups?: readonly LogGroupFacts[];
}

export interface AccountFacts {
  readonly accountId: string;
  readonly partition: string;
  readonly regions: readonly RegionFacts[];
  readonly s3: S3Facts;
  /** Every trail visible from the audited regions (shadow copies of multi-region trails included once). */
  readonly trails?: readonly TrailFacts[];
  readonly unreadable: readonly Unreadable[];
}
