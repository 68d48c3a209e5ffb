import * as pulumi from "@pulumi/pulumi";
import type * as v from "valibot";
import { MISSING, type Problem, readSpec, showGiven } from "../components/specs";
import { didYouMean } from "../lib/did-you-mean";

// Stack configuration is validated as data: every reader below records a problem instead of
// throwing, so a broken Pulumi.<stack>.yaml is reported with every mistake at once, each naming
// the key, what is allowed and the value given (masked when the key holds a secret).

/** One problem of the stack configuration (the shape every spec reports, components/spec.ts). */
export type ConfigProblem = Problem;

/** A RunError, so `pulumi up` prints the problem list without a stack trace. */
export class ConfigValidationError extends pulumi.RunError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "ConfigValidationError";
  }
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.key}: expected ${p.allowed}, got ${p.got}`);
  return `invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? "an" : "a";
}

/** Reads one object of configuration (the whole namespace, or a nested object under a key). */
export class ConfigReader {
  private readonly seen = new Set<string>();

  constructor(
    private readonly values: Record<string, unknown>,
    private readonly prefix: string,
    readonly problems: ConfigProblem[],
    private readonly secretKeys: ReadonlySet<string> = new Set(),
  ) {}

  private path(key: string): string {
    return this.prefix.endsWith(":") ? `${this.prefix}${key}` : `${this.prefix}.${key}`;
  }

  private get(key: string): unknown {
    this.seen.add(key);
    return this.values[key];
  }

  problem(key: string, allowed: string, got: unknown): void {
    this.problems.push({ key: this.path(key), allowed, got: showGiven(got, this.isSecret(key)) });
  }

  isSecret(key: string): boolean {
    return this.secretKeys.has(this.path(key));
  }

  /**
   * `key` read against a component's spec (components/spec.ts): the section's fields, defaults and
   * rules are the component's own; problems land here, under this reader's path, secrets masked.
   */
  spec<S extends v.GenericSchema>(key: string, spec: S): v.InferOutput<S> | undefined {
    return readSpec(spec, this.get(key), this.path(key), this.problems, this.secretKeys);
  }

  has(key: string): boolean {
    return this.values[key] !== undefined;
  }

  /** A secret string: its value is never shown in a problem. */
  secret(key: string, opts: { minLength?: number } = {}): string {
    const v = this.get(key);
    const min = opts.minLength ?? 1;
    if (typeof v !== "string" || v.length < min) {
      this.problems.push({
        key: this.path(key),
        allowed: `a secret string of at least ${min} characters (pulumi config set --secret)`,
        got: v === undefined ? MISSING : "an invalid value (not shown)",
      });
      return "";
    }
    if (!this.isSecret(key)) {
      this.problems.push({
        key: this.path(key),
        allowed: "a value stored with `pulumi config set --secret`",
        got: "a plain-text value (not shown)",
      });
    }
    return v;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.get(key);
    if (v === undefined) return fallback;
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    this.problem(key, "true or false", v);
    return fallback;
  }

  stringList(key: string, opts: { pattern?: RegExp; describe?: string; minItems?: number } = {}): string[] {
    const v = this.get(key);
    const min = opts.minItems ?? 1;
    const what = opts.describe ?? "string";
    if (!Array.isArray(v) || v.length < min) {
      this.problem(key, `a list of at least ${min} item${min === 1 ? "" : "s"}, each ${article(what)} ${what}`, v);
      return [];
    }
    v.forEach((item, i) => {
      if (typeof item !== "string" || (opts.pattern && !opts.pattern.test(item)))
        this.problem(`${key}[${i}]`, `${article(what)} ${what}`, item);
    });
    return v.filter((i): i is string => typeof i === "string");
  }

  /** An optional object of string values (tags). */
  stringMap(key: string): Record<string, string> {
    const v = this.get(key);
    if (v === undefined) return {};
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      this.problem(key, "an object of string values", v);
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, item] of Object.entries(v)) {
      if (typeof item === "string") out[k] = item;
      else this.problems.push({ key: `${this.path(key)}.${k}`, allowed: "a string", got: showGiven(item, false) });
    }
    return out;
  }

  /** Whether `key` holds an object (a setting that takes either a flag or an object). */
  isObject(key: string): boolean {
    const v = this.values[key];
    return typeof v === "object" && v !== null && !Array.isArray(v);
  }

  /** A nested object; its problems are reported under `key.`. */
  object(key: string, opts: { optional?: boolean } = {}): ConfigReader | undefined {
    const v = this.get(key);
    if (v === undefined && opts.optional) return undefined;
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      this.problem(key, "an object", v);
      return new ConfigReader({}, this.path(key), [], this.secretKeys);
    }
    return new ConfigReader(v as Record<string, unknown>, this.path(key), this.problems, this.secretKeys);
  }

  /** Reports keys nobody read: a typo'd key is a problem, not silently ignored. */
  rejectUnknownKeys(): void {
    for (const key of Object.keys(this.values)) {
      if (!this.seen.has(key))
        this.problem(
          key,
          `no such setting${didYouMean(key, [...this.seen].sort(), (k) => this.path(k))} (known: ${[...this.seen].sort().join(", ")})`,
          this.values[key],
        );
    }
  }
}

/** Commercial regions this project may deploy to. */
export const awsRegions = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "eu-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-south-1",
  "sa-east-1",
] as const;
