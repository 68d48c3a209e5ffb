import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { DescribeReplicationGroupsCommand, DescribeServerlessCachesCommand } from "@aws-sdk/client-elasticache";
import { ListDetectorsCommand } from "@aws-sdk/client-guardduty";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { expect } from "chai";
import { CHECKS } from "../../../tools/audit/checks";
import { runAudit } from "../../../tools/audit/main";
import { runTool } from "../../support/cli";
import { type AccountMocks, accountMocks, awsError, cleanAccount } from "./aws-mock";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function audit(...args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runAudit(["--region", "us-east-1", ...args], {
    env: {},
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

describe("npm run audit (in-process on a mocked account)", () => {
  let m: AccountMocks;
  before(() => {
    m = accountMocks();
  });
  beforeEach(() => cleanAccount(m));
  after(() => {
    for (const mock of Object.values(m)) mock.restore();
  });

  it("exits 0 when every check passes, and says so", async () => {
    const r = await audit();
    expect(r.stdout).to.include("Security audit of account 317805897534 in us-east-1");
    expect(r.stdout).to.include("No finding: every evaluated check passed.");
    expect(r.stdout).to.match(
      new RegExp(`${CHECKS.length} checks, \\d+ results: \\d+ passed, 0 critical, 0 warnings, 0 not evaluated`),
    );
    expect(r.code).to.equal(0);
  });

  it("exits 1 on a critical finding, with one table line naming status, severity, ARN, the problem and the fix", async () => {
    m.elasticache.on(DescribeReplicationGroupsCommand).resolves({
      ReplicationGroups: [
        {
          ReplicationGroupId: "old",
          ARN: "arn:aws:elasticache:us-east-1:317805897534:replicationgroup:old",
          AtRestEncryptionEnabled: true,
          KmsKeyId: "arn:aws:kms:us-east-1:317805897534:key/abc",
          TransitEncryptionEnabled: false,
          AuthTokenEnabled: false,
        },
      ],
    });
    const r = await audit();
    const line = r.stdout.split("\n").find((l) => l.includes("[elasticache-transit-encryption]"));
    expect(line).to.match(
      /^FAIL\s+critical\s+arn:aws:elasticache:us-east-1:317805897534:replicationgroup:old\s+\[elasticache-transit-encryption\] in-transit encryption \(TLS\) is off\s+->\s+EncryptedRedis/,
    );
    expect(r.stdout).to.include("[elasticache-auth] no AUTH token");
    expect(r.code).to.equal(1);
  });

  it("exits 2 on warnings only, and 0 for the same account with --fail-on critical", async () => {
    m.logs.on(DescribeLogGroupsCommand).resolves({
      logGroups: [
        {
          logGroupName: "/ecs/x",
          logGroupArn: "arn:aws:logs:us-east-1:317805897534:log-group:/ecs/x",
          retentionInDays: 30,
        },
        // Never expire: compliant with CloudWatch.16.
        { logGroupName: "/ecs/y", logGroupArn: "arn:aws:logs:us-east-1:317805897534:log-group:/ecs/y" },
      ],
    });
    const warned = await audit();
    expect(warned.stdout).to.match(
      /FAIL\s+warning\s+arn:aws:logs:us-east-1:317805897534:log-group:\/ecs\/x\s+\[logs-retention\] retention is 30 days: events are deleted before 365 days/,
    );
    expect(warned.stdout).to.not.include("log-group:/ecs/y");
    expect(warned.code).to.equal(2);
    expect((await audit("--fail-on", "critical")).code).to.equal(0);
    // The minimum is a setting: a team that decided 30 days is clean.
    expect((await audit("--min-log-retention-days", "30")).code).to.equal(0);
    expect((await audit("--min-log-retention-days", "31")).code).to.equal(2);
  });

  it("exits 0 when a second trail's selectors cannot be read but the first trail covers the account", async () => {
    const arn = (n: string) => `arn:aws:cloudtrail:us-east-1:317805897534:trail/${n}`;
    m.cloudtrail
      .on(DescribeTrailsCommand)
      .resolves({
        trailList: [
          {
            Name: "huntaze-trail",
            TrailARN: arn("huntaze-trail"),
            HomeRegion: "us-east-1",
            IsMultiRegionTrail: true,
            LogFileValidationEnabled: true,
            KmsKeyId: "arn:aws:kms:us-east-1:317805897534:key/abc",
          },
          {
            Name: "data-events",
            TrailARN: arn("data-events"),
            HomeRegion: "us-east-1",
            IsMultiRegionTrail: true,
            LogFileValidationEnabled: true,
            KmsKeyId: "arn:aws:kms:us-east-1:317805897534:key/abc",
          },
        ],
      })
      .on(GetEventSelectorsCommand, { TrailName: arn("data-events") })
      .rejects(awsError("AccessDeniedException", "User is not authorized to perform: cloudtrail:GetEventSelectors"));
    const covered = await audit();
    expect(covered.stdout).to.not.include("NOT EVALUATED");
    expect(covered.code).to.equal(0);
    // Without a covering trail (the first one stopped), the same refusal is "not evaluated" (exit 3),
    // as the runbook says: data-events might be the covering trail, nobody can tell.
    m.cloudtrail.on(GetTrailStatusCommand, { Name: arn("huntaze-trail") }).resolves({ IsLogging: false });
    const alone = await audit();
    expect(alone.stdout).to.match(/NOT EVALUATED[\s\S]*the event selectors of trail data-events: access denied/);
    expect(alone.stdout).to.not.match(/\[cloudtrail-multi-region-logging\]/);
    expect(alone.code).to.equal(3);
  });

  it("exits 3 when a service cannot be read, listing what and why, even if everything readable passed", async () => {
    m.guardduty
      .on(ListDetectorsCommand)
      .rejects(awsError("AccessDeniedException", "User is not authorized to perform: guardduty:ListDetectors"));
    const r = await audit();
    expect(r.stdout).to.include("NOT EVALUATED");
    expect(r.stdout).to.match(
      /us-east-1 {2}GuardDuty detectors: access denied \(AccessDeniedException: .*guardduty:ListDetectors\)\s+\[blocks guardduty-enabled, guardduty-features\]/,
    );
    expect(r.code).to.equal(3);
    // --fail-on does not hide it.
    expect((await audit("--fail-on", "critical")).code).to.equal(3);
  });

  it("a critical finding wins over 'not evaluated' (exit 1), and the unreadable part is still listed", async () => {
    m.guardduty.on(ListDetectorsCommand).rejects(awsError("ThrottlingException", "Rate exceeded"));
    m.elasticache
      .on(DescribeReplicationGroupsCommand)
      .resolves({ ReplicationGroups: [{ ReplicationGroupId: "x", ARN: "arn:x", AtRestEncryptionEnabled: false }] });
    const r = await audit();
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/GuardDuty detectors: throttled after the SDK's retries/);
  });

  it("exits 3 saying credentials are missing when STS cannot authenticate, and evaluates nothing", async () => {
    const err = awsError("CredentialsProviderError", "Could not load credentials from any providers");
    m.sts.on(GetCallerIdentityCommand).rejects(err);
    const r = await audit("--json");
    expect(r.code).to.equal(3);
    expect(r.stderr).to.match(/credentials are missing or invalid/);
    const json = JSON.parse(r.stdout);
    expect(json.findings).to.deep.equal([]);
    expect(json.not_evaluated[0].status_detail).to.match(/^credentials missing or invalid/);
    expect(m.elasticache.calls()).to.have.length(0);
  });

  it("--json: OCSF-like findings (status_code, severity, status_detail, resources, remediation), and never a secret", async () => {
    m.ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        taskDefinitionArn: "arn:aws:ecs:us-east-1:317805897534:task-definition/api:8",
        taskRoleArn: "arn:aws:iam::317805897534:role/api-task",
        executionRoleArn: "arn:aws:iam::317805897534:role/api-execution",
        containerDefinitions: [
          {
            name: "api",
            environment: [
              { name: "AWS_ACCESS_KEY_ID", value: "AKIAIOSFODNN7EXAMPLE" },
              { name: "AWS_SECRET_ACCESS_KEY", value: SECRET },
            ],
          },
        ],
      },
    });
    const r = await audit("--json", "--all");
    expect(r.code).to.equal(1);
    const json = JSON.parse(r.stdout);
    expect(json.exit_code).to.equal(1);
    const finding = json.findings.find(
      (f: { metadata: { event_code: string } }) => f.metadata.event_code === "ecs-no-aws-keys-in-environment",
    );
    expect(finding).to.deep.include({ status_code: "FAIL", severity: "Critical", severity_id: 5 });
    expect(finding.status_detail).to.match(/AWS_ACCESS_KEY_ID, api: AWS_SECRET_ACCESS_KEY \(values not shown/);
    expect(finding.resources).to.deep.equal([
      {
        uid: "arn:aws:ecs:us-east-1:317805897534:service/huntaze-production/api",
        type: "AwsEcsService",
        region: "us-east-1",
      },
    ]);
    expect(finding.remediation.desc).to.match(/task role/);
    expect(finding.remediation.references).to.deep.equal(["FSBP ECS.8"]);
    expect(json.findings.some((f: { status_code: string }) => f.status_code === "PASS")).to.equal(true);
    for (const out of [r.stdout, r.stderr, (await audit("--all")).stdout]) {
      expect(out).to.not.include(SECRET);
      expect(out).to.not.include("AKIAIOSFODNN7EXAMPLE");
    }
  });

  it("exits 1 on a serverless cache without a user group and a trail that records no management events, naming both", async () => {
    m.elasticache.on(DescribeServerlessCachesCommand).resolves({
      ServerlessCaches: [
        {
          ServerlessCacheName: "console-made",
          ARN: "arn:aws:elasticache:us-east-1:317805897534:serverlesscache:console-made",
          Engine: "valkey",
          StorageEncryptionType: "sse-elasticache",
          SnapshotRetentionLimit: 0,
        },
      ],
    });
    m.cloudtrail.on(GetEventSelectorsCommand).resolves({
      AdvancedEventSelectors: [
        { Name: "S3 data only", FieldSelectors: [{ Field: "eventCategory", Equals: ["Data"] }] },
      ],
    });
    const r = await audit();
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(
      /FAIL\s+critical\s+arn:aws:elasticache:us-east-1:317805897534:serverlesscache:console-made\s+\[elasticache-serverless-auth\] no user group/,
    );
    expect(r.stdout).to.match(
      /FAIL\s+warning\s+\S+serverlesscache:console-made\s+\[elasticache-serverless-cmk\] .*AWS-owned key/,
    );
    expect(r.stdout).to.match(/\[elasticache-serverless-snapshots\] SnapshotRetentionLimit is 0/);
    expect(r.stdout).to.match(
      /FAIL\s+critical\s+AWS::::Account:317805897534\s+\[cloudtrail-multi-region-logging\] .*advanced selector "S3 data only": no eventCategory = Management/,
    );
  });

  it("exits 3 when the trail's event selectors cannot be read, instead of passing or failing the trail", async () => {
    m.cloudtrail
      .on(GetEventSelectorsCommand)
      .rejects(awsError("AccessDeniedException", "User is not authorized to perform: cloudtrail:GetEventSelectors"));
    const r = await audit();
    expect(r.code).to.equal(3);
    expect(r.stdout).to.match(/the event selectors of trail huntaze-trail: access denied/);
    expect(r.stdout).to.not.include("[cloudtrail-multi-region-logging]");
  });

  it("exits 3 when the trail's status cannot be read, without claiming the account has no trail", async () => {
    m.cloudtrail
      .on(GetTrailStatusCommand)
      .rejects(awsError("AccessDeniedException", "User is not authorized to perform: cloudtrail:GetTrailStatus"));
    const r = await audit();
    expect(r.code).to.equal(3);
    expect(r.stdout).to.match(/the status of trail huntaze-trail: access denied/);
    expect(r.stdout).to.not.include("no trail");
  });

  it("exits 4 on bad arguments, naming the flag, the allowed values and the value given; --help exits 0", async () => {
    const bad = await audit("--fail-on", "info", "--region", "mars-1", "--min-log-retention-days", "forever");
    expect(bad.code).to.equal(4);
    expect(bad.stderr).to.include(
      '--min-log-retention-days must be a whole number of days from 1 to 3653, got "forever"',
    );
    expect((await audit("--min-log-retention-days", "0")).code).to.equal(4);
    expect((await audit("--min-log-retention-days", "3654")).code).to.equal(4);
    expect(bad.stderr).to.include('--fail-on must be critical or warning, got "info"');
    expect(bad.stderr).to.include('--region must be an AWS region name such as us-east-1, got "mars-1"');
    const help = await audit("--help");
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(
      /Exit codes: 0 every check passed; 1 a critical finding; 2 warnings only; 3 something could not be/,
    );
  });
});

describe("npm run audit (subprocess, no credentials)", () => {
  it("exits 3 quickly and says credentials are missing", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "audit-home-"));
    const unset = Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => k.startsWith("AWS_"))
        .map((k) => [k, undefined]),
    );
    const started = Date.now();
    const r = await runTool("audit.ts", [], { ...unset, HOME: home, AWS_REGION: "us-east-1" });
    const seconds = (Date.now() - started) / 1000;
    expect(r.stderr).to.match(/credentials are missing or invalid/);
    expect(r.stdout).to.match(/NOT EVALUATED[\s\S]*sts:GetCallerIdentity\): credentials missing or invalid/);
    expect(r.code).to.equal(3);
    // ts-node start-up included; the metadata-service probe is bounded to 1 s (no 10-second wait).
    expect(seconds).to.be.lessThan(20);
    fs.rmSync(home, { recursive: true, force: true });
  });
});
