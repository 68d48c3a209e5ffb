import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { ConsumerSetupError, checkNodeVersion, consumerHome, minimumNodeMajor } from "../../tools/package-bin/consumer";
import { argsTables, packageReadme, withTables } from "../../tools/package-docs";

// The package's README (PACKAGE-README.md) and the bins' set-up, without packing (the pack test,
// pack-install.test.ts, runs the bins from an installed tarball).

const repoRoot = path.resolve(__dirname, "..", "..");
const manifest = path.join(repoRoot, "package.json");

describe("the package's README and the bins' set-up", () => {
  it("PACKAGE-README.md's argument tables are what `npm run docs:package` generates from the Args interfaces", () => {
    const readme = fs.readFileSync(packageReadme, "utf8");
    const tables = argsTables();
    expect(readme, "run npm run docs:package").to.equal(withTables(readme, tables));
    for (const component of ["EncryptedRedis", "HardenedBucket", "RateLimiterPipeline", "AlertTopics", "CostTracking"])
      expect(tables).to.match(new RegExp(`^### ${component} \\(\`${component}Args\`\\)$`, "m"));
    // A required argument and a documented default, as the .d.ts says them (AlertTopics has a spec
    // now: its table gains the "allowed" column, from the validator the component runs).
    expect(tables).to.match(
      /^\| `opsEmails` \| `readonly string\[\]` \| required \| a list, each an email address \| Email subscribers of the ops topic/m,
    );
    expect(tables).to.match(/^\| `tags` \| `Record<string, string>` \| default: no tags \|/m);
  });

  it("the tables check notices a README whose tables drifted", () => {
    const readme = fs.readFileSync(packageReadme, "utf8");
    const drifted = readme.replace("| `opsEmails` |", "| `opsEmail` |");
    expect(drifted).to.not.equal(readme);
    expect(withTables(drifted, argsTables())).to.equal(readme);
  });

  it("PACKAGE-README.md is for consumers: no seed documents, clone set-up or repository-only commands", () => {
    const readme = fs.readFileSync(packageReadme, "utf8");
    expect(readme).to.not.match(
      /\bseed \d{3}\b|the seed's|bootstrap|npm run (preview|policy:check|test)|\.venv-moto|docs\/benchmarks/,
    );
    // Node: one statement, the one engines makes.
    expect(readme).to.include(`**Node ${minimumNodeMajor(manifest)} or later** (\`engines\`)`);
  });

  it("the bins refuse a Node older than engines, naming the version to install", () => {
    expect(minimumNodeMajor(manifest)).to.equal(24);
    expect(() => checkNodeVersion("huntaze-preview", "20.20.2", manifest))
      .to.throw(ConsumerSetupError)
      .with.property("message")
      .that.matches(
        /huntaze-preview needs Node 24 or later \(the package's "engines"\), and this is Node 20\.20\.2: install Node 24/,
      );
    expect(() => checkNodeVersion("huntaze-preview", "24.0.0", manifest)).to.not.throw();
  });

  it("in a consumer's project the engine's home is the Pulumi.yaml at or above the current directory, with the packaged pack", () => {
    const example = path.join(repoRoot, "examples", "payments");
    const home = consumerHome(path.join(example, "node_modules", "x"), "huntaze-preview");
    expect(home.root).to.equal(example);
    expect(home.usageDir).to.equal(path.join(example, "usage"));
    expect(home.previewCommand).to.equal("npx huntaze-preview");
    // This file compiles to dist/tools/package-bin/consumer.js; the pack beside it is dist/policy-pack.
    expect(path.basename(home.policyPack)).to.equal("policy-pack");
    expect(home.cacheDir.startsWith(example)).to.equal(false);
  });
});
