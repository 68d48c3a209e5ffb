import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import { didYouMean } from "../../lib/did-you-mean";
import { analyzerproto, analyzerrpc } from "../../lib/pulumi-internals";
import { encodeAnalyzeRequest, encodeAnalyzeStackRequest, toStruct } from "./analyzer-wire";
import { type LaunchedPack, launchPack } from "./pack-process";
import type { RecordedResource } from "./recorder";
import type { PlainObject } from "./secrets";

// The engine's side of the Analyzer protocol, as the Pulumi CLI drives a policy pack: start the
// pack as a plugin process, read the port it prints, then GetAnalyzerInfo, ConfigureStack,
// Configure (enforcement levels + policy config), Analyze per resource and AnalyzeStack once.

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PolicyInfo {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly configSchema?: { properties: Record<string, JsonSchema>; required: string[] };
}

export interface JsonSchema {
  type?: string;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  items?: JsonSchema;
  default?: unknown;
  description?: string;
}

export interface Violation {
  readonly policy: string;
  readonly enforcement: EnforcementLevel;
  readonly urn: string;
  readonly message: string;
}

const levelNames: Record<number, EnforcementLevel> = {
  [analyzerproto.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerproto.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerproto.EnforcementLevel.DISABLED]: "disabled",
  [analyzerproto.EnforcementLevel.REMEDIATE]: "remediate",
};
const levelNumbers: Record<EnforcementLevel, number> = {
  advisory: analyzerproto.EnforcementLevel.ADVISORY,
  mandatory: analyzerproto.EnforcementLevel.MANDATORY,
  disabled: analyzerproto.EnforcementLevel.DISABLED,
  remediate: analyzerproto.EnforcementLevel.REMEDIATE,
};

function unary<Req, Res>(client: grpc.Client, method: string, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    (client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method]!(
      req,
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
}

/** A call whose request is already protobuf bytes (analyzer-wire.ts), on the service's own path and reply type. */
function unaryEncoded<Res>(
  client: grpc.Client,
  method: { path: string; responseDeserialize: (bytes: Buffer) => Res },
  bytes: Uint8Array,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      method.path,
      (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength),
      method.responseDeserialize,
      bytes,
      (err, res) => (err ? reject(err) : resolve(res as Res)),
    );
  });
}

/** Lets the event loop run (I/O, replies) between slices of a long synchronous job. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class PolicyConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid policy configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Pack-level config in the shape `pulumi preview --policy-pack-config` takes. */
export type PolicyPackConfig = Record<string, unknown>;

