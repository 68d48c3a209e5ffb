import {
  type DBCluster,
  type DBInstance,
  paginateDescribeDBClusterParameters,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  paginateDescribeDBParameters,
  type RDSClient,
} from "@aws-sdk/client-rds";
import { mapLimit } from "../../../lib/map-limit";
import { tlsParameter } from "../../../policy-pack/lib/judgements";
import { reasonOf } from "../errors";
import type { Collected, RdsInstanceFacts, Unreadable } from "../facts";
import { CONCURRENCY } from "../limit";

export const RDS_POSTGRES_CHECKS = ["rds-force-ssl"];
export const RDS_MYSQL_CHECKS = ["rds-mysql-require-secure-transport"];
export const RDS_CHECKS = [...RDS_POSTGRES_CHECKS, ...RDS_MYSQL_CHECKS];

/** The engines whose TLS enforcement the audit judges: PostgreSQL and MySQL / MariaDB (RDS and Aurora). */
export function engineFamily(engine: string | undefined): "postgres" | "mysql" | undefined {
  const e = (engine ?? "").toLowerCase();
  if (e.includes("postgres")) return "postgres";
  if (e.includes("mysql") || e.includes("mariadb")) return "mysql";
  return undefined;
}
const checksOf = (engine: string | undefined) =>
  engineFamily(engine) === "postgres" ? RDS_POSTGRES_CHECKS : RDS_MYSQL_CHECKS;

/** Reads one parameter from a parameter group (every page: a group holds ~400 parameters). */
async function parameterOf(
  client: RDSClient,
  group: string,
  kind: "instance" | "cluster",
  name: string,
): Promise<string | undefined> {
  const pages =
    kind === "instance"
      ? paginateDescribeDBParameters({ client }, { DBParameterGroupName: group })
      : paginateDescribeDBClusterParameters({ client }, { DBClusterParameterGroupName: group });
  for await (const page of pages)
    for (const p of page.Parameters ?? []) if (p.ParameterName === name) return p.ParameterValue;
  return undefined;
}

interface Target {
  readonly instance: DBInstance;
  readonly parameter: string;
  readonly group: string;
  readonly kind: "instance" | "cluster";
  readonly pendingReboot: boolean;
}

const PENDING_REBOOT = "pending-reboot";

/**
 * Every PostgreSQL, MySQL and MariaDB instance (RDS and Aurora) with the TLS parameter that governs
 * it (rds.force_ssl, require_secure_transport) and its value, read where it applies:
 * - an instance that belongs to a cluster (DBClusterIdentifier) takes it from the cluster's
 *   parameter group. That is Aurora, and also a Multi-AZ DB cluster of RDS for PostgreSQL or
 *   MySQL: "Multi-AZ DB clusters use DB cluster parameter groups" (RDS User Guide, Working with DB
 *   cluster parameter groups for Multi-AZ DB clusters,
 *   https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithDBClusterParamGroups.html);
 *   the default DB parameter group its instances list is not the one in force;
 * - any other instance, from its own DB parameter group. A `default.` DB parameter group is not
 *   read (its value is the engine default, which the check derives from the engine and version).
 */
export async function collectRdsInstances(client: RDSClient, region: string): Promise<Collected<RdsInstanceFacts[]>> {
  const unreadable: Unreadable[] = [];
  const problem = (checks: string[], what: string, error: unknown): Unreadable => ({
    checks,
    region,
    what,
    reason: reasonOf(error),
  });
  const instances: DBInstance[] = [];
  const clusters = new Map<string, DBCluster>();
  try {
    for await (const page of paginateDescribeDBInstances({ client }, {}))
      for (const i of page.DBInstances ?? []) if (engineFamily(i.Engine)) instances.push(i);
    if (instances.some((i) => i.DBClusterIdentifier))
      for await (const page of paginateDescribeDBClusters({ client }, {}))
        for (const c of page.DBClusters ?? []) if (c.DBClusterIdentifier) clusters.set(c.DBClusterIdentifier, c);
  } catch (error) {
    return { unreadable: [problem(RDS_CHECKS, "RDS instances and clusters", error)] };
  }

  const targets: Target[] = [];
  for (const instance of instances) {
    const name = instance.DBInstanceIdentifier ?? "(unnamed)";
    const parameter = tlsParameter(instance.Engine ?? "")!.name;
    if (instance.DBClusterIdentifier) {
      const cluster = clusters.get(instance.DBClusterIdentifier);
      const group = cluster?.DBClusterParameterGroup;
      const member = cluster?.DBClusterMembers?.find((m) => m.DBInstanceIdentifier === instance.DBInstanceIdentifier);
      const pendingReboot = member?.DBClusterParameterGroupStatus === PENDING_REBOOT;
      if (group) targets.push({ instance, parameter, group, kind: "cluster", pendingReboot });
      else
        unreadable.push(
          problem(
            checksOf(instance.Engine),
            `cluster parameter group of ${name}`,
            new Error(`cluster ${instance.DBClusterIdentifier} was not listed with a parameter group`),
          ),
        );
    } else {
      const attached = instance.DBParameterGroups?.[0];
      const group = attached?.DBParameterGroupName;
      const pendingReboot = attached?.ParameterApplyStatus === PENDING_REBOOT;
      if (group) targets.push({ instance, parameter, group, kind: "instance", pendingReboot });
      else
        unreadable.push(
          problem(
            checksOf(instance.Engine),
            `parameter group of ${name}`,
            new Error("DescribeDBInstances listed no parameter group"),
          ),
        );
    }
  }

  // Many instances share a group: read each group once.
  const values = new Map<string, Promise<string | undefined>>();
  const read = (t: Target) => {
    const key = `${t.kind}:${t.group}:${t.parameter}`;
    if (!values.has(key)) values.set(key, parameterOf(client, t.group, t.kind, t.parameter));
    return values.get(key)!;
  };
  const readings = await mapLimit(targets, CONCURRENCY, async (t): Promise<RdsInstanceFacts | undefined> => {
    const isDefault = t.group.startsWith("default.");
    const name = t.instance.DBInstanceIdentifier ?? "(unnamed)";
    let value: string | undefined;
    if (!isDefault || t.kind === "cluster") {
      try {
        value = await read(t);
      } catch (error) {
        unreadable.push(
          problem(
            checksOf(t.instance.Engine),
            `${t.kind === "cluster" ? "cluster " : ""}parameter group ${t.group} of ${name}`,
            error,
          ),
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
      clusterId: t.instance.DBClusterIdentifier,
      parameterGroup: {
        name: t.group,
        kind: t.kind,
        isDefault,
        parameter: t.parameter,
        value,
        pendingReboot: t.pendingReboot,
      },
    };
  });
  return { facts: readings.filter((f) => f !== undefined), unreadable };
}
