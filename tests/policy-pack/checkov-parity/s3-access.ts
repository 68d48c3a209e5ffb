import type { Row } from "./row";

// S3 access: CKV2_AWS_6, CKV2_AWS_43, CKV2_AWS_65.
export const rows: Row[] = [];
