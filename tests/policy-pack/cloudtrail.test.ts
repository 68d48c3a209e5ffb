import { describe } from "mocha";
import { complies, factory, UNKNOWN_STRING, violates } from "../support/policy-cases";

const TRAIL = "aws:cloudtrail/trail:Trail";
const trail = factory(TRAIL, "org-trail", {
  s3BucketName: "trail-logs",
  isMultiRegionTrail: true,
  includeGlobalServiceEvents: true,
  enableLogFileValidation: true,
  kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/abcd",
  cloudWatchLogsGroupArn: "arn:aws:logs:eu-west-1:111122223333:log-group:trail:*",
  cloudWatchLogsRoleArn: "arn:aws:iam::111122223333:role/trail-logs",
});

describe("CloudTrail rules", () => {
  complies({
    rule: "cloudtrail-multi-region-management-events",
    title: "a multi-region trail (default selectors)",
    resources: [trail()],
  });
  complies({
    rule: "cloudtrail-multi-region-management-events",
    title: "a data-events trail next to a compliant one",
    resources: [
      trail(),
      trail(
        { isMultiRegionTrail: false, eventSelectors: [{ includeManagementEvents: false, readWriteType: "All" }] },
        { name: "data" },
      ),
    ],
  });
  violates({
    rule: "cloudtrail-multi-region-management-events",
    title: "a single-region trail",
    resources: [trail({ isMultiRegionTrail: false })],
    message: /not a multi-region trail/,
  });
  violates({
    rule: "cloudtrail-multi-region-management-events",
    title: "a multi-region trail logging only read events",
    resources: [trail({ eventSelectors: [{ includeManagementEvents: true, readWriteType: "ReadOnly" }] })],
  });

  complies({ rule: "cloudtrail-kms-encryption", title: "a CMK", resources: [trail()] });
  complies({
    rule: "cloudtrail-kms-encryption",
    title: "a key unknown during preview",
    resources: [trail({ kmsKeyId: UNKNOWN_STRING })],
  });
  violates({
    rule: "cloudtrail-kms-encryption",
    title: "no key",
    resources: [trail({ kmsKeyId: undefined })],
    message: /SSE-S3 only/,
  });

  complies({ rule: "cloudtrail-log-file-validation", title: "on", resources: [trail()] });
  violates({
    rule: "cloudtrail-log-file-validation",
    title: "off",
    resources: [trail({ enableLogFileValidation: undefined })],
    message: /validation is off/,
  });

  complies({ rule: "cloudtrail-cloudwatch-logs", title: "group and role", resources: [trail()] });
  violates({
    rule: "cloudtrail-cloudwatch-logs",
    title: "no role",
    resources: [trail({ cloudWatchLogsRoleArn: undefined })],
    message: /cloudWatchLogsRoleArn not set/,
  });

  const logsRole = factory("aws:iam/role:Role", "trail-logs", {
    name: "trail-logs",
    arn: "arn:aws:iam::111122223333:role/trail-logs",
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
  });
  complies({
    rule: "cloudtrail-logs-role-trust-no-source-condition",
    title: "a logs role trusting CloudTrail without a condition",
    resources: [trail(), logsRole()],
  });
  violates({
    rule: "cloudtrail-logs-role-trust-no-source-condition",
    title: "a logs role whose trust requires aws:SourceAccount (CloudTrail does not send it for this role)",
    resources: [
      trail(),
      logsRole({
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "cloudtrail.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
            },
          ],
        }),
      }),
    ],
    message: /trusts cloudtrail\.amazonaws\.com only under aws:sourceaccount.*InvalidCloudWatchLogsRoleArnException/,
  });
});
