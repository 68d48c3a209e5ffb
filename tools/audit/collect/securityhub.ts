import { DescribeHubCommand, paginateGetEnabledStandards, type SecurityHubClient } from "@aws-sdk/client-securityhub";
import { isAwsError, reasonOf } from "../errors";
import type { Collected, SecurityHubFacts } from "../facts";

export const SECURITYHUB_CHECKS = ["securityhub-fsbp"];

/** Whether Security Hub is on in the region, and its standards subscriptions with their status. */
export async function collectSecurityHub(
  client: SecurityHubClient,
  region: string,
): Promise<Collected<SecurityHubFacts>> {
  const fail = (what: string, error: unknown) => ({
    unreadable: [{ checks: SECURITYHUB_CHECKS, region, what, reason: reasonOf(error) }],
  });
  let hubArn: string | undefined;
  try {
    hubArn = (await client.send(new DescribeHubCommand({}))).HubArn;
  } catch (error) {
    // Security Hub answers InvalidAccessException when the account is not subscribed: a finding.
    if (isAwsError(error, "InvalidAccessException")) return { facts: { region, standards: [] }, unreadable: [] };
    return fail("the Security Hub hub", error);
  }
  try {
    const standards: SecurityHubFacts["standards"][number][] = [];
    for await (const page of paginateGetEnabledStandards({ client }, {}))
      for (const s of page.StandardsSubscriptions ?? [])
        standards.push({
          arn: s.StandardsArn ?? "",
          status: s.StandardsStatus ?? "UNKNOWN",
          reason: s.StandardsStatusReason?.StatusReasonCode,
        });
    return { facts: { region, hubArn: hubArn ?? `Security Hub (${region})`, standards }, unreadable: [] };
  } catch (error) {
    return fail("Security Hub's enabled standards", error);
  }
}
