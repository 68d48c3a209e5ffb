import { expect } from "chai";
import { describe, it } from "mocha";
import {
  AccountBaseline,
  fsbpStandardArn,
  guardDutyFindingsPattern,
  securityHubFindingsPattern,
  trailArn,
  trailBucketStatements,
  trailKeyStatements,
  trailLogsRolePolicy,
} from "../../components/account-baseline";
import { AlertTopics, eventBridgeKeyStatement } from "../../components/alert-topics";
import { ArgsError } from "../../components/spec";
import { attempt } from "../support/args-error";
import { inputsOf, jsonInput, ofType, one, record, testAccount } from "../support/pulumi-harness";

type Statement = {
  Sid: string;
  Effect: string;
  Principal?: { Service?: string | string[] };
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};

const minimal = {
  namePrefix: "huntaze-production",
  securityTopicArn: "arn:aws:sns:us-east-1:317805897534:huntaze-security-alerts",
};

const build = (extra: Partial<ConstructorParameters<typeof AccountBaseline>[1]> = {}) =>
  record(
    () =>
      new AccountBaseline("baseline", {
        namePrefix: "huntaze-production",
        securityTopicArn: "arn:aws:sns:us-east-1:317805897534:huntaze-security-alerts",
        gatewayEndpoints: { vpcId: "vpc-0a1b2c3d4e5f60718", routeTableIds: ["rtb-0a1b2c3d4e5f60021"] },
        ...extra,
      }),
  );

