import { SCHEDULED_DEPRECATIONS } from "../../../policy-pack/rules/lambda";
import { UNKNOWN_STRING } from "../../support/policy-cases";
import { type Row, res, type Verdict } from "./row";

// KMS, SQS, IAM, Lambda: CKV2_AWS_64, CKV2_AWS_73, CKV_AWS_355, CKV_AWS_363.

const KEY = "aws:kms/key:Key";
const KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy";
const QUEUE = "aws:sqs/queue:Queue";
const FUNCTION = "aws:lambda/function:Function";

const doc = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

// CKV2_AWS_64 KmsKeyPolicyIsDefined (graph check; tests/terraform/graph/checks/resources/
// KmsKeyPolicyIsDefined): an aws_kms_key passes with a `policy` attribute or a connected
// aws_kms_key_policy. The fixture's one statement (kms:* to Principal AWS "*") is the same in both.
// Not converted: aws_s3_bucket.ignore (an earlier version of the fixture) is not a resource type the
// check judges, and aws_kms_key_policy.pike is judged only as the connection of aws_kms_key.pass.
const openStatement = {
  Action: "kms:*",
  Effect: "Allow",
  Principal: { AWS: "*" },
  Resource: "*",
  Sid: "Enable IAM User Permissions",
};
const keyPolicyDoc = JSON.stringify({ Id: "example", Statement: [openStatement], Version: "2012-10-17" });

const keyPolicyRows: Row[] = [
  {
    check: "CKV2_AWS_64",
    rule: "kms-key-policy-defined",
    fixture: "aws_kms_key.pass (joined by aws_kms_key_policy.pike, key_id = aws_kms_key.pass.id)",
    checkov: "PASSED",
    resources: [
      res(KEY, "pass", { enableKeyRotation: true }),
      // During preview the key's id is unknown: the join is the engine's property dependency.
      {
        ...res(KEY_POLICY, "pike", { keyId: UNKNOWN_STRING, policy: keyPolicyDoc }),
        propertyDependencies: { keyId: ["pass"] },
      },
    ],
  },
  {
    check: "CKV2_AWS_64",
    rule: "kms-key-policy-defined",
    fixture: "aws_kms_key.pass2 (inline policy)",
    checkov: "PASSED",
    resources: [res(KEY, "pass2", { enableKeyRotation: true, policy: keyPolicyDoc })],
  },
  {
    check: "CKV2_AWS_64",
    rule: "kms-key-policy-defined",
    fixture: "aws_kms_key.fail",
    checkov: "FAILED",
    resources: [res(KEY, "fail", { enableKeyRotation: true })],
  },
];

// CKV2_AWS_73 SQSEncryptionCMK (graph check; tests/terraform/graph/checks/resources/SQSEncryptionCMK):
// a queue passes without kms_master_key_id, or with one that is not alias/aws/sqs.
const queueBase = {
  name: "example-queue",
  delaySeconds: 0,
  maxMessageSize: 262144,
  messageRetentionSeconds: 345600,
  receiveWaitTimeSeconds: 0,
  visibilityTimeoutSeconds: 30,
};
const queueRows: Row[] = (
  [
    ["aws_sqs_queue.fail", { kmsMasterKeyId: "alias/aws/sqs" }, "FAILED"],
    ["aws_sqs_queue.pass_notexists", {}, "PASSED"],
    ["aws_sqs_queue.pass_different_start", { kmsMasterKeyId: "foo" }, "PASSED"],
  ] as [string, Record<string, unknown>, Verdict][]
).map(
  ([fixture, inputs, verdict]): Row => ({
    check: "CKV2_AWS_73",
    rule: "sqs-queue-kms-key-not-aws-managed",
    fixture,
    checkov: verdict,
    resources: [res(QUEUE, fixture.split(".")[1] ?? fixture, { ...queueBase, ...inputs })],
  }),
);

