import { ec2, elasticache } from "../lib/aws-types";
import {
  asArray,
  type Check,
  isUnknown,
  type Resource,
  refersTo,
  resourcePolicy,
  show,
  stackPolicy,
} from "../lib/inspect";
import { elasticacheAtRestProblem, elasticacheAuthProblem, elasticacheTransit, isCustomerKey } from "../lib/judgements";
import { describeRange, ingressOf, isOpen, portRange } from "../lib/security-groups";
import type { HuntazePolicy } from "../rule";

// ElastiCache replication groups (Redis/Valkey) and, for the controls that FSBP and Checkov apply
// to single nodes too, cache clusters (aws.elasticache.Cluster, Redis/Valkey/Memcached). The AUTH
// token is a secret: rules test its presence only and never put its value in a message.

const types = elasticache.replicationGroup;
const groupsAndClusters = [...elasticache.replicationGroup, ...elasticache.cluster];

const isClusterResource = (r: Resource) => (elasticache.cluster as readonly string[]).includes(r.type);
const isCluster = (c: Check) => isClusterResource(c.resource);

/** Whether a cache cluster's replicationGroupId names a group (an unknown id still does). */
const joinsGroup = (r: Resource) => {
  const group = r.props.replicationGroupId;
  return group !== undefined && group !== null && group !== "";
};

const isMemcachedEngine = (engine: unknown) => typeof engine === "string" && engine.toLowerCase() === "memcached";

/**
 * A cache cluster that joins a replication group (replicationGroupId) is one of its read replicas:
 * its snapshots and subnet group are the group's (AWS refuses them on the member), so the group is
 * judged instead. Records why and returns true for such a member; an unknown id still names a group.
 */
function judgedThroughGroup(c: Check, what: string): boolean {
  if (!isCluster(c) || !joinsGroup(c.resource)) return false;
  const group = c.props.replicationGroupId;
  c.outside(
    `cluster ${c.resource.name} is a member of replication group ${isUnknown(group) ? "(id unknown until apply)" : show(group)}: its ${what} is the group's, judged on the group`,
  );
  return true;
}

/** A Memcached cluster, which has neither snapshots nor (in the provider) minor-upgrade control: records why and returns true. */
function memcached(c: Check, what: string): boolean {
  if (!isCluster(c)) return false;
  const engine = c.props.engine;
  if (isUnknown(engine)) {
    c.unknown("engine");
    return true;
  }
  if (!isMemcachedEngine(engine)) return false;
  c.outside(`cluster ${c.resource.name} runs Memcached, which has no ${what}`);
  return true;
}

/** Reads a boolean input; reports `message` unless it is exactly true; records it when unknown. */
function requireTrue(c: Check, key: string, message: string): void {
  const v = c.props[key];
  if (isUnknown(v)) c.unknown(key);
  else if (v !== true) c.report(`${message} (${key} is ${show(v)})`);
}

const atRest = resourcePolicy({
  name: "elasticache-at-rest-encryption",
  summary: "ElastiCache replication groups encrypt data at rest (atRestEncryptionEnabled: true)",
  enforcementLevel: "mandatory",
  references: { catalogue: [1], fsbp: ["ElastiCache.4"], checkov: ["CKV_AWS_29"] },
  resourceTypes: types,
  check: (c) => {
    const v = c.props.atRestEncryptionEnabled;
    const problem = isUnknown(v) ? undefined : elasticacheAtRestProblem(v);
    if (isUnknown(v)) c.unknown("atRestEncryptionEnabled");
    else if (problem) c.report(`${problem} (atRestEncryptionEnabled is ${show(v)})`);
  },
});

const cmk = resourcePolicy({
  name: "elasticache-at-rest-encryption-cmk",
  summary: "ElastiCache at-rest encryption uses a customer-managed KMS key (kmsKeyId, given as a key ARN)",
  enforcementLevel: "mandatory",
  references: { catalogue: [2], fsbp: [], checkov: ["CKV_AWS_191"] },
  resourceTypes: types,
  check: (c) => {
    const key = c.props.kmsKeyId;
    if (isUnknown(key)) c.unknown("kmsKeyId");
    else if (typeof key !== "string" || key === "")
      c.report("at-rest encryption does not use a customer-managed key: set kmsKeyId to a KMS key ARN");
    else if (!isCustomerKey(key)) c.report(`kmsKeyId names the AWS-managed key ${key}; use a customer-managed key ARN`);
  },
});

