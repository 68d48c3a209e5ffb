import { type CloudWatchLogsClient, paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import { readListing } from "../errors";
import type { Collected, LogGroupFacts } from "../facts";

export const LOGS_CHECKS = ["logs-retention"];

/** Every log group of the region with its retention (absent: never expire). */
export async function collectLogGroups(
  client: CloudWatchLogsClient,
  region: string,
): Promise<Collected<LogGroupFacts[]>> {
  return readListing({ checks: LOGS_CHECKS, region, what: "CloudWatch log groups" }, async () => {
    const groups: LogGroupFacts[] = [];
    for await (const page of paginateDescribeLogGroups({ client }, {}))
      for (const g of page.logGroups ?? [])
        groups.push({
          name: g.logGroupName ?? "(unnamed)",
          // `arn` ends with ":*"; logGroupArn is the group's own ARN.
          arn: g.logGroupArn ?? g.arn ?? `log group ${g.logGroupName}`,
          region,
          retentionInDays: g.retentionInDays,
        });
    return groups;
  });
}
