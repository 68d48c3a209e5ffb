import { credentialEnvironmentNames, taskRoleProblem } from "../../../policy-pack/lib/judgements";
import type { AccountFacts, EcsServiceFacts } from "../facts";
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
    title: "Running ECS services' containers hold no AWS keys in their environment",
    service: "ecs",
    severity: "critical",
    risk: "Long-lived keys in a task definition are readable by anyone with ecs:DescribeTaskDefinition and never rotate.",
    remediation:
      "Remove AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the task definition, deactivate the key in IAM, and grant the permissions to the task role",
    fsbp: ["ECS.8"],
  },
  (facts, r) =>
    services(facts).map((s) => {
      // Names only: the values are credentials and never leave this function.
      const found = s.taskDefinition.containers.flatMap((c) =>
        credentialEnvironmentNames(c.environment).map((name) => `${c.name}: ${name}`),
      );
      return found.length
        ? r.fail(
            ref(s),
            `AWS credentials in the environment of ${found.join(", ")} (values not shown; ${s.taskDefinition.arn})`,
          )
        : r.pass(ref(s), "no AWS credentials in the environment");
    }),
);

export const ecsChecks = [ecsTaskRole, ecsNoKeys];
