import { lambda } from "../lib/aws-types";
import { asArray, at, type Check, isUnknown, refersTo, resourcePolicy, show, stackPolicy } from "../lib/inspect";
import { allowedVariables, allowedVariablesSchema, secretLikeName, secretLooking } from "../lib/judgements";
import type { HuntazePolicy } from "../rule";

const fn = lambda.function;

/** Image functions have no runtime; zip functions do. */
function runtimeOf(c: Check): string | undefined {
  const rt = c.props.runtime;
  if (isUnknown(rt)) {
    c.unknown("runtime");
    return undefined;
  }
  return typeof rt === "string" ? rt : undefined;
}

const noPublicInvoke = resourcePolicy({
  name: "lambda-no-public-invoke",
  summary:
    'Lambda functions cannot be invoked by anyone: no aws.lambda.Permission to principal "*" without sourceArn/sourceAccount/principalOrgId, no function URL with authorization NONE (unlike CKV_AWS_301, principal "*" with a sourceArn passes: Lambda.1 and IAM Access Analyzer count a permission scoped to a source as not public)',
  enforcementLevel: "mandatory",
  references: { catalogue: [33], fsbp: ["Lambda.1"], checkov: ["CKV_AWS_301", "CKV_AWS_258"] },
  resourceTypes: [...lambda.permission, ...lambda.functionUrl],
  check: (c) => {
    if (lambda.functionUrl.includes(c.resource.type as never)) {
      const auth = c.props.authorizationType;
      if (isUnknown(auth)) c.unknown("authorizationType");
      else if (auth === "NONE")
        c.report(
          'the function URL has authorizationType "NONE": anyone with the URL can invoke the function (use AWS_IAM)',
        );
      return;
    }
    const principal = c.props.principal;
    if (isUnknown(principal)) {
      c.unknown("principal");
      return;
    }
    if (principal !== "*") return;
    if (c.props.functionUrlAuthType === "NONE") {
      c.report('the permission lets principal "*" invoke a function URL with auth type NONE: the function is public');
      return;
    }
    const scoped = ["sourceArn", "sourceAccount", "principalOrgId"].some((k) => {
      const v = c.props[k];
      return isUnknown(v) || (typeof v === "string" && v.length > 0);
    });
    if (!scoped)
      c.report(
        'the permission lets principal "*" invoke the function with no sourceArn, sourceAccount or principalOrgId',
      );
  },
});

// Lambda runtimes deprecated by AWS (no more security patches; creation and then updates get
// blocked). Source: AWS's published runtime table, https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
// ("Supported runtimes" and "Deprecated runtimes"), read 2026-11-30 — re-check it when this date is
// old. Dates are the AWS deprecation dates.
export const DEPRECATED_RUNTIMES: Readonly<Record<string, string>> = {
  nodejs: "2016-10-31",
  "nodejs4.3": "2020-03-05",
  "nodejs4.3-edge": "2019-04-30",
  "nodejs6.10": "2019-08-12",
  "nodejs8.10": "2020-03-06",
  "nodejs10.x": "2021-07-30",
  "nodejs12.x": "2023-03-31",
  "nodejs14.x": "2023-12-04",
  "nodejs16.x": "2024-06-12",
  "nodejs18.x": "2025-09-01",
  // Function creation blocked from 2026-06-01, updates from 2026-07-01.
  "nodejs20.x": "2026-04-30",
  "python2.7": "2021-07-15",
  "python3.6": "2022-07-18",
  "python3.7": "2023-12-04",
  "python3.8": "2024-10-14",
  "python3.9": "2025-12-15",
  // The two below were missing from the table as first read; their dates are AWS's own end-of-support
  // notices (AWS Health, quoted in public issue trackers): Python 3.10 on 2026-10-31 (creation blocked
  // from 2027-02-01, updates from 2027-03-03), the Amazon Linux 2 OS-only runtime on 2026-07-31.
  "python3.10": "2026-10-31",
  "ruby2.5": "2021-07-30",
  "ruby2.7": "2023-12-07",
  "ruby3.2": "2026-03-31",
  java8: "2024-01-08",
  "go1.x": "2024-01-08",
  provided: "2024-01-08",
  "provided.al2": "2026-07-31",
  "dotnetcore1.0": "2019-07-30",
  "dotnetcore2.0": "2019-05-30",
  "dotnetcore2.1": "2022-01-05",
  "dotnetcore3.1": "2023-04-03",
  "dotnet5.0": "2022-05-10",
  dotnet6: "2024-12-20",
  dotnet7: "2024-05-14",
  dotnet8: "2026-11-10",
};

