import { UsageError } from "./cli";
import { type ScreenDiagram, screenDiagram } from "./diagram-screen";
import type { RecordedResource } from "./recorder";
import type { PlainObject, PlainValue } from "./secrets";

// The architecture diagram, drawn from the preview's records: one cluster per component with its
// children inside, plumbing (policies, access blocks, versioning, aliases, attachments...) folded
// into badges on the resource it configures, data-flow edges from what we know of each AWS type,
// and plain dependency edges apart. The model is pure and sorted, and so is every emitter: the same
// stack gives the same bytes, so a diagram can be committed and diffed.

export type EdgeKind = "flow" | "dependency";

export interface DiagramNode {
  readonly id: string;
  /** The resource's logical name, or the endpoint for external nodes. */
  readonly name: string;
  /** Short type, e.g. "s3 Bucket"; "external" for nodes outside the stack. */
  readonly kind: string;
  readonly badges: string[];
  /** URN of the owning component; undefined at the stack's top level. */
  readonly cluster?: string;
  readonly external: boolean;
}

export interface DiagramCluster {
  readonly urn: string;
  readonly label: string;
  /** URN of the enclosing component, when components nest. */
  readonly parent?: string;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
}

export interface DiagramModel {
  readonly title: string;
  readonly clusters: DiagramCluster[];
  readonly nodes: DiagramNode[];
  readonly edges: DiagramEdge[];
}

/** A bad --diagram or --focus value: reported with the usage text. */
export class DiagramError extends UsageError {}

/**
 * "aws:s3/bucket:Bucket" → "s3 Bucket"; a component (registered custom: false, whatever its
 * package) by its type's name alone: "acme:cache:EncryptedRedis" → "EncryptedRedis".
 */
export function shortType(type: string, component = false): string {
  const [pkg, mod = "", name = type] = type.split(":");
  if (component) return name;
  if (pkg === "aws") return `${mod.split("/")[0]} ${name}`;
  return `${pkg} ${name}`;
}

/**
 * Plumbing: resources that only configure another one. Each folds into a badge on its owner, found
 * through the input that names the owner (`ownerInput`'s property dependencies), else through any
 * dependency of one of `ownerTypes`.
 */
interface PlumbingRule {
  readonly badge: string;
  readonly ownerInput: string;
  readonly ownerTypes: readonly string[];
}

