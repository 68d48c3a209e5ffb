import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import {
  compareEntries,
  ecsClusterName,
  ecsServicePhysicalName,
  entryKey,
  type InventoryEntry,
  InventoryError,
  indexInventory,
  inventoryProblems,
  readInventory,
} from "../../lib/inventory";

const valid = {
  version: 1,
  stack: "production",
  accountId: "317805897534",
  region: "us-east-1",
  sources: [{ kind: "terraform", detail: "terraform.tfstate serial 42", readAt: "2026-12-07T00:00:00Z" }],
  resources: [
    {
      type: "aws:sqs/queue:Queue",
      physicalName: "huntaze-hybrid-workflows.fifo",
      importId: "https://sqs.us-east-1.amazonaws.com/317805897534/huntaze-hybrid-workflows.fifo",
      source: { kind: "terraform", address: "aws_sqs_queue.hybrid_workflows" },
      attributes: { fifoQueue: true },
    },
  ],
};

describe("the inventory format (lib/inventory.ts)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inventory-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it("reads a valid file and indexes it by type and physical name", () => {
    const inventory = readInventory(write("ok.json", JSON.stringify(valid)));
    const entry = indexInventory(inventory).get(entryKey("aws:sqs/queue:Queue", "huntaze-hybrid-workflows.fifo"));
    expect(entry?.importId).to.match(/\/huntaze-hybrid-workflows\.fifo$/);
  });

  it("reports every problem at once, naming the key and the value given", () => {
    const problems = inventoryProblems({ ...valid, version: 2, accountId: "31780589", region: "useast" });
    expect(problems).to.have.length(3);
    expect(problems[0]).to.equal("version must be 1, got 2");
    expect(problems[1]).to.equal('accountId must be 12 digits, got "31780589"');
    expect(problems[2]).to.contain('region must be an AWS region such as us-east-1, got "useast"');
  });

  it("refuses an entry carrying a secret attribute, without echoing its value", () => {
    const leaked = structuredClone(valid);
    (leaked.resources[0] as { attributes: Record<string, unknown> }).attributes.authToken = "s3cr3t-token-value";
    const problems = inventoryProblems(leaked);
    expect(problems).to.deep.equal([
      "resources[0].attributes.authToken is a secret and must never be written to an inventory",
    ]);
  });

  it("refuses an entry listed twice and one without an import id", () => {
    const twice = { ...valid, resources: [valid.resources[0], { ...valid.resources[0], importId: "" }] };
    expect(inventoryProblems(twice)).to.deep.equal([
      'resources[1].importId must be a non-empty string, got ""',
      "resources[1]: aws:sqs/queue:Queue huntaze-hybrid-workflows.fifo is listed twice",
    ]);
  });

  it("names the file of a truncated inventory", () => {
    const file = write("cut.json", JSON.stringify(valid).slice(0, 50));
    expect(() => readInventory(file)).to.throw(InventoryError, /cut\.json: is not JSON \(truncated\?\)/);
  });

  it("accepts a not-adoptable entry (adoptable: false) and refuses any other adoptable value", () => {
    const kept = {
      ...valid.resources[0],
      type: "aws_sqs_queue_redrive_allow_policy",
      terraformType: "aws_sqs_queue_redrive_allow_policy",
      adoptable: false,
    };
    expect(inventoryProblems({ ...valid, resources: [kept] })).to.deep.equal([]);
    expect(inventoryProblems({ ...valid, resources: [{ ...kept, adoptable: true }] })).to.deep.equal([
      "resources[0].adoptable must be false or absent (adoptable), got true",
    ]);
  });

  it("keys an ECS service by cluster NAME and service name, whatever form the cluster is given in", () => {
    expect(ecsClusterName("arn:aws:ecs:us-east-1:317805897534:cluster/huntaze-cluster")).to.equal("huntaze-cluster");
    expect(ecsClusterName("huntaze-cluster")).to.equal("huntaze-cluster");
    expect(
      ecsServicePhysicalName(ecsClusterName("arn:aws:ecs:us-east-1:317805897534:cluster/ai-team"), "ai-team-api"),
    ).to.equal("ai-team/ai-team-api");
  });

  it("orders entries by type, then physical name, independently of the locale", () => {
    const e = (type: string, physicalName: string) => ({ type, physicalName }) as InventoryEntry;
    const sorted = [
      e("aws:sqs/queue:Queue", "b"),
      e("aws:ecs/service:Service", "Z/x"),
      e("aws:sqs/queue:Queue", "B"),
      e("aws:ecs/service:Service", "a/x"),
    ].sort(compareEntries);
    expect(sorted.map((x) => `${x.type} ${x.physicalName}`)).to.deep.equal([
      "aws:ecs/service:Service Z/x",
      "aws:ecs/service:Service a/x",
      "aws:sqs/queue:Queue B",
      "aws:sqs/queue:Queue b",
    ]);
  });
});
