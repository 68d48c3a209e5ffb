import type { TestResource } from "../../support/policy-harness";
import { type Row, res, type Verdict } from "./row";

// CloudTrail, EC2, DynamoDB, Secrets Manager: CKV2_AWS_10, CKV2_AWS_12, CKV2_AWS_16, CKV2_AWS_57.
// Terraform references (`aws_x.y.id`) become the referenced resource's id (the harness gives each
// resource its name as id) plus the property dependency Pulumi records for an Output input.

/** `from.props[key]` set to `to`'s id, as a Terraform reference `to.id` resolves. */
const ref = (key: string, to: string) => ({ inputs: { [key]: to }, propertyDependencies: { [key]: [to] } });

const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const TRAIL = "aws:cloudtrail/trail:Trail";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const TABLE = "aws:dynamodb/table:Table";
const TARGET = "aws:appautoscaling/target:Target";
const SCALING_POLICY = "aws:appautoscaling/policy:Policy";

/** CKV2_AWS_16's table "user" (each fixture table has that name), with `extra` inputs. */
const userTable = (name: string, extra: Record<string, unknown>) =>
  res(TABLE, name, { name: "user", hashKey: "user-id", ...extra, attributes: [{ name: "user-id", type: "S" }] });
/** The fixture's read-capacity target on table `name` (resourceId "table/${aws_dynamodb_table.<name>.name}"). */
const readTarget = (name: string) => ({
  ...res(TARGET, `${name}-target`, {
    resourceId: "table/user",
    scalableDimension: "dynamodb:table:ReadCapacityUnits",
    serviceNamespace: "dynamodb",
    minCapacity: 1,
    maxCapacity: 15,
  }),
  propertyDependencies: { resourceId: [name] },
});
/** The fixture's target-tracking policy on that target (its namespace, dimension and resourceId read from the target). */
const readPolicy = (name: string) => ({
  ...res(SCALING_POLICY, `${name}-policy`, {
    name: "rcu-auto-scaling",
    serviceNamespace: "dynamodb",
    scalableDimension: "dynamodb:table:ReadCapacityUnits",
    resourceId: "table/user",
    policyType: "TargetTrackingScaling",
    targetTrackingScalingPolicyConfiguration: {
      predefinedMetricSpecification: { predefinedMetricType: "DynamoDBReadCapacityUtilization" },
      targetValue: 75,
      scaleInCooldown: 300,
      scaleOutCooldown: 300,
    },
  }),
  propertyDependencies: Object.fromEntries(
    ["serviceNamespace", "scalableDimension", "resourceId"].map((k) => [k, [`${name}-target`]]),
  ),
});
const provisioned = { billingMode: "PROVISIONED", readCapacity: 10, writeCapacity: 10 };

const VPC = "aws:ec2/vpc:Vpc";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

const vpc = (name: string) => res(VPC, name, { cidrBlock: "10.0.0.0/16" });
/** aws_default_security_group `name` { vpc_id = aws_vpc.<of>.id, ...extra }. */
const defaultGroup = (name: string, of: string, extra: Record<string, unknown> = {}) => {
  const r = ref("vpcId", of);
  return { ...res(DEFAULT_SG, name, { ...r.inputs, ...extra }), propertyDependencies: r.propertyDependencies };
};
/** The fixture's "pike" rule (10.0.0.0/8, tcp 80-8080) of `type` on default group `group`. */
const pike = (type: string, group: string) => {
  const r = ref("securityGroupId", group);
  return {
    ...res(type, "pike", { ...r.inputs, cidrIpv4: "10.0.0.0/8", fromPort: 80, ipProtocol: "tcp", toPort: 8080 }),
    propertyDependencies: r.propertyDependencies,
  };
};

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

  // CKV2_AWS_16 AutoScalingEnableOnDynamoDBTables (graph: .../resources/AutoScalingEnableOnDynamoDBTables):
  // PAY_PER_REQUEST, or PROVISIONED with a connected dynamodb aws_appautoscaling_target that has an
  // aws_appautoscaling_policy. The fixture scales reads only: the pack wants writes too (DynamoDB.1).
  // Its ECS target and policy ("unknown" in main.tf, absent from expected.yaml) scale no table and
  // are judged by neither.
  ...(
    [
      ["pass", [userTable("pass", provisioned), readTarget("pass"), readPolicy("pass")], "PASSED", "FAILED"],
      [
        "pass_unset",
        [
          userTable("pass_unset", { readCapacity: 10, writeCapacity: 10 }),
          readTarget("pass_unset"),
          readPolicy("pass_unset"),
        ],
        "PASSED",
        "FAILED",
      ],
      ["pass_on_demand", [userTable("pass_on_demand", { billingMode: "PAY_PER_REQUEST" })], "PASSED", undefined],
      ["fail", [userTable("fail", provisioned)], "FAILED", undefined],
      ["fail_no_policy", [userTable("fail_no_policy", provisioned), readTarget("fail_no_policy")], "FAILED", undefined],
    ] as [string, TestResource[], Verdict, Verdict | undefined][]
  ).map(
    ([fixture, resources, verdict, pack]): Row => ({
      check: "CKV2_AWS_16",
      rule: "dynamodb-capacity-scales",
      fixture: `aws_dynamodb_table.${fixture}`,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      resources,
    }),
  ),

  // CKV2_AWS_12 VPCHasRestrictedSG (graph: .../resources/VPCHasRestrictedSG): the VPC is connected to
  // an aws_default_security_group without ingress/egress blocks, and no aws_security_group_rule,
  // aws_vpc_security_group_ingress_rule or aws_vpc_security_group_egress_rule is connected to that group.
  // The rule reports the VPC, the default group or the standalone rule, whichever breaks it.
  ...(
    [
      ["ok_vpc", [defaultGroup("default", "ok_vpc")], "PASSED"],
      ["not_ok_vpc", [], "FAILED"],
      [
        "not_ok_vpc_2",
        [
          defaultGroup("default_2", "not_ok_vpc_2", {
            ingress: [{ protocol: "-1", self: true, fromPort: 0, toPort: 0 }],
            egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
          }),
        ],
        "FAILED",
      ],
      [
        "not_ok_vpc_3",
        [
          defaultGroup("default_3", "not_ok_vpc_3"),
          {
            // type "-1" as in the fixture (the provider only accepts ingress or egress; the rule reads neither).
            ...res(SG_RULE, "default_sg_rule", {
              fromPort: 0,
              protocol: "-1",
              toPort: 0,
              type: "-1",
              securityGroupId: "default_3",
            }),
            propertyDependencies: { securityGroupId: ["default_3"] },
          },
          pike(INGRESS, "default_3"),
          { ...pike(EGRESS, "default_3"), name: "pike-egress" },
        ],
        "FAILED",
      ],
      ["not_ok_vpc_4", [defaultGroup("default_4", "not_ok_vpc_4"), pike(INGRESS, "default_4")], "FAILED"],
      ["not_ok_vpc_5", [defaultGroup("default_5", "not_ok_vpc_5"), pike(EGRESS, "default_5")], "FAILED"],
    ] as [string, TestResource[], Verdict][]
  ).map(
    ([fixture, joined, verdict]): Row => ({
      check: "CKV2_AWS_12",
      rule: "ec2-default-security-group-restricts-all",
      fixture: `aws_vpc.${fixture}`,
      checkov: verdict,
      resources: [vpc(fixture), ...joined],
    }),
  ),
];
