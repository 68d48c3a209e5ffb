// The payments team's stack: alert topics, an export bucket, a TLS Redis cache and the rate-limited
// sender (SQS → Lambda) built from @huntaze/hardening's components.

import { AlertTopics, EncryptedRedis, HardenedBucket, RateLimiterPipeline } from "@huntaze/hardening";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config(); // this project's own keys: payments:*
const vpcId = config.require("vpcId");
const subnetIds = config.requireObject<string[]>("subnetIds");
const appSecurityGroupIds = config.requireObject<string[]>("appSecurityGroupIds");
const stack = pulumi.getStack();

const alerts = new AlertTopics("alerts", {
  namePrefix: `payments-${stack}`,
  opsEmails: config.requireObject<string[]>("opsEmails"),
  securityEmails: [],
  costEmails: [],
});
const alarmTopicArn = alerts.ops.arn;

const archive = new HardenedBucket("exports", { tags: { Team: "payments" } });

const redis = new EncryptedRedis("cache", {
  description: "Payments cache",
  nodeType: "cache.t4g.small",
  vpcId,
  subnetIds,
  allowedSecurityGroupIds: appSecurityGroupIds,
  alarmTopicArn,
});

const sender = new RateLimiterPipeline("sender", {
  namePrefix: `payments-${stack}-sender`,
  vpcId,
  subnetIds,
  redis: {
    host: redis.primaryEndpoint,
    tlsServername: redis.tlsServername,
    authTokenSecretArn: redis.authSecretArn,
    authTokenSecretKmsKeyArn: redis.kmsKeyArn,
    securityGroupId: redis.securityGroup.id,
  },
  onlyfans: { apiUrl: "https://onlyfansapi.example.com/v1", apiToken: config.requireSecret("onlyfansApiToken") },
  alarmTopicArn,
});

export const bucketName = archive.bucketName;
export const queueUrl = sender.queue.url;
export const codeHash = sender.sourceCodeHash; // sha256 of the Lambda bundle shipped in the package
// The monthly budget the offline cost estimate (`npx huntaze-preview --cost`) compares against.
export const monthlyBudgetUsd = config.requireNumber("monthlyBudgetUsd");
