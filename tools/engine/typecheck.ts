import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as TS from "typescript";

// The type check `pulumi preview` runs before a TypeScript program. Pulumi's Node.js language host
// loads the program through ts-node with type checking on (its `typescript: true` runtime option),
// reading the project's tsconfig.json, and checks the modules the program loads; a type error
// fails the preview. PULUMI_NODEJS_TRANSPILE_ONLY=true turns the check off (Pulumi docs,
// "TypeScript support": www.pulumi.com/docs/iac/languages-sdks/javascript/#typescript). The offline
// preview does the same: the program's entry module is the root, the compiler options are the
// tsconfig.json's (the project's, else the nearest above the program), and errors print as `tsc`
// prints them. Incremental: TypeScript's build-info file under node_modules/.cache keeps the
// per-file results, and a stamp of the program's own sources (content hashes) lets an unchanged,
// clean program skip the compiler altogether.

/** Pulumi's own switch: set to "true", the Node.js host transpiles without checking types. */
export const TRANSPILE_ONLY_ENV = "PULUMI_NODEJS_TRANSPILE_ONLY";

/** Where the build-info files and stamps live (one pair per program + tsconfig). */
export const TYPECHECK_CACHE_DIR = path.join("node_modules", ".cache", "huntaze-typecheck");

export class TypeCheckError extends Error {
  constructor(
    /** The diagnostics as `tsc` prints them (file(line,col): error TSnnnn: message). */
    readonly formatted: string,
    readonly count: number,
  ) {
    super(
      `${formatted.trimEnd()}\n\n${count} type error${count === 1 ? "" : "s"} in the program ` +
        `(\`pulumi preview\` type-checks it too; --transpile-only or ${TRANSPILE_ONLY_ENV}=true skips the check)`,
    );
  }
}

/**
 * What PULUMI_NODEJS_TRANSPILE_ONLY says, read as Pulumi's host reads it
 * (node_modules/@pulumi/pulumi/cmd/run/run.js): set, it decides (only "true" skips the check);
 * unset (undefined), the tsconfig's `noCheck` compiler option decides.
 */
export function transpileOnlyFromEnv(env: NodeJS.ProcessEnv = process.env): boolean | undefined {
  const value = env[TRANSPILE_ONLY_ENV];
  return value ? value === "true" : undefined;
}

/** Pulumi's override of the tsconfig path (run.js: PULUMI_NODEJS_TSCONFIG_PATH, relative to the project). */
export const TSCONFIG_PATH_ENV = "PULUMI_NODEJS_TSCONFIG_PATH";

/** The tsconfig.json that governs `program`: the project directory's, else the nearest above the program. */
export function findTsconfig(
  program: string,
  projectDir: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const override = env[TSCONFIG_PATH_ENV];
  if (override) {
    const file = path.resolve(projectDir, override);
    if (!fs.existsSync(file)) throw new TypeCheckError(`${TSCONFIG_PATH_ENV} names ${file}, which does not exist`, 1);
    return file;
  }
  const own = path.join(projectDir, "tsconfig.json");
  if (fs.existsSync(own)) return own;
  for (let dir = path.dirname(path.resolve(program)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "tsconfig.json");
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

interface Stamp {
  readonly key: string;
  /** Every source file of the program outside node_modules, with the sha256 of its content. */
  readonly files: Record<string, string>;
}

const sha256 = (text: string | Buffer) => crypto.createHash("sha256").update(text).digest("hex");

/** What, besides the program's own files, decides the result: the compiler, the options, the installed types. */
function cacheKey(root: string, program: string, tsconfig: string | undefined, tsVersion: string): string {
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file) : "");
  return sha256(
    JSON.stringify({
      program,
      tsconfig: tsconfig ?? null,
      tsconfigText: tsconfig ? sha256(read(tsconfig)) : null,
      typescript: tsVersion,
      // Installed type packages change with the lock file (npm ci / npm install rewrite it).
      lock: sha256(read(path.join(root, "package-lock.json"))),
    }),
  );
}

function stampMatches(stampFile: string, key: string): boolean {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile, "utf8")) as Stamp;
  } catch {
    return false;
  }
  if (stamp.key !== key) return false;
  for (const [file, hash] of Object.entries(stamp.files)) {
    let text: Buffer;
    try {
      text = fs.readFileSync(file);
    } catch {
      return false;
    }
    if (sha256(text) !== hash) return false;
  }
  return true;
}

function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export interface TypeCheckOptions {
  /** The program's entry module. */
  readonly program: string;
  /** The Pulumi project directory (where Pulumi.yaml is). */
  readonly projectDir: string;
  /** Where node_modules/.cache lives. */
  readonly cacheRoot: string;
  /** Paths in the printed diagnostics are relative to this directory. @default process.cwd() */
  readonly cwd?: string;
}