const bucket = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const PLUMBING: Readonly<Record<string, PlumbingRule>> = {
  "aws:s3/bucketPolicy:BucketPolicy": { badge: "policy", ownerInput: "bucket", ownerTypes: bucket },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
    badge: "public access block",
    ownerInput: "bucket",
    ownerTypes: bucket,
  },
  "aws:s3/bucketVersioning:BucketVersioning": { badge: "versioning", ownerInput: "bucket", ownerTypes: bucket },
  "aws:s3/bucketVersioningV2:BucketVersioningV2": { badge: "versioning", ownerInput: "bucket", ownerTypes: bucket },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    badge: "SSE",
    ownerInput: "bucket",
    ownerTypes: bucket,
  },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
    badge: "ownership",
    ownerInput: "bucket",
    ownerTypes: bucket,
  },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
    badge: "lifecycle",
    ownerInput: "bucket",
    ownerTypes: bucket,
  },
  "aws:s3/bucketLogging:BucketLogging": { badge: "access logging", ownerInput: "bucket", ownerTypes: bucket },
  "aws:sns/topicPolicy:TopicPolicy": { badge: "policy", ownerInput: "arn", ownerTypes: ["aws:sns/topic:Topic"] },
  "aws:sqs/queuePolicy:QueuePolicy": { badge: "policy", ownerInput: "queueUrl", ownerTypes: ["aws:sqs/queue:Queue"] },
  "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": {
    badge: "redrive allow",
    ownerInput: "queueUrl",
    ownerTypes: ["aws:sqs/queue:Queue"],
  },
  "aws:kms/alias:Alias": { badge: "alias", ownerInput: "targetKeyId", ownerTypes: ["aws:kms/key:Key"] },
  "aws:iam/rolePolicy:RolePolicy": { badge: "inline policy", ownerInput: "role", ownerTypes: ["aws:iam/role:Role"] },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    badge: "policy attachment",
    ownerInput: "role",
    ownerTypes: ["aws:iam/role:Role"],
  },
  "aws:secretsmanager/secretVersion:SecretVersion": {
    badge: "value",
    ownerInput: "secretId",
    ownerTypes: ["aws:secretsmanager/secret:Secret"],
  },
  "aws:secretsmanager/secretRotation:SecretRotation": {
    badge: "rotation",
    ownerInput: "secretId",
    ownerTypes: ["aws:secretsmanager/secret:Secret"],
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
    badge: "ingress",
    ownerInput: "securityGroupId",
    ownerTypes: ["aws:ec2/securityGroup:SecurityGroup"],
  },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
    badge: "egress",
    ownerInput: "securityGroupId",
    ownerTypes: ["aws:ec2/securityGroup:SecurityGroup"],
  },
  "aws:ec2/securityGroupRule:SecurityGroupRule": {
    badge: "rule",
    ownerInput: "securityGroupId",
    ownerTypes: ["aws:ec2/securityGroup:SecurityGroup"],
  },
  "aws:lambda/eventSourceMapping:EventSourceMapping": {
    badge: "event source mapping",
    ownerInput: "functionName",
    ownerTypes: ["aws:lambda/function:Function"],
  },
  "aws:lambda/permission:Permission": {
    badge: "invoke permission",
    ownerInput: "function",
    ownerTypes: ["aws:lambda/function:Function"],
  },
  "aws:cloudwatch/eventTarget:EventTarget": {
    badge: "target",
    ownerInput: "rule",
    ownerTypes: ["aws:cloudwatch/eventRule:EventRule"],
  },
  "aws:securityhub/standardsSubscription:StandardsSubscription": {
    badge: "standard",
    ownerInput: "standardsArn",
    ownerTypes: ["aws:securityhub/account:Account"],
  },
  "aws:dynamodb/contributorInsights:ContributorInsights": {
    badge: "contributor insights",
    ownerInput: "tableName",
    ownerTypes: ["aws:dynamodb/table:Table"],
  },
  "aws:appautoscaling/policy:Policy": {
    badge: "scaling policy",
    ownerInput: "resourceId",
    ownerTypes: ["aws:appautoscaling/target:Target"],
  },
};

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const FUNCTION = "aws:lambda/function:Function";
const QUEUE = "aws:sqs/queue:Queue";
const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const EVENT_RULE = "aws:cloudwatch/eventRule:EventRule";
const EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const TRAIL = "aws:cloudtrail/trail:Trail";
const BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging";
const ESM = "aws:lambda/eventSourceMapping:EventSourceMapping";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const BUDGET = "aws:budgets/budget:Budget";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const FINDING_SOURCES: Readonly<Record<string, string>> = {
  "aws.guardduty": "aws:guardduty/detector:Detector",
  "aws.securityhub": "aws:securityhub/account:Account",
};

function str(v: PlainValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function obj(v: PlainValue | undefined): PlainObject | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as PlainObject) : undefined;
}

function stableId(urn: string): string {
  const parts = urn.split("::");
  return `${(parts[2] ?? "").split("$").pop()}::${parts[3] ?? urn}`;
}

export interface DiagramOptions {
  readonly title: string;
  /** Keep only this component (by name or type:name) and the nodes it exchanges data with. */
  readonly focus?: string;
}

