import { expect } from "chai";
import { describe, it } from "mocha";
import { complies, factory, notApplicableReason, UNKNOWN_STRING, violates } from "../support/policy-cases";

const FN = "aws:lambda/function:Function";
const PERMISSION = "aws:lambda/permission:Permission";
const URL = "aws:lambda/functionUrl:FunctionUrl";
const SECRET_VALUE = "hunter2-Sup3rS3cret-redis-password";

const fn = factory(FN, "limiter", {
  name: "limiter",
  runtime: "nodejs22.x",
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
    title: "nodejs22.x, and an image function without runtime",
    resources: [fn(), fn({ runtime: undefined, packageType: "Image" }, { name: "img" })],
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
