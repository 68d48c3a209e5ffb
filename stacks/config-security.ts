import * as v from "valibot";
import { accountBaselineFields, gatewayEndpointsSpec, strictObject } from "../components/specs";
import type { ConfigReader } from "./validation";

// `huntaze:security`: the account baseline (AccountBaseline), built only by the stack with
// `huntaze:manageAccountBaseline: true`. The section is optional; every key is read against
// AccountBaseline's own field (components/specs/account-baseline.ts): its allowed values and
// default are the component's, none are restated here.

/** The keys of `huntaze:security`, each AccountBaseline's field of the same meaning. */
export const SecuritySectionSpec = strictObject({
  /** Create the AWS Config recorder + delivery channel: only when the account has none. */
  createConfigRecorder: accountBaselineFields.createConfigRecorder,
  /** GuardDuty findings at or above this go to the security topic. */
  guardDutyMinSeverity: accountBaselineFields.guardDutyMinSeverity,
  /** Security Hub labels sent to the security topic. */
  securityHubLabels: accountBaselineFields.securityHubLabels,
  /**
   * The trail's name: in production, the console-made trail's (`npm run inventory -- --live` lists
   * it), so it is adopted, not duplicated. @default huntaze-<environment>-trail (AccountBaseline)
   */
  trailName: accountBaselineFields.trailName,
  /** CloudTrail CloudWatch Logs retention (audit logs). */
  trailLogRetentionDays: accountBaselineFields.trailLogRetentionDays,
  /** Private route tables of the VPC that get the S3 and DynamoDB gateway endpoints (AccountBaseline's gatewayEndpoints.routeTableIds). */
  privateRouteTableIds: gatewayEndpointsSpec.entries.routeTableIds,
});

export type SecurityConfig = v.InferOutput<typeof SecuritySectionSpec>;

/** Reads `huntaze:security` from the namespace reader `c`; problems land in `c.problems`. */
export function readSecurityConfig(c: ConfigReader): SecurityConfig {
  // An absent section is an empty one: every key has its default. With problems the defaults stand
  // in (parseStackConfig throws with the problems once every section is read).
  return c.spec("security", v.optional(SecuritySectionSpec, {})) ?? v.parse(SecuritySectionSpec, {});
}
