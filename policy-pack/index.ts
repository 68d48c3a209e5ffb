import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

// The pack's default level is advisory; each rule carries its own level (mandatory for encryption,
// authentication and public exposure) and users override levels per rule or for "all" with
// `pulumi preview --policy-pack-config`, honoured the same way by the offline engine.
new PolicyPack("huntaze-hardening", {
  enforcementLevel: "advisory",
  policies: allPolicies,
});
