import { expect } from "chai";
import { describe, it } from "mocha";
import { complies, factory, notApplicableReason, UNKNOWN_STRING, violates } from "../support/policy-cases";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const VPC = "aws:ec2/vpc:Vpc";
/** A managed default group of VPC `vpc` with no rules (`vpcId: vpc.id`). */
const defaultOf = (vpc: string) => ({
  type: DEFAULT_SG,
  name: `${vpc}-default`,
  inputs: { vpcId: vpc },
  propertyDependencies: { vpcId: [vpc] },
});

const sg = factory(SG, "web", {
  description: "Load balancer",
  ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS" }],
  egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/8"], description: "to the VPC" }],
});
const open = (fromPort: number, toPort = fromPort, protocol = "tcp") => ({
  protocol,
  fromPort,
  toPort,
  cidrBlocks: ["0.0.0.0/0"],
  description: "open",
});
const rule = factory(RULE, "rule", {
  type: "ingress",
  securityGroupId: "web",
  protocol: "tcp",
  fromPort: 443,
  toPort: 443,
  cidrBlocks: ["0.0.0.0/0"],
  description: "HTTPS",
});
const ingress = factory(INGRESS, "ingress", {
  securityGroupId: "web",
  ipProtocol: "tcp",
  fromPort: 80,
  toPort: 80,
  cidrIpv6: "::/0",
  description: "HTTP",
});

