import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { rateLimiterBundle } from "../lambdas/bundle";
import { ENTRY_ENV, type Limits, SETTINGS_ENV } from "../lambdas/rate-limiter/config";
import { REDIS_ENV } from "../lambdas/shared/redis-config";
import { type AlarmRow, type AlarmTarget, alarmFromRow, type MathAlarmRow } from "./alarms";
import { EncryptedQueue, queueAlarmRows } from "./encrypted-queue";
import {
  lambdaAssumeRolePolicy,
  pipelineKeyStatements,
  pipelineRolePolicy,
  SENDER_ACCESS,
} from "./rate-limiter-pipeline-policies";
import { resolveArgs } from "./spec";
import { minVisibilityTimeoutSeconds, RateLimiterPipelineSpec } from "./specs/rate-limiter-pipeline";

// The runtime owns the limits (defaults and rules); the component takes them as its `limits` arg.
export { DEFAULT_LIMITS, type Limits, limitProblems } from "../lambdas/rate-limiter/config";
// The spec owns the defaults, ranges and rules of the arguments (components/specs/rate-limiter-pipeline.ts).
// The stack section reads against its fields and rules through the package's entry point.
export {
  ALARM_THRESHOLD_MAX,
  alarmThresholdFields,
  DEFAULT_ALARM_THRESHOLDS,
  limitFields,
  limitsRule,
  minVisibilityTimeoutSeconds,
  ONLYFANS_TOKEN_MIN_LENGTH,
  onlyfansFields,
  PIPELINE_DEFAULTS,
  PIPELINE_RANGES,
  pipelineRules,
  RateLimiterPipelineSpec,
  rateLimiterPipelineFields,
} from "./specs/rate-limiter-pipeline";

// The OnlyFans rate limiter's infrastructure: SQS queue + DLQ, the bundled Lambda, its event source
// mapping and alarms (the queue, DLQ, key, queue policies and queue alarms are an EncryptedQueue).
// The SQS + Lambda traps it avoids are in docs (aws-gotchas §SQS + Lambda):
// - concurrency is capped by the mapping's scalingConfig.maximumConcurrency, never by reserved
//   concurrency 1 (throttled polls count as receives and push valid messages into the DLQ);
// - visibility timeout ≥ 6 × function timeout, partial batch responses (ReportBatchItemFailures);
// - no Lambda dead-letter / on-failure destination: for an SQS-triggered function those apply to
//   asynchronous invocations only, which never happen here. The queue's redrive policy is the DLQ.

/** The Lambda runtime the function runs on; lambdas/runtime.ts owns it (the bundle targets the same Node.js major). */
export { LAMBDA_RUNTIME } from "../lambdas/runtime";

