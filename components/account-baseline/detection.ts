import * as aws from "@pulumi/aws";
import type { Baseline } from "./context";

// Detection: GuardDuty, with its protection plans as DetectorFeatures (the `datasources` block is
// deprecated in v7).

const status = (on: boolean) => (on ? "ENABLED" : "DISABLED");

/** The GuardDuty detector, publishing every 15 minutes, with S3, runtime and Lambda protection. */
export function createDetection({ name, parent, s }: Baseline): aws.guardduty.Detector {
  const opts = { parent };
  const detector = new aws.guardduty.Detector(
    `${name}-guardduty`,
    { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES", tags: s.tags },
    opts,
  );
  new aws.guardduty.DetectorFeature(
    `${name}-guardduty-s3`,
    { detectorId: detector.id, name: "S3_DATA_EVENTS", status: "ENABLED" },
    opts,
  );
  new aws.guardduty.DetectorFeature(
    `${name}-guardduty-runtime`,
    {
      detectorId: detector.id,
      name: "RUNTIME_MONITORING",
      status: "ENABLED",
      // AWS's order (EKS, EC2, ECS), or every refresh shows a diff.
      additionalConfigurations: [
        { name: "EKS_ADDON_MANAGEMENT", status: status(s.runtimeMonitoring.eksAddon) },
        { name: "EC2_AGENT_MANAGEMENT", status: status(s.runtimeMonitoring.ec2Agent) },
        { name: "ECS_FARGATE_AGENT_MANAGEMENT", status: status(s.runtimeMonitoring.ecsFargateAgent) },
      ],
    },
    opts,
  );
  new aws.guardduty.DetectorFeature(
    `${name}-guardduty-lambda`,
    { detectorId: detector.id, name: "LAMBDA_NETWORK_LOGS", status: "ENABLED" },
    opts,
  );
  return detector;
}