describe("EC2 security group rules", () => {
  complies({
    rule: "ec2-no-open-ingress-except-allowed-ports",
    title: "0.0.0.0/0 on 443 (inline) and ::/0 on 80 (vpc rule)",
    resources: [sg(), ingress({ securityGroupId: "other" })],
  });
  complies({
    rule: "ec2-no-open-ingress-except-allowed-ports",
    title: "8443 when allowedPublicPorts lists it",
    resources: [sg({ ingress: [open(8443)] })],
    config: { "ec2-no-open-ingress-except-allowed-ports": { allowedPublicPorts: [8443] } },
  });
  complies({
    rule: "ec2-no-open-ingress-except-allowed-ports",
    title: "ICMP from anywhere and a private CIDR on any port",
    resources: [
      sg({
        ingress: [
          { ...open(-1, -1, "icmp") },
          { protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["10.0.0.0/8"], description: "vpc" },
        ],
      }),
    ],
  });
  complies({
    rule: "ec2-no-open-ingress-except-allowed-ports",
    title: "a CIDR unknown during preview (no false violation)",
    resources: [rule({ fromPort: 22, toPort: 22, cidrBlocks: [UNKNOWN_STRING] })],
  });
  it("ec2-no-open-ingress-except-allowed-ports: an unknown CIDR is re-checked on up", () => {
    expect(
      notApplicableReason("ec2-no-open-ingress-except-allowed-ports", RULE, {
        type: "ingress",
        protocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrBlocks: [UNKNOWN_STRING],
      }),
    ).to.match(/source or ports of r: .*pulumi up/);
  });
  violates({
    rule: "ec2-no-open-ingress-except-allowed-ports",
    title: "an inline 0.0.0.0/0 rule on 8080",
    resources: [sg({ ingress: [open(8080)] })],
    message: /ingress\[0\] of web admits the internet .* on port 8080/,
  });
  violates({
    rule: "ec2-no-open-ingress-except-allowed-ports",
    title: "aws.ec2.SecurityGroupRule on all protocols",
    resources: [rule({ protocol: "-1", fromPort: 0, toPort: 0 })],
    message: /all ports/,
  });
  violates({
    rule: "ec2-no-open-ingress-except-allowed-ports",
    title: "aws.vpc.SecurityGroupIngressRule on ::/0 port 8443",
    resources: [ingress({ fromPort: 8443, toPort: 8443 })],
    message: /port 8443/,
  });

  complies({
    rule: "ec2-no-open-high-risk-ports",
    title: "HTTPS open, SSH from a private range",
    resources: [sg(), rule({ fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/16"] })],
  });
  violates({
    rule: "ec2-no-open-high-risk-ports",
    title: "Redis 6379 open to the internet",
    resources: [sg({ ingress: [open(6379)] })],
    message: /high-risk port\(s\) 6379/,
  });
  violates({
    rule: "ec2-no-open-high-risk-ports",
    title: "SSH allowed by config for rule 75 is still high-risk",
    resources: [ingress({ fromPort: 22, toPort: 22 })],
    config: { "ec2-no-open-ingress-except-allowed-ports": { allowedPublicPorts: [22] } },
    message: /22/,
    andThen: (violations) =>
      expect(violations.filter((v) => v.policy === "ec2-no-open-ingress-except-allowed-ports")).to.deep.equal([]),
  });
  violates({
    rule: "ec2-no-open-high-risk-ports",
    title: "a range covering Memcached",
    resources: [rule({ fromPort: 11000, toPort: 12000 })],
    message: /11211/,
  });
  // CKV_AWS_24/25 cover aws_security_group_rule and aws_vpc_security_group_ingress_rule too: a standalone
  // rule whose group is outside the stack is judged on its own inputs.
  violates({
    rule: "ec2-no-open-high-risk-ports",
    title: "aws.ec2.SecurityGroupRule opening RDP to ::/0 on a group outside the stack",
    resources: [
      rule({ securityGroupId: "sg-0123", fromPort: 3389, toPort: 3389, cidrBlocks: [], ipv6CidrBlocks: ["::/0"] }),
    ],
    message: /rule opens high-risk port\(s\) 3389/,
  });
  complies({
    rule: "ec2-no-open-high-risk-ports",
    title: "SSH by aws.vpc.SecurityGroupIngressRule from a referenced security group (no CIDR; CKV_AWS_24 fails it)",
    resources: [ingress({ fromPort: 22, toPort: 22, cidrIpv6: undefined, referencedSecurityGroupId: "sg-0bastion" })],
  });
  complies({
    rule: "ec2-no-open-high-risk-ports",
    title:
      "an egress aws.ec2.SecurityGroupRule to 0.0.0.0/0 on 22, and SSH from a private range by aws.vpc.SecurityGroupIngressRule",
    resources: [
      rule({ type: "egress", securityGroupId: "sg-0123", fromPort: 22, toPort: 22 }),
      ingress({ securityGroupId: "sg-0123", fromPort: 22, toPort: 22, cidrIpv6: undefined, cidrIpv4: "10.0.0.0/16" }),
    ],
  });

  complies({
    rule: "ec2-default-security-group-restricts-all",
    title: "a managed default group with no rules",
    resources: [{ type: DEFAULT_SG, name: "default", inputs: { vpcId: "vpc-1" } }],
  });
  violates({
    rule: "ec2-default-security-group-restricts-all",
    title: "a default group keeping self-ingress",
    resources: [
      {
        type: DEFAULT_SG,
        name: "default",
        inputs: { vpcId: "vpc-1", ingress: [{ protocol: "-1", self: true, fromPort: 0, toPort: 0 }] },
      },
    ],
    message: /1 ingress rule/,
  });
  complies({
    rule: "ec2-default-security-group-restricts-all",
    title: "a VPC whose default group is managed with no rules, and a rule on another group of the VPC",
    resources: [
      { type: VPC, name: "main", inputs: { cidrBlock: "10.0.0.0/16" } },
      { ...defaultOf("main"), outputs: { id: "sg-default", vpcId: "main", ingress: [], egress: [] } },
      {
        type: SG,
        name: "app",
        inputs: { vpcId: "main", description: "app" },
        propertyDependencies: { vpcId: ["main"] },
      },
      {
        type: INGRESS,
        name: "app-https",
        inputs: { securityGroupId: "app", cidrIpv4: "10.0.0.0/8", fromPort: 443, toPort: 443, ipProtocol: "tcp" },
        propertyDependencies: { securityGroupId: ["app"] },
      },
    ],
  });
  violates({
    rule: "ec2-default-security-group-restricts-all",
    title: "a VPC whose default group is not managed (AWS's rules stay)",
    resources: [{ type: VPC, name: "main", inputs: { cidrBlock: "10.0.0.0/16" } }],
    message: /VPC main leaves its default security group unmanaged/,
  });
  violates({
    rule: "ec2-default-security-group-restricts-all",
    title: "an adopted default VPC whose default group is not managed",
    resources: [{ type: "aws:ec2/defaultVpc:DefaultVpc", name: "default-vpc", inputs: {} }],
    message: /leaves its default security group unmanaged/,
  });
  violates({
    rule: "ec2-default-security-group-restricts-all",
    title: "a standalone ingress rule on the managed default group",
    resources: [
      { type: VPC, name: "main", inputs: { cidrBlock: "10.0.0.0/16" } },
      defaultOf("main"),
      {
        type: INGRESS,
        name: "into-default",
        inputs: {
          securityGroupId: "main-default",
          cidrIpv4: "10.0.0.0/8",
          fromPort: 80,
          toPort: 80,
          ipProtocol: "tcp",
        },
        propertyDependencies: { securityGroupId: ["main-default"] },
      },
    ],
    message: /into-default adds a rule to the default security group main-default/,
  });
  violates({
    rule: "ec2-default-security-group-restricts-all",
    title: "an egress rule on the VPC's defaultSecurityGroupId output (the default group itself managed)",
    resources: [
      { type: VPC, name: "main", inputs: { cidrBlock: "10.0.0.0/16" } },
      defaultOf("main"),
      {
        type: RULE,
        name: "out-of-default",
        inputs: {
          type: "egress",
          securityGroupId: UNKNOWN_STRING,
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
        },
        propertyDependencies: { securityGroupId: ["main"] },
      },
    ],
    message: /out-of-default adds a rule to the default security group of VPC main/,
  });

  complies({
    rule: "ec2-security-group-descriptions",
    title: "a described group, inline rules and standalone rules",
    resources: [
      sg(),
      rule(),
      ingress(),
      {
        type: EGRESS,
        name: "egress",
        inputs: { securityGroupId: "web", ipProtocol: "-1", cidrIpv4: "10.0.0.0/8", description: "VPC" },
      },
    ],
  });
  violates({
    rule: "ec2-security-group-descriptions",
    title: "Pulumi's default description and an undescribed inline rule",
    resources: [
      sg({
        description: "Managed by Pulumi",
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
      }),
    ],
    andThen: (violations) => {
      const msgs = violations.filter((v) => v.policy === "ec2-security-group-descriptions").map((v) => v.message);
      expect(msgs.join("\n"))
        .to.match(/Managed by Pulumi/)
        .and.to.match(/ingress\[0\] of web has no description/);
    },
  });
  violates({
    rule: "ec2-security-group-descriptions",
    title: "a standalone rule without a description",
    resources: [ingress({ description: undefined })],
    message: /ingress has no description/,
  });
  violates({
    rule: "ec2-security-group-descriptions",
    title: "an aws.ec2.SecurityGroupRule with a blank description, its group outside the stack",
    resources: [rule({ securityGroupId: "sg-0123", description: "  " })],
    message: /security group rule rule has no description/,
  });

  complies({
    rule: "ec2-no-inline-and-standalone-rules",
    title: "a group with only standalone rules",
    resources: [sg({ ingress: [], egress: [] }), rule(), ingress()],
  });
  violates({
    rule: "ec2-no-inline-and-standalone-rules",
    title: "inline ingress plus a standalone rule",
    resources: [sg(), ingress()],
    message: /declares inline ingress and egress and also has standalone rule\(s\) ingress/,
  });
});
