import { describe } from "mocha";
import { complies, factory, UNKNOWN_BOOL, violates } from "../support/policy-cases";

const FSBP = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0";
const hub = factory("aws:securityhub/account:Account", "hub", { enableDefaultStandards: false });
const fsbp = factory("aws:securityhub/standardsSubscription:StandardsSubscription", "fsbp", { standardsArn: FSBP });

describe("Security Hub: a standard is subscribed", () => {
  complies({
    rule: "securityhub-standard-subscribed",
    title: "default standards off and FSBP subscribed explicitly",
    resources: [hub(), fsbp()],
  });
  complies({
    rule: "securityhub-standard-subscribed",
    title: "the default (enableDefaultStandards unset: FSBP and CIS subscribed by Security Hub)",
    resources: [hub({ enableDefaultStandards: undefined })],
  });
  complies({
    rule: "securityhub-standard-subscribed",
    title: "a subscription whose hub is declared in another stack",
    resources: [fsbp()],
  });
  complies({
    rule: "securityhub-standard-subscribed",
    title: "the flag unknown during preview",
    resources: [hub({ enableDefaultStandards: UNKNOWN_BOOL })],
  });
  violates({
    rule: "securityhub-standard-subscribed",
    title: "default standards off and no subscription anywhere",
    resources: [hub()],
    message: /turns the default standards off .* subscribes no standard/,
  });
});
