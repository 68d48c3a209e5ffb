import { describe } from "mocha";
import { complies, factory, UNKNOWN_STRING, violates } from "../support/policy-cases";

const CLUSTER = "aws:ecs/cluster:Cluster";
const SERVICE = "aws:ecs/service:Service";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

const cluster = factory(CLUSTER, "app", {
  settings: [{ name: "containerInsights", value: "enabled" }],
  configuration: {
    executeCommandConfiguration: {
      kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/abcd",
      logging: "OVERRIDE",
      logConfiguration: { cloudWatchEncryptionEnabled: true, cloudWatchLogGroupName: "/ecs/exec" },
    },
  },
});
const service = factory(SERVICE, "api", {
  cluster: "app",
  launchType: "FARGATE",
  networkConfiguration: { subnets: ["subnet-a"], assignPublicIp: false },
});
const container = {
  name: "api",
  image: "api:1",
  essential: true,
  readonlyRootFilesystem: true,
  logConfiguration: { logDriver: "awslogs", options: {} },
  environment: [{ name: "LOG_LEVEL", value: "info" }],
};
const task = (containers: Record<string, unknown>[] = [container], extra: Record<string, unknown> = {}) => ({
  type: TASK,
  name: "api-task",
  inputs: {
    family: "api",
    requiresCompatibilities: ["FARGATE"],
    containerDefinitions: JSON.stringify(containers),
    ...extra,
  },
});

describe("ECS rules", () => {
  complies({ rule: "ecs-container-insights", title: "enabled", resources: [cluster()] });
  violates({
    rule: "ecs-container-insights",
    title: "no settings",
    resources: [cluster({ settings: undefined })],
    message: /Container Insights is off/,
  });

  complies({ rule: "ecs-exec-logging-encrypted", title: "KMS + encrypted CloudWatch logging", resources: [cluster()] });
  violates({
    rule: "ecs-exec-logging-encrypted",
    title: "not configured",
    resources: [cluster({ configuration: undefined })],
    message: /not configured/,
  });
  violates({
    rule: "ecs-exec-logging-encrypted",
    title: "logging NONE without a key",
    resources: [cluster({ configuration: { executeCommandConfiguration: { logging: "NONE" } } })],
  });

  complies({ rule: "ecs-service-no-public-ip", title: "assignPublicIp false", resources: [service()] });
  violates({
    rule: "ecs-service-no-public-ip",
    title: "assignPublicIp true",
    resources: [service({ networkConfiguration: { subnets: ["s"], assignPublicIp: true } })],
    message: /public IP/,
  });

  complies({ rule: "ecs-fargate-latest-platform", title: "platform unset", resources: [service()] });
  violates({
    rule: "ecs-fargate-latest-platform",
    title: "pinned to 1.3.0",
    resources: [service({ platformVersion: "1.3.0" })],
    message: /1.3.0/,
  });

  complies({ rule: "ecs-task-non-privileged", title: "unprivileged", resources: [task()] });
  complies({
    rule: "ecs-task-non-privileged",
    title: "container definitions unknown during preview",
    resources: [task([], { containerDefinitions: UNKNOWN_STRING })],
  });
  violates({
    rule: "ecs-task-non-privileged",
    title: "privileged",
    resources: [task([{ ...container, privileged: true }])],
    message: /container api: privileged/,
  });

  complies({ rule: "ecs-task-read-only-root-filesystem", title: "read-only", resources: [task()] });
  violates({
    rule: "ecs-task-read-only-root-filesystem",
    title: "writable",
    resources: [task([{ ...container, readonlyRootFilesystem: false }])],
  });

  complies({ rule: "ecs-task-no-host-pid", title: "pidMode unset", resources: [task()] });
  violates({
    rule: "ecs-task-no-host-pid",
    title: "pidMode host",
    resources: [task([container], { pidMode: "host" })],
    message: /"host"/,
  });

  complies({ rule: "ecs-task-log-configuration", title: "awslogs", resources: [task()] });
  violates({
    rule: "ecs-task-log-configuration",
    title: "no logConfiguration",
    resources: [task([{ name: "sidecar", image: "x", readonlyRootFilesystem: true }])],
    message: /container sidecar/,
  });

  complies({ rule: "ecs-task-no-aws-credentials-in-environment", title: "plain settings", resources: [task()] });
  violates({
    rule: "ecs-task-no-aws-credentials-in-environment",
    title: "AWS_SECRET_ACCESS_KEY in the environment (value never echoed)",
    resources: [task([{ ...container, environment: [{ name: "AWS_SECRET_ACCESS_KEY", value: SECRET_KEY }] }])],
    message: /AWS_SECRET_ACCESS_KEY \(values not shown\)/,
    neverInMessages: SECRET_KEY,
  });
  const TASK_ROLE = "arn:aws:iam::111122223333:role/api-task";
  const EXECUTION_ROLE = "arn:aws:iam::111122223333:role/api-execution";
  complies({
    rule: "ecs-task-role-separate",
    title: "its own task role",
    resources: [task([container], { taskRoleArn: TASK_ROLE, executionRoleArn: EXECUTION_ROLE })],
  });
  complies({
    rule: "ecs-task-role-separate",
    title: "task role unknown in preview (re-checked on up)",
    resources: [task([container], { taskRoleArn: UNKNOWN_STRING, executionRoleArn: EXECUTION_ROLE })],
  });
  complies({
    rule: "ecs-task-role-separate",
    title: "execution role unknown in preview (re-checked on up)",
    resources: [task([container], { taskRoleArn: TASK_ROLE, executionRoleArn: UNKNOWN_STRING })],
  });
  violates({
    rule: "ecs-task-role-separate",
    title: "no task role",
    resources: [task([container], { executionRoleArn: EXECUTION_ROLE })],
    message: /no task role \(taskRoleArn\)/,
  });
  violates({
    rule: "ecs-task-role-separate",
    title: "no task role, execution role unknown",
    resources: [task([container], { executionRoleArn: UNKNOWN_STRING })],
    message: /no task role/,
  });
  violates({
    rule: "ecs-task-role-separate",
    title: "the task role is the execution role",
    resources: [task([container], { taskRoleArn: EXECUTION_ROLE, executionRoleArn: EXECUTION_ROLE })],
    message: /the task role is the execution role/,
  });
});