/** A supported runtime's projected deprecation, from the same AWS table (same date of reading). */
export interface ScheduledDeprecation {
  readonly deprecation: string;
  readonly blockCreate: string;
  readonly blockUpdate: string;
}

/** Supported Node.js runtimes with a published deprecation date ("projected", subject to change). */
export const SCHEDULED_DEPRECATIONS: Readonly<Record<string, ScheduledDeprecation>> = {
  "nodejs22.x": { deprecation: "2027-04-30", blockCreate: "2027-06-01", blockUpdate: "2027-07-01" },
  "nodejs24.x": { deprecation: "2028-04-30", blockCreate: "2028-06-01", blockUpdate: "2028-07-01" },
};

/**
 * The newest runtime of each family, for the message (same AWS table and date of reading): a
 * python3.10 function is told to move to python3.14, not to Node.js. Families are runtime-id prefixes.
 */
export const NEWEST_RUNTIMES: readonly (readonly [prefix: string, runtime: string])[] = [
  ["nodejs", "nodejs24.x"],
  ["python", "python3.14"],
  ["java", "java25"],
  ["dotnet", "dotnet10"],
  ["ruby", "ruby3.4"],
  ["provided", "provided.al2023"],
  ["go", "provided.al2023"],
];

/** The runtime to move to from `runtime`: the newest of its family, or any supported one. */
export function successorOf(runtime: string): string {
  return NEWEST_RUNTIMES.find(([prefix]) => runtime.startsWith(prefix))?.[1] ?? "a supported runtime";
}

/** How far ahead a scheduled deprecation is reported, unless the policy config says otherwise. */
export const DEFAULT_SCHEDULED_WITHIN_DAYS = 365;

export type RuntimeVerdict =
  | { readonly kind: "deprecated"; readonly since: string }
  | { readonly kind: "scheduled"; readonly on: string; readonly days: number; readonly schedule: ScheduledDeprecation };

const DAY_MS = 86_400_000;

/**
 * What AWS's table says about `runtime` on `today` (UTC): deprecated (listed as such, or its
 * scheduled date has passed), scheduled within `withinDays`, or nothing to report.
 */
export function runtimeVerdict(runtime: string, today: Date, withinDays: number): RuntimeVerdict | undefined {
  const since = DEPRECATED_RUNTIMES[runtime];
  if (since) return { kind: "deprecated", since };
  const schedule = SCHEDULED_DEPRECATIONS[runtime];
  if (!schedule) return undefined;
  const day = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const days = Math.round((Date.parse(`${schedule.deprecation}T00:00:00Z`) - day) / DAY_MS);
  if (days <= 0) return { kind: "deprecated", since: schedule.deprecation };
  return days <= withinDays ? { kind: "scheduled", on: schedule.deprecation, days, schedule } : undefined;
}

