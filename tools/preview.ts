// `npm run preview -- --stack <name> [--json | --markdown] [--policy-config FILE]`
// The offline `pulumi preview --policy-pack policy-pack`: see README "Offline preview".
import * as fs from "node:fs";
import * as path from "node:path";
import { ACCOUNT_ID_CONFIG_KEY, BUDGET_OUTPUTS } from "../lib/stack-contract";
import { callerPath, formatOptions, parseCommandLine } from "./cli/options";
import { runAccountPreview } from "./engine/account-cli";
import {
  checkCommandLine,
  EXIT_ERROR,
  formatOf,
  policyConfigOption,
  progressPrinter,
  readPolicyConfig,
  reportError,
  UsageError,
} from "./engine/cli";
import { BUDGET_FLAGS, positiveUsd } from "./engine/cost";
import { diagramFormatOf, loadGraphviz } from "./engine/diagram";
import { writeHandOver } from "./engine/hand-over";
import { engineHome } from "./engine/home";
import {
  costJson,
  type Extras,
  previewExtras,
  readCostFile,
  renderJsonWithExtras,
  renderPrSummary,
  renderTextWithExtras,
} from "./engine/pr-summary";
import { OFFLINE_ACCOUNT_ID, previewStack } from "./engine/preview";
import { locateProject } from "./engine/project";
import { exitCodeFor, type Report } from "./engine/render";
import { availableStacks } from "./engine/stack-file";
import { TRANSPILE_ONLY_ENV, transpileOnlyFromEnv, typeCheckProgram } from "./engine/typecheck";

