import { expect } from "chai";
import { parseStackConfig } from "../../stacks/config";
import { buildStack } from "../../stacks/program";
import { ConfigValidationError } from "../../stacks/validation";
import type { PlainObject } from "../../tools/engine/secrets";
import { readStackFile } from "../../tools/engine/stack-file";
import { inputsOf, jsonInput, one, record } from "../support/pulumi-harness";

// The production stack file, read the way the CLI hands it to the program (objects as JSON text,
// `secure:` values as secret keys), builds the rate limiter pipeline with the configured settings.

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.problems;
    throw e;
  }
  throw new Error("expected a ConfigValidationError");
};

describe("production stack: rate limiter pipeline", function () {
  this.timeout(30_000);

  it("reads huntaze:rateLimiter and the OnlyFans token (a secret) from Pulumi.production.yaml", () => {
    const { config, secretKeys } = readStackFile("production");
    expect(secretKeys).to.include("huntaze:onlyfansApiToken");
    const parsed = parseStackConfig(config, secretKeys).rateLimiter;
    expect(parsed).to.deep.include({
      limits: { perWindow: 10, windowSeconds: 60, burst: 3 },
      batchSize: 1,
      maximumConcurrency: 2,
      lambdaTimeoutSeconds: 30,
      memoryMb: 256,
      visibilityTimeoutSeconds: 180,
    });
    expect(parsed.onlyfans.apiUrl).to.match(/^https:\/\//);
  });

  it("builds the queue, DLQ, function and mapping with the configured settings", async () => {
    const { config, secretKeys } = readStackFile("production");
    const parsed = parseStackConfig(config, secretKeys);
    const run = await record(() => buildStack(parsed), { stack: "production", config, secretKeys });

    const queue = one(run, "aws:sqs/queue:Queue", "rate-limiter-queue");
    const dlq = one(run, "aws:sqs/queue:Queue", "rate-limiter-dlq");
    expect(inputsOf(queue)).to.include({
      name: "huntaze-rate-limiter-queue",
      receiveWaitTimeSeconds: 20,
      visibilityTimeoutSeconds: 180,
    });
    expect(inputsOf(queue).kmsMasterKeyId)
      .to.be.a("string")
      .and.match(/^arn:aws:kms:/);
    expect(jsonInput(queue, "redrivePolicy")).to.deep.equal({
      deadLetterTargetArn: dlq.outputs.arn,
      maxReceiveCount: 5,
    });
    expect(inputsOf(dlq).messageRetentionSeconds).to.equal(1_209_600);

    const fn = one(run, "aws:lambda/function:Function", "rate-limiter");
    const f = inputsOf(fn);
    expect(f).to.include({ runtime: "nodejs24.x", memorySize: 256, timeout: 30 });
    expect((f.vpcConfig as PlainObject).subnetIds).to.deep.equal([
      "subnet-0a1b2c3d4e5f60001",
      "subnet-0a1b2c3d4e5f60002",
    ]);
    expect(f.sourceCodeHash)
      .to.be.a("string")
      .and.match(/^[A-Za-z0-9+/]{43}=$/);
    // The token travels only inside the Secrets Manager secret version, as a secret.
    const token = config["huntaze:onlyfansApiToken"];
    expect(token).to.be.a("string").and.not.equal("");
    expect(JSON.stringify(fn.inputs)).not.to.include(token);
    expect(inputsOf(one(run, "aws:secretsmanager/secretVersion:SecretVersion", "onlyfans")).secretString).to.equal(
      "[secret]",
    );

    const esm = inputsOf(one(run, "aws:lambda/eventSourceMapping:EventSourceMapping"));
    expect(esm).to.deep.include({
      batchSize: 1,
      functionResponseTypes: ["ReportBatchItemFailures"],
      scalingConfig: { maximumConcurrency: 2 },
    });

    expect(run.outputs.rateLimiterQueueUrl).to.equal(queue.outputs.url);
    expect(run.outputs.rateLimiterDlqUrl).to.equal(dlq.outputs.url);
    expect(run.outputs.rateLimiterFunctionName).to.equal("huntaze-rate-limiter");
  });

  it("lists every bad rate limiter setting at once", () => {
    const { config, secretKeys } = readStackFile("production");
    const bad = {
      ...config,
      "huntaze:rateLimiter": JSON.stringify({
        batchSize: 0,
        maximumConcurrency: 1,
        lambdaTimeoutSeconds: 30,
        visibilityTimeoutSeconds: 90,
        limits: { burst: 20 },
        onlyfans: { apiUrl: "http://api.onlyfans.com" },
        retries: 3,
      }),
      "huntaze:onlyfansApiToken": "a-plain-text-token-value",
    };
    const problems = problemsOf(() =>
      parseStackConfig(
        bad,
        secretKeys.filter((k) => k !== "huntaze:onlyfansApiToken"),
      ),
    );
    const byKey = Object.fromEntries(problems.map((p) => [p.key, p]));
    expect(Object.keys(byKey)).to.include.members([
      "huntaze:rateLimiter.batchSize",
      "huntaze:rateLimiter.maximumConcurrency",
      "huntaze:rateLimiter.visibilityTimeoutSeconds",
      "huntaze:rateLimiter.limits.burst",
      "huntaze:rateLimiter.onlyfans.apiUrl",
      "huntaze:rateLimiter.retries",
      "huntaze:onlyfansApiToken",
    ]);
    expect(byKey["huntaze:rateLimiter.visibilityTimeoutSeconds"]).to.include({
      allowed: "≥ 6 × lambda timeout (180)",
      got: "90",
    });
    expect(byKey["huntaze:rateLimiter.batchSize"]).to.include({ allowed: "an integer from 1 to 10", got: "0" });
    expect(JSON.stringify(problems)).not.to.include("a-plain-text-token-value");
  });
});
