import { PolicyPack } from "@pulumi/policy";
import { narrowPoliciesByType, shareDeserializedProperties } from "../lib/pulumi-internals";
import { typesRead } from "./lib/inspect";
import { allPolicies } from "./policies";

// Each resource's properties are turned into plain values once, not once per rule (see there).
shareDeserializedProperties();
// Each call runs only the rules that read the resources' types, not every rule of the pack (see there).
narrowPoliciesByType(typesRead);

// The pack's default level is advisory; each rule carries its own level (mandatory for encryption,
// authentication and public exposure) and users override levels per rule or for "all" with
// `pulumi preview --policy-pack-config`, honoured the same way by the offline engine.
new PolicyPack("huntaze-hardening", {
  enforcementLevel: "advisory",
  policies: allPolicies,
});
