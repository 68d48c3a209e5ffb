import { POSTGRES_FORCE_SSL_DEFAULT_MAJOR, postgresForceSslEffective } from "../../../policy-pack/lib/judgements";
import type { RdsInstanceFacts } from "../facts";
import { type AuditCheck, check } from "./types";

function where(i: RdsInstanceFacts): string {
  const g = i.parameterGroup;
  const kind = g.kind === "cluster" ? "cluster parameter group" : "parameter group";
  if (g.forceSsl !== undefined && g.forceSsl !== "") return `${kind} ${g.name} sets rds.force_ssl = ${g.forceSsl}`;
  if (g.kind === "instance")
    return `${kind} ${g.name}${g.isDefault ? " (a default group)" : ""} leaves rds.force_ssl at the engine default of PostgreSQL ${i.engineVersion ?? "(version unknown)"}, which is ${postgresForceSslEffective(undefined, i.engineVersion) ? "on" : `off before ${POSTGRES_FORCE_SSL_DEFAULT_MAJOR}`}`;
  return `${kind} ${g.name} does not set rds.force_ssl`;
}

export const rdsForceSsl: AuditCheck = check(
  {
    id: "rds-force-ssl",
    title: "RDS PostgreSQL refuses unencrypted connections (rds.force_ssl = 1)",
    service: "rds",
    severity: "critical",
    risk: "A client without sslmode=require sends the password and every query in clear; nothing on the server refuses it.",
    remediation:
      "Attach a custom parameter group (Aurora: cluster parameter group) with rds.force_ssl = 1 and reboot the instance; the policy rule rds-force-ssl keeps it in code",
    fsbp: [],
  },
  (facts, r) =>
    facts.regions
      .flatMap((region) => region.rdsInstances ?? [])
      .map((i) => {
        const ref = { arn: i.arn, type: "AwsRdsDbInstance", region: i.region };
        const effective = postgresForceSslEffective(
          i.parameterGroup.forceSsl,
          i.engineVersion,
          i.parameterGroup.kind === "instance",
        );
        if (!effective) return r.fail(ref, `accepts unencrypted connections: ${where(i)}`);
        // The group says on, but the instance has not rebooted since it was attached or changed.
        if (i.parameterGroup.pendingReboot)
          return r.fail(
            ref,
            `${where(i)}, but the group is pending-reboot: not in effect until the instance reboots`,
            "warning",
          );
        return r.pass(ref, where(i));
      }),
);

export const rdsChecks = [rdsForceSsl];
