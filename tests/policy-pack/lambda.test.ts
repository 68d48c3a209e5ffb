import { expect } from "chai";
import { describe, it } from "mocha";
import { runtimeVerdict, SCHEDULED_DEPRECATIONS, successorOf } from "../../policy-pack/rules/lambda";
import { complies, factory, notApplicableReason, UNKNOWN_STRING, violates } from "../support/policy-cases";

const FN = "aws:lambda/function:Function";
const PERMISSION = "aws:lambda/permission:Permission";
const URL = "aws:lambda/functionUrl:FunctionUrl";
const SECRET_VALUE = "hunter2-Sup3rS3cret-redis-password";

const fn = factory(FN, "limiter", {
  name: "limiter",
  runtime: "nodejs24.x",
  handler: "index.handler",
  role: "arn:aws:iam::111122223333:role/limiter",
  vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-1"] },
  deadLetterConfig: { targetArn: "arn:aws:sqs:eu-west-1:111122223333:dlq" },
  kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/abcd",
  environment: {
    variables: {
      REDIS_HOST: "master.redis.cache.amazonaws.com",
      REDIS_AUTH_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:redis",
    },
  },
  tracingConfig: { mode: "Active" },
  reservedConcurrentExecutions: 5,
});
const permission = factory(PERMISSION, "allow-s3", {
  action: "lambda:InvokeFunction",
  function: "limiter",
  principal: "s3.amazonaws.com",
  sourceArn: "arn:aws:s3:::bucket",
});

