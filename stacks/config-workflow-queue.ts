import * as v from "valibot";
import type { WorkflowQueueAlarmThresholds } from "../components";
import { strictObject, workflowQueueFields as W, workflowAlarmThresholdFields } from "../components/specs";

// `huntaze:finops.workflowQueue`: the hybrid workflows FIFO queue (WorkflowQueue), read against the
// component's spec: each key's schema is the component's own field (defaults, ranges, the name
// format). The key `alarms` holds the component's `alarmThresholds`.

/** `huntaze:finops.workflowQueue`: optional, every key defaulted by the component's  */
export const WorkflowQueueSection = v.optional(
  strictObject({
    queueName: v.optional(W.queueName),
    visibilityTimeoutSeconds: W.visibilityTimeoutSeconds,
    maxReceiveCount: W.maxReceiveCount,
    alarms: v.optional(strictObject(workflowAlarmThresholdFields), () => ({})),
  }),
  () => ({}),
);

export type WorkflowQueueConfig = {
  /**
   * Queue name without ".fifo" (the DLQ is `<queueName>-dlq.fifo`): production keeps the live
   * `huntaze-hybrid-workflows`; staging the environment-suffixed default, since both share the account.
   * @default "huntaze-hybrid-workflows-<environment>"
   */
  readonly queueName?: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  /** The component's `alarmThresholds`, each defaulted. */
  readonly alarms: Required<WorkflowQueueAlarmThresholds>;
};

/** The section as read (`huntaze:finops` holds it: stacks/config-finops.ts) to the stack's settings. */
export function workflowQueueConfig(w: v.InferOutput<typeof WorkflowQueueSection>): WorkflowQueueConfig {
  const { queueName, ...rest } = w;
  return { ...(queueName !== undefined ? { queueName } : {}), ...rest } as WorkflowQueueConfig;
}
