import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  paginateListClusters,
  paginateListServices,
  paginateListTaskDefinitions,
  type Service,
} from "@aws-sdk/client-ecs";
import { mapLimit } from "../../../lib/map-limit";
import { reasonOf } from "../errors";
import type { Collected, EcsServiceFacts, TaskDefinitionFacts, Unreadable } from "../facts";
import { CONCURRENCY } from "../limit";

export const ECS_SERVICE_CHECKS = ["ecs-task-role-separate", "ecs-no-aws-keys-in-environment"];
export const ECS_TASK_DEFINITION_CHECKS = ["ecs-no-aws-keys-in-environment"];
export const ECS_CHECKS = ECS_SERVICE_CHECKS;

// DescribeServices takes at most 10 services per call.
const DESCRIBE_BATCH = 10;

const running = (s: Service) => s.status === "ACTIVE" && ((s.desiredCount ?? 0) > 0 || (s.runningCount ?? 0) > 0);

export interface EcsFacts {
  readonly services?: EcsServiceFacts[];
  readonly taskDefinitions?: TaskDefinitionFacts[];
}

/**
 * Every running service of every cluster with the roles and environment of its task definition,
 * and every ACTIVE task definition revision of the region: the keys of a service scaled to zero,
 * of a scheduled (EventBridge) or a standalone (RunTask) task are in a revision no running service
 * names. Prowler's ecs_task_definitions_no_environment_secrets reads the same list
 * (ListTaskDefinitions, whose status defaults to ACTIVE — ECS API Reference, ListTaskDefinitions,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTaskDefinitions.html).
 */
export async function collectEcs(client: ECSClient, region: string): Promise<Collected<EcsFacts>> {
  const unreadable: Unreadable[] = [];
  const problem = (checks: string[], what: string, error: unknown) =>
    unreadable.push({ checks, region, what, reason: reasonOf(error) });

  // Services of one application often share a task definition revision: describe each once.
  const definitions = new Map<string, Promise<TaskDefinitionFacts>>();
  const describe = (arn: string) => {
    if (!definitions.has(arn))
      definitions.set(
        arn,
        client.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })).then(({ taskDefinition: t }) => ({
          arn: t?.taskDefinitionArn ?? arn,
          taskRoleArn: t?.taskRoleArn,
          executionRoleArn: t?.executionRoleArn,
          containers: (t?.containerDefinitions ?? []).map((c) => ({
            name: c.name ?? "(unnamed)",
            environment: (c.environment ?? []).map((e) => ({ name: e.name, value: e.value })),
          })),
        })),
      );
    return definitions.get(arn)!;
  };

  const [services, taskDefinitions] = await Promise.all([
    collectServices(client, region, describe, problem),
    collectTaskDefinitions(client, describe, problem),
  ]);
  return { facts: { services, taskDefinitions }, unreadable };
}

type Problem = (checks: string[], what: string, error: unknown) => void;

async function collectServices(
  client: ECSClient,
  region: string,
  describe: (arn: string) => Promise<TaskDefinitionFacts>,
  problem: Problem,
): Promise<EcsServiceFacts[] | undefined> {
  const clusters: string[] = [];
  try {
    for await (const page of paginateListClusters({ client }, {})) clusters.push(...(page.clusterArns ?? []));
  } catch (error) {
    problem(ECS_SERVICE_CHECKS, "ECS clusters", error);
    return undefined;
  }

  const services: Service[] = [];
  await mapLimit(clusters, CONCURRENCY, async (cluster) => {
    try {
      const arns: string[] = [];
      for await (const page of paginateListServices({ client }, { cluster })) arns.push(...(page.serviceArns ?? []));
      for (let i = 0; i < arns.length; i += DESCRIBE_BATCH) {
        const out = await client.send(
          new DescribeServicesCommand({ cluster, services: arns.slice(i, i + DESCRIBE_BATCH) }),
        );
        for (const f of out.failures ?? [])
          problem(ECS_SERVICE_CHECKS, `service ${f.arn} of ${cluster}`, new Error(f.reason ?? "failure"));
        services.push(...(out.services ?? []).filter(running));
      }
    } catch (error) {
      problem(ECS_SERVICE_CHECKS, `the services of cluster ${cluster}`, error);
    }
  });

  const facts = await mapLimit(services, CONCURRENCY, async (s): Promise<EcsServiceFacts | undefined> => {
    const arn = s.serviceArn ?? s.serviceName ?? "(unnamed service)";
    if (!s.taskDefinition) return undefined;
    try {
      return { arn, cluster: s.clusterArn ?? "", region, taskDefinition: await describe(s.taskDefinition) };
    } catch (error) {
      problem(ECS_SERVICE_CHECKS, `task definition ${s.taskDefinition} of ${arn}`, error);
      return undefined;
    }
  });
  return facts.filter((f) => f !== undefined);
}

async function collectTaskDefinitions(
  client: ECSClient,
  describe: (arn: string) => Promise<TaskDefinitionFacts>,
  problem: Problem,
): Promise<TaskDefinitionFacts[] | undefined> {
  const arns: string[] = [];
  try {
    for await (const page of paginateListTaskDefinitions({ client }, { status: "ACTIVE" }))
      arns.push(...(page.taskDefinitionArns ?? []));
  } catch (error) {
    problem(ECS_TASK_DEFINITION_CHECKS, "ECS task definitions", error);
    return undefined;
  }
  const facts = await mapLimit(arns, CONCURRENCY, async (arn) => {
    try {
      return await describe(arn);
    } catch (error) {
      problem(ECS_TASK_DEFINITION_CHECKS, `task definition ${arn}`, error);
      return undefined;
    }
  });
  return facts.filter((f) => f !== undefined);
}
