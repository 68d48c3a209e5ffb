import { guardduty } from "../lib/aws-types";
import { asArray, isUnknown, refersTo, resourcePolicy, stackPolicy } from "../lib/inspect";
import { disabledGuardDutyFeatures, GUARDDUTY_REQUIRED_FEATURES } from "../lib/judgements";
import type { HuntazePolicy } from "../rule";

const enabled = resourcePolicy({
  name: "guardduty-detector-enabled",
  summary: "GuardDuty detectors are enabled (enable not false); whether the account has one at all is a runtime check",
  enforcementLevel: "advisory",
  references: { catalogue: [74], fsbp: ["GuardDuty.1"], checkov: ["CKV_AWS_238"] },
  resourceTypes: guardduty.detector,
  check: (c) => {
    const v = c.props.enable;
    if (isUnknown(v)) c.unknown("enable");
    else if (v === false) c.report("the detector is disabled (enable: false): no threat findings are produced");
  },
});

const features = stackPolicy({
  name: "guardduty-protection-features",
  summary:
    "GuardDuty protection features in requiredFeatures are not turned off (aws.guardduty.DetectorFeature status DISABLED; the deprecated datasources block is not read)",
  enforcementLevel: "advisory",
  references: {
    catalogue: [74],
    fsbp: [
      "GuardDuty.5",
      "GuardDuty.6",
      "GuardDuty.7",
      "GuardDuty.8",
      "GuardDuty.9",
      "GuardDuty.10",
      "GuardDuty.11",
      "GuardDuty.12",
      "GuardDuty.13",
    ],
    // Not CKV2_AWS_3: that check is about the organization configuration auto-enabling members
    // (its fixtures judge aws_guardduty_organization_configuration), not protection features.
    checkov: [],
  },
  resourceTypes: [...guardduty.detector, ...guardduty.feature],
  configSchema: {
    properties: {
      requiredFeatures: {
        type: "array",
        items: { type: "string" },
        default: [...GUARDDUTY_REQUIRED_FEATURES],
        description:
          "DetectorFeature names that must not be DISABLED (features not declared keep their account defaults).",
      },
    },
  },
  check: (s) => {
    const required = asArray(s.config.requiredFeatures).map(String);
    const all = s.ofType(guardduty.feature);
    for (const detector of s.ofType(guardduty.detector)) {
      for (const f of all.filter((f) => refersTo(f, "detectorId", detector))) {
        const name = f.props.name;
        const status = f.props.status;
        if (isUnknown(name) || isUnknown(status)) {
          s.unknown(`feature ${f.name}`);
          continue;
        }
        if (typeof name === "string" && disabledGuardDutyFeatures([{ name, status: String(status) }], required).length)
          s.report(f, `GuardDuty feature ${name} is DISABLED on detector ${detector.name}; it is in requiredFeatures`);
      }
    }
  },
});

export const guarddutyPolicies: HuntazePolicy[] = [enabled, features];
