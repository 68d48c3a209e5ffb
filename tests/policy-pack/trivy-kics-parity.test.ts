import { expect } from "chai";
import { describe, it } from "mocha";
import { allPolicies } from "../../policy-pack/policies";
import { evaluate, of, type TestResource } from "../support/policy-harness";
import { res } from "./checkov-parity/row";

// Parity with the Trivy (aquasecurity/defsec) and KICS (Checkmarx/kics) checks the rules cite where
// Checkov has none: each row is one of the check's own documented examples (defsec's
// Good/BadExamples, avd_docs/aws/<service>/<AVD id>/Terraform.md; KICS's positive/negative tests),
// converted to Pulumi inputs. A row whose pack verdict differs records why, and the rule's
// description says "unlike <id>".

type Verdict = "PASSED" | "FAILED";
interface Row {
  readonly id: string;
  readonly rule: string;
  readonly example: string;
  readonly verdict: Verdict;
  /** The pack's verdict when it deliberately differs. @default verdict */
  readonly pack?: Verdict;
  readonly resources: TestResource[];
}

const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const TOPIC = "aws:sns/topic:Topic";
const CLUSTER = "aws:rds/cluster:Cluster";

/** defsec's ECS examples: one "my_service" container with `environment`. */
const myService = (name: string, environment: { name: string; value: string }[]) =>
  res(TASK, name, {
    family: "service",
    containerDefinitions: JSON.stringify([{ name: "my_service", essential: true, memory: 256, environment }]),
  });

const rows: Row[] = [
  // AVD-AWS-0036 aws-ecs-no-plaintext-secrets (defsec rules/cloud/policies/aws/ecs/no_plaintext_secrets.tf.go)
  {
    id: "AVD-AWS-0036",
    rule: "ecs-task-no-literal-secrets-in-environment",
    example: "good_example",
    verdict: "PASSED",
    resources: [myService("good_example", [{ name: "ENVIRONMENT", value: "development" }])],
  },
  {
    id: "AVD-AWS-0036",
    rule: "ecs-task-no-literal-secrets-in-environment",
    example: "bad_example",
    verdict: "FAILED",
    resources: [
      myService("bad_example", [
        { name: "ENVIRONMENT", value: "development" },
        { name: "DATABASE_PASSWORD", value: "oh no D:" },
      ]),
    ],
  },
  // AVD-AWS-0035 aws-ecs-enable-in-transit-encryption (avd_docs/aws/ecs/AVD-AWS-0035/Terraform.md)
  {
    id: "AVD-AWS-0035",
    rule: "ecs-task-efs-transit-encryption",
    example: "good_example",
    verdict: "PASSED",
    resources: [
      res(TASK, "good_example", {
        family: "service",
        containerDefinitions: JSON.stringify([{ name: "service", image: "service", essential: true }]),
        volumes: [
          {
            name: "service-storage",
            efsVolumeConfiguration: {
              fileSystemId: "fs",
              rootDirectory: "/opt/data",
              transitEncryption: "ENABLED",
              transitEncryptionPort: 2999,
              authorizationConfig: { accessPointId: "test", iam: "ENABLED" },
            },
          },
        ],
      }),
    ],
  },
  // AVD-AWS-0079 aws-rds-encrypt-cluster-storage-data (avd_docs/aws/rds/AVD-AWS-0079/Terraform.md)
  {
    id: "AVD-AWS-0079",
    rule: "rds-cluster-storage-encrypted",
    example: "good_example",
    verdict: "PASSED",
    resources: [
      res(CLUSTER, "good_example", {
        kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        storageEncrypted: true,
      }),
    ],
  },
  // AVD-AWS-0136 aws-sns-topic-encryption-use-cmk (tfsec docs: checks/aws/sns/topic-encryption-use-cmk)
  {
    id: "AVD-AWS-0136",
    rule: "sns-topic-customer-managed-key",
    example: "bad_example",
    verdict: "FAILED",
    resources: [res(TOPIC, "bad_example", { kmsMasterKeyId: "alias/aws/sns" })],
  },
  {
    id: "AVD-AWS-0136",
    rule: "sns-topic-customer-managed-key",
    example: "good_example",
    verdict: "PASSED",
    resources: [res(TOPIC, "good_example", { kmsMasterKeyId: "/blah" })],
  },
  // KICS b1a72f66-2236-4f3b-87ba-0da1b366956f "SNS Topic Encrypted With AWS Managed Key"
  {
    id: "b1a72f66-2236-4f3b-87ba-0da1b366956f",
    rule: "sns-topic-customer-managed-key",
    example: "positive1.tf (user_updates)",
    verdict: "FAILED",
    resources: [res(TOPIC, "user_updates", { name: "user-updates-topic", kmsMasterKeyId: "alias/aws/sns" })],
  },
  {
    id: "b1a72f66-2236-4f3b-87ba-0da1b366956f",
    rule: "sns-topic-customer-managed-key",
    example: "positive2.tf (the key's ARN read from data.aws_kms_key for alias/aws/sns)",
    verdict: "FAILED",
    // The ARN of the key behind alias/aws/sns is a key ARN like any other: only an alias shows the
    // key is AWS-managed, so the pack cannot tell (the description says so).
    pack: "PASSED",
    resources: [
      res(TOPIC, "test", {
        name: "sns_ecnrypted",
        kmsMasterKeyId: "arn:aws:kms:us-east-1:111122223333:key/7a6b5c4d-3e2f-1a0b-9c8d-7e6f5a4b3c2d",
      }),
    ],
  },
  {
    id: "b1a72f66-2236-4f3b-87ba-0da1b366956f",
    rule: "sns-topic-customer-managed-key",
    example: "negative1.tf (test2)",
    verdict: "PASSED",
    resources: [res(TOPIC, "test2", { name: "sns_ecnrypted", kmsMasterKeyId: "alias/MyAlias" })],
  },
];

describe("Trivy and KICS parity: the cited checks' own examples", () => {
  for (const row of rows) {
    const expected = row.pack ?? row.verdict;
    it(`${row.id} ${row.example}: ${row.verdict}, ${row.rule} ${expected}`, async () => {
      const rule = allPolicies.find((p) => p.name === row.rule);
      expect(rule, row.rule).to.not.equal(undefined);
      expect(rule!.description, `${row.rule} cites ${row.id}`).to.include(row.id);
      if (row.pack !== undefined && row.pack !== row.verdict)
        expect(rule!.description, `${row.rule} states its difference`).to.match(/not recognised|unlike/);
      const mine = of(await evaluate(row.resources), row.rule);
      if (expected === "FAILED") expect(mine, "violations").to.not.be.empty;
      else expect(mine.map((v) => v.message)).to.deep.equal([]);
    });
  }
});
