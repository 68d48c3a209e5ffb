import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

// Mocks that make the offline preview look like a real one: every resource gets the computed
// outputs AWS would give it (ARNs, ids, endpoints, random results), derived deterministically from
// its name so that two previews of the same program print the same thing.

export interface MockAccount {
  readonly accountId: string;
  readonly region: string;
  /**
   * Outputs of the previous deployment, as a stack reference (also one to the stack itself) reads
   * them. @default - none: a stack never deployed
   */
  readonly previousOutputs?: Record<string, unknown>;
}

function digest(seed: string, length: number): string {
  let out = "";
  for (let counter = 0; out.length < length; counter++) {
    out += createHash("sha256").update(`${seed}#${counter}`).digest("hex");
  }
  return out.slice(0, length);
}

const alphabets = {
  alnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  special: "!#$%&*()-_=+[]{}<>:?",
};

/** A deterministic stand-in for random.RandomPassword/RandomString honouring their length and character classes. */
export function mockRandomString(seed: string, inputs: Record<string, unknown>): string {
  const length = typeof inputs.length === "number" ? inputs.length : 16;
  const useSpecial = inputs.special !== false;
  const overrideSpecial = typeof inputs.overrideSpecial === "string" ? inputs.overrideSpecial : undefined;
  const alphabet = alphabets.alnum + (useSpecial ? (overrideSpecial ?? alphabets.special) : "");
  const bytes = Buffer.from(digest(seed, length * 2), "hex");
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i] ?? 0) % alphabet.length];
  return out;
}

