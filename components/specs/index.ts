// `@huntaze/hardening/specs`: the validator every component resolves its args with, the shared
// formats, and each component's spec (`<Component>Spec`) with the fields and rules it is made of. A
// project reads its own stack config against a component's spec as this repository's stacks do
// (`strictObject({ key: <component>Fields.key })`), and gets the component's own ranges, formats,
// defaults and messages, not a copy of them.
export * from "../spec";
export * from "./account-baseline";
export * from "./alert-topics";
export * from "./cost-tracking";
export * from "./encrypted-queue";
export * from "./encrypted-redis";
export * from "./formats";
export * from "./hardened-bucket";
export * from "./hardened-database";
export * from "./observed-cluster";
export * from "./rate-limiter-pipeline";
export * from "./workflow-queue";
