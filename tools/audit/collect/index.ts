import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { GuardDutyClient } from "@aws-sdk/client-guardduty";
import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { SecurityHubClient } from "@aws-sdk/client-securityhub";
import type { STSClientConfig } from "@aws-sdk/client-sts";
import { mapLimit } from "../../../lib/map-limit";
import type { AccountFacts, Collected, RegionFacts, Unreadable } from "../facts";
import { collectTrails } from "./cloudtrail";
import { collectEcs } from "./ecs";
import { collectCaches } from "./elasticache";
import { collectServerlessCaches } from "./elasticache-serverless";
import { collectCacheUserGroups } from "./elasticache-users";
import { collectDetectors } from "./guardduty";
import { collectLogGroups } from "./logs";
import { collectRdsInstances } from "./rds";
import { collectS3 } from "./s3";
import { collectSecurityHub } from "./securityhub";

/** What every SDK client accepts as `credentials` (a provider from @aws-sdk/credential-providers). */
export type Credentials = NonNullable<STSClientConfig["credentials"]>;

/** One SDK client per service and region. */
export interface AuditClients {
  elasticache(region: string): ElastiCacheClient;
  rds(region: string): RDSClient;
  s3(region: string): S3Client;
  s3control(region: string): S3ControlClient;
  cloudtrail(region: string): CloudTrailClient;
  guardduty(region: string): GuardDutyClient;
  securityhub(region: string): SecurityHubClient;
  ecs(region: string): ECSClient;
  logs(region: string): CloudWatchLogsClient;
}

/** Attempts per call under the SDK's standard retry mode (exponential backoff with jitter, throttling-aware). */
export const MAX_ATTEMPTS = 5;

type Ctor<C> = new (config: { region: string; credentials?: Credentials; retryMode: string; maxAttempts: number }) => C;

/**
 * A maker of real SDK clients with the standard retry mode, created on first use and cached per
 * service and region (the audit's and the inventory's clients alike).
 */
export function regionalClients(credentials?: Credentials) {
  const cache = new Map<string, unknown>();
  return <C>(service: string, ctor: Ctor<C>) =>
    (region: string): C => {
      const key = `${service}:${region}`;
      if (!cache.has(key))
        cache.set(key, new ctor({ region, credentials, retryMode: "standard", maxAttempts: MAX_ATTEMPTS }));
      return cache.get(key) as C;
    };
}

/** Real SDK clients, created on first use and cached per service and region. */
export function sdkClients(credentials?: Credentials): AuditClients {
  const make = regionalClients(credentials);
  return {
    elasticache: make("elasticache", ElastiCacheClient),
    rds: make("rds", RDSClient),
    s3: make("s3", S3Client),
    s3control: make("s3control", S3ControlClient),
    cloudtrail: make("cloudtrail", CloudTrailClient),
    guardduty: make("guardduty", GuardDutyClient),
    securityhub: make("securityhub", SecurityHubClient),
    ecs: make("ecs", ECSClient),
    logs: make("logs", CloudWatchLogsClient),
  };
}

// Regions read at once; each region reads its services at once, and each service at most
// CONCURRENCY calls at a time.
const REGION_CONCURRENCY = 2;

export interface Identity {
  readonly accountId: string;
  readonly partition: string;
}

/** Reads everything the checks judge: account-wide settings once, regional services per region. */
export async function collectAccount(
  clients: AuditClients,
  identity: Identity,
  regions: readonly string[],
): Promise<AccountFacts> {
  const unreadable: Unreadable[] = [];
  const take = <T>(c: Collected<T>): T | undefined => {
    unreadable.push(...c.unreadable);
    return c.facts;
  };
  const { accountId, partition } = identity;
  const home = regions[0]!;
  const [s3, trails, perRegion] = await Promise.all([
    collectS3({ control: clients.s3control(home), s3: (r) => clients.s3(r) }, accountId, home, partition),
    collectTrails((r) => clients.cloudtrail(r), regions),
    mapLimit(regions, REGION_CONCURRENCY, async (region) => {
      const [caches, serverlessCaches, rdsInstances, detectors, securityHub, ecs, logGroups] = await Promise.all([
        collectCaches(clients.elasticache(region), region),
        collectServerlessCaches(clients.elasticache(region), region),
        collectRdsInstances(clients.rds(region), region),
        collectDetectors(clients.guardduty(region), region, accountId, partition),
        collectSecurityHub(clients.securityhub(region), region),
        collectEcs(clients.ecs(region), region),
        collectLogGroups(clients.logs(region), region),
      ]);
      // The user groups the region's caches name (read after them: only those are needed).
      const groupIds = new Set([
        ...(caches.facts ?? []).flatMap((c) => c.userGroupIds),
        ...(serverlessCaches.facts ?? []).flatMap((c) => (c.userGroupId ? [c.userGroupId] : [])),
      ]);
      const cacheUserGroups = await collectCacheUserGroups(clients.elasticache(region), region, [...groupIds]);
      const facts: RegionFacts = {
        region,
        caches: take(caches),
        serverlessCaches: take(serverlessCaches),
        cacheUserGroups: take(cacheUserGroups),
        rdsInstances: take(rdsInstances),
        detectors: take(detectors),
        securityHub: take(securityHub),
        ecsServices: take(ecs)?.services,
        ecsTaskDefinitions: ecs.facts?.taskDefinitions,
        logGroups: take(logGroups),
      };
      return facts;
    }),
  ]);
  return {
    accountId,
    partition,
    regions: perRegion,
    s3: take(s3) ?? {},
    trails: take(trails),
    unreadable,
  };
}