/** What a bundler returns: the bundle file, its size and its sha256 (hex or base64). */
export interface LambdaBundle {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Same source in, same bytes out: the function's code hash changes only when the code does. */
export type LambdaBundler = (entry: string, outDir: string) => Promise<LambdaBundle>;

/**
 * Per-creator sending limits passed to the runtime (ARCHITECTURE.md: rate limiter invariants); the
 * runtime's config (lambdas/rate-limiter/config.ts) owns their defaults and validation.
 */
export type RateLimiterLimits = Partial<Limits>;

export interface RateLimiterRedisArgs {
  /** Redis primary endpoint (or a CNAME to it; then set tlsServername). */
  readonly host: pulumi.Input<string>;
  readonly port?: number;
  /** TLS in transit. Opting out is for local experiments only. */
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
  /** ApproximateAgeOfOldestMessage, 5-minute maximum. */
  readonly oldestMessageAgeSeconds?: number;
  /** ApproximateNumberOfMessagesVisible, 5-minute maximum. */
  readonly visibleMessages?: number;
  /** Messages visible in the DLQ, 1-minute maximum. */
  readonly dlqMessages?: number;
  /** Errors / Invocations over 5 minutes, percent. */
  readonly errorRatePercent?: number;
  /** Duration, 5-minute maximum, milliseconds. */
  readonly durationMs?: number;
  /** Throttles per minute. */
  readonly throttles?: number;
}

export interface RateLimiterPipelineArgs {
  /**
   * Physical name prefix: queue `<prefix>-queue`, DLQ `<prefix>-dlq`, function `<prefix>`, log
   * group `/aws/lambda/<prefix>`. Must differ between stacks sharing an account and region.
   */
  readonly namePrefix?: string;
  /**
   * The source queue's physical name, when it exists already under a name the prefix does not give.
   * @default `<namePrefix>-queue`
   */
  readonly queueName?: string;
  /**
   * The DLQ's physical name, when it exists already under a name the prefix does not give
   * (production's Terraform-made `huntaze-rate-limiter-queue-dlq`).
   * @default `<namePrefix>-dlq`
   */
  readonly dlqName?: string;
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
  /**
   * Where the code comes from: an entry module bundled by `bundler` into `buildDir`.
   * @default - the rate-limiter bundle prebuilt and shipped with the package (lambdas/bundle.ts); nothing is built at deploy time
   */
  readonly code?: { readonly entry?: string; readonly buildDir?: string; readonly bundler?: LambdaBundler };
  /** Node.js runtime, at least the bundle's target version (lambdas/runtime.ts). */
  readonly runtime?: string;
  /** Function timeout, seconds. */
  readonly lambdaTimeoutSeconds?: number;
  /** Function memory, MB. */
  readonly memoryMb?: number;
  /** Queue visibility timeout, at least 6 × lambdaTimeoutSeconds. @default 6 × lambdaTimeoutSeconds (180) */
  readonly visibilityTimeoutSeconds?: number;
  /** Source queue retention, seconds. */
  readonly messageRetentionSeconds?: number;
  /** DLQ retention, at least the source queue's (SQS keeps a message's original enqueue time). */
  readonly dlqMessageRetentionSeconds?: number;
  /** Receives before SQS moves a message to the DLQ (the function's attempt limit too). */
  readonly maxReceiveCount?: number;
  /** Messages per invocation. */
  readonly batchSize?: number;
  /** Concurrency cap of the event source mapping (scalingConfig). */
  readonly maximumConcurrency?: number;
  /** Reserved concurrency; must be ≥ maximumConcurrency or Lambda throttles the poller. @default - unreserved */
  readonly reservedConcurrentExecutions?: number;
  /** Per-creator limits. @default - the runtime's DEFAULT_LIMITS, field by field (10 per 60 s, burst 3) */
  readonly limits?: RateLimiterLimits;
  /** One of the retention periods CloudWatch Logs accepts (LOG_RETENTION_DAYS). */
  readonly logRetentionDays?: number;
  /** Alarm thresholds. @default - DEFAULT_ALARM_THRESHOLDS, field by field */
  readonly alarmThresholds?: RateLimiterAlarmThresholds;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Environment variables the function reads, named once by the runtime (config.ts, redis-config.ts). */
export const RATE_LIMITER_ENV = {
  queueUrl: ENTRY_ENV.queueUrl,
  dlqUrl: ENTRY_ENV.dlqUrl,
  onlyfansApiUrl: ENTRY_ENV.onlyfansApiUrl,
  onlyfansSecretArn: ENTRY_ENV.onlyfansSecretArn,
  perWindow: SETTINGS_ENV.perWindow,
  windowSeconds: SETTINGS_ENV.windowSeconds,
  burst: SETTINGS_ENV.burst,
  maxConcurrency: SETTINGS_ENV.maxConcurrency,
  maxAttempts: SETTINGS_ENV.maxAttempts,
  redisHost: REDIS_ENV.host,
  redisPort: REDIS_ENV.port,
  redisTls: REDIS_ENV.tls,
  redisServername: REDIS_ENV.servername,
  redisAuthSecretArn: ENTRY_ENV.redisAuthSecretArn,
} as const;

/** Every argument checked, its default applied, and the names derived: the constructor reads only this. */
export function resolveRateLimiterArgs(name: string, args: RateLimiterPipelineArgs) {
  const s = resolveArgs("RateLimiterPipeline", name, RateLimiterPipelineSpec, args, {
    secretFields: ["onlyfans.apiToken"],
  });
  const prefix = s.namePrefix;
  return {
    ...s,
    queueName: s.queueName ?? `${prefix}-queue`,
    dlqName: s.dlqName ?? `${prefix}-dlq`,
    functionName: prefix,
    logGroupName: `/aws/lambda/${prefix}`,
    visibilityTimeoutSeconds: s.visibilityTimeoutSeconds ?? minVisibilityTimeoutSeconds(s.lambdaTimeoutSeconds),
    limits: s.limits as Limits,
    alarms: s.alarmThresholds as Required<RateLimiterAlarmThresholds>,
  };
}

/** Every argument with its default applied. */
export type ResolvedPipelineArgs = ReturnType<typeof resolveRateLimiterArgs>;

/** Lambda wants the code hash as base64 sha256; accept a bundler's hex digest too. */
export function toBase64Sha256(digest: string): string {
  return /^[0-9a-f]{64}$/i.test(digest) ? Buffer.from(digest, "hex").toString("base64") : digest;
}

/** The function's code: the prebuilt bundle by default, or `code`'s own entry bundled by its bundler. */
async function codeBundle(name: string, code: RateLimiterPipelineArgs["code"]): Promise<LambdaBundle> {
  if (code === undefined) {
    const prebuilt = rateLimiterBundle();
    return { file: prebuilt.path, bytes: fs.statSync(prebuilt.path).size, sha256: prebuilt.sha256 };
  }
  // Loaded lazily: only custom code needs esbuild (a dev dependency of this package).
  const bundler = code.bundler ?? (require("../lambdas/build") as { bundleLambda: LambdaBundler }).bundleLambda;
  const entry = code.entry ?? path.resolve(__dirname, "../lambdas/rate-limiter/index.ts");
  return bundler(entry, code.buildDir ?? path.resolve(".build", "lambdas", name));
}

/** What the alarm table watches. */
export interface PipelineAlarmSubjects {
  readonly namePrefix: string;
  readonly queueName: pulumi.Input<string>;
  readonly dlqName: pulumi.Input<string>;
  readonly functionName: pulumi.Input<string>;
  readonly lambdaTimeoutSeconds: number;
}

/** The queue alarms' descriptions, in the limiter's words. */
function queueAlarmDescriptions(prefix: string, a: Required<RateLimiterAlarmThresholds>) {
  return {
    oldestMessageAge: `Oldest message in ${prefix}-queue is older than ${a.oldestMessageAgeSeconds} s: the limiter is not keeping up or is stuck`,
    visibleMessages: `More than ${a.visibleMessages} messages waiting in ${prefix}-queue`,
    dlqDepth: `More than ${a.dlqMessages} messages in ${prefix}-dlq: sends failed 5 times or were malformed`,
  };
}

// Seed 002 "Monitoring & Alerts".
/** The pipeline's alarms, one row each: the queue's three (EncryptedQueue's table) and the function's. */
export function pipelineAlarmRows(
  a: Required<RateLimiterAlarmThresholds>,
  w: PipelineAlarmSubjects,
): (AlarmRow | MathAlarmRow)[] {
  return [...queueAlarmRows(a, w, queueAlarmDescriptions(w.namePrefix, a)), ...functionAlarmRows(a, w)];
}

/** The function's alarms: error rate, duration, throttles. */
function functionAlarmRows(
  a: Required<RateLimiterAlarmThresholds>,
  w: PipelineAlarmSubjects,
): (AlarmRow | MathAlarmRow)[] {
  const prefix = w.namePrefix;
  const fnDims = { FunctionName: w.functionName };
  const lambdaMetric = (id: string, metricName: string) => ({
    id,
    metric: { namespace: "AWS/Lambda", metricName, dimensions: fnDims, stat: "Sum", period: 300 },
  });
  const over = "GreaterThanThreshold" as const;
  return [
    {
      key: "error-rate",
      description: `More than ${a.errorRatePercent} % of ${prefix} invocations failed over 5 minutes`,
      metricQueries: [
        lambdaMetric("errors", "Errors"),
        lambdaMetric("invocations", "Invocations"),
        {
          id: "errorRate",
          expression: "IF(invocations > 0, 100 * errors / invocations, 0)",
          label: "Error rate (%)",
          returnData: true,
        },
      ],
      comparison: over,
      threshold: a.errorRatePercent,
    },
    {
      key: "duration",
      description: `An invocation of ${prefix} took longer than ${a.durationMs} ms (timeout ${w.lambdaTimeoutSeconds} s)`,
      namespace: "AWS/Lambda",
      metricName: "Duration",
      dimensions: fnDims,
      statistic: "Maximum",
      periodSeconds: 300,
      comparison: over,
      threshold: a.durationMs,
    },
    {
      key: "throttles",
      description: `${prefix} invocations were throttled (check reserved concurrency vs the mapping's cap)`,
      namespace: "AWS/Lambda",
      metricName: "Throttles",
      dimensions: fnDims,
      statistic: "Sum",
      periodSeconds: 60,
      comparison: over,
      threshold: a.throttles,
    },
  ];
}

/**
 * The OnlyFans send pipeline: a KMS-encrypted SQS queue with a DLQ (an EncryptedQueue), the
 * rate-limiter Lambda (bundled from lambdas/ at program run time, VPC access to Redis,
 * least-privilege role, X-Ray, its own log group), the event source mapping with partial batch
 * responses and a concurrency cap, and alarms.
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
    const { tags, namePrefix: prefix } = s;

    // --- Queue, DLQ, key (unless given) and the queue alarms -----------------------------------
    const queues = this.queues(name, s);
    [this.queue, this.deadLetterQueue] = [queues.queue, queues.deadLetterQueue];
    if (queues.key) this.key = queues.key;
    this.kmsKeyArn = queues.kmsKeyArn;
    const logKeyArn = s.logGroupKmsKeyArn ?? this.key?.arn;

    // --- OnlyFans credentials: by ARN only ------------------------------------------------------
    const credentials = this.credentials(name, s, this.kmsKeyArn);
    this.onlyfansSecretArn = credentials.arn;

    this.securityGroup = this.network(name, s);

    // --- Logs ----------------------------------------------------------------------------------
    // Created before the function: otherwise Lambda creates /aws/lambda/<name> itself, kept forever.
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: s.logGroupName, retentionInDays: s.logRetentionDays, kmsKeyId: logKeyArn, tags },
      parent,
    );

    // --- Role ----------------------------------------------------------------------------------
    const secretKeys = [credentials.keyArn, s.redis.authTokenSecretKmsKeyArn].filter(
      (k): k is pulumi.Input<string> => k !== undefined,
    );
    const { role, policy: rolePolicy } = this.executionRole(name, s, { kmsKeyArn: this.kmsKeyArn, secretKeys });
    this.role = role;

    // --- Code and function ---------------------------------------------------------------------
    ({ fn: this.function, sourceCodeHash: this.sourceCodeHash } = this.lambda(name, s, rolePolicy));

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

    // --- The function's alarms (the queue's are EncryptedQueue's) ------------------------------
    const target: AlarmTarget = { name, namePrefix: prefix, topicArn: s.alarmTopicArn, ...(tags ? { tags } : {}) };
    const rows = functionAlarmRows(s.alarms, {
      namePrefix: prefix,
      queueName: this.queue.name,
      dlqName: this.deadLetterQueue.name,
      functionName: this.function.name,
      lambdaTimeoutSeconds: s.lambdaTimeoutSeconds,
    });
    this.alarms = [...queues.alarms, ...rows.map((row) => alarmFromRow(target, row, parent))];

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

  /**
   * The source queue and its DLQ under the pipeline key (created here unless given: it also
   * encrypts the secret, the environment and, unless another is given, the logs), the senders'
   * queue policy and the queue alarms. Children keep this component's names (EncryptedQueue).
   */
  private queues(name: string, s: ResolvedPipelineArgs): EncryptedQueue {
    return new EncryptedQueue(
      name,
      {
        queueName: s.queueName,
        dlqName: s.dlqName,
        alarmTopicArn: s.alarmTopicArn,
        visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
        messageRetentionSeconds: s.messageRetentionSeconds,
        dlqMessageRetentionSeconds: s.dlqMessageRetentionSeconds,
        maxReceiveCount: s.maxReceiveCount,
        ...(s.kmsKeyArn !== undefined ? { kmsKeyArn: s.kmsKeyArn } : {}),
        keyDescription: `Encrypts the ${s.namePrefix} queues, secret, environment and logs`,
        keyAlias: s.namePrefix,
        // The account administers the key; the function's role policy grants its own use.
        keyStatements: (scope) =>
          pulumi.output(s.senderRoleArns).apply((senders) => pipelineKeyStatements(scope, s.logGroupName, senders)),
        roleArns: s.senderRoleArns,
        access: SENDER_ACCESS,
        alarmThresholds: s.alarms,
        alarmNamePrefix: s.namePrefix,
        alarmDescriptions: queueAlarmDescriptions(s.namePrefix, s.alarms),
        ...(s.tags !== undefined ? { tags: s.tags } : {}),
      },
      { parent: this },
    );
  }