/** Builds the diagram model from the preview's records. */
export function buildDiagram(resources: readonly RecordedResource[], options: DiagramOptions): DiagramModel {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const isComponent = (r: RecordedResource) => !r.custom && r.type !== "pulumi:pulumi:Stack";
  const componentOf = (r: RecordedResource): string | undefined => {
    let p = r.parent;
    while (p) {
      const parent = byUrn.get(p);
      if (!parent) return undefined;
      if (isComponent(parent)) return parent.urn;
      p = parent.parent;
    }
    return undefined;
  };

  const clusters: DiagramCluster[] = resources
    .filter(isComponent)
    .map((c) => ({ urn: c.urn, label: `${shortType(c.type, true)}: ${c.name}`, parent: componentOf(c) }));

  // Fold plumbing into its owner.
  const ownerOf = new Map<string, string>();
  for (const r of resources) {
    const rule = PLUMBING[r.type];
    if (!rule) continue;
    const candidates = [...(r.propertyDependencies[rule.ownerInput] ?? []), ...r.dependencies];
    const owner = candidates.find((u) => rule.ownerTypes.includes(byUrn.get(u)?.type ?? ""));
    if (owner) ownerOf.set(r.urn, owner);
  }
  const nodeUrnOf = (urn: string): string => ownerOf.get(urn) ?? urn;

  const badges = new Map<string, Map<string, number>>();
  for (const [plumbing, owner] of ownerOf) {
    const badge = PLUMBING[byUrn.get(plumbing)?.type ?? ""]?.badge ?? "";
    const counts = badges.get(owner) ?? new Map<string, number>();
    counts.set(badge, (counts.get(badge) ?? 0) + 1);
    badges.set(owner, counts);
  }

  // Alarms of one component that notify the same topics become one node: twelve Redis alarms are
  // one fact for a reader ("these are watched and page ops"), not twelve boxes.
  const alarmGroupOf = new Map<string, string>();
  const alarmGroups = new Map<string, RecordedResource[]>();
  for (const r of resources.filter((x) => x.type === ALARM)) {
    const targets = [...new Set(r.propertyDependencies.alarmActions ?? [])].sort().join(",");
    const key = `${componentOf(r) ?? ""}|${targets}`;
    alarmGroups.set(key, [...(alarmGroups.get(key) ?? []), r]);
  }
  for (const members of alarmGroups.values()) {
    const lead = [...members].sort((a, b) => a.urn.localeCompare(b.urn))[0]!;
    for (const m of members) alarmGroupOf.set(m.urn, lead.urn);
  }
  const target = (urn: string): string => alarmGroupOf.get(urn) ?? nodeUrnOf(urn);

  const nodes = new Map<string, DiagramNode>();
  for (const r of resources) {
    if (!r.custom || ownerOf.has(r.urn)) continue;
    if (alarmGroupOf.has(r.urn) && alarmGroupOf.get(r.urn) !== r.urn) continue;
    const group = [...alarmGroups.values()].find((g) => g.some((m) => m.urn === r.urn));
    const alarmCount = r.type === ALARM ? (group?.length ?? 1) : 0;
    const counts = badges.get(r.urn);
    // A subscriber is shown as who receives the messages (an address is not a secret; a masked one stays masked).
    const endpoint = r.type === SUBSCRIPTION ? str(r.inputs.endpoint) : undefined;
    nodes.set(r.urn, {
      id: stableId(r.urn),
      name:
        alarmCount > 1
          ? `${alarmCount} alarms`
          : endpoint
            ? `${str(r.inputs.protocol) ?? "subscriber"}: ${endpoint}`
            : r.name,
      kind: shortType(r.type, !r.custom),
      badges: counts
        ? [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([b, n]) => (n > 1 ? `${b} ×${n}` : b))
        : [],
      cluster: componentOf(r),
      external: false,
    });
  }

  const edges = new Map<string, DiagramEdge>();
  const external = (key: string, name: string) => {
    const urn = `external::${key}`;
    if (!nodes.has(urn)) nodes.set(urn, { id: urn, name, kind: "external", badges: [], external: true });
    return urn;
  };
  const addEdge = (fromUrn: string, toUrn: string, kind: EdgeKind, label?: string) => {
    const from = target(fromUrn);
    const to = target(toUrn);
    if (from === to || !nodes.has(from) || !nodes.has(to)) return;
    const key = `${from}→${to}`;
    const existing = edges.get(key);
    // A dependency between two nodes that already exchange data says nothing more.
    if (kind === "dependency" && (existing?.kind === "flow" || edges.get(`${to}→${from}`)?.kind === "flow")) return;
    if (existing?.kind === "flow" && kind === "flow" && existing.label && label && existing.label !== label) {
      edges.set(key, { from, to, kind, label: [...new Set([...existing.label.split(", "), label])].sort().join(", ") });
      return;
    }
    edges.set(key, { from, to, kind, label: label ?? existing?.label });
  };
  const depsOfType = (r: RecordedResource, type: string, input?: string) =>
    (input ? (r.propertyDependencies[input] ?? []) : r.dependencies).filter((u) => byUrn.get(u)?.type === type);

  // Data flow, from type knowledge.
  for (const r of resources) {
    switch (r.type) {
      case ESM: {
        for (const source of r.propertyDependencies.eventSourceArn ?? [])
          for (const fn of depsOfType(r, FUNCTION, "functionName"))
            addEdge(
              source,
              fn,
              "flow",
              `event source mapping${r.inputs.batchSize ? `, batch ${r.inputs.batchSize}` : ""}`,
            );
        break;
      }
      case FUNCTION: {
        for (const rg of depsOfType(r, REPLICATION_GROUP)) {
          const inputs = byUrn.get(rg)?.inputs ?? {};
          const port = inputs.port ?? 6379;
          addEdge(r.urn, rg, "flow", inputs.transitEncryptionEnabled === true ? `TLS :${port}` : `:${port}`);
        }
        for (const value of Object.values(obj(obj(r.inputs.environment)?.variables) ?? {})) {
          const url = str(value);
          if (!url || !/^https:\/\//.test(url)) continue;
          const host = new URL(url).host;
          if (host.endsWith(".amazonaws.com")) continue;
          addEdge(r.urn, external(host, host), "flow", "HTTPS");
        }
        break;
      }
      case QUEUE: {
        const redrive = str(r.inputs.redrivePolicy);
        for (const dlq of depsOfType(r, QUEUE, "redrivePolicy"))
          addEdge(r.urn, dlq, "flow", redrive?.includes("maxReceiveCount") ? "redrive" : undefined);
        break;
      }
      case ALARM: {
        for (const topic of depsOfType(r, TOPIC, "alarmActions")) addEdge(r.urn, topic, "flow", "alarm");
        break;
      }
      case SUBSCRIPTION: {
        for (const topic of depsOfType(r, TOPIC, "topic")) addEdge(topic, r.urn, "flow", str(r.inputs.protocol));
        break;
      }
      case BUDGET: {
        for (const topic of depsOfType(r, TOPIC, "notifications")) addEdge(r.urn, topic, "flow", "notification");
        break;
      }
      case EVENT_RULE: {
        const pattern = str(r.inputs.eventPattern) ?? "";
        for (const [source, type] of Object.entries(FINDING_SOURCES)) {
          if (!pattern.includes(source)) continue;
          for (const producer of resources.filter((x) => x.type === type))
            addEdge(producer.urn, r.urn, "flow", "findings");
        }
        break;
      }
      case EVENT_TARGET: {
        for (const rule of depsOfType(r, EVENT_RULE, "rule"))
          for (const dest of r.propertyDependencies.arn ?? []) addEdge(rule, dest, "flow", "event");
        break;
      }
      case TRAIL: {
        for (const b of r.propertyDependencies.s3BucketName ?? []) addEdge(r.urn, b, "flow", "log files");
        for (const g of depsOfType(r, LOG_GROUP, "cloudWatchLogsGroupArn")) addEdge(r.urn, g, "flow", "events");
        break;
      }
      case BUCKET_LOGGING: {
        for (const source of r.propertyDependencies.bucket ?? [])
          for (const dest of r.propertyDependencies.targetBucket ?? []) addEdge(source, dest, "flow", "access logs");
        break;
      }
      case INGRESS: {
        const port =
          r.inputs.fromPort === r.inputs.toPort ? `:${r.inputs.fromPort}` : `:${r.inputs.fromPort}-${r.inputs.toPort}`;
        const dest = (r.propertyDependencies.securityGroupId ?? [])[0];
        if (!dest) break;
        const fromSg = (r.propertyDependencies.referencedSecurityGroupId ?? [])[0];
        const fromId = str(r.inputs.referencedSecurityGroupId);
        const fromCidr = str(r.inputs.cidrIpv4);
        // The group the rule opens is drawn as the service it guards when that is known (Redis).
        const guarded = resources.find(
          (x) => x.type === REPLICATION_GROUP && (x.propertyDependencies.securityGroupIds ?? []).includes(dest),
        );
        const to = guarded?.urn ?? dest;
        if (fromSg) addEdge(fromSg, to, "flow", `${r.inputs.ipProtocol ?? "tcp"} ${port}`);
        else if (fromId)
          addEdge(external(fromId, `${fromId} (app)`), to, "flow", `${r.inputs.ipProtocol ?? "tcp"} ${port}`);
        else if (fromCidr) addEdge(external(fromCidr, fromCidr), to, "flow", `${r.inputs.ipProtocol ?? "tcp"} ${port}`);
        break;
      }
    }
  }
  // Plain dependencies, drawn apart; a plumbing resource's dependencies count as its owner's.
  for (const r of resources) {
    if (!r.custom) continue;
    for (const dep of r.dependencies) {
      const d = byUrn.get(dep);
      if (!d?.custom) continue;
      addEdge(r.urn, dep, "dependency");
    }
  }

  const model: DiagramModel = {
    title: options.title,
    clusters: clusters.sort((a, b) => a.urn.localeCompare(b.urn)),
    nodes: [...nodes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, n]) => n),
    edges: [...edges.values()]
      .map((e) => ({ ...e, from: nodes.get(e.from)!.id, to: nodes.get(e.to)!.id }))
      .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
  };
  return options.focus ? focusOn(model, options.focus) : model;
}

