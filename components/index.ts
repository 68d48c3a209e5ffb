export * from "./alert-topics";
export * from "./hardened-bucket";
