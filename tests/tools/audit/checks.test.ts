import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import type { Statement } from "../../../policy-pack/lib/policy-document";
import { CHECKS, judge, stillUnreadable } from "../../../tools/audit/checks";
import { DEFAULT_SETTINGS, type Result } from "../../../tools/audit/checks/types";
import { CLOUDTRAIL_CHECKS } from "../../../tools/audit/collect/cloudtrail";
import { ECS_CHECKS } from "../../../tools/audit/collect/ecs";
import { ELASTICACHE_CHECKS } from "../../../tools/audit/collect/elasticache";
import { ELASTICACHE_SERVERLESS_CHECKS } from "../../../tools/audit/collect/elasticache-serverless";
import { GUARDDUTY_CHECKS } from "../../../tools/audit/collect/guardduty";
import { LOGS_CHECKS } from "../../../tools/audit/collect/logs";
import { RDS_CHECKS } from "../../../tools/audit/collect/rds";
import { S3_ACCOUNT_CHECKS, S3_BUCKET_CHECKS } from "../../../tools/audit/collect/s3";
import { SECURITYHUB_CHECKS } from "../../../tools/audit/collect/securityhub";
import type { AccountFacts, BucketFacts, RdsInstanceFacts, RegionFacts, Unreadable } from "../../../tools/audit/facts";
import {
  ACCOUNT,
  account,
  bucket,
  CMK,
  cache,
  DENY_NON_TLS,
  detector,
  FSBP_ARN,
  logGroup,
  mysqlInstance,
  REGION,
  rdsInstance,
  region,
  serverlessCache,
  service,
  trail,
  userGroup,
} from "./facts";

function run(id: string, facts: AccountFacts): Result[] {
  const c = CHECKS.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c.run(facts);
}

/** The single result of `id` on `facts`, asserting there is exactly one. */
function only(id: string, facts: AccountFacts): Result {
  const results = run(id, facts);
  expect(results, `results of ${id}`).to.have.length(1);
  return results[0]!;
}

const failed = (r: Result, severity: "critical" | "warning", detail: RegExp) => {
  expect(r.status).to.equal("FAIL");
  expect(r.severity).to.equal(severity);
  expect(r.detail).to.match(detail);
};

const withRegion = (o: Parameters<typeof region>[0]) => account({ regions: [region(o)] });

describe("audit checks: metadata", () => {
  it("every check has an id, a risk, a remediation naming this repository's fix, and a unique id", () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).to.equal(ids.length);
    for (const c of CHECKS) {
      expect(c.title, c.id).to.not.equal("");
      expect(c.risk, c.id).to.not.equal("");
      expect(c.remediation, c.id).to.match(
        /EncryptedRedis|HardenedBucket|manageAccountBaseline|parameter group|task role|taskRoleArn|retentionInDays/,
      );
    }
  });

  it("the collectors' could-not-evaluate records name real checks, and every check is covered by a collector", () => {
    const named = [
      ...ELASTICACHE_CHECKS,
      ...ELASTICACHE_SERVERLESS_CHECKS,
      ...RDS_CHECKS,
      ...S3_ACCOUNT_CHECKS,
      ...S3_BUCKET_CHECKS,
      ...CLOUDTRAIL_CHECKS,
      ...GUARDDUTY_CHECKS,
      ...SECURITYHUB_CHECKS,
      ...ECS_CHECKS,
      ...LOGS_CHECKS,
    ];
    expect([...named].sort()).to.deep.equal(CHECKS.map((c) => c.id).sort());
  });

  it("the runbook's check table lists every check, and only those", () => {
    const runbook = fs.readFileSync(path.join(__dirname, "../../../docs/runbooks/security-audit.md"), "utf8");
    const listed = [...runbook.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).to.deep.equal(CHECKS.map((c) => c.id).sort());
  });

  it("a clean account passes every check, with at least one result per check", () => {
    const results = judge(account());
    expect(results.filter((r) => r.status === "FAIL").map((r) => `${r.check.id}: ${r.detail}`)).to.deep.equal([]);
    expect(new Set(results.map((r) => r.check.id)).size).to.equal(CHECKS.length);
  });

  it("facts that could not be read produce no result (never a pass)", () => {
    const facts = account({ regions: [{ region: "us-east-1" }], s3: {}, trails: undefined });
    expect(judge(facts)).to.deep.equal([]);
  });
});

