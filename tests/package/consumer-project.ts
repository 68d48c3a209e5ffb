import * as fs from "node:fs";
import * as path from "node:path";

// The project another Huntaze team writes to use this library: exactly what the README's "Use the
// components in another project" section shows. The pack test writes it into a temporary folder.

export const CONSUMER_PROJECT = "acme-notifications";

export const files: Record<string, string> = {
  "Pulumi.yaml": `name: ${CONSUMER_PROJECT}
runtime:
  name: nodejs
  options:
    typescript: true
main: index.ts
`,
  "Pulumi.dev.yaml": `config:
  aws:region: us-east-1
  ${CONSUMER_PROJECT}:vpcId: vpc-0a1b2c3d4e5f60718
  ${CONSUMER_PROJECT}:subnetIds:
    - subnet-0a1b2c3d4e5f60001
    - subnet-0a1b2c3d4e5f60002
  ${CONSUMER_PROJECT}:appSecurityGroupIds:
    - sg-0a1b2c3d4e5f60011
  ${CONSUMER_PROJECT}:alarmTopicArn: arn:aws:sns:us-east-1:123456789012:acme-ops
  ${CONSUMER_PROJECT}:onlyfansApiToken:
    secure: AAABAOfflinePlaceholderCiphertext
`,
  "tsconfig.json": `${JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        target: "ES2022",
        module: "commonjs",
        moduleResolution: "node",
        esModuleInterop: true,
        skipLibCheck: true,
        noEmit: true,
      },
      files: ["index.ts"],
    },
    null,
    2,
  )}\n`,
  "index.ts": `import * as pulumi from "@pulumi/pulumi";
import { EncryptedRedis, HardenedBucket, RateLimiterPipeline } from "huntaze-hardening";

const config = new pulumi.Config(); // this project's own keys: ${CONSUMER_PROJECT}:*
const vpcId = config.require("vpcId");
const subnetIds = config.requireObject<string[]>("subnetIds");
const appSecurityGroupIds = config.requireObject<string[]>("appSecurityGroupIds");
const alarmTopicArn = config.require("alarmTopicArn");

const archive = new HardenedBucket("exports", { tags: { Team: "notifications" } });

const redis = new EncryptedRedis("cache", {
  description: "Notifications cache",
  nodeType: "cache.t4g.small",
  vpcId,
  subnetIds,
  allowedSecurityGroupIds: appSecurityGroupIds,
  alarmTopicArn,
});

const sender = new RateLimiterPipeline("sender", {
  namePrefix: "acme-dev-sender",
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
export const codeHash = sender.sourceCodeHash;
`,
};

/** Writes the project into `dir`. */
export function writeConsumerProject(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
}
