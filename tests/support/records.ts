import * as path from "node:path";
import { readProject } from "../../tools/engine/project";
import type { RecordedResource } from "../../tools/engine/recorder";
import type { PlainObject } from "../../tools/engine/secrets";

// Factories for RecordedResource values, so the diagram, cost and summary code can be tested on
// stacks the program does not build (yet): GuardDuty, Security Hub, CloudTrail, DynamoDB, ECS, RDS.

const PROJECT = readProject(path.resolve(__dirname, "../..")).name;
const STACK_URN = `urn:pulumi:test::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-test`;

export interface RecordSpec {
  readonly type: string;
  readonly name: string;
  readonly inputs?: PlainObject;
  /** The parent record (a component); the stack when omitted. */
  readonly parent?: RecordedResource;
  /** input name -> the records it was computed from (becomes propertyDependencies and dependencies). */
  readonly deps?: Record<string, RecordedResource[]>;
  readonly custom?: boolean;
}

export function urnOf(type: string, name: string, parent?: RecordedResource): string {
  const parentType = parent ? (parent.urn.split("::")[2] ?? "") : "";
  const qualified = parentType ? `${parentType}$${type}` : type;
  return `urn:pulumi:test::${PROJECT}::${qualified}::${name}`;
}

export function rec(spec: RecordSpec): RecordedResource {
  const propertyDependencies: Record<string, string[]> = {};
  const all = new Set<string>();
  for (const [key, rs] of Object.entries(spec.deps ?? {})) {
    propertyDependencies[key] = rs.map((r) => r.urn);
    for (const r of rs) all.add(r.urn);
  }
  return {
    urn: urnOf(spec.type, spec.name, spec.parent),
    type: spec.type,
    name: spec.name,
    parent: spec.parent?.urn ?? STACK_URN,
    custom: spec.custom ?? true,
    inputs: spec.inputs ?? {},
    outputs: spec.inputs ?? {},
    dependencies: [...all],
    propertyDependencies,
    options: {
      protect: false,
      ignoreChanges: [],
      deleteBeforeReplace: false,
      additionalSecretOutputs: [],
      aliases: [],
    },
  };
}

export function stackRecord(): RecordedResource {
  return {
    ...rec({ type: "pulumi:pulumi:Stack", name: `${PROJECT}-test`, custom: false }),
    urn: STACK_URN,
    parent: undefined,
  };
}

export function component(type: string, name: string, parent?: RecordedResource): RecordedResource {
  return rec({ type, name, parent, custom: false });
}

/**
 * A stack with every data flow the diagram knows: SQS → Lambda → Redis over TLS → an external API,
 * alarms → topics → subscribers, findings → EventBridge → security topic, trail → bucket, an app
 * security group → the Redis port, plus the account baseline types other parts of the project add.
 */
