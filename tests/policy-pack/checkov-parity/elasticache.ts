import { type Row, res, type Verdict } from "./row";

// ElastiCache: CKV2_AWS_50, CKV_AWS_134, CKV_AWS_322, CKV_AWS_323.

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CLUSTER = "aws:elasticache/cluster:Cluster";

/** The node every aws_elasticache_cluster of the three resource-check fixtures shares. */
const redisNode = {
  clusterId: "cluster",
  engine: "redis",
  nodeType: "cache.m5.large",
  numCacheNodes: 1,
  parameterGroupName: "default.redis6.x",
};
const memcached = { engine: "memcached", parameterGroupName: "default.memcached1.6 " };

const failoverGroup = {
  preferredCacheClusterAzs: ["us-west-2a", "us-west-2b"],
  replicationGroupId: "tf-rep-group-1",
  description: "example description",
  nodeType: "cache.m4.large",
  numCacheClusters: 2,
  parameterGroupName: "default.redis3.2",
  port: 6379,
};

export const rows: Row[] = [
  // CKV2_AWS_50 ElastiCacheRedisConfiguredAutomaticFailOver (graph check; fixture
  // tests/terraform/graph/checks/resources/ElastiCacheRedisConfiguredAutomaticFailOver/, expected.yaml).
  // The check reads automatic_failover_enabled only; the rule also wants Multi-AZ, which no fixture
  // group sets, so the passing group fails here.
  ...(
    [
      ["pass", { automaticFailoverEnabled: true }, "PASSED", "FAILED"],
      ["fail_1", {}, "FAILED", undefined],
      ["fail_2", { automaticFailoverEnabled: false }, "FAILED", undefined],
    ] as [string, Record<string, unknown>, Verdict, Verdict | undefined][]
  ).map(
    ([name, extra, verdict, pack]): Row => ({
      check: "CKV2_AWS_50",
      rule: "elasticache-multi-az-failover",
      fixture: `aws_elasticache_replication_group.${name}`,
      checkov: verdict,
      ...(pack ? { pack } : {}),
      resources: [res(RG, name, { ...failoverGroup, ...extra })],
    }),
  ),
  // CKV_AWS_134 ElasticCacheAutomaticBackup (test_ElasticCacheAutomaticBackup.py,
  // example_ElasticCacheAutomaticBackup/main.tf): Memcached is UNKNOWN to the check (no snapshots).
  ...(
    [
      ["enabled", { snapshotRetentionLimit: 5 }, "PASSED"],
      ["default", {}, "FAILED"],
      ["disabled", { snapshotRetentionLimit: 0 }, "FAILED"],
      ["memcached", memcached, "UNKNOWN"],
    ] as [string, Record<string, unknown>, Verdict][]
  ).map(
    ([name, extra, verdict]): Row => ({
      check: "CKV_AWS_134",
      rule: "elasticache-snapshot-retention",
      fixture: `aws_elasticache_cluster.${name}`,
      checkov: verdict,
      resources: [res(CLUSTER, name, { ...redisNode, ...extra })],
    }),
  ),
  // CKV_AWS_322 ElasticCacheAutomaticMinorUpgrades (test_ElasticCacheAutomaticMinorUpgrades.py,
  // example_ElasticCacheAutomaticMinorUpgrades/main.tf). The provider's aws_elasticache_cluster
  // takes auto_minor_version_upgrade as a string, so Pulumi's input is "true"/"false".
  ...(
    [
      ["pass", { autoMinorVersionUpgrade: "true", snapshotRetentionLimit: 5 }, "PASSED"],
      ["pass2", {}, "PASSED"],
      ["fail", { autoMinorVersionUpgrade: "false", snapshotRetentionLimit: 0 }, "FAILED"],
      ["memcached", memcached, "UNKNOWN"],
    ] as [string, Record<string, unknown>, Verdict][]
  ).map(
    ([name, extra, verdict]): Row => ({
      check: "CKV_AWS_322",
      rule: "elasticache-auto-minor-version-upgrade",
      fixture: `aws_elasticache_cluster.${name}`,
      checkov: verdict,
      resources: [res(CLUSTER, name, { ...redisNode, ...extra })],
    }),
  ),
  // CKV_AWS_323 ElastiCacheHasCustomSubnet (example_ElastiCacheHasCustomSubnet/main.tf; the fixture
  // has no test_*.py in the index, its resources are named by their verdict).
  ...(
    [
      ["pass", { subnetGroupName: "mysubnet", snapshotRetentionLimit: 5 }, "PASSED"],
      ["fail", { snapshotRetentionLimit: 0 }, "FAILED"],
    ] as [string, Record<string, unknown>, Verdict][]
  ).map(
    ([name, extra, verdict]): Row => ({
      check: "CKV_AWS_323",
      rule: "elasticache-custom-subnet-group",
      fixture: `aws_elasticache_cluster.${name}`,
      checkov: verdict,
      resources: [res(CLUSTER, name, { ...redisNode, ...extra })],
    }),
  ),
];
