// The audit in-process (runAudit, its own SDK clients from sdkClients, endpoint from
// AWS_ENDPOINT_URL) against moto, one seeded account per family, reset() between families.
//
// Where moto 5.2.6 cannot serve this SDK, the test says which API and why, and keeps the rest real:
// - ElastiCache DescribeUserGroups and DescribeServerlessCaches: not implemented in moto →
//   aws-sdk-client-mock answers those two commands only (every other ElastiCache call, including
//   DescribeUsers and DescribeReplicationGroups, goes to moto: `send.callThrough()`);
// - Security Hub GetEnabledStandards: not implemented in moto → aws-sdk-client-mock for that command;
// - CloudTrail: moto routes only the long X-Amz-Target form, the SDK sends "CloudTrail_20131101.<Op>"
//   → a middleware rewrites the header (the request, the response and the paginators stay real);
// - S3 Control: the SDK's endpoint rules put the account id in front of the host
//   (317805897534.127.0.0.1) → the client's endpointProvider answers moto's URL.

import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  CreateReplicationGroupCommand,
  CreateUserCommand,
  DescribeServerlessCachesCommand,
  DescribeUserGroupsCommand,
  ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand,
  S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { EnableSecurityHubCommand, GetEnabledStandardsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { type AuditClients, sdkClients } from "../../../tools/audit/collect";
import { runAudit } from "../../../tools/audit/main";
import { type RunningMoto, startMoto } from "../../../tools/moto/server";

const ACCOUNT = "317805897534";
const FSBP = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0";

interface Finding {
  metadata: { event_code: string };
  status_code: "PASS" | "FAIL";
  severity: string;
  status_detail: string;
  resources: { uid: string }[];
}
interface Verdict {
  exit_code: number;
  findings: Finding[];
  not_evaluated: { what: string }[];
}

/** S3 Control's endpoint rules prefix the account id to moto's host: answer moto's URL instead. */
function motoS3ControlEndpoint(client: S3ControlClient, moto: RunningMoto): void {
  (client.config as { endpointProvider: unknown }).endpointProvider = () => ({ url: new URL(moto.endpoint) });
}

/** The audit's own clients, with the two moto shims and the three mocked commands (see the header). */
function motoClients(moto: RunningMoto, userGroups: Record<string, string[]>) {
  return (credentials: Parameters<typeof sdkClients>[0]): AuditClients => {
    const real = sdkClients(credentials);
    const shimmed = new Set<unknown>();
    const once = <C extends { middlewareStack: CloudTrailClient["middlewareStack"] }>(
      client: C,
      shim: () => void,
    ): C => {
      if (!shimmed.has(client)) {
        shim();
        shimmed.add(client);
      }
      return client;
    };
    return {
      ...real,
      cloudtrail: (region) => {
        const client = real.cloudtrail(region);
        return once(client, () =>
          client.middlewareStack.add(
            (next) => async (args) => {
              const request = args.request as { headers: Record<string, string> };
              const target = request.headers["x-amz-target"];
              if (target?.startsWith("CloudTrail_20131101."))
                request.headers["x-amz-target"] = `com.amazonaws.cloudtrail.v20131101.${target}`;
              return next(args);
            },
            { step: "build", name: "motoCloudTrailTarget" },
          ),
        );
      },
      s3control: (region) => {
        const client = real.s3control(region);
        return once(client as unknown as CloudTrailClient, () =>
          motoS3ControlEndpoint(client, moto),
        ) as unknown as S3ControlClient;
      },
      elasticache: (region) => {
        const client = real.elasticache(region);
        return once(client as unknown as CloudTrailClient, () => {
          const m = mockClient(client);
          m.send.callThrough();
          m.on(DescribeUserGroupsCommand).resolves({
            UserGroups: Object.entries(userGroups).map(([UserGroupId, UserIds]) => ({
              UserGroupId,
              UserIds,
              Engine: "redis",
            })),
          });
          m.on(DescribeServerlessCachesCommand).resolves({ ServerlessCaches: [] });
        }) as unknown as ElastiCacheClient;
      },
      securityhub: (region) => {
        const client = real.securityhub(region);
        return once(client as unknown as CloudTrailClient, () => {
          const m = mockClient(client);
          m.send.callThrough();
          m.on(GetEnabledStandardsCommand).resolves({
            StandardsSubscriptions: [
              {
                StandardsSubscriptionArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:subscription/fsbp`,
                StandardsArn: FSBP,
                StandardsInput: {},
                StandardsStatus: "READY",
              },
            ],
          });
        }) as unknown as SecurityHubClient;
      },
    };
  };
}

describe("the audit against moto, in-process (families of a seeded account)", function () {
  this.timeout(60_000);
  let moto: RunningMoto;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    moto = await startMoto({ accountId: ACCOUNT });
    // The SDK's standard settings, as the CLI would have them: endpoint, credentials, region.
    for (const [k, v] of Object.entries(moto.env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    await moto?.stop();
  });

  async function audit(userGroups: Record<string, string[]> = {}): Promise<Verdict> {
    let stdout = "";
    const code = await runAudit(["--region", "us-east-1", "--json"], {
      env: moto.env,
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => {},
      clients: motoClients(moto, userGroups),
    });
    const verdict = JSON.parse(stdout) as Verdict;
    expect(verdict.exit_code).to.equal(code);
    return verdict;
  }
  const of = (v: Verdict, check: string) => v.findings.filter((f) => f.metadata.event_code === check);

  describe("ElastiCache RBAC: user groups judged by their users (DescribeUsers from moto)", () => {
    let verdict: Verdict;
    before(async () => {
      await moto.reset();
      const ec = new ElastiCacheClient(moto.clientConfig());
      // moto, like AWS, lists its built-in "default" user: on ~* +@all, no password.
      await ec.send(
        new CreateUserCommand({
          UserId: "app",
          UserName: "app",
          Engine: "redis",
          AccessString: "on ~app:* +@all",
          Passwords: ["a-long-enough-password-1"],
        }),
      );
      await ec.send(
        new CreateUserCommand({
          UserId: "huntaze-default-off",
          UserName: "default",
          Engine: "redis",
          AccessString: "off -@all",
          NoPasswordRequired: true,
        }),
      );
      for (const [id, group] of [
        ["rg-open", "open-users"],
        ["rg-closed", "closed-users"],
      ])
        await ec.send(
          new CreateReplicationGroupCommand({
            ReplicationGroupId: id,
            ReplicationGroupDescription: id,
            Engine: "redis",
            CacheNodeType: "cache.t3.micro",
            NumCacheClusters: 1,
            AtRestEncryptionEnabled: true,
            TransitEncryptionEnabled: true,
            TransitEncryptionMode: "required",
            UserGroupIds: [group as string],
          }),
        );
      verdict = await audit({ "open-users": ["default", "app"], "closed-users": ["huntaze-default-off", "app"] });
    });

    it("a group holding AWS's default user fails critical naming it; one whose default user is off passes", () => {
      const auth = of(verdict, "elasticache-auth");
      expect(auth.map((f) => [f.resources[0]!.uid.split(":").at(-1), f.status_code]).sort()).to.deep.equal([
        ["rg-closed", "PASS"],
        ["rg-open", "FAIL"],
      ]);
      const open = auth.find((f) => f.status_code === "FAIL")!;
      expect(open.severity).to.equal("Critical");
      expect(open.status_detail).to.equal(
        'user group open-users lets any client in without a password as "default" (on ~* +@all, no-password)',
      );
    });
  });

  describe("CloudTrail, Security Hub and the account's S3 block", () => {
    let verdict: Verdict;
    before(async () => {
      await moto.reset();
      await new S3Client(moto.clientConfig()).send(new CreateBucketCommand({ Bucket: "huntaze-trail-logs" }));
      const ct = new CloudTrailClient(moto.clientConfig());
      ct.middlewareStack.add(
        (next) => async (args) => {
          const request = args.request as { headers: Record<string, string> };
          request.headers["x-amz-target"] = `com.amazonaws.cloudtrail.v20131101.${request.headers["x-amz-target"]}`;
          return next(args);
        },
        { step: "build", name: "motoCloudTrailTarget" },
      );
      await ct.send(
        new CreateTrailCommand({
          Name: "huntaze-trail",
          S3BucketName: "huntaze-trail-logs",
          IsMultiRegionTrail: true,
          EnableLogFileValidation: true,
        }),
      );
      await ct.send(new CreateTrailCommand({ Name: "console-trail", S3BucketName: "huntaze-trail-logs" }));
      await ct.send(new StartLoggingCommand({ Name: "huntaze-trail" }));
      // AWS answers GetEventSelectors on a new trail with its default selector (all management
      // events); moto answers none, so the seed states AWS's default explicitly.
      await ct.send(
        new PutEventSelectorsCommand({
          TrailName: "huntaze-trail",
          EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true }],
        }),
      );
      await new SecurityHubClient(moto.clientConfig()).send(new EnableSecurityHubCommand({}));
      const control = new S3ControlClient(moto.clientConfig());
      motoS3ControlEndpoint(control, moto);
      await control.send(
        new PutAccountPublicAccessBlockCommand({
          AccountId: ACCOUNT,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        }),
      );
      verdict = await audit();
    });

    it("nothing is left unread", () => {
      expect(verdict.not_evaluated).to.deep.equal([]);
    });

    it("the logging multi-region trail covers the account; validation and KMS are judged on every trail", () => {
      const trail = (name: string) => `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;
      expect(
        of(verdict, "cloudtrail-multi-region-logging").map((f) => [f.resources[0]!.uid, f.status_code]),
      ).to.deep.equal([[trail("huntaze-trail"), "PASS"]]);
      expect(
        of(verdict, "cloudtrail-log-file-validation")
          .map((f) => [f.resources[0]!.uid, f.status_code])
          .sort(),
      ).to.deep.equal([
        [trail("console-trail"), "FAIL"],
        [trail("huntaze-trail"), "PASS"],
      ]);
      expect(of(verdict, "cloudtrail-kms-encryption").map((f) => f.status_code)).to.deep.equal(["FAIL", "FAIL"]);
    });

    it("Security Hub with FSBP READY and the account block with four settings pass", () => {
      expect(of(verdict, "securityhub-fsbp").map((f) => f.status_code)).to.deep.equal(["PASS"]);
      expect(of(verdict, "s3-account-public-access-block").map((f) => f.status_code)).to.deep.equal(["PASS"]);
    });
  });
});
