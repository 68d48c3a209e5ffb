import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import { AlertTopics } from "../../../components";
import {
  INVENTORY_FILE_ENV,
  type Inventory,
  type InventoryEntry,
  PHYSICAL_NAME,
  readInventory,
  SINGLETON_TYPES,
} from "../../../lib/inventory";
import { adoptExisting } from "../../../stacks/adoption";
import { parseStackConfig } from "../../../stacks/config";
import { allowReplaceFrom, importFile, planAdoption, terraformStateRm } from "../../../tools/engine/adoption-plan";
import type { RecordedResource } from "../../../tools/engine/recorder";
import { exitCodeFor, renderMarkdown, renderText, toJson } from "../../../tools/engine/render";
import { REPLACE_PROPERTIES } from "../../../tools/engine/replace-properties";
import { readStackFile } from "../../../tools/engine/stack-file";
import { type CliResult, repoRoot, runTool } from "../../support/cli";
import { inputsOf, one, record } from "../../support/pulumi-harness";

// Taking over what production runs (issue #18): the program adopts from the inventory through a stack
// transform the offline engine serves as the CLI does; the preview prints Pulumi's step per resource,
// fails on a stateful replacement or a create of a held name, lists what is left unmanaged, and
// writes the hand-over for the real CLI.

const FIXTURE = path.join(repoRoot, "tests", "fixtures", "inventory", "production.json");
const fixture = readInventory(FIXTURE);

const entry = (over: Partial<InventoryEntry> & Pick<InventoryEntry, "type" | "physicalName">): InventoryEntry => ({
  importId: over.physicalName,
  source: { kind: "live", api: "test" },
  attributes: {},
  ...over,
});

const inventoryOf = (stack: string, resources: InventoryEntry[]): Inventory => ({
  version: 1,
  stack,
  accountId: "317805897534",
  region: "us-east-1",
  sources: [],
  resources,
});

const recorded = (
  over: Partial<RecordedResource> & Pick<RecordedResource, "type" | "name" | "inputs">,
): RecordedResource => ({
  urn: `urn:pulumi:production::huntaze-hardening::huntaze:test:C$${over.type}::${over.name}`,
  parent: "urn:pulumi:production::huntaze-hardening::huntaze:test:C::c",
  custom: true,
  outputs: {},
  dependencies: [],
  propertyDependencies: {},
  options: { protect: false, ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [], aliases: [] },
  ...over,
});

describe("adoption: the stack transform, served by the offline engine", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adoption-"));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    delete process.env[INVENTORY_FILE_ENV];
  });

  it("gives a held resource import, protect and (stateful) retainOnDelete; others are untouched", async () => {
    const file = path.join(dir, "test.json");
    fs.writeFileSync(
      file,
      JSON.stringify(
        inventoryOf("test", [
          entry({ type: "aws:sqs/queue:Queue", physicalName: "held-queue", importId: "https://sqs/held-queue" }),
          entry({ type: "aws:sns/topic:Topic", physicalName: "held-topic", importId: "arn:aws:sns:x:held-topic" }),
          entry({ type: "aws:ecs/service:Service", physicalName: "c1/svc", importId: "c1/svc" }),
        ]),
      ),
    );
    process.env[INVENTORY_FILE_ENV] = file;
    const run = await record(() => {
      expect(adoptExisting("test")).to.not.equal(undefined);
      class Holder extends pulumi.ComponentResource {
        constructor() {
          super("huntaze:test:Holder", "holder", {}, {});
          new aws.sqs.Queue("held", { name: "held-queue" }, { parent: this });
          new aws.sqs.Queue("fresh", { name: "fresh-queue" }, { parent: this });
          new aws.sns.Topic("topic", { name: "held-topic" }, { parent: this });
          // A service is keyed "<cluster name>/<service>": its cluster input holds the cluster's ARN.
          const cluster = new aws.ecs.Cluster("c1", { name: "c1" }, { parent: this });
          new aws.ecs.Service("svc", { name: "svc", cluster: cluster.arn }, { parent: this });
        }
      }
      new Holder();
    });
    const held = one(run, "aws:sqs/queue:Queue", "held");
    expect(held.options).to.deep.include({ import: "https://sqs/held-queue", protect: true, retainOnDelete: true });
    expect(held.parent).to.match(/huntaze:test:Holder::holder$/);
    const fresh = one(run, "aws:sqs/queue:Queue", "fresh");
    expect(fresh.options.import).to.equal(undefined);
    expect(fresh.options.protect).to.equal(false);
    // SNS topics are not stateful: protected, but retainOnDelete is not set by the adoption.
    const topic = one(run, "aws:sns/topic:Topic", "topic");
    expect(topic.options).to.deep.include({ import: "arn:aws:sns:x:held-topic", protect: true });
    expect(topic.options.retainOnDelete).to.not.equal(true);
    expect(one(run, "aws:ecs/service:Service", "svc").options).to.deep.include({ import: "c1/svc", protect: true });
    expect(one(run, "aws:ecs/cluster:Cluster", "c1").options.import).to.equal(undefined);
  });

  it("refuses another stack's inventory, and adopts nothing when the env names none", async () => {
    const file = path.join(dir, "other.json");
    fs.writeFileSync(file, JSON.stringify(inventoryOf("production", [])));
    process.env[INVENTORY_FILE_ENV] = file;
    expect(() => adoptExisting("staging")).to.throw(/inventory of stack "production", not of "staging"/);
    process.env[INVENTORY_FILE_ENV] = "";
    expect(adoptExisting("staging")).to.equal(undefined);
  });
});

