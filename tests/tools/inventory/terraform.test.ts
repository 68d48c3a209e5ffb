import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { entryKey, type InventoryEntry, InventoryError, readInventory } from "../../../lib/inventory";
import { mergeEntries, runInventory } from "../../../tools/inventory/main";
import type { Block, Fields } from "../../../tools/inventory/shape";
import { camelCase } from "../../../tools/inventory/shape";
import { parseTerraformState } from "../../../tools/inventory/terraform";
import { TERRAFORM_TYPES } from "../../../tools/inventory/types";
import { repoRoot } from "../../support/cli";

const FIXTURES = path.join(repoRoot, "tests/fixtures/terraform");
const RAW = path.join(FIXTURES, "production-hardening.tfstate");
const SHOW = path.join(FIXTURES, "production-hardening.show.json");
const ACCOUNT = "317805897534";
const read = (file: string) => parseTerraformState(path.basename(file), fs.readFileSync(file, "utf8"));
const byName = (entries: readonly InventoryEntry[]) =>
  new Map(entries.map((e) => [entryKey(e.type, e.physicalName), e]));

// --- What @pulumi/aws 7 declares: each resource's *Args and the nested input types -------------
const PULUMI_AWS = path.join(repoRoot, "node_modules/@pulumi/aws");
const INPUTS = fs.readFileSync(path.join(PULUMI_AWS, "types/input.d.ts"), "utf8");

