export * from "./alert-topics";
export * from "./encrypted-redis";
export * from "./hardened-bucket";
export * from "./rate-limiter-pipeline";
