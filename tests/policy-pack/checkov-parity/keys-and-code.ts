import type { Row } from "./row";

// KMS, SQS, IAM, Lambda: CKV2_AWS_64, CKV2_AWS_73, CKV_AWS_355, CKV_AWS_363.
export const rows: Row[] = [];