const inTransit = resourcePolicy({
  name: "elasticache-in-transit-encryption",
  summary:
    'ElastiCache replication groups require TLS (transitEncryptionEnabled: true, transitEncryptionMode "required"; set allowPreferredMode during a migration)',
  enforcementLevel: "mandatory",
  references: { catalogue: [3], fsbp: ["ElastiCache.5"], checkov: ["CKV_AWS_30"] },
  resourceTypes: types,
  configSchema: {
    properties: {
      allowPreferredMode: {
        type: "boolean",
        default: false,
        description:
          'Accept transitEncryptionMode "preferred" (the first step when an existing group turns TLS on; a later apply moves it to "required").',
      },
    },
  },
  check: (c) => {
    requireTrue(c, "transitEncryptionEnabled", "in-transit encryption (TLS) is off");
    const mode = c.props.transitEncryptionMode;
    // The mode is judged on its own: an unset or unknown transitEncryptionEnabled is reported above.
    const verdict = elasticacheTransit(true, mode);
    if (isUnknown(mode)) c.unknown("transitEncryptionMode");
    else if (verdict.kind === "preferred" && c.config.allowPreferredMode !== true)
      c.report(`${verdict.message} (or set allowPreferredMode while migrating)`);
  },
});

const auth = resourcePolicy({
  name: "elasticache-auth",
  summary: "ElastiCache replication groups authenticate clients (AUTH token or RBAC user groups) over TLS",
  enforcementLevel: "mandatory",
  references: { catalogue: [4], fsbp: ["ElastiCache.6"], checkov: ["CKV_AWS_31"] },
  resourceTypes: types,
  check: (c) => {
    // Presence only: an unknown token (a random password during preview) counts as present.
    const present = (key: string) => {
      const v = c.props[key];
      return isUnknown(v) || (typeof v === "string" ? v.length > 0 : Array.isArray(v) ? v.length > 0 : false);
    };
    const hasAuth = present("authToken") || present("authTokenWo") || present("userGroupIds");
    const tls = c.props.transitEncryptionEnabled;
    if (hasAuth && isUnknown(tls)) {
      c.unknown("transitEncryptionEnabled");
      return;
    }
    const problem = elasticacheAuthProblem(hasAuth, tls);
    if (problem) c.report(`${problem} (authToken / userGroupIds, transitEncryptionEnabled)`);
  },
});

const failover = resourcePolicy({
  name: "elasticache-multi-az-failover",
  summary:
    "ElastiCache replication groups have automatic failover and Multi-AZ on (needs numCacheClusters >= 2); unlike CKV2_AWS_50, which reads automaticFailoverEnabled only, Multi-AZ off or unset fails too (failover alone may promote a replica in the same AZ)",
  enforcementLevel: "advisory",
  references: { catalogue: [5], fsbp: ["ElastiCache.3"], checkov: ["CKV2_AWS_50"] },
  resourceTypes: types,
  check: (c) => {
    requireTrue(c, "automaticFailoverEnabled", "automatic failover is off");
    requireTrue(c, "multiAzEnabled", "Multi-AZ is off");
  },
});

const snapshots = resourcePolicy({
  name: "elasticache-snapshot-retention",
  summary:
    "ElastiCache replication groups and Redis/Valkey cache clusters keep automatic snapshots (snapshotRetentionLimit >= minimumRetentionDays, default 1; Memcached has none); unlike CKV_AWS_134, a cluster that is a member of a replication group (replicationGroupId) is judged through its group, whose snapshots it shares",
  enforcementLevel: "advisory",
  references: { catalogue: [6], fsbp: ["ElastiCache.1"], checkov: ["CKV_AWS_134"] },
  resourceTypes: groupsAndClusters,
  configSchema: {
    properties: {
      minimumRetentionDays: {
        type: "integer",
        minimum: 1,
        maximum: 35,
        default: 1,
        description: "Fewest days of snapshots to keep.",
      },
    },
  },
  check: (c) => {
    if (judgedThroughGroup(c, "snapshot retention")) return;
    const min = Number(c.config.minimumRetentionDays ?? 1);
    const v = c.props.snapshotRetentionLimit;
    // The engine matters only for a cluster that would otherwise fail.
    const kept = typeof v === "number" && v >= min;
    if (kept || memcached(c, "snapshots")) return;
    if (isUnknown(v)) c.unknown("snapshotRetentionLimit");
    else
      c.report(
        `snapshotRetentionLimit is ${v === undefined ? "not set (0: no automatic backups)" : show(v)}; keep at least ${min} day(s)`,
      );
  },
});

const minorUpgrades = resourcePolicy({
  name: "elasticache-auto-minor-version-upgrade",
  summary:
    'ElastiCache replication groups and Redis/Valkey cache clusters take minor engine upgrades automatically (autoMinorVersionUpgrade not false; a cluster gives it as the string "false"; Memcached has no such control)',
  enforcementLevel: "advisory",
  references: { catalogue: [7], fsbp: ["ElastiCache.2"], checkov: ["CKV_AWS_322"] },
  resourceTypes: groupsAndClusters,
  check: (c) => {
    // A member cluster is judged on its own flag: false there asks AWS not to upgrade that node.
    const v = c.props.autoMinorVersionUpgrade;
    const off = v === false || (typeof v === "string" && v.toLowerCase() === "false");
    // The engine matters only for a cluster that would otherwise fail.
    if (!(off || isUnknown(v)) || memcached(c, "automatic minor version upgrade")) return;
    if (isUnknown(v)) c.unknown("autoMinorVersionUpgrade");
    else c.report(`autoMinorVersionUpgrade is ${show(v)}: security patches wait for a manual upgrade`);
  },
});

