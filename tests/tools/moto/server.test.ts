import { CreateClusterCommand, ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { expect } from "chai";
import { type RunningMoto, startMoto } from "../../../tools/moto/server";

describe("moto in server mode (tools/moto/server.ts)", function () {
  this.timeout(60_000);
  let moto: RunningMoto;
  before(async () => {
    moto = await startMoto({ accountId: "317805897534" });
  });
  after(async () => moto?.stop());

  it("acts in the account it was started for, as STS tells the tools", async () => {
    const sts = new STSClient(moto.clientConfig());
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).to.equal("317805897534");
  });

  it("keeps what was created until reset empties it", async () => {
    const ecs = new ECSClient(moto.clientConfig());
    await ecs.send(new CreateClusterCommand({ clusterName: "ai-team" }));
    const listed = await ecs.send(new ListClustersCommand({}));
    expect(listed.clusterArns).to.deep.equal(["arn:aws:ecs:us-east-1:317805897534:cluster/ai-team"]);
    await moto.reset();
    const emptied = await ecs.send(new ListClustersCommand({}));
    expect(emptied.clusterArns).to.deep.equal([]);
  });

  it("stops for good: the endpoint no longer answers", async () => {
    const other = await startMoto();
    await other.stop();
    const answered = await fetch(`${other.endpoint}/moto-api/data.json`).then(
      () => true,
      () => false,
    );
    expect(answered).to.equal(false);
  });
});