const supportedRuntime = resourcePolicy({
  name: "lambda-supported-runtime",
  summary:
    "Lambda functions use a runtime AWS still supports, and not one whose deprecation is scheduled within scheduledWithinDays (default 365; AWS table read 2026-11-30; unlike CKV_AWS_363, whose list of deprecated runtimes is a snapshot, AWS's table decides: nodejs18.x, a passing runtime of its fixtures, fails since AWS deprecated it on 2025-09-01, and by default so does a runtime deprecated within the year, such as nodejs22.x)",
  // Advisory: a deprecated runtime is patch hygiene, and AWS itself blocks creation after the
  // block date; mandatory would fail stacks the day AWS deprecates a runtime they deploy. A
  // scheduled deprecation is reported with its dates as a warning to plan the move; a team that
  // makes this rule mandatory sets scheduledWithinDays to 0 so only deprecated runtimes fail.
  enforcementLevel: "advisory",
  references: { catalogue: [34], fsbp: ["Lambda.2"], checkov: ["CKV_AWS_363"] },
  resourceTypes: fn,
  configSchema: {
    properties: {
      scheduledWithinDays: {
        type: "integer",
        minimum: 0,
        maximum: 3653,
        default: DEFAULT_SCHEDULED_WITHIN_DAYS,
        description:
          "Also report a supported runtime whose AWS deprecation date is at most this many days away (0: only deprecated runtimes).",
      },
    },
  },
  check: (c) => {
    const rt = runtimeOf(c);
    if (!rt) return;
    const within = Number(c.config.scheduledWithinDays ?? DEFAULT_SCHEDULED_WITHIN_DAYS);
    const verdict = runtimeVerdict(rt, new Date(), within);
    if (verdict?.kind === "deprecated")
      c.report(
        `runtime ${rt} was deprecated on ${verdict.since}: move to a supported runtime (e.g. ${successorOf(rt)})`,
      );
    else if (verdict?.kind === "scheduled")
      c.report(
        `runtime ${rt} is scheduled for deprecation on ${verdict.on} (in ${verdict.days} days; AWS blocks creating functions on it from ${verdict.schedule.blockCreate} and updating them from ${verdict.schedule.blockUpdate}): plan the move to ${successorOf(rt)}`,
      );
  },
});

const inVpc = resourcePolicy({
  name: "lambda-in-vpc-multi-az",
  summary:
    "Lambda functions run in a VPC with subnets in at least two AZs (heuristic: at least two subnetIds; their AZs are not known before deploy; unlike CKV_AWS_117, which accepts any VPC, one subnet fails, as in Lambda.5)",
  enforcementLevel: "advisory",
  references: { catalogue: [35], fsbp: ["Lambda.5", "Lambda.3"], checkov: ["CKV_AWS_117"] },
  resourceTypes: fn,
  check: (c) => {
    const subnets = at(c.props, "vpcConfig.subnetIds");
    if (isUnknown(subnets)) c.unknown("vpcConfig.subnetIds");
    else if (asArray(subnets).length === 0) c.report("the function is not in a VPC (vpcConfig.subnetIds is empty)");
    else if (asArray(subnets).length < 2)
      c.report("the function has one subnet: give it subnets in at least two Availability Zones");
  },
});

const failureDestination = stackPolicy({
  name: "lambda-dead-letter-or-on-failure",
  summary:
    "Lambda functions keep failed asynchronous events (deadLetterConfig or an on-failure destination); functions fed by an event source mapping rely on the source's DLQ (unlike CKV_AWS_116, which reads deadLetterConfig only, an on-failure destination or an event source mapping satisfies it: both keep the failed events)",
  enforcementLevel: "advisory",
  references: { catalogue: [36], fsbp: [], checkov: ["CKV_AWS_116"] },
  resourceTypes: [...fn, ...lambda.eventInvokeConfig, ...lambda.eventSourceMapping],
  check: (s) => {
    const configs = s.ofType(lambda.eventInvokeConfig);
    const mappings = s.ofType(lambda.eventSourceMapping);
    for (const f of s.ofType(fn)) {
      const dlq = at(f.props, "deadLetterConfig.targetArn");
      if (isUnknown(dlq) || (typeof dlq === "string" && dlq)) continue;
      if (mappings.some((m) => refersTo(m, "functionName", f))) continue;
      const onFailure = configs
        .filter((cfg) => refersTo(cfg, "functionName", f))
        .map((cfg) => at(cfg.props, "destinationConfig.onFailure.destination"));
      if (onFailure.some((d) => isUnknown(d) || (typeof d === "string" && d))) continue;
      s.report(
        f,
        `function ${f.name} drops failed asynchronous invocations: set deadLetterConfig.targetArn or an aws.lambda.FunctionEventInvokeConfig on-failure destination`,
      );
    }
  },
});

