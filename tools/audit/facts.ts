// What the collectors read from the account, as plain data. The checks judge only these facts, so
// they are pure and testable on hand-built values. A fact that could not be read is absent (the
// field is undefined) and an `Unreadable` record says which checks it blocks and why.

import type { PublicAccessBlockSetting } from "../../policy-pack/lib/judgements";
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

/** Where an RDS PostgreSQL instance takes rds.force_ssl from, and the value found there. */
export interface RdsInstanceFacts {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly engine: string;
  readonly engineVersion?: string;
  readonly parameterGroup: {
    readonly name: string;
    /** Aurora reads rds.force_ssl from the cluster's parameter group. */
    readonly kind: "instance" | "cluster";
    /** A `default.` group: AWS's engine defaults, not editable. */
    readonly isDefault: boolean;
    /** The group's rds.force_ssl value; undefined when the group sets none (the engine default applies). */
    readonly forceSsl?: string;
    /** The group was attached or changed and the instance has not rebooted since: its values are not in effect yet. */
    readonly pendingReboot?: boolean;
  };
}

export type PublicAccessBlockFacts = Partial<Record<PublicAccessBlockSetting, boolean>>;

export interface BucketFacts {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  /** null: the bucket has no public access block configuration. */
  readonly block: PublicAccessBlockFacts | null;
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

export interface EcsServiceFacts {
  readonly arn: string;
  readonly cluster: string;
  readonly region: string;
  readonly taskDefinition: {
    readonly arn: string;
    readonly taskRoleArn?: string;
    readonly executionRoleArn?: string;
    readonly containers: readonly ContainerFacts[];
  };
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
  readonly rdsInstances?: readonly RdsInstanceFacts[];
  /** Detectors of the region; empty: GuardDuty was never enabled there. */
  readonly detectors?: readonly DetectorFacts[];
  readonly securityHub?: SecurityHubFacts;
  readonly ecsServices?: readonly EcsServiceFacts[];
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
