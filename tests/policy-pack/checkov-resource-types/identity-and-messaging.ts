import type { CoveredType } from "./covered-type";

// KMS/IAM, SNS, SQS, Secrets Manager and Lambda: the Terraform types each cited check's Checkov
// source declares (bridgecrewio/checkov, checkov/terraform/checks/resource/aws/*.py
// `supported_resources`, graph_checks/aws/*.yaml `resource_types` and the joined
// `connected_resource_types`), and the @pulumi/aws v7 tokens the rules citing the check read.
// Where several versions of a source are stored, every one declares the types below unless a
// comment says otherwise. Only Terraform AWS provider types count: the CloudFormation/SAM twins of
// these checks (AWS::Lambda::Function, AWS::Serverless::Function, ...) are other frameworks, and the
// awscc_* types of checkov/terraform/checks/resource/awscc/ (same ids for CKV_AWS_7, 26, 27, 50,
// 116, 149, 173, 227) belong to the AWS Cloud Control provider, whose Pulumi twin is
// @pulumi/aws-native, not @pulumi/aws.

const KEY = "aws:kms/key:Key";
const KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy";
const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const QUEUE = "aws:sqs/queue:Queue";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";
const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const FUNCTION = "aws:lambda/function:Function";
const FUNCTION_URL = "aws:lambda/functionUrl:FunctionUrl";
const PERMISSION = "aws:lambda/permission:Permission";

/** A Lambda check whose source declares aws_lambda_function alone. */
const lambdaFunction = (check: string): CoveredType => ({
  check,
  terraform: "aws_lambda_function",
  pulumi: [FUNCTION],
});

