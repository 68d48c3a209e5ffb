import * as fs from "node:fs";
import { ConfigValidationError } from "../../stacks/validation";
import { PolicyConfigError, type PolicyPackConfig } from "./policy-client";
import { StackFileError } from "./stack-file";

// What the engine's command-line tools share: argument parsing, the exit-code contract
// (0 clean or advisory only, 1 mandatory violation, 2 config or program error) and error printing
// without stack traces for problems the user can fix.

export const EXIT_OK = 0;
export const EXIT_MANDATORY = 1;
export const EXIT_ERROR = 2;

export class UsageError extends Error {}

export type Format = "text" | "json" | "markdown";

export interface FlagSpec {
  readonly [flag: string]: "boolean" | "string";
}

/** Parses `--flag value` / `--flag=value` / `--switch`; unknown flags and missing values are usage errors. */
export function parseFlags(argv: string[], spec: FlagSpec): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.startsWith("--")
      ? arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined]
      : [arg, undefined];
    const kind = spec[flag as string];
    if (!kind) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    if (kind === "boolean") {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      out[flag.slice(2)] = true;
    } else {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith("--")))
        throw new UsageError(`${flag} needs a value`);
      out[flag.slice(2)] = value;
    }
  }
  return out;
}

export function formatOf(flags: Record<string, string | boolean>): Format {
  if (flags.json && flags.markdown) throw new UsageError("--json and --markdown are exclusive");
  return flags.json ? "json" : flags.markdown ? "markdown" : "text";
}

/** Reads a --policy-config file: the JSON `pulumi preview --policy-pack-config` takes. */
export function readPolicyConfig(file: string | undefined): PolicyPackConfig {
  if (!file) return {};
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
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
  } else if (
    error instanceof ConfigValidationError ||
    error instanceof PolicyConfigError ||
    error instanceof StackFileError
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