const subnetGroup = resourcePolicy({
  name: "elasticache-custom-subnet-group",
  summary:
    'ElastiCache replication groups and cache clusters (any engine) run in a named subnet group, not the default one; unlike CKV_AWS_323, subnetGroupName "default" fails too (it names the default group), and a cluster that is a member of a replication group (replicationGroupId) is judged through its group, whose subnet group it uses',
  enforcementLevel: "advisory",
  references: { catalogue: [8], fsbp: ["ElastiCache.7"], checkov: ["CKV_AWS_323"] },
  resourceTypes: groupsAndClusters,
  check: (c) => {
    if (judgedThroughGroup(c, "subnet group")) return;
    const what = isCluster(c) ? "cluster" : "group";
    const v = c.props.subnetGroupName;
    if (isUnknown(v)) c.unknown("subnetGroupName");
    else if (typeof v !== "string" || v === "" || v === "default")
      c.report(
        `the ${what} uses the default subnet group (subnetGroupName is ${show(v)}): create an aws.elasticache.SubnetGroup in private subnets`,
      );
  },
});

const sgTypes = [...ec2.securityGroup, ...ec2.securityGroupRule, ...ec2.ingressRule];

/** The engine's name for messages and its port when `port` is unset: Memcached for a Memcached cluster, else Redis. */
function engineOf(r: Resource): { name: string; port: number } | "unknown" {
  if (!isClusterResource(r)) return { name: "Redis", port: 6379 };
  const engine = r.props.engine;
  if (isUnknown(engine)) return "unknown";
  return isMemcachedEngine(engine) ? { name: "Memcached", port: 11211 } : { name: "Redis", port: 6379 };
}

const redisPortClosed = stackPolicy({
  name: "elasticache-security-groups-not-open",
  summary:
    "The security groups of an ElastiCache replication group or cache cluster (securityGroupIds) do not admit 0.0.0.0/0 or ::/0 on its port (default 6379, 11211 for Memcached); a cluster that is a member of a replication group is judged through the group",
  enforcementLevel: "mandatory",
  references: { catalogue: [76], fsbp: ["EC2.19"], checkov: [] },
  resourceTypes: [...groupsAndClusters, ...sgTypes],
  check: (s) => {
    const groups = s.ofType(ec2.securityGroup);
    const standalone = s.ofType([...ec2.securityGroupRule, ...ec2.ingressRule]);
    for (const rg of s.ofType(groupsAndClusters)) {
      const kind = isClusterResource(rg) ? "cluster" : "replication group";
      // A member cluster's security groups are its replication group's.
      if (kind === "cluster" && joinsGroup(rg)) continue;
      const portValue = rg.props.port;
      const engine = engineOf(rg);
      if (isUnknown(portValue)) {
        s.unknown(`port of ${rg.name}`);
        continue;
      }
      // The engine matters only for the default port.
      if (typeof portValue !== "number" && engine === "unknown") {
        s.unknown(`engine of ${rg.name}`);
        continue;
      }
      const port = typeof portValue === "number" ? portValue : (engine as { port: number }).port;
      const portName = engine === "unknown" ? "port" : `${engine.name} port`;
      const ids = rg.props.securityGroupIds;
      if (isUnknown(ids)) {
        s.unknown(`securityGroupIds of ${rg.name}`);
        continue;
      }
      // Groups declared outside this stack are checked where they are declared (rules 75/76).
      const attached = asArray(ids).length ? groups.filter((sg) => refersTo(rg, "securityGroupIds", sg)) : [];
      for (const sg of attached) {
        for (const rule of ingressOf(sg, standalone)) {
          const open = isOpen(rule);
          const range = portRange(rule);
          if (open === false || range === undefined) continue;
          if (isUnknown(open) || isUnknown(range)) {
            s.unknown(`the source or ports of ${rule.where}`);
            continue;
          }
          if (range[0] <= port && port <= range[1])
            s.report(
              rg,
              `${kind} ${rg.name} is reachable from the internet: ${rule.where} (security group ${sg.name}) admits 0.0.0.0/0 or ::/0 on ${describeRange(range)}, which includes the ${portName} ${port}`,
            );
        }
      }
    }
  },
});

export const elasticachePolicies: HuntazePolicy[] = [
  atRest,
  cmk,
  inTransit,
  auth,
  failover,
  snapshots,
  minorUpgrades,
  subnetGroup,
  redisPortClosed,
];
