import type { PolicyPackConfig } from "../../../tools/engine/policy-client";
import type { TestResource } from "../../support/policy-harness";

// Parity with the Checkov checks the pack cites: each row is one case of the check's own test
// fixtures in bridgecrewio/checkov (tests/terraform/checks/resource/aws/test_<Check>.py and
// example_<Check>/main.tf), its HCL converted to the Pulumi inputs of the same resource, and the
// verdict Checkov's test expects. The pack's rule must reach that verdict, or the row records the
// deliberate difference (`pack`), which the rule's description states as "unlike <check id>".
// "UNKNOWN" rows are values Checkov cannot evaluate (a variable): the pack reports nothing and
// re-checks on `up`.
//
// Graph checks (CKV2_*) have no per-case Python test: their fixture is
// tests/terraform/graph/checks/resources/<Check>/main.tf with expected.yaml listing the resources
// that pass and fail; each row is one of those resources with the resources it is joined to.

export type Verdict = "PASSED" | "FAILED" | "UNKNOWN";

export interface Row {
  readonly check: string;
  readonly rule: string;
  /** Fixture file and case, as named in Checkov's test (or the resource named in expected.yaml). */
  readonly fixture: string;
  readonly checkov: Verdict;
  /** The pack's verdict when it deliberately differs. @default checkov */
  readonly pack?: Verdict;
  readonly resources: TestResource[];
  /** Rule settings that express the check's own threshold. */
  readonly config?: PolicyPackConfig;
}

export const res = (type: string, name: string, inputs: Record<string, unknown>): TestResource => ({
  type,
  name,
  inputs,
});
