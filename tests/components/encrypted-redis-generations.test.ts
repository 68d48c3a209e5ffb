import { expect } from "chai";
import { describe, it } from "mocha";
import { authTokenChangeProblem, EncryptedRedis, type EncryptedRedisArgs } from "../../components/encrypted-redis";
import type { ProgramRun } from "../../tools/engine/recorder";
import { inputsOf, one, record } from "../support/pulumi-harness";

// Two things a single preview of a fresh stack cannot show: the final snapshot name of one
// generation of the group blocking the next, and a token change that revokes the old token at once.

const T = {
  group: "aws:elasticache/replicationGroup:ReplicationGroup",
  suffix: "random:index/randomId:RandomId",
};

function args(overrides: Partial<EncryptedRedisArgs> = {}): EncryptedRedisArgs {
  return {
    description: "Huntaze Redis with encryption",
    nodeType: "cache.t3.micro",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
    allowedSecurityGroupIds: ["sg-0a1b2c3d4e5f60011"],
    alarmTopicArn: "arn:aws:sns:us-east-1:317805897534:huntaze-production-ops-alerts",
    ...overrides,
  };
}

const run = (overrides: Partial<EncryptedRedisArgs> = {}): Promise<ProgramRun> =>
  record(() => {
    new EncryptedRedis("redis", args(overrides));
  });

const finalName = async (overrides: Partial<EncryptedRedisArgs> = {}) =>
  inputsOf(one(await run(overrides), T.group)).finalSnapshotIdentifier as string;

async function failureOf(overrides: Partial<EncryptedRedisArgs>): Promise<string> {
  try {
    await run(overrides);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the program to fail");
}

describe("EncryptedRedis across generations of the group", () => {
  it("names the final snapshot <prefix>-final-<8 hex>, the suffix kept by the inputs that replace the group", async () => {
    const r = await run({ finalSnapshotPrefix: "huntaze-staging-redis" });
    expect(inputsOf(one(r, T.group)).finalSnapshotIdentifier).to.match(/^huntaze-staging-redis-final-[0-9a-f]{8}$/);
    const suffix = inputsOf(one(r, T.suffix));
    expect(suffix.byteLength).to.equal(4);
    expect(Object.keys(suffix.keepers as object).sort()).to.deep.equal([
      "kmsKeyId",
      "port",
      "replicationGroupId",
      "subnetGroupName",
    ]);
  });

  it("gives a replacement group (new key, new id) another final snapshot name", async () => {
    const first = await finalName({ replicationGroupId: "huntaze-redis-encrypted" });
    const newKey = await finalName({
      replicationGroupId: "huntaze-redis-encrypted",
      kmsKeyArn: "arn:aws:kms:us-east-1:317805897534:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    });
    const newId = await finalName({ replicationGroupId: "huntaze-redis-encrypted-v2" });
    expect(first).to.match(/^huntaze-redis-encrypted-final-[0-9a-f]{8}$/);
    expect(newKey).to.match(/^huntaze-redis-encrypted-final-[0-9a-f]{8}$/);
    expect(new Set([first, newKey, newId]).size).to.equal(3);
  });

  it("keeps an exact finalSnapshotIdentifier when given, and refuses it with a prefix", async () => {
    expect(await finalName({ finalSnapshotIdentifier: "huntaze-redis-last" })).to.equal("huntaze-redis-last");
    expect(
      await failureOf({ finalSnapshotIdentifier: "huntaze-redis-last", finalSnapshotPrefix: "huntaze-redis" }),
    ).to.include(
      'finalSnapshotPrefix: expected no finalSnapshotPrefix when finalSnapshotIdentifier is given (the exact name or the prefix, not both), got "huntaze-redis"',
    );
    expect(await failureOf({ finalSnapshotPrefix: "huntaze--redis" })).to.include(
      'finalSnapshotPrefix: expected a letter, then letters, digits or single hyphens, at most 240 characters, got "huntaze--redis"',
    );
  });
});

describe("EncryptedRedis AUTH token changes", () => {
  const cases: [number | undefined, number, "SET" | "ROTATE", boolean][] = [
    [undefined, 1, "SET", true], // first deployment
    [1, 1, "SET", true], // nothing changes
    [1, 2, "ROTATE", true], // step 1
    [2, 2, "SET", true], // step 2
    [1, 2, "SET", false], // the outage
    [2, 1, "SET", false], // back to an older version is a new token too
  ];
  for (const [applied, version, strategy, ok] of cases) {
    it(`${ok ? "allows" : "refuses"} version ${applied ?? "none"} → ${version} with ${strategy}`, () => {
      expect(authTokenChangeProblem(applied, version, strategy) === undefined).to.equal(ok);
    });
  }

  it("fails the preview of a version bump with SET, explaining ROTATE then SET", async () => {
    const message = await failureOf({
      appliedAuthTokenVersion: 1,
      authTokenVersion: 2,
      authTokenUpdateStrategy: "SET",
    });
    expect(message).to.include('authTokenVersion changes from 1 to 2 with authTokenUpdateStrategy "SET"');
    expect(message).to.include('authTokenVersion 2 with authTokenUpdateStrategy "ROTATE"');
    expect(message).to.include('authTokenUpdateStrategy "SET" with the same version 2');
  });

  it("passes step 1 (ROTATE) and step 2 (SET, same version)", async () => {
    const step1 = await run({ appliedAuthTokenVersion: 1, authTokenVersion: 2, authTokenUpdateStrategy: "ROTATE" });
    expect(inputsOf(one(step1, T.group)).authTokenUpdateStrategy).to.equal("ROTATE");
    const step2 = await run({ appliedAuthTokenVersion: 2, authTokenVersion: 2, authTokenUpdateStrategy: "SET" });
    expect(inputsOf(one(step2, T.group)).authTokenUpdateStrategy).to.equal("SET");
  });

  it("writes the secret only after the group accepted the token", async () => {
    const r = await run();
    const version = one(r, "aws:secretsmanager/secretVersion:SecretVersion");
    expect(version.dependencies).to.include(one(r, T.group).urn);
  });
});
