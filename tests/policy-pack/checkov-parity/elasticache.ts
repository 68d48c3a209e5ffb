import type { Row } from "./row";

// ElastiCache: CKV2_AWS_50, CKV_AWS_134, CKV_AWS_322, CKV_AWS_323.
export const rows: Row[] = [];