describe("audit checks: ElastiCache", () => {
  it("at rest: on passes, off fails critical, for groups and standalone clusters; Memcached is not judged", () => {
    expect(only("elasticache-at-rest-encryption", account()).status).to.equal("PASS");
    failed(
      only("elasticache-at-rest-encryption", withRegion({ caches: [cache({ atRestEncryption: false })] })),
      "critical",
      /at-rest encryption is off/,
    );
    const standalone = cache({ kind: "cache-cluster", id: "old-redis-001", atRestEncryption: false });
    const r = only("elasticache-at-rest-encryption", withRegion({ caches: [standalone] }));
    failed(r, "critical", /off/);
    expect(r.resource.type).to.equal("AwsElastiCacheCacheCluster");
    expect(
      run(
        "elasticache-at-rest-encryption",
        withRegion({ caches: [cache({ engine: "memcached", atRestEncryption: false })] }),
      ),
    ).to.deep.equal([]);
  });

  it("customer key: a key ARN passes, no key fails as a warning, and an unencrypted group is left to the at-rest check", () => {
    expect(only("elasticache-at-rest-cmk", account()).status).to.equal("PASS");
    failed(
      only("elasticache-at-rest-cmk", withRegion({ caches: [cache({ kmsKeyId: undefined })] })),
      "warning",
      /AWS-managed/,
    );
    failed(
      only("elasticache-at-rest-cmk", withRegion({ caches: [cache({ kmsKeyId: "alias/aws/elasticache" })] })),
      "warning",
      /AWS-managed/,
    );
    expect(
      run("elasticache-at-rest-cmk", withRegion({ caches: [cache({ atRestEncryption: false, kmsKeyId: undefined })] })),
    ).to.deep.equal([]);
  });

  it('in transit: "required" passes, "preferred" is a warning (not a pass), off is critical', () => {
    expect(only("elasticache-transit-encryption", account()).status).to.equal("PASS");
    failed(
      only("elasticache-transit-encryption", withRegion({ caches: [cache({ transitEncryptionMode: "preferred" })] })),
      "warning",
      /preferred.*without TLS/,
    );
    failed(
      only(
        "elasticache-transit-encryption",
        withRegion({ caches: [cache({ transitEncryption: false, transitEncryptionMode: undefined })] }),
      ),
      "critical",
      /TLS\) is off/,
    );
  });

  it("AUTH: a token or an RBAC user group passes; neither, or AUTH without TLS, fails critical", () => {
    expect(only("elasticache-auth", account()).status).to.equal("PASS");
    const rbac = only(
      "elasticache-auth",
      withRegion({ caches: [cache({ authTokenEnabled: false, userGroupIds: ["huntaze-users"] })] }),
    );
    expect(rbac.status).to.equal("PASS");
    expect(rbac.detail).to.match(/huntaze-users/);
    failed(
      only("elasticache-auth", withRegion({ caches: [cache({ authTokenEnabled: false })] })),
      "critical",
      /no AUTH token/,
    );
    failed(
      only("elasticache-auth", withRegion({ caches: [cache({ transitEncryption: false })] })),
      "critical",
      /TLS is off/,
    );
  });
});

describe("audit checks: ElastiCache RBAC users", () => {
  const awsDefault = {
    id: "default",
    name: "default",
    status: "active",
    accessString: "on ~* +@all",
    authenticationType: "no-password",
  };
  const rbacCache = cache({ authTokenEnabled: false, userGroupIds: ["huntaze-users"] });
  const withGroups = (groups: ReturnType<typeof userGroup>[] | undefined, extra: Partial<RegionFacts> = {}) =>
    withRegion({ caches: [rbacCache], cacheUserGroups: groups, ...extra });

  it("a group whose default user is AWS's (on, no password) fails critical, naming the user", () => {
    const open = userGroup({ users: [awsDefault, userGroup().users[1]!] });
    failed(
      only("elasticache-auth", withGroups([open])),
      "critical",
      /user group huntaze-users lets any client in without a password as "default" \(on ~\* \+@all, no-password\)/,
    );
    failed(
      only("elasticache-serverless-auth", withRegion({ cacheUserGroups: [open] })),
      "critical",
      /"default" \(on ~\* \+@all, no-password\)/,
    );
  });

  it("a group whose enabled users all need a password or IAM passes; an enabled no-password user of another name fails", () => {
    const r = only("elasticache-auth", withGroups([userGroup()]));
    expect(r.status).to.equal("PASS");
    expect(r.detail).to.match(/RBAC user groups huntaze-users: every enabled user needs a password or IAM/);
    const iam = userGroup({
      users: [
        userGroup().users[0]!,
        { id: "svc", name: "svc", status: "active", accessString: "on ~* +@read", authenticationType: "iam" },
      ],
    });
    expect(only("elasticache-auth", withGroups([iam])).status).to.equal("PASS");
    const guest = userGroup({
      users: [
        userGroup().users[0]!,
        {
          id: "guest",
          name: "guest",
          status: "active",
          accessString: "on ~* -@all +get",
          authenticationType: "no-password",
        },
      ],
    });
    failed(only("elasticache-auth", withGroups([guest])), "critical", /as "guest"/);
    // The last on/off wins: "on ... off" is disabled.
    const flipped = userGroup({ users: [{ ...awsDefault, accessString: "on ~* +@all off" }] });
    expect(only("elasticache-auth", withGroups([flipped])).status).to.equal("PASS");
  });

  it("a group that was not found fails; groups that could not be read give no verdict; an AUTH token needs no group", () => {
    failed(only("elasticache-auth", withGroups([])), "critical", /user group huntaze-users was not found/);
    expect(run("elasticache-auth", withGroups(undefined))).to.deep.equal([]);
    expect(run("elasticache-serverless-auth", withRegion({ cacheUserGroups: undefined }))).to.deep.equal([]);
    expect(only("elasticache-auth", withRegion({ cacheUserGroups: undefined })).status).to.equal("PASS");
  });
});

