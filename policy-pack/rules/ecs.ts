import { ecs } from "../lib/aws-types";
import { asArray, at, type Check, isUnknown, parseJson, resourcePolicy } from "../lib/inspect";
import { credentialEnvironmentNames, taskRoleProblem } from "../lib/judgements";
import type { HuntazePolicy } from "../rule";

const containerInsights = resourcePolicy({
  name: "ecs-container-insights",
  summary: 'ECS clusters have Container Insights on (setting containerInsights "enabled" or "enhanced")',
  enforcementLevel: "advisory",
  references: { catalogue: [40], fsbp: ["ECS.12"], checkov: ["CKV_AWS_65"] },
  resourceTypes: ecs.cluster,
  check: (c) => {
    const settings = c.props.settings;
    if (isUnknown(settings)) return c.unknown("settings");
    const setting = (asArray(settings) as Record<string, unknown>[]).find((s) => s?.name === "containerInsights");
    if (setting && isUnknown(setting.value)) c.unknown("settings.containerInsights");
    else if (!setting || !["enabled", "enhanced"].includes(String(setting.value)))
      c.report(
        'Container Insights is off: add settings [{ name: "containerInsights", value: "enabled" }] (task-count alarms need it)',
      );
  },
});

const execLogging = resourcePolicy({
  name: "ecs-exec-logging-encrypted",
  summary:
    "ECS clusters configure ECS Exec with a KMS key, logging that is not NONE and an encrypted CloudWatch/S3 log configuration (CKV_AWS_223 and CKV_AWS_224 together: unlike CKV_AWS_223 alone, a configuration without kmsKeyId fails; unlike CKV_AWS_224, a cluster without any ECS Exec configuration fails instead of being left unknown)",
  enforcementLevel: "advisory",
  references: { catalogue: [41], fsbp: [], checkov: ["CKV_AWS_223", "CKV_AWS_224"] },
  resourceTypes: ecs.cluster,
  check: (c) => {
    const cfg = at(c.props, "configuration.executeCommandConfiguration");
    if (isUnknown(cfg)) return c.unknown("configuration.executeCommandConfiguration");
    if (!cfg || typeof cfg !== "object") {
      c.report("ECS Exec is not configured: set configuration.executeCommandConfiguration { kmsKeyId, logging }");
      return;
    }
    const exec = cfg as Record<string, unknown>;
    if (isUnknown(exec.kmsKeyId) || isUnknown(exec.logging)) return c.unknown("executeCommandConfiguration");
    if (typeof exec.kmsKeyId !== "string" || exec.kmsKeyId === "")
      c.report("ECS Exec sessions are not encrypted with a KMS key (executeCommandConfiguration.kmsKeyId)");
    if (exec.logging === "NONE") c.report("ECS Exec sessions are not logged (logging: NONE)");
    if (exec.logging !== "NONE") {
      const log = (exec.logConfiguration ?? {}) as Record<string, unknown>;
      if (log.cloudWatchEncryptionEnabled !== true && log.s3BucketEncryptionEnabled !== true)
        c.report(
          "ECS Exec logs are not encrypted (logConfiguration.cloudWatchEncryptionEnabled / s3BucketEncryptionEnabled)",
        );
    }
  },
});

const noPublicIp = resourcePolicy({
  name: "ecs-service-no-public-ip",
  summary: "ECS services do not assign public IPs to tasks (networkConfiguration.assignPublicIp not true)",
  enforcementLevel: "mandatory",
  references: { catalogue: [42], fsbp: ["ECS.2"], checkov: ["CKV_AWS_333"] },
  resourceTypes: ecs.service,
  check: (c) => {
    const v = at(c.props, "networkConfiguration.assignPublicIp");
    if (isUnknown(v)) c.unknown("networkConfiguration.assignPublicIp");
    else if (v === true)
      c.report("assignPublicIp is true: every task gets a public IP; use private subnets with a NAT or VPC endpoints");
  },
});

function isFargate(props: Record<string, unknown>): boolean {
  if (props.launchType === "FARGATE") return true;
  return (asArray(props.capacityProviderStrategies) as Record<string, unknown>[]).some((s) =>
    String(s?.capacityProvider ?? "").startsWith("FARGATE"),
  );
}

const latestPlatform = resourcePolicy({
  name: "ecs-fargate-latest-platform",
  summary: "Fargate services run on the LATEST platform version (platformVersion unset or LATEST)",
  enforcementLevel: "advisory",
  references: { catalogue: [43], fsbp: ["ECS.10"], checkov: ["CKV_AWS_332"] },
  resourceTypes: ecs.service,
  check: (c) => {
    if (!isFargate(c.props)) return;
    const v = c.props.platformVersion;
    if (isUnknown(v)) c.unknown("platformVersion");
    else if (typeof v === "string" && v !== "LATEST")
      c.report(`platformVersion is pinned to ${v}: use LATEST to get platform security fixes`);
  },
});

type Container = Record<string, unknown>;

