import { asArray, hasUnknown, isUnknown, type Resource, refersTo, UNKNOWN, type Unknown } from "./inspect";

// Ingress can be declared three ways on aws v7: inline `ingress` blocks on aws.ec2.SecurityGroup
// (and DefaultSecurityGroup), aws.ec2.SecurityGroupRule (type "ingress"), and
// aws.vpc.SecurityGroupIngressRule (one CIDR per rule). Rules see one normalised shape.

export interface IngressRule {
  /** The resource that declares the rule. */
  readonly origin: Resource;
  /** Human-readable position: `ingress[0] of sg` or the rule resource's name. */
  readonly where: string;
  readonly inline: boolean;
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  /** IPv4 and IPv6 CIDRs (or UNKNOWN entries). */
  readonly cidrs: unknown[];
  readonly description: unknown;
}

export const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];

export function inlineIngress(sg: Resource): IngressRule[] {
  const blocks = sg.props.ingress;
  if (isUnknown(blocks)) return [unknownRule(sg, `ingress of ${sg.name}`)];
  return asArray(blocks).map((b, i) => {
    const block = (isUnknown(b) ? {} : (b ?? {})) as Record<string, unknown>;
    return {
      origin: sg,
      where: `ingress[${i}] of ${sg.name}`,
      inline: true,
      protocol: isUnknown(b) ? UNKNOWN : block.protocol,
      fromPort: isUnknown(b) ? UNKNOWN : block.fromPort,
      toPort: isUnknown(b) ? UNKNOWN : block.toPort,
      cidrs: isUnknown(b) ? [UNKNOWN] : [...cidrList(block.cidrBlocks), ...cidrList(block.ipv6CidrBlocks)],
      description: isUnknown(b) ? UNKNOWN : block.description,
    };
  });
}

function unknownRule(origin: Resource, where: string): IngressRule {
  return {
    origin,
    where,
    inline: true,
    protocol: UNKNOWN,
    fromPort: UNKNOWN,
    toPort: UNKNOWN,
    cidrs: [UNKNOWN],
    description: UNKNOWN,
  };
}

function cidrList(value: unknown): unknown[] {
  return isUnknown(value) ? [UNKNOWN] : asArray(value);
}

/** The ingress rule a standalone rule resource declares, or undefined for egress rules. */
export function standaloneIngress(r: Resource): IngressRule | undefined {
  const p = r.props;
  if (r.type === "aws:ec2/securityGroupRule:SecurityGroupRule") {
    if (p.type === "egress") return undefined;
    return {
      origin: r,
      where: r.name,
      inline: false,
      protocol: p.protocol,
      fromPort: p.fromPort,
      toPort: p.toPort,
      cidrs: [...cidrList(p.cidrBlocks), ...cidrList(p.ipv6CidrBlocks)],
      description: p.description,
    };
  }
  if (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
    return {
      origin: r,
      where: r.name,
      inline: false,
      protocol: p.ipProtocol,
      fromPort: p.fromPort,
      toPort: p.toPort,
      cidrs: [...cidrList(p.cidrIpv4), ...cidrList(p.cidrIpv6)],
      description: p.description,
    };
  }
  return undefined;
}

/** Whether the rule admits the whole internet: `true`, `false`, or UNKNOWN when a CIDR is unknown. */
export function isOpen(rule: IngressRule): boolean | Unknown {
  if (rule.cidrs.some((c) => typeof c === "string" && OPEN_CIDRS.includes(c.trim()))) return true;
  return rule.cidrs.some(isUnknown) ? UNKNOWN : false;
}

const allProtocols = new Set(["-1", "all"]);
const portless = new Set(["icmp", "icmpv6", "1", "58"]);

/** The port range a rule opens: [from, to], `undefined` for port-less protocols (ICMP), UNKNOWN when unknown. */
export function portRange(rule: IngressRule): [number, number] | undefined | Unknown {
  if (hasUnknown(rule.protocol) || hasUnknown(rule.fromPort) || hasUnknown(rule.toPort)) return UNKNOWN;
  const p = rule.protocol;
  const protocol = typeof p === "string" || typeof p === "number" ? String(p).toLowerCase() : "-1";
  if (allProtocols.has(protocol)) return [0, 65535];
  if (portless.has(protocol)) return undefined;
  const from = portNumber(rule.fromPort) ?? 0;
  const to = portNumber(rule.toPort) ?? from;
  // fromPort -1 / toPort -1 means "all" for tcp/udp in the EC2 API.
  if (from < 0 || to < 0) return [0, 65535];
  return [Math.min(from, to), Math.max(from, to)];
}

function portNumber(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v);
  return undefined;
}

export function describeRange([from, to]: [number, number]): string {
  if (from === 0 && to === 65535) return "all ports";
  return from === to ? `port ${from}` : `ports ${from}-${to}`;
}

/** Every ingress rule that applies to `sg`: its inline blocks and the standalone rules attached to it. */
export function ingressOf(sg: Resource, standalone: Resource[]): IngressRule[] {
  const attached = standalone.filter((r) => refersTo(r, "securityGroupId", sg));
  return [...inlineIngress(sg), ...attached.map(standaloneIngress).filter((r): r is IngressRule => r !== undefined)];
}
