import { securityhub } from "../lib/aws-types";
import { isUnknown, stackPolicy } from "../lib/inspect";
import type { HuntazePolicy } from "../rule";

const standardSubscribed = stackPolicy({
  name: "securityhub-standard-subscribed",
  summary:
    "A stack that enables Security Hub subscribes at least one standard: either the hub keeps its default standards (enableDefaultStandards not false) or the stack declares an aws.securityhub.StandardsSubscription; a hub without any standard runs no control and finds nothing (as Prowler securityhub_enabled reports the hub's standards)",
  // Advisory: the hub still aggregates GuardDuty and other integrations' findings without standards.
  enforcementLevel: "advisory",
  references: {
    catalogue: [],
    fsbp: [],
    checkov: [],
    beyondCatalogue:
      "Security Hub has no row in the catalogue; a hub without standards looks enabled while no FSBP control ever runs",
  },
  resourceTypes: [...securityhub.account, ...securityhub.standardsSubscription],
  check: (s) => {
    // A subscription anywhere in the stack subscribes the account's hub (one per account and region).
    if (s.ofType(securityhub.standardsSubscription).length > 0) return;
    for (const hub of s.ofType(securityhub.account)) {
      // enableDefaultStandards defaults to true: Security Hub then subscribes FSBP and CIS 1.2.0 itself
      // (Pulumi registry, "aws.securityhub.Account": enableDefaultStandards; aws-gotchas.md, Security Hub).
      const v = hub.props.enableDefaultStandards;
      if (isUnknown(v)) s.unknown(`enableDefaultStandards of ${hub.name}`);
      else if (v === false)
        s.report(
          hub,
          `Security Hub ${hub.name} turns the default standards off (enableDefaultStandards: false) and the stack subscribes no standard: add an aws.securityhub.StandardsSubscription (e.g. FSBP) or keep the defaults`,
        );
    }
  },
});

export const securityhubPolicies: HuntazePolicy[] = [standardSubscribed];
