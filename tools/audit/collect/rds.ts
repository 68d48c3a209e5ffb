import {
  type DBCluster,
  type DBInstance,
  paginateDescribeDBClusterParameters,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  paginateDescribeDBParameters,
  type RDSClient,
} from "@aws-sdk/client-rds";
import { reasonOf } from "../errors";
import type { Collected, RdsInstanceFacts, Unreadable } from "../facts";
import { CONCURRENCY, mapLimit } from "../limit";

export const RDS_CHECKS = ["rds-force-ssl"];

const FORCE_SSL = "rds.force_ssl";
const isPostgres = (engine: string | undefined) => (engine ?? "").toLowerCase().includes("postgres");
const isAurora = (engine: string | undefined) => (engine ?? "").toLowerCase().startsWith("aurora");

/** Reads rds.force_ssl from a parameter group (every page: a group holds ~400 parameters). */
async function forceSslOf(client: RDSClient, group: string, kind: "instance" | "cluster"): Promise<string | undefined> {
  const pages =
    kind === "instance"
      ? paginateDescribeDBParameters({ client }, { DBParameterGroupName: group })
      : paginateDescribeDBClusterParameters({ client }, { DBClusterParameterGroupName: group });
  for await (const page of pages)
    for (const p of page.Parameters ?? []) if (p.ParameterName === FORCE_SSL) return p.ParameterValue;
  return undefined;
}

interface Target {
  readonly instance: DBInstance;
  readonly group: string;
  readonly kind: "instance" | "cluster";
  readonly pendingReboot: boolean;
}

const PENDING_REBOOT = "pending-reboot";

/**
 * Every PostgreSQL instance (RDS and Aurora) with the rds.force_ssl value that governs it: the
 * instance's parameter group, or for Aurora the cluster's. A `default.` RDS group is not read (its
 * value is the engine default, which the check derives from the version).
 */
export async function collectRdsInstances(client: RDSClient, region: string): Promise<Collected<RdsInstanceFacts[]>> {
  const unreadable: Unreadable[] = [];
  const problem = (what: string, error: unknown): Unreadable => ({
    checks: RDS_CHECKS,
    region,
    what,
    reason: reasonOf(error),
  });
  const instances: DBInstance[] = [];
  const clusters = new Map<string, DBCluster>();
  try {
    for await (const page of paginateDescribeDBInstances({ client }, {}))
      for (const i of page.DBInstances ?? []) if (isPostgres(i.Engine)) instances.push(i);
    if (instances.some((i) => isAurora(i.Engine)))
      for await (const page of paginateDescribeDBClusters({ client }, {}))
        for (const c of page.DBClusters ?? []) if (c.DBClusterIdentifier) clusters.set(c.DBClusterIdentifier, c);
  } catch (error) {
    return { unreadable: [problem("RDS instances and clusters", error)] };
  }

  const targets: Target[] = [];
  for (const instance of instances) {
    const name = instance.DBInstanceIdentifier ?? "(unnamed)";
    if (isAurora(instance.Engine)) {
      const cluster = clusters.get(instance.DBClusterIdentifier ?? "");
      const group = cluster?.DBClusterParameterGroup;
      const member = cluster?.DBClusterMembers?.find((m) => m.DBInstanceIdentifier === instance.DBInstanceIdentifier);
      const pendingReboot = member?.DBClusterParameterGroupStatus === PENDING_REBOOT;
      if (group) targets.push({ instance, group, kind: "cluster", pendingReboot });
      else
        unreadable.push(
          problem(`cluster parameter group of ${name}`, new Error("the instance's cluster was not listed")),
        );
    } else {
      const attached = instance.DBParameterGroups?.[0];
      const group = attached?.DBParameterGroupName;
      const pendingReboot = attached?.ParameterApplyStatus === PENDING_REBOOT;
      if (group) targets.push({ instance, group, kind: "instance", pendingReboot });
      else
        unreadable.push(
          problem(`parameter group of ${name}`, new Error("DescribeDBInstances listed no parameter group")),
        );
    }
  }

  // Many instances share a group: read each group once.
  const values = new Map<string, Promise<string | undefined>>();
  const read = (t: Target) => {
    const key = `${t.kind}:${t.group}`;
    if (!values.has(key)) values.set(key, forceSslOf(client, t.group, t.kind));
    return values.get(key)!;
  };
  const readings = await mapLimit(targets, CONCURRENCY, async (t): Promise<RdsInstanceFacts | undefined> => {
    const isDefault = t.group.startsWith("default.");
    const name = t.instance.DBInstanceIdentifier ?? "(unnamed)";
    let forceSsl: string | undefined;
    if (!isDefault || t.kind === "cluster") {
      try {
        forceSsl = await read(t);
      } catch (error) {
        unreadable.push(
          problem(`${t.kind === "cluster" ? "cluster " : ""}parameter group ${t.group} of ${name}`, error),
        );
        return undefined;
      }
    }
    return {
      id: name,
      arn: t.instance.DBInstanceArn ?? `db instance ${name}`,
      region,
      engine: t.instance.Engine ?? "postgres",
      engineVersion: t.instance.EngineVersion,
      parameterGroup: { name: t.group, kind: t.kind, isDefault, forceSsl, pendingReboot: t.pendingReboot },
    };
  });
  return { facts: readings.filter((f) => f !== undefined), unreadable };
}