/** Property name → declared type text of `interface NAME {` in input.d.ts, searched from `from` (its namespace). */
function properties(name: string, from: number): Map<string, string> {
  const start = INPUTS.indexOf(`    interface ${name} {`, from);
  expect(start, `interface ${name}`).to.be.greaterThan(-1);
  const body = INPUTS.slice(start, INPUTS.indexOf("\n    }", start));
  return new Map([...body.matchAll(/^ {8}(\w+)\??: (.+);$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** The Args properties of a Pulumi type token, e.g. aws:sqs/queue:Queue → sqs/queue.d.ts QueueArgs. */
function argsOf(token: string): Map<string, string> {
  const [, module, resource] = /^aws:([\w]+)\/(\w+):(\w+)$/.exec(token) ?? [];
  const text = fs.readFileSync(path.join(PULUMI_AWS, module!, `${resource}.d.ts`), "utf8");
  const start = text.indexOf(`export interface ${token.split(":")[2]}Args {`);
  expect(start, `${token}Args`).to.be.greaterThan(-1);
  const body = text.slice(start, text.indexOf("\n}", start));
  const props = new Map<string, string>();
  // A map is declared over several lines (`tags?: pulumi.Input<{`): the first line is enough.
  for (const m of body.matchAll(/^ {4}(?:readonly )?(\w+)\??: (.+?);?$/gm)) props.set(m[1]!, m[2]!);
  return props;
}

/** Checks every name a Fields table produces against the declared properties, nested blocks included. */
function checkNames(fields: Fields, declared: Map<string, string>, where: string, problems: string[]): void {
  for (const [tfName, field] of Object.entries(fields)) {
    const name =
      typeof field === "string"
        ? field
        : field === true
          ? camelCase(tfName)
          : ((field as Block).name ?? camelCase(tfName));
    const type = declared.get(name);
    if (type === undefined) {
      problems.push(`${where}.${name} (from ${tfName}) is not declared`);
      continue;
    }
    if (typeof field !== "object") continue;
    const nested = /inputs\.(\w+)\.(\w+)/.exec(type);
    if (!nested) {
      problems.push(`${where}.${name} is a block but declared as ${type}`);
      continue;
    }
    const block = field as Block;
    // A max-1 block is an object (Input<inputs.x.Y>), a repeated one a list (Input<inputs.x.Y>[]).
    const isList = type.includes("[]");
    if (Boolean(block.one) === isList)
      problems.push(`${where}.${name}: one=${Boolean(block.one)} but declared ${type}`);
    const ns = INPUTS.indexOf(`export declare namespace ${nested[1]} {`);
    checkNames(block.fields, properties(nested[2]!, ns), `${where}.${name}`, problems);
  }
}

describe("Terraform state → inventory entries (tools/inventory/terraform.ts)", () => {
  it("maps every managed aws_* resource of seed 003's module, and skips data sources", () => {
    const { entries, accounts, regions, detail } = read(RAW);
    expect(detail).to.match(/terraform state v4 \(terraform 1\.6\.6, serial 14/);
    expect(entries.map((e) => e.source)).to.deep.equal([
      { kind: "terraform", address: "aws_budgets_budget.monthly" },
      { kind: "terraform", address: "aws_dynamodb_table.ai_costs" },
      { kind: "terraform", address: "aws_dynamodb_table.cost_alerts" },
      { kind: "terraform", address: "aws_sns_topic.cost_alerts" },
      { kind: "terraform", address: "aws_sns_topic_subscription.cost_alerts_email" },
      { kind: "terraform", address: "aws_sns_topic_subscription.cost_alerts_slack" },
      { kind: "terraform", address: "aws_sqs_queue.hybrid_workflows" },
      { kind: "terraform", address: "aws_sqs_queue.hybrid_workflows_dlq" },
      { kind: "terraform", address: "aws_sqs_queue.rate_limiter" },
      { kind: "terraform", address: "aws_sqs_queue.rate_limiter_dlq" },
    ]);
    expect([...accounts]).to.deep.equal([ACCOUNT]);
    expect([...regions]).to.deep.equal(["us-east-1"]);
  });

  it("gives each the id Pulumi's import takes, not Terraform's id where they differ", () => {
    const map = byName(read(RAW).entries);
    const id = (type: string, name: string) => map.get(entryKey(type, name))?.importId;
    expect(id("aws:sqs/queue:Queue", "huntaze-hybrid-workflows.fifo")).to.equal(
      `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/huntaze-hybrid-workflows.fifo`,
    );
    expect(id("aws:dynamodb/table:Table", "huntaze-ai-costs-production")).to.equal("huntaze-ai-costs-production");
    expect(id("aws:sns/topic:Topic", "huntaze-cost-alerts")).to.equal(
      `arn:aws:sns:us-east-1:${ACCOUNT}:huntaze-cost-alerts`,
    );
    expect(id("aws:budgets/budget:Budget", "huntaze-monthly-budget")).to.equal(`${ACCOUNT}:huntaze-monthly-budget`);
    // A trail: Terraform (provider 5) keeps the name as id; Pulumi imports by ARN.
    const trail = parseTerraformState(
      "t.json",
      stateText([
        resource("aws_cloudtrail", "main", {
          id: "org-trail",
          name: "org-trail",
          arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-trail`,
        }),
      ]),
    ).entries[0]!;
    expect(trail.importId).to.equal(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-trail`);
    // An ECS service: cluster/service with the cluster's name (Terraform's `cluster` is its ARN).
    const service = parseTerraformState(
      "s.json",
      stateText([
        resource("aws_ecs_service", "app", {
          id: `arn:aws:ecs:us-east-1:${ACCOUNT}:service/huntaze-cluster/huntaze-app`,
          name: "huntaze-app",
          cluster: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/huntaze-cluster`,
          network_configuration: [{ subnets: ["subnet-1"], security_groups: ["sg-1"], assign_public_ip: false }],
        }),
      ]),
    ).entries[0]!;
    expect([service.physicalName, service.importId]).to.deep.equal([
      "huntaze-cluster/huntaze-app",
      "huntaze-cluster/huntaze-app",
    ]);
    expect(service.attributes.networkConfiguration).to.deep.equal({
      subnets: ["subnet-1"],
      securityGroups: ["sg-1"],
      assignPublicIp: false,
    });
  });

  it("converts attributes to the Pulumi input names and shapes: blocks of one → objects, repeated blocks → plural lists, JSON stays a string", () => {
    const map = byName(read(RAW).entries);
    const table = map.get(entryKey("aws:dynamodb/table:Table", "huntaze-cost-alerts-production"))!;
    expect(table.attributes).to.deep.include({
      hashKey: "pk",
      rangeKey: "sk",
      billingMode: "PAY_PER_REQUEST",
      attributes: [
        { name: "pk", type: "S" },
        { name: "sk", type: "S" },
      ],
      ttl: { attributeName: "ttl", enabled: true },
      pointInTimeRecovery: { enabled: true },
    });
    expect(table.attributes.serverSideEncryption).to.deep.equal({
      enabled: true,
      kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/6f1c2b9e-3a4d-4e8f-9b2a-7c5d1e0f8a34`,
    });
    // Empty blocks, "" and null are "not recorded"; computed-only attributes are left out.
    expect(table.attributes).to.not.have.any.keys(
      "globalSecondaryIndexes",
      "streamViewType",
      "streamArn",
      "arn",
      "id",
      "tagsAll",
    );
    const queue = map.get(entryKey("aws:sqs/queue:Queue", "huntaze-rate-limiter-queue"))!;
    expect(queue.attributes).to.include({ visibilityTimeoutSeconds: 90, receiveWaitTimeSeconds: 20, fifoQueue: false });
    expect(queue.attributes.redrivePolicy).to.be.a("string");
    expect(JSON.parse(String(queue.attributes.redrivePolicy))).to.deep.equal({
      deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:huntaze-rate-limiter-queue-dlq`,
      maxReceiveCount: 5,
    });
    expect(queue.attributes.tags).to.deep.equal({
      Environment: "production",
      ManagedBy: "terraform",
      Project: "huntaze",
      Stack: "production-hardening",
    });
    const budget = map.get(entryKey("aws:budgets/budget:Budget", "huntaze-monthly-budget"))!;
    expect(budget.attributes.notifications).to.deep.equal(
      [
        ["FORECASTED", 80],
        ["ACTUAL", 100],
      ].map(([notificationType, threshold]) => ({
        comparisonOperator: "GREATER_THAN",
        notificationType,
        threshold,
        thresholdType: "PERCENTAGE",
        subscriberEmailAddresses: [],
        subscriberSnsTopicArns: [`arn:aws:sns:us-east-1:${ACCOUNT}:huntaze-cost-alerts`],
      })),
    );
    expect(budget.attributes.costTypes).to.include({ includeTax: true, useBlended: false });
    const topic = map.get(entryKey("aws:sns/topic:Topic", "huntaze-cost-alerts"))!;
    expect(JSON.parse(String(topic.attributes.policy)).Statement[1].Principal).to.deep.equal({
      Service: "budgets.amazonaws.com",
    });
  });

  it("never carries a webhook URL or a secret attribute", () => {
    const slack = read(RAW).entries.find(
      (e) => e.source.kind === "terraform" && e.source.address.endsWith("cost_alerts_slack"),
    )!;
    expect(slack.attributes).to.include({ protocol: "https" }).and.not.have.property("endpoint");
    expect(JSON.stringify(read(RAW).entries)).to.not.include("hooks.slack.com");
    const email = read(RAW).entries.find(
      (e) => e.source.kind === "terraform" && e.source.address.endsWith("cost_alerts_email"),
    )!;
    expect(email.attributes.endpoint).to.equal("finops@huntaze.com");
    const db = parseTerraformState(
      "db.json",
      stateText([
        resource("aws_db_instance", "pg", {
          id: "db-ABC",
          identifier: "huntaze-postgres-production",
          password: "hunter2hunter2",
          engine: "postgres",
        }),
      ]),
    ).entries[0]!;
    const redis = parseTerraformState(
      "r.json",
      stateText([
        resource("aws_elasticache_replication_group", "r", {
          id: "huntaze-redis-encrypted",
          replication_group_id: "huntaze-redis-encrypted",
          auth_token: "tok-0123456789abcdef",
        }),
      ]),
    ).entries[0]!;
    expect(JSON.stringify([db, redis]))
      .to.not.include("hunter2")
      .and.not.include("tok-0123");
    expect(db.importId).to.equal("huntaze-postgres-production");
  });

  it("drops what the state marks sensitive (raw sensitive_attributes, show -json sensitive_values)", () => {
    const sub = resource("aws_sns_topic_subscription", "s", {
      id: `arn:aws:sns:us-east-1:${ACCOUNT}:t:1`,
      arn: `arn:aws:sns:us-east-1:${ACCOUNT}:t:1`,
      protocol: "email",
      endpoint: "private@example.com",
      topic_arn: `arn:aws:sns:us-east-1:${ACCOUNT}:t`,
    });
    (sub.instances[0] as Record<string, unknown>).sensitive_attributes = [[{ type: "get_attr", value: "endpoint" }]];
    const raw = parseTerraformState("raw.json", stateText([sub])).entries[0]!;
    expect(raw.attributes).to.include({ protocol: "email" }).and.not.have.property("endpoint");
    const show = {
      format_version: "1.0",
      values: {
        root_module: {
          resources: [
            {
              address: "aws_sns_topic_subscription.s",
              mode: "managed",
              type: "aws_sns_topic_subscription",
              name: "s",
              values: sub.instances[0]!.attributes,
              sensitive_values: { endpoint: true },
            },
          ],
        },
      },
    };
    const shown = parseTerraformState("show.json", JSON.stringify(show)).entries[0]!;
    expect(shown.attributes).to.deep.equal(raw.attributes);
    expect(JSON.stringify([raw, shown])).to.not.include("private@example.com");
  });

  it("reads `terraform show -json` to the same entries as the raw state", () => {
    expect(read(SHOW).entries).to.deep.equal(read(RAW).entries);
    expect(read(SHOW).detail).to.match(/terraform show -json \(format 1\.0, terraform 1\.6\.6\)/);
  });

  it("walks child modules and instance keys, and keeps an unknown aws_* type as not adoptable (non-AWS types are skipped)", () => {
    const show = {
      format_version: "1.0",
      terraform_version: "1.6.6",
      values: {
        root_module: {
          resources: [
            { address: "random_id.suffix", mode: "managed", type: "random_id", name: "suffix", values: { id: "abc" } },
          ],
          child_modules: [
            {
              address: "module.queues",
              resources: [
                {
                  address: 'module.queues.aws_sqs_queue.q["dlq"]',
                  mode: "managed",
                  type: "aws_sqs_queue",
                  name: "q",
                  index: "dlq",
                  values: {
                    id: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/x-dlq`,
                    url: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/x-dlq`,
                    name: "x-dlq",
                  },
                },
                {
                  address: "module.queues.aws_sqs_queue_redrive_allow_policy.p",
                  mode: "managed",
                  type: "aws_sqs_queue_redrive_allow_policy",
                  name: "p",
                  values: { id: "https://sqs/x" },
                },
              ],
            },
          ],
        },
      },
    };
    const { entries } = parseTerraformState("show.json", JSON.stringify(show));
    expect(entries.map((e) => [e.type, e.source.kind === "terraform" && e.source.address, e.adoptable])).to.deep.equal([
      ["aws:sqs/queue:Queue", 'module.queues.aws_sqs_queue.q["dlq"]', undefined],
      ["aws_sqs_queue_redrive_allow_policy", "module.queues.aws_sqs_queue_redrive_allow_policy.p", false],
    ]);
    expect(entries[1]).to.include({ terraformType: "aws_sqs_queue_redrive_allow_policy", importId: "https://sqs/x" });
    const raw = state([
      { ...resource("aws_sqs_queue", "q", { id: "u", url: "u", name: "n" }), module: "module.queues" },
    ]);
    (raw.resources[0]!.instances[0] as Record<string, unknown>).index_key = 0;
    expect(parseTerraformState("raw.json", JSON.stringify(raw)).entries[0]!.source).to.deep.equal({
      kind: "terraform",
      address: "module.queues.aws_sqs_queue.q[0]",
    });
  });

  it("names only input properties @pulumi/aws 7 declares, with its object/list shapes, for every Terraform type it maps", () => {
    const problems: string[] = [];
    for (const [tfType, spec] of Object.entries(TERRAFORM_TYPES))
      checkNames(spec.fields, argsOf(spec.pulumiType), `${tfType} → ${spec.pulumiType}`, problems);
    expect(problems).to.deep.equal([]);
    // The check itself finds a wrong name and a wrong shape.
    const bad: string[] = [];
    checkNames({ ttl: { fields: { attribute_name: true } }, nope: true }, argsOf("aws:dynamodb/table:Table"), "t", bad);
    expect(bad).to.deep.equal([
      "t.ttl: one=false but declared pulumi.Input<inputs.dynamodb.TableTtl | undefined>",
      "t.nope (from nope) is not declared",
    ]);
  });

  it("refuses another state version, a truncated file and what is not a state, naming the file and what was expected", () => {
    const text = fs.readFileSync(RAW, "utf8");
    expect(() => parseTerraformState("old.tfstate", JSON.stringify({ ...JSON.parse(text), version: 3 }))).to.throw(
      InventoryError,
      /^old\.tfstate: state format version must be 4 \(Terraform >= 0\.12\), got 3/,
    );
    expect(() => parseTerraformState("cut.tfstate", text.slice(0, text.length / 2))).to.throw(
      InventoryError,
      /^cut\.tfstate: is not JSON \(truncated\?\).*expected a Terraform state \(version 4\)/,
    );
    expect(() => parseTerraformState("other.json", JSON.stringify({ resources: [] }))).to.throw(
      InventoryError,
      /^other\.json: is neither a Terraform state/,
    );
    expect(() => parseTerraformState("show.json", JSON.stringify({ format_version: "2.0", values: {} }))).to.throw(
      InventoryError,
      /format_version must be 1\.x, got "2\.0"/,
    );
    expect(() =>
      parseTerraformState(
        "bad.json",
        JSON.stringify({
          version: 4,
          resources: [{ type: "aws_sqs_queue", name: "q", mode: "managed", instances: [{}] }],
        }),
      ),
    ).to.throw(InventoryError, /resources\[0\]\.instances\[0\]\.attributes must be an object/);
  });
});

describe("npm run inventory from Terraform states (tools/inventory/main.ts)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inventory-tf-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = async (args: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await runInventory(args, {
      env: { INIT_CWD: repoRoot },
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      now: () => new Date("2026-12-07T12:00:00.000Z"),
    });
    return { code, stdout, stderr };
  };
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it("regenerates the committed inventory/production.json from the seed 003 state (only readAt differs)", async () => {
    const out = path.join(dir, "production.json");
    const { code, stderr } = await run([
      "--stack",
      "production",
      "--terraform-state",
      "tests/fixtures/terraform/production-hardening.tfstate",
      "--out",
      out,
    ]);
    expect(code, stderr).to.equal(0);
    const committed = readInventory(path.join(repoRoot, "inventory/production.json"));
    const fresh = readInventory(out);
    const withoutReadAt = (i: typeof fresh) => ({ ...i, sources: i.sources.map(({ readAt: _, ...s }) => s) });
    expect(withoutReadAt(fresh)).to.deep.equal(withoutReadAt(committed));
    expect(fresh.sources[0]!.detail).to.include("run with --live to add them");
    expect(fresh.sources[0]!.readAt).to.equal("2026-12-07T12:00:00.000Z");
  });

  it("reads two states, listing a resource both hold once, sorted by type and name", async () => {
    const out = path.join(dir, "two.json");
    const { code, stderr } = await run([
      "--stack",
      "production",
      "--terraform-state",
      RAW,
      "--terraform-state",
      SHOW,
      "--out",
      out,
    ]);
    expect(code, stderr).to.equal(0);
    expect(stderr).to.include(
      "warning: aws:sqs/queue:Queue huntaze-rate-limiter-queue is in two states (aws_sqs_queue.rate_limiter in tests/fixtures/terraform/production-hardening.tfstate and aws_sqs_queue.rate_limiter in tests/fixtures/terraform/production-hardening.show.json): listed once",
    );
    const resources = readInventory(out).resources;
    expect(resources).to.have.length(10);
    const keys = resources.map((e) => `${e.type} ${e.physicalName}`);
    expect(keys).to.deep.equal([...keys].sort());
  });

  it("refuses a state of another account, or region, naming both; nothing is written", async () => {
    const out = path.join(dir, "refused.json");
    const other = write("other-account.tfstate", fs.readFileSync(RAW, "utf8").replaceAll(ACCOUNT, "111122223333"));
    const a = await run(["--stack", "production", "--terraform-state", other, "--out", out]);
    expect(a.code).to.equal(1);
    expect(a.stderr).to.match(
      /is from account 111122223333, but stack production is account 317805897534 \(huntaze:accountId in Pulumi\.production\.yaml\)/,
    );
    const west = write("other-region.tfstate", fs.readFileSync(RAW, "utf8").replaceAll("us-east-1", "eu-west-1"));
    const b = await run(["--stack", "production", "--terraform-state", west, "--out", out]);
    expect(b.code).to.equal(1);
    expect(b.stderr).to.match(
      /is from region eu-west-1, but stack production is in us-east-1 \(aws:region in Pulumi\.production\.yaml\)/,
    );
    expect(fs.existsSync(out)).to.equal(false);
  });

  it("refuses a truncated state and another format version, leaving an existing inventory as it was", async () => {
    const out = write("kept.json", "previous content\n");
    const cut = write("cut.tfstate", fs.readFileSync(RAW, "utf8").slice(0, 5000));
    const a = await run(["--stack", "production", "--terraform-state", cut, "--out", out]);
    expect(a.code).to.equal(1);
    expect(a.stderr)
      .to.match(/cut\.tfstate: is not JSON \(truncated\?\)/)
      .and.match(/Nothing was written/);
    const v3 = write("v3.tfstate", JSON.stringify({ version: 3, serial: 1, modules: [] }));
    const b = await run(["--stack", "production", "--terraform-state", v3, "--out", out]);
    expect(b.code).to.equal(1);
    expect(b.stderr).to.match(/v3\.tfstate: state format version must be 4/);
    expect(fs.readFileSync(out, "utf8")).to.equal("previous content\n");
    expect(fs.readdirSync(dir).filter((f) => f.includes(".tmp-"))).to.deep.equal([]);
  });

  it("refuses --live when the environment points at another region than the stack's, before reading anything", async () => {
    let stderr = "";
    const code = await runInventory(["--stack", "production", "--live", "--out", path.join(dir, "west.json")], {
      env: { INIT_CWD: repoRoot, AWS_REGION: "eu-west-1" },
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
      clients: () => {
        throw new Error("no client may be created");
      },
    });
    expect(code).to.equal(1);
    expect(stderr).to.include(
      "the environment's region is eu-west-1 (AWS_REGION), but stack production is in us-east-1 (aws:region in Pulumi.production.yaml)",
    );
    expect(fs.existsSync(path.join(dir, "west.json"))).to.equal(false);
  });

  it("reports bad arguments at once with the usage (exit 4), and --help lists the options (exit 0)", async () => {
    const bad = await run(["--stak", "production"]);
    expect(bad.code).to.equal(4);
    expect(bad.stderr)
      .to.include("unknown option --stak (did you mean --stack?)")
      .and.include("--stack is required")
      .and.include("give at least one --terraform-state FILE, or --live");
    const missing = await run(["--stack", "nope", "--live"]);
    expect(missing.code).to.equal(4);
    expect(missing.stderr).to.match(/no stack named "nope"/);
    const help = await run(["--help"]);
    expect(help.code).to.equal(0);
    expect(help.stdout)
      .to.match(/^Usage: npm run inventory/)
      .and.include("--terraform-state FILE")
      .and.include("--propose-config");
  });
});

describe("merging the sources (mergeEntries)", () => {
  const tf: InventoryEntry = {
    type: "aws:sqs/queue:Queue",
    physicalName: "q",
    importId: "https://sqs.us-east-1.amazonaws.com/1/q",
    source: { kind: "terraform", address: "aws_sqs_queue.q" },
    attributes: { visibilityTimeoutSeconds: 30, delaySeconds: 0 },
    terraformType: "aws_sqs_queue",
  };
  it("keeps one entry with the state's address, the live import id and live attributes over the state's", () => {
    const live: InventoryEntry = {
      ...tf,
      importId: "https://sqs.us-east-1.amazonaws.com/1/q#live",
      source: { kind: "live", api: "sqs:GetQueueAttributes" },
      attributes: { visibilityTimeoutSeconds: 90 },
      terraformType: undefined,
    };
    const merged = mergeEntries([tf], [live], () => {});
    expect(merged).to.have.length(1);
    expect(merged[0]).to.deep.include({
      source: { kind: "terraform", address: "aws_sqs_queue.q" },
      importId: "https://sqs.us-east-1.amazonaws.com/1/q#live",
      attributes: { visibilityTimeoutSeconds: 90, delaySeconds: 0 },
    });
  });
});

// --- helpers to build small states ----------------------------------------------------------------
function resource(type: string, name: string, attributes: Record<string, unknown>) {
  return {
    mode: "managed",
    type,
    name,
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [{ schema_version: 0, attributes }],
  };
}
type StateResource = ReturnType<typeof resource> & { module?: string };
function stateText(resources: StateResource[]): string {
  return JSON.stringify(state(resources));
}
function state(resources: StateResource[]) {
  return { version: 4, terraform_version: "1.6.6", serial: 1, lineage: "l", resources };
}