function uuid(seed: string): string {
  const h = digest(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** "aws:elasticache/replicationGroup:ReplicationGroup" -> { pkg: "aws", module: "elasticache", kind: "ReplicationGroup" } */
function parseType(type: string): { pkg: string; module: string; kind: string } {
  const [pkg = "", mod = "", kind = ""] = type.split(":");
  return { pkg, module: mod.split("/")[0] ?? "", kind };
}

type State = Record<string, unknown>;

export class OfflineMocks implements pulumi.runtime.Mocks {
  constructor(private readonly account: MockAccount) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
    if (args.type === "pulumi:pulumi:StackReference") {
      const outputs = this.account.previousOutputs ?? {};
      return { id: String(args.inputs.name ?? args.name), state: { ...args.inputs, outputs, secretOutputNames: [] } };
    }
    const seed = `${args.type}::${args.name}`;
    const computed = this.computedOutputs(args.type, args.name, args.inputs, seed);
    // An imported resource keeps the id it was imported by, as the engine's import step reads it.
    const id = args.id ? args.id : typeof computed.id === "string" ? computed.id : `${args.name}-${digest(seed, 7)}`;
    return { id, state: { ...args.inputs, ...computed, ...(args.id ? { id: args.id } : {}) } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const { accountId, region } = this.account;
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          accountId,
          arn: `arn:aws:iam::${accountId}:user/offline-preview`,
          userId: "AIDAOFFLINEPREVIEW",
          id: accountId,
        };
      case "aws:index/getRegion:getRegion":
        return { name: region, region, id: region, description: region };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
      case "aws:index/getAvailabilityZones:getAvailabilityZones":
        return { names: ["a", "b", "c"].map((z) => `${region}${z}`), zoneIds: [1, 2, 3].map((n) => `use1-az${n}`) };
      default:
        return args.inputs;
    }
  }

  private arn(service: string, resource: string, regional = true): string {
    const { accountId, region } = this.account;
    return `arn:aws:${service}:${regional ? region : ""}:${accountId}:${resource}`;
  }

  private computedOutputs(type: string, name: string, inputs: State, seed: string): State {
    const { region } = this.account;
    const { pkg, module, kind } = parseType(type);
    const str = (key: string, fallback: string) =>
      typeof inputs[key] === "string" ? (inputs[key] as string) : fallback;
    const physical = (key: string) => str(key, `${name}-${digest(seed, 7)}`);

    if (pkg === "random") {
      if (kind === "RandomPassword" || kind === "RandomString") {
        // New keepers replace the resource for real, so they give a new result here too.
        const keepers = inputs.keepers === undefined ? "" : JSON.stringify(inputs.keepers);
        return { result: mockRandomString(`${seed}#${keepers}`, inputs), id: "none" };
      }
      if (kind === "RandomId") {
        const keepers = inputs.keepers === undefined ? "" : JSON.stringify(inputs.keepers);
        const hex = digest(`${seed}#${keepers}`, 2 * (typeof inputs.byteLength === "number" ? inputs.byteLength : 8));
        return { hex, b64Std: "", id: hex };
      }
      return {};
    }
    if (pkg !== "aws") return {};

    switch (`${module}:${kind}`) {
      case "s3:Bucket":
      case "s3:BucketV2": {
        const bucket = physical("bucket");
        return {
          id: bucket,
          bucket,
          arn: `arn:aws:s3:::${bucket}`,
          bucketDomainName: `${bucket}.s3.amazonaws.com`,
          bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
          region,
        };
      }
      case "kms:Key": {
        const keyId = uuid(seed);
        return { id: keyId, keyId, arn: this.arn("kms", `key/${keyId}`) };
      }
      case "kms:Alias":
        return { id: str("name", `alias/${name}`), arn: this.arn("kms", str("name", `alias/${name}`)) };
      case "elasticache:ReplicationGroup": {
        const groupId = physical("replicationGroupId");
        const cluster = digest(seed, 6);
        return {
          id: groupId,
          replicationGroupId: groupId,
          arn: this.arn("elasticache", `replicationgroup:${groupId}`),
          primaryEndpointAddress: `master.${groupId}.${cluster}.use1.cache.amazonaws.com`,
          readerEndpointAddress: `replica.${groupId}.${cluster}.use1.cache.amazonaws.com`,
          port: typeof inputs.port === "number" ? inputs.port : 6379,
          memberClusters: Array.from(
            { length: typeof inputs.numCacheClusters === "number" ? inputs.numCacheClusters : 1 },
            (_, i) => `${groupId}-00${i + 1}`,
          ),
          engineVersionActual: "7.1.0",
        };
      }
      case "elasticache:SubnetGroup":
      case "elasticache:ParameterGroup": {
        const id = physical("name");
        return {
          id,
          name: id,
          arn: this.arn("elasticache", `${kind === "SubnetGroup" ? "subnetgroup" : "parametergroup"}:${id}`),
        };
      }
      case "secretsmanager:Secret": {
        const secretName = physical("name");
        const arn = this.arn("secretsmanager", `secret:${secretName}-${digest(seed, 6)}`);
        return { id: arn, arn, name: secretName };
      }
      case "secretsmanager:SecretVersion":
        return { id: `${digest(seed, 8)}|AWSCURRENT`, versionId: uuid(seed), arn: str("secretId", "") };
      case "ec2:SecurityGroup": {
        const id = `sg-${digest(seed, 17)}`;
        return {
          id,
          arn: this.arn("ec2", `security-group/${id}`),
          name: physical("name"),
          ownerId: this.account.accountId,
        };
      }
      case "ec2:SecurityGroupRule":
      case "vpc:SecurityGroupIngressRule":
      case "vpc:SecurityGroupEgressRule":
        return { id: `sgr-${digest(seed, 17)}` };
      case "sqs:Queue": {
        const queueName = physical("name");
        return {
          id: `https://sqs.${region}.amazonaws.com/${this.account.accountId}/${queueName}`,
          url: `https://sqs.${region}.amazonaws.com/${this.account.accountId}/${queueName}`,
          arn: this.arn("sqs", queueName),
          name: queueName,
        };
      }
      case "sns:Topic": {
        const topicName = physical("name");
        const arn = this.arn("sns", topicName);
        return { id: arn, arn, name: topicName };
      }
      case "iam:Role": {
        const roleName = physical("name");
        return {
          id: roleName,
          name: roleName,
          arn: `arn:aws:iam::${this.account.accountId}:role/${roleName}`,
          uniqueId: `AROA${digest(seed, 17).toUpperCase()}`,
        };
      }
      case "iam:Policy": {
        const policyName = physical("name");
        const arn = `arn:aws:iam::${this.account.accountId}:policy/${policyName}`;
        return { id: arn, arn, name: policyName };
      }
      case "lambda:Function": {
        const functionName = physical("name");
        const arn = this.arn("lambda", `function:${functionName}`);
        return {
          id: functionName,
          name: functionName,
          arn,
          qualifiedArn: `${arn}:1`,
          invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
          version: "1",
          sourceCodeSize: 0,
        };
      }
      case "lambda:EventSourceMapping":
        return { id: uuid(seed), uuid: uuid(seed), functionArn: str("functionName", "") };
      case "cloudwatch:LogGroup": {
        const groupName = physical("name");
        return { id: groupName, name: groupName, arn: this.arn("logs", `log-group:${groupName}`) };
      }
      case "cloudwatch:MetricAlarm": {
        const alarmName = physical("name");
        return { id: alarmName, name: alarmName, arn: this.arn("cloudwatch", `alarm:${alarmName}`) };
      }
      case "ecs:Cluster": {
        // The provider's id is the cluster ARN, which carries the cluster's name (a service's
        // `cluster` input holds it: the inventory keys services by "<cluster name>/<service>").
        const clusterName = physical("name");
        const arn = this.arn("ecs", `cluster/${clusterName}`);
        return { id: arn, arn, name: clusterName };
      }
      case "dynamodb:Table": {
        const tableName = physical("name");
        return { id: tableName, name: tableName, arn: this.arn("dynamodb", `table/${tableName}`) };
      }
      case "route53:Record":
        return { id: `${str("zoneId", "Z0")}_${str("name", name)}_${str("type", "CNAME")}`, fqdn: str("name", name) };
      case "route53:Zone":
        return {
          id: `Z${digest(seed, 13).toUpperCase()}`,
          zoneId: `Z${digest(seed, 13).toUpperCase()}`,
          nameServers: [],
        };
      default: {
        const id = `${name}-${digest(seed, 7)}`;
        return { id, arn: this.arn(module, `${kind.toLowerCase()}/${id}`) };
      }
    }
  }
}