function checkSchemaValue(where: string, schema: JsonSchema, value: unknown, problems: string[]): void {
  const t = schema.type;
  const shown = JSON.stringify(value);
  if (t === "integer" && !Number.isInteger(value)) problems.push(`${where} must be an integer, got ${shown}`);
  else if (t === "number" && typeof value !== "number") problems.push(`${where} must be a number, got ${shown}`);
  else if (t === "string" && typeof value !== "string") problems.push(`${where} must be a string, got ${shown}`);
  else if (t === "boolean" && typeof value !== "boolean") problems.push(`${where} must be a boolean, got ${shown}`);
  else if (t === "array") {
    if (!Array.isArray(value)) problems.push(`${where} must be an array, got ${shown}`);
    else if (schema.items) {
      for (const [i, v] of value.entries()) checkSchemaValue(`${where}[${i}]`, schema.items, v, problems);
    }
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum)
      problems.push(`${where} must be ≥ ${schema.minimum}, got ${shown}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      problems.push(`${where} must be ≤ ${schema.maximum}, got ${shown}`);
  }
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(`${where} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${shown}`);
  }
}

/**
 * Resolves the user's pack config against the pack's own policies, as the CLI does before it calls
 * Configure: "all" sets every level, a policy's own entry wins, schema defaults fill the gaps, and
 * every problem (unknown policy, bad level, value out of schema) is reported at once.
 */
export function resolvePolicyConfig(
  policies: PolicyInfo[],
  config: PolicyPackConfig,
): Map<string, { level: EnforcementLevel; properties: PlainObject }> {
  const problems: string[] = [];
  const levels = new Set<string>(["advisory", "mandatory", "remediate", "disabled"]);
  const byName = new Map(policies.map((p) => [p.name, p]));
  const levelOf = (key: string, v: unknown): EnforcementLevel | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === "string" && levels.has(v)) return v as EnforcementLevel;
    problems.push(
      `${key}: enforcement level must be one of advisory, mandatory, remediate, disabled, got ${JSON.stringify(v)}`,
    );
    return undefined;
  };
  const allEntry = config.all;
  const allLevel = levelOf(
    "all",
    typeof allEntry === "object" && allEntry !== null ? (allEntry as PlainObject).enforcementLevel : allEntry,
  );
  for (const key of Object.keys(config)) {
    if (key !== "all" && !byName.has(key))
      problems.push(
        `${key}: no such policy in the pack${didYouMean(key, [...byName.keys(), "all"])} (see policy:check -- --list)`,
      );
  }
  const resolved = new Map<string, { level: EnforcementLevel; properties: PlainObject }>();
  for (const policy of policies) {
    const entry = config[policy.name];
    let level = allLevel ?? policy.enforcementLevel;
    const properties: PlainObject = {};
    for (const [prop, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      if (schema.default !== undefined) properties[prop] = schema.default as PlainObject[string];
    }
    if (typeof entry === "string") level = levelOf(policy.name, entry) ?? level;
    else if (entry !== null && typeof entry === "object") {
      const { enforcementLevel, ...props } = entry as PlainObject;
      level = levelOf(`${policy.name}.enforcementLevel`, enforcementLevel) ?? level;
      for (const [prop, value] of Object.entries(props)) {
        const schema = policy.configSchema?.properties[prop];
        if (!schema) {
          const allowed = Object.keys(policy.configSchema?.properties ?? {});
          problems.push(
            `${policy.name}.${prop}: not a setting of this policy${didYouMean(prop, allowed)} (settings: ${allowed.join(", ") || "none"})`,
          );
          continue;
        }
        checkSchemaValue(`${policy.name}.${prop}`, schema, value, problems);
        properties[prop] = value;
      }
    } else if (entry !== undefined) {
      problems.push(`${policy.name}: expected an enforcement level or an object, got ${JSON.stringify(entry)}`);
    }
    for (const required of policy.configSchema?.required ?? []) {
      if (!(required in properties)) problems.push(`${policy.name}.${required}: required setting is missing`);
    }
    resolved.set(policy.name, { level, properties });
  }
  if (problems.length > 0) throw new PolicyConfigError(problems);
  return resolved;
}

export interface AnalyzerSession {
  readonly packName: string;
  readonly packVersion: string;
  readonly policies: PolicyInfo[];
  configure(config: PolicyPackConfig): Promise<void>;
  analyze(resource: RecordedResource): Promise<Violation[]>;
  analyzeStack(resources: RecordedResource[]): Promise<Violation[]>;
  close(): Promise<void>;
}

/** `subject` is the analyzed resource: the CLI attributes a per-resource diagnostic without a URN to it. */
function violationsOf(res: analyzerproto.AnalyzeResponse, subject?: string): Violation[] {
  return res.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    enforcement: levelNames[d.getEnforcementlevel()] ?? "advisory",
    urn: d.getUrn() || subject || "",
    message: d.getMessage(),
  }));
}

/** Starts the policy pack in `packDir` the way the CLI does and connects to it. */
export async function startAnalyzer(
  options: {
    packDir?: string;
    /** A pack already started with `launchPack` (so its start overlaps the caller's own). */
    pack?: Promise<LaunchedPack>;
    stack?: string;
    project?: string;
    dryRun?: boolean;
  } = {},
): Promise<AnalyzerSession> {
  const { child, port } = await (options.pack ?? launchPack(options.packDir));
  const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
    "grpc.max_send_message_length": 400 * 1024 * 1024,
  }) as unknown as grpc.Client;

  const info = await unary<emptyproto.Empty, analyzerproto.AnalyzerInfo>(
    client,
    "getAnalyzerInfo",
    new emptyproto.Empty(),
  );
  const policies: PolicyInfo[] = info.getPoliciesList().map((p) => {
    const schema = p.getConfigschema();
    return {
      name: p.getName(),
      description: p.getDescription(),
      enforcementLevel: levelNames[p.getEnforcementlevel()] ?? "advisory",
      configSchema: schema
        ? {
            properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchema>,
            required: schema.getRequiredList(),
          }
        : undefined,
    };
  });

  const stackReq = new analyzerproto.AnalyzerStackConfigureRequest();
  stackReq.setStack(options.stack ?? "offline");
  stackReq.setProject(options.project ?? "offline");
  stackReq.setDryRun(options.dryRun ?? true);
  await unary(client, "configureStack", stackReq);

  const session: AnalyzerSession = {
    packName: info.getName(),
    packVersion: info.getVersion(),
    policies,
    async configure(config) {
      const resolved = resolvePolicyConfig(policies, config);
      const req = new analyzerproto.ConfigureAnalyzerRequest();
      const map = req.getPolicyconfigMap();
      for (const [name, { level, properties }] of resolved) {
        const pc = new analyzerproto.PolicyConfig();
        pc.setEnforcementlevel(levelNumbers[level] as analyzerproto.EnforcementLevel);
        pc.setProperties(toStruct(properties));
        map.set(name, pc);
      }
      await unary(client, "configure", req);
    },
    async analyze(r) {
      const reply = await unaryEncoded(client, analyzerrpc.AnalyzerService.analyze, encodeAnalyzeRequest(r));
      return violationsOf(reply as analyzerproto.AnalyzeResponse, r.urn);
    },
    async analyzeStack(resources) {
      // Encoded a slice at a time, letting Analyze replies in between (analyzeAll sends this while
      // the pack still answers them).
      const bytes = await encodeAnalyzeStackRequest(resources, nextTurn);
      return violationsOf(
        (await unaryEncoded(client, analyzerrpc.AnalyzerService.analyzeStack, bytes)) as analyzerproto.AnalyzeResponse,
      );
    },
    async close() {
      client.close();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
  await session.configure({});
  return session;
}

/** Analyze requests sent per turn of the event loop: each slice goes out (and the pack starts on it) while the next is encoded. */
const ANALYZE_SLICE = 200;

/**
 * Every check the CLI runs for one preview: Analyze on each resource the program registered (not
 * the root stack), then AnalyzeStack once over all of them; the violations in that order.
 * The calls are pipelined: Analyze requests go out a slice at a time, and the AnalyzeStack request
 * is encoded and sent while the pack still answers them, so the engine's encoding overlaps the
 * pack's checking (the pack keeps no state between calls: the answers are those of sending
 * AnalyzeStack last, as the CLI does).
 */
export async function analyzeAll(session: AnalyzerSession, resources: RecordedResource[]): Promise<Violation[]> {
  const subjects = resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
  const perResource: Promise<Violation[]>[] = [];
  for (let i = 0; i < subjects.length; i++) {
    if (i > 0 && i % ANALYZE_SLICE === 0) await nextTurn();
    const answer = session.analyze(subjects[i] as RecordedResource);
    // A failure is reported by Promise.all below, not as unhandled while later slices are sent.
    answer.catch(() => {});
    perResource.push(answer);
  }
  const stackWide = session.analyzeStack(subjects);
  stackWide.catch(() => {});
  const answered = await Promise.all(perResource);
  return [...answered.flat(), ...(await stackWide)];
}