describe("transforms in Pulumi's order", () => {
  it("calls the resource's own transforms, then each ancestor's, then the stack's, and registers the result", async () => {
    const run = await record(() => {
      const mark =
        (who: string): pulumi.ResourceTransform =>
        (args) =>
          args.type === "aws:sqs/queue:Queue"
            ? {
                props: {
                  ...args.props,
                  tags: { ...(args.props.tags ?? {}), [`${Object.keys(args.props.tags ?? {}).length}`]: who },
                },
                opts: args.opts,
              }
            : undefined;
      pulumi.runtime.registerResourceTransform(mark("stack"));
      class Outer extends pulumi.ComponentResource {
        constructor(opts: pulumi.ComponentResourceOptions) {
          super("huntaze:test:Outer", "outer", {}, opts);
          class Inner extends pulumi.ComponentResource {
            constructor(parent: pulumi.Resource) {
              super("huntaze:test:Inner", "inner", {}, { parent, transforms: [mark("inner")] });
              new aws.sqs.Queue("q", { name: "ordered" }, { parent: this, transforms: [mark("own")] });
            }
          }
          new Inner(this);
        }
      }
      new Outer({ transforms: [mark("outer")] });
    });
    // Order of application: own (key 0), inner (1), outer (2), stack (3) — source_eval.go's order.
    expect(inputsOf(one(run, "aws:sqs/queue:Queue", "q")).tags).to.deep.equal({
      "0": "own",
      "1": "inner",
      "2": "outer",
      "3": "stack",
    });
  });
});

