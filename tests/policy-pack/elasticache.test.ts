import { expect } from "chai";
import { describe, it } from "mocha";
import { elasticachePolicies } from "../../policy-pack/rules/elasticache";
import {
  complies,
  factory,
  notApplicableReason,
  UNKNOWN_BOOL,
  UNKNOWN_STRING,
  violates,
} from "../support/policy-cases";
import { evaluate, of } from "../support/policy-harness";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CLUSTER = "aws:elasticache/cluster:Cluster";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const TOKEN = "s3cr3t-T0ken-value-that-must-never-leak-0123456789";

const rg = factory(RG, "redis", {
  description: "rate limiter",
  engine: "redis",
  atRestEncryptionEnabled: true,
  kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  transitEncryptionEnabled: true,
  transitEncryptionMode: "required",
  authToken: TOKEN,
  authTokenUpdateStrategy: "SET",
  automaticFailoverEnabled: true,
  multiAzEnabled: true,
  numCacheClusters: 2,
  snapshotRetentionLimit: 7,
  autoMinorVersionUpgrade: true,
  subnetGroupName: "redis-private",
  securityGroupIds: ["redis-sg"],
});

// A standalone single-node cache cluster (aws.elasticache.Cluster): autoMinorVersionUpgrade is a
// string input on this resource.
const cluster = factory(CLUSTER, "node", {
  clusterId: "huntaze-node",
  engine: "redis",
  nodeType: "cache.t4g.small",
  numCacheNodes: 1,
  snapshotRetentionLimit: 7,
  autoMinorVersionUpgrade: "true",
  subnetGroupName: "redis-private",
  securityGroupIds: ["redis-sg"],
});

/** A read replica joining the replication group: AWS takes its snapshots and subnet group from the group. */
const member = factory(CLUSTER, "replica", { clusterId: "huntaze-replica", replicationGroupId: "huntaze-redis" });

const sg = factory(SG, "redis-sg", {
  description: "Redis from the rate limiter",
  ingress: [
    {
      protocol: "tcp",
      fromPort: 6379,
      toPort: 6379,
      securityGroups: ["sg-lambda"],
      description: "rate limiter Lambda",
    },
  ],
});