describe("audit checks: ElastiCache Serverless", () => {
  const withServerless = (...caches: ReturnType<typeof serverlessCache>[]) => withRegion({ serverlessCaches: caches });

  it("customer key: a key ARN passes; no KmsKeyId (AWS-owned key) or an aws/ alias fails as a warning, Memcached included", () => {
    const ok = only("elasticache-serverless-cmk", account());
    expect(ok.status).to.equal("PASS");
    expect(ok.resource.type).to.equal("AwsElastiCacheServerlessCache");
    expect(ok.detail).to.include(CMK);
    failed(
      only(
        "elasticache-serverless-cmk",
        withServerless(serverlessCache({ kmsKeyId: undefined, storageEncryptionType: "sse-elasticache" })),
      ),
      "warning",
      /AWS-owned key \(no KmsKeyId; StorageEncryptionType sse-elasticache\)/,
    );
    failed(
      only("elasticache-serverless-cmk", withServerless(serverlessCache({ kmsKeyId: "alias/aws/elasticache" }))),
      "warning",
      /AWS-owned/,
    );
    failed(
      only(
        "elasticache-serverless-cmk",
        withServerless(serverlessCache({ engine: "memcached", kmsKeyId: undefined, storageEncryptionType: undefined })),
      ),
      "warning",
      /AWS-owned key \(no KmsKeyId\)$/,
    );
  });

  it("RBAC: a user group passes; none fails critical; serverless Memcached (no RBAC) is not judged", () => {
    const ok = only("elasticache-serverless-auth", account());
    expect(ok.status).to.equal("PASS");
    expect(ok.detail).to.match(/huntaze-users/);
    failed(
      only("elasticache-serverless-auth", withServerless(serverlessCache({ userGroupId: undefined }))),
      "critical",
      /no user group \(UserGroupId\)/,
    );
    failed(
      only("elasticache-serverless-auth", withServerless(serverlessCache({ engine: "redis", userGroupId: "" }))),
      "critical",
      /no user group/,
    );
    expect(
      run(
        "elasticache-serverless-auth",
        withServerless(serverlessCache({ engine: "memcached", userGroupId: undefined })),
      ),
    ).to.deep.equal([]);
  });

  it("snapshots: 1 day or more passes; 0 or not set fails as a warning saying which", () => {
    expect(only("elasticache-serverless-snapshots", account()).detail).to.match(/kept 7 day/);
    expect(
      only("elasticache-serverless-snapshots", withServerless(serverlessCache({ snapshotRetentionLimit: 1 }))).status,
    ).to.equal("PASS");
    failed(
      only("elasticache-serverless-snapshots", withServerless(serverlessCache({ snapshotRetentionLimit: 0 }))),
      "warning",
      /SnapshotRetentionLimit is 0: no automatic snapshot/,
    );
    failed(
      only(
        "elasticache-serverless-snapshots",
        withServerless(serverlessCache({ engine: "memcached", snapshotRetentionLimit: undefined })),
      ),
      "warning",
      /SnapshotRetentionLimit is not set/,
    );
  });

  it("each cache of each region is judged on its own; a region with none gives no result", () => {
    const other = serverlessCache({
      name: "old",
      arn: `arn:aws:elasticache:eu-west-1:${ACCOUNT}:serverlesscache:old`,
      region: "eu-west-1",
      userGroupId: undefined,
    });
    const facts = account({
      regions: [region(), region({ region: "eu-west-1", serverlessCaches: [other] }), region({ serverlessCaches: [] })],
    });
    expect(run("elasticache-serverless-auth", facts).map((r) => [r.status, r.resource.region])).to.deep.equal([
      ["PASS", "us-east-1"],
      ["FAIL", "eu-west-1"],
    ]);
  });
});

describe("audit checks: RDS rds.force_ssl", () => {
  it("a custom group with rds.force_ssl = 1 passes; = 0 fails critical naming the group", () => {
    expect(only("rds-force-ssl", account()).status).to.equal("PASS");
    failed(
      only("rds-force-ssl", withRegion({ rdsInstances: [rdsInstance({ parameterGroup: { value: "0" } })] })),
      "critical",
      /huntaze-postgres14 sets rds.force_ssl = 0/,
    );
  });

  it("a group that turns it on but is pending-reboot is a warning (not yet in effect)", () => {
    const pending = withRegion({
      rdsInstances: [rdsInstance({ parameterGroup: { value: "1", pendingReboot: true } })],
    });
    failed(only("rds-force-ssl", pending), "warning", /pending-reboot: not in effect until the instance reboots/);
    const offAndPending = withRegion({
      rdsInstances: [rdsInstance({ parameterGroup: { value: "0", pendingReboot: true } })],
    });
    failed(only("rds-force-ssl", offAndPending), "critical", /accepts unencrypted connections/);
  });

  it("a default group follows the engine default: on from PostgreSQL 15, off before", () => {
    const onDefault = (version: string) =>
      withRegion({
        rdsInstances: [
          rdsInstance({
            engineVersion: version,
            parameterGroup: { name: `default.postgres${version.split(".")[0]}`, isDefault: true, value: undefined },
          }),
        ],
      });
    const r16 = only("rds-force-ssl", onDefault("16.3"));
    expect(r16.status).to.equal("PASS");
    expect(r16.detail).to.match(/default group.*16\.3, which is on/);
    failed(only("rds-force-ssl", onDefault("14.12")), "critical", /default group.*off before 15/);
    failed(only("rds-force-ssl", onDefault("9.6.24")), "critical", /off before 15/);
  });

  it("a custom group that leaves the value unset follows the engine default too", () => {
    const unset = (v: string) =>
      withRegion({ rdsInstances: [rdsInstance({ engineVersion: v, parameterGroup: { value: undefined } })] });
    expect(only("rds-force-ssl", unset("15.7")).status).to.equal("PASS");
    expect(only("rds-force-ssl", unset("13.4")).status).to.equal("FAIL");
  });

  it("Aurora is judged on its cluster parameter group: unset is a failure whatever the version", () => {
    const aurora = (forceSsl: string | undefined) =>
      withRegion({
        rdsInstances: [
          rdsInstance({
            engine: "aurora-postgresql",
            engineVersion: "16.4",
            parameterGroup: { name: "default.aurora-postgresql16", kind: "cluster", isDefault: true, value: forceSsl },
          }),
        ],
      });
    expect(only("rds-force-ssl", aurora("1")).status).to.equal("PASS");
    failed(
      only("rds-force-ssl", aurora(undefined)),
      "critical",
      /cluster parameter group default.aurora-postgresql16 does not set/,
    );
    failed(only("rds-force-ssl", aurora("0")), "critical", /= 0/);
  });
});

