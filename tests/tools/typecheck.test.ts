import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { describe, it } from "mocha";
import {
  TRANSPILE_ONLY_ENV,
  TypeCheckError,
  transpileOnlyFromEnv,
  typeCheckProgram,
} from "../../tools/engine/typecheck";
import { repoRoot, runTool } from "../support/cli";

// The preview type-checks a TypeScript program before running it, as Pulumi's Node.js host does
// (ts-node with type checking, the project's tsconfig.json); --transpile-only and
// PULUMI_NODEJS_TRANSPILE_ONLY=true skip the check.

const typo = path.join(repoRoot, "tests", "fixtures", "consumer-typo");
const broken = path.join(repoRoot, "tests", "fixtures", "consumer-type-errors");
const previewOf = (dir: string, stack: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  runTool(
    "preview.ts",
    ["--stack", stack, "--stack-dir", dir, "--program", path.join(dir, "index.ts"), "--quiet", ...extra],
    env,
  );

describe("type check before the preview (tools/engine/typecheck.ts)", function () {
  this.timeout(300_000);

  it("a consumer program with a misspelt argument exits 2 with tsc's message, no stack trace, nothing on stdout", async () => {
    const result = await previewOf(typo, "typo");
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stdout).to.equal("");
    expect(result.stderr).to.include(
      "tests/fixtures/consumer-typo/index.ts(6,52): error TS2561: Object literal may only specify known properties, but 'bucketname' does not exist in type 'HardenedBucketArgs'. Did you mean to write 'bucketName'?",
    );
    expect(result.stderr).to.match(/1 type error in the program/);
    expect(result.stderr).to.not.match(/\n\s+at /);
  });

  it("with --transpile-only, or PULUMI_NODEJS_TRANSPILE_ONLY=true, the same program previews", async () => {
    const [flag, env] = await Promise.all([
      previewOf(typo, "typo", ["--transpile-only"]),
      previewOf(typo, "typo", [], { [TRANSPILE_ONLY_ENV]: "true" }),
    ]);
    for (const result of [flag, env]) {
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.match(/Preview of stack typo/);
      expect(result.stdout).to.match(/\+ huntaze:storage:HardenedBucket\s+consumer-logs/);
    }
  });

  it("reports a missing required argument and a wrong type, each at its line", async () => {
    const result = await previewOf(broken, "errors");
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stderr).to.match(
      /consumer-type-errors\/index\.ts\(5,27\): error TS2345: .*\n\s+Property 'costEmails' is missing/,
    );
    expect(result.stderr).to.include(
      "consumer-type-errors/index.ts(6,33): error TS2322: Type 'string' is not assignable to type 'number'.",
    );
    expect(result.stderr).to.match(/2 type errors in the program/);
  });

  it("is incremental: an unchanged clean program is not compiled again; an edit is checked", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "huntaze-typecheck-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: tiny\nruntime: nodejs\n");
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, types: [], lib: ["ES2022"] } }),
    );
    const program = path.join(dir, "index.ts");
    fs.writeFileSync(program, 'import { size } from "./lib";\nexport const n: number = size("abc");\n');
    fs.writeFileSync(path.join(dir, "lib.ts"), "export const size = (s: string): number => s.length;\n");
    const check = () => typeCheckProgram({ program, projectDir: dir, cacheRoot: dir, cwd: dir });
    const first = check();
    expect(first.mode).to.equal("checked");
    expect(first.tsconfig).to.equal(path.join(dir, "tsconfig.json"));
    expect(first.files).to.equal(2);
    expect(
      fs
        .readdirSync(path.join(dir, "node_modules", ".cache", "huntaze-typecheck"))
        .some((f) => f.endsWith(".tsbuildinfo")),
    ).to.equal(true);
    expect(check().mode).to.equal("cached");
    // An imported module changes its type: the program no longer type-checks.
    fs.writeFileSync(path.join(dir, "lib.ts"), "export const size = (s: string): string => s;\n");
    let error: unknown;
    try {
      check();
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(TypeCheckError);
    expect((error as TypeCheckError).message).to.match(
      /^index\.ts\(2,14\): error TS2322: Type 'string' is not assignable to type 'number'\./,
    );
    // A failed check leaves no stamp: the next run checks again (and fails again).
    expect(() => check()).to.throw(TypeCheckError);
  });

  it("reads PULUMI_NODEJS_TRANSPILE_ONLY as Pulumi does", () => {
    expect(transpileOnlyFromEnv({ [TRANSPILE_ONLY_ENV]: "true" })).to.equal(true);
    expect(transpileOnlyFromEnv({ [TRANSPILE_ONLY_ENV]: "false" })).to.equal(false);
    expect(transpileOnlyFromEnv({ [TRANSPILE_ONLY_ENV]: "1" })).to.equal(false);
    expect(transpileOnlyFromEnv({})).to.equal(undefined);
  });
});
