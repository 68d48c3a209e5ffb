// `npm run policy:check -- --state FILE [--json | --markdown] [--policy-config FILE]`
// `npm run policy:check -- --list [--json | --markdown]`
// Audits a `pulumi stack export` file with the same pack, through the same Analyzer path, as the
// offline preview; or lists the pack's rules.
import { allPolicies } from "../policy-pack/policies";
import { callerPath, formatOptions, parseCommandLine } from "./cli/options";
import {
  checkCommandLine,
  formatOf,
  policyConfigOption,
  progressPrinter,
  readPolicyConfig,
  reportError,
  UsageError,
} from "./engine/cli";
import { engineHome } from "./engine/home";
import { analyzeAll, startAnalyzer } from "./engine/policy-client";
import { exitCodeFor, type Report, renderJson, renderMarkdown, renderText } from "./engine/render";
import { renderRuleList } from "./engine/rule-list";
import { readStackExport, StateFileError } from "./engine/state-file";

/** The command line, one entry per flag: add a flag here and it is parsed and listed in --help. */
export const policyCheckOptions = {
  state: { type: "string", placeholder: "FILE", help: "a `pulumi stack export` file (deployment version 3)" },
  list: { type: "boolean", help: "list the rules: enforcement, resource types, FSBP / Checkov references" },
  json: { type: "boolean", help: "output format JSON (default: text)" },
  markdown: { type: "boolean", help: "output format Markdown (default: text)" },
  "policy-config": policyConfigOption,
  quiet: { type: "boolean", help: "no progress lines on stderr" },
  help: { type: "boolean", short: "h", help: "this help" },
} as const;

const { policyCheckCommand: command } = engineHome();
const usage = `usage: ${command} --state FILE [--json | --markdown] [--policy-config FILE] [--quiet]
       ${command} --list [--json | --markdown]

${formatOptions(policyCheckOptions)}

Relative paths are resolved against the directory the command was run from.

exit codes: 0 clean or advisory-only, 1 a mandatory policy violation, 2 a usage, state or config error`;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, policyCheckOptions);
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const flags = checkCommandLine(parsed);
  const format = formatOf(flags);
  if (flags.list) {
    if (flags.state) throw new UsageError("--list and --state are exclusive");
    process.stdout.write(`${renderRuleList(allPolicies, format)}\n`);
    return 0;
  }
  if (flags.state === undefined) throw new UsageError("--state FILE or --list is required");
  const progress = progressPrinter(!flags.quiet);
  const policyConfig = readPolicyConfig(flags["policy-config"]);
  const state = readStackExport(callerPath(flags.state));
  const analyzer = startAnalyzer({ stack: state.stack, project: state.project, dryRun: false });
  analyzer.catch(() => {});
  try {
    const session = await analyzer;
    await session.configure(policyConfig);
    progress(
      `checking ${state.resources.length} resources of stack ${state.stack} against ${session.packName}@${session.packVersion}`,
    );
    const violations = await analyzeAll(session, state.resources);
    const report: Report = {
      title: `Policy check of ${flags.state} (stack ${state.stack})`,
      stack: state.stack,
      policyPack: { name: session.packName, version: session.packVersion },
      resources: state.resources,
      violations,
      outputs: state.outputs,
    };
    const render = { text: renderText, json: renderJson, markdown: renderMarkdown }[format];
    process.stdout.write(`${render(report)}\n`);
    return exitCodeFor(violations);
  } finally {
    await analyzer.then(
      (s) => s.close(),
      () => {},
    );
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof StateFileError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.exitCode = reportError(error, usage);
  },
);
