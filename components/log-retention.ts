// The retention periods CloudWatch Logs accepts (PutRetentionPolicy `retentionInDays`): one list for
// every component that creates a log group and for the stack config that passes a value through.

export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

export function isLogRetentionDays(days: number): days is LogRetentionDays {
  return (LOG_RETENTION_DAYS as readonly number[]).includes(days);
}

/** Default retention of the log groups the components create: 30 days; 90 for audit and security logs. */
export const DEFAULT_LOG_RETENTION_DAYS = { default: 30, audit: 90 } as const satisfies Record<
  string,
  LogRetentionDays
>;