describe("name keys in the stacks' config", () => {
  const problems = (overrides: Record<string, string>): string[] => {
    const file = readStackFile("production");
    try {
      parseStackConfig({ ...file.config, ...overrides }, file.secretKeys);
      return [];
    } catch (e) {
      return (e as { problems: { key: string; allowed: string; got: string }[] }).problems.map(
        (p) => `${p.key}: ${p.allowed}, got ${p.got}`,
      );
    }
  };

  it("production carries the live names; staging the environment-suffixed defaults", () => {
    const production = parseStackConfig(readStackFile("production").config, readStackFile("production").secretKeys);
    expect(production.alerts.costTopicName).to.equal("huntaze-cost-alerts");
    expect(production.rateLimiter.dlqName).to.equal("huntaze-rate-limiter-queue-dlq");
    expect(production.finops.workflowQueue.queueName).to.equal("huntaze-hybrid-workflows");
    const staging = parseStackConfig(readStackFile("staging").config, readStackFile("staging").secretKeys);
    expect(staging.alerts.costTopicName).to.equal(undefined);
    expect(staging.rateLimiter.dlqName).to.equal(undefined);
    expect(staging.finops.workflowQueue.queueName).to.equal(undefined);
    expect(staging.adoption.allowReplace).to.deep.equal([]);
  });

  it("refuses malformed names with the key, what is allowed and the value", () => {
    const prod = readStackFile("production").config;
    const alerts = JSON.parse(prod["huntaze:alerts"] as string) as Record<string, unknown>;
    const finops = JSON.parse(prod["huntaze:finops"] as string) as Record<string, unknown>;
    expect(
      problems({
        "huntaze:alerts": JSON.stringify({ ...alerts, costTopicName: "bad name" }),
        "huntaze:finops": JSON.stringify({
          ...finops,
          accountBudgetName: "a:b",
          workflowQueue: { ...(finops.workflowQueue as object), queueName: "q.fifo" },
        }),
        "huntaze:adoption": JSON.stringify({ allowReplace: ["nope"] }),
      }),
    ).to.deep.equal([
      'huntaze:alerts.costTopicName: a standard topic name (1–256 letters, digits, "-" or "_"), got "bad name"',
      'huntaze:finops.accountBudgetName: a budget name (1–100 characters without ":", "\\" or "/action/"), got "a:b"',
      'huntaze:finops.workflowQueue.queueName: a FIFO queue name without ".fifo" (1–71 letters, digits, "-" or "_"), got "q.fifo"',
      'huntaze:adoption.allowReplace[0]: a resource: its URN, or "<type token> <physical name>", got "nope"',
    ]);
  });
});

describe("AlertTopics explicit topic names", () => {
  it("names the cost topic topicNames.cost and scopes the key's EventBridge statement to that name", async () => {
    const run = await record(() => {
      new AlertTopics("alerts", {
        namePrefix: "huntaze-production",
        opsEmails: [],
        securityEmails: [],
        costEmails: [],
        topicNames: { cost: "huntaze-cost-alerts" },
      });
    });
    expect(inputsOf(one(run, "aws:sns/topic:Topic", "alerts-cost")).name).to.equal("huntaze-cost-alerts");
    expect(inputsOf(one(run, "aws:sns/topic:Topic", "alerts-ops")).name).to.equal("huntaze-production-ops-alerts");
    expect(inputsOf(one(run, "aws:kms/key:Key")).policy as string).to.include(':huntaze-cost-alerts"');
  });
});

