import {
  type CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  type GetEventSelectorsResponse,
  GetTrailStatusCommand,
  type GetTrailStatusResponse,
  type Trail,
} from "@aws-sdk/client-cloudtrail";
import { mapLimit } from "../../../lib/map-limit";
import type { TrailEventSelectors } from "../../../policy-pack/lib/trail-event-selectors";
import { reasonOf } from "../errors";
import type { Collected, TrailFacts, Unreadable } from "../facts";
import { CONCURRENCY } from "../limit";

export const CLOUDTRAIL_CHECKS = [
  "cloudtrail-multi-region-logging",
  "cloudtrail-log-file-validation",
  "cloudtrail-kms-encryption",
];
/** What a trail's status or event selectors decide: only whether it covers the account. */
const COVERAGE_CHECKS = ["cloudtrail-multi-region-logging"];

/** GetEventSelectors' answer in plain form: advanced selectors when the trail has them, else classic ones. */
export function selectorsOf(out: GetEventSelectorsResponse): TrailEventSelectors {
  if (out.AdvancedEventSelectors?.length)
    return {
      kind: "advanced",
      selectors: out.AdvancedEventSelectors.map((s) => ({
        name: s.Name,
        fieldSelectors: (s.FieldSelectors ?? []).map((f) => ({
          field: f.Field ?? "",
          equals: f.Equals,
          startsWith: f.StartsWith,
          endsWith: f.EndsWith,
          notEquals: f.NotEquals,
          notStartsWith: f.NotStartsWith,
          notEndsWith: f.NotEndsWith,
        })),
      })),
    };
  return {
    kind: "classic",
    selectors: (out.EventSelectors ?? []).map((s) => ({
      readWriteType: s.ReadWriteType,
      includeManagementEvents: s.IncludeManagementEvents,
      excludeManagementEventSources: s.ExcludeManagementEventSources,
    })),
  };
}

/**
 * The trails visible from `regions` (a multi-region trail shows up everywhere as a shadow trail),
 * each once, with IsLogging and the event selectors read in its home region: GetTrailStatus or
 * GetEventSelectors on a shadow trail from another region is refused or, for organization
 * trails, answers for the wrong copy.
 */
export async function collectTrails(
  clientFor: (region: string) => CloudTrailClient,
  regions: readonly string[],
): Promise<Collected<TrailFacts[]>> {
  const unreadable: Unreadable[] = [];
  const byArn = new Map<string, Trail>();
  for (const region of regions) {
    try {
      // DescribeTrails has no paginator: it returns every trail in one answer.
      const out = await clientFor(region).send(new DescribeTrailsCommand({ includeShadowTrails: true }));
      for (const t of out.trailList ?? []) if (t.TrailARN && !byArn.has(t.TrailARN)) byArn.set(t.TrailARN, t);
    } catch (error) {
      unreadable.push({ checks: CLOUDTRAIL_CHECKS, region, what: "CloudTrail trails", reason: reasonOf(error) });
    }
  }
  if (unreadable.length === regions.length) return { unreadable };
  const trails = await mapLimit([...byArn.values()], CONCURRENCY, async (t): Promise<TrailFacts> => {
    const home = t.HomeRegion ?? regions[0]!;
    // A trail whose status or selectors cannot be read is kept: the checks leave it "not evaluated"
    // (dropping it would make a single unreadable trail look like "the account has no trail").
    let status: GetTrailStatusResponse | undefined;
    try {
      status = await clientFor(home).send(new GetTrailStatusCommand({ Name: t.TrailARN }));
    } catch (error) {
      unreadable.push({
        checks: COVERAGE_CHECKS,
        region: home,
        what: `the status of trail ${t.Name}`,
        reason: reasonOf(error),
        unlessAnotherTrailCovers: true,
      });
    }
    let eventSelectors: TrailEventSelectors | undefined;
    try {
      eventSelectors = selectorsOf(await clientFor(home).send(new GetEventSelectorsCommand({ TrailName: t.TrailARN })));
    } catch (error) {
      unreadable.push({
        checks: COVERAGE_CHECKS,
        region: home,
        what: `the event selectors of trail ${t.Name}`,
        reason: reasonOf(error),
        unlessAnotherTrailCovers: true,
      });
    }
    return {
      name: t.Name ?? t.TrailARN!,
      arn: t.TrailARN!,
      homeRegion: home,
      multiRegion: t.IsMultiRegionTrail === true,
      logFileValidation: t.LogFileValidationEnabled === true,
      kmsKeyId: t.KmsKeyId || undefined,
      logging: status === undefined ? undefined : status.IsLogging === true,
      eventSelectors,
    };
  });
  return { facts: trails, unreadable };
}