describe("audit checks: RDS Multi-AZ DB clusters and MySQL / MariaDB", () => {
  const multiAz = (value: string | undefined, engineVersion = "16.4") =>
    withRegion({
      rdsInstances: [
        rdsInstance({
          engineVersion,
          clusterId: "huntaze-maz",
          parameterGroup: { name: "huntaze-maz-pg16", kind: "cluster", value },
        }),
      ],
    });

  it("a Multi-AZ DB cluster (postgres, not Aurora) is judged on its cluster group: 1 passes, 0 fails critical", () => {
    const ok = only("rds-force-ssl", multiAz("1"));
    expect(ok.status).to.equal("PASS");
    expect(ok.detail).to.match(
      /cluster parameter group huntaze-maz-pg16 of Multi-AZ DB cluster huntaze-maz sets rds.force_ssl = 1/,
    );
    failed(only("rds-force-ssl", multiAz("0")), "critical", /cluster parameter group huntaze-maz-pg16 .* = 0/);
  });

  it("a Multi-AZ DB cluster group that sets nothing follows RDS for PostgreSQL's version default", () => {
    expect(only("rds-force-ssl", multiAz(undefined, "16.4")).status).to.equal("PASS");
    failed(only("rds-force-ssl", multiAz(undefined, "14.12")), "critical", /off before 15/);
  });

  it("MySQL / MariaDB: require_secure_transport 1 or ON passes; 0, OFF or the default group fails critical", () => {
    const mysql = (value: string | undefined, o: Partial<RdsInstanceFacts["parameterGroup"]> = {}) =>
      withRegion({
        rdsInstances: [{ ...mysqlInstance(value), parameterGroup: { ...mysqlInstance(value).parameterGroup, ...o } }],
      });
    expect(only("rds-mysql-require-secure-transport", account()).status).to.equal("PASS");
    expect(only("rds-mysql-require-secure-transport", mysql("ON")).status).to.equal("PASS");
    failed(
      only("rds-mysql-require-secure-transport", mysql("0")),
      "critical",
      /parameter group huntaze-mysql80 sets require_secure_transport = 0/,
    );
    failed(only("rds-mysql-require-secure-transport", mysql("OFF")), "critical", /= OFF/);
    failed(
      only(
        "rds-mysql-require-secure-transport",
        mysql(undefined, { name: "default.mysql8.0", isDefault: true, value: undefined }),
      ),
      "critical",
      /default.mysql8.0 \(a default group\) leaves require_secure_transport at its default, OFF/,
    );
    const pending = mysql("1", { pendingReboot: true });
    failed(only("rds-mysql-require-secure-transport", pending), "warning", /pending-reboot/);
    // MariaDB and Aurora MySQL are the same check; PostgreSQL is not judged by it.
    const maria = withRegion({ rdsInstances: [{ ...mysqlInstance("1"), engine: "mariadb" }] });
    expect(only("rds-mysql-require-secure-transport", maria).status).to.equal("PASS");
    expect(run("rds-mysql-require-secure-transport", withRegion({ rdsInstances: [rdsInstance()] }))).to.deep.equal([]);
    expect(run("rds-force-ssl", maria)).to.deep.equal([]);
  });
});

describe("audit checks: S3 TLS-only bucket policies", () => {
  const withPolicy = (policy: BucketFacts["policy"]) =>
    account({ s3: { accountBlock: bucket().block, buckets: [bucket({ policy })] } });
  const statement = (o: Partial<Statement>): Statement => ({ ...DENY_NON_TLS, ...o });

  it("a Deny on aws:SecureTransport = false passes; so does a Deny on s3:TlsVersion NumericLessThan 1.2 (or higher)", () => {
    const r = only("s3-bucket-deny-insecure-transport", account());
    expect(r.status).to.equal("PASS");
    expect(r.detail).to.match(/aws:SecureTransport = false/);
    expect(r.check.fsbp).to.deep.equal(["S3.5"]);
    const tls = (v: string) => statement({ conditions: { NumericLessThan: { "s3:tlsversion": [v] } } });
    const tls12 = only("s3-bucket-deny-insecure-transport", withPolicy([tls("1.2")]));
    expect(tls12.status).to.equal("PASS");
    expect(tls12.detail).to.match(/s3:TlsVersion NumericLessThan 1.2/);
    expect(only("s3-bucket-deny-insecure-transport", withPolicy([tls("1.3")])).status).to.equal("PASS");
    failed(
      only("s3-bucket-deny-insecure-transport", withPolicy([tls("1.0")])),
      "warning",
      /no Deny for aws:SecureTransport/,
    );
  });

  it("no policy, a policy without the Deny, an Allow on SecureTransport = true, or a Deny of some actions only fails (warning)", () => {
    failed(only("s3-bucket-deny-insecure-transport", withPolicy(null)), "warning", /has no policy/);
    failed(
      only("s3-bucket-deny-insecure-transport", withPolicy([])),
      "warning",
      /no Deny for aws:SecureTransport = false/,
    );
    const allowTls = statement({ effect: "Allow", conditions: { Bool: { "aws:securetransport": ["true"] } } });
    failed(only("s3-bucket-deny-insecure-transport", withPolicy([allowTls])), "warning", /no Deny/);
    const putOnly = statement({ actions: ["s3:PutObject"] });
    failed(only("s3-bucket-deny-insecure-transport", withPolicy([putOnly])), "warning", /no Deny/);
    const someone = statement({ principals: ["arn:aws:iam::317805897534:role/x"] });
    failed(only("s3-bucket-deny-insecure-transport", withPolicy([someone])), "warning", /no Deny/);
  });

  it("a policy that could not be read gives no verdict; a bucket whose block could not be read is skipped by the block check only", () => {
    expect(run("s3-bucket-deny-insecure-transport", withPolicy(undefined))).to.deep.equal([]);
    const noBlock = account({ s3: { accountBlock: bucket().block, buckets: [bucket({ block: undefined })] } });
    expect(run("s3-bucket-public-access-block", noBlock)).to.deep.equal([]);
    expect(only("s3-bucket-deny-insecure-transport", noBlock).status).to.equal("PASS");
  });
});

