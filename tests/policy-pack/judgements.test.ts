import { expect } from "chai";
import {
  credentialEnvironmentNames,
  disabledGuardDutyFeatures,
  elasticacheAuthProblem,
  elasticacheTransit,
  enforcesTls,
  isCustomerKey,
  literalSecretEnvironment,
  logRetentionProblem,
  postgresForceSslEffective,
  publicAccessBlockGaps,
  taskRoleProblem,
  tlsParameter,
  trailCoverageProblem,
} from "../../policy-pack/lib/judgements";

// The judgements the policy rules and `npm run audit` share: one answer per question, whichever
// spelling (Pulumi camelCase inputs or AWS API PascalCase answers) the caller reads.

describe("shared judgements (policy pack and live audit)", () => {
  it("ElastiCache transit: required ok, preferred its own verdict, off whatever the mode", () => {
    expect(elasticacheTransit(true, "required").kind).to.equal("ok");
    expect(elasticacheTransit(true, undefined).kind).to.equal("ok");
    expect(elasticacheTransit(true, "preferred").kind).to.equal("preferred");
    expect(elasticacheTransit(false, "required").kind).to.equal("off");
    expect(elasticacheTransit(undefined, undefined).kind).to.equal("off");
  });

  it("ElastiCache AUTH needs a credential and TLS to carry it", () => {
    expect(elasticacheAuthProblem(true, true)).to.equal(undefined);
    expect(elasticacheAuthProblem(false, true)).to.match(/no AUTH token/);
    expect(elasticacheAuthProblem(true, false)).to.match(/TLS is off/);
  });

  it("customer keys: ARNs and custom aliases yes; absent and alias/aws/* no", () => {
    expect(isCustomerKey("arn:aws:kms:us-east-1:1:key/abc")).to.equal(true);
    expect(isCustomerKey("alias/huntaze-redis")).to.equal(true);
    for (const k of [undefined, "", "alias/aws/elasticache", "arn:aws:kms:us-east-1:1:alias/aws/elasticache"])
      expect(isCustomerKey(k), String(k)).to.equal(false);
  });

  it("public access block gaps read both spellings, and an absent block misses all four", () => {
    const api = {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    };
    const pulumi = {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: "true",
    };
    expect(publicAccessBlockGaps(api)).to.deep.equal(["RestrictPublicBuckets"]);
    expect(publicAccessBlockGaps(pulumi)).to.deep.equal(["RestrictPublicBuckets"]);
    expect(publicAccessBlockGaps(undefined)).to.have.length(4);
  });

  it("trail coverage and RDS TLS parameters", () => {
    expect(trailCoverageProblem({ multiRegion: true, logging: undefined })).to.equal(undefined);
    expect(trailCoverageProblem({ multiRegion: true, logging: false })).to.match(/not logging/);
    expect(trailCoverageProblem({ multiRegion: false, logging: true })).to.match(/single-region/);
    expect(tlsParameter("aurora-postgresql")?.name).to.equal("rds.force_ssl");
    expect(tlsParameter("mariadb")?.name).to.equal("require_secure_transport");
    expect(enforcesTls(tlsParameter("mysql")!, "ON")).to.equal(true);
    expect(enforcesTls(tlsParameter("postgres")!, 0)).to.equal(false);
  });

  it("rds.force_ssl in effect: an explicit value wins, else PostgreSQL >= 15 defaults on (not Aurora)", () => {
    expect(postgresForceSslEffective("0", "16.1")).to.equal(false);
    expect(postgresForceSslEffective("1", "11.22")).to.equal(true);
    expect(postgresForceSslEffective(undefined, "15.0")).to.equal(true);
    expect(postgresForceSslEffective(undefined, "14.12")).to.equal(false);
    expect(postgresForceSslEffective(undefined, undefined)).to.equal(false);
    expect(postgresForceSslEffective(undefined, "16.4", false)).to.equal(false);
  });

  it("retention, GuardDuty features, ECS roles and credentials", () => {
    expect(logRetentionProblem(0, 1)).to.match(/never expire/);
    expect(logRetentionProblem(7, 30)).to.match(/at least 30 days/);
    expect(logRetentionProblem(30, 30)).to.equal(undefined);
    expect(
      disabledGuardDutyFeatures([
        { name: "S3_DATA_EVENTS", status: "DISABLED" },
        { name: "EKS_AUDIT_LOGS", status: "DISABLED" },
      ]),
    ).to.deep.equal(["S3_DATA_EVENTS"]);
    expect(taskRoleProblem("arn:r", "arn:r")).to.match(/is the execution role/);
    expect(taskRoleProblem(undefined, "arn:r")).to.match(/no task role/);
    expect(taskRoleProblem("arn:t", "arn:r")).to.equal(undefined);
    expect(
      credentialEnvironmentNames([
        { name: "aws_secret_access_key", value: "x" },
        { name: "OTHER", value: "ASIAIOSFODNN7EXAMPLE" },
        { name: "REGION", value: "us-east-1" },
      ]),
    ).to.deep.equal(["aws_secret_access_key", "OTHER"]);
  });

  it("literalSecretEnvironment: names and reasons of literal secrets in an ECS environment, never the values", () => {
    const password = "pg-Sup3r-secret-password";
    const found = literalSecretEnvironment(
      [
        { name: "DB_PASSWORD", value: password },
        { name: "DB_PASSWORD_SECRET_ARN", value: "arn:aws:secretsmanager:us-east-1:111122223333:secret:db" },
        { name: "API_TOKEN", value: "short" },
        { name: "FEATURE_AUTH_ENABLED", value: "true-ish-value" },
        { name: "KEY_ID", value: "AKIAIOSFODNN7EXAMPLE" },
        { name: "LOG_LEVEL", value: "info" },
        { name: "ALLOWED_SECRET", value: "a-long-literal-value" },
      ],
      new Set(["ALLOWED_SECRET"]),
    );
    expect(found).to.deep.equal([
      { name: "DB_PASSWORD", why: "a literal secret-looking value" },
      { name: "KEY_ID", why: "an AWS access key id" },
    ]);
    expect(JSON.stringify(found)).to.not.include(password);
  });
});