/** The component named `focus`, its nested components, and the nodes it has a data-flow edge with. */
export function focusOn(model: DiagramModel, focus: string): DiagramModel {
  const matches = model.clusters.filter((c) => {
    const [, , type = "", name = ""] = c.urn.split("::");
    const shortName = (type.split("$").pop() ?? "").split(":").pop();
    return name === focus || `${shortName}:${name}` === focus || c.urn === focus;
  });
  if (matches.length === 0) {
    const names = model.clusters.map((c) => c.urn.split("::")[3]).sort();
    throw new DiagramError(`--focus: no component named ${JSON.stringify(focus)} (components: ${names.join(", ")})`);
  }
  const keep = new Set(matches.map((c) => c.urn));
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of model.clusters)
      if (c.parent && keep.has(c.parent) && !keep.has(c.urn)) {
        keep.add(c.urn);
        grew = true;
      }
  }
  const inside = new Set(model.nodes.filter((n) => n.cluster && keep.has(n.cluster)).map((n) => n.id));
  const shown = new Set(inside);
  for (const e of model.edges) {
    if (e.kind !== "flow") continue;
    if (inside.has(e.from)) shown.add(e.to);
    if (inside.has(e.to)) shown.add(e.from);
  }
  const nodes = model.nodes.filter((n) => shown.has(n.id));
  const clusterUrns = new Set(nodes.map((n) => n.cluster).filter((c): c is string => c !== undefined));
  // Keep the ancestors of every shown cluster so the nesting stays valid.
  for (const c of [...clusterUrns]) {
    let p = model.clusters.find((x) => x.urn === c)?.parent;
    while (p) {
      clusterUrns.add(p);
      p = model.clusters.find((x) => x.urn === p)?.parent;
    }
  }
  return {
    title: `${model.title} — focus: ${focus}`,
    clusters: model.clusters.filter((c) => clusterUrns.has(c.urn)),
    nodes,
    edges: model.edges.filter((e) => shown.has(e.from) && shown.has(e.to) && (inside.has(e.from) || inside.has(e.to))),
  };
}