// CKV_AWS_355 IAMStarResourcePolicyDocument (example_IAMStarResourcePolicyDocument/main.tf): every
// Allow statement with Resource "*" and an action cloudsplaining counts as restrictable fails, on
// aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy and
// aws_ssoadmin_permission_set_inline_policy. The pack's rule judges the same resource types but only
// the KMS decrypt actions (FSBP KMS.1/KMS.2): ec2:Describe* on "*" passes it (`pack`).
const ec2Describe = (resource: string) => doc({ Action: ["ec2:Describe*"], Effect: "Allow", Resource: resource });
const instances = "arn:aws:ec2:us-east-1:123456789012:instance/*";
const policyTypes: [string, string, Record<string, unknown>][] = [
  ["aws_iam_policy", "aws:iam/policy:Policy", { name: "test_policy", path: "/", description: "My test policy" }],
  ["aws_iam_role_policy", "aws:iam/rolePolicy:RolePolicy", { name: "test_policy", role: "test_role" }],
  ["aws_iam_user_policy", "aws:iam/userPolicy:UserPolicy", { name: "test", user: "lb" }],
  ["aws_iam_group_policy", "aws:iam/groupPolicy:GroupPolicy", { name: "my_developer_policy", group: "my_developers" }],
];
const ssoBase = {
  instanceArn: "arn:aws:sso:::instance/ssoins-1111111111111111",
  permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111",
};
const starResourceRows: Row[] = [
  ...policyTypes.flatMap(([tf, type, base]): Row[] => [
    {
      check: "CKV_AWS_355",
      rule: "iam-no-kms-decrypt-on-all-keys",
      fixture: `${tf}.fail (ec2:Describe* on "*")`,
      checkov: "FAILED",
      pack: "PASSED",
      resources: [res(type, "fail", { ...base, policy: ec2Describe("*") })],
    },
    {
      check: "CKV_AWS_355",
      rule: "iam-no-kms-decrypt-on-all-keys",
      fixture: `${tf}.pass`,
      checkov: "PASSED",
      resources: [res(type, "pass", { ...base, policy: ec2Describe(instances) })],
    },
  ]),
  {
    check: "CKV_AWS_355",
    rule: "iam-no-kms-decrypt-on-all-keys",
    fixture: 'aws_iam_policy.pass_unrestrictable (s3:ListAllMyBuckets on "*")',
    checkov: "PASSED",
    resources: [
      res("aws:iam/policy:Policy", "pass_unrestrictable", {
        name: "test_policy",
        path: "/",
        description: "My test policy",
        policy: doc({ Action: ["s3:ListAllMyBuckets"], Effect: "Allow", Resource: "*" }),
      }),
    ],
  },
  {
    check: "CKV_AWS_355",
    rule: "iam-no-kms-decrypt-on-all-keys",
    fixture: "aws_ssoadmin_permission_set_inline_policy.pass",
    checkov: "PASSED",
    resources: [
      res("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "pass", {
        ...ssoBase,
        inlinePolicy: ec2Describe(instances),
      }),
    ],
  },
  {
    check: "CKV_AWS_355",
    rule: "iam-no-kms-decrypt-on-all-keys",
    fixture: 'aws_ssoadmin_permission_set_inline_policy.fail (ec2:Describe* on "*")',
    checkov: "FAILED",
    pack: "PASSED",
    resources: [
      res("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "fail", {
        ...ssoBase,
        inlinePolicy: ec2Describe("*"),
      }),
    ],
  },
];

// CKV_AWS_363 DeprecatedLambdaRuntime (example_DeprecatedLambdaRuntime/main.tf): the runtime is not
// in Checkov's list of deprecated runtimes, a snapshot of AWS's table. The pack reads AWS's table
// (policy-pack/rules/lambda.ts, read 2026-11-30); scheduledWithinDays 0 is Checkov's threshold
// (deprecated runtimes only). Where the snapshot and AWS's table disagree, the row records it (`pack`).
const lambdaBase = {
  code: "lambda_function_payload.zip",
  name: "lambda_function_name",
  role: "arn:aws:iam::123456789012:role/iam_for_lambda",
  handler: "index.test",
  ephemeralStorage: { size: 10240 },
};
const deprecatedOnly = { "lambda-supported-runtime": { scheduledWithinDays: 0 } };
// nodejs22.x is the fixture's passing runtime; AWS deprecates it on this date, after which the pack
// fails it while the fixture still says pass (Checkov's list must be edited to follow).
const nodejs22Deprecated = Date.now() >= Date.parse(`${SCHEDULED_DEPRECATIONS["nodejs22.x"]?.deprecation}T00:00:00Z`);
const runtimeRows: Row[] = [
  {
    check: "CKV_AWS_363",
    rule: "lambda-supported-runtime",
    fixture: "aws_lambda_function.pass (nodejs22.x)",
    checkov: "PASSED",
    ...(nodejs22Deprecated ? { pack: "FAILED" as const } : {}),
    config: deprecatedOnly,
    resources: [res(FUNCTION, "pass", { ...lambdaBase, runtime: "nodejs22.x" })],
  },
  {
    // The rule's default also warns of a deprecation AWS has scheduled within 365 days (2027-04-30).
    check: "CKV_AWS_363",
    rule: "lambda-supported-runtime",
    fixture: "aws_lambda_function.pass (nodejs22.x), default scheduledWithinDays 365",
    checkov: "PASSED",
    pack: "FAILED",
    resources: [res(FUNCTION, "pass", { ...lambdaBase, runtime: "nodejs22.x" })],
  },
  {
    // The fixture's earlier version (commit 89d1b46): nodejs18.x was not in Checkov's list, and
    // still is only a comment there; AWS deprecated it on 2025-09-01.
    check: "CKV_AWS_363",
    rule: "lambda-supported-runtime",
    fixture: "aws_lambda_function.pass (earlier fixture, nodejs18.x)",
    checkov: "PASSED",
    pack: "FAILED",
    config: deprecatedOnly,
    resources: [res(FUNCTION, "pass", { ...lambdaBase, runtime: "nodejs18.x" })],
  },
  {
    check: "CKV_AWS_363",
    rule: "lambda-supported-runtime",
    fixture: "aws_lambda_function.fail (python3.6)",
    checkov: "FAILED",
    config: deprecatedOnly,
    resources: [res(FUNCTION, "fail", { ...lambdaBase, runtime: "python3.6" })],
  },
  {
    check: "CKV_AWS_363",
    rule: "lambda-supported-runtime",
    fixture: "aws_lambda_function.fail2 (dotnetcore3.1)",
    checkov: "FAILED",
    config: deprecatedOnly,
    resources: [res(FUNCTION, "fail2", { ...lambdaBase, runtime: "dotnetcore3.1" })],
  },
];

export const rows: Row[] = [...keyPolicyRows, ...queueRows, ...starResourceRows, ...runtimeRows];