describe("adoption plan: Pulumi's step per resource", () => {
  const table = (inputs: Record<string, unknown>, importId?: string) =>
    recorded({
      type: "aws:dynamodb/table:Table",
      name: "costs",
      inputs: inputs as never,
      options: {
        protect: Boolean(importId),
        ignoreChanges: [],
        deleteBeforeReplace: false,
        additionalSecretOutputs: [],
        aliases: [],
        ...(importId ? { import: importId } : {}),
      },
    });
  const inv = inventoryOf("production", [
    entry({
      type: "aws:dynamodb/table:Table",
      physicalName: "costs-table",
      source: { kind: "terraform", address: "aws_dynamodb_table.costs" },
      attributes: { name: "costs-table", hashKey: "pk", billingMode: "PAY_PER_REQUEST" },
    }),
    entry({ type: "aws:sqs/queue:Queue", physicalName: "orphan" }),
  ]);

  it("import when the recorded attributes match; create for what the inventory does not hold", () => {
    const plan = planAdoption(
      [
        table({ name: "costs-table", hashKey: "pk", billingMode: "PAY_PER_REQUEST", extra: 1 }, "costs-table"),
        recorded({ type: "aws:sqs/queue:Queue", name: "new", inputs: { name: "brand-new" } }),
      ],
      inv,
      "inv.json",
    );
    const steps = [...plan.steps.values()];
    expect(steps.map((s) => s.op)).to.deep.equal(["import", "create"]);
    expect(steps[0]?.importId).to.equal("costs-table");
    expect(plan.findings).to.deep.equal([]);
    expect(plan.unmanaged.map((e) => e.physicalName)).to.deep.equal(["orphan"]);
  });

  it("update, with the diff of keys both sides know, when an updatable input differs", () => {
    const plan = planAdoption(
      [table({ name: "costs-table", hashKey: "pk", billingMode: "PROVISIONED" }, "costs-table")],
      inv,
      "inv.json",
    );
    const step = [...plan.steps.values()][0];
    expect(step?.op).to.equal("update");
    expect(step?.diffs).to.deep.equal([
      { key: "billingMode", program: "PROVISIONED", recorded: "PAY_PER_REQUEST", forcesReplacement: false },
    ]);
  });

  it("replace of an adopted stateful resource is an error naming the resource and the property", () => {
    const plan = planAdoption([table({ name: "costs-table", hashKey: "id" }, "costs-table")], inv, "inv.json");
    expect([...plan.steps.values()][0]?.op).to.equal("replace");
    expect(plan.findings).to.have.length(1);
    expect(plan.findings[0]?.kind).to.equal("replace-stateful");
    expect(plan.findings[0]?.message).to.include('"costs-table"').and.include("hashKey cannot be changed in place");
  });

  it("a replacement the stack's config allows (type and name, or URN) is not an error", () => {
    const resource = table({ name: "costs-table", hashKey: "id" }, "costs-table");
    for (const allow of ["aws:dynamodb/table:Table costs-table", resource.urn]) {
      const plan = planAdoption([resource], inv, "inv.json", [allow]);
      expect([...plan.steps.values()][0]?.op).to.equal("replace");
      expect(plan.findings).to.deep.equal([]);
    }
  });

  it("reads <namespace>:adoption.allowReplace, refusing a malformed entry with the key and the value", () => {
    expect(
      allowReplaceFrom(
        { "huntaze:adoption": JSON.stringify({ allowReplace: ["aws:dynamodb/table:Table t"] }) },
        "huntaze:adoption",
      ),
    ).to.deep.equal(["aws:dynamodb/table:Table t"]);
    expect(allowReplaceFrom({}, "huntaze:adoption")).to.deep.equal([]);
    // The key is the program's, passed in: another namespace's key is not read.
    expect(
      allowReplaceFrom({ "huntaze:adoption": JSON.stringify({ allowReplace: ["costs-table"] }) }, "acme:adoption"),
    ).to.deep.equal([]);
    expect(() =>
      allowReplaceFrom({ "acme:adoption": JSON.stringify({ allowReplace: ["costs-table"] }) }, "acme:adoption"),
    ).to.throw(/acme:adoption\.allowReplace\[0\].*costs-table/s);
    expect(() =>
      allowReplaceFrom({ "huntaze:adoption": JSON.stringify({ allowReplac: [] }) }, "huntaze:adoption"),
    ).to.throw(/allowReplac/);
  });

  it("a create of a name the inventory holds is an error naming the inventory entry", () => {
    const plan = planAdoption([table({ name: "costs-table", hashKey: "pk" })], inv, "inv.json");
    expect([...plan.steps.values()][0]?.op).to.equal("create");
    expect(plan.findings[0]?.kind).to.equal("create-held-name");
    expect(plan.findings[0]?.message).to.include(
      "inventory entry aws:dynamodb/table:Table costs-table, import id costs-table, from Terraform aws_dynamodb_table.costs",
    );
  });

  it("writes Pulumi's bulk import file with the component parents, and the terraform state rm list", () => {
    const resources = [
      recorded({ type: "pulumi:pulumi:Stack", name: "huntaze-hardening-production", custom: false, inputs: {} }),
      recorded({
        type: "huntaze:test:C",
        name: "c",
        custom: false,
        inputs: {},
        urn: "urn:pulumi:production::huntaze-hardening::huntaze:test:C::c",
        parent: "urn:pulumi:production::huntaze-hardening::pulumi:pulumi:Stack::huntaze-hardening-production",
      }),
      table({ name: "costs-table", hashKey: "pk" }, "costs-table"),
    ];
    resources[0] = { ...resources[0], urn: resources[1]?.parent as string, parent: undefined } as RecordedResource;
    const plan = planAdoption(resources, inv, "inv.json");
    expect(importFile(resources, plan)).to.deep.equal({
      nameTable: { c: "urn:pulumi:production::huntaze-hardening::huntaze:test:C::c" },
      resources: [
        { type: "huntaze:test:C", name: "c", component: true },
        { type: "aws:dynamodb/table:Table", name: "costs", id: "costs-table", parent: "c" },
      ],
    });
    expect(terraformStateRm(plan)).to.deep.equal(["terraform state rm 'aws_dynamodb_table.costs'"]);
  });

  it("renders the steps, the errors and what is left unmanaged in text, JSON and Markdown; errors exit 1", () => {
    const resources = [
      table({ name: "costs-table", hashKey: "id", billingMode: "PROVISIONED" }, "costs-table"),
      recorded({ type: "aws:sqs/queue:Queue", name: "q", inputs: { name: "fresh" } }),
    ];
    const adoption = planAdoption(resources, inv, "inv.json");
    const report = {
      title: "t",
      stack: "production",
      policyPack: { name: "p", version: "1" },
      resources,
      violations: [],
      outputs: {},
      adoption,
    };
    const text = renderText(report);
    expect(text).to.match(/\+- aws:dynamodb\/table:Table +costs {2}\(import costs-table\)/);
    expect(text).to.include("+- hashKey: pk => id  (forces replacement)");
    expect(text).to.include("~ billingMode: PAY_PER_REQUEST => PROVISIONED");
    expect(text).to.match(/\+ aws:sqs\/queue:Queue +q/);
    expect(text).to.include("Left unmanaged (1:").and.include("aws:sqs/queue:Queue orphan (live, test)");
    expect(text).to.include("terraform state rm 'aws_dynamodb_table.costs'");
    const json = toJson(report);
    expect(json.resources.map((r) => [r.op, r.importId])).to.deep.equal([
      ["replace", "costs-table"],
      ["create", undefined],
    ]);
    expect(json.adoption?.unmanaged.map((e) => e.physicalName)).to.deep.equal(["orphan"]);
    const md = renderMarkdown(report);
    expect(md).to.include("❌ blocked by 1 adoption error").and.include("**Left unmanaged** (1:");
    expect(md.indexOf("**Left unmanaged**")).to.be.below(md.indexOf("### Resources"));
    expect(exitCodeFor([], adoption.findings.length)).to.equal(1);
    expect(exitCodeFor([], 0)).to.equal(0);
  });

  it("has a replace-properties row for every type an inventory can adopt", () => {
    for (const type of [...Object.keys(PHYSICAL_NAME), ...SINGLETON_TYPES])
      expect(REPLACE_PROPERTIES, type).to.have.property(type);
  });
});

