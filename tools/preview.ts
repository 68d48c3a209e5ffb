// `npm run preview -- --stack <name> [--json | --markdown] [--policy-config FILE]`
// The offline `pulumi preview --policy-pack policy-pack`: see README "Offline preview".
import {
  EXIT_ERROR,
  formatOf,
  parseFlags,
  progressPrinter,
  readPolicyConfig,
  reportError,
  UsageError,
} from "./engine/cli";
import { diagramFormatOf, loadGraphviz } from "./engine/diagram";
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

const usage = `usage: npm run preview -- --stack <${availableStacks().join("|")}> [--json | --markdown] [--cost] [--diagram FILE] [--focus COMPONENT] [--policy-config FILE] [--quiet]

  --stack NAME          the stack to preview (reads Pulumi.NAME.yaml)
  --json                one JSON document: stack, resources, violations, outputs
  --markdown            the pull-request comment: violations, cost vs budget, diagram (Mermaid), changes;
                        always under GitHub's 65,536-character limit
  --cost                monthly cost estimate against huntaze:monthlyBudgetUsd (prices in
                        tools/engine/prices/, usage profile usage/NAME.yaml); in --json as "cost"
  --diagram FILE        write the architecture diagram: FILE.svg, FILE.dot (Graphviz) or FILE.mmd (Mermaid)
  --focus COMPONENT     draw only this component and what it exchanges data with
  --policy-config FILE  policy pack config, the JSON \`pulumi preview --policy-pack-config\` takes
  --program FILE        another Pulumi program entry module to preview (default: stacks/index.ts)
  --stack-dir DIR       where Pulumi.NAME.yaml lives (default: the repository root)
  --quiet               no progress lines on stderr

exit codes: 0 clean or advisory-only, 1 a mandatory policy violation, 2 a config or program error`;

async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    "--stack": "string",
    "--json": "boolean",
    "--markdown": "boolean",
    "--policy-config": "string",
    "--quiet": "boolean",
    "--help": "boolean",
    "--program": "string",
    "--stack-dir": "string",
    "--cost": "boolean",
    "--diagram": "string",
    "--focus": "string",
  });
  if (flags.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (typeof flags.stack !== "string") throw new UsageError("--stack is required");
  const format = formatOf(flags);
  if (typeof flags.diagram === "string" && diagramFormatOf(flags.diagram) === "svg") loadGraphviz();
  // The cost and the diagram need only the records: computed while the policy pack starts.
  let extras: Promise<Extras> = Promise.resolve({});
  const result = await previewStack({
    stack: flags.stack,
    program: flags.program as string | undefined,
    stackDir: flags["stack-dir"] as string | undefined,
    policyConfig: readPolicyConfig(flags["policy-config"] as string | undefined),
    progress: progressPrinter(!flags.quiet),
    onRecorded: (resources) => {
      extras = previewExtras(
        { stack: flags.stack as string, resources },
        {
          stackDir: flags["stack-dir"] as string | undefined,
          cost: Boolean(flags.cost) || format === "markdown",
          diagramFile: flags.diagram as string | undefined,
          focus: flags.focus as string | undefined,
          mermaid: format === "markdown",
        },
      );
      return extras;
    },
  });
  const report: Report = { ...result, title: `Preview of stack ${result.stack} (offline engine, nothing deployed)` };
  const render = { text: renderTextWithExtras, json: renderJsonWithExtras, markdown: renderPrSummary }[format];
  process.stdout.write(`${render(report, await extras)}\n`);
  return exitCodeFor(result.violations);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.exitCode = reportError(error, usage) || EXIT_ERROR;
  },
);
