import { encryptedQueuePolicyDocument } from "./encrypted-queue";
import type { KeyScope, PolicyStatement } from "./kms-key";
import { cloudWatchLogsKeyStatement } from "./policy-statements";

// The policy documents of RateLimiterPipeline, as pure functions of plain values (the component
// applies them to its outputs; tests call them directly).

/** Service statements of the pipeline key (after the account administration statement). */
export function pipelineKeyStatements(
  scope: KeyScope,
  logGroupName: string,
  senderRoleArns: readonly string[],
): PolicyStatement[] {
  const { region } = scope;
  return [
    cloudWatchLogsKeyStatement("CloudWatchLogsOfTheFunction", scope, [logGroupName]),
    ...(senderRoleArns.length > 0
      ? [
          {
            Sid: "QueueSendersEncrypt",
            Effect: "Allow",
            Principal: { AWS: [...senderRoleArns] },
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: "*",
            Condition: { StringEquals: { "kms:ViaService": `sqs.${region}.amazonaws.com` } },
          },
        ]
      : []),
  ];
}

/** What the sender roles may do on the source queue (the queue policy's statement; nothing on the DLQ). */
export const SENDER_ACCESS = {
  sid: "AllowSenders",
  actions: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
} as const;

/** A queue's resource policy: TLS only, and the sender roles may send (EncryptedQueue's document). */
export function queuePolicyDocument(queueArn: string, senderRoleArns: readonly string[]): string {
  return encryptedQueuePolicyDocument(queueArn, senderRoleArns, SENDER_ACCESS);
}

/** Trust policy of the function's role: Lambda, on behalf of this account only. */
export function lambdaAssumeRolePolicy(accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });
}

export interface PipelineRoleResources {
  readonly queueArn: string;
  readonly dlqArn: string;
  /** The pipeline key (queues, environment). */
  readonly keyArn: string;
  readonly logGroupArn: string;
  readonly onlyfansSecretArn: string;
  /** @default - no Redis AUTH secret */
  readonly redisSecretArn?: string;
  /** Keys of the secrets, when not the pipeline key (used only through Secrets Manager). */
  readonly secretKeyArns: readonly string[];
  readonly region: string;
}

/** The function's least-privilege role policy. */
export function pipelineRolePolicy(r: PipelineRoleResources): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        // Poll, ack, extend visibility, and re-send throttled messages with DelaySeconds.
        Sid: "ConsumeAndRequeue",
        Effect: "Allow",
        Action: [
          "sqs:ReceiveMessage",
          "sqs:DeleteMessage",
          "sqs:ChangeMessageVisibility",
          "sqs:GetQueueAttributes",
          "sqs:SendMessage",
        ],
        Resource: r.queueArn,
      },
      { Sid: "SendPoisonToDlq", Effect: "Allow", Action: "sqs:SendMessage", Resource: r.dlqArn },
      {
        // SSE-KMS queues: decrypt on receive, data key on send; also the environment.
        Sid: "QueueKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: r.keyArn,
      },
      {
        Sid: "ReadSecrets",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: [r.onlyfansSecretArn, ...(r.redisSecretArn ? [r.redisSecretArn] : [])],
      },
      ...[...new Set(r.secretKeyArns)]
        .filter((k) => k !== r.keyArn)
        .map((k, i) => ({
          Sid: `SecretKey${i}`,
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: k,
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${r.region}.amazonaws.com` } },
        })),
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${r.logGroupArn}:*`,
      },
      {
        // X-Ray has no resource-level permissions: AWS requires "*".
        Sid: "Tracing",
        Effect: "Allow",
        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        Resource: "*",
      },
      {
        // The VPC attachment (same actions as AWSLambdaVPCAccessExecutionRole): the ENI ids are
        // unknown in advance and the Describe calls do not support resource scoping.
        Sid: "VpcNetworkInterfaces",
        Effect: "Allow",
        Action: [
          "ec2:CreateNetworkInterface",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeSubnets",
          "ec2:DeleteNetworkInterface",
          "ec2:AssignPrivateIpAddresses",
          "ec2:UnassignPrivateIpAddresses",
        ],
        Resource: "*",
      },
    ],
  });
}
