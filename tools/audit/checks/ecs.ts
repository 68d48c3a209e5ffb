import { credentialEnvironmentNames, taskRoleProblem } from "../../../policy-pack/lib/judgements";
import type { AccountFacts, EcsServiceFacts, TaskDefinitionFacts } from "../facts";
import { type AuditCheck, check } from "./types";

const services = (facts: AccountFacts) => facts.regions.flatMap((r) => r.ecsServices ?? []);
const ref = (s: EcsServiceFacts) => ({ arn: s.arn, type: "AwsEcsService", region: s.region });

export const ecsTaskRole: AuditCheck = check(
  {
    id: "ecs-task-role-separate",
    title: "Running ECS services have a task role distinct from the execution role",
    service: "ecs",
    severity: "critical",
    risk: "With one role for both, application code holds the agent's rights: every secret and image the task definition may pull.",
    remediation:
      "Give the task definition its own taskRoleArn with only the app's permissions (components/policy-statements.ts); keep secrets access on the execution role",
    fsbp: [],
  },
  (facts, r) =>
    services(facts).map((s) => {
      const t = s.taskDefinition;
      const problem = taskRoleProblem(t.taskRoleArn, t.executionRoleArn);
      if (!problem) return r.pass(ref(s), `task role ${t.taskRoleArn} (${t.arn})`);
      // No task role at all grants nothing: weaker than sharing the execution role, so a warning.
      return r.fail(ref(s), `${problem} (${t.arn})`, t.taskRoleArn ? "critical" : "warning");
    }),
);

export const ecsNoKeys: AuditCheck = check(
  {
    id: "ecs-no-aws-keys-in-environment",
    title: "No ACTIVE ECS task definition (running or not) holds AWS keys in a container's environment",
    service: "ecs",
    severity: "critical",
    risk: "Long-lived keys in a task definition are readable by anyone with ecs:DescribeTaskDefinition and never rotate.",
    remediation:
      "Remove AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the task definition, deactivate the key in IAM, and grant the permissions to the task role",
    fsbp: ["ECS.8"],
  },
  (facts, r) => {
    // Names only: the values are credentials and never leave this function.
    const found = (t: TaskDefinitionFacts) =>
      t.containers.flatMap((c) => credentialEnvironmentNames(c.environment).map((name) => `${c.name}: ${name}`));
    const running = services(facts);
    const inService = new Set(running.map((s) => s.taskDefinition.arn));
    const byService = running.map((s) => {
      const names = found(s.taskDefinition);
      return names.length
        ? r.fail(
            ref(s),
            `AWS credentials in the environment of ${names.join(", ")} (values not shown; ${s.taskDefinition.arn})`,
          )
        : r.pass(ref(s), "no AWS credentials in the environment");
    });
    // Every other ACTIVE revision: a service scaled to zero, a scheduled or standalone task may run it,
    // and its keys are readable by anyone with ecs:DescribeTaskDefinition either way.
    const byDefinition = facts.regions.flatMap((region) =>
      (region.ecsTaskDefinitions ?? [])
        .filter((t) => !inService.has(t.arn))
        .map((t) => {
          const names = found(t);
          const tref = { arn: t.arn, type: "AwsEcsTaskDefinition", region: region.region };
          return names.length
            ? r.fail(
                tref,
                `AWS credentials in the environment of ${names.join(", ")} (values not shown; an ACTIVE revision no running service uses: a service scaled to zero, a scheduled or a standalone task may run it)`,
              )
            : r.pass(tref, "no AWS credentials in the environment");
        }),
    );
    return [...byService, ...byDefinition];
  },
);

export const ecsChecks = [ecsTaskRole, ecsNoKeys];
