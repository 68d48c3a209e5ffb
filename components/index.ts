export * from "./account-baseline";
export * from "./alarms";
export * from "./alert-topics";
export * from "./cost-tracking";
export * from "./encrypted-queue";
export * from "./encrypted-redis";
export * from "./hardened-bucket";
export * from "./hardened-database";
export * from "./kms-key";
export * from "./log-retention";
export * from "./observed-cluster";
export * from "./policy-statements";
export * from "./rate-limiter-pipeline";
// The args validator (components/spec.ts) as one namespace: the stack sections compose the specs with it.
export * as spec from "./spec";
export * from "./workflow-queue";
