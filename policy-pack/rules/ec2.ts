import { ec2 } from "../lib/aws-types";
import {
  asArray,
  type Check,
  isUnknown,
  type Resource,
  refersTo,
  resourcePolicy,
  show,
  stackPolicy,
} from "../lib/inspect";
import {
  describeRange,
  type IngressRule,
  inlineIngress,
  isOpen,
  portRange,
  standaloneIngress,
} from "../lib/security-groups";
import type { HuntazePolicy } from "../rule";

// Security groups: ingress declared inline, by aws.ec2.SecurityGroupRule or by
// aws.vpc.SecurityGroupIngressRule is checked wherever it is declared.

const ingressTypes = [...ec2.securityGroup, ...ec2.defaultSecurityGroup, ...ec2.securityGroupRule, ...ec2.ingressRule];

function rulesOf(c: Check): IngressRule[] {
  if (
    ec2.securityGroup.includes(c.resource.type as never) ||
    ec2.defaultSecurityGroup.includes(c.resource.type as never)
  )
    return inlineIngress(c.resource);
  const rule = standaloneIngress(c.resource);
  return rule ? [rule] : [];
}

/** Calls `onOpen` with the port range of every rule open to the internet; records unknowns. */
function forEachOpenRule(c: Check, onOpen: (rule: IngressRule, range: [number, number]) => void): void {
  for (const rule of rulesOf(c)) {
    const open = isOpen(rule);
    if (open === false) continue;
    const range = portRange(rule);
    if (range === undefined) continue; // ICMP
    if (isUnknown(open) || isUnknown(range)) {
      c.unknown(`the source or ports of ${rule.where}`);
      continue;
    }
    onOpen(rule, range);
  }
}

const openIngress = resourcePolicy({
  name: "ec2-no-open-ingress-except-allowed-ports",
  summary:
    "No security group admits 0.0.0.0/0 or ::/0 except on the allowed public ports (allowedPublicPorts, default 80 and 443; unlike CKV_AWS_260, which looks at port 80 only, every other port open to the internet fails, and an ingress rule with no source at all admits nobody)",
  enforcementLevel: "mandatory",
  references: { catalogue: [75], fsbp: ["EC2.18"], checkov: ["CKV_AWS_277", "CKV_AWS_260"] },
  resourceTypes: ingressTypes,
  configSchema: {
    properties: {
      allowedPublicPorts: {
        type: "array",
        items: { type: "integer", minimum: 0, maximum: 65535 },
        default: [80, 443],
        description: "Ports that may be open to the internet (EC2.18's authorizedTcpPorts).",
      },
    },
  },
  check: (c) => {
    const allowed = new Set(asArray(c.config.allowedPublicPorts ?? [80, 443]).map(Number));
    forEachOpenRule(c, (rule, [from, to]) => {
      const onlyAllowed =
        to - from < 1024 && Array.from({ length: to - from + 1 }, (_, i) => from + i).every((p) => allowed.has(p));
      if (!onlyAllowed)
        c.report(
          `${rule.where} admits the internet (0.0.0.0/0 or ::/0) on ${describeRange([from, to])}; only ${[...allowed].join(", ") || "no ports"} may be public (allowedPublicPorts)`,
        );
    });
  },
});

// EC2.19's list of high-risk ports, plus Redis (6379, 6380 for TLS on some setups) and Memcached
// (11211): an ElastiCache endpoint reachable from the internet is the incident this pack exists for.
export const HIGH_RISK_PORTS: readonly number[] = [
  20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 6379, 6380, 8080,
  8088, 8888, 9200, 9300, 11211, 27017,
];

const highRiskPorts = resourcePolicy({
  name: "ec2-no-open-high-risk-ports",
  summary:
    "No security group admits 0.0.0.0/0 or ::/0 to a high-risk port (EC2.19 list plus Redis 6379/6380 and Memcached 11211), whatever allowedPublicPorts says (unlike CKV_AWS_24, a tcp rule from port 0 to port 0 is port 0 alone, as the EC2 API reads it, not every port; and unlike CKV_AWS_24 and CKV_AWS_25, which fail an aws_vpc_security_group_ingress_rule whose only source is referencedSecurityGroupId or prefixListId, a rule with no CIDR is not open to the internet)",
  enforcementLevel: "mandatory",
  references: { catalogue: [76], fsbp: ["EC2.19"], checkov: ["CKV_AWS_24", "CKV_AWS_25"] },
  resourceTypes: ingressTypes,
  check: (c) =>
    forEachOpenRule(c, (rule, [from, to]) => {
      const hit = HIGH_RISK_PORTS.filter((p) => p >= from && p <= to);
      if (hit.length)
        c.report(
          `${rule.where} opens high-risk port(s) ${hit.slice(0, 8).join(", ")}${hit.length > 8 ? ", ..." : ""} to the internet (0.0.0.0/0 or ::/0)`,
        );
    }),
});

const standaloneRules = [...ec2.securityGroupRule, ...ec2.ingressRule, ...ec2.egressRule];

/**
 * Whether standalone rule `r` adds to a VPC's default group through the VPC's own output
 * (`securityGroupId: vpc.defaultSecurityGroupId`): its securityGroupId comes from the VPC and from no
 * other security group, or equals the VPC's known defaultSecurityGroupId.
 */
function onDefaultGroupOf(r: Resource, vpc: Resource, groups: readonly Resource[]): boolean {
  const deps = r.dependsOn.securityGroupId ?? [];
  if (deps.includes(vpc.urn) && !groups.some((g) => deps.includes(g.urn))) return true;
  const id = vpc.props.defaultSecurityGroupId;
  return typeof id === "string" && id !== "" && r.props.securityGroupId === id;
}

