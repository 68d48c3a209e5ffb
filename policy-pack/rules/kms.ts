import { iam, kms, ssoadmin } from "../lib/aws-types";
import { checkNotPublic, readPolicy } from "../lib/documents";
import { asArray, type Check, isUnknown, refersTo, resourcePolicy, stackPolicy } from "../lib/inspect";
import type { HuntazePolicy } from "../rule";

const rotation = resourcePolicy({
  name: "kms-key-rotation",
  summary: "Symmetric KMS keys rotate automatically (enableKeyRotation: true)",
  enforcementLevel: "advisory",
  references: { catalogue: [52], fsbp: ["KMS.4 (not FSBP)"], checkov: ["CKV_AWS_7"] },
  resourceTypes: kms.key,
  check: (c) => {
    const spec = c.props.customerMasterKeySpec;
    const usage = c.props.keyUsage;
    if (isUnknown(spec) || isUnknown(usage)) {
      c.unknown("customerMasterKeySpec/keyUsage");
      return;
    }
    // Asymmetric and HMAC keys cannot rotate automatically.
    if ((spec ?? "SYMMETRIC_DEFAULT") !== "SYMMETRIC_DEFAULT" || (usage ?? "ENCRYPT_DECRYPT") !== "ENCRYPT_DECRYPT")
      return;
    const v = c.props.enableKeyRotation;
    if (isUnknown(v)) c.unknown("enableKeyRotation");
    else if (v !== true) c.report("automatic key rotation is off: set enableKeyRotation: true");
  },
});

const policyNotPublic = resourcePolicy({
  name: "kms-key-policy-not-public",
  summary:
    'KMS key policies (inline or aws.kms.KeyPolicy) do not allow Principal "*" without a condition pinning the caller',
  enforcementLevel: "mandatory",
  references: { catalogue: [53], fsbp: ["KMS.5"], checkov: ["CKV_AWS_33"] },
  resourceTypes: [...kms.key, ...kms.keyPolicy],
  check: (c) => checkNotPublic(c, "policy", "key policy"),
});

const policyDefined = stackPolicy({
  name: "kms-key-policy-defined",
  summary:
    "Every KMS key has an explicit key policy (inline policy or aws.kms.KeyPolicy) instead of the default one that delegates everything to IAM",
  enforcementLevel: "advisory",
  references: { catalogue: [53], fsbp: [], checkov: ["CKV2_AWS_64"] },
  resourceTypes: [...kms.key, ...kms.keyPolicy],
  check: (s) => {
    const keyPolicies = s.ofType(kms.keyPolicy);
    for (const key of s.ofType(kms.key)) {
      const inline = key.props.policy;
      if (isUnknown(inline) || (typeof inline === "string" && inline.length > 0)) continue;
      if (keyPolicies.some((p) => refersTo(p, "keyId", key, "keyId"))) continue;
      s.report(
        key,
        `KMS key ${key.name} has no key policy of its own: the default policy grants the account root everything`,
      );
    }
  },
});

const enabled = resourcePolicy({
  name: "kms-key-enabled",
  summary: "KMS keys are enabled (isEnabled not false); pending deletion is a runtime state checked by Security Hub",
  enforcementLevel: "advisory",
  references: { catalogue: [54], fsbp: ["KMS.3"], checkov: ["CKV_AWS_227"] },
  resourceTypes: kms.key,
  check: (c) => {
    const v = c.props.isEnabled;
    if (isUnknown(v)) c.unknown("isEnabled");
    else if (v === false)
      c.report("the key is disabled (isEnabled: false): everything encrypted with it becomes unreadable");
  },
});

const decryptActions = ["kms:decrypt", "kms:reencryptfrom", "kms:*", "kms:re*", "*"];

function checkDocument(c: Check, value: unknown, where: string): void {
  const policy = readPolicy(value);
  if (policy.state === "unknown") c.unknown(where);
  if (policy.state !== "parsed") return;
  for (const st of policy.statements) {
    if (st.effect !== "Allow") continue;
    const actions = st.actions.filter((a) => decryptActions.includes(a.toLowerCase()));
    if (actions.length && st.resources.includes("*"))
      c.report(`${where} allows ${actions.join(", ")} on Resource "*": name the key ARNs the principal needs`);
  }
}

const noDecryptOnAll = resourcePolicy({
  name: "iam-no-kms-decrypt-on-all-keys",
  summary:
    'IAM policies (Policy, RolePolicy, UserPolicy, GroupPolicy, role inline policies, IAM Identity Center permission set inline policies) do not allow kms:Decrypt / kms:ReEncryptFrom / kms:* on Resource "*" (heuristic: conditions are not evaluated; unlike CKV_AWS_355, which fails every action with resource-level permissions on Resource "*", only the KMS decrypt actions of KMS.1/KMS.2 are judged: ec2:Describe* on "*" passes)',
  enforcementLevel: "advisory",
  references: { catalogue: [55], fsbp: ["KMS.1", "KMS.2"], checkov: ["CKV_AWS_355"] },
  resourceTypes: [...iam.policyDocuments, ...iam.role, ...ssoadmin.permissionSetInlinePolicy],
  check: (c) => {
    if (iam.role.includes(c.resource.type as never)) {
      const inline = c.props.inlinePolicies;
      if (isUnknown(inline)) c.unknown("inlinePolicies");
      else {
        for (const [i, p] of asArray(inline).entries())
          checkDocument(c, isUnknown(p) ? p : (p as Record<string, unknown>)?.policy, `inline policy ${i} of the role`);
      }
      return;
    }
    // A permission set's inline policy becomes an inline policy of a role in every account it is provisioned to.
    if (ssoadmin.permissionSetInlinePolicy.includes(c.resource.type as never)) {
      checkDocument(c, c.props.inlinePolicy, "the permission set's inline policy");
      return;
    }
    checkDocument(c, c.props.policy, "the policy");
  },
});

export const kmsPolicies: HuntazePolicy[] = [rotation, policyNotPublic, policyDefined, enabled, noDecryptOnAll];
