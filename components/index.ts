export * from "./alarms";
export * from "./alert-topics";
export * from "./cost-tracking";
export * from "./encrypted-redis";
export * from "./hardened-bucket";
export * from "./kms-key";
export * from "./rate-limiter-pipeline";
export * from "./workflow-queue";
