/** Concurrent calls per service and region: well under every describe API's rate limit. */
export const CONCURRENCY = 4;
