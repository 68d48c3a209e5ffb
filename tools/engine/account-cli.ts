import {
  accountExitCode,
  previewAccount,
  renderAccountJson,
  renderAccountMarkdown,
  renderAccountText,
} from "./account-preview";
import { formatOf, progressPrinter, UsageError } from "./cli";
import { BUDGET_FLAGS, positiveUsd } from "./cost";

// `npm run preview -- --all [--stacks a,b]`: the flags tools/preview.ts parsed, turned into an account preview.

export async function runAccountPreview(flags: Record<string, string | boolean | undefined>): Promise<number> {
  if (flags.stack !== undefined) throw new UsageError("--stack and --all/--stacks are exclusive");
  for (const single of ["compare", "cost-file"] as const)
    if (flags[single] !== undefined)
      throw new UsageError(`--${single} previews one stack: use it with --stack, not --all`);
  if (flags.stacks !== undefined && typeof flags.stacks !== "string") throw new UsageError("--stacks needs a value");
  const requested =
    typeof flags.stacks === "string"
      ? flags.stacks
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "")
      : undefined;
  if (requested !== undefined && requested.length === 0)
    throw new UsageError(`--stacks needs stack names separated by commas, got "${flags.stacks}"`);
  const format = formatOf(flags as Record<string, string | boolean>);
  let report: Awaited<ReturnType<typeof previewAccount>>;
  try {
    report = await previewAccount({
      ...(requested ? { stacks: requested } : {}),
      ...(typeof flags["stack-dir"] === "string" ? { stackDir: flags["stack-dir"] } : {}),
      ...(typeof flags.program === "string" ? { program: flags.program } : {}),
      ...(typeof flags["policy-config"] === "string" ? { policyConfigFile: flags["policy-config"] } : {}),
      ...(typeof flags["config-namespace"] === "string" ? { configNamespace: flags["config-namespace"] } : {}),
      ...(typeof flags["account-id"] === "string" ? { accountId: flags["account-id"] } : {}),
      ...(typeof flags["budget-usd"] === "string"
        ? { budgetUsd: positiveUsd(flags["budget-usd"], BUDGET_FLAGS.stack) }
        : {}),
      ...(typeof flags["account-budget-usd"] === "string"
        ? { accountBudgetUsd: positiveUsd(flags["account-budget-usd"], BUDGET_FLAGS.account) }
        : {}),
      progress: progressPrinter(!flags.quiet),
      cost: Boolean(flags.cost),
    });
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("--stacks")) throw new UsageError(error.message);
    throw error;
  }
  const render = { text: renderAccountText, json: renderAccountJson, markdown: renderAccountMarkdown }[format];
  process.stdout.write(`${render(report)}\n`);
  return accountExitCode(report);
}