describe("ElastiCache rules", () => {
  it("the compliant replication group passes every ElastiCache rule", async () => {
    const violations = await evaluate([rg(), sg()]);
    for (const p of elasticachePolicies) expect(of(violations, p.name), p.name).to.deep.equal([]);
  });

  complies({ rule: "elasticache-at-rest-encryption", title: "atRestEncryptionEnabled: true", resources: [rg()] });
  violates({
    rule: "elasticache-at-rest-encryption",
    title: "at-rest encryption off",
    resources: [rg({ atRestEncryptionEnabled: false })],
    message: /at-rest encryption is off/,
    andThen: (violations) =>
      expect(of(violations, "elasticache-at-rest-encryption")[0]?.urn).to.match(/ReplicationGroup::redis$/),
  });
  violates({
    rule: "elasticache-at-rest-encryption",
    title: "at-rest encryption not set",
    resources: [rg({ atRestEncryptionEnabled: undefined })],
    message: /not set/,
  });

  complies({ rule: "elasticache-at-rest-encryption-cmk", title: "a KMS key ARN", resources: [rg()] });
  complies({
    rule: "elasticache-at-rest-encryption-cmk",
    title: "a key ARN unknown during preview",
    resources: [rg({ kmsKeyId: UNKNOWN_STRING })],
  });
  violates({
    rule: "elasticache-at-rest-encryption-cmk",
    title: "no kmsKeyId",
    resources: [rg({ kmsKeyId: undefined })],
    message: /customer-managed key/,
  });
  violates({
    rule: "elasticache-at-rest-encryption-cmk",
    title: "the AWS-managed alias",
    resources: [rg({ kmsKeyId: "alias/aws/elasticache" })],
    message: /AWS-managed/,
  });

  complies({ rule: "elasticache-in-transit-encryption", title: "TLS required", resources: [rg()] });
  complies({
    rule: "elasticache-in-transit-encryption",
    title: "mode preferred with allowPreferredMode",
    resources: [rg({ transitEncryptionMode: "preferred" })],
    config: { "elasticache-in-transit-encryption": { allowPreferredMode: true } },
  });
  violates({
    rule: "elasticache-in-transit-encryption",
    title: "TLS off",
    resources: [rg({ transitEncryptionEnabled: false, transitEncryptionMode: undefined })],
    message: /TLS\) is off/,
  });
  violates({
    rule: "elasticache-in-transit-encryption",
    title: "mode preferred",
    resources: [rg({ transitEncryptionMode: "preferred" })],
    message: /preferred/,
  });

  complies({
    rule: "elasticache-auth",
    title: "an AUTH token with TLS",
    resources: [rg()],
    neverInMessages: TOKEN,
  });
  complies({
    rule: "elasticache-auth",
    title: "RBAC user groups with TLS",
    resources: [rg({ authToken: undefined, userGroupIds: ["app-users"] })],
  });
  complies({
    rule: "elasticache-auth",
    title: "a token unknown during preview (random password)",
    resources: [rg({ authToken: UNKNOWN_STRING })],
  });
  violates({
    rule: "elasticache-auth",
    title: "no token and no user group",
    resources: [rg({ authToken: undefined })],
    message: /no AUTH token/,
  });
  violates({
    rule: "elasticache-auth",
    title: "a token without TLS (the token is never echoed)",
    resources: [rg({ transitEncryptionEnabled: false })],
    message: /TLS is off/,
    neverInMessages: TOKEN,
  });

  it("elasticache-auth: an unknown transitEncryptionEnabled is not a violation and is re-checked on up", () => {
    const reason = notApplicableReason("elasticache-auth", RG, {
      authToken: TOKEN,
      transitEncryptionEnabled: UNKNOWN_BOOL,
    });
    expect(reason).to.match(/transitEncryptionEnabled: .*pulumi up/);
    expect(reason).to.not.include(TOKEN);
  });

  complies({ rule: "elasticache-multi-az-failover", title: "failover and Multi-AZ on", resources: [rg()] });
  violates({
    rule: "elasticache-multi-az-failover",
    title: "Multi-AZ off",
    resources: [rg({ multiAzEnabled: false })],
    message: /Multi-AZ is off/,
  });

  complies({ rule: "elasticache-snapshot-retention", title: "7 days", resources: [rg()] });
  violates({
    rule: "elasticache-snapshot-retention",
    title: "no snapshots",
    resources: [rg({ snapshotRetentionLimit: undefined })],
    message: /at least 1 day/,
  });
  violates({
    rule: "elasticache-snapshot-retention",
    title: "fewer days than the configured minimum",
    resources: [rg()],
    config: { "elasticache-snapshot-retention": { minimumRetentionDays: 14 } },
    message: /at least 14 day/,
  });

  complies({
    rule: "elasticache-auto-minor-version-upgrade",
    title: "left at its default",
    resources: [rg({ autoMinorVersionUpgrade: undefined })],
  });
  violates({
    rule: "elasticache-auto-minor-version-upgrade",
    title: "autoMinorVersionUpgrade: false",
    resources: [rg({ autoMinorVersionUpgrade: false })],
  });

  complies({ rule: "elasticache-custom-subnet-group", title: "a named subnet group", resources: [rg()] });
  violates({
    rule: "elasticache-custom-subnet-group",
    title: "no subnet group",
    resources: [rg({ subnetGroupName: undefined })],
    message: /default subnet group/,
  });

  describe("standalone cache clusters (aws.elasticache.Cluster)", () => {
    it("the compliant cluster passes every rule that judges clusters", async () => {
      const violations = await evaluate([cluster()]);
      for (const p of elasticachePolicies) expect(of(violations, p.name), p.name).to.deep.equal([]);
    });

    complies({ rule: "elasticache-snapshot-retention", title: "a cluster keeping 7 days", resources: [cluster()] });
    violates({
      rule: "elasticache-snapshot-retention",
      title: "a Redis cluster with no snapshots",
      resources: [cluster({ snapshotRetentionLimit: undefined })],
      message: /not set .*at least 1 day/,
      andThen: (violations) =>
        expect(of(violations, "elasticache-snapshot-retention")[0]?.urn).to.match(/Cluster::node$/),
    });
    violates({
      rule: "elasticache-snapshot-retention",
      title: "a Valkey cluster with snapshotRetentionLimit 0",
      resources: [cluster({ engine: "valkey", snapshotRetentionLimit: 0 })],
      message: /snapshotRetentionLimit is 0/,
    });
    complies({
      rule: "elasticache-snapshot-retention",
      title: "a Memcached cluster (no snapshots exist for it)",
      resources: [cluster({ engine: "memcached", snapshotRetentionLimit: undefined })],
    });

    complies({
      rule: "elasticache-auto-minor-version-upgrade",
      title: 'a cluster with autoMinorVersionUpgrade "true"',
      resources: [cluster()],
    });
    complies({
      rule: "elasticache-auto-minor-version-upgrade",
      title: "a cluster leaving it at its default",
      resources: [cluster({ autoMinorVersionUpgrade: undefined })],
    });
    violates({
      rule: "elasticache-auto-minor-version-upgrade",
      title: 'a cluster with autoMinorVersionUpgrade "false"',
      resources: [cluster({ autoMinorVersionUpgrade: "false" })],
      message: /autoMinorVersionUpgrade is "false"/,
    });
    violates({
      rule: "elasticache-auto-minor-version-upgrade",
      title: 'a member cluster with autoMinorVersionUpgrade "false" (judged on its own flag)',
      resources: [member({ autoMinorVersionUpgrade: "false" })],
    });
    complies({
      rule: "elasticache-auto-minor-version-upgrade",
      title: 'a Memcached cluster with autoMinorVersionUpgrade "false" (no such control)',
      resources: [cluster({ engine: "memcached", autoMinorVersionUpgrade: "false" })],
    });

    complies({
      rule: "elasticache-custom-subnet-group",
      title: "a cluster in a named subnet group",
      resources: [cluster()],
    });
    violates({
      rule: "elasticache-custom-subnet-group",
      title: "a cluster with no subnet group",
      resources: [cluster({ subnetGroupName: undefined })],
      message: /the cluster uses the default subnet group/,
    });
    violates({
      rule: "elasticache-custom-subnet-group",
      title: "a Memcached cluster naming the default subnet group (unlike CKV_AWS_323)",
      resources: [cluster({ engine: "memcached", subnetGroupName: "default" })],
      message: /"default"/,
    });

    it("a member of a replication group is judged through its group, and says so", async () => {
      const violations = await evaluate([member()]);
      for (const p of elasticachePolicies) expect(of(violations, p.name), p.name).to.deep.equal([]);
      for (const rule of ["elasticache-snapshot-retention", "elasticache-custom-subnet-group"])
        expect(notApplicableReason(rule, CLUSTER, member().inputs), rule).to.match(
          /member of replication group "huntaze-redis": its .* is the group's, judged on the group/,
        );
      expect(
        notApplicableReason("elasticache-custom-subnet-group", CLUSTER, {
          ...member().inputs,
          replicationGroupId: UNKNOWN_STRING,
        }),
      ).to.match(/member of replication group \(id unknown until apply\)/);
    });

    it("a failing Memcached cluster says why it is not judged; an unknown engine is re-checked on up only when it matters", () => {
      expect(
        notApplicableReason("elasticache-snapshot-retention", CLUSTER, {
          ...cluster().inputs,
          engine: "memcached",
          snapshotRetentionLimit: undefined,
        }),
      ).to.match(/runs Memcached, which has no snapshots/);
      const unknownEngine = { ...cluster().inputs, engine: UNKNOWN_STRING };
      // The engine is read only when the retention would fail: 7 days pass whatever it is.
      expect(notApplicableReason("elasticache-snapshot-retention", CLUSTER, unknownEngine)).to.equal(undefined);
      expect(
        notApplicableReason("elasticache-snapshot-retention", CLUSTER, { ...unknownEngine, snapshotRetentionLimit: 0 }),
      ).to.match(/engine: .*pulumi up/);
      expect(
        notApplicableReason("elasticache-auto-minor-version-upgrade", CLUSTER, {
          ...unknownEngine,
          autoMinorVersionUpgrade: "false",
        }),
      ).to.match(/engine: .*pulumi up/);
    });
  });

  const open = (port: number) =>
    sg({ ingress: [{ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: ["0.0.0.0/0"], description: "x" }] });
  violates({
    rule: "elasticache-security-groups-not-open",
    title: "a standalone Redis cache cluster whose group is open on 6379",
    resources: [cluster(), open(6379)],
    message: /cluster node is reachable from the internet.*the Redis port 6379/,
  });
  violates({
    rule: "elasticache-security-groups-not-open",
    title: "a Memcached cluster whose group is open on 11211 (its default port)",
    resources: [cluster({ engine: "memcached" }), open(11211)],
    message: /the Memcached port 11211/,
  });
  complies({
    rule: "elasticache-security-groups-not-open",
    title: "a Memcached cluster with 6379 open (not its port) and a member cluster (judged through its group)",
    resources: [cluster({ engine: "memcached" }), open(6379), member({ securityGroupIds: ["redis-sg"] })],
  });
  complies({
    rule: "elasticache-security-groups-not-open",
    title: "a cache cluster in a group admitting only another security group",
    resources: [cluster(), sg()],
  });
  complies({
    rule: "elasticache-security-groups-not-open",
    title: "a group admitting only another security group",
    resources: [rg(), sg()],
  });
  complies({
    rule: "elasticache-security-groups-not-open",
    title: "an open HTTPS rule on a group that does not cover the Redis port",
    resources: [
      rg(),
      sg({
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "https" }],
      }),
    ],
  });
  violates({
    rule: "elasticache-security-groups-not-open",
    title: "an inline 0.0.0.0/0 rule on 6379",
    resources: [
      rg(),
      sg({ ingress: [{ protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"], description: "x" }] }),
    ],
    message: /reachable from the internet.*6379/,
  });
  violates({
    rule: "elasticache-security-groups-not-open",
    title: "a standalone ::/0 rule on all ports, joined by property dependency",
    resources: [
      rg({ securityGroupIds: [UNKNOWN_STRING] }, { propertyDependencies: { securityGroupIds: ["redis-sg"] } }),
      sg({ ingress: [] }),
      {
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        name: "open-all",
        inputs: { securityGroupId: "redis-sg", ipProtocol: "-1", cidrIpv6: "::/0", description: "oops" },
      },
    ],
    message: /all ports, which includes the Redis port 6379/,
  });
  violates({
    rule: "elasticache-security-groups-not-open",
    title: "a custom port opened by aws.ec2.SecurityGroupRule",
    resources: [
      rg({ port: 6380 }),
      sg({ ingress: [] }),
      {
        type: "aws:ec2/securityGroupRule:SecurityGroupRule",
        name: "open-6380",
        inputs: {
          type: "ingress",
          securityGroupId: "redis-sg",
          protocol: "tcp",
          fromPort: 6380,
          toPort: 6380,
          cidrBlocks: ["0.0.0.0/0"],
        },
      },
    ],
    message: /Redis port 6380/,
  });
});