const environmentCmk = resourcePolicy({
  name: "lambda-environment-cmk",
  summary:
    "Lambda functions with environment variables encrypt them with a customer-managed KMS key (kmsKeyArn; unlike CKV_AWS_173, a kmsKeyArn on a function without environment variables is not reported: there is nothing to encrypt)",
  // Advisory: Lambda always encrypts environment variables at rest (aws/lambda key); a CMK adds key
  // ownership and audit, it does not turn encryption on.
  enforcementLevel: "advisory",
  references: { catalogue: [37], fsbp: [], checkov: ["CKV_AWS_173"] },
  resourceTypes: fn,
  check: (c) => {
    const vars = at(c.props, "environment.variables");
    if (isUnknown(vars)) c.unknown("environment.variables");
    if (!vars || isUnknown(vars) || Object.keys(vars).length === 0) return;
    const key = c.props.kmsKeyArn;
    if (isUnknown(key)) c.unknown("kmsKeyArn");
    else if (typeof key !== "string" || key === "")
      c.report("environment variables are encrypted with the AWS-managed aws/lambda key: set kmsKeyArn");
  },
});

const noLiteralSecrets = resourcePolicy({
  name: "lambda-no-literal-secrets-in-environment",
  summary:
    "Lambda environment variables hold no literal secrets (passwords, tokens, API keys, AWS keys): pass a Secrets Manager ARN and read it at runtime",
  // Mandatory: a secret in the environment sits in clear text in the function configuration and the
  // stack state. Heuristic on names + values; exempt false positives with allowedVariables.
  enforcementLevel: "mandatory",
  references: { catalogue: [37], fsbp: [], checkov: ["CKV_AWS_45"] },
  resourceTypes: fn,
  configSchema: allowedVariablesSchema,
  check: (c) => {
    const vars = at(c.props, "environment.variables");
    if (isUnknown(vars)) {
      c.unknown("environment.variables");
      return;
    }
    if (!vars || typeof vars !== "object") return;
    const allowed = allowedVariables(c.config);
    for (const [name, value] of Object.entries(vars as Record<string, unknown>)) {
      if (allowed.has(name)) continue;
      if (isUnknown(value)) {
        if (secretLikeName(name)) c.unknown(`environment variable ${name}`);
        continue;
      }
      const why = secretLooking(name, value);
      if (why)
        c.report(
          `environment variable ${name} holds ${why}: store it in Secrets Manager and pass its ARN instead (value not shown)`,
        );
    }
  },
});

const tracing = resourcePolicy({
  name: "lambda-xray-tracing",
  summary:
    "Lambda functions have X-Ray active tracing (tracingConfig.mode Active; unlike CKV_AWS_50, PassThrough fails: it only forwards a caller's trace header and samples nothing itself)",
  enforcementLevel: "advisory",
  references: { catalogue: [38], fsbp: [], checkov: ["CKV_AWS_50"] },
  resourceTypes: fn,
  check: (c) => {
    const mode = at(c.props, "tracingConfig.mode");
    if (isUnknown(mode)) c.unknown("tracingConfig.mode");
    else if (mode !== "Active")
      c.report(`X-Ray tracing is ${mode === undefined ? "off" : show(mode)}: set tracingConfig.mode to "Active"`);
  },
});

const reservedConcurrency = resourcePolicy({
  name: "lambda-reserved-concurrency",
  summary:
    "Lambda functions set reserved concurrency (bounds their share of the account's concurrency; for SQS sources keep it >= the mapping's maximumConcurrency; unlike CKV_AWS_115, 0 fails: the function can never run)",
  enforcementLevel: "advisory",
  references: { catalogue: [39], fsbp: [], checkov: ["CKV_AWS_115"] },
  resourceTypes: fn,
  check: (c) => {
    const v = c.props.reservedConcurrentExecutions;
    if (isUnknown(v)) c.unknown("reservedConcurrentExecutions");
    else if (v === 0) c.report("reservedConcurrentExecutions is 0: the function can never run");
    else if (typeof v !== "number" || v < 0)
      c.report(
        "reservedConcurrentExecutions is not set: the function can use (and starve others of) the account's whole pool",
      );
  },
});

export const lambdaPolicies: HuntazePolicy[] = [
  noPublicInvoke,
  supportedRuntime,
  inVpc,
  failureDestination,
  environmentCmk,
  noLiteralSecrets,
  tracing,
  reservedConcurrency,
];
