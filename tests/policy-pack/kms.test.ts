import { describe } from "mocha";
import { complies, factory, UNKNOWN_STRING, violates } from "../support/policy-cases";

const KEY = "aws:kms/key:Key";
const doc = (...statements: Record<string, unknown>[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });
const rootAdmin = {
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111122223333:root" },
  Action: "kms:*",
  Resource: "*",
};
const key = factory(KEY, "data", { description: "data key", enableKeyRotation: true, policy: doc(rootAdmin) });

describe("KMS rules", () => {
  complies({
    rule: "kms-key-rotation",
    title: "rotation on, and an asymmetric key without it",
    resources: [
      key(),
      key(
        { enableKeyRotation: undefined, customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" },
        { name: "signing" },
      ),
    ],
  });
  violates({
    rule: "kms-key-rotation",
    title: "rotation off",
    resources: [key({ enableKeyRotation: false })],
    message: /rotation is off/,
  });

  complies({
    rule: "kms-key-policy-not-public",
    title: 'Principal "*" pinned by kms:CallerAccount + kms:ViaService',
    resources: [
      key({
        policy: doc(rootAdmin, {
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["kms:Decrypt"],
          Resource: "*",
          Condition: {
            StringEquals: {
              "kms:CallerAccount": "111122223333",
              "kms:ViaService": "elasticache.eu-west-1.amazonaws.com",
            },
          },
        }),
      }),
    ],
  });
  complies({
    rule: "kms-key-policy-not-public",
    title: "a policy unknown during preview",
    resources: [key({ policy: UNKNOWN_STRING })],
  });
  violates({
    rule: "kms-key-policy-not-public",
    title: 'an unconditioned Principal "*" on aws.kms.KeyPolicy',
    resources: [
      {
        type: "aws:kms/keyPolicy:KeyPolicy",
        name: "kp",
        inputs: {
          keyId: "data",
          policy: doc({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }),
        },
      },
    ],
    message: /key policy allows kms:Decrypt to Principal "\*"/,
  });

  complies({
    rule: "kms-key-policy-not-public",
    title: "an aws.kms.KeyPolicy of a key outside the stack naming the account root",
    resources: [
      {
        type: "aws:kms/keyPolicy:KeyPolicy",
        name: "kp",
        inputs: { keyId: "arn:aws:kms:eu-west-1:111122223333:key/shared", policy: doc(rootAdmin) },
      },
    ],
  });

  complies({ rule: "kms-key-policy-defined", title: "an inline policy", resources: [key()] });
  complies({
    rule: "kms-key-policy-defined",
    title: "an aws.kms.KeyPolicy joined by keyId",
    resources: [
      key({ policy: undefined }),
      { type: "aws:kms/keyPolicy:KeyPolicy", name: "kp", inputs: { keyId: "data", policy: doc(rootAdmin) } },
    ],
  });
  violates({
    rule: "kms-key-policy-defined",
    title: "no policy at all",
    resources: [key({ policy: undefined })],
    message: /no key policy of its own/,
  });

  complies({ rule: "kms-key-enabled", title: "enabled by default", resources: [key()] });
  violates({
    rule: "kms-key-enabled",
    title: "isEnabled: false",
    resources: [key({ isEnabled: false })],
    message: /disabled/,
  });

  complies({
    rule: "iam-no-kms-decrypt-on-all-keys",
    title: "kms:Decrypt on a named key (RolePolicy)",
    resources: [
      {
        type: "aws:iam/rolePolicy:RolePolicy",
        name: "rp",
        inputs: {
          role: "r",
          policy: doc({
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: "arn:aws:kms:eu-west-1:111122223333:key/abcd",
          }),
        },
      },
    ],
  });
  violates({
    rule: "iam-no-kms-decrypt-on-all-keys",
    title: "kms:Decrypt on * (Policy)",
    resources: [
      {
        type: "aws:iam/policy:Policy",
        name: "p",
        inputs: { policy: doc({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }) },
      },
    ],
    message: /kms:Decrypt on Resource "\*"/,
  });
  // CKV_AWS_355 also covers aws_iam_user_policy and aws_iam_group_policy; v7 accepts a policy
  // document object as well as JSON text.
  for (const [type, owner] of [
    ["aws:iam/userPolicy:UserPolicy", { user: "ci" }],
    ["aws:iam/groupPolicy:GroupPolicy", { group: "developers" }],
  ] as const) {
    const kind = type.split(":").pop();
    complies({
      rule: "iam-no-kms-decrypt-on-all-keys",
      title: `kms:Decrypt on a named key (${kind})`,
      resources: [
        {
          type,
          name: "p",
          inputs: {
            ...owner,
            policy: doc({
              Effect: "Allow",
              Action: "kms:Decrypt",
              Resource: "arn:aws:kms:eu-west-1:111122223333:key/abcd",
            }),
          },
        },
      ],
    });
    violates({
      rule: "iam-no-kms-decrypt-on-all-keys",
      title: `kms:* on * in a policy document object (${kind})`,
      resources: [
        {
          type,
          name: "p",
          inputs: {
            ...owner,
            policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["kms:*"], Resource: "*" }] },
          },
        },
      ],
      message: /the policy allows kms:\* on Resource "\*"/,
    });
  }
  violates({
    rule: "iam-no-kms-decrypt-on-all-keys",
    title: "kms:* on * in a role's inline policy",
    resources: [
      {
        type: "aws:iam/role:Role",
        name: "r",
        inputs: {
          assumeRolePolicy: "{}",
          inlinePolicies: [{ name: "x", policy: doc({ Effect: "Allow", Action: ["kms:*"], Resource: ["*"] }) }],
        },
      },
    ],
    message: /inline policy 0 of the role/,
  });

  const permissionSetPolicy = factory("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "ps", {
    instanceArn: "arn:aws:sso:::instance/ssoins-1111111111111111",
    permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111",
  });
  complies({
    rule: "iam-no-kms-decrypt-on-all-keys",
    title: "a permission set inline policy with kms:Decrypt on a named key",
    resources: [
      permissionSetPolicy({
        inlinePolicy: doc({
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: "arn:aws:kms:eu-west-1:111122223333:key/abcd",
        }),
      }),
    ],
  });
  violates({
    rule: "iam-no-kms-decrypt-on-all-keys",
    title: "a permission set inline policy with kms:ReEncryptFrom on *",
    resources: [
      permissionSetPolicy({ inlinePolicy: doc({ Effect: "Allow", Action: ["kms:ReEncryptFrom"], Resource: "*" }) }),
    ],
    message: /the permission set's inline policy allows kms:ReEncryptFrom on Resource "\*"/,
  });
});