// ---------------------------------------------------------------------------------------------
// Emitters

function dotString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

function nodeLabel(n: DiagramNode): string[] {
  const lines = [n.name];
  if (!n.external) lines.push(n.kind);
  if (n.badges.length > 0) lines.push(`[${n.badges.join(" · ")}]`);
  return lines;
}

const STYLE = {
  flowColor: "#1f6feb",
  dependencyColor: "#8b949e",
  clusterFill: "#f6f8fa",
  externalFill: "#fff8c5",
};

/** Graphviz DOT: clusters for components, bold blue data flow, dashed grey dependencies. */
export function toDot(model: DiagramModel): string {
  const out: string[] = [
    `digraph ${dotString(model.title)} {`,
    `  graph [label=${dotString(model.title)}, labelloc=t, fontname="Helvetica", fontsize=14, rankdir=LR, compound=true, newrank=true, nodesep=0.3, ranksep=0.6];`,
    `  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];`,
    `  edge [fontname="Helvetica", fontsize=9];`,
  ];
  const childrenOf = new Map<string | undefined, DiagramCluster[]>();
  for (const c of model.clusters) childrenOf.set(c.parent, [...(childrenOf.get(c.parent) ?? []), c]);
  const nodesIn = new Map<string | undefined, DiagramNode[]>();
  for (const n of model.nodes) nodesIn.set(n.cluster, [...(nodesIn.get(n.cluster) ?? []), n]);
  const emitNode = (n: DiagramNode, indent: string) => {
    const attrs = [`label=${dotString(nodeLabel(n).join("\n"))}`];
    if (n.external) attrs.push(`shape=ellipse`, `fillcolor="${STYLE.externalFill}"`);
    out.push(`${indent}${dotString(n.id)} [${attrs.join(", ")}];`);
  };
  const emitCluster = (c: DiagramCluster, depth: number) => {
    const indent = "  ".repeat(depth);
    out.push(`${indent}subgraph ${dotString(`cluster_${c.urn.split("::").slice(2).join("::")}`)} {`);
    out.push(
      `${indent}  graph [label=${dotString(c.label)}, style="rounded,filled", fillcolor="${STYLE.clusterFill}", color="#d0d7de"];`,
    );
    for (const child of childrenOf.get(c.urn) ?? []) emitCluster(child, depth + 1);
    for (const n of nodesIn.get(c.urn) ?? []) emitNode(n, `${indent}  `);
    out.push(`${indent}}`);
  };
  for (const c of childrenOf.get(undefined) ?? []) emitCluster(c, 1);
  for (const n of nodesIn.get(undefined) ?? []) emitNode(n, "  ");
  for (const e of model.edges) {
    const attrs =
      e.kind === "flow"
        ? [`color="${STYLE.flowColor}"`, `penwidth=1.8`]
        : [`color="${STYLE.dependencyColor}"`, `style=dashed`, `arrowhead=open`, `constraint=false`];
    if (e.label) attrs.unshift(`label=${dotString(e.label)}`);
    out.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [${attrs.join(", ")}];`);
  }
  out.push("}", "");
  return out.join("\n");
}

function mermaidText(s: string): string {
  return s.replace(/"/g, "#quot;").replace(/[<>]/g, (c) => (c === "<" ? "#lt;" : "#gt;"));
}

/** Mermaid flowchart (renders in GitHub Markdown): `==>` data flow, `-.->` dependencies. */
export function toMermaid(model: DiagramModel): string {
  const ids = new Map<string, string>();
  const idOf = (key: string) => {
    let id = ids.get(key);
    if (!id) {
      id = `n${ids.size + 1}`;
      ids.set(key, id);
    }
    return id;
  };
  const out = [`---`, `title: ${mermaidText(model.title)}`, `---`, "flowchart LR"];
  const childrenOf = new Map<string | undefined, DiagramCluster[]>();
  for (const c of model.clusters) childrenOf.set(c.parent, [...(childrenOf.get(c.parent) ?? []), c]);
  const nodesIn = new Map<string | undefined, DiagramNode[]>();
  for (const n of model.nodes) nodesIn.set(n.cluster, [...(nodesIn.get(n.cluster) ?? []), n]);
  const emitNode = (n: DiagramNode, indent: string) => {
    const label = nodeLabel(n).map(mermaidText).join("<br/>");
    out.push(n.external ? `${indent}${idOf(n.id)}(["${label}"])` : `${indent}${idOf(n.id)}["${label}"]`);
  };
  const emitCluster = (c: DiagramCluster, depth: number) => {
    const indent = "  ".repeat(depth);
    out.push(`${indent}subgraph ${idOf(`cluster:${c.urn}`)}["${mermaidText(c.label)}"]`);
    for (const child of childrenOf.get(c.urn) ?? []) emitCluster(child, depth + 1);
    for (const n of nodesIn.get(c.urn) ?? []) emitNode(n, `${indent}  `);
    out.push(`${indent}end`);
  };
  for (const c of childrenOf.get(undefined) ?? []) emitCluster(c, 1);
  for (const n of nodesIn.get(undefined) ?? []) emitNode(n, "  ");
  for (const e of model.edges) {
    const arrow = e.kind === "flow" ? "==>" : "-.->";
    const label = e.label ? `|${mermaidText(e.label)}|` : "";
    out.push(`  ${idOf(e.from)} ${arrow}${label} ${idOf(e.to)}`);
  }
  out.push("");
  return out.join("\n");
}

type Viz = Awaited<ReturnType<typeof import("@viz-js/viz").instance>>;
let graphviz: Promise<Viz> | undefined;

/**
 * Starts compiling Graphviz (wasm, ~2 MB) and returns it. The preview calls this before running the
 * program so the compile and V8's tier-up overlap the preview instead of following it.
 */
export function loadGraphviz(): Promise<Viz> {
  if (!graphviz) {
    const { instance } = require("@viz-js/viz") as typeof import("@viz-js/viz");
    graphviz = instance();
    graphviz.catch(() => {}); // the caller of toSvg sees the error
  }
  return graphviz;
}

/** The SVG for a screen (diagram-screen.ts), laid out by Graphviz (the maintained wasm build, @viz-js/viz): no system package needed. */
export async function toScreenDiagram(model: DiagramModel): Promise<ScreenDiagram> {
  const viz = await loadGraphviz();
  return screenDiagram(model, (dot, format) => {
    const result = viz.render(dot, { format, engine: "dot" });
    if (result.status !== "success")
      throw new DiagramError(
        `Graphviz could not lay out the diagram: ${result.errors.map((e) => e.message).join("; ")}`,
      );
    return result.output;
  });
}

export async function toSvg(model: DiagramModel): Promise<string> {
  return (await toScreenDiagram(model)).svg;
}

export type DiagramFormat = "svg" | "dot" | "mmd";

/** The format a --diagram FILE asks for, from its extension. */
export function diagramFormatOf(file: string): DiagramFormat {
  const ext = file.toLowerCase().split(".").pop();
  if (ext === "svg" || ext === "dot" || ext === "mmd") return ext;
  throw new DiagramError(`--diagram: the file must end in .svg, .dot or .mmd, got ${JSON.stringify(file)}`);
}

export async function renderDiagram(model: DiagramModel, format: DiagramFormat): Promise<string> {
  if (format === "dot") return toDot(model);
  if (format === "mmd") return toMermaid(model);
  return toSvg(model);
}
