import { expect } from "chai";
import { describe, it } from "mocha";
import { parseStackConfig } from "../../stacks/config";
import { buildStack } from "../../stacks/program";
import { AUTH_TOKEN_VERSION_OUTPUT } from "../../stacks/redis-rotation";
import { OfflineMocks } from "../../tools/engine/mocks";
import { type ProgramRun, runProgram } from "../../tools/engine/recorder";
import { readStackFile } from "../../tools/engine/stack-file";
import { inputsOf, ofType, testAccount } from "../support/pulumi-harness";

// Staging and production share one account and region: what each stack names must not collide,
// and a deployed stack's previous outputs decide whether an AUTH token change is safe.

function build(stack: string, edit: (c: Record<string, string>) => void = () => {}, previousOutputs = {}) {
  const { config, secretKeys } = readStackFile(stack);
  edit(config);
  return runProgram(async () => buildStack(parseStackConfig(config, secretKeys)), {
    project: "huntaze-hardening",
    stack,
    mocks: new OfflineMocks({ ...testAccount, previousOutputs }),
    config,
    secretKeys,
    preview: true,
  });
}

const names = (run: ProgramRun, type: string, key: string) =>
  ofType(run, type)
    .map((r) => inputsOf(r)[key])
    .filter((n): n is string => typeof n === "string");

describe("one account, two stacks", function () {
  this.timeout(60_000);

  it("names each stack's alert topics after its environment (production's cost topic: Terraform's live name)", async () => {
    // One program at a time: the Pulumi runtime state is per process.
    const production = await build("production");
    const staging = await build("staging");
    const topic = "aws:sns/topic:Topic";
    expect(names(production, topic, "name").sort()).to.deep.equal([
      // Seed 003's Terraform-made topic, adopted (Pulumi.production.yaml huntaze:alerts.costTopicName).
      "huntaze-cost-alerts",
      "huntaze-production-ops-alerts",
      "huntaze-production-security-alerts",
    ]);
    expect(names(staging, topic, "name").sort()).to.deep.equal([
      "huntaze-staging-cost-alerts",
      "huntaze-staging-ops-alerts",
      "huntaze-staging-security-alerts",
    ]);
    const group = "aws:elasticache/replicationGroup:ReplicationGroup";
    expect(names(production, group, "finalSnapshotIdentifier")[0]).to.match(/^huntaze-redis-encrypted-final-/);
    expect(names(staging, group, "finalSnapshotIdentifier")[0]).to.match(/^huntaze-staging-redis-final-/);
    expect(production.outputs[AUTH_TOKEN_VERSION_OUTPUT]).to.equal(1);
  });

  it("refuses a token version bump with SET against the version the last deployment applied", async () => {
    const bump = (strategy: string) => (c: Record<string, string>) => {
      const redis = JSON.parse(c["huntaze:redis"] ?? "{}") as Record<string, unknown>;
      c["huntaze:redis"] = JSON.stringify({ ...redis, authTokenVersion: 2, authTokenUpdateStrategy: strategy });
    };
    const deployed = { [AUTH_TOKEN_VERSION_OUTPUT]: 1 };
    let message = "";
    await build("staging", bump("SET"), deployed).catch((e: Error) => {
      message = e.message;
    });
    expect(message).to.include('authTokenVersion changes from 1 to 2 with authTokenUpdateStrategy "SET"');
    const rotate = await build("staging", bump("ROTATE"), deployed);
    expect(rotate.outputs[AUTH_TOKEN_VERSION_OUTPUT]).to.equal(2);
    // A stack never deployed has nothing to revoke: its first token is SET.
    await build("staging", bump("SET"));
  });
});