describe("Lambda rules", () => {
  complies({
    rule: "lambda-no-public-invoke",
    title: "a service principal with sourceArn, and an IAM-authenticated URL",
    resources: [
      permission(),
      { type: URL, name: "url", inputs: { functionName: "limiter", authorizationType: "AWS_IAM" } },
    ],
  });
  complies({
    rule: "lambda-no-public-invoke",
    title: 'principal "*" pinned by principalOrgId',
    resources: [permission({ principal: "*", sourceArn: undefined, principalOrgId: "o-abc" })],
  });
  violates({
    rule: "lambda-no-public-invoke",
    title: 'principal "*" with no source',
    resources: [permission({ principal: "*", sourceArn: undefined })],
    message: /principal "\*" invoke the function with no sourceArn/,
  });
  violates({
    rule: "lambda-no-public-invoke",
    title: "a function URL with authorizationType NONE",
    resources: [{ type: URL, name: "url", inputs: { functionName: "limiter", authorizationType: "NONE" } }],
    message: /authorizationType "NONE"/,
  });

  complies({
    rule: "lambda-supported-runtime",
    // nodejs24.x's deprecation (2028-04-30) is more than 30 days away until 2028-03-31.
    title: "nodejs24.x with scheduledWithinDays 30, and an image function without runtime",
    resources: [fn(), fn({ runtime: undefined, packageType: "Image" }, { name: "img" })],
    config: { "lambda-supported-runtime": { scheduledWithinDays: 30 } },
  });
  complies({
    rule: "lambda-supported-runtime",
    title: "a runtime AWS has published no deprecation date for (nodejs26.x)",
    resources: [fn({ runtime: "nodejs26.x" })],
  });
  violates({
    rule: "lambda-supported-runtime",
    title: "nodejs20.x (deprecated 2026-04-30)",
    resources: [fn({ runtime: "nodejs20.x" })],
    message: /runtime nodejs20\.x was deprecated on 2026-04-30: move to a supported runtime \(e\.g\. nodejs24\.x\)/,
  });
  violates({
    rule: "lambda-supported-runtime",
    // AWS's identifier (and Checkov's, and @pulumi/aws's Runtime.Dotnet5d0) is "dotnet5.0", not "dotnet5".
    title: "dotnet5.0 (deprecated 2022-05-10) with scheduledWithinDays 0",
    resources: [fn({ runtime: "dotnet5.0" })],
    config: { "lambda-supported-runtime": { scheduledWithinDays: 0 } },
    message: /runtime dotnet5\.0 was deprecated on 2022-05-10/,
  });
  violates({
    rule: "lambda-supported-runtime",
    title: "python3.10 (deprecated 2026-10-31)",
    resources: [fn({ runtime: "python3.10" })],
    message: /runtime python3\.10 was deprecated on 2026-10-31: move to a supported runtime \(e\.g\. python3\.14\)/,
  });
  violates({
    rule: "lambda-supported-runtime",
    title: "provided.al2 (the Amazon Linux 2 OS-only runtime, deprecated 2026-07-31)",
    resources: [fn({ runtime: "provided.al2" })],
    message:
      /runtime provided\.al2 was deprecated on 2026-07-31: move to a supported runtime \(e\.g\. provided\.al2023\)/,
  });
  violates({
    rule: "lambda-supported-runtime",
    // Scheduled for 2027-04-30: a warning naming the dates now, "deprecated" once the date has passed.
    title: "nodejs22.x (deprecation scheduled for 2027-04-30) under the default 365 days",
    resources: [fn({ runtime: "nodejs22.x" })],
    message:
      /runtime nodejs22\.x (is scheduled for deprecation on 2027-04-30 \(in \d+ days; AWS blocks creating functions on it from 2027-06-01 and updating them from 2027-07-01\)|was deprecated on 2027-04-30)/,
  });
  violates({
    rule: "lambda-supported-runtime",
    title: "nodejs24.x with scheduledWithinDays 3653 (the longest horizon)",
    resources: [fn()],
    config: { "lambda-supported-runtime": { scheduledWithinDays: 3653 } },
    message: /runtime nodejs24\.x (is scheduled for deprecation|was deprecated) on 2028-04-30/,
  });

  describe("successorOf (what a deprecated runtime's message suggests)", () => {
    it("suggests the newest runtime of the same family", () => {
      expect(
        ["nodejs20.x", "python3.9", "java8.al2", "dotnetcore3.1", "ruby2.7", "provided.al2", "go1.x"].map(successorOf),
      ).to.deep.equal([
        "nodejs24.x",
        "python3.14",
        "java25",
        "dotnet10",
        "ruby3.4",
        "provided.al2023",
        "provided.al2023",
      ]);
    });
    it("names no particular runtime for an unknown family", () => {
      expect(successorOf("cobol1.x")).to.equal("a supported runtime");
    });
  });

  describe("runtimeVerdict (AWS's runtime table on a given day)", () => {
    const on = (iso: string) => new Date(`${iso}T12:00:00Z`);
    it("reports a deprecated runtime with its date whatever the horizon", () => {
      expect(runtimeVerdict("nodejs20.x", on("2026-11-30"), 0)).to.deep.equal({
        kind: "deprecated",
        since: "2026-04-30",
      });
    });
    it("warns about nodejs22.x within the horizon, naming the deprecation and block dates", () => {
      expect(runtimeVerdict("nodejs22.x", on("2026-11-30"), 365)).to.deep.equal({
        kind: "scheduled",
        on: "2027-04-30",
        days: 151,
        schedule: { deprecation: "2027-04-30", blockCreate: "2027-06-01", blockUpdate: "2027-07-01" },
      });
    });
    it("counts whole days: the last day inside the horizon reports, the day before does not", () => {
      expect(runtimeVerdict("nodejs22.x", on("2027-03-31"), 30)).to.include({ kind: "scheduled", days: 30 });
      expect(runtimeVerdict("nodejs22.x", on("2027-03-30"), 30)).to.equal(undefined);
    });
    it("says nothing about a scheduled runtime beyond the horizon, or with horizon 0", () => {
      expect(runtimeVerdict("nodejs24.x", on("2026-11-30"), 365)).to.equal(undefined);
      expect(runtimeVerdict("nodejs22.x", on("2026-11-30"), 0)).to.equal(undefined);
    });
    it("treats a scheduled runtime as deprecated from its deprecation date on", () => {
      expect(runtimeVerdict("nodejs22.x", on("2027-04-30"), 0)).to.deep.equal({
        kind: "deprecated",
        since: "2027-04-30",
      });
    });
    it("knows no date for a runtime absent from both tables", () => {
      expect(runtimeVerdict("nodejs26.x", on("2026-11-30"), 3653)).to.equal(undefined);
      expect(Object.keys(SCHEDULED_DEPRECATIONS)).to.include.members(["nodejs22.x", "nodejs24.x"]);
    });
  });
  violates({
    rule: "lambda-supported-runtime",
    title: "nodejs18.x",
    resources: [fn({ runtime: "nodejs18.x" })],
    message: /nodejs18.x was deprecated on 2025-09-01/,
  });
  violates({
    rule: "lambda-supported-runtime",
    title: "python3.8",
    resources: [fn({ runtime: "python3.8" })],
    message: /python3.8/,
  });

  complies({ rule: "lambda-in-vpc-multi-az", title: "two subnets", resources: [fn()] });
  violates({
    rule: "lambda-in-vpc-multi-az",
    title: "no VPC",
    resources: [fn({ vpcConfig: undefined })],
    message: /not in a VPC/,
  });
  violates({
    rule: "lambda-in-vpc-multi-az",
    title: "one subnet",
    resources: [fn({ vpcConfig: { subnetIds: ["subnet-a"], securityGroupIds: [] } })],
    message: /one subnet/,
  });

  complies({ rule: "lambda-dead-letter-or-on-failure", title: "a deadLetterConfig", resources: [fn()] });
  complies({
    rule: "lambda-dead-letter-or-on-failure",
    title: "an SQS event source mapping (the queue's redrive handles failures)",
    resources: [
      fn({ deadLetterConfig: undefined }),
      {
        type: "aws:lambda/eventSourceMapping:EventSourceMapping",
        name: "esm",
        inputs: { functionName: "limiter", eventSourceArn: "arn:q" },
      },
    ],
  });
  complies({
    rule: "lambda-dead-letter-or-on-failure",
    title: "an on-failure destination in a FunctionEventInvokeConfig",
    resources: [
      fn({ deadLetterConfig: undefined }),
      {
        type: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
        name: "eic",
        inputs: { functionName: "limiter", destinationConfig: { onFailure: { destination: "arn:aws:sqs:q" } } },
      },
    ],
  });
  violates({
    rule: "lambda-dead-letter-or-on-failure",
    title: "no DLQ and no destination",
    resources: [fn({ deadLetterConfig: undefined })],
    message: /drops failed asynchronous invocations/,
  });

  complies({ rule: "lambda-environment-cmk", title: "kmsKeyArn with variables", resources: [fn()] });
  complies({
    rule: "lambda-environment-cmk",
    title: "no variables at all",
    resources: [fn({ kmsKeyArn: undefined, environment: undefined })],
  });
  violates({
    rule: "lambda-environment-cmk",
    title: "variables without kmsKeyArn",
    resources: [fn({ kmsKeyArn: undefined })],
    message: /aws\/lambda/,
  });

  complies({
    rule: "lambda-no-literal-secrets-in-environment",
    title: "a secret ARN and host names",
    resources: [fn()],
  });
  complies({
    rule: "lambda-no-literal-secrets-in-environment",
    title: "a secret-named variable exempted by allowedVariables",
    resources: [fn({ environment: { variables: { API_TOKEN: SECRET_VALUE } } })],
    config: { "lambda-no-literal-secrets-in-environment": { allowedVariables: ["API_TOKEN"] } },
  });
  complies({
    rule: "lambda-no-literal-secrets-in-environment",
    title: "a computed password unknown during preview (no false violation)",
    resources: [fn({ environment: { variables: { REDIS_PASSWORD: UNKNOWN_STRING } } })],
  });
  it("lambda-no-literal-secrets-in-environment: an unknown secret-named variable is re-checked on up", () => {
    expect(
      notApplicableReason("lambda-no-literal-secrets-in-environment", FN, {
        environment: { variables: { REDIS_PASSWORD: UNKNOWN_STRING } },
      }),
    ).to.match(/environment variable REDIS_PASSWORD: .*pulumi up/);
  });
  violates({
    rule: "lambda-no-literal-secrets-in-environment",
    title: "a literal password (the value is never echoed)",
    resources: [fn({ environment: { variables: { REDIS_PASSWORD: SECRET_VALUE } } })],
    message: /REDIS_PASSWORD holds a literal secret-looking value.*value not shown/,
    neverInMessages: SECRET_VALUE,
  });
  violates({
    rule: "lambda-no-literal-secrets-in-environment",
    title: "an AWS access key id under an innocent name",
    resources: [fn({ environment: { variables: { SOME_SETTING: "AKIAIOSFODNN7EXAMPLE" } } })],
    message: /AWS access key id/,
    neverInMessages: "AKIAIOSFODNN7EXAMPLE",
  });

  complies({ rule: "lambda-xray-tracing", title: "Active tracing", resources: [fn()] });
  violates({
    rule: "lambda-xray-tracing",
    title: "PassThrough",
    resources: [fn({ tracingConfig: { mode: "PassThrough" } })],
    message: /PassThrough/,
  });

  complies({ rule: "lambda-reserved-concurrency", title: "5 reserved", resources: [fn()] });
  violates({
    rule: "lambda-reserved-concurrency",
    title: "not set",
    resources: [fn({ reservedConcurrentExecutions: undefined })],
    message: /not set/,
  });
  violates({
    rule: "lambda-reserved-concurrency",
    title: "0",
    resources: [fn({ reservedConcurrentExecutions: 0 })],
    message: /never run/,
  });
});
