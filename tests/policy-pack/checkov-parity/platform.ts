import { type Row, res, type Verdict } from "./row";

// CloudTrail, EC2, DynamoDB, Secrets Manager: CKV2_AWS_10, CKV2_AWS_12, CKV2_AWS_16, CKV2_AWS_57.
// Terraform references (`aws_x.y.id`) become the referenced resource's id (the harness gives each
// resource its name as id) plus the property dependency Pulumi records for an Output input.

const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const TRAIL = "aws:cloudtrail/trail:Trail";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** `from.props[key]` set to `to`'s id, as a Terraform reference `to.id` resolves. */
const ref = (key: string, to: string) => ({ inputs: { [key]: to }, propertyDependencies: { [key]: [to] } });

export const rows: Row[] = [
  // CKV2_AWS_57 SecretsAreRotated (graph: tests/terraform/graph/checks/resources/SecretsAreRotated):
  // a secret passes when an aws_secretsmanager_secret_rotation is connected to it.
  ...(
    [
      ["pass", "pike", true, "PASSED"],
      ["fail", "sato", false, "FAILED"],
    ] as [string, string, boolean, Verdict][]
  ).map(([fixture, name, rotated, verdict]): Row => {
    const rotation = ref("secretId", fixture);
    return {
      check: "CKV2_AWS_57",
      rule: "secretsmanager-rotation",
      fixture: `aws_secretsmanager_secret.${fixture}`,
      checkov: verdict,
      resources: [
        res(SECRET, fixture, { name }),
        ...(rotated
          ? [
              {
                ...res(ROTATION, `${fixture}-rotation`, {
                  ...rotation.inputs,
                  rotationLambdaArn: "arn:aws:lambda:us-east-1:111122223333:function:example", // aws_lambda_function.example.arn (not in the fixture)
                  rotationRules: { automaticallyAfterDays: 30 },
                }),
                propertyDependencies: rotation.propertyDependencies,
              },
            ]
          : []),
      ],
    };
  }),

  // CKV2_AWS_10 CloudtrailHasCloudwatch (graph: .../resources/CloudtrailHasCloudwatch): the trail sets
  // cloud_watch_logs_group_arn and is connected to an aws_cloudwatch_log_group. The fixture's trails
  // name no S3 bucket (required by Terraform and Pulumi alike); the rows keep them as written.
  {
    check: "CKV2_AWS_10",
    rule: "cloudtrail-cloudwatch-logs",
    fixture: "aws_cloudtrail.aws_cloudtrail_ok",
    checkov: "PASSED",
    // The group alone, without cloudWatchLogsRoleArn: AWS cannot deliver (CloudTrail needs the role).
    pack: "FAILED",
    resources: [
      res(LOG_GROUP, "example", { name: "Example" }),
      {
        ...res(TRAIL, "aws_cloudtrail_ok", {
          name: "tf-trail-foobar",
          cloudWatchLogsGroupArn: "arn:aws:logs:us-east-1:111122223333:log-group:Example:*", // "${aws_cloudwatch_log_group.example.arn}:*"
        }),
        propertyDependencies: { cloudWatchLogsGroupArn: ["example"] },
      },
    ],
  },
  {
    check: "CKV2_AWS_10",
    rule: "cloudtrail-cloudwatch-logs",
    fixture: "aws_cloudtrail.aws_cloudtrail_not_ok",
    checkov: "FAILED",
    resources: [res(TRAIL, "aws_cloudtrail_not_ok", { name: "tf-trail-foobar" })],
  },
];
