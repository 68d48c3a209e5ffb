// `npm run preview -- --stack <name> [--json | --markdown] [--policy-config FILE]`
// The offline `pulumi preview --policy-pack policy-pack`: see README "Offline preview".
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
import { diagramFormatOf, loadGraphviz } from "./engine/diagram";
import { writeHandOver } from "./engine/hand-over";
import {
  type Extras,
  previewExtras,
  renderJsonWithExtras,
  renderPrSummary,
  renderTextWithExtras,
} from "./engine/pr-summary";
import { previewStack } from "./engine/preview";
import { exitCodeFor, type Report } from "./engine/render";
import { availableStacks } from "./engine/stack-file";

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
    help: 'monthly cost estimate against huntaze:monthlyBudgetUsd (prices in tools/engine/prices/,\nusage profile usage/NAME.yaml); in --json as "cost"',
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
    help: "where Pulumi.NAME.yaml lives, next to or below the project's Pulumi.yaml\n(default: the repository root)",
  },
  "policy-pack": {
    type: "string",
    placeholder: "DIR",
    help: "the policy pack to enforce, as `pulumi preview --policy-pack DIR` takes it\n(default: the repository's policy-pack)",
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

const usage = `usage: npm run preview -- --stack <${availableStacks().join("|")}> [--json | --markdown] [--cost] [--diagram FILE] [--focus COMPONENT] [--policy-config FILE] [--inventory FILE] [--import-file FILE] [--quiet]
       npm run preview -- --all [--stacks a,b] [--json | --markdown] [--policy-config FILE] [--quiet]

${formatOptions(previewOptions)}

Relative paths are resolved against the directory the command was run from.
exit codes: 0 clean or advisory-only, 1 a mandatory policy violation or an adoption error (an adopted
stateful resource replaced, a create of a name the inventory holds), 2 a config or program error`;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, previewOptions);
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const flags = checkCommandLine(parsed);
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
    progress: progressPrinter(!flags.quiet),
    onRecorded: (resources) => {
      extras = previewExtras(
        { stack, resources },
        {
          stackDir,
          cost: Boolean(flags.cost) || format === "markdown",
          diagramFile,
          focus: flags.focus,
          mermaid: format === "markdown",
        },
      );
      return extras;
    },
  });
  const report: Report = { ...result, title: `Preview of stack ${result.stack} (offline engine, nothing deployed)` };
  const render = { text: renderTextWithExtras, json: renderJsonWithExtras, markdown: renderPrSummary }[format];
  process.stdout.write(`${render(report, await extras)}\n`);
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
