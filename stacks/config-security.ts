import { TRAIL_NAME_PATTERN } from "../components";
import type { ConfigReader } from "./validation";

// `huntaze:security`: the account baseline (AccountBaseline), built only by the stack with
// `huntaze:manageAccountBaseline: true`. The section is optional; its defaults are the seed's.

export interface SecurityConfig {
  /** Create the AWS Config recorder + delivery channel: only when the account has none. @default false */
  readonly createConfigRecorder: boolean;
  /** GuardDuty findings at or above this go to the security topic. @default 7 */
  readonly guardDutyMinSeverity: number;
  /** Security Hub labels sent to the security topic. @default ["HIGH", "CRITICAL"] */
  readonly securityHubLabels: string[];
  /**
   * The trail's name: in production, the console-made trail's (`npm run inventory -- --live` lists
   * it), so it is adopted, not duplicated. @default huntaze-<environment>-trail (AccountBaseline)
   */
  readonly trailName?: string;
  /** CloudTrail CloudWatch Logs retention (audit logs). @default 90 */
  readonly trailLogRetentionDays: number;
  /** Private route tables of the VPC that get the S3 and DynamoDB gateway endpoints. @default [] */
  readonly privateRouteTableIds: string[];
}

const SEVERITY_LABELS = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"];
const routeTableId = /^rtb-[0-9a-f]{8,17}$/;

/** Reads `huntaze:security` from the namespace reader `c`; problems land in `c.problems`. */
export function readSecurityConfig(c: ConfigReader): SecurityConfig {
  const s = c.object("security", { optional: true });
  const labels = s?.has("securityHubLabels")
    ? s.stringList("securityHubLabels", {
        pattern: new RegExp(`^(${SEVERITY_LABELS.join("|")})$`),
        describe: `severity label (${SEVERITY_LABELS.join(", ")})`,
      })
    : ["HIGH", "CRITICAL"];
  const trailName = s?.optionalString("trailName", {
    pattern: TRAIL_NAME_PATTERN,
    describe: "a trail name (3–128 letters, digits, . _ -; starting and ending with a letter or digit)",
  });
  const config: SecurityConfig = {
    ...(trailName !== undefined ? { trailName } : {}),
    createConfigRecorder: s?.boolean("createConfigRecorder", false) ?? false,
    guardDutyMinSeverity: s?.number("guardDutyMinSeverity", { min: 1, max: 10, default: 7 }) ?? 7,
    securityHubLabels: labels,
    trailLogRetentionDays: s?.integer("trailLogRetentionDays", { min: 90, max: 3653, default: 90 }) ?? 90,
    privateRouteTableIds: s?.has("privateRouteTableIds")
      ? s.stringList("privateRouteTableIds", { pattern: routeTableId, describe: "route table id (rtb-…)" })
      : [],
  };
  s?.rejectUnknownKeys();
  return config;
}
