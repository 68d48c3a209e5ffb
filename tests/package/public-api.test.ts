import * as path from "node:path";
import { expect } from "chai";
import { describe, it } from "mocha";
import * as ts from "typescript";

// The package's public API is the components (issue #21): their classes, the types of their args and
// of what they expose, the error they throw on bad args, the policy pack and the Redis client factory.
// Every name `@huntaze/hardening` exports is listed here, so a new export is a decision made in
// review, not a side effect of `export *`; helpers (policy documents, alarm tables, resolve steps,
// defaults) stay inside the repository.

const repoRoot = path.resolve(__dirname, "..", "..");
const entry = path.join(repoRoot, "components", "index.ts");

const COMPONENTS = [
  "AccountBaseline",
  "AlertTopics",
  "CostTracking",
  "EncryptedQueue",
  "EncryptedRedis",
  "HardenedBucket",
  "HardenedDatabase",
  "ObservedCluster",
  "RateLimiterPipeline",
  "WorkflowQueue",
];

/** Runtime values: the components, the args error, the key construct, the pack and the Redis factory. */
const VALUES = [...COMPONENTS, "ArgsError", "createComponentKey", "createRedisClient", "policyPackRules"].sort();

/** Types only: each component's args and the types they are made of. */
const TYPES = [
  ...COMPONENTS.map((c) => `${c}Args`),
  "AlertTopicKind",
  "ComponentKeyArgs",
  "CostTopicArgs",
  "DatabaseThresholds",
  "EncryptedQueueAlarmThresholds",
  "EncryptedRedisAlarmThresholds",
  "EncryptedRedisCname",
  "KeyScope",
  "LambdaBundle",
  "LambdaBundler",
  "LogRetentionDays",
  "ObservedLogGroupArgs",
  "ObservedServiceArgs",
  "OnlyFansApiArgs",
  "PipelineAlarmSubjects",
  "PolicyStatement",
  "Problem",
  "QueueAlarmDescriptions",
  "RateLimiterAlarmThresholds",
  "RateLimiterLimits",
  "RateLimiterRedisArgs",
  "RedisClient",
  "RedisClientOverrides",
  "ServiceScaling",
  "ServiceThresholds",
  "WorkflowQueueAlarmThresholds",
].sort();

/** Every name the entry module exports, values and types, as the compiler sees them. */
function exportedNames(): { values: string[]; types: string[] } {
  const program = ts.createProgram([entry], { strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(entry);
  const module = sf && checker.getSymbolAtLocation(sf);
  if (!module) throw new Error(`${entry}: no module symbol`);
  const values: string[] = [];
  const types: string[] = [];
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    (target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.name);
  }
  return { values: values.sort(), types: types.sort() };
}

describe("the package's public API (@huntaze/hardening)", () => {
  const names = exportedNames();

  it("exports the components and the named values listed here, nothing else", () => {
    expect(names.values).to.deep.equal(VALUES);
  });

  it("exports the args and output types listed here, nothing else", () => {
    expect(names.types).to.deep.equal(TYPES);
  });

  it("every component's Args type is exported beside it", () => {
    for (const c of COMPONENTS) expect(names.types, c).to.include(`${c}Args`);
  });

  it("the policy pack is loaded on demand: the entry imports it inside policyPackRules() only", () => {
    // The entry's module body must not require the pack: its source names it only inside
    // policyPackRules() (a type-only import of the rule type is erased).
    const text = ts.sys.readFile(entry) ?? "";
    const topLevelPack = /^(import|export)[^;]*from "\.\.\/policy-pack\/policies"/m.test(text);
    expect(topLevelPack, "components/index.ts must not import the pack at load").to.equal(false);
    const rules = (require(entry) as { policyPackRules: () => readonly { name: string }[] }).policyPackRules();
    expect(rules.length).to.be.greaterThan(50);
    expect(rules.map((r) => r.name)).to.include("sns-topic-encrypted");
  });
});
