import * as path from "node:path";
import { parseArgs } from "node:util";
import { didYouMean } from "../../lib/did-you-mean";

// What every command-line tool shares: one declarative option table per tool, parsed with
// node:util parseArgs, and the option lines of its --help generated from the same table. Adding a
// flag is one entry in the tool's table. Parsing is lenient at first (parseArgs strict: false) so
// that every problem is reported at once: unknown options (with a "did you mean"), missing
// values, values given to switches, stray positional arguments and repeated options.

/** A bad command line or input the user can fix: printed without a stack trace (exit 2 in every tool). */
export class UsageError extends Error {}

export interface OptionSpec {
  readonly type: "string" | "boolean";
  /** One-letter alias, e.g. "h" for --help. */
  readonly short?: string;
  /** Placeholder shown in the help for a string option, e.g. "FILE". @default "VALUE" */
  readonly placeholder?: string;
  /** Help text; "\n" starts an indented continuation line. */
  readonly help: string;
  /** Left out of the generated option lines (aliases documented elsewhere). */
  readonly hidden?: boolean;
  /** A string option that may be repeated: its value is the list of every value given, in order. */
  readonly multiple?: boolean;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

export type OptionValues<T extends OptionTable> = {
  -readonly [K in keyof T]?: T[K]["type"] extends "string"
    ? T[K] extends { readonly multiple: true }
      ? string[]
      : string
    : boolean;
};

export interface ParsedCommandLine<T extends OptionTable> {
  readonly values: OptionValues<T>;
  /** Every problem found, in argument order; empty when the command line is valid. */
  readonly problems: string[];
}

/** Parses `argv` against `table`. Never throws: problems are returned, each naming the option. */
export function parseCommandLine<T extends OptionTable>(argv: readonly string[], table: T): ParsedCommandLine<T> {
  const values: Record<string, string | boolean | string[]> = {};
  const problems: string[] = [];
  const known = Object.keys(table);
  const parseFrom = (start: number): void => {
    const { tokens } = parseArgs({
      args: argv.slice(start) as string[],
      options: Object.fromEntries(
        Object.entries(table).map(([name, spec]) => [
          name,
          spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short },
        ]),
      ),
      strict: false,
      allowPositionals: true,
      tokens: true,
    });
    for (const token of tokens) {
      if (token.kind === "option-terminator") continue;
      if (token.kind === "positional") {
        // It may be a stray URL with a password in it: named by position, never by value.
        problems.push(`unexpected argument #${start + token.index + 1} (options take the form --name value)`);
        continue;
      }
      const spec = table[token.name];
      if (spec === undefined) {
        problems.push(`unknown option ${token.rawName}${didYouMean(token.name, known, (n) => `--${n}`)} (see --help)`);
        continue;
      }
      if (spec.type === "boolean") {
        if (token.inlineValue) problems.push(`${token.rawName} takes no value`);
        else values[token.name] = true;
        continue;
      }
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith("--"))) {
        problems.push(`${token.rawName} needs a value`);
        // The next option was taken as this one's value: parse again from it.
        if (token.value !== undefined) {
          parseFrom(start + token.index + 1);
          return;
        }
        continue;
      }
      if (spec.multiple) {
        values[token.name] = [...((values[token.name] as string[] | undefined) ?? []), token.value];
        continue;
      }
      if (token.name in values) problems.push(`${token.rawName} is given twice`);
      values[token.name] = token.value;
    }
  };
  parseFrom(0);
  return { values: values as OptionValues<T>, problems };
}

/** The option lines of a --help text, aligned, generated from the table. */
export function formatOptions(table: OptionTable): string {
  const rows = Object.entries(table)
    .filter(([, spec]) => !spec.hidden)
    .map(([name, spec]) => {
      const flag = `${spec.short ? `-${spec.short}, ` : ""}--${name}`;
      return { left: spec.type === "string" ? `${flag} ${spec.placeholder ?? "VALUE"}` : flag, help: spec.help };
    });
  const width = Math.max(...rows.map((r) => r.left.length)) + 2;
  return rows
    .map((r) => {
      const [first, ...rest] = r.help.split("\n");
      return [`  ${r.left.padEnd(width)}${first}`, ...rest.map((l) => `  ${" ".repeat(width)}${l}`)].join("\n");
    })
    .join("\n");
}

/**
 * A path the user typed, resolved against the directory they ran the command from: npm runs
 * scripts in the package root but records the caller's directory in INIT_CWD.
 */
export function callerPath(file: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env["INIT_CWD"] || process.cwd(), file);
}

/**
 * For simple commands (the benchmarks): --help prints `usage` and the option lines to stdout and
 * exits 0; any problem prints every one and the usage to stderr and exits 2; otherwise the values.
 */
export function parseOrExit<T extends OptionTable>(
  argv: readonly string[],
  table: T,
  usage: string,
): OptionValues<T> & { help?: boolean } {
  const full = { ...table, help: { type: "boolean", short: "h", help: "this help" } } as const;
  const parsed = parseCommandLine(argv, full);
  const text = `${usage}\n\n${formatOptions(full)}`;
  if (parsed.values.help) {
    process.stdout.write(`${text}\n`);
    process.exit(0);
  }
  if (parsed.problems.length > 0) {
    process.stderr.write(`error: ${parsed.problems.join("\n       ")}\n\n${text}\n`);
    process.exit(2);
  }
  return parsed.values as OptionValues<T>;
}

/** A positive integer option, or the problem with it. */
export function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    process.stderr.write(`error: --${name} must be a positive integer, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return Number(raw);
}
