// What a Pulumi program tells the offline engine (tools/engine), named once for both sides. The
// engine knows no project: it learns a stack's budgets from the program's stack outputs, which the
// program computes from its own config with its own defaults (stacks/program.ts exports them), and
// the stack's account id from the `accountId` key of the program's config namespace (the engine
// finds the namespace in the stack file: tools/engine/program-config.ts).

/** The stack config key, in the program's namespace, holding the stack's 12-digit AWS account id. */
export const ACCOUNT_ID_CONFIG_KEY = "accountId";

/**
 * The stack outputs the cost estimate compares with: the stack's own monthly budget (USD), and the
 * account's, exported only by the stack whose config holds the account budget (one per account).
 */
export const BUDGET_OUTPUTS = {
  stack: "monthlyBudgetUsd",
  account: "accountBudgetUsd",
} as const;
