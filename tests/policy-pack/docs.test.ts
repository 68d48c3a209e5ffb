import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { describe, it } from "mocha";
import { allPolicies } from "../../policy-pack/policies";
import { renderRuleList } from "../../tools/engine/rule-list";

describe("docs/policies.md", () => {
  it("is exactly what `npm run policy:check -- --list --markdown` prints (regenerate it after changing a rule)", () => {
    const committed = fs.readFileSync(path.resolve(__dirname, "..", "..", "docs", "policies.md"), "utf8");
    expect(committed, "run: npm run -s policy:check -- --list --markdown > docs/policies.md").to.equal(
      `${renderRuleList(allPolicies, "markdown")}\n`,
    );
  });
});
