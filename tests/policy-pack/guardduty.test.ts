import { describe } from "mocha";
import { complies, violates } from "../support/policy-cases";

const DETECTOR = "aws:guardduty/detector:Detector";
const FEATURE = "aws:guardduty/detectorFeature:DetectorFeature";
const detector = (enable: boolean) => ({ type: DETECTOR, name: "main", inputs: { enable } });
const feature = (name: string, status: string) => ({
  type: FEATURE,
  name: `f-${name}`,
  inputs: { detectorId: "main", name, status },
});

describe("GuardDuty rules", () => {
  complies({ rule: "guardduty-detector-enabled", title: "enable: true", resources: [detector(true)] });
  violates({
    rule: "guardduty-detector-enabled",
    title: "enable: false",
    resources: [detector(false)],
    message: /disabled/,
  });

  complies({
    rule: "guardduty-protection-features",
    title: "required features enabled, an optional one off",
    resources: [detector(true), feature("S3_DATA_EVENTS", "ENABLED"), feature("EKS_AUDIT_LOGS", "DISABLED")],
  });
  violates({
    rule: "guardduty-protection-features",
    title: "S3 protection disabled",
    resources: [detector(true), feature("S3_DATA_EVENTS", "DISABLED")],
    message: /S3_DATA_EVENTS is DISABLED/,
  });
  violates({
    rule: "guardduty-protection-features",
    title: "a feature made required by config",
    resources: [detector(true), feature("EKS_AUDIT_LOGS", "DISABLED")],
    config: { "guardduty-protection-features": { requiredFeatures: ["EKS_AUDIT_LOGS"] } },
  });
});