describe("components/account-baseline: pure documents", () => {
  const trailName = "huntaze-production-trail";
  const theTrail = `arn:aws:cloudtrail:us-east-1:${testAccount.accountId}:trail/${trailName}`;

  it("knows the trail and FSBP ARNs before anything exists", () => {
    expect(trailArn(testAccount, trailName)).to.equal(theTrail);
    expect(fsbpStandardArn("eu-west-1")).to.equal(
      "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0",
    );
  });

  it("lets only CloudTrail write to the trail bucket, for this trail, under this account's prefix", () => {
    const st = trailBucketStatements(testAccount, "b", trailName, false) as Statement[];
    expect(st.map((s) => s.Sid)).to.deep.equal(["CloudTrailAclCheck", "CloudTrailWrite"]);
    for (const s of st) {
      expect(s.Principal).to.deep.equal({ Service: "cloudtrail.amazonaws.com" });
      expect(s.Condition?.StringEquals?.["aws:SourceArn"]).to.equal(theTrail);
    }
    expect(st[1]!.Resource).to.equal(`arn:aws:s3:::b/AWSLogs/${testAccount.accountId}/*`);
    const withConfig = trailBucketStatements(testAccount, "b", trailName, true) as Statement[];
    const config = withConfig.filter((s) => s.Sid.startsWith("Config"));
    expect(config).to.have.length(2);
    for (const s of config) expect(s.Condition?.StringEquals?.["aws:SourceAccount"]).to.equal(testAccount.accountId);
  });

  it("lets CloudTrail encrypt only for this trail, and Logs only for the trail's log group", () => {
    const st = trailKeyStatements(testAccount, trailName, "/aws/cloudtrail/x", false) as Statement[];
    const encrypt = st.find((s) => s.Sid === "CloudTrailEncrypt")!;
    expect(encrypt.Condition?.StringEquals?.["aws:SourceArn"]).to.equal(theTrail);
    const logs = st.find((s) => s.Sid === "CloudWatchLogsEncrypt")!;
    expect(logs.Principal).to.deep.equal({ Service: "logs.us-east-1.amazonaws.com" });
    expect(logs.Condition?.ArnEquals?.["kms:EncryptionContext:aws:logs:arn"]).to.equal(
      `arn:aws:logs:us-east-1:${testAccount.accountId}:log-group:/aws/cloudtrail/x`,
    );
    expect(st.some((s) => s.Sid === "ConfigDelivery")).to.equal(false);
    expect(
      (trailKeyStatements(testAccount, trailName, "/x", true) as Statement[]).some((s) => s.Sid === "ConfigDelivery"),
    ).to.equal(true);
  });

  it("lets the account's principals decrypt CloudTrail objects (the bucket key needs it on CreateTrail/UpdateTrail)", () => {
    const st = trailKeyStatements(testAccount, trailName, "/x", false) as Statement[];
    expect(st.find((s) => s.Sid === "CloudTrailLogDecrypt")).to.deep.equal({
      Sid: "CloudTrailLogDecrypt",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${testAccount.accountId}:root` },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { Null: { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } },
    });
  });

  it("gives the trail's delivery role stream writes on its one log group only", () => {
    const doc = JSON.parse(trailLogsRolePolicy("arn:aws:logs:us-east-1:1:log-group:/aws/cloudtrail/x"));
    expect(doc.Statement).to.have.length(1);
    expect(doc.Statement[0].Action).to.deep.equal(["logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(doc.Statement[0].Resource).to.equal("arn:aws:logs:us-east-1:1:log-group:/aws/cloudtrail/x:log-stream:*");
  });

  it("matches GuardDuty severity >= 7 numerically and Security Hub HIGH/CRITICAL new active findings", () => {
    expect(guardDutyFindingsPattern(7)).to.deep.equal({
      source: ["aws.guardduty"],
      "detail-type": ["GuardDuty Finding"],
      detail: { severity: [{ numeric: [">=", 7] }] },
    });
    const hub = securityHubFindingsPattern(["HIGH", "CRITICAL"]) as { detail: { findings: Record<string, unknown> } };
    expect(hub.detail.findings).to.deep.equal({
      Severity: { Label: ["HIGH", "CRITICAL"] },
      Workflow: { Status: ["NEW"] },
      RecordState: ["ACTIVE"],
    });
  });
});

describe("components/account-baseline: AccountBaseline", () => {
  it("enables GuardDuty every 15 minutes with S3, runtime (Fargate agent managed) and Lambda protection", async () => {
    const run = await build();
    expect(inputsOf(one(run, "aws:guardduty/detector:Detector"))).to.include({
      enable: true,
      findingPublishingFrequency: "FIFTEEN_MINUTES",
    });
    const features = ofType(run, "aws:guardduty/detectorFeature:DetectorFeature")
      .map(inputsOf)
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(features.map((f) => [f.name, f.status])).to.deep.equal([
      ["LAMBDA_NETWORK_LOGS", "ENABLED"],
      ["RUNTIME_MONITORING", "ENABLED"],
      ["S3_DATA_EVENTS", "ENABLED"],
    ]);
    expect(features[1]!.additionalConfigurations).to.deep.equal([
      { name: "EKS_ADDON_MANAGEMENT", status: "DISABLED" },
      { name: "EC2_AGENT_MANAGEMENT", status: "DISABLED" },
      { name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" },
    ]);
  });

  it("turns Security Hub on without default standards and subscribes FSBP explicitly", async () => {
    const run = await build();
    expect(inputsOf(one(run, "aws:securityhub/account:Account")).enableDefaultStandards).to.equal(false);
    const sub = one(run, "aws:securityhub/standardsSubscription:StandardsSubscription");
    expect(inputsOf(sub).standardsArn).to.equal(fsbpStandardArn("us-east-1"));
    expect(sub.dependencies).to.include(one(run, "aws:securityhub/account:Account").urn);
    expect(ofType(run, "aws:cfg/recorder:Recorder")).to.deep.equal([]);
  });

  it("creates the Config recorder, delivery channel and status when asked", async () => {
    const run = await build({ createConfigRecorder: true });
    expect(inputsOf(one(run, "aws:cfg/recorder:Recorder")).recordingGroup).to.deep.equal({
      allSupported: true,
      includeGlobalResourceTypes: true,
    });
    expect(inputsOf(one(run, "aws:cfg/deliveryChannel:DeliveryChannel")).s3BucketName).to.equal(
      "huntaze-production-cloudtrail-317805897534",
    );
    const status = one(run, "aws:cfg/recorderStatus:RecorderStatus");
    expect(inputsOf(status).isEnabled).to.equal(true);
    expect(status.dependencies).to.include(one(run, "aws:cfg/deliveryChannel:DeliveryChannel").urn);
  });

  it("lets the Config recorder's role write to its bucket prefix and use the trail key (Config delivers with the role)", async () => {
    const run = await build({ createConfigRecorder: true });
    const key = one(run, "aws:kms/key:Key", "trail-key");
    const rolePolicy = one(run, "aws:iam/rolePolicy:RolePolicy", "config-delivery");
    const doc = jsonInput(rolePolicy, "policy") as { Statement: Statement[] };
    const bySid = Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));
    expect(bySid.ConfigDeliveryWrite).to.deep.include({
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::huntaze-production-cloudtrail-317805897534/config/AWSLogs/317805897534/Config/*",
    });
    expect(bySid.ConfigDeliveryKey).to.deep.include({
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: key.outputs.arn,
    });
    // The policy is on the recorder's role, and the channel waits for it (PutDeliveryChannel checks).
    expect(inputsOf(rolePolicy).role).to.equal(one(run, "aws:iam/role:Role", "config-role").outputs.id);
    expect(one(run, "aws:cfg/deliveryChannel:DeliveryChannel").dependencies).to.include(rolePolicy.urn);
  });

  it("trusts CloudTrail for the CloudWatch Logs role without aws:Source* conditions (CloudTrail sends none for it)", async () => {
    const run = await build();
    const trust = jsonInput(one(run, "aws:iam/role:Role", "trail-logs"), "assumeRolePolicy") as {
      Statement: Statement[];
    };
    expect(trust.Statement).to.deep.equal([
      { Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
  });

  it("creates a multi-region, validated, KMS-encrypted trail delivering to a 90-day encrypted log group", async () => {
    const run = await build();
    const trail = one(run, "aws:cloudtrail/trail:Trail");
    const key = one(run, "aws:kms/key:Key", "trail-key");
    const group = one(run, "aws:cloudwatch/logGroup:LogGroup", "trail");
    expect(inputsOf(trail)).to.include({
      name: "huntaze-production-trail",
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      kmsKeyId: key.outputs.arn,
      cloudWatchLogsGroupArn: `${group.outputs.arn}:*`,
      s3BucketName: "huntaze-production-cloudtrail-317805897534",
    });
    expect(inputsOf(group)).to.include({ retentionInDays: 90, kmsKeyId: key.outputs.arn });
    expect(trail.dependencies).to.include(one(run, "aws:s3/bucketPolicy:BucketPolicy", "trail-logs").urn);
    const bucketPolicy = jsonInput(one(run, "aws:s3/bucketPolicy:BucketPolicy", "trail-logs"), "policy") as {
      Statement: Statement[];
    };
    const allows = bucketPolicy.Statement.filter((s) => s.Effect === "Allow");
    expect(allows.every((s) => JSON.stringify(s.Principal) === '{"Service":"cloudtrail.amazonaws.com"}')).to.equal(
      true,
    );
    const role = jsonInput(one(run, "aws:iam/rolePolicy:RolePolicy", "trail-logs"), "policy") as {
      Statement: Statement[];
    };
    expect(role.Statement[0]!.Resource).to.equal(`${group.outputs.arn}:log-stream:*`);
  });

  it("routes high GuardDuty and Security Hub findings to the security topic", async () => {
    const run = await build();
    const rules = ofType(run, "aws:cloudwatch/eventRule:EventRule")
      .map((r) => String(inputsOf(r).name))
      .sort();
    expect(rules).to.deep.equal(["huntaze-production-guardduty-findings", "huntaze-production-securityhub-findings"]);
    for (const t of ofType(run, "aws:cloudwatch/eventTarget:EventTarget"))
      expect(inputsOf(t).arn).to.equal("arn:aws:sns:us-east-1:317805897534:huntaze-security-alerts");
  });

  it("owns the account public access block (aliased from its old root name) and the gateway endpoints", async () => {
    const run = await build({ previousPublicAccessBlockName: "account-public-access-block" });
    const block = one(run, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock");
    expect(inputsOf(block)).to.deep.equal({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(block.options.aliases.join(" ")).to.include("account-public-access-block");
    const endpoints = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").map(inputsOf);
    expect(endpoints.map((e) => e.serviceName)).to.deep.equal([
      "com.amazonaws.us-east-1.s3",
      "com.amazonaws.us-east-1.dynamodb",
    ]);
    for (const e of endpoints) {
      expect(e.vpcEndpointType).to.equal("Gateway");
      expect(e.routeTableIds).to.deep.equal(["rtb-0a1b2c3d4e5f60021"]);
      // Not AWS's full-access default: only this account's principals may use the endpoint.
      const statements = JSON.parse(String(e.policy)).Statement;
      expect(statements).to.have.length(1);
      expect(statements[0]).to.include({ Effect: "Allow", Principal: "*" });
      expect(statements[0].Condition).to.deep.equal({ StringEquals: { "aws:PrincipalAccount": "317805897534" } });
    }
  });

  it("names the trail after an existing one when asked (adoption), its key and bucket policies following", async () => {
    const run = await build({ trailName: "huntaze-org-trail" });
    expect(inputsOf(one(run, "aws:cloudtrail/trail:Trail")).name).to.equal("huntaze-org-trail");
    const bucketPolicy = JSON.stringify(
      jsonInput(one(run, "aws:s3/bucketPolicy:BucketPolicy", "trail-logs"), "policy"),
    );
    expect(bucketPolicy).to.include(`:trail/huntaze-org-trail`);
    expect(bucketPolicy).to.not.include(`:trail/huntaze-production-trail`);
  });

  it("refuses a trail name CloudTrail would refuse, naming it", async () => {
    for (const bad of ["ab", "-trail", "my..trail", "10.0.0.1", "trail name"]) {
      let error: unknown;
      try {
        await build({ trailName: bad });
      } catch (e) {
        error = e;
      }
      expect(error, bad).to.be.instanceOf(ArgsError);
      expect(String(error), bad).to.include(`trailName: expected a trail name (3–128 letters, digits, . _ or -;`);
      expect(String(error), bad).to.include(`got ${JSON.stringify(bad)}`);
    }
  });

  it("refuses a severity outside 1–10", async () => {
    let error: unknown;
    try {
      await build({ guardDutyMinSeverity: 11 });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ArgsError);
    expect(String(error)).to.include("guardDutyMinSeverity: expected a number ≥ 1 and ≤ 10, got 11");
  });

  it("from another project: no args name every required field (not a TypeError), before any child", async () => {
    const { error, children } = await attempt(() => new AccountBaseline("baseline", {} as never));
    expect(error).to.be.instanceOf(ArgsError);
    expect((error as ArgsError).problems).to.deep.equal([
      { key: "namePrefix", allowed: '1–31 lowercase letters, digits or "-"', got: "nothing (the key is missing)" },
      {
        key: "securityTopicArn",
        allowed: "an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)",
        got: "nothing (the key is missing)",
      },
    ]);
    expect(children).to.deep.equal([]);
    const none = await attempt(() => new AccountBaseline("baseline", undefined as never));
    expect(none.error).to.be.instanceOf(ArgsError);
    expect((none.error as ArgsError).problems.map((p) => p.key)).to.deep.equal(["namePrefix", "securityTopicArn"]);
  });

  it("from another project: wrong args give one ArgsError naming each field, what is allowed and what was given", async () => {
    const { error, children } = await attempt(
      () =>
        new AccountBaseline("baseline", {
          namePrefix: "Huntaze Production",
          securityTopicArn: "security-alerts",
          createConfigRecorder: "yes",
          guardDutyMinSeverity: 0,
          securityHubLabels: ["SEVERE"],
          trailName: "my..trail",
          trailLogRetentionDays: 30,
          trailLogExpirationDays: 0,
          trailBucketAccessLogging: { targetPrefix: "cloudtrail/" },
          runtimeMonitoring: { ec2Agent: "on" },
          gatewayEndpoints: { vpcId: "vpc-1", routeTableIds: ["route-1"] },
          tags: { Team: 1 },
        } as never),
    );
    expect(error).to.be.instanceOf(ArgsError);
    expect((error as ArgsError).problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`)).to.deep.equal([
      'namePrefix: expected 1–31 lowercase letters, digits or "-", got "Huntaze Production"',
      'securityTopicArn: expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got "security-alerts"',
      'createConfigRecorder: expected true or false, got "yes"',
      "guardDutyMinSeverity: expected a number ≥ 1 and ≤ 10, got 0",
      'securityHubLabels[0]: expected one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, got "SEVERE"',
      'trailName: expected a trail name (3–128 letters, digits, . _ or -; starting and ending with a letter or digit; no two of . _ - adjacent; not an IP address), got "my..trail"',
      "trailLogRetentionDays: expected one of 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (days CloudWatch Logs accepts, ≥ 90 for audit logs), got 30",
      "trailLogExpirationDays: expected an integer from 1 to 2147483647, got 0",
      "trailBucketAccessLogging.targetBucket: expected a bucket name, got nothing (the key is missing)",
      'runtimeMonitoring.ec2Agent: expected true or false, got "on"',
      'gatewayEndpoints.vpcId: expected a VPC id (vpc- and 8 or 17 hex digits), got "vpc-1"',
      'gatewayEndpoints.routeTableIds[0]: expected a route table id (rtb- and 8 or 17 hex digits), got "route-1"',
      "tags.Team: expected a string, got 1",
    ]);
    expect(children).to.deep.equal([]);
  });

  it("takes a retention CloudWatch Logs accepts (an integer like 100 previewed green and failed at deploy)", async () => {
    for (const days of [100, 89.5, "90"]) {
      const { error } = await attempt(
        () => new AccountBaseline("baseline", { ...minimal, trailLogRetentionDays: days } as never),
      );
      expect(error, String(days)).to.be.instanceOf(ArgsError);
      expect(error?.message, String(days)).to.include(`trailLogRetentionDays: expected one of 90, 120,`);
    }
    const run = await build({ trailLogRetentionDays: 365 });
    expect(inputsOf(one(run, "aws:cloudwatch/logGroup:LogGroup", "trail")).retentionInDays).to.equal(365);
  });
});

describe("components/alert-topics: EventBridge may encrypt for the topics", () => {
  it("scopes events.amazonaws.com by the SNS topic encryption context, never by aws:SourceAccount", async () => {
    const run = await record(
      () => new AlertTopics("alerts", { namePrefix: "huntaze", opsEmails: [], securityEmails: [], costEmails: [] }),
    );
    const doc = jsonInput(one(run, "aws:kms/key:Key"), "policy") as { Statement: Statement[] };
    const events = doc.Statement.filter((s) => JSON.stringify(s.Principal ?? {}).includes("events.amazonaws.com"));
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.equal(
      eventBridgeKeyStatement(
        ["ops", "security", "cost"].map((k) => `arn:aws:sns:us-east-1:${testAccount.accountId}:huntaze-${k}-alerts`),
      ),
    );
    expect(JSON.stringify(events[0])).not.to.include("aws:SourceAccount");
  });
});
