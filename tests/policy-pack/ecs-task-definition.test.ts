import { describe } from "mocha";
import { complies, UNKNOWN_STRING, violates } from "../support/policy-cases";
import type { TestResource } from "../support/policy-harness";

const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const DB_PASSWORD = "pg-Sup3r-secret-password";
const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";

const container = (environment: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
  name: "api",
  image: "api:1",
  essential: true,
  environment,
  ...extra,
});
const task = (containers: Record<string, unknown>[] | string, extra: Record<string, unknown> = {}): TestResource => ({
  type: TASK,
  name: "api-task",
  inputs: {
    family: "api",
    containerDefinitions: typeof containers === "string" ? containers : JSON.stringify(containers),
    ...extra,
  },
});
const efsVolume = (efs: Record<string, unknown>, name = "data") => ({
  name,
  efsVolumeConfiguration: { fileSystemId: "fs-0123456789abcdef0", rootDirectory: "/", ...efs },
});
const plain = [
  { name: "LOG_LEVEL", value: "info" },
  { name: "DB_PASSWORD_SECRET_ARN", value: "arn:aws:secretsmanager:us-east-1:111122223333:secret:db" },
];

describe("ECS task definition rules (secrets, EFS volumes)", () => {
  complies({
    rule: "ecs-task-no-literal-secrets-in-environment",
    title: "plain settings, a secret's ARN, and the password passed through `secrets`",
    resources: [
      task([
        container(plain, {
          secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:111122223333:secret:db" }],
        }),
      ]),
    ],
  });
  complies({
    rule: "ecs-task-no-literal-secrets-in-environment",
    title: "a secret-like name listed in allowedVariables",
    resources: [task([container([{ name: "AUTH_MODE_TOKEN", value: "not-a-secret-value" }])])],
    config: { "ecs-task-no-literal-secrets-in-environment": { allowedVariables: ["AUTH_MODE_TOKEN"] } },
  });
  complies({
    rule: "ecs-task-no-literal-secrets-in-environment",
    title: "an AWS access key (left to ecs-task-no-aws-credentials-in-environment, reported once)",
    resources: [task([container([{ name: "AWS_ACCESS_KEY_ID", value: ACCESS_KEY }])])],
    neverInMessages: ACCESS_KEY,
    andThen: (violations) => {
      const names = violations.map((v) => v.policy);
      if (!names.includes("ecs-task-no-aws-credentials-in-environment"))
        throw new Error(`the credentials rule should report the key; got ${names.join(", ")}`);
    },
  });
  complies({
    rule: "ecs-task-no-literal-secrets-in-environment",
    title: "container definitions unknown during preview",
    resources: [task(UNKNOWN_STRING)],
  });
  violates({
    rule: "ecs-task-no-literal-secrets-in-environment",
    title: "a database password in `environment`",
    resources: [task([container([...plain, { name: "DB_PASSWORD", value: DB_PASSWORD }])])],
    message: /container api: environment variable DB_PASSWORD holds a literal secret-looking value \(value not shown\)/,
    neverInMessages: DB_PASSWORD,
  });
  violates({
    rule: "ecs-task-no-literal-secrets-in-environment",
    title: "a private key in the second container",
    resources: [
      task([
        container(plain),
        container(
          [{ name: "TLS_KEY", value: "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----" }],
          {
            name: "sidecar",
          },
        ),
      ]),
    ],
    message: /container sidecar: environment variable TLS_KEY holds a private key/,
    neverInMessages: "MIIE",
  });
  violates({
    rule: "ecs-task-no-literal-secrets-in-environment",
    title: "container definitions that are not JSON",
    resources: [task("[{not json")],
    message: /not valid JSON/,
  });

  complies({
    rule: "ecs-task-efs-transit-encryption",
    title: "an EFS volume with transitEncryption ENABLED and a host volume",
    resources: [
      task([container(plain)], {
        volumes: [efsVolume({ transitEncryption: "ENABLED" }), { name: "scratch", hostPath: "/ecs/scratch" }],
      }),
    ],
  });
  complies({
    rule: "ecs-task-efs-transit-encryption",
    title: "no volumes",
    resources: [task([container(plain)])],
  });
  violates({
    rule: "ecs-task-efs-transit-encryption",
    title: "an EFS volume without transitEncryption (DISABLED by default)",
    resources: [task([container(plain)], { volumes: [efsVolume({})] })],
    message: /EFS volume "data" is mounted without transit encryption \(transitEncryption is not set\)/,
  });
  violates({
    rule: "ecs-task-efs-transit-encryption",
    title: "the second EFS volume DISABLED while the first is ENABLED",
    resources: [
      task([container(plain)], {
        volumes: [efsVolume({ transitEncryption: "ENABLED" }), efsVolume({ transitEncryption: "DISABLED" }, "logs")],
      }),
    ],
    message: /EFS volume "logs" .*transitEncryption is "DISABLED"/,
  });
});
