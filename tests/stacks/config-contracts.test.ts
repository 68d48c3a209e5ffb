import { expect } from "chai";
import { describe, it } from "mocha";
import { LOG_RETENTION_DAYS } from "../../components/log-retention";
import {
  RateLimiterPipeline,
  type RateLimiterPipelineArgs,
  resolveRateLimiterArgs,
} from "../../components/rate-limiter-pipeline";
import { DEFAULT_LIMITS, SETTINGS_ENV, settingsFromEnv } from "../../lambdas/rate-limiter/config";
import { parseStackConfig } from "../../stacks/config";
import { ConfigValidationError } from "../../stacks/validation";
import { readStackFile } from "../../tools/engine/stack-file";

// One source for each contract: the stack config takes the component's argument names and accepts
// exactly what the component and the runtime accept (their defaults, ranges and rules, imported).

function problemsWith(key: string, patch: (section: Record<string, unknown>) => Record<string, unknown>) {
  const { config, secretKeys } = readStackFile("production");
  const section = JSON.parse(config[key]!) as Record<string, unknown>;
  try {
    parseStackConfig({ ...config, [key]: JSON.stringify(patch(section)) }, secretKeys);
    return [];
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.problems;
    throw e;
  }
}

describe("stack config: one source for each contract", () => {
  it("accepts every log retention the component accepts (2192 days was refused before), and refuses the rest", () => {
    expect(LOG_RETENTION_DAYS).to.include(2192);
    expect(problemsWith("huntaze:rateLimiter", (r) => ({ ...r, logRetentionDays: 2192 }))).to.deep.equal([]);
    const [p] = problemsWith("huntaze:rateLimiter", (r) => ({ ...r, logRetentionDays: 10 }));
    expect(p).to.deep.include({ key: "huntaze:rateLimiter.logRetentionDays", got: "10" });
    expect(p?.allowed).to.equal(`one of ${LOG_RETENTION_DAYS.join(", ")}`);
  });

  it("checks limits with the runtime's rules, under the component's argument name", () => {
    const problems = problemsWith("huntaze:rateLimiter", (r) => ({
      ...r,
      limits: { perWindow: 2, windowSeconds: 0, burst: 3 },
    }));
    expect(problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`)).to.have.members([
      "huntaze:rateLimiter.limits.windowSeconds: expected an integer from 1 to 86400, got 0",
      "huntaze:rateLimiter.limits.burst: expected an integer from 1 to perWindow (2), got 3",
    ]);
  });

  it("defaults the limits to the runtime's defaults when the section leaves them out", () => {
    const { config, secretKeys } = readStackFile("production");
    const r = JSON.parse(config["huntaze:rateLimiter"]!) as Record<string, unknown>;
    delete r["limits"];
    const parsed = parseStackConfig({ ...config, "huntaze:rateLimiter": JSON.stringify(r) }, secretKeys);
    expect(parsed.rateLimiter.limits).to.deep.equal(DEFAULT_LIMITS);
  });

  it("checks Redis alarm thresholds with the component's rules and names", () => {
    const problems = problemsWith("huntaze:redis", (r) => ({
      ...r,
      alarms: { cpuPercentThreshold: 150, evictionsThreshold: -1 },
    }));
    expect(problems.map((p) => `${p.key}: expected ${p.allowed}, got ${p.got}`)).to.have.members([
      "huntaze:redis.alarms.cpuPercentThreshold: expected a number > 0 and ≤ 100, got 150",
      "huntaze:redis.alarms.evictionsThreshold: expected an integer ≥ 0, got -1",
    ]);
  });

  const pipelineArgs = (extra: Partial<RateLimiterPipelineArgs>): RateLimiterPipelineArgs => ({
    // Valid ids and ARNs: the component checks their formats (subnets, VPC, group, topic, token length).
    vpcId: "vpc-0a1b2c3d",
    subnetIds: ["subnet-0a1b2c3d"],
    vpcCidrBlock: "10.0.0.0/16",
    redis: { host: "h", securityGroupId: "sg-0a1b2c3d" },
    onlyfans: { apiUrl: "https://x.example", apiToken: "t".repeat(16) },
    alarmTopicArn: "arn:aws:sns:us-east-1:111122223333:t",
    ...extra,
  });

  it("the component refuses what the stack refuses: the same message for limits", () => {
    expect(() => new RateLimiterPipeline("bad", pipelineArgs({ limits: { perWindow: 2, burst: 3 } }))).to.throw(
      "limits.burst: expected an integer from 1 to perWindow (2), got 3",
    );
  });

  it("accepts only the values the function's environment parser accepts (MAX_ATTEMPTS, MAX_CONCURRENCY)", () => {
    const r = resolveRateLimiterArgs("ok", pipelineArgs({ maxReceiveCount: 100, maximumConcurrency: 1000 }));
    const env = {
      [SETTINGS_ENV.maxAttempts]: String(r.maxReceiveCount),
      [SETTINGS_ENV.maxConcurrency]: String(r.maximumConcurrency),
    };
    expect(settingsFromEnv(env).ok).to.equal(true);
    expect(() => resolveRateLimiterArgs("bad", pipelineArgs({ maxReceiveCount: 101 }))).to.throw(
      "maxReceiveCount: expected an integer from 1 to 100, got 101",
    );
    expect(settingsFromEnv({ [SETTINGS_ENV.maxAttempts]: "101" }).ok).to.equal(false);
  });
});
