import {
  enforcesTls,
  POSTGRES_FORCE_SSL_DEFAULT_MAJOR,
  postgresForceSslEffective,
  tlsParameter,
} from "../../../policy-pack/lib/judgements";
import { engineFamily } from "../collect/rds";
import type { AccountFacts, RdsInstanceFacts } from "../facts";
import { type AuditCheck, check, type ResultMaker } from "./types";

const isAurora = (i: RdsInstanceFacts) => i.engine.toLowerCase().startsWith("aurora");

function groupWords(i: RdsInstanceFacts): string {
  const g = i.parameterGroup;
  const kind = g.kind === "cluster" ? "cluster parameter group" : "parameter group";
  const of =
    g.kind === "cluster" && i.clusterId ? ` of ${isAurora(i) ? "Aurora" : "Multi-AZ DB"} cluster ${i.clusterId}` : "";
  return `${kind} ${g.name}${of}`;
}

/**
 * RDS for PostgreSQL's version default (on from 15) applies to an instance's own group and to a
 * Multi-AZ DB cluster's group (the same engine); Aurora PostgreSQL's cluster group is judged on
 * its explicit value only.
 */
const followsPostgresVersionDefault = (i: RdsInstanceFacts) => !isAurora(i);

function postgresWhere(i: RdsInstanceFacts): string {
  const g = i.parameterGroup;
  if (g.value !== undefined && g.value !== "") return `${groupWords(i)} sets rds.force_ssl = ${g.value}`;
  if (followsPostgresVersionDefault(i))
    return `${groupWords(i)}${g.isDefault ? " (a default group)" : ""} leaves rds.force_ssl at the engine default of PostgreSQL ${i.engineVersion ?? "(version unknown)"}, which is ${postgresForceSslEffective(undefined, i.engineVersion) ? "on" : `off before ${POSTGRES_FORCE_SSL_DEFAULT_MAJOR}`}`;
  return `${groupWords(i)} does not set rds.force_ssl`;
}

function mysqlWhere(i: RdsInstanceFacts): string {
  const g = i.parameterGroup;
  if (g.value !== undefined && g.value !== "") return `${groupWords(i)} sets require_secure_transport = ${g.value}`;
  return `${groupWords(i)}${g.isDefault ? " (a default group)" : ""} leaves require_secure_transport at its default, OFF`;
}

const instances = (facts: AccountFacts, family: "postgres" | "mysql") =>
  facts.regions.flatMap((region) => region.rdsInstances ?? []).filter((i) => engineFamily(i.engine) === family);

function verdict(r: ResultMaker, i: RdsInstanceFacts, effective: boolean, where: string) {
  const ref = { arn: i.arn, type: "AwsRdsDbInstance", region: i.region };
  if (!effective) return r.fail(ref, `accepts unencrypted connections: ${where}`);
  // The group says on, but the instance has not rebooted since it was attached or changed.
  if (i.parameterGroup.pendingReboot)
    return r.fail(
      ref,
      `${where}, but the group is pending-reboot: not in effect until the instance reboots`,
      "warning",
    );
  return r.pass(ref, where);
}

export const rdsForceSsl: AuditCheck = check(
  {
    id: "rds-force-ssl",
    title: "RDS PostgreSQL refuses unencrypted connections (rds.force_ssl = 1)",
    service: "rds",
    severity: "critical",
    risk: "A client without sslmode=require sends the password and every query in clear; nothing on the server refuses it.",
    remediation:
      "Attach a custom parameter group (Aurora and Multi-AZ DB clusters: the cluster parameter group) with rds.force_ssl = 1 and reboot the instance; the policy rule rds-force-ssl keeps it in code",
    fsbp: [],
  },
  (facts, r) =>
    instances(facts, "postgres").map((i) =>
      verdict(
        r,
        i,
        postgresForceSslEffective(i.parameterGroup.value, i.engineVersion, followsPostgresVersionDefault(i)),
        postgresWhere(i),
      ),
    ),
);

export const rdsMysqlSecureTransport: AuditCheck = check(
  {
    id: "rds-mysql-require-secure-transport",
    title: "RDS MySQL / MariaDB refuses unencrypted connections (require_secure_transport = ON)",
    service: "rds",
    severity: "critical",
    risk: "A client that does not ask for TLS sends the password and every query in clear; nothing on the server refuses it.",
    remediation:
      "Set require_secure_transport = 1 in a custom parameter group (Aurora MySQL and Multi-AZ DB clusters: the cluster parameter group) attached to the instance; the parameter is dynamic",
    fsbp: [],
  },
  // "By default, the require_secure_transport parameter is set to OFF. You can set the
  // require_secure_transport parameter to ON to require SSL/TLS for connections to your DB
  // instance." (RDS User Guide, Requiring SSL/TLS for all connections to a MySQL DB instance,
  // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mysql-ssl-connections.require-ssl.html;
  // MariaDB the same from 10.5). Prowler's rds_instance_transport_encrypted judges it the same way.
  (facts, r) =>
    instances(facts, "mysql").map((i) =>
      verdict(r, i, enforcesTls(tlsParameter(i.engine) ?? { values: [] }, i.parameterGroup.value), mysqlWhere(i)),
    ),
);

export const rdsChecks = [rdsForceSsl, rdsMysqlSecureTransport];