  /** The function: the bundle (prebuilt, or `code` bundled), in the VPC, traced, logging to its group. */
  private lambda(
    name: string,
    s: ResolvedPipelineArgs,
    rolePolicy: aws.iam.RolePolicy,
  ): { fn: aws.lambda.Function; sourceCodeHash: pulumi.Output<string> } {
    const bundle = pulumi.output(codeBundle(name, s.code as RateLimiterPipelineArgs["code"]));
    const sourceCodeHash = bundle.apply((b) => toBase64Sha256(b.sha256));
    const fn = new aws.lambda.Function(
      `${name}-fn`,
      {
        name: s.functionName,
        description: "OnlyFans send rate limiter (per-creator window + token bucket in Redis)",
        runtime: s.runtime,
        handler: "index.handler",
        code: bundle.apply((b) => new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(b.file) })),
        sourceCodeHash,
        role: this.role.arn,
        memorySize: s.memoryMb,
        timeout: s.lambdaTimeoutSeconds,
        reservedConcurrentExecutions: s.reservedConcurrentExecutions,
        vpcConfig: { subnetIds: s.subnetIds, securityGroupIds: [this.securityGroup.id] },
        environment: { variables: this.environment(s) },
        kmsKeyArn: this.kmsKeyArn,
        tracingConfig: { mode: "Active" },
        loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
        // No deadLetterConfig / destination: they apply to async invocations; SQS redrive is the DLQ.
        tags: s.tags,
      },
      { parent: this, dependsOn: [this.logGroup, rolePolicy] },
    );
    return { fn, sourceCodeHash };
  }

  /** The OnlyFans credentials: a secret created from `apiToken` (under the pipeline key), or the given one. */
  private credentials(
    name: string,
    s: ResolvedPipelineArgs,
    kmsKeyArn: pulumi.Output<string>,
  ): { arn: pulumi.Output<string>; keyArn?: pulumi.Input<string> } {
    const { tags, namePrefix: prefix, onlyfans } = s;
    if (onlyfans.apiToken === undefined) {
      const keyArn = onlyfans.credentialsSecretKmsKeyArn;
      return {
        arn: pulumi.output(onlyfans.credentialsSecretArn as pulumi.Input<string>),
        ...(keyArn !== undefined ? { keyArn } : {}),
      };
    }
    const parent = { parent: this };
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
      { secretId: secret.id, secretString: pulumi.secret(onlyfans.apiToken) },
      parent,
    );
    return { arn: secret.arn, keyArn: kmsKeyArn };
  }

  /** The function's role and its least-privilege policy (pipelineRolePolicy). */
  private executionRole(
    name: string,
    s: ResolvedPipelineArgs,
    keys: { kmsKeyArn: pulumi.Output<string>; secretKeys: pulumi.Input<string>[] },
  ): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
    const parent = { parent: this };
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    const region = aws.getRegionOutput({}, parent).region;
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Execution role of the ${s.namePrefix} Lambda`,
        assumeRolePolicy: accountId.apply(lambdaAssumeRolePolicy),
        tags: s.tags,
      },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([
            this.queue.arn,
            this.deadLetterQueue.arn,
            keys.kmsKeyArn,
            this.logGroup.arn,
            this.onlyfansSecretArn,
            pulumi.output(s.redis.authTokenSecretArn),
            pulumi.all(keys.secretKeys),
            region,
          ])
          .apply(([queueArn, dlqArn, keyArn, logGroupArn, ofSecret, redisSecret, secretKeyArns, reg]) =>
            pipelineRolePolicy({
              queueArn,
              dlqArn,
              keyArn,
              logGroupArn,
              onlyfansSecretArn: ofSecret,
              ...(redisSecret ? { redisSecretArn: redisSecret } : {}),
              secretKeyArns,
              region: reg,
            }),
          ),
      },
      parent,
    );
    return { role, policy };
  }

  /** The function's security group: no ingress, egress to HTTPS and to Redis (admitted there when its group is given). */
  private network(name: string, s: ResolvedPipelineArgs): aws.ec2.SecurityGroup {
    const parent = { parent: this };
    const { tags, namePrefix: prefix } = s;
    const group = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: s.vpcId, description: `${prefix} Lambda: no ingress; egress to Redis and HTTPS only`, tags },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-egress-https`,
      {
        securityGroupId: group.id,
        description: "HTTPS to the OnlyFans API and AWS APIs (SQS, Secrets Manager, X-Ray)",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
        tags,
      },
      parent,
    );
    const redisGroup = s.redis.securityGroupId;
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-egress-redis`,
      {
        securityGroupId: group.id,
        description: "Redis (TLS) of the rate limiter",
        ipProtocol: "tcp",
        fromPort: s.redis.port,
        toPort: s.redis.port,
        ...(redisGroup !== undefined ? { referencedSecurityGroupId: redisGroup } : { cidrIpv4: s.vpcCidrBlock }),
        tags,
      },
      parent,
    );
    if (redisGroup !== undefined) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-redis-ingress`,
        {
          securityGroupId: redisGroup,
          description: `Redis from the ${prefix} Lambda`,
          ipProtocol: "tcp",
          fromPort: s.redis.port,
          toPort: s.redis.port,
          referencedSecurityGroupId: group.id,
          tags,
        },
        parent,
      );
    }
    return group;
  }

  /** The function's environment: settings and secret ARNs, never a secret value. */
  private environment(s: ResolvedPipelineArgs): Record<string, pulumi.Input<string>> {
    const env = RATE_LIMITER_ENV;
    return {
      [env.queueUrl]: this.queue.url,
      [env.dlqUrl]: this.deadLetterQueue.url,
      [env.onlyfansApiUrl]: s.onlyfans.apiUrl,
      [env.onlyfansSecretArn]: this.onlyfansSecretArn,
      [env.perWindow]: String(s.limits.perWindow),
      [env.windowSeconds]: String(s.limits.windowSeconds),
      [env.burst]: String(s.limits.burst),
      [env.maxConcurrency]: String(s.maximumConcurrency),
      [env.maxAttempts]: String(s.maxReceiveCount),
      [env.redisHost]: s.redis.host,
      [env.redisPort]: String(s.redis.port),
      [env.redisTls]: String(s.redis.tls),
      ...(s.redis.tlsServername !== undefined ? { [env.redisServername]: s.redis.tlsServername } : {}),
      ...(s.redis.authTokenSecretArn !== undefined ? { [env.redisAuthSecretArn]: s.redis.authTokenSecretArn } : {}),
    };
  }
}