export interface TypeCheckResult {
  /** "cached": unchanged since a clean check, the compiler was not run; "skipped": the tsconfig sets noCheck. */
  readonly mode: "cached" | "checked" | "skipped";
  readonly tsconfig: string | undefined;
  readonly files: number;
}

/** Type-checks `program` as Pulumi's host does; throws TypeCheckError listing every error. */
export function typeCheckProgram(options: TypeCheckOptions): TypeCheckResult {
  const program = path.resolve(options.program);
  const tsconfig = findTsconfig(program, options.projectDir);
  const cacheDir = path.join(options.cacheRoot, TYPECHECK_CACHE_DIR);
  const tsVersion = (require("typescript/package.json") as { version: string }).version;
  const key = cacheKey(options.cacheRoot, program, tsconfig, tsVersion);
  const id = sha256(`${program}\0${tsconfig ?? ""}`).slice(0, 16);
  const stampFile = path.join(cacheDir, `${id}.stamp.json`);
  if (stampMatches(stampFile, key)) return { mode: "cached", tsconfig, files: 0 };

  const ts = require("typescript") as typeof TS;
  const cwd = options.cwd ?? process.cwd();
  const formatHost: TS.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => cwd,
    getNewLine: () => "\n",
  };
  // Pulumi's defaults under the project's options (run.js, CommonJS path: target ES2020, module and
  // moduleResolution nodenext), so a program without a tsconfig is checked as Pulumi checks it.
  let compilerOptions: TS.CompilerOptions = {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  if (tsconfig !== undefined) {
    const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
    if (read.error) throw new TypeCheckError(ts.formatDiagnostics([read.error], formatHost), 1);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfig), undefined, tsconfig);
    // The include list does not matter (the root is the program, as ts-node loads it); options do.
    const optionErrors = parsed.errors.filter((d) => d.code !== 18003); // 18003: no inputs found
    if (optionErrors.length)
      throw new TypeCheckError(ts.formatDiagnostics(optionErrors, formatHost), optionErrors.length);
    compilerOptions = { ...compilerOptions, ...parsed.options };
    // Pulumi's host: without PULUMI_NODEJS_TRANSPILE_ONLY, the tsconfig's noCheck decides.
    if (compilerOptions.noCheck === true && transpileOnlyFromEnv() === undefined)
      return { mode: "skipped", tsconfig, files: 0 };
  }
  const options_: TS.CompilerOptions = {
    ...compilerOptions,
    noEmit: true,
    incremental: true,
    tsBuildInfoFile: path.join(cacheDir, `${id}.tsbuildinfo`),
  };
  const host = ts.createIncrementalCompilerHost(options_);
  host.writeFile = (file, text) => writeAtomically(file, text);
  const builder = ts.createIncrementalProgram({ rootNames: [program], options: options_, host });
  const diagnostics = [
    ...builder.getConfigFileParsingDiagnostics(),
    ...builder.getOptionsDiagnostics(),
    ...builder.getGlobalDiagnostics(),
    ...builder.getSyntacticDiagnostics(),
    ...builder.getSemanticDiagnostics(),
  ];
  // With noEmit, emit() writes only the build info: the per-file results the next run reuses.
  builder.emit();
  const sources = builder
    .getProgram()
    .getSourceFiles()
    .map((f) => f.fileName)
    .filter((f) => !f.includes("/node_modules/"));
  // The program's own files are judged: those under the project (or its tsconfig's) directory. A
  // library's sources reached by path from elsewhere are that library's to check, under its own
  // options, as its declaration files would be (skipLibCheck); global diagnostics have no file.
  const owners = [options.projectDir, ...(tsconfig ? [path.dirname(tsconfig)] : [])].map((d) => path.resolve(d));
  const own = (file: string) =>
    !file.includes(`${path.sep}node_modules${path.sep}`) &&
    owners.some((d) => path.resolve(file).startsWith(`${d}${path.sep}`));
  const errors = diagnostics.filter(
    (d) => d.category === ts.DiagnosticCategory.Error && (d.file === undefined || own(d.file.fileName)),
  );
  if (errors.length > 0) {
    fs.rmSync(stampFile, { force: true });
    throw new TypeCheckError(ts.formatDiagnostics(errors, formatHost), errors.length);
  }
  const files = Object.fromEntries(sources.map((f) => [path.resolve(f), sha256(fs.readFileSync(f))]));
  writeAtomically(stampFile, JSON.stringify({ key, files } satisfies Stamp));
  return { mode: "checked", tsconfig, files: sources.length };
}
