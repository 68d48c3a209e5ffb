import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import { HardenedBucket } from "../../components/hardened-bucket";
import { analyzerproto, analyzerrpc } from "../../lib/pulumi-internals";
import { typesRead } from "../../policy-pack/lib/inspect";
import { allPolicies } from "../../policy-pack/policies";
import { encodeAnalyzeRequest, encodeAnalyzeStackRequest } from "../../tools/engine/analyzer-wire";
import { launchPack } from "../../tools/engine/pack-process";
import { type AnalyzerSession, startAnalyzer } from "../../tools/engine/policy-client";
import type { RecordedResource } from "../../tools/engine/recorder";
import { repoRoot } from "../support/cli";
import { productionRecords } from "../support/production-records";
import { record } from "../support/pulumi-harness";
import { syntheticStack } from "../support/records";

// The pack's server runs each rule only on the resource types it reads (narrowPoliciesByType in
// lib/pulumi-internals.ts, installed by policy-pack/index.ts). Its answers must be byte for byte
// those of @pulumi/policy's own server running every rule on every call: the same rules served by
// a pack that does not narrow are asked the same requests here.

interface Pack {
  session: AnalyzerSession;
  client: grpc.Client;
}

function call<Res>(client: grpc.Client, method: "analyze" | "analyzeStack", request: unknown): Promise<Res> {
  return new Promise((resolve, reject) =>
    (client as unknown as Record<string, (r: unknown, cb: (e: Error | null, r: Res) => void) => void>)[method]!(
      request,
      (e, r) => (e ? reject(e) : resolve(r)),
    ),
  );
}

/** A reply as bytes, or the error's message (without the server's stack trace): what the engine would read. */
async function answer(client: grpc.Client, method: "analyze" | "analyzeStack", request: unknown): Promise<string> {
  try {
    const reply = await call<analyzerproto.AnalyzeResponse>(client, method, request);
    return Buffer.from(reply.serializeBinary()).toString("hex");
  } catch (e) {
    return `error: ${(e as Error).message.split(/\n\s+at /)[0]}`;
  }
}

async function start(packDir?: string): Promise<Pack> {
  const pack = launchPack(packDir);
  const session = await startAnalyzer({ pack, stack: "test", dryRun: true });
  const client = new analyzerrpc.AnalyzerClient(
    `127.0.0.1:${(await pack).port}`,
    grpc.credentials.createInsecure(),
  ) as unknown as grpc.Client;
  return { session, client };
}

describe("the pack's server runs each rule on the types it reads only (narrowPoliciesByType)", function () {
  this.timeout(180_000);
  const plainDir = path.join(repoRoot, ".build", `test-unnarrowed-pack-${process.pid}`);
  let narrowed: Pack;
  let plain: Pack;
  const stacks: Record<string, RecordedResource[]> = {};

  before(async () => {
    // The same rules, served without narrowing (a JavaScript pack: run as it is, not bundled).
    fs.mkdirSync(plainDir, { recursive: true });
    for (const f of ["package.json", "PulumiPolicy.yaml"])
      fs.copyFileSync(path.join(repoRoot, "policy-pack", f), path.join(plainDir, f));
    const from = (p: string) => JSON.stringify(path.join(repoRoot, p));
    narrowed = await start();
    fs.writeFileSync(
      path.join(plainDir, "index.js"),
      [
        `require(${from("tools/register.js")});`,
        'const { PolicyPack } = require("@pulumi/policy");',
        `require(${from("lib/pulumi-internals.ts")}).shareDeserializedProperties();`,
        `const { allPolicies } = require(${from("policy-pack/policies.ts")});`,
        `new PolicyPack(${JSON.stringify(narrowed.session.packName)}, { enforcementLevel: "advisory", policies: allPolicies });`,
      ].join("\n"),
    );
    plain = await start(plainDir);
    stacks.production = await productionRecords();
    stacks.synthetic = syntheticStack();
    // Buckets with their side resources, and other resources some of them non-compliant (as bench/preview.ts makes).
    stacks.generated = (
      await record(() => {
        for (let i = 0; i < 3; i++) {
          new HardenedBucket(`bucket-${i}`, { intelligentTieringAfterDays: 30 });
          new aws.s3.Bucket(`bare-${i}`);
          new aws.sqs.Queue(`queue-${i}`, { sqsManagedSseEnabled: i % 2 === 0 });
          new aws.kms.Key(`key-${i}`, { enableKeyRotation: i !== 0 });
          new aws.ec2.SecurityGroup(`sg-${i}`, {
            description: "test",
            ingress: [{ protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"] }],
          });
        }
      })
    ).resources;
  });

  after(async () => {
    for (const p of [narrowed, plain]) {
      p?.client.close();
      await p?.session.close();
    }
    fs.rmSync(plainDir, { recursive: true, force: true });
  });

  it("knows the types every rule of the pack reads", () => {
    const unknownReach = allPolicies.filter((p) => typesRead(p) === undefined).map((p) => p.name);
    expect(unknownReach).to.deep.equal([]);
  });

  for (const config of [{}, { all: "mandatory", "s3-bucket-public-access-block": "disabled" }]) {
    it(`answers every Analyze and AnalyzeStack call as the server running every rule (config ${JSON.stringify(config)})`, async () => {
      await narrowed.session.configure(config);
      await plain.session.configure(config);
      let compared = 0;
      for (const [name, resources] of Object.entries(stacks)) {
        const subjects = resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
        expect(subjects.length, name).to.be.greaterThan(10);
        for (const r of subjects) {
          const request = analyzerproto.AnalyzeRequest.deserializeBinary(encodeAnalyzeRequest(r));
          expect(await answer(narrowed.client, "analyze", request), `${name}: ${r.urn}`).to.equal(
            await answer(plain.client, "analyze", request),
          );
          compared++;
        }
        const stackRequest = analyzerproto.AnalyzeStackRequest.deserializeBinary(
          await encodeAnalyzeStackRequest(subjects),
        );
        const stackAnswer = await answer(narrowed.client, "analyzeStack", stackRequest);
        expect(stackAnswer, name).to.not.match(/^error/);
        expect(stackAnswer, name).to.equal(await answer(plain.client, "analyzeStack", stackRequest));
      }
      expect(compared).to.be.greaterThan(200);
    });
  }

  it("rejects a request without resource options as the server does", async () => {
    const r = (stacks.generated ?? []).find((x) => x.type === "aws:s3/bucket:Bucket") as RecordedResource;
    const request = analyzerproto.AnalyzeRequest.deserializeBinary(encodeAnalyzeRequest(r));
    request.clearOptions();
    const narrowedAnswer = await answer(narrowed.client, "analyze", request);
    expect(narrowedAnswer).to.match(/more recent version of the Pulumi CLI/);
    expect(narrowedAnswer).to.equal(await answer(plain.client, "analyze", request));
    const stackRequest = analyzerproto.AnalyzeStackRequest.deserializeBinary(await encodeAnalyzeStackRequest([r]));
    stackRequest.getResourcesList()[0]?.clearOptions();
    const stackAnswer = await answer(narrowed.client, "analyzeStack", stackRequest);
    expect(stackAnswer).to.match(/more recent version of the Pulumi CLI/);
    expect(stackAnswer).to.equal(await answer(plain.client, "analyzeStack", stackRequest));
  });
});
