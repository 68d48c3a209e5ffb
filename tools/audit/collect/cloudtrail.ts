import {
  type CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  type Trail,
} from "@aws-sdk/client-cloudtrail";
import { reasonOf } from "../errors";
import type { Collected, TrailFacts, Unreadable } from "../facts";
import { CONCURRENCY, mapLimit } from "../limit";

export const CLOUDTRAIL_CHECKS = ["cloudtrail-multi-region-logging", "cloudtrail-log-file-validation"];

/**
 * The trails visible from `regions` (a multi-region trail shows up everywhere as a shadow trail),
 * each once, with IsLogging read in its home region: GetTrailStatus on a shadow trail from another
 * region is refused or, for organization trails, answers for the wrong copy.
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
  const trails = await mapLimit([...byArn.values()], CONCURRENCY, async (t): Promise<TrailFacts | undefined> => {
    const home = t.HomeRegion ?? regions[0]!;
    try {
      const status = await clientFor(home).send(new GetTrailStatusCommand({ Name: t.TrailARN }));
      return {
        name: t.Name ?? t.TrailARN!,
        arn: t.TrailARN!,
        homeRegion: home,
        multiRegion: t.IsMultiRegionTrail === true,
        logFileValidation: t.LogFileValidationEnabled === true,
        logging: status.IsLogging === true,
      };
    } catch (error) {
      unreadable.push({
        checks: CLOUDTRAIL_CHECKS,
        region: home,
        what: `the status of trail ${t.Name}`,
        reason: reasonOf(error),
      });
      return undefined;
    }
  });
  return { facts: trails.filter((t) => t !== undefined), unreadable };
}
