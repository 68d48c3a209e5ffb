// `npm run preview -- --stack <name> [--json | --markdown] [--policy-config FILE]`
// The offline `pulumi preview --policy-pack policy-pack`: see README "Offline preview".

import { runAccountPreview } from "./engine/account-cli";
import {
  EXIT_ERROR,
  formatOf,
  parseFlags,
  progressPrinter,
  readPolicyConfig,
  reportError,
  UsageError,
} from "./engine/cli";
import { previewStack } from "./engine/preview";
import { exitCodeFor, type Report, renderJson, renderMarkdown, renderText } from "./engine/render";
import { availableStacks } from "./engine/stack-file";

const usage = `usage: npm run preview -- --stack <${availableStacks().join("|")}> [--json | --markdown] [--policy-config FILE] [--quiet]
       npm run preview -- --all [--stacks a,b] [--json | --markdown] [--policy-config FILE] [--quiet]

  --stack NAME          the stack to preview (reads Pulumi.NAME.yaml)
  --all                 preview every stack, then check them together against the account they share
                        (a physical name claimed twice, an account singleton created twice)
  --stacks A,B          with --all: only these stacks
  --json                one JSON document: stack, resources, violations, outputs
  --markdown            a Markdown report for a pull-request comment
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
    "--all": "boolean",
    "--stacks": "string",
  });
  if (flags.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (flags.all || flags.stacks !== undefined) return runAccountPreview(flags);
  if (typeof flags.stack !== "string") throw new UsageError("--stack is required");
  const format = formatOf(flags);
  const result = await previewStack({
    stack: flags.stack,
    program: flags.program as string | undefined,
    stackDir: flags["stack-dir"] as string | undefined,
    policyConfig: readPolicyConfig(flags["policy-config"] as string | undefined),
    progress: progressPrinter(!flags.quiet),
  });
  const report: Report = { ...result, title: `Preview of stack ${result.stack} (offline engine, nothing deployed)` };
  const render = { text: renderText, json: renderJson, markdown: renderMarkdown }[format];
  process.stdout.write(`${render(report)}\n`);
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
