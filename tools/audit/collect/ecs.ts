import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  paginateListClusters,
  paginateListServices,
  type Service,
} from "@aws-sdk/client-ecs";
import { reasonOf } from "../errors";
import type { Collected, EcsServiceFacts, Unreadable } from "../facts";
import { CONCURRENCY, mapLimit } from "../limit";

export const ECS_CHECKS = ["ecs-task-role-separate", "ecs-no-aws-keys-in-environment"];

// DescribeServices takes at most 10 services per call.
const DESCRIBE_BATCH = 10;

const running = (s: Service) => s.status === "ACTIVE" && ((s.desiredCount ?? 0) > 0 || (s.runningCount ?? 0) > 0);

/** Every running service of every cluster, with the roles and environment of its task definition. */
export async function collectEcsServices(client: ECSClient, region: string): Promise<Collected<EcsServiceFacts[]>> {
  const unreadable: Unreadable[] = [];
  const problem = (what: string, error: unknown) =>
    unreadable.push({ checks: ECS_CHECKS, region, what, reason: reasonOf(error) });
  const clusters: string[] = [];
  try {
    for await (const page of paginateListClusters({ client }, {})) clusters.push(...(page.clusterArns ?? []));
  } catch (error) {
    problem("ECS clusters", error);
    return { unreadable };
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
        for (const f of out.failures ?? []) problem(`service ${f.arn} of ${cluster}`, new Error(f.reason ?? "failure"));
        services.push(...(out.services ?? []).filter(running));
      }
    } catch (error) {
      problem(`the services of cluster ${cluster}`, error);
    }
  });

  // Services of one application often share a task definition revision: describe each once.
  const definitions = new Map<string, Promise<EcsServiceFacts["taskDefinition"]>>();
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
  const facts = await mapLimit(services, CONCURRENCY, async (s): Promise<EcsServiceFacts | undefined> => {
    const arn = s.serviceArn ?? s.serviceName ?? "(unnamed service)";
    if (!s.taskDefinition) return undefined;
    try {
      return { arn, cluster: s.clusterArn ?? "", region, taskDefinition: await describe(s.taskDefinition) };
    } catch (error) {
      problem(`task definition ${s.taskDefinition} of ${arn}`, error);
      return undefined;
    }
  });
  return { facts: facts.filter((f) => f !== undefined), unreadable };
}
