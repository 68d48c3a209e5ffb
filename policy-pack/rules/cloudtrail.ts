import { cloudtrail, iam } from "../lib/aws-types";
import { sourceConditionKeys } from "../lib/iam-grants";
import { asArray, isUnknown, refersTo, resourcePolicy, stackPolicy } from "../lib/inspect";
import { logFileValidationProblem, trailCoverageProblem } from "../lib/judgements";
import { parsePolicy } from "../lib/policy-document";
import type { HuntazePolicy } from "../rule";

const trail = cloudtrail.trail;

/** Whether the trail records management events: no selectors (the default), or a selector that includes them. */
function managementEvents(props: Record<string, unknown>): boolean | "unknown" {
  const basic = props.eventSelectors;
  const advanced = props.advancedEventSelectors;
  if (isUnknown(basic) || isUnknown(advanced)) return "unknown";
  const b = asArray(basic) as Record<string, unknown>[];
  const a = asArray(advanced) as Record<string, unknown>[];
  if (b.length === 0 && a.length === 0) return true;
  if (b.some((s) => s?.includeManagementEvents !== false && (s?.readWriteType ?? "All") === "All")) return true;
  return a.some((s) =>
    asArray(s?.fieldSelectors).some((f) => {
      const fs = f as Record<string, unknown>;
      return fs?.field === "eventCategory" && asArray(fs.equals).includes("Management");
    }),
  );
}

const multiRegion = stackPolicy({
  name: "cloudtrail-multi-region-management-events",
  summary:
    "The stack's trails include a multi-region trail that records read and write management events (whether the account has one at all is a runtime check)",
  enforcementLevel: "advisory",
  references: { catalogue: [71], fsbp: ["CloudTrail.1"], checkov: ["CKV_AWS_67"] },
  resourceTypes: trail,
  check: (s) => {
    const trails = s.ofType(trail);
    if (trails.length === 0) return;
    let undecided = false;
    for (const t of trails) {
      const multi = t.props.isMultiRegionTrail;
      const mgmt = managementEvents(t.props);
      if (isUnknown(multi) || mgmt === "unknown") undecided = true;
      else if (mgmt === true && !trailCoverageProblem({ multiRegion: multi, logging: t.props.enableLogging })) return;
    }
    if (undecided) {
      s.unknown("trail settings");
      return;
    }
    for (const t of trails)
      s.report(
        t,
        `trail ${t.name} is not a multi-region trail logging all management events (isMultiRegionTrail: true, no selector excluding management or write events), and no other trail in the stack is`,
      );
  },
});

const kmsEncrypted = resourcePolicy({
  name: "cloudtrail-kms-encryption",
  summary: "CloudTrail trails encrypt log files with a customer-managed KMS key (kmsKeyId)",
  enforcementLevel: "mandatory",
  references: { catalogue: [72], fsbp: ["CloudTrail.2"], checkov: ["CKV_AWS_35"] },
  resourceTypes: trail,
  check: (c) => {
    const key = c.props.kmsKeyId;
    if (isUnknown(key)) c.unknown("kmsKeyId");
    else if (typeof key !== "string" || key === "")
      c.report(
        "log files are encrypted with SSE-S3 only: set kmsKeyId (a key whose policy lets cloudtrail.amazonaws.com encrypt)",
      );
  },
});

const validation = resourcePolicy({
  name: "cloudtrail-log-file-validation",
  summary: "CloudTrail trails have log file integrity validation on (enableLogFileValidation: true)",
  // Advisory: integrity evidence for investigations, not encryption or exposure.
  enforcementLevel: "advisory",
  references: { catalogue: [72], fsbp: ["CloudTrail.4"], checkov: ["CKV_AWS_36"] },
  resourceTypes: trail,
  check: (c) => {
    const v = c.props.enableLogFileValidation;
    const problem = isUnknown(v) ? undefined : logFileValidationProblem(v);
    if (isUnknown(v)) c.unknown("enableLogFileValidation");
    else if (problem) c.report(problem);
  },
});

const cloudwatchLogs = resourcePolicy({
  name: "cloudtrail-cloudwatch-logs",
  summary:
    "CloudTrail trails deliver to CloudWatch Logs (cloudWatchLogsGroupArn and cloudWatchLogsRoleArn; unlike CKV2_AWS_10, a group without the role fails, since CloudTrail cannot write without a role to assume, and a group declared outside the stack passes)",
  enforcementLevel: "advisory",
  references: { catalogue: [73], fsbp: ["CloudTrail.5"], checkov: ["CKV2_AWS_10"] },
  resourceTypes: trail,
  check: (c) => {
    const group = c.props.cloudWatchLogsGroupArn;
    const role = c.props.cloudWatchLogsRoleArn;
    const set = (v: unknown) => isUnknown(v) || (typeof v === "string" && v.length > 0);
    if (!set(group) || !set(role))
      c.report(
        `the trail does not deliver to CloudWatch Logs (${[!set(group) && "cloudWatchLogsGroupArn", !set(role) && "cloudWatchLogsRoleArn"].filter(Boolean).join(" and ")} not set): no metric filters or alarms can watch it`,
      );
  },
});

const CLOUDTRAIL = "cloudtrail.amazonaws.com";

const logsRoleTrust = stackPolicy({
  name: "cloudtrail-logs-role-trust-no-source-condition",
  summary:
    "The role a trail assumes to deliver to CloudWatch Logs trusts cloudtrail.amazonaws.com with no aws:SourceAccount / aws:SourceArn condition: CloudTrail sends neither for that role ('Confused deputy prevention is not applicable to the role policy for CloudWatch Logs monitoring', CloudTrail guide, 'Role policy document for CloudTrail to use CloudWatch Logs for monitoring'), so CreateTrail fails with InvalidCloudWatchLogsRoleArnException",
  enforcementLevel: "mandatory",
  references: {
    catalogue: [],
    fsbp: [],
    checkov: [],
    beyondCatalogue: "a condition AWS does not send is a provider/AWS trap next to row 73, not a control",
  },
  resourceTypes: [...trail, ...iam.role],
  check: (s) => {
    for (const t of s.ofType(trail)) {
      const roleArn = t.props.cloudWatchLogsRoleArn;
      if (roleArn === undefined || roleArn === "") continue;
      const role = s.ofType(iam.role).find((r) => refersTo(t, "cloudWatchLogsRoleArn", r, "arn"));
      if (!role) {
        if (isUnknown(roleArn)) s.unknown(`cloudWatchLogsRoleArn of ${t.name}`);
        else s.outside(`the CloudWatch Logs role of ${t.name} is not in this stack`);
        continue;
      }
      const trust = role.props.assumeRolePolicy;
      if (isUnknown(trust)) {
        s.unknown(`assumeRolePolicy of ${role.name}`);
        continue;
      }
      const keys = sourceConditionKeys(parsePolicy(trust) ?? [], CLOUDTRAIL);
      if (keys.length > 0)
        s.report(
          role,
          `role ${role.name} (the CloudWatch Logs role of trail ${t.name}) trusts ${CLOUDTRAIL} only under ${keys.join(", ")}, which CloudTrail does not send for this role: CreateTrail fails with InvalidCloudWatchLogsRoleArnException. Drop the condition; the role's own policy limits it to the log group`,
        );
    }
  },
});

export const cloudtrailPolicies: HuntazePolicy[] = [
  multiRegion,
  kmsEncrypted,
  validation,
  cloudwatchLogs,
  logsRoleTrust,
];