/** Container definitions parsed from the JSON string; undefined when unknown (recorded) or invalid (reported). */
function containersOf(c: Check): Container[] | undefined {
  const raw = c.props.containerDefinitions;
  if (isUnknown(raw)) {
    c.unknown("containerDefinitions");
    return undefined;
  }
  const parsed = parseJson(raw);
  if (parsed === null) {
    c.report("containerDefinitions is not valid JSON");
    return undefined;
  }
  return (asArray(parsed) as Container[]).filter((x) => x && typeof x === "object");
}

const nameOf = (container: Container, i: number) => (typeof container.name === "string" ? container.name : `#${i}`);

function perContainer(check: (container: Container) => string | undefined) {
  return (c: Check) => {
    containersOf(c)?.forEach((container, i) => {
      const problem = check(container);
      if (problem) c.report(`container ${nameOf(container, i)}: ${problem}`);
    });
  };
}

const nonPrivileged = resourcePolicy({
  name: "ecs-task-non-privileged",
  summary:
    "ECS task definitions run no privileged containers (privileged: true; unlike CKV_AWS_334's fixture, the misspelt key privilege, which ECS ignores, is not read)",
  // Mandatory: a privileged container is root on the host, an isolation break comparable to public
  // exposure. Fargate rejects it anyway, so Fargate stacks never trip it.
  enforcementLevel: "mandatory",
  references: { catalogue: [44], fsbp: ["ECS.4"], checkov: ["CKV_AWS_334"] },
  resourceTypes: ecs.taskDefinition,
  check: perContainer((k) => (k.privileged === true ? "privileged is true (root on the host)" : undefined)),
});

const readOnlyRoot = resourcePolicy({
  name: "ecs-task-read-only-root-filesystem",
  summary: "ECS containers mount their root filesystem read-only",
  enforcementLevel: "advisory",
  references: { catalogue: [45], fsbp: ["ECS.5"], checkov: ["CKV_AWS_336"] },
  resourceTypes: ecs.taskDefinition,
  check: perContainer((k) =>
    k.readonlyRootFilesystem === true
      ? undefined
      : "readonlyRootFilesystem is not true (mount a volume for writable paths)",
  ),
});

const noHostPid = resourcePolicy({
  name: "ecs-task-no-host-pid",
  summary:
    "ECS task definitions do not share the host's process namespace (the task's pidMode not \"host\"; unlike CKV_AWS_335, which reads pidMode inside container definitions, where ECS ignores it)",
  // Mandatory for the same reason as privileged containers: it exposes every host process.
  enforcementLevel: "mandatory",
  references: { catalogue: [46], fsbp: ["ECS.3"], checkov: ["CKV_AWS_335"] },
  resourceTypes: ecs.taskDefinition,
  check: (c) => {
    const v = c.props.pidMode;
    if (isUnknown(v)) c.unknown("pidMode");
    else if (v === "host") c.report('pidMode is "host": containers see and can signal every process on the host');
  },
});

const logConfiguration = resourcePolicy({
  name: "ecs-task-log-configuration",
  summary: "Every ECS container has a logConfiguration",
  enforcementLevel: "advisory",
  references: { catalogue: [47], fsbp: ["ECS.9"], checkov: [] },
  resourceTypes: ecs.taskDefinition,
  check: perContainer((k) =>
    (k.logConfiguration as Record<string, unknown> | undefined)?.logDriver
      ? undefined
      : "no logConfiguration.logDriver: its output is lost",
  ),
});

const noCredentials = resourcePolicy({
  name: "ecs-task-no-aws-credentials-in-environment",
  summary: "ECS container environments hold no AWS credentials (use the task role)",
  enforcementLevel: "mandatory",
  references: { catalogue: [48], fsbp: ["ECS.8"], checkov: [] },
  resourceTypes: ecs.taskDefinition,
  check: perContainer((k) => {
    const found = credentialEnvironmentNames(asArray(k.environment) as Record<string, unknown>[]);
    // Names only: the values are credentials.
    return found.length
      ? `environment holds AWS credentials in ${found.join(", ")} (values not shown); use the task role`
      : undefined;
  }),
});

const separateTaskRole = resourcePolicy({
  name: "ecs-task-role-separate",
  summary:
    "ECS task definitions have a task role (taskRoleArn) that is not the execution role: the app gets only its own permissions, not the agent's access to every secret and image",
  enforcementLevel: "advisory",
  references: {
    catalogue: [],
    fsbp: [],
    checkov: [],
    beyondCatalogue:
      "least privilege between the app and the ECS agent has no row in the catalogue (the live audit judges it with the same taskRoleProblem)",
  },
  resourceTypes: ecs.taskDefinition,
  check: (c) => {
    const { taskRoleArn, executionRoleArn } = c.props;
    if (isUnknown(taskRoleArn)) return c.unknown("taskRoleArn");
    // Unknown execution role: only a missing task role can be judged now.
    if (isUnknown(executionRoleArn) && typeof taskRoleArn === "string" && taskRoleArn !== "")
      return c.unknown("executionRoleArn");
    const problem = taskRoleProblem(taskRoleArn, executionRoleArn);
    if (problem) c.report(problem);
  },
});

export const ecsPolicies: HuntazePolicy[] = [
  containerInsights,
  execLogging,
  noPublicIp,
  latestPlatform,
  nonPrivileged,
  readOnlyRoot,
  noHostPid,
  logConfiguration,
  noCredentials,
  separateTaskRole,
];