describe("audit checks: S3 public access blocks", () => {
  const three = {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: false,
  };

  it("the account block: all four pass; 3 of 4 fail naming the missing one; not configured is a failure", () => {
    const r = only("s3-account-public-access-block", account());
    expect(r.status).to.equal("PASS");
    expect(r.resource.arn).to.equal(`AWS::::Account:${ACCOUNT}`);
    failed(
      only("s3-account-public-access-block", account({ s3: { accountBlock: three, buckets: [] } })),
      "critical",
      /leaves RestrictPublicBuckets off/,
    );
    failed(
      only("s3-account-public-access-block", account({ s3: { accountBlock: null, buckets: [] } })),
      "critical",
      /NoSuchPublicAccessBlockConfiguration/,
    );
    expect(run("s3-account-public-access-block", account({ s3: { buckets: [] } }))).to.deep.equal([]);
  });

  it("a bucket: its own four pass; gaps covered by the account are a warning; gaps the account leaves open are critical", () => {
    expect(only("s3-bucket-public-access-block", account()).status).to.equal("PASS");
    const full = bucket().block;
    failed(
      only(
        "s3-bucket-public-access-block",
        account({ s3: { accountBlock: full, buckets: [bucket({ block: null })] } }),
      ),
      "warning",
      /no public access block; the account-level block covers them/,
    );
    failed(
      only(
        "s3-bucket-public-access-block",
        account({ s3: { accountBlock: three, buckets: [bucket({ block: three })] } }),
      ),
      "critical",
      /leaves RestrictPublicBuckets off, and the account-level block does not cover RestrictPublicBuckets/,
    );
    failed(
      only(
        "s3-bucket-public-access-block",
        account({ s3: { accountBlock: null, buckets: [bucket({ block: null })] } }),
      ),
      "critical",
      /does not cover BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets/,
    );
    // The account setting could not be read: nothing proves the bucket is covered.
    failed(
      only("s3-bucket-public-access-block", account({ s3: { buckets: [bucket({ block: three })] } })),
      "critical",
      /does not cover/,
    );
  });
});

