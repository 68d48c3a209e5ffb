export * from "./alarms";
export * from "./alert-topics";
export * from "./encrypted-redis";
export * from "./hardened-bucket";
export * from "./kms-key";
export * from "./policy-statements";
export * from "./rate-limiter-pipeline";
