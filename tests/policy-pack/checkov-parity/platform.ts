import type { Row } from "./row";

// CloudTrail, EC2, DynamoDB, Secrets Manager: CKV2_AWS_10, CKV2_AWS_12, CKV2_AWS_16, CKV2_AWS_57.
export const rows: Row[] = [];
