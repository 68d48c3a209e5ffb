import * as fs from "node:fs";
import { callerPath, type OptionTable, type OptionValues, type ParsedCommandLine, UsageError } from "../cli/options";
import type { PolicyPackConfig } from "./policy-client";
import { ProjectFileError } from "./project";
import { StackFileError } from "./stack-file";
import { TypeCheckError } from "./typecheck";

// What the engine's command-line tools share: argument checking, the exit-code contract
// (0 clean or advisory only, 1 mandatory violation, 2 config or program error) and error printing
// without stack traces for problems the user can fix.

export const EXIT_OK = 0;
export const EXIT_MANDATORY = 1;
export const EXIT_ERROR = 2;

// Defined with the option parser every tool shares (tools/redis-dev.ts and redis-verify.ts throw it too).
export { UsageError };

export type Format = "text" | "json" | "markdown";

/** Throws the parser's problems as one usage error (each on its own line). */
export function checkCommandLine<T extends OptionTable>(parsed: ParsedCommandLine<T>): OptionValues<T> {
  if (parsed.problems.length > 0) throw new UsageError(parsed.problems.join("\n       "));
  return parsed.values;
}

export function formatOf(flags: { json?: boolean; markdown?: boolean }): Format {
  if (flags.json && flags.markdown) throw new UsageError("--json and --markdown are exclusive");
  return flags.json ? "json" : flags.markdown ? "markdown" : "text";
}

/** The --policy-config flag of every tool that runs the pack; readPolicyConfig reads its file. */
export const policyConfigOption = {
  type: "string",
  placeholder: "FILE",
  help: "policy pack config, the JSON `pulumi preview --policy-pack-config` takes",
} as const;

/** Reads a --policy-config file: the JSON `pulumi preview --policy-pack-config` takes. */
export function readPolicyConfig(file: string | undefined): PolicyPackConfig {
  if (!file) return {};
  let text: string;
  try {
    text = fs.readFileSync(callerPath(file), "utf8");
  } catch {
    throw new UsageError(`cannot read policy config ${file}`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as PolicyPackConfig;
  } catch (e) {
    throw new UsageError(`policy config ${file} is not a JSON object: ${(e as Error).message}`);
  }
}

/** Prints an error the way a user needs it and returns the exit code; stack traces only with DEBUG set. */
export function reportError(error: unknown, usage: string): number {
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n\n${usage}\n`);
  } else if (error instanceof TypeCheckError) {
    // As tsc prints them: file(line,col): error TSnnnn: message, then the count.
    process.stderr.write(`${error.message}\n`);
  } else if (
    // A program's RunError (the stacks' ConfigValidationError is one) is a message for the user, as
    // `pulumi up` prints it: no stack trace. Matched by the SDK's base, so the engine knows no stack.
    // Both loaded here, on an error only: this module stays light for policy:check, which starts the
    // policy pack before it loads the protocol code (policy-client) and never needs the SDK's index.
    (require("@pulumi/pulumi") as typeof import("@pulumi/pulumi")).RunError.isInstance(error) ||
    error instanceof (require("./policy-client") as typeof import("./policy-client")).PolicyConfigError ||
    error instanceof StackFileError ||
    error instanceof ProjectFileError
  ) {
    process.stderr.write(`error: ${error.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: the stack program failed: ${message}\n`);
    if (process.env.DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  }
  return EXIT_ERROR;
}

export function progressPrinter(enabled: boolean): (message: string) => void {
  return enabled ? (message) => process.stderr.write(`… ${message}\n`) : () => {};
}