describe("audit checks: CloudTrail", () => {
  it("a multi-region logging trail passes, with its status read in its home region", () => {
    const r = only("cloudtrail-multi-region-logging", account({ trails: [trail({ homeRegion: "eu-west-1" })] }));
    expect(r.status).to.equal("PASS");
    expect(r.resource.region).to.equal("eu-west-1");
    expect(r.detail).to.match(/read in eu-west-1/);
  });

  it("a trail seen from another region counts: one multi-region trail covers the account", () => {
    const shadow = trail({ arn: "arn:aws:cloudtrail:eu-west-1:317805897534:trail/org", homeRegion: "eu-west-1" });
    const single = trail({
      name: "local",
      arn: "arn:aws:cloudtrail:us-east-1:317805897534:trail/local",
      multiRegion: false,
    });
    const results = run("cloudtrail-multi-region-logging", account({ trails: [single, shadow] }));
    expect(results.map((r) => [r.status, r.resource.arn])).to.deep.equal([["PASS", shadow.arn]]);
  });

  it("no trail, a single-region trail, or a stopped trail fails critical on the account", () => {
    failed(only("cloudtrail-multi-region-logging", account({ trails: [] })), "critical", /no trail/);
    failed(
      only("cloudtrail-multi-region-logging", account({ trails: [trail({ multiRegion: false })] })),
      "critical",
      /huntaze-trail: the trail is single-region/,
    );
    failed(
      only("cloudtrail-multi-region-logging", account({ trails: [trail({ logging: false })] })),
      "critical",
      /not logging/,
    );
  });

  it("a multi-region trail whose status could not be read is not evaluated, not 'no trail'", () => {
    const unread = trail({ logging: undefined });
    expect(run("cloudtrail-multi-region-logging", account({ trails: [unread] }))).to.deep.equal([]);
    // Validation comes from DescribeTrails, which was read: it is judged whatever the status.
    expect(run("cloudtrail-log-file-validation", account({ trails: [unread] })).map((r) => r.status)).to.deep.equal([
      "PASS",
    ]);
    // A single-region trail fails whatever its status.
    failed(
      only("cloudtrail-multi-region-logging", account({ trails: [trail({ logging: undefined, multiRegion: false })] })),
      "critical",
      /single-region/,
    );
  });

  it("log file validation on every trail: on passes, off is a warning, covering or not", () => {
    expect(only("cloudtrail-log-file-validation", account()).status).to.equal("PASS");
    failed(
      only("cloudtrail-log-file-validation", account({ trails: [trail({ logFileValidation: false })] })),
      "warning",
      /validation is off/,
    );
    const local = trail({
      name: "local",
      arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/local`,
      multiRegion: false,
      logging: false,
      logFileValidation: false,
    });
    expect(
      run("cloudtrail-log-file-validation", account({ trails: [trail(), local] })).map((r) => [
        r.status,
        r.resource.arn,
      ]),
    ).to.deep.equal([
      ["PASS", trail().arn],
      ["FAIL", local.arn],
    ]);
  });

  it("KMS encryption on every trail: a key passes naming it; none (SSE-S3) is a warning", () => {
    const ok = only("cloudtrail-kms-encryption", account());
    expect(ok.status).to.equal("PASS");
    expect(ok.detail).to.include(CMK);
    const plain = only("cloudtrail-kms-encryption", account({ trails: [trail({ kmsKeyId: undefined })] }));
    failed(plain, "warning", /not encrypted with a KMS key \(no KmsKeyId: SSE-S3 only\)/);
    expect(plain.check.fsbp).to.deep.equal(["CloudTrail.2"]);
    expect(run("cloudtrail-kms-encryption", account({ trails: [] }))).to.deep.equal([]);
  });

  it("an unreadable trail status or selectors blocks the verdict (exit 3) unless another trail covers the account", () => {
    const unreadSelectors: Unreadable = {
      checks: ["cloudtrail-multi-region-logging"],
      region: REGION,
      what: "the event selectors of trail data",
      reason: "access denied (AccessDeniedException: ...)",
      unlessAnotherTrailCovers: true,
    };
    const other: Unreadable = {
      checks: ["guardduty-enabled"],
      region: REGION,
      what: "GuardDuty detectors",
      reason: "x",
    };
    const data = trail({
      name: "data",
      arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/data`,
      eventSelectors: undefined,
    });
    // Another trail covers: the unreadable selectors settle nothing, so they no longer block.
    expect(stillUnreadable(account({ trails: [data, trail()], unreadable: [unreadSelectors, other] }))).to.deep.equal([
      other,
    ]);
    // No other trail covers (alone, or the other one is stopped): it still blocks.
    expect(stillUnreadable(account({ trails: [data], unreadable: [unreadSelectors] }))).to.deep.equal([
      unreadSelectors,
    ]);
    expect(
      stillUnreadable(account({ trails: [data, trail({ logging: false })], unreadable: [unreadSelectors] })),
    ).to.deep.equal([unreadSelectors]);
  });

  describe("management events (GetEventSelectors)", () => {
    const classic = (
      ...selectors: {
        readWriteType?: string;
        includeManagementEvents?: boolean;
        excludeManagementEventSources?: string[];
      }[]
    ) => trail({ eventSelectors: { kind: "classic", selectors } });
    type Field = { field: string; equals?: string[]; notEquals?: string[]; startsWith?: string[] };
    const advanced = (...selectors: { name?: string; fieldSelectors: Field[] }[]) =>
      trail({ eventSelectors: { kind: "advanced", selectors } });
    const management: Field = { field: "eventCategory", equals: ["Management"] };
    const s3Data = {
      name: "Log S3 data events",
      fieldSelectors: [
        { field: "eventCategory", equals: ["Data"] },
        { field: "resources.type", equals: ["AWS::S3::Object"] },
      ],
    };
    const verdict = (t: ReturnType<typeof trail>) => only("cloudtrail-multi-region-logging", account({ trails: [t] }));

    it("classic: All with management events passes; so do AWS's defaults and ReadOnly + WriteOnly in two selectors", () => {
      expect(verdict(classic({ readWriteType: "All", includeManagementEvents: true })).status).to.equal("PASS");
      expect(verdict(classic({})).status).to.equal("PASS");
      const excluding = verdict(
        classic({ excludeManagementEventSources: ["kms.amazonaws.com", "rdsdata.amazonaws.com"] }),
      );
      expect(excluding.status).to.equal("PASS");
      expect(excluding.detail).to.match(
        /except from kms\.amazonaws\.com, rdsdata\.amazonaws\.com \(status and selectors read in us-east-1\)/,
      );
      expect(
        verdict(classic({ readWriteType: "ReadOnly" }, { readWriteType: "WriteOnly", includeManagementEvents: true }))
          .status,
      ).to.equal("PASS");
    });

    it("classic: IncludeManagementEvents false, ReadOnly only, or no selector fails critical naming the selector", () => {
      failed(
        verdict(classic({ readWriteType: "All", includeManagementEvents: false })),
        "critical",
        /huntaze-trail: read and write management events are not recorded \(EventSelectors\[0\]: IncludeManagementEvents is false\)/,
      );
      failed(
        verdict(classic({ readWriteType: "ReadOnly" }, { readWriteType: "WriteOnly", includeManagementEvents: false })),
        "critical",
        /write management events are not recorded \(EventSelectors\[0\]: ReadWriteType is ReadOnly; EventSelectors\[1\]: IncludeManagementEvents is false\)/,
      );
      failed(verdict(classic()), "critical", /no event selector: it records no management events/);
    });

    it("advanced: an eventCategory = Management selector passes; excluded sources are named, not failed", () => {
      const r = verdict(
        advanced(s3Data, {
          name: "Management events",
          fieldSelectors: [management, { field: "eventSource", notEquals: ["kms.amazonaws.com"] }],
        }),
      );
      expect(r.status).to.equal("PASS");
      expect(r.detail).to.match(/except from kms\.amazonaws\.com/);
      const reads = { name: "reads", fieldSelectors: [management, { field: "readOnly", equals: ["true"] }] };
      const writes = { name: "writes", fieldSelectors: [management, { field: "readOnly", notEquals: ["true"] }] };
      expect(verdict(advanced(reads, writes)).status).to.equal("PASS");
    });

    it("advanced: no Management selector, read-only, or a selector kept to some sources fails naming the selector", () => {
      failed(
        verdict(advanced(s3Data)),
        "critical",
        /read and write management events are not recorded \(advanced selector "Log S3 data events": no eventCategory = Management\)/,
      );
      failed(
        verdict(advanced({ name: "reads", fieldSelectors: [management, { field: "readOnly", equals: ["true"] }] })),
        "critical",
        /write management events are not recorded \(advanced selector "reads": readOnly = true \(only read events\)\)/,
      );
      failed(
        verdict(advanced({ fieldSelectors: [management, { field: "readOnly", equals: ["false"] }] })),
        "critical",
        /: read management events are not recorded \(AdvancedEventSelectors\[0\]: readOnly = false/,
      );
      failed(
        verdict(
          advanced({
            name: "s3 only",
            fieldSelectors: [management, { field: "eventSource", equals: ["s3.amazonaws.com"] }],
          }),
        ),
        "critical",
        /"s3 only": records only the events whose eventSource matches/,
      );
      failed(verdict(advanced()), "critical", /no advanced event selector/);
    });

    it("a trail with bad selectors does not count when another trail covers; validation judges every trail", () => {
      const dataOnly = trail({
        name: "data",
        arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/data`,
        logFileValidation: false,
        eventSelectors: { kind: "classic", selectors: [{ includeManagementEvents: false }] },
      });
      const facts = account({ trails: [dataOnly, trail()] });
      expect(run("cloudtrail-multi-region-logging", facts).map((r) => [r.status, r.resource.arn])).to.deep.equal([
        ["PASS", trail().arn],
      ]);
      expect(run("cloudtrail-log-file-validation", facts).map((r) => [r.status, r.resource.arn])).to.deep.equal([
        ["FAIL", dataOnly.arn],
        ["PASS", trail().arn],
      ]);
      failed(
        only("cloudtrail-multi-region-logging", account({ trails: [dataOnly] })),
        "critical",
        /data: read and write/,
      );
      failed(only("cloudtrail-log-file-validation", account({ trails: [dataOnly] })), "warning", /validation is off/);
    });

    it("selectors that could not be read: no verdict (not a pass, not 'no trail'), unless another trail covers", () => {
      const unread = trail({ eventSelectors: undefined });
      expect(run("cloudtrail-multi-region-logging", account({ trails: [unread] }))).to.deep.equal([]);
      const other = trail({ name: "org", arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/org` });
      expect(
        run("cloudtrail-multi-region-logging", account({ trails: [unread, other] })).map((r) => r.status),
      ).to.deep.equal(["PASS"]);
      // A trail that fails on its own (single-region) is still a failure, selectors unread or not.
      failed(
        only(
          "cloudtrail-multi-region-logging",
          account({ trails: [trail({ multiRegion: false, eventSelectors: undefined })] }),
        ),
        "critical",
        /single-region/,
      );
    });
  });
});

describe("audit checks: GuardDuty and Security Hub", () => {
  it("GuardDuty: enabled passes; suspended or absent fails critical", () => {
    expect(only("guardduty-enabled", account()).status).to.equal("PASS");
    failed(
      only("guardduty-enabled", withRegion({ detectors: [detector({ status: "DISABLED" })] })),
      "critical",
      /suspended/,
    );
    const none = only("guardduty-enabled", withRegion({ detectors: [] }));
    failed(none, "critical", /no detector in us-east-1/);
    expect(none.resource.region).to.equal("us-east-1");
  });

  it("GuardDuty features: a required feature DISABLED is a warning naming it; other features are not judged", () => {
    expect(only("guardduty-features", account()).status).to.equal("PASS");
    const features = detector().features.map((f) => (f.name === "RDS_LOGIN_EVENTS" ? { ...f, status: "DISABLED" } : f));
    failed(
      only("guardduty-features", withRegion({ detectors: [detector({ features })] })),
      "warning",
      /^features DISABLED: RDS_LOGIN_EVENTS$/,
    );
  });

  it("GuardDuty features: a required feature the detector does not list is not enabled (a warning naming it)", () => {
    const features = detector().features.filter((f) => f.name !== "RUNTIME_MONITORING" && f.name !== "S3_DATA_EVENTS");
    failed(
      only("guardduty-features", withRegion({ detectors: [detector({ features })] })),
      "warning",
      /^features not listed by the detector \(never enabled\): S3_DATA_EVENTS, RUNTIME_MONITORING$/,
    );
    const mixed = features.map((f) => (f.name === "RDS_LOGIN_EVENTS" ? { ...f, status: "DISABLED" } : f));
    failed(
      only("guardduty-features", withRegion({ detectors: [detector({ features: mixed })] })),
      "warning",
      /^features DISABLED: RDS_LOGIN_EVENTS; features not listed .*: S3_DATA_EVENTS, RUNTIME_MONITORING$/,
    );
    failed(
      only("guardduty-features", withRegion({ detectors: [detector({ features: [] })] })),
      "warning",
      /never enabled/,
    );
  });

  it("Security Hub: FSBP READY passes; off or FSBP missing is critical; INCOMPLETE without Config is a warning that says so", () => {
    const hubArn = "arn:aws:securityhub:us-east-1:317805897534:hub/default";
    const hub = (standards: { arn: string; status: string; reason?: string }[], enabled = true) =>
      withRegion({ securityHub: { region: "us-east-1", hubArn: enabled ? hubArn : undefined, standards } });
    expect(only("securityhub-fsbp", account()).status).to.equal("PASS");
    failed(only("securityhub-fsbp", hub([], false)), "critical", /not enabled in us-east-1/);
    failed(
      only(
        "securityhub-fsbp",
        hub([{ arn: "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0", status: "READY" }]),
      ),
      "critical",
      /FSBP is not subscribed/,
    );
    failed(
      only(
        "securityhub-fsbp",
        hub([{ arn: FSBP_ARN, status: "INCOMPLETE", reason: "NO_AVAILABLE_CONFIGURATION_RECORDER" }]),
      ),
      "warning",
      /INCOMPLETE because AWS Config is not recording/,
    );
    failed(only("securityhub-fsbp", hub([{ arn: FSBP_ARN, status: "PENDING" }])), "warning", /PENDING/);
    failed(
      only("securityhub-fsbp", hub([{ arn: FSBP_ARN, status: "FAILED", reason: "INTERNAL_ERROR" }])),
      "critical",
      /FAILED \(INTERNAL_ERROR\)/,
    );
  });
});

describe("audit checks: ECS and log groups", () => {
  it("task role: distinct passes; equal to the execution role is critical; none is a warning", () => {
    expect(only("ecs-task-role-separate", account()).status).to.equal("PASS");
    const exec = "arn:aws:iam::317805897534:role/shared";
    failed(
      only(
        "ecs-task-role-separate",
        withRegion({ ecsServices: [service({ taskDefinition: { taskRoleArn: exec, executionRoleArn: exec } })] }),
      ),
      "critical",
      /task role is the execution role/,
    );
    failed(
      only(
        "ecs-task-role-separate",
        withRegion({ ecsServices: [service({ taskDefinition: { taskRoleArn: undefined } })] }),
      ),
      "warning",
      /no task role/,
    );
  });

  it("AWS keys in a container environment fail critical by name, and their values never appear", () => {
    expect(only("ecs-no-aws-keys-in-environment", account()).status).to.equal("PASS");
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const containers = [
      {
        name: "api",
        environment: [
          { name: "AWS_ACCESS_KEY_ID", value: "AKIAIOSFODNN7EXAMPLE" },
          { name: "AWS_SECRET_ACCESS_KEY", value: secret },
        ],
      },
      { name: "worker", environment: [{ name: "LEGACY_KEY", value: "AKIAIOSFODNN7EXAMPLE" }] },
    ];
    const r = only(
      "ecs-no-aws-keys-in-environment",
      withRegion({ ecsServices: [service({ taskDefinition: { containers } })] }),
    );
    failed(r, "critical", /api: AWS_ACCESS_KEY_ID, api: AWS_SECRET_ACCESS_KEY, worker: LEGACY_KEY \(values not shown/);
    expect(JSON.stringify(r)).to.not.include(secret).and.not.include("AKIAIOSFODNN7EXAMPLE");
  });

  it("AWS keys in an ACTIVE task definition no running service uses fail critical on the task definition", () => {
    const nightly = {
      arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/nightly-export:4`,
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/export-task`,
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/export-execution`,
      containers: [
        { name: "export", environment: [{ name: "AWS_SECRET_ACCESS_KEY", value: "wJalrXUtnFEMI/K7MDENG" }] },
      ],
    };
    const results = run(
      "ecs-no-aws-keys-in-environment",
      withRegion({ ecsTaskDefinitions: [service().taskDefinition, nightly] }),
    );
    // The service's revision is judged once (on the service), the other revision on itself.
    expect(results.map((r) => [r.status, r.resource.type, r.resource.arn])).to.deep.equal([
      ["PASS", "AwsEcsService", service().arn],
      ["FAIL", "AwsEcsTaskDefinition", nightly.arn],
    ]);
    failed(
      results[1]!,
      "critical",
      /export: AWS_SECRET_ACCESS_KEY \(values not shown; an ACTIVE revision no running service uses/,
    );
    expect(JSON.stringify(results)).to.not.include("wJalrXUtnFEMI");
    // Task definitions that could not be listed: only the running services are judged.
    expect(run("ecs-no-aws-keys-in-environment", withRegion({ ecsTaskDefinitions: undefined }))).to.have.length(1);
  });

  it("log groups follow CloudWatch.16: never expire passes; under the minimum (365 by default) is a warning", () => {
    const groups = (days: number | undefined) => withRegion({ logGroups: [logGroup({ retentionInDays: days })] });
    expect(only("logs-retention", account()).status).to.equal("PASS");
    const never = only("logs-retention", groups(undefined));
    expect(never.status).to.equal("PASS");
    expect(never.detail).to.match(/never expire/);
    expect(only("logs-retention", groups(0)).status).to.equal("PASS");
    expect(only("logs-retention", groups(365)).status).to.equal("PASS");
    failed(only("logs-retention", groups(30)), "warning", /retention is 30 days: events are deleted before 365 days/);
    failed(only("logs-retention", groups(180)), "warning", /180 days/);
  });

  it("log groups: the minimum is a setting (--min-log-retention-days)", () => {
    const thirty = withRegion({ logGroups: [logGroup({ retentionInDays: 30 })] });
    const logs = CHECKS.find((c) => c.id === "logs-retention")!;
    expect(logs.run(thirty, { minLogRetentionDays: 30 })[0]!.status).to.equal("PASS");
    expect(logs.run(thirty, { minLogRetentionDays: 31 })[0]!.status).to.equal("FAIL");
    expect(judge(thirty, CHECKS, { minLogRetentionDays: 14 }).filter((r) => r.status === "FAIL")).to.deep.equal([]);
    expect(DEFAULT_SETTINGS.minLogRetentionDays).to.equal(365);
  });
});
