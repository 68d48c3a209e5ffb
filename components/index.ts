export * from "./account-baseline";
export * from "./alarms";
export * from "./alert-topics";
export * from "./cost-tracking";
export * from "./encrypted-redis";
export * from "./hardened-bucket";
export * from "./hardened-database";
export * from "./kms-key";
export * from "./log-retention";
export * from "./observed-cluster";
export * from "./policy-statements";
export * from "./rate-limiter-pipeline";
export * as spec from "./spec";
// The shared validator's error and the config-section object, for stacks that read a component's spec.
export { ArgsError, strictObject } from "./spec";
export {
  AccountBaselineSpec,
  accountBaselineFields,
  gatewayEndpointsSpec,
  ROUTE_TABLE_ID,
  runtimeMonitoringSpec,
  SECURITY_HUB_LABELS,
  SNS_TOPIC_ARN,
} from "./specs/account-baseline";
export {
  accessLoggingSpec,
  BUCKET_NAME,
  bucketName,
  HardenedBucketSpec,
  hardenedBucketFields,
  lifecycleDays,
  MAX_LIFECYCLE_DAYS,
  transitionDays,
} from "./specs/hardened-bucket";
export * from "./workflow-queue";
