import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LAMBDA_NODE_MAJOR, LAMBDA_RUNTIME } from "../lambdas/runtime";
import { accountAdministration, denyInsecureTransport } from "./policy-statements";

// The OnlyFans rate limiter's infrastructure: SQS queue + DLQ, the bundled Lambda, its event source
// mapping and alarms. The SQS + Lambda traps it avoids are in docs (aws-gotchas §SQS + Lambda):
// - concurrency is capped by the mapping's scalingConfig.maximumConcurrency, never by reserved
//   concurrency 1 (throttled polls count as receives and push valid messages into the DLQ);
// - visibility timeout ≥ 6 × function timeout, partial batch responses (ReportBatchItemFailures);
// - no Lambda dead-letter / on-failure destination: for an SQS-triggered function those apply to
//   asynchronous invocations only, which never happen here. The queue's redrive policy is the DLQ.

/** What a bundler returns: the bundle file, its size and its sha256 (hex or base64). */
export interface LambdaBundle {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Same source in, same bytes out: the function's code hash changes only when the code does. */
export type LambdaBundler = (entry: string, outDir: string) => Promise<LambdaBundle>;

/** Per-creator sending limits passed to the runtime (ARCHITECTURE.md: rate limiter invariants). */
export interface RateLimiterLimits {
  /** Sends allowed in any rolling window. @default 10 */
  readonly perWindow?: number;
  /** Length of the rolling window. @default 60 */
  readonly windowSeconds?: number;
  /** Token bucket capacity, at most perWindow. @default 3 */
  readonly burst?: number;
}

export interface RateLimiterRedisArgs {
  /** Redis primary endpoint (or a CNAME to it; then set tlsServername). */
  readonly host: pulumi.Input<string>;
  /** @default 6379 */
  readonly port?: number;
  /** TLS in transit. Opting out is for local experiments only. @default true */
  readonly tls?: boolean;
  /** Name checked against the server certificate, when `host` is a CNAME. @default - the host */
  readonly tlsServername?: pulumi.Input<string>;
  /** Secrets Manager secret holding the AUTH token; passed by ARN, read at runtime. @default - no AUTH */
  readonly authTokenSecretArn?: pulumi.Input<string>;
  /** KMS key encrypting that secret (the role gets kms:Decrypt on it). @default - the secret uses the AWS-managed key */
  readonly authTokenSecretKmsKeyArn?: pulumi.Input<string>;
  /**
   * Security group of the Redis cluster. The component adds one ingress rule to it (from the
   * function's security group, on `port`) and scopes the function's egress to it.
   * @default - the caller admits `securityGroup` on the Redis side; Lambda egress on `port` goes to the VPC only via `vpcCidrBlock`
   */
  readonly securityGroupId?: pulumi.Input<string>;
}

export interface OnlyFansApiArgs {
  /** Base URL of the OnlyFans API (https only). */
  readonly apiUrl: string;
  /** Existing Secrets Manager secret with the API credentials. Give this or `apiToken`. */
  readonly credentialsSecretArn?: pulumi.Input<string>;
  /** KMS key of that existing secret. @default - the secret uses the AWS-managed key */
  readonly credentialsSecretKmsKeyArn?: pulumi.Input<string>;
  /**
   * The API token (a Pulumi secret). The component stores it in a new Secrets Manager secret
   * encrypted with the pipeline's key; the function gets only the secret's ARN. Give this or
   * `credentialsSecretArn`.
   */
  readonly apiToken?: pulumi.Input<string>;
}

export interface RateLimiterAlarmThresholds {
  /** ApproximateAgeOfOldestMessage, 5-minute maximum. @default 300 */
  readonly oldestMessageAgeSeconds?: number;
  /** ApproximateNumberOfMessagesVisible, 5-minute maximum. @default 1000 */
  readonly visibleMessages?: number;
  /** Messages visible in the DLQ, 1-minute maximum. @default 10 */
  readonly dlqMessages?: number;
  /** Errors / Invocations over 5 minutes, percent. @default 5 */
  readonly errorRatePercent?: number;
  /** Duration, 5-minute maximum, milliseconds. @default 10000 */
  readonly durationMs?: number;
  /** Throttles per minute. @default 0 */
  readonly throttles?: number;
}

/** The seed's alarm thresholds (seed 002, "Monitoring & Alerts"); stack config defaults to them too. */
export const DEFAULT_ALARM_THRESHOLDS: Required<RateLimiterAlarmThresholds> = {
  oldestMessageAgeSeconds: 300,
  visibleMessages: 1000,
  dlqMessages: 10,
  errorRatePercent: 5,
  durationMs: 10_000,
  throttles: 0,
};

export interface RateLimiterPipelineArgs {
  /**
   * Physical name prefix: queue `<prefix>-queue`, DLQ `<prefix>-dlq`, function `<prefix>`, log
   * group `/aws/lambda/<prefix>`. Must differ between stacks sharing an account and region.
   * @default "huntaze-rate-limiter"
   */
  readonly namePrefix?: string;
  /** Private subnets the function runs in (it reaches Redis there). */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** VPC of those subnets, for the function's security group. */
  readonly vpcId: pulumi.Input<string>;
  /** CIDR that Redis lives in, used for the Redis egress rule only when `redis.securityGroupId` is not given. @default - none (then `redis.securityGroupId` is required) */
  readonly vpcCidrBlock?: pulumi.Input<string>;
  readonly redis: RateLimiterRedisArgs;
  readonly onlyfans: OnlyFansApiArgs;
  /** SNS topic every alarm notifies (alarm and OK). */
  readonly alarmTopicArn: pulumi.Input<string>;
  /**
   * Customer-managed KMS key for the queues, the created secret and the environment variables.
   * Its policy must let IAM grant use (the account-root statement). @default - a key with rotation is created
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /**
   * KMS key for the log group; its policy must admit logs.<region>.amazonaws.com.
   * @default - the created key when the component creates one (its policy admits CloudWatch Logs), otherwise none
   */
  readonly logGroupKmsKeyArn?: pulumi.Input<string>;
  /** IAM roles that send to the queue: allowed by the queue policy and, for a created key, by the key policy. @default - none (senders in the account need their own IAM grants) */
  readonly senderRoleArns?: pulumi.Input<string>[];
  /** Where the code comes from. @default - lambdas/rate-limiter/index.ts, bundled into .build/lambdas/<name> */
  readonly code?: { readonly entry?: string; readonly buildDir?: string; readonly bundler?: LambdaBundler };
  /** Node.js runtime, at least the bundle's target version (lambdas/runtime.ts). @default "nodejs24.x" (LAMBDA_RUNTIME) */
  readonly runtime?: string;
  /** @default 30 */
  readonly lambdaTimeoutSeconds?: number;
  /** @default 256 */
  readonly memoryMb?: number;
  /** Queue visibility timeout, at least 6 × lambdaTimeoutSeconds. @default 6 × lambdaTimeoutSeconds (180) */
  readonly visibilityTimeoutSeconds?: number;
  /** Source queue retention. @default 345600 (4 days) */
  readonly messageRetentionSeconds?: number;
  /** DLQ retention, at least the source queue's (SQS keeps a message's original enqueue time). @default 1209600 (14 days) */
  readonly dlqMessageRetentionSeconds?: number;
  /** Receives before SQS moves a message to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /** Messages per invocation, 1–10. @default 1 */
  readonly batchSize?: number;
  /** Concurrency cap of the event source mapping (scalingConfig), at least 2. @default 2 */
  readonly maximumConcurrency?: number;
  /** Reserved concurrency; must be ≥ maximumConcurrency or Lambda throttles the poller. @default - unreserved */
  readonly reservedConcurrentExecutions?: number;
  /** @default { perWindow: 10, windowSeconds: 60, burst: 3 } */
  readonly limits?: RateLimiterLimits;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** @default - the seed's thresholds (see each field) */
  readonly alarmThresholds?: RateLimiterAlarmThresholds;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Environment variables the function reads (lambdas/rate-limiter and lambdas/shared/redis-config.ts). */
export const RATE_LIMITER_ENV = {
  queueUrl: "QUEUE_URL",
  dlqUrl: "DLQ_URL",
  onlyfansApiUrl: "ONLYFANS_API_URL",
  onlyfansSecretArn: "ONLYFANS_API_TOKEN_SECRET_ARN",
  perWindow: "RATE_LIMIT_PER_WINDOW",
  windowSeconds: "RATE_LIMIT_WINDOW_SECONDS",
  burst: "RATE_LIMIT_BURST",
  maxConcurrency: "MAX_CONCURRENCY",
  maxAttempts: "MAX_ATTEMPTS",
  redisHost: "REDIS_HOST",
  redisPort: "REDIS_PORT",
  redisTls: "REDIS_TLS_ENABLED",
  redisServername: "REDIS_TLS_SERVERNAME",
  redisAuthSecretArn: "REDIS_AUTH_TOKEN_SECRET_ARN",
} as const;

const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

interface Resolved {
  namePrefix: string;
  runtime: string;
  lambdaTimeoutSeconds: number;
  memoryMb: number;
  visibilityTimeoutSeconds: number;
  messageRetentionSeconds: number;
  dlqMessageRetentionSeconds: number;
  maxReceiveCount: number;
  batchSize: number;
  maximumConcurrency: number;
  reservedConcurrentExecutions?: number;
  limits: Required<RateLimiterLimits>;
  logRetentionDays: number;
  alarms: Required<RateLimiterAlarmThresholds>;
  redisPort: number;
  redisTls: boolean;
}

const isInt = (v: number) => Number.isSafeInteger(v);
const intIn = (v: number, min: number, max: number) => isInt(v) && v >= min && v <= max;

/** Defaults resolved once, then every rule checked; all problems are reported in one error. */
export function resolveRateLimiterArgs(name: string, args: RateLimiterPipelineArgs): Resolved {
  const lambdaTimeoutSeconds = args.lambdaTimeoutSeconds ?? 30;
  const limits = { perWindow: 10, windowSeconds: 60, burst: 3, ...stripUndefined(args.limits ?? {}) };
  const r: Resolved = {
    namePrefix: args.namePrefix ?? "huntaze-rate-limiter",
    runtime: args.runtime ?? LAMBDA_RUNTIME,
    lambdaTimeoutSeconds,
    memoryMb: args.memoryMb ?? 256,
    visibilityTimeoutSeconds: args.visibilityTimeoutSeconds ?? 6 * lambdaTimeoutSeconds,
    messageRetentionSeconds: args.messageRetentionSeconds ?? 345_600,
    dlqMessageRetentionSeconds: args.dlqMessageRetentionSeconds ?? 1_209_600,
    maxReceiveCount: args.maxReceiveCount ?? 5,
    batchSize: args.batchSize ?? 1,
    maximumConcurrency: args.maximumConcurrency ?? 2,
    reservedConcurrentExecutions: args.reservedConcurrentExecutions,
    limits,
    logRetentionDays: args.logRetentionDays ?? 30,
    alarms: { ...DEFAULT_ALARM_THRESHOLDS, ...stripUndefined(args.alarmThresholds ?? {}) },
    redisPort: args.redis.port ?? 6379,
    redisTls: args.redis.tls ?? true,
  };
  const minVisibility = 6 * r.lambdaTimeoutSeconds;
  const of = args.onlyfans;
  const rules: { check: boolean; message: string }[] = [
    {
      check: /^[A-Za-z0-9_-]{1,56}$/.test(r.namePrefix),
      message: `namePrefix must be 1–56 letters, digits, "-" or "_" (function names are ≤ 64), got "${r.namePrefix}"`,
    },
    {
      // The bundle targets LAMBDA_NODE_MAJOR: an older runtime may not run it.
      check: /^nodejs(\d+)\.x$/.test(r.runtime) && Number(/^nodejs(\d+)/.exec(r.runtime)?.[1]) >= LAMBDA_NODE_MAJOR,
      message: `runtime must be a Node.js runtime the bundle targets (${LAMBDA_RUNTIME} or later), got "${r.runtime}"`,
    },
    {
      check: intIn(r.lambdaTimeoutSeconds, 1, 900),
      message: `lambdaTimeoutSeconds must be an integer from 1 to 900, got ${r.lambdaTimeoutSeconds}`,
    },
    {
      check: intIn(r.memoryMb, 128, 10_240),
      message: `memoryMb must be an integer from 128 to 10240, got ${r.memoryMb}`,
    },
    {
      check: isInt(r.visibilityTimeoutSeconds) && r.visibilityTimeoutSeconds >= minVisibility,
      message: `visibilityTimeoutSeconds must be ≥ 6 × lambda timeout (${minVisibility}), got ${r.visibilityTimeoutSeconds}`,
    },
    {
      check: r.visibilityTimeoutSeconds <= 43_200,
      message: `visibilityTimeoutSeconds must be ≤ 43200 (12 hours, the SQS maximum), got ${r.visibilityTimeoutSeconds}`,
    },
    {
      check: intIn(r.messageRetentionSeconds, 60, 1_209_600),
      message: `messageRetentionSeconds must be an integer from 60 to 1209600, got ${r.messageRetentionSeconds}`,
    },
    {
      check:
        intIn(r.dlqMessageRetentionSeconds, 60, 1_209_600) && r.dlqMessageRetentionSeconds >= r.messageRetentionSeconds,
      message: `dlqMessageRetentionSeconds must be an integer from messageRetentionSeconds (${r.messageRetentionSeconds}) to 1209600, got ${r.dlqMessageRetentionSeconds}`,
    },
    {
      check: intIn(r.maxReceiveCount, 1, 1000),
      message: `maxReceiveCount must be an integer from 1 to 1000, got ${r.maxReceiveCount}`,
    },
    {
      check: intIn(r.batchSize, 1, 10),
      message: `batchSize must be an integer from 1 to 10, got ${r.batchSize}`,
    },
    {
      check: intIn(r.maximumConcurrency, 2, 1000),
      message: `maximumConcurrency must be an integer from 2 (the scalingConfig minimum) to 1000, got ${r.maximumConcurrency}`,
    },
    {
      check:
        r.reservedConcurrentExecutions === undefined ||
        (isInt(r.reservedConcurrentExecutions) && r.reservedConcurrentExecutions >= r.maximumConcurrency),
      message: `reservedConcurrentExecutions must be ≥ maximumConcurrency (${r.maximumConcurrency}) or unset (a lower reservation throttles the SQS poller and sends valid messages to the DLQ), got ${r.reservedConcurrentExecutions}`,
    },
    {
      check: intIn(r.limits.perWindow, 1, 10_000),
      message: `limits.perWindow must be an integer from 1 to 10000, got ${r.limits.perWindow}`,
    },
    {
      check: intIn(r.limits.windowSeconds, 1, 86_400),
      message: `limits.windowSeconds must be an integer from 1 to 86400, got ${r.limits.windowSeconds}`,
    },
    {
      check: intIn(r.limits.burst, 1, r.limits.perWindow),
      message: `limits.burst must be an integer from 1 to perWindow (${r.limits.perWindow}), got ${r.limits.burst}`,
    },
    {
      check: LOG_RETENTION_DAYS.includes(r.logRetentionDays),
      message: `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")}, got ${r.logRetentionDays}`,
    },
    {
      check: intIn(r.redisPort, 1, 65_535),
      message: `redis.port must be an integer from 1 to 65535, got ${r.redisPort}`,
    },
    {
      check: args.redis.securityGroupId !== undefined || args.vpcCidrBlock !== undefined,
      message: "redis.securityGroupId or vpcCidrBlock must be given (the function's Redis egress needs a destination)",
    },
    {
      check: /^https:\/\/[^\s/]+/.test(of.apiUrl),
      message: `onlyfans.apiUrl must be an https:// URL, got "${of.apiUrl}"`,
    },
    {
      check: (of.credentialsSecretArn === undefined) !== (of.apiToken === undefined),
      message:
        of.apiToken === undefined
          ? "onlyfans.credentialsSecretArn or onlyfans.apiToken must be given, got neither"
          : "onlyfans.credentialsSecretArn and onlyfans.apiToken are exclusive, got both",
    },
    {
      check: of.credentialsSecretKmsKeyArn === undefined || of.credentialsSecretArn !== undefined,
      message:
        "onlyfans.credentialsSecretKmsKeyArn needs onlyfans.credentialsSecretArn (a created secret uses the pipeline key)",
    },
    ...Object.entries(r.alarms).map(([key, value]) => ({
      check: Number.isFinite(value) && value >= 0,
      message: `alarmThresholds.${key} must be a number ≥ 0, got ${value}`,
    })),
  ];
  const problems = rules.filter((rule) => !rule.check).map((rule) => rule.message);
  if (problems.length > 0) throw new Error(`RateLimiterPipeline ${name}: ${problems.join("; ")}`);
  return r;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Lambda wants the code hash as base64 sha256; accept a bundler's hex digest too. */
export function toBase64Sha256(digest: string): string {
  return /^[0-9a-f]{64}$/i.test(digest) ? Buffer.from(digest, "hex").toString("base64") : digest;
}

function defaultBundler(): LambdaBundler {
  // Loaded lazily so that importing the component library does not load esbuild.
  const build = require("../lambdas/build") as { bundleLambda: LambdaBundler };
  return build.bundleLambda;
}

/**
 * The OnlyFans send pipeline: a KMS-encrypted SQS queue with a DLQ, the rate-limiter Lambda (bundled
 * from lambdas/ at program run time, VPC access to Redis, least-privilege role, X-Ray, its own log
 * group), the event source mapping with partial batch responses and a concurrency cap, and alarms.
 */
export class RateLimiterPipeline extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly function: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly eventSourceMapping: aws.lambda.EventSourceMapping;
  readonly key?: aws.kms.Key;
  readonly kmsKeyArn: pulumi.Output<string>;
  readonly onlyfansSecretArn: pulumi.Output<string>;
  readonly alarms: aws.cloudwatch.MetricAlarm[];
  readonly queueUrl: pulumi.Output<string>;
  readonly dlqUrl: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  /** sha256 (base64) of the deployed bundle. */
  readonly sourceCodeHash: pulumi.Output<string>;

  constructor(name: string, args: RateLimiterPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("huntaze:messaging:RateLimiterPipeline", name, {}, opts);
    const s = resolveRateLimiterArgs(name, args);
    const parent = { parent: this };
    const tags = args.tags;
    const prefix = s.namePrefix;
    const functionName = prefix;
    const logGroupName = `/aws/lambda/${functionName}`;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    const region = aws.getRegionOutput({}, parent).region;

    // --- Key -----------------------------------------------------------------------------------
    if (args.kmsKeyArn === undefined) {
      this.key = new aws.kms.Key(
        `${name}-key`,
        {
          description: `Encrypts the ${prefix} queues, secret, environment and logs`,
          enableKeyRotation: true,
          deletionWindowInDays: 30,
          policy: pulumi
            .all([accountId, region, pulumi.output(args.senderRoleArns ?? [])])
            .apply(([account, reg, senders]) =>
              JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                  // Delegates to IAM: the function's role policy grants its own kms use.
                  accountAdministration(account),
                  {
                    Sid: "CloudWatchLogsOfTheFunction",
                    Effect: "Allow",
                    Principal: { Service: `logs.${reg}.amazonaws.com` },
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    Resource: "*",
                    Condition: {
                      ArnEquals: {
                        "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${reg}:${account}:log-group:${logGroupName}`,
                      },
                    },
                  },
                  ...(senders.length > 0
                    ? [
                        {
                          Sid: "QueueSendersEncrypt",
                          Effect: "Allow",
                          Principal: { AWS: senders },
                          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                          Resource: "*",
                          Condition: { StringEquals: { "kms:ViaService": `sqs.${reg}.amazonaws.com` } },
                        },
                      ]
                    : []),
                ],
              }),
            ),
          tags,
        },
        parent,
      );
      new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${prefix}`, targetKeyId: this.key.keyId }, parent);
    }
    const kmsKeyArn = this.key ? this.key.arn : pulumi.output(args.kmsKeyArn!);
    this.kmsKeyArn = kmsKeyArn;
    const logKeyArn = args.logGroupKmsKeyArn ?? this.key?.arn;

    // --- Queues --------------------------------------------------------------------------------
    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        name: `${prefix}-dlq`,
        messageRetentionSeconds: s.dlqMessageRetentionSeconds,
        kmsMasterKeyId: kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
        tags,
      },
      parent,
    );
    this.queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        name: `${prefix}-queue`,
        receiveWaitTimeSeconds: 20,
        visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
        messageRetentionSeconds: s.messageRetentionSeconds,
        kmsMasterKeyId: kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
        redrivePolicy: this.deadLetterQueue.arn.apply((deadLetterTargetArn) =>
          JSON.stringify({ deadLetterTargetArn, maxReceiveCount: s.maxReceiveCount }),
        ),
        tags,
      },
      parent,
    );
    // Only this queue may redrive into the DLQ (separate resource: the two ARNs refer to each other).
    new aws.sqs.RedriveAllowPolicy(
      `${name}-dlq-redrive-allow`,
      {
        queueUrl: this.deadLetterQueue.url,
        redriveAllowPolicy: this.queue.arn.apply((arn) =>
          JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn] }),
        ),
      },
      parent,
    );
    const queuePolicy = (queue: aws.sqs.Queue, suffix: string, senders: pulumi.Input<string>[]) =>
      new aws.sqs.QueuePolicy(
        `${name}-${suffix}-policy`,
        {
          queueUrl: queue.url,
          policy: pulumi.all([queue.arn, pulumi.output(senders)]).apply(([arn, senderArns]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                denyInsecureTransport("sqs", arn),
                ...(senderArns.length > 0
                  ? [
                      {
                        Sid: "AllowSenders",
                        Effect: "Allow",
                        Principal: { AWS: senderArns },
                        Action: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
                        Resource: arn,
                      },
                    ]
                  : []),
              ],
            }),
          ),
        },
        parent,
      );
    queuePolicy(this.queue, "queue", args.senderRoleArns ?? []);
    queuePolicy(this.deadLetterQueue, "dlq", []);

    // --- OnlyFans credentials: by ARN only ------------------------------------------------------
    let onlyfansSecretArn: pulumi.Output<string>;
    let onlyfansSecretKey: pulumi.Input<string> | undefined;
    if (args.onlyfans.apiToken !== undefined) {
      const secret = new aws.secretsmanager.Secret(
        `${name}-onlyfans-credentials`,
        {
          namePrefix: `${prefix}/onlyfans-api-`,
          description: `OnlyFans API credentials of ${prefix}; set from the stack's secret config`,
          kmsKeyId: kmsKeyArn,
          recoveryWindowInDays: 7,
          tags,
        },
        parent,
      );
      new aws.secretsmanager.SecretVersion(
        `${name}-onlyfans-credentials-value`,
        { secretId: secret.id, secretString: pulumi.secret(args.onlyfans.apiToken) },
        parent,
      );
      onlyfansSecretArn = secret.arn;
      onlyfansSecretKey = kmsKeyArn;
    } else {
      onlyfansSecretArn = pulumi.output(args.onlyfans.credentialsSecretArn!);
      onlyfansSecretKey = args.onlyfans.credentialsSecretKmsKeyArn;
    }
    this.onlyfansSecretArn = onlyfansSecretArn;

    // --- Network -------------------------------------------------------------------------------
    this.securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: `${prefix} Lambda: no ingress; egress to Redis and HTTPS only`,
        tags,
      },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-egress-https`,
      {
        securityGroupId: this.securityGroup.id,
        description: "HTTPS to the OnlyFans API and AWS APIs (SQS, Secrets Manager, X-Ray)",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
        tags,
      },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-egress-redis`,
      {
        securityGroupId: this.securityGroup.id,
        description: "Redis (TLS) of the rate limiter",
        ipProtocol: "tcp",
        fromPort: s.redisPort,
        toPort: s.redisPort,
        ...(args.redis.securityGroupId !== undefined
          ? { referencedSecurityGroupId: args.redis.securityGroupId }
          : { cidrIpv4: args.vpcCidrBlock }),
        tags,
      },
      parent,
    );
    if (args.redis.securityGroupId !== undefined) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-redis-ingress`,
        {
          securityGroupId: args.redis.securityGroupId,
          description: `Redis from the ${prefix} Lambda`,
          ipProtocol: "tcp",
          fromPort: s.redisPort,
          toPort: s.redisPort,
          referencedSecurityGroupId: this.securityGroup.id,
          tags,
        },
        parent,
      );
    }

    // --- Logs ----------------------------------------------------------------------------------
    // Created before the function: otherwise Lambda creates /aws/lambda/<name> itself, kept forever.
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: logGroupName, retentionInDays: s.logRetentionDays, kmsKeyId: logKeyArn, tags },
      parent,
    );

    // --- Role ----------------------------------------------------------------------------------
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Execution role of the ${prefix} Lambda`,
        assumeRolePolicy: accountId.apply((account) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "lambda.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": account } },
              },
            ],
          }),
        ),
        tags,
      },
      parent,
    );
    const secretKeys = [onlyfansSecretKey, args.redis.authTokenSecretKmsKeyArn].filter(
      (k): k is pulumi.Input<string> => k !== undefined,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.id,
        policy: pulumi
          .all([
            this.queue.arn,
            this.deadLetterQueue.arn,
            kmsKeyArn,
            this.logGroup.arn,
            onlyfansSecretArn,
            pulumi.output(args.redis.authTokenSecretArn),
            pulumi.all(secretKeys),
            region,
          ])
          .apply(([queueArn, dlqArn, keyArn, logGroupArn, ofSecret, redisSecret, keys, reg]) =>
            JSON.stringify({
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
                  Resource: queueArn,
                },
                { Sid: "SendPoisonToDlq", Effect: "Allow", Action: "sqs:SendMessage", Resource: dlqArn },
                {
                  // SSE-KMS queues: decrypt on receive, data key on send; also the environment.
                  Sid: "QueueKey",
                  Effect: "Allow",
                  Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                  Resource: keyArn,
                },
                {
                  Sid: "ReadSecrets",
                  Effect: "Allow",
                  Action: "secretsmanager:GetSecretValue",
                  Resource: [ofSecret, ...(redisSecret ? [redisSecret] : [])],
                },
                ...[...new Set(keys)]
                  .filter((k) => k !== keyArn)
                  .map((k, i) => ({
                    Sid: `SecretKey${i}`,
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: k,
                    Condition: {
                      StringEquals: { "kms:ViaService": `secretsmanager.${reg}.amazonaws.com` },
                    },
                  })),
                {
                  Sid: "WriteOwnLogs",
                  Effect: "Allow",
                  Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                  Resource: `${logGroupArn}:*`,
                },
                {
                  // X-Ray has no resource-level permissions: AWS requires "*".
                  Sid: "Tracing",
                  Effect: "Allow",
                  Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                  Resource: "*",
                },
                {
                  // The VPC attachment (same actions as AWSLambdaVPCAccessExecutionRole): the ENI ids
                  // are unknown in advance and the Describe calls do not support resource scoping.
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
            }),
          ),
      },
      parent,
    );

    // --- Code ----------------------------------------------------------------------------------
    const entry = args.code?.entry ?? path.resolve(__dirname, "../lambdas/rate-limiter/index.ts");
    const buildDir = args.code?.buildDir ?? path.resolve(__dirname, "../.build/lambdas", name);
    const bundler = args.code?.bundler ?? defaultBundler();
    const bundle = pulumi.output(bundler(entry, buildDir));
    this.sourceCodeHash = bundle.apply((b) => toBase64Sha256(b.sha256));

    const env = RATE_LIMITER_ENV;
    const variables: Record<string, pulumi.Input<string>> = {
      [env.queueUrl]: this.queue.url,
      [env.dlqUrl]: this.deadLetterQueue.url,
      [env.onlyfansApiUrl]: args.onlyfans.apiUrl,
      [env.onlyfansSecretArn]: onlyfansSecretArn,
      [env.perWindow]: String(s.limits.perWindow),
      [env.windowSeconds]: String(s.limits.windowSeconds),
      [env.burst]: String(s.limits.burst),
      [env.maxConcurrency]: String(s.maximumConcurrency),
      [env.maxAttempts]: String(s.maxReceiveCount),
      [env.redisHost]: args.redis.host,
      [env.redisPort]: String(s.redisPort),
      [env.redisTls]: String(s.redisTls),
    };
    if (args.redis.tlsServername !== undefined) variables[env.redisServername] = args.redis.tlsServername;
    if (args.redis.authTokenSecretArn !== undefined) variables[env.redisAuthSecretArn] = args.redis.authTokenSecretArn;

    this.function = new aws.lambda.Function(
      `${name}-fn`,
      {
        name: functionName,
        description: "OnlyFans send rate limiter (per-creator window + token bucket in Redis)",
        runtime: s.runtime,
        handler: "index.handler",
        code: bundle.apply((b) => new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(b.file) })),
        sourceCodeHash: this.sourceCodeHash,
        role: this.role.arn,
        memorySize: s.memoryMb,
        timeout: s.lambdaTimeoutSeconds,
        reservedConcurrentExecutions: s.reservedConcurrentExecutions,
        vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [this.securityGroup.id] },
        environment: { variables },
        kmsKeyArn,
        tracingConfig: { mode: "Active" },
        loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
        // No deadLetterConfig / destination: they apply to async invocations; SQS redrive is the DLQ.
        tags,
      },
      { parent: this, dependsOn: [this.logGroup, rolePolicy] },
    );

    this.eventSourceMapping = new aws.lambda.EventSourceMapping(
      `${name}-trigger`,
      {
        eventSourceArn: this.queue.arn,
        functionName: this.function.arn,
        batchSize: s.batchSize,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: s.maximumConcurrency },
        tags,
      },
      // The mapping checks at creation that the role can receive from the queue.
      { parent: this, dependsOn: [rolePolicy] },
    );

    // --- Alarms --------------------------------------------------------------------------------
    const a = s.alarms;
    const actions = [args.alarmTopicArn];
    const alarm = (suffix: string, spec: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions">) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${suffix}`,
        {
          name: `${prefix}-${suffix}`,
          alarmActions: actions,
          okActions: actions,
          treatMissingData: "notBreaching",
          tags,
          ...spec,
        },
        parent,
      );
    const queueDims = { QueueName: this.queue.name };
    const fnDims = { FunctionName: this.function.name };
    this.alarms = [
      alarm("oldest-message-age", {
        alarmDescription: `Oldest message in ${prefix}-queue is older than ${a.oldestMessageAgeSeconds} s: the limiter is not keeping up or is stuck`,
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: queueDims,
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        threshold: a.oldestMessageAgeSeconds,
        comparisonOperator: "GreaterThanThreshold",
      }),
      alarm("visible-messages", {
        alarmDescription: `More than ${a.visibleMessages} messages waiting in ${prefix}-queue`,
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: queueDims,
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        threshold: a.visibleMessages,
        comparisonOperator: "GreaterThanThreshold",
      }),
      alarm("dlq-depth", {
        alarmDescription: `More than ${a.dlqMessages} messages in ${prefix}-dlq: sends failed 5 times or were malformed`,
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: this.deadLetterQueue.name },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 1,
        threshold: a.dlqMessages,
        comparisonOperator: "GreaterThanThreshold",
      }),
      alarm("error-rate", {
        alarmDescription: `More than ${a.errorRatePercent} % of ${prefix} invocations failed over 5 minutes`,
        metricQueries: [
          {
            id: "errors",
            metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: fnDims, stat: "Sum", period: 300 },
          },
          {
            id: "invocations",
            metric: {
              namespace: "AWS/Lambda",
              metricName: "Invocations",
              dimensions: fnDims,
              stat: "Sum",
              period: 300,
            },
          },
          {
            id: "errorRate",
            expression: "IF(invocations > 0, 100 * errors / invocations, 0)",
            label: "Error rate (%)",
            returnData: true,
          },
        ],
        evaluationPeriods: 1,
        threshold: a.errorRatePercent,
        comparisonOperator: "GreaterThanThreshold",
      }),
      alarm("duration", {
        alarmDescription: `An invocation of ${prefix} took longer than ${a.durationMs} ms (timeout ${s.lambdaTimeoutSeconds} s)`,
        namespace: "AWS/Lambda",
        metricName: "Duration",
        dimensions: fnDims,
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        threshold: a.durationMs,
        comparisonOperator: "GreaterThanThreshold",
      }),
      alarm("throttles", {
        alarmDescription: `${prefix} invocations were throttled (check reserved concurrency vs the mapping's cap)`,
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        dimensions: fnDims,
        statistic: "Sum",
        period: 60,
        evaluationPeriods: 1,
        threshold: a.throttles,
        comparisonOperator: "GreaterThanThreshold",
      }),
    ];

    this.queueUrl = this.queue.url;
    this.dlqUrl = this.deadLetterQueue.url;
    this.functionName = this.function.name;
    this.registerOutputs({
      queueUrl: this.queueUrl,
      dlqUrl: this.dlqUrl,
      functionName: this.functionName,
      sourceCodeHash: this.sourceCodeHash,
    });
  }
}