export function syntheticStack(): RecordedResource[] {
  const out: RecordedResource[] = [stackRecord()];
  const add = (r: RecordedResource) => {
    out.push(r);
    return r;
  };
  const alerts = add(component("huntaze:observability:AlertTopics", "alerts"));
  const ops = add(rec({ type: "aws:sns/topic:Topic", name: "alerts-ops", parent: alerts }));
  const security = add(rec({ type: "aws:sns/topic:Topic", name: "alerts-security", parent: alerts }));
  add(
    rec({ type: "aws:sns/topicPolicy:TopicPolicy", name: "alerts-ops-policy", parent: alerts, deps: { arn: [ops] } }),
  );
  add(
    rec({
      type: "aws:sns/topicSubscription:TopicSubscription",
      name: "alerts-ops-email-0",
      parent: alerts,
      inputs: { protocol: "email", endpoint: "ops@example.com" },
      deps: { topic: [ops] },
    }),
  );

  const redisC = add(component("huntaze:cache:EncryptedRedis", "redis"));
  const redisKey = add(rec({ type: "aws:kms/key:Key", name: "redis-key", parent: redisC }));
  const redisSg = add(rec({ type: "aws:ec2/securityGroup:SecurityGroup", name: "redis-sg", parent: redisC }));
  const rg = add(
    rec({
      type: "aws:elasticache/replicationGroup:ReplicationGroup",
      name: "redis",
      parent: redisC,
      inputs: {
        nodeType: "cache.t3.micro",
        numCacheClusters: 2,
        port: 6379,
        transitEncryptionEnabled: true,
        snapshotRetentionLimit: 7,
      },
      deps: { securityGroupIds: [redisSg], kmsKeyId: [redisKey] },
    }),
  );
  add(
    rec({
      type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      name: "redis-from-app",
      parent: redisC,
      inputs: { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, referencedSecurityGroupId: "sg-0123456789abcdef0" },
      deps: { securityGroupId: [redisSg] },
    }),
  );
  for (const metric of ["cpu", "memory"])
    add(
      rec({
        type: "aws:cloudwatch/metricAlarm:MetricAlarm",
        name: `redis-${metric}`,
        parent: redisC,
        inputs: { period: 300 },
        deps: { alarmActions: [ops] },
      }),
    );

  const rl = add(component("huntaze:messaging:RateLimiterPipeline", "rate-limiter"));
  const dlq = add(rec({ type: "aws:sqs/queue:Queue", name: "rate-limiter-dlq", parent: rl }));
  const queue = add(
    rec({
      type: "aws:sqs/queue:Queue",
      name: "rate-limiter-queue",
      parent: rl,
      inputs: { redrivePolicy: '{"deadLetterTargetArn":"arn","maxReceiveCount":5}' },
      deps: { redrivePolicy: [dlq] },
    }),
  );
  const role = add(rec({ type: "aws:iam/role:Role", name: "rate-limiter-role", parent: rl }));
  add(
    rec({
      type: "aws:iam/rolePolicy:RolePolicy",
      name: "rate-limiter-role-policy",
      parent: rl,
      deps: { role: [role] },
    }),
  );
  const fnSg = add(rec({ type: "aws:ec2/securityGroup:SecurityGroup", name: "rate-limiter-sg", parent: rl }));
  const fn = add(
    rec({
      type: "aws:lambda/function:Function",
      name: "rate-limiter-fn",
      parent: rl,
      inputs: {
        memorySize: 256,
        environment: {
          variables: { API_URL: "https://api.onlyfans.com/v1", QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/1/q" },
        },
      },
      deps: { role: [role], environment: [rg, queue], vpcConfig: [fnSg] },
    }),
  );
  add(
    rec({
      type: "aws:lambda/eventSourceMapping:EventSourceMapping",
      name: "rate-limiter-trigger",
      parent: rl,
      inputs: { batchSize: 1 },
      deps: { eventSourceArn: [queue], functionName: [fn] },
    }),
  );
  add(
    rec({
      type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      name: "rate-limiter-redis-ingress",
      parent: rl,
      inputs: { ipProtocol: "tcp", fromPort: 6379, toPort: 6379 },
      deps: { securityGroupId: [redisSg], referencedSecurityGroupId: [fnSg] },
    }),
  );
  add(rec({ type: "aws:cloudwatch/logGroup:LogGroup", name: "rate-limiter-logs", parent: rl }));

  const baseline = add(component("huntaze:security:AccountBaseline", "baseline"));
  const trailBucket = add(rec({ type: "aws:s3/bucket:Bucket", name: "trail-bucket", parent: baseline }));
  add(
    rec({
      type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      name: "trail-bucket-pab",
      parent: baseline,
      deps: { bucket: [trailBucket] },
    }),
  );
  add(
    rec({ type: "aws:cloudtrail/trail:Trail", name: "trail", parent: baseline, deps: { s3BucketName: [trailBucket] } }),
  );
  add(rec({ type: "aws:guardduty/detector:Detector", name: "guardduty", parent: baseline }));
  const hub = add(rec({ type: "aws:securityhub/account:Account", name: "security-hub", parent: baseline }));
  add(
    rec({
      type: "aws:securityhub/standardsSubscription:StandardsSubscription",
      name: "fsbp",
      parent: baseline,
      deps: { standardsArn: [hub] },
    }),
  );
  const rule = add(
    rec({
      type: "aws:cloudwatch/eventRule:EventRule",
      name: "findings",
      parent: baseline,
      inputs: { eventPattern: '{"source":["aws.guardduty","aws.securityhub"]}' },
    }),
  );
  add(
    rec({
      type: "aws:cloudwatch/eventTarget:EventTarget",
      name: "findings-to-security",
      parent: baseline,
      deps: { rule: [rule], arn: [security] },
    }),
  );
  add(
    rec({
      type: "aws:dynamodb/table:Table",
      name: "cost-tracking",
      inputs: { billingMode: "PAY_PER_REQUEST", pointInTimeRecovery: { enabled: true } },
    }),
  );
  return out;
}
