import { GetDetectorCommand, type GuardDutyClient, paginateListDetectors } from "@aws-sdk/client-guardduty";
import { readListing, reasonOf } from "../errors";
import type { Collected, DetectorFacts, Unreadable } from "../facts";

export const GUARDDUTY_CHECKS = ["guardduty-enabled", "guardduty-features"];

/** The region's detectors (at most one per account and region; none when GuardDuty was never enabled). */
export async function collectDetectors(
  client: GuardDutyClient,
  region: string,
  accountId: string,
  partition = "aws",
): Promise<Collected<DetectorFacts[]>> {
  const listed = await readListing({ checks: GUARDDUTY_CHECKS, region, what: "GuardDuty detectors" }, async () => {
    const ids: string[] = [];
    for await (const page of paginateListDetectors({ client }, {})) ids.push(...(page.DetectorIds ?? []));
    return ids;
  });
  if (!listed.facts) return { unreadable: listed.unreadable };
  const ids = listed.facts;
  const unreadable: Unreadable[] = [];
  const detectors: DetectorFacts[] = [];
  for (const id of ids) {
    try {
      const d = await client.send(new GetDetectorCommand({ DetectorId: id }));
      detectors.push({
        id,
        arn: `arn:${partition}:guardduty:${region}:${accountId}:detector/${id}`,
        region,
        status: d.Status ?? "UNKNOWN",
        features: (d.Features ?? []).map((f) => ({ name: f.Name ?? "", status: f.Status ?? "" })),
      });
    } catch (error) {
      unreadable.push({ checks: GUARDDUTY_CHECKS, region, what: `GuardDuty detector ${id}`, reason: reasonOf(error) });
    }
  }
  return { facts: unreadable.length ? undefined : detectors, unreadable };
}