describe("npm run preview with the production inventory", function () {
  this.timeout(180_000);
  let dir: string;
  let json: CliResult;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "adoption-cli-"));
    json = await runTool("preview.ts", [
      "--stack",
      "production",
      "--inventory",
      FIXTURE,
      "--json",
      "--quiet",
      "--import-file",
      path.join(dir, "import.json"),
    ]);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  type JsonResource = { urn: string; type: string; name: string; op: string; importId?: string; diff?: unknown[] };

  it("imports every held resource with its import id, creates none of them, lists the rest as unmanaged", () => {
    expect(json.code, json.stderr).to.equal(0);
    const report = JSON.parse(json.stdout) as {
      resources: JsonResource[];
      adoption: { findings: unknown[]; unmanaged: { physicalName: string }[]; terraformStateRm: string[] };
    };
    const byImportId = new Map(report.resources.filter((r) => r.importId).map((r) => [r.importId, r]));
    const held = fixture.resources.filter((e) => e.physicalName !== "huntaze-legacy-redis-cpu");
    for (const e of held) {
      const r = byImportId.get(e.importId);
      expect(r, `${e.type} ${e.physicalName}`).to.not.equal(undefined);
      expect(r?.type).to.equal(e.type);
      expect(["import", "update"]).to.include(r?.op);
    }
    // The Terraform DLQ kept messages 4 days; the program wants 14: an import followed by an update.
    const dlq = byImportId.get(
      "https://sqs.us-east-1.amazonaws.com/317805897534/huntaze-rate-limiter-queue-dlq",
    ) as JsonResource;
    expect(dlq.op).to.equal("update");
    expect(dlq.diff).to.deep.equal([
      { key: "messageRetentionSeconds", program: 1209600, recorded: 345600, forcesReplacement: false },
    ]);
    expect(report.resources.filter((r) => r.op === "import" || r.op === "update")).to.have.length(held.length);
    expect(report.adoption.findings).to.deep.equal([]);
    expect(report.adoption.unmanaged.map((e) => e.physicalName)).to.deep.equal(["huntaze-legacy-redis-cpu"]);
    expect(report.adoption.terraformStateRm).to.have.length(8);
    // Production claims the live names, none created beside them.
    const names = report.resources.map((r) => r.name);
    expect(names).to.include("workflows-queue");
    for (const r of report.resources) expect(r.op).to.be.oneOf(["create", "import", "update"]);
  });

  it("writes the import file (every adopted resource, parents in the nameTable) and the state rm list", () => {
    const file = JSON.parse(fs.readFileSync(path.join(dir, "import.json"), "utf8")) as {
      nameTable: Record<string, string>;
      resources: { type: string; name: string; id?: string; parent?: string; component?: boolean }[];
    };
    const imported = file.resources.filter((r) => !r.component);
    expect(imported).to.have.length(fixture.resources.length - 1);
    for (const r of file.resources) if (r.parent) expect(file.nameTable).to.have.property(r.parent);
    expect(imported.find((r) => r.type === "aws:rds/instance:Instance")).to.deep.equal({
      type: "aws:rds/instance:Instance",
      name: "database",
      id: "huntaze-postgres-production",
      parent: "database",
    });
    const rm = fs.readFileSync(path.join(dir, "import.terraform-state-rm.txt"), "utf8");
    expect(rm).to.include("terraform state rm 'aws_sqs_queue.rate_limiter_dlq'");
    expect(rm).to.not.include("aws_ecs"); // console-made: nothing for Terraform to forget
  });

  it("fails (exit 1) when the program would replace an adopted table, naming it and the property", async () => {
    const changed = {
      ...fixture,
      resources: fixture.resources.map((e) =>
        e.physicalName === "huntaze-ai-costs-production" ? { ...e, attributes: { ...e.attributes, hashKey: "id" } } : e,
      ),
    };
    const file = path.join(dir, "replace.json");
    fs.writeFileSync(file, JSON.stringify(changed));
    const result = await runTool("preview.ts", ["--stack", "production", "--inventory", file, "--quiet"]);
    expect(result.code, result.stderr).to.equal(1);
    expect(result.stdout)
      .to.include("+- aws:dynamodb/table:Table")
      .and.include("hashKey: id => pk  (forces replacement)");
    expect(result.stdout).to.include(
      '[replace-stateful] urn:pulumi:production::huntaze-hardening::huntaze:finops:CostTracking$aws:dynamodb/table:Table::cost-tracking-costs would REPLACE the adopted aws:dynamodb/table:Table "huntaze-ai-costs-production"',
    );
  });

  it("keeps staging's names and the account preview clean", async () => {
    const all = await runTool("preview.ts", ["--all", "--json", "--quiet"]);
    expect(all.code, all.stderr).to.equal(0);
    const report = JSON.parse(all.stdout) as {
      stacks: { stack: string; preview: { resources: { type: string; inputs: { name?: string } }[] } }[];
      account: { findings: unknown[] };
    };
    expect(report.account.findings).to.deep.equal([]);
    const queues = (stack: string) =>
      report.stacks
        .find((s) => s.stack === stack)
        ?.preview.resources.filter((r) => r.type === "aws:sqs/queue:Queue" || r.type === "aws:sns/topic:Topic")
        .map((r) => r.inputs.name)
        .sort();
    expect(queues("staging")).to.deep.equal([
      "huntaze-hybrid-workflows-staging-dlq.fifo",
      "huntaze-hybrid-workflows-staging.fifo",
      "huntaze-staging-cost-alerts",
      "huntaze-staging-ops-alerts",
      "huntaze-staging-rate-limiter-dlq",
      "huntaze-staging-rate-limiter-queue",
      "huntaze-staging-security-alerts",
    ]);
    expect(queues("production")).to.deep.equal([
      "huntaze-cost-alerts",
      "huntaze-hybrid-workflows-dlq.fifo",
      "huntaze-hybrid-workflows.fifo",
      "huntaze-production-ops-alerts",
      "huntaze-production-security-alerts",
      "huntaze-rate-limiter-queue",
      "huntaze-rate-limiter-queue-dlq",
    ]);
  });
});
