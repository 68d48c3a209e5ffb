import type { Row } from "./row";

// S3 data: CKV2_AWS_61, CKV2_AWS_62, CKV_AWS_300, CKV_AWS_379.
export const rows: Row[] = [];