/** Writes a whole file or nothing: a temporary file renamed over it. */
function writeFileWhole(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** The command line, one entry per flag: add a flag here and it is parsed and listed in --help. */
export const previewOptions = {
  stack: { type: "string", placeholder: "NAME", help: "the stack to preview (reads Pulumi.NAME.yaml)" },
  all: {
    type: "boolean",
    help: "preview every stack, then check them together against the account they share\n(a physical name claimed twice, an account singleton created twice)",
  },
  stacks: { type: "string", placeholder: "A,B", help: "with --all: only these stacks" },
  json: { type: "boolean", help: "one JSON document: stack, resources, violations, outputs" },
  markdown: {
    type: "boolean",
    help: "the pull-request comment: violations, cost vs budget, diagram (Mermaid), changes;\nalways under GitHub's 65,536-character limit",
  },
  cost: {
    type: "boolean",
    help: `monthly cost estimate against the stack's budget, the program's \`${BUDGET_OUTPUTS.stack}\`\nstack output (prices in tools/engine/prices/, usage profile usage/NAME.yaml); with --json, the\nestimate alone in Infracost's JSON output shape; with --all, every stack and the account against\nthe account budget, the \`${BUDGET_OUTPUTS.account}\` output of the stack that exports it`,
  },
  "budget-usd": {
    type: "string",
    placeholder: "N",
    help: `with --cost: the stack's monthly budget in USD, instead of the program's\n\`${BUDGET_OUTPUTS.stack}\` output (with --all: every stack's)`,
  },
  "account-budget-usd": {
    type: "string",
    placeholder: "N",
    help: `with --all --cost: the account's monthly budget in USD, instead of a stack's\n\`${BUDGET_OUTPUTS.account}\` output`,
  },
  "account-id": {
    type: "string",
    placeholder: "ID",
    help: `the 12-digit account the offline AWS answers with (ARNs, sts:GetCallerIdentity)\n(default: the stack config's \`<namespace>:${ACCOUNT_ID_CONFIG_KEY}\`, else ${OFFLINE_ACCOUNT_ID})`,
  },
  "config-namespace": {
    type: "string",
    placeholder: "NS",
    help: "the program's config namespace, where the engine reads <NS>:accountId and <NS>:adoption\n(default: the project name if the stack file uses it, else the stack file's one\nnamespace no provider claims)",
  },
  compare: {
    type: "string",
    placeholder: "BASE",
    help: "with --cost: lead with the monthly change from BASE, a `--cost --json` document\n(the pull request's base commit); implies --cost",
  },
  "cost-file": {
    type: "string",
    placeholder: "FILE",
    help: "also write the cost estimate (Infracost JSON, as --cost --json prints it) to FILE;\nthe printed output stays as the other flags make it",
  },
  diagram: {
    type: "string",
    placeholder: "FILE",
    help: "write the architecture diagram: FILE.svg, FILE.dot (Graphviz) or FILE.mmd (Mermaid)",
  },
  focus: { type: "string", placeholder: "COMPONENT", help: "draw only this component and what it exchanges data with" },
  "policy-config": policyConfigOption,
  program: {
    type: "string",
    placeholder: "FILE",
    help: "another Pulumi program entry module to preview (default: the project's `main`)",
  },
  "stack-dir": {
    type: "string",
    placeholder: "DIR",
    help: "where Pulumi.NAME.yaml lives, next to or below the project's Pulumi.yaml\n(default: the project's directory)",
  },
  "policy-pack": {
    type: "string",
    placeholder: "DIR",
    help: "the policy pack to enforce, as `pulumi preview --policy-pack DIR` takes it\n(default: the Huntaze pack)",
  },
  "transpile-only": {
    type: "boolean",
    help: `run the program without type-checking it, as ${TRANSPILE_ONLY_ENV}=true does for \`pulumi preview\`\n(default: type-check with the project's tsconfig.json first; a type error exits 2)`,
  },
  inventory: {
    type: "string",
    placeholder: "FILE",
    help: "what exists in the account (npm run inventory): the program adopts it, the preview prints\neach resource's step (create, import, update, replace) (default: inventory/NAME.json if it exists;\n`none` for no inventory)",
  },
  "import-file": {
    type: "string",
    placeholder: "FILE",
    help: "write Pulumi's bulk import file for `pulumi import --file FILE`, and FILE's\n.terraform-state-rm.txt beside it (docs/runbooks/terraform-to-pulumi.md)",
  },
  quiet: { type: "boolean", help: "no progress lines on stderr" },
  help: { type: "boolean", short: "h", help: "this help" },
} as const;

const { previewCommand: command } = engineHome();
const usage = `usage: ${command} --stack <${availableStacks().join("|") || "NAME"}> [--json | --markdown] [--cost [--budget-usd N]] [--compare BASE] [--cost-file FILE] [--diagram FILE] [--focus COMPONENT] [--policy-config FILE] [--inventory FILE] [--import-file FILE] [--transpile-only] [--quiet]
       ${command} --all [--stacks a,b] [--json | --markdown] [--cost [--budget-usd N] [--account-budget-usd N]] [--policy-config FILE] [--quiet]
       (both forms) [--config-namespace NS] [--account-id ID]

${formatOptions(previewOptions)}

Relative paths are resolved against the directory the command was run from.
exit codes: 0 clean or advisory-only, 1 a mandatory policy violation or an adoption error (an adopted
stateful resource replaced, a create of a name the inventory holds), 2 a config, type or program error`;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, previewOptions);
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const flags = checkCommandLine(parsed);
  // Pulumi's Node.js host type-checks a TypeScript program before running it: so does this preview.
  if (!flags["transpile-only"] && transpileOnlyFromEnv() !== true) {
    const home = engineHome().root; // this repository, or the project a package bin runs in
    const stackDir = flags["stack-dir"] === undefined ? home : callerPath(flags["stack-dir"]);
    const program = flags.program === undefined ? undefined : callerPath(flags.program);
    const project = locateProject(stackDir, program, home);
    const progress = progressPrinter(!flags.quiet);
    const checked = typeCheckProgram({
      program: program ?? project.main,
      projectDir: project.dir,
      cacheRoot: home,
    });
    progress(
      {
        cached: "type check: the program is unchanged since its last clean check",
        skipped: "type check: skipped (noCheck in the tsconfig)",
        checked: `type check: ${checked.files} source files clean`,
      }[checked.mode],
    );
  }
  if (flags.all || flags.stacks !== undefined)
    return runAccountPreview({
      ...flags,
      ...(flags["stack-dir"] !== undefined ? { "stack-dir": callerPath(flags["stack-dir"]) } : {}),
      ...(flags.program !== undefined ? { program: callerPath(flags.program) } : {}),
      ...(flags["policy-config"] !== undefined ? { "policy-config": callerPath(flags["policy-config"]) } : {}),
    });
  if (flags.stack === undefined) throw new UsageError("--stack is required");
  const stack = flags.stack;
  const format = formatOf(flags);
  const compareFile = flags.compare === undefined ? undefined : callerPath(flags.compare);
  const costFile = flags["cost-file"] === undefined ? undefined : callerPath(flags["cost-file"]);
  const cost = Boolean(flags.cost) || compareFile !== undefined || costFile !== undefined;
  if (flags["account-budget-usd"] !== undefined)
    throw new UsageError(`${BUDGET_FLAGS.account} is the account's budget: use it with --all`);
  const budgetUsd =
    flags["budget-usd"] === undefined ? undefined : positiveUsd(flags["budget-usd"], BUDGET_FLAGS.stack);
  // A bad base is reported before the preview runs, not after.
  if (compareFile !== undefined) readCostFile(compareFile);
  const diagramFile = flags.diagram === undefined ? undefined : callerPath(flags.diagram);
  if (diagramFile !== undefined && diagramFormatOf(diagramFile) === "svg") loadGraphviz();
  // The cost and the diagram need only the records: computed while the policy pack starts.
  let extras: Promise<Extras> = Promise.resolve({});
  const stackDir = flags["stack-dir"] === undefined ? undefined : callerPath(flags["stack-dir"]);
  const inventory =
    flags.inventory === undefined ? undefined : flags.inventory === "none" ? null : callerPath(flags.inventory);
  const importFileOut = flags["import-file"] === undefined ? undefined : callerPath(flags["import-file"]);
  const result = await previewStack({
    inventory,
    stack,
    program: flags.program === undefined ? undefined : callerPath(flags.program),
    stackDir,
    policyPack: flags["policy-pack"] === undefined ? undefined : callerPath(flags["policy-pack"]),
    policyConfig: readPolicyConfig(flags["policy-config"]),
    ...(flags["config-namespace"] !== undefined ? { configNamespace: flags["config-namespace"] } : {}),
    ...(flags["account-id"] !== undefined ? { accountId: flags["account-id"] } : {}),
    progress: progressPrinter(!flags.quiet),
    onRecorded: (resources, outputs) => {
      extras = previewExtras(
        { stack, resources, outputs },
        {
          stackDir,
          cost: cost || format === "markdown",
          compareFile,
          diagramFile,
          focus: flags.focus,
          mermaid: format === "markdown",
          ...(budgetUsd !== undefined ? { budgetUsd } : {}),
        },
      );
      return extras;
    },
  });
  const report: Report = { ...result, title: `Preview of stack ${result.stack} (offline engine, nothing deployed)` };
  const done = await extras;
  const render = { text: renderTextWithExtras, json: renderJsonWithExtras, markdown: renderPrSummary }[format];
  // --cost-file alone leaves the printed output as it is; --cost or --compare adds the estimate
  // (with --json, makes the output the estimate); the PR comment always has it.
  const costIsShown = Boolean(flags.cost) || compareFile !== undefined || format === "markdown";
  const output = render(report, costIsShown ? done : { ...done, cost: undefined });
  if (costFile !== undefined) writeFileWhole(costFile, `${costJson(stack, done)}\n`);
  process.stdout.write(`${output}\n`);
  if (importFileOut !== undefined) {
    if (!result.adoption)
      throw new UsageError(
        `--import-file needs an inventory: pass --inventory FILE (stack ${stack} has no inventory/${stack}.json)`,
      );
    writeHandOver(importFileOut, result.resources, result.adoption, !flags.quiet);
  }
  return exitCodeFor(result.violations, result.adoption?.findings.length ?? 0);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.exitCode = reportError(error, usage) || EXIT_ERROR;
  },
);
