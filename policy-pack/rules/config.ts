import { cfg, iam, s3 } from "../lib/aws-types";
import { allows } from "../lib/iam-grants";
import { asArray, at, isUnknown, type Resource, refersTo, stackPolicy } from "../lib/inspect";
import { parsePolicy, type Statement } from "../lib/policy-document";
import type { HuntazePolicy } from "../rule";

// AWS Config delivery. For a bucket of its own account, Config writes with the recorder's IAM role,
// not with its service principal ("Permissions for the Amazon S3 Bucket for the AWS Config Delivery
// Channel": docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html), and
// PutDeliveryChannel fails with InsufficientDeliveryPolicyException when the role cannot write there.

/** AWS-managed policies whose grants are known: AWS_ConfigRole reads configurations, it writes to no bucket. */
const KNOWN_MANAGED_WITHOUT_S3_WRITE = ["arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"];

/** Config's service-linked role: its delivery is granted by the bucket policy, not by the role. */
const CONFIG_SERVICE_LINKED_ROLE = /:role\/aws-service-role\/config\.amazonaws\.com\//;

/** Any object name under the delivery prefix (Config writes ConfigHistory/ and ConfigSnapshot/ there). */
const s3ObjectSample = "ConfigSnapshot/sample.json.gz";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The statements of every identity policy of `role` in the stack; `undefined` when one cannot be read here. */
function roleStatements(
  role: Resource,
  s: { ofType(t: readonly string[]): Resource[] },
): { statements: Statement[]; unreadable: string[] } {
  const statements: Statement[] = [];
  const unreadable: string[] = [];
  const add = (what: string, doc: unknown) => {
    if (isUnknown(doc)) return unreadable.push(`${what} (unknown until apply)`);
    const parsed = parsePolicy(doc);
    if (parsed) statements.push(...parsed);
  };
  for (const inline of asArray(role.props.inlinePolicies))
    add(`an inline policy of ${role.name}`, at(inline, "policy"));
  for (const rp of s.ofType(iam.rolePolicy))
    if (refersTo(rp, "role", role, "name")) add(`role policy ${rp.name}`, rp.props.policy);
  for (const attachment of s.ofType(iam.rolePolicyAttachment)) {
    if (!refersTo(attachment, "role", role, "name")) continue;
    const arn = attachment.props.policyArn;
    const managed = s.ofType(iam.managedPolicy).find((p) => refersTo(attachment, "policyArn", p, "arn"));
    if (managed) add(`policy ${managed.name}`, managed.props.policy);
    else if (typeof arn === "string" && KNOWN_MANAGED_WITHOUT_S3_WRITE.includes(arn)) continue;
    else unreadable.push(`attached policy ${typeof arn === "string" ? arn : attachment.name} (not in this stack)`);
  }
  return { statements, unreadable };
}

/** The SSE-KMS key the stack sets on `bucket`, if any (string), "unknown", or undefined (no KMS key). */
function bucketKmsKey(bucket: string, s: { ofType(t: readonly string[]): Resource[] }): string | "unknown" | undefined {
  for (const sse of s.ofType(s3.encryption)) {
    if (sse.props.bucket !== bucket) continue;
    for (const rule of asArray(sse.props.rules)) {
      const key = at(rule, "applyServerSideEncryptionByDefault.kmsMasterKeyId");
      if (isUnknown(key)) return "unknown";
      if (typeof key === "string" && key !== "") return key;
    }
  }
  return undefined;
}

const deliveryRoleCanWrite = stackPolicy({
  name: "config-delivery-role-can-write",
  summary:
    "An AWS Config delivery channel's recorder role may write to the bucket it names (s3:PutObject under <prefix>/AWSLogs/<account>/Config/) and use the bucket's KMS key (kms:GenerateDataKey): for a bucket of its own account Config delivers with that role, and PutDeliveryChannel is refused (InsufficientDeliveryPolicyException) or every delivery fails otherwise. AWS_ConfigRole grants neither (AWS Config guide, 'Permissions for the Amazon S3 Bucket for the AWS Config Delivery Channel' and 'Permissions for the IAM Role Assigned to AWS Config')",
  enforcementLevel: "mandatory",
  references: {
    catalogue: [],
    fsbp: [],
    checkov: [],
    beyondCatalogue: "AWS Config's own delivery permissions have no row in the catalogue (AWS refuses the call)",
  },
  resourceTypes: [
    ...cfg.deliveryChannel,
    ...cfg.recorder,
    ...iam.role,
    ...iam.rolePolicy,
    ...iam.rolePolicyAttachment,
    ...iam.managedPolicy,
    ...s3.encryption,
  ],
  check: (s) => {
    for (const channel of s.ofType(cfg.deliveryChannel)) {
      const bucket = channel.props.s3BucketName;
      const prefix = channel.props.s3KeyPrefix;
      if (isUnknown(bucket) || isUnknown(prefix)) {
        s.unknown(`s3BucketName of ${channel.name}`);
        continue;
      }
      const recorders = s.ofType(cfg.recorder);
      if (recorders.length === 0) {
        s.outside(`the Config recorder of ${channel.name} is not in this stack`);
        continue;
      }
      for (const recorder of recorders) {
        const roleArn = recorder.props.roleArn;
        if (typeof roleArn === "string" && CONFIG_SERVICE_LINKED_ROLE.test(roleArn)) continue;
        const role = s.ofType(iam.role).find((r) => refersTo(recorder, "roleArn", r, "arn"));
        if (!role) {
          if (isUnknown(roleArn)) s.unknown(`roleArn of ${recorder.name}`);
          else s.outside(`the role of ${recorder.name} is not in this stack`);
          continue;
        }
        const account = /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(str(role.props.arn) ?? str(roleArn) ?? "")?.[1];
        if (account === undefined) {
          s.unknown(`the account of ${role.name}`);
          continue;
        }
        const { statements, unreadable } = roleStatements(role, s);
        const object = `arn:aws:s3:::${bucket}/${str(prefix) ? `${prefix}/` : ""}AWSLogs/${account}/Config/${s3ObjectSample}`;
        const missing: string[] = [];
        if (!allows(statements, "s3:PutObject", object))
          missing.push(`s3:PutObject on ${object.replace(s3ObjectSample, "*")}`);
        const key = bucketKmsKey(String(bucket), s);
        if (key === "unknown") s.unknown(`the KMS key of bucket ${bucket}`);
        else if (key !== undefined && !allows(statements, "kms:GenerateDataKey", key))
          missing.push(`kms:GenerateDataKey on ${key}`);
        if (missing.length === 0) continue;
        if (unreadable.length > 0) {
          s.unknown(unreadable.join(", "));
          continue;
        }
        s.report(
          channel,
          `delivery channel ${channel.name} names bucket ${bucket}, but the recorder's role ${role.name} may not write there: it lacks ${missing.join(" and ")}. Config delivers to a bucket of its own account with that role (not the config.amazonaws.com principal), so PutDeliveryChannel fails; give the role a policy granting them`,
        );
      }
    }
  },
});

export const configPolicies: HuntazePolicy[] = [deliveryRoleCanWrite];