const defaultSecurityGroup = stackPolicy({
  name: "ec2-default-security-group-restricts-all",
  summary:
    "Every VPC of the stack has its default security group managed (aws.ec2.DefaultSecurityGroup) with no ingress and no egress rules, inline or as standalone rule resources on it (unlike CKV2_AWS_12, which judges aws_vpc only, an adopted aws.ec2.DefaultVpc is judged too, and a managed default group whose VPC is outside the stack is judged on its own rules; the account's unmanaged default groups are a runtime check)",
  // Advisory: the default group admits only its own members, not the internet; the fix is to stop
  // using it, which can need a migration.
  enforcementLevel: "advisory",
  references: { catalogue: [77], fsbp: ["EC2.2"], checkov: ["CKV2_AWS_12"] },
  resourceTypes: [...ec2.vpc, ...ec2.defaultSecurityGroup, ...standaloneRules],
  check: (s) => {
    const defaults = s.ofType(ec2.defaultSecurityGroup);
    const rules = s.ofType(standaloneRules);
    const groups = s.ofType([...ec2.securityGroup, ...ec2.defaultSecurityGroup]);
    for (const dsg of defaults) {
      for (const key of ["ingress", "egress"]) {
        const v = dsg.props[key];
        // During preview a new group's ingress/egress outputs may be unknown.
        if (isUnknown(v)) s.unknown(`${key} of ${dsg.name}`);
        else if (asArray(v).length > 0)
          s.report(
            dsg,
            `the default security group ${dsg.name} keeps ${asArray(v).length} ${key} rule(s); remove them all`,
          );
      }
      for (const r of rules.filter((x) => refersTo(x, "securityGroupId", dsg)))
        s.report(r, `security group rule ${r.name} adds a rule to the default security group ${dsg.name}; remove it`);
    }
    for (const vpc of s.ofType(ec2.vpc)) {
      for (const r of rules.filter((x) => onDefaultGroupOf(x, vpc, groups)))
        s.report(
          r,
          `security group rule ${r.name} adds a rule to the default security group of VPC ${vpc.name}; remove it`,
        );
      if (!defaults.some((d) => refersTo(d, "vpcId", vpc)))
        s.report(
          vpc,
          `VPC ${vpc.name} leaves its default security group unmanaged, with AWS's rules (all traffic from its members, all egress): adopt it with aws.ec2.DefaultSecurityGroup { vpcId } and no rules`,
        );
    }
  },
});

const PULUMI_DEFAULT_DESCRIPTION = "Managed by Pulumi";

const descriptions = resourcePolicy({
  name: "ec2-security-group-descriptions",
  summary:
    "Every security group and security group rule has a meaningful description (unlike CKV_AWS_23, which accepts a group's description or its rules' descriptions, both are required, and the EC2-Classic DB/ElastiCache/Redshift security groups it also lists are not judged: the provider no longer has them)",
  enforcementLevel: "advisory",
  references: { catalogue: [78], fsbp: [], checkov: ["CKV_AWS_23"] },
  resourceTypes: [...ec2.securityGroup, ...ec2.securityGroupRule, ...ec2.ingressRule, ...ec2.egressRule],
  check: (c) => {
    const missing = (v: unknown) => !isUnknown(v) && (typeof v !== "string" || v.trim() === "");
    if (ec2.securityGroup.includes(c.resource.type as never)) {
      const d = c.props.description;
      if (missing(d) || d === PULUMI_DEFAULT_DESCRIPTION)
        c.report(`security group ${c.resource.name} has no description of its own (got ${show(d)})`);
      for (const key of ["ingress", "egress"]) {
        asArray(c.props[key]).forEach((b, i) => {
          if (!isUnknown(b) && missing((b as Record<string, unknown>)?.description))
            c.report(`${key}[${i}] of ${c.resource.name} has no description`);
        });
      }
    } else if (missing(c.props.description)) {
      c.report(`security group rule ${c.resource.name} has no description`);
    }
  },
});

const inlineAndStandalone = stackPolicy({
  name: "ec2-no-inline-and-standalone-rules",
  summary:
    "A security group with inline ingress/egress has no standalone rule resources too (they fight: each apply removes the other's rules)",
  // Advisory: a correctness hazard (rules flap or vanish on the next apply), not an exposure.
  enforcementLevel: "advisory",
  references: { catalogue: [79], fsbp: [], checkov: [] },
  resourceTypes: [...ec2.securityGroup, ...ec2.securityGroupRule, ...ec2.ingressRule, ...ec2.egressRule],
  check: (s) => {
    const standalone = s.ofType([...ec2.securityGroupRule, ...ec2.ingressRule, ...ec2.egressRule]);
    for (const sg of s.ofType(ec2.securityGroup)) {
      const attached = standalone.filter((r) => refersTo(r, "securityGroupId", sg));
      if (attached.length === 0) continue;
      // During preview a new group's ingress/egress outputs are unknown: only known blocks count.
      if (["ingress", "egress"].some((k) => isUnknown(sg.props[k]))) s.unknown(`inline rules of ${sg.name}`);
      const inlineKeys = ["ingress", "egress"].filter(
        (k) => asArray(sg.props[k]).length > 0 && !isUnknown(sg.props[k]),
      );
      if (inlineKeys.length)
        s.report(
          sg,
          `security group ${sg.name} declares inline ${inlineKeys.join(" and ")} and also has standalone rule(s) ${attached.map((r) => r.name).join(", ")}: use one style`,
        );
    }
  },
});

export const ec2Policies: HuntazePolicy[] = [
  openIngress,
  highRiskPorts,
  defaultSecurityGroup,
  descriptions,
  inlineAndStandalone,
];
