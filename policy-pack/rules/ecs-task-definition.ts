import { ecs } from "../lib/aws-types";
import { asArray, at, isUnknown, parseJson, resourcePolicy, show } from "../lib/inspect";
import {
  allowedVariables,
  allowedVariablesSchema,
  credentialEnvironmentNames,
  literalSecretEnvironment,
  secretLikeName,
} from "../lib/judgements";
import type { HuntazePolicy } from "../rule";

// ECS task definitions: what the container definitions and volumes put in clear text.

const noLiteralSecrets = resourcePolicy({
  name: "ecs-task-no-literal-secrets-in-environment",
  summary:
    "ECS container environments hold no literal secrets (passwords, tokens, API keys, private keys): pass them with `secrets` (valueFrom a Secrets Manager or SSM ARN) instead, as Trivy AVD-AWS-0036, KICS d40210ea-64b9-4cce-a4fb-e8604f3c062c and Prowler ecs_task_definitions_no_environment_secrets (unlike AVD-AWS-0036 and the KICS query, which report a secret-like name whatever it holds, a name holding a reference such as an ARN or an SSM path, or a value under 8 characters, passes); AWS credentials are left to ecs-task-no-aws-credentials-in-environment",
  // Mandatory: the value sits in clear text in the task definition (readable with
  // ecs:DescribeTaskDefinition) and in the stack state, and never rotates.
  enforcementLevel: "mandatory",
  references: {
    catalogue: [],
    fsbp: [],
    checkov: [],
    beyondCatalogue:
      "row 48 (ECS.8) covers AWS credentials only; a database password or API token in `environment` is the same leak, judged by Trivy, KICS and Prowler",
  },
  resourceTypes: ecs.taskDefinition,
  configSchema: allowedVariablesSchema,
  check: (c) => {
    const raw = c.props.containerDefinitions;
    if (isUnknown(raw)) return c.unknown("containerDefinitions");
    const parsed = parseJson(raw);
    if (parsed === null) return c.report("containerDefinitions is not valid JSON");
    const allowed = allowedVariables(c.config);
    (asArray(parsed) as Record<string, unknown>[]).forEach((container, i) => {
      if (!container || typeof container !== "object") return;
      const name = typeof container.name === "string" ? container.name : `#${i}`;
      const environment = asArray(container.environment) as { name?: unknown; value?: unknown }[];
      // AWS keys are ecs-task-no-aws-credentials-in-environment's (ECS.8): reported there, once.
      const credentials = new Set(credentialEnvironmentNames(environment));
      for (const e of environment)
        if (isUnknown(e?.value) && secretLikeName(String(e?.name ?? ""))) c.unknown(`environment ${String(e?.name)}`);
      for (const found of literalSecretEnvironment(environment, allowed)) {
        if (credentials.has(found.name)) continue;
        c.report(
          `container ${name}: environment variable ${found.name} holds ${found.why} (value not shown): move it to secrets with valueFrom a Secrets Manager or SSM parameter ARN`,
        );
      }
    });
  },
});

const efsTransitEncryption = resourcePolicy({
  name: "ecs-task-efs-transit-encryption",
  summary:
    'ECS task definitions mount every EFS volume with transit encryption (efsVolumeConfiguration.transitEncryption "ENABLED"; unset is DISABLED), as Trivy AVD-AWS-0035 (unlike CKV_AWS_97, every EFS volume is judged, not only the first one found)',
  // Mandatory: without it, file data crosses the network between the task and EFS unencrypted.
  enforcementLevel: "mandatory",
  references: {
    catalogue: [],
    fsbp: [],
    checkov: ["CKV_AWS_97"],
    beyondCatalogue: "the catalogue's ECS rows (44-48) cover containers, not the task's volumes",
  },
  resourceTypes: ecs.taskDefinition,
  check: (c) => {
    const volumes = c.props.volumes;
    if (isUnknown(volumes)) return c.unknown("volumes");
    for (const volume of asArray(volumes) as Record<string, unknown>[]) {
      const efs = volume?.efsVolumeConfiguration;
      if (isUnknown(efs)) {
        c.unknown(`volume ${show(volume?.name)}`);
        continue;
      }
      if (!efs || typeof efs !== "object") continue;
      // transitEncryption defaults to DISABLED ("EFSVolumeConfiguration", Amazon ECS API Reference,
      // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EFSVolumeConfiguration.html).
      const v = at(efs, "transitEncryption");
      if (isUnknown(v)) c.unknown(`transitEncryption of volume ${show(volume.name)}`);
      else if (v !== "ENABLED")
        c.report(
          `EFS volume ${show(volume.name)} is mounted without transit encryption (transitEncryption is ${show(v)}): set "ENABLED"`,
        );
    }
  },
});

export const ecsTaskDefinitionPolicies: HuntazePolicy[] = [noLiteralSecrets, efsTransitEncryption];
