import { expect } from "chai";
import { describe, it } from "mocha";
import { AlertTopics, type AlertTopicsArgs } from "../../components/alert-topics";
import { ArgsError } from "../../components/spec";
import { attempt } from "../support/args-error";
import { inputsOf, ofType, one, record } from "../support/pulumi-harness";

// AlertTopics: three encrypted topics, their policies and email subscribers; and the args a project
// without TypeScript gets wrong, refused with every problem named before anything is created.

const args = (over: Partial<AlertTopicsArgs> = {}): AlertTopicsArgs => ({
  namePrefix: "huntaze-staging",
  opsEmails: ["ops@huntaze.com"],
  securityEmails: ["security@huntaze.com"],
  costEmails: ["finops@huntaze.com", "cfo@huntaze.com"],
  ...over,
});

describe("AlertTopics", () => {
  it("creates the three topics under the one key, each with its policy and email subscribers", async () => {
    const run = await record(() => {
      new AlertTopics("alerts", args({ tags: { Team: "platform" } }));
    });
    const key = one(run, "aws:kms/key:Key");
    const topics = ofType(run, "aws:sns/topic:Topic").map(inputsOf);
    expect(topics.map((t) => t.name)).to.deep.equal([
      "huntaze-staging-ops-alerts",
      "huntaze-staging-security-alerts",
      "huntaze-staging-cost-alerts",
    ]);
    expect(topics.every((t) => t.kmsMasterKeyId === key.outputs.arn)).to.equal(true);
    expect(topics.every((t) => JSON.stringify(t.tags) === JSON.stringify({ Team: "platform" }))).to.equal(true);
    expect(ofType(run, "aws:sns/topicPolicy:TopicPolicy")).to.have.length(3);
    const subs = ofType(run, "aws:sns/topicSubscription:TopicSubscription").map(inputsOf);
    expect(subs.map((s) => [s.protocol, s.endpoint])).to.deep.equal([
      ["email", "ops@huntaze.com"],
      ["email", "security@huntaze.com"],
      ["email", "finops@huntaze.com"],
      ["email", "cfo@huntaze.com"],
    ]);
  });

  it("takes empty subscriber lists (a consumer may subscribe other endpoints itself)", async () => {
    const run = await record(() => {
      new AlertTopics("alerts", args({ opsEmails: [], securityEmails: [], costEmails: [] }));
    });
    expect(ofType(run, "aws:sns/topic:Topic")).to.have.length(3);
    expect(ofType(run, "aws:sns/topicSubscription:TopicSubscription")).to.deep.equal([]);
  });
});

describe("AlertTopics from another project (no TypeScript to catch the args)", () => {
  async function refused(given: unknown) {
    const { error, children } = await attempt(() => new AlertTopics("x", given as never));
    expect(error, "an ArgsError, not a TypeError").to.be.instanceOf(ArgsError);
    expect(children).to.deep.equal([]);
    return (error as ArgsError).problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`);
  }

  it("no args at all: names every required field", async () => {
    const missing = "got nothing (the key is missing)";
    expect(await refused({})).to.deep.equal([
      `opsEmails: expected a list, each an email address, ${missing}`,
      `securityEmails: expected a list, each an email address, ${missing}`,
      `costEmails: expected a list, each an email address, ${missing}`,
      `namePrefix: expected a topic name prefix (1–240 letters, digits, "-" or "_"), ${missing}`,
    ]);
    expect(await refused(undefined)).to.have.length(4);
  });

  it("wrong values: each named with what is allowed and what was given", async () => {
    expect(
      await refused({
        namePrefix: "huntaze production",
        opsEmails: "ops@huntaze.com",
        securityEmails: ["security@huntaze.com", "nobody"],
        costEmails: [],
        topicNames: { cost: "huntaze-cost-alerts.fifo" },
        tags: "platform",
      }),
    ).to.deep.equal([
      'opsEmails: expected a list, each an email address, got "ops@huntaze.com"',
      'securityEmails[1]: expected an email address, got "nobody"',
      'namePrefix: expected a topic name prefix (1–240 letters, digits, "-" or "_"), got "huntaze production"',
      'topicNames.cost: expected a standard topic name (1–256 letters, digits, "-" or "_"), got "huntaze-cost-alerts.fifo"',
      'tags: expected an object of string values, got "platform"',
    ]);
  });
});
