import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Baseline, ResolvedBaselineArgs } from "./account-baseline/context";
import { createConfigDelivery, createFindingRoutes } from "./account-baseline/delivery";
import { createDetection } from "./account-baseline/detection";
import { createGatewayEndpoints } from "./account-baseline/network";
import { createAccountPublicAccessBlock, createConfigRecorder, createSecurityHub } from "./account-baseline/posture";
import { createTrail } from "./account-baseline/trail";
import { resolveArgs } from "./spec";
import { AccountBaselineSpec } from "./specs/account-baseline";

// The account's security baseline (seed 002 "Security Architecture", Day 4; seed 003 §3, §4.1,
// §10.1): GuardDuty, Security Hub FSBP (+ AWS Config when the account records nothing), a
// multi-region CloudTrail trail, EventBridge routing of high findings to the security topic, the
// account-level S3 public access block and the S3/DynamoDB gateway endpoints. Everything here is an
// account-wide singleton: exactly one stack of the account creates this component.
//
// One file per concern under account-baseline/ (detection, trail, posture, delivery, network), each
// a helper creating its children under this component with the names they always had (so their URNs,
// which production's adopted resources are bound to, do not change). The args are data:
// components/specs/account-baseline.ts.

export type { ResolvedBaselineArgs } from "./account-baseline/context";
export {
  CONFIG_PREFIX,
  configDeliveryRolePolicy,
  guardDutyFindingsPattern,
  securityHubFindingsPattern,
} from "./account-baseline/delivery";
export { gatewayEndpointPolicy } from "./account-baseline/network";
export { fsbpStandardArn, serviceTrustPolicy } from "./account-baseline/posture";
export {
  cloudTrailLogsTrustPolicy,
  trailArn,
  trailBucketStatements,
  trailKeyStatements,
  trailLogsRolePolicy,
} from "./account-baseline/trail";
export { TRAIL_NAME_PATTERN } from "./specs/account-baseline";

export interface AccountBaselineArgs {
  /** Physical name prefix, with the environment (`huntaze-production`). */
  readonly namePrefix: string;
  /** The security alert topic; its KMS key must admit events.amazonaws.com (see AlertTopics). */
  readonly securityTopicArn: pulumi.Input<string>;
  /** Create the AWS Config recorder and delivery channel: only when the account has none (one per region). */
  readonly createConfigRecorder?: boolean;
  /** GuardDuty findings at or above this severity go to the security topic. */
  readonly guardDutyMinSeverity?: number;
  /** Security Hub severity labels sent to the security topic. */
  readonly securityHubLabels?: readonly string[];
  /**
   * The multi-region trail's name. Set it to the name of the trail the account already has (the
   * stack's inventory lists it) so that trail is adopted rather than a second one created beside it
   * (each trail is billed for every event it delivers beyond the first copy).
   * @default `${namePrefix}-trail`
   */
  readonly trailName?: string;
  /** Retention of the trail's CloudWatch log group (audit/security logs: at least 90 days). */
  readonly trailLogRetentionDays?: number;
  /** Expire trail log objects after this many days. */
  readonly trailLogExpirationDays?: number;
  /** Server access logging of the trail bucket. @default - off */
  readonly trailBucketAccessLogging?: { readonly targetBucket: pulumi.Input<string>; readonly targetPrefix?: string };
  /** Runtime monitoring agents GuardDuty manages (each flag defaults as in the default object). */
  readonly runtimeMonitoring?: {
    readonly eksAddon?: boolean;
    readonly ec2Agent?: boolean;
    readonly ecsFargateAgent?: boolean;
  };
  /**
   * The root-level logical name the account public access block had before it moved into this
   * component: an alias, so the move is no create-then-delete (deleting the old resource would
   * remove the account's block). @default - no alias
   */
  readonly previousPublicAccessBlockName?: string;
  /** Gateway endpoints for S3 and DynamoDB on these route tables. @default - no endpoints */
  readonly gatewayEndpoints?: { readonly vpcId: string; readonly routeTableIds: readonly string[] };
  /** Tags of every child. */
  readonly tags?: Record<string, string>;
}

/** The resolve step: the args checked against AccountBaselineSpec, defaults applied, the trail name computed. */
export function resolveBaselineArgs(name: string, args: AccountBaselineArgs): ResolvedBaselineArgs {
  const s = resolveArgs("AccountBaseline", name, AccountBaselineSpec, args);
  return { ...s, trailName: s.trailName ?? `${s.namePrefix}-trail` };
}

/**
 * Account-wide security services and guards. Children are named `${name}-<part>`; every physical
 * name starts with `namePrefix`.
 */
export class AccountBaseline extends pulumi.ComponentResource {
  readonly detectorId: pulumi.Output<string>;
  readonly trailArn: pulumi.Output<string>;
  readonly trailBucketName: pulumi.Output<string>;
  readonly trailLogGroupName: pulumi.Output<string>;
  readonly trailKeyArn: pulumi.Output<string>;
  readonly securityHubStandardArn: pulumi.Output<string>;
  readonly vpcEndpointIds: pulumi.Output<string[]>;

  constructor(name: string, args: AccountBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("huntaze:security:AccountBaseline", name, {}, opts);
    const s = resolveBaselineArgs(name, args);
    const parent = { parent: this };
    const b: Baseline = {
      name,
      parent: this,
      s,
      accountId: aws.getCallerIdentityOutput({}, parent).accountId,
      region: aws.getRegionOutput({}, parent).region,
    };

    createAccountPublicAccessBlock(b);
    const detector = createDetection(b);
    const trail = createTrail(b);
    const standardArn = createSecurityHub(b);
    // FSBP controls stay INCOMPLETE without Config recording: create it when the account has none.
    if (s.createConfigRecorder) createConfigDelivery(b, createConfigRecorder(b), trail);
    createFindingRoutes(b);
    const endpointIds = createGatewayEndpoints(b);

    this.detectorId = detector.id;
    this.trailArn = trail.trail.arn;
    this.trailBucketName = trail.bucket.bucketName;
    this.trailLogGroupName = trail.logGroup.name;
    this.trailKeyArn = trail.key.arn;
    this.securityHubStandardArn = standardArn;
    this.vpcEndpointIds = pulumi.all(endpointIds);
    this.registerOutputs({
      detectorId: this.detectorId,
      trailArn: this.trailArn,
      trailBucketName: this.trailBucketName,
      securityHubStandardArn: this.securityHubStandardArn,
    });
  }
}