export const types: CoveredType[] = [
  // CKV_AWS_7 KMSRotation.py; CKV_AWS_227 KMSKeyIsEnabled.py.
  { check: "CKV_AWS_7", terraform: "aws_kms_key", pulumi: [KEY] },
  { check: "CKV_AWS_227", terraform: "aws_kms_key", pulumi: [KEY] },
  // CKV_AWS_33 KMSKeyWildcardPrincipal.py declares aws_kms_key; the graph check
  // graph_checks/aws/KmsKeyWildcardPrincipal.yaml, stored at commit 107c287 with the same id, also
  // judges the policy of an aws_kms_key_policy (another stored version, 6fbf942, carries the draft
  // id CKV_AWS_333333 and judges both types).
  { check: "CKV_AWS_33", terraform: "aws_kms_key", pulumi: [KEY] },
  { check: "CKV_AWS_33", terraform: "aws_kms_key_policy", pulumi: [KEY_POLICY] },
  // CKV2_AWS_64 KmsKeyPolicyIsDefined.yaml (commit f6711c5): an aws_kms_key passes with a policy of
  // its own or a joined aws_kms_key_policy.
  { check: "CKV2_AWS_64", terraform: "aws_kms_key", pulumi: [KEY] },
  { check: "CKV2_AWS_64", terraform: "aws_kms_key_policy", pulumi: [KEY_POLICY] },
  // CKV_AWS_355 IAMStarResourcePolicyDocument.py, whose types come from its base class
  // base_cloudsplaining_resource_iam_check.py (commit 4e06148; an older stored version of the base
  // declared aws_iam_policy alone).
  { check: "CKV_AWS_355", terraform: "aws_iam_role_policy", pulumi: ["aws:iam/rolePolicy:RolePolicy"] },
  { check: "CKV_AWS_355", terraform: "aws_iam_user_policy", pulumi: ["aws:iam/userPolicy:UserPolicy"] },
  { check: "CKV_AWS_355", terraform: "aws_iam_group_policy", pulumi: ["aws:iam/groupPolicy:GroupPolicy"] },
  { check: "CKV_AWS_355", terraform: "aws_iam_policy", pulumi: ["aws:iam/policy:Policy"] },
  {
    check: "CKV_AWS_355",
    terraform: "aws_ssoadmin_permission_set_inline_policy",
    pulumi: ["aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"],
  },

  // CKV_AWS_26 SNSTopicEncryption.py; CKV_AWS_169 SNSTopicPolicyAnyPrincipal.py; CKV_AWS_385
  // SNSCrossAccountAccess.py.
  { check: "CKV_AWS_26", terraform: "aws_sns_topic", pulumi: [TOPIC] },
  { check: "CKV_AWS_169", terraform: "aws_sns_topic_policy", pulumi: [TOPIC_POLICY] },
  { check: "CKV_AWS_385", terraform: "aws_sns_topic_policy", pulumi: [TOPIC_POLICY] },

  // CKV_AWS_27 SQSQueueEncryption.py; CKV_AWS_72 SQSPolicy.py; CKV_AWS_168
  // SQSQueuePolicyAnyPrincipal.py (its first versions declared aws_sqs_queue_policy alone, the
  // later ones the queue's inline policy too); CKV_AWS_387 SQSOverlyPermissive.py; CKV2_AWS_73
  // SQSEncryptionCMK.yaml.
  { check: "CKV_AWS_27", terraform: "aws_sqs_queue", pulumi: [QUEUE] },
  { check: "CKV_AWS_72", terraform: "aws_sqs_queue_policy", pulumi: [QUEUE_POLICY] },
  { check: "CKV_AWS_168", terraform: "aws_sqs_queue_policy", pulumi: [QUEUE_POLICY] },
  { check: "CKV_AWS_168", terraform: "aws_sqs_queue", pulumi: [QUEUE] },
  { check: "CKV_AWS_387", terraform: "aws_sqs_queue_policy", pulumi: [QUEUE_POLICY] },
  { check: "CKV2_AWS_73", terraform: "aws_sqs_queue", pulumi: [QUEUE] },

  // CKV_AWS_149 SecretManagerSecretEncrypted.py; CKV_AWS_304 SecretManagerSecret90days.py judges a
  // rotation on its own inputs, wherever its secret is declared; CKV2_AWS_57 SecretsAreRotated.yaml
  // (commit d23ed4d; another stored version, 752a96b, carries id CKV2_AWS_62) joins an
  // aws_secretsmanager_secret to an aws_secretsmanager_secret_rotation.
  { check: "CKV_AWS_149", terraform: "aws_secretsmanager_secret", pulumi: [SECRET] },
  { check: "CKV_AWS_304", terraform: "aws_secretsmanager_secret_rotation", pulumi: [ROTATION] },
  { check: "CKV2_AWS_57", terraform: "aws_secretsmanager_secret", pulumi: [SECRET] },
  { check: "CKV2_AWS_57", terraform: "aws_secretsmanager_secret_rotation", pulumi: [ROTATION] },

  // Lambda: LambdaEnvironmentCredentials.py (CKV_AWS_45), LambdaXrayEnabled.py (CKV_AWS_50),
  // LambdaFunctionLevelConcurrentExecutionLimit.py (CKV_AWS_115), LambdaDLQConfigured.py
  // (CKV_AWS_116), LambdaInVPC.py (CKV_AWS_117), LambdaEnvironmentEncryptionSettings.py (CKV_AWS_173),
  // DeprecatedLambdaRuntime.py (CKV_AWS_363); LambdaFunctionURLAuth.py (CKV_AWS_258) and
  // LambdaFunctionIsNotPublic.py (CKV_AWS_301) judge the function URL and the permission on their own.
  ...["CKV_AWS_45", "CKV_AWS_50", "CKV_AWS_115", "CKV_AWS_116", "CKV_AWS_117", "CKV_AWS_173", "CKV_AWS_363"].map(
    lambdaFunction,
  ),
  { check: "CKV_AWS_258", terraform: "aws_lambda_function_url", pulumi: [FUNCTION_URL] },
  { check: "CKV_AWS_301", terraform: "aws_lambda_permission", pulumi: [PERMISSION] },
];
