import { dynamodb } from "../lib/aws-types";
import { at, type Check, isUnknown, type Resource, resourcePolicy, show, stackPolicy } from "../lib/inspect";
import type { HuntazePolicy } from "../rule";

const table = dynamodb.table;

function requireTrue(c: Check, path: string, message: string): void {
  const v = at(c.props, path);
  if (isUnknown(v)) c.unknown(path);
  else if (v !== true) c.report(`${message} (${path} is ${show(v)})`);
}

const pitr = resourcePolicy({
  name: "dynamodb-point-in-time-recovery",
  summary: "DynamoDB tables have point-in-time recovery on",
  // Advisory: recovery, not encryption or exposure.
  enforcementLevel: "advisory",
  references: { catalogue: [21], fsbp: ["DynamoDB.2"], checkov: ["CKV_AWS_28"] },
  resourceTypes: table,
  check: (c) => requireTrue(c, "pointInTimeRecovery.enabled", "point-in-time recovery is off"),
});

const cmk = resourcePolicy({
  name: "dynamodb-encryption-cmk",
  summary:
    "DynamoDB tables are encrypted with a customer-managed KMS key (serverSideEncryption.enabled with kmsKeyArn)",
  enforcementLevel: "mandatory",
  references: { catalogue: [22], fsbp: [], checkov: ["CKV_AWS_119"] },
  resourceTypes: table,
  check: (c) => {
    const enabled = at(c.props, "serverSideEncryption.enabled");
    const key = at(c.props, "serverSideEncryption.kmsKeyArn");
    if (isUnknown(enabled) || isUnknown(key)) {
      c.unknown("serverSideEncryption");
      return;
    }
    if (enabled !== true)
      c.report("the table uses the AWS-owned key: set serverSideEncryption { enabled: true, kmsKeyArn }");
    else if (typeof key !== "string" || key === "")
      c.report("serverSideEncryption has no kmsKeyArn: it uses the AWS-managed aws/dynamodb key");
  },
});

const deletionProtection = resourcePolicy({
  name: "dynamodb-deletion-protection",
  summary: "DynamoDB tables have deletion protection on",
  enforcementLevel: "advisory",
  references: { catalogue: [23], fsbp: ["DynamoDB.6"], checkov: [] },
  resourceTypes: table,
  check: (c) => requireTrue(c, "deletionProtectionEnabled", "deletion protection is off"),
});

const dimensions = ["dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits"];

/** Whether scaling target `t` targets table `tbl`: resourceId `table/<name>`, or a dependency on the table. */
function targets(t: Resource, tbl: Resource): boolean | "unknown" {
  const id = t.props.resourceId;
  if ((t.dependsOn.resourceId ?? []).includes(tbl.urn)) return true;
  if (isUnknown(id)) return "unknown";
  const name = tbl.props.name;
  return typeof id === "string" && typeof name === "string" && id === `table/${name}`;
}

/**
 * Whether a scaling target or policy `r` scales `dimension` of table `tbl`. A policy that takes its
 * resourceId or scalableDimension from a target (`target.resourceId`) scales what that target does.
 */
function scales(r: Resource, tbl: Resource, dimension: string, via: readonly Resource[]): boolean | "unknown" {
  const from = via.find((t) => ["resourceId", "scalableDimension"].some((k) => (r.dependsOn[k] ?? []).includes(t.urn)));
  if (from) return scales(from, tbl, dimension, []);
  const namespace = r.props.serviceNamespace;
  const dim = r.props.scalableDimension;
  if ((typeof namespace === "string" && namespace !== "dynamodb") || (typeof dim === "string" && dim !== dimension))
    return false;
  const onTable = targets(r, tbl);
  if (onTable !== true) return onTable;
  return isUnknown(dim) ? "unknown" : dim === dimension;
}

const short = (dimension: string) => dimension.split(":").pop();

const capacity = stackPolicy({
  name: "dynamodb-capacity-scales",
  summary:
    "DynamoDB tables are on-demand (PAY_PER_REQUEST) or provisioned with application autoscaling for reads and writes: per dimension an aws.appautoscaling.Target (resourceId table/<name>) and a Policy on it (unlike CKV2_AWS_16, which passes a table whose reads alone scale, writes must scale too, as in DynamoDB.1)",
  enforcementLevel: "advisory",
  references: { catalogue: [24], fsbp: ["DynamoDB.1"], checkov: ["CKV2_AWS_16"] },
  resourceTypes: [...table, ...dynamodb.scalingTarget, ...dynamodb.scalingPolicy],
  check: (s) => {
    const scalingTargets = s.ofType(dynamodb.scalingTarget);
    const policies = s.ofType(dynamodb.scalingPolicy);
    for (const tbl of s.ofType(table)) {
      const mode = tbl.props.billingMode;
      if (isUnknown(mode)) {
        s.unknown(`billingMode of ${tbl.name}`);
        continue;
      }
      if (mode === "PAY_PER_REQUEST") continue;
      const untargeted: string[] = [];
      const idle: string[] = [];
      let undecided = false;
      for (const d of dimensions) {
        const t = scalingTargets.map((x) => scales(x, tbl, d, []));
        const p = policies.map((x) => scales(x, tbl, d, scalingTargets));
        if (t.includes(true) && p.includes(true)) continue;
        if (t.includes("unknown") || p.includes("unknown")) undecided = true;
        else (t.includes(true) ? idle : untargeted).push(d);
      }
      if (undecided) {
        s.unknown(`autoscaling of ${tbl.name}`);
        continue;
      }
      const problems = [
        untargeted.length &&
          `for ${untargeted.map(short).join(" and ")} (no aws.appautoscaling.Target with resourceId table/<name>)`,
        idle.length &&
          `for ${idle.map(short).join(" and ")} (the Target has no aws.appautoscaling.Policy: a target alone never changes capacity)`,
      ].filter(Boolean);
      if (problems.length)
        s.report(
          tbl,
          `table ${tbl.name} is provisioned (billingMode ${mode === undefined ? "PROVISIONED by default" : show(mode)}) without autoscaling ${problems.join(" and ")}: add a Target and a target-tracking Policy per dimension, or use PAY_PER_REQUEST`,
        );
    }
  },
});

const ttl = resourcePolicy({
  name: "dynamodb-ttl",
  summary: "DynamoDB tables expire items with TTL (ttl.enabled with an attributeName holding epoch seconds)",
  enforcementLevel: "advisory",
  references: { catalogue: [25], fsbp: [], checkov: [] },
  resourceTypes: table,
  check: (c) => {
    const enabled = at(c.props, "ttl.enabled");
    const attr = at(c.props, "ttl.attributeName");
    if (isUnknown(enabled) || isUnknown(attr)) c.unknown("ttl");
    else if (enabled !== true || typeof attr !== "string" || attr === "")
      c.report("TTL is off: items are kept (and billed) forever; set ttl { enabled: true, attributeName }");
  },
});

export const dynamodbPolicies: HuntazePolicy[] = [pitr, cmk, deletionProtection, capacity, ttl];
