// `npm run policy:check -- --state FILE [--json | --markdown] [--policy-config FILE]`
// `npm run policy:check -- --list [--json | --markdown]`
// Audits a `pulumi stack export` file with the same pack, through the same Analyzer path, as the
// offline preview; or lists the pack's rules.
// Only light modules are imported here: the rest is loaded in main() after the policy pack's process
// has been started, so the pack's start (most of a small check's time) overlaps loading the protocol
// code and reading the state, as the preview overlaps it with running the program.
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
import { type LaunchedPack, launchPack, stopPack } from "./engine/pack-process";
import type { Report } from "./engine/render";

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
    const { allPolicies } = require("../policy-pack/policies") as typeof import("../policy-pack/policies");
    const { renderRuleList } = require("./engine/rule-list") as typeof import("./engine/rule-list");
    process.stdout.write(`${renderRuleList(allPolicies, format)}\n`);
    return 0;
  }
  if (flags.state === undefined) throw new UsageError("--state FILE or --list is required");
  const stop = new AbortController();
  const pack: Promise<LaunchedPack> = launchPack(undefined, stop.signal);
  pack.catch(() => {});
  try {
    const progress = progressPrinter(!flags.quiet);
    const policyConfig = readPolicyConfig(flags["policy-config"]);
    const { readStackExport } = require("./engine/state-file") as typeof import("./engine/state-file");
    const state = readStackExport(callerPath(flags.state));
    const { analyzeAll, startAnalyzer } = require("./engine/policy-client") as typeof import("./engine/policy-client");
    const analyzer = startAnalyzer({ pack, stack: state.stack, project: state.project, dryRun: false });
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
      const { exitCodeFor, renderJson, renderMarkdown, renderText } =
        require("./engine/render") as typeof import("./engine/render");
      const render = { text: renderText, json: renderJson, markdown: renderMarkdown }[format];
      process.stdout.write(`${render(report)}\n`);
      return exitCodeFor(violations);
    } finally {
      await analyzer.then(
        (s) => s.close(),
        () => {},
      );
    }
  } finally {
    // The pack was started before the input was read: if the command failed before a session took
    // it over (or the session failed to start), it is stopped here; a closed session's has exited.
    await stopPack(pack, stop);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof (require("./engine/state-file") as typeof import("./engine/state-file")).StateFileError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.exitCode = reportError(error, usage);
  },
);
