import { type CloudWatchLogsClient, paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import { reasonOf } from "../errors";
import type { Collected, LogGroupFacts } from "../facts";

export const LOGS_CHECKS = ["logs-retention"];

/** Every log group of the region with its retention (absent: never expire). */
export async function collectLogGroups(
  client: CloudWatchLogsClient,
  region: string,
): Promise<Collected<LogGroupFacts[]>> {
  try {
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
    return { facts: groups, unreadable: [] };
  } catch (error) {
    return { unreadable: [{ checks: LOGS_CHECKS, region, what: "CloudWatch log groups", reason: reasonOf(error) }] };
  }
}
