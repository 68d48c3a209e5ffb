import { describe } from "mocha";
import { complies, factory, UNKNOWN_STRING, violates } from "../support/policy-cases";

const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const ENDPOINT_POLICY = "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy";
const ACCOUNT = "111122223333";
const doc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const fullAccess = { Effect: "Allow", Principal: "*", Action: "*", Resource: "*" };
const ownAccount = { ...fullAccess, Condition: { StringEquals: { "aws:PrincipalAccount": [ACCOUNT] } } };

const gateway = factory(ENDPOINT, "s3-endpoint", {
  vpcId: "vpc-123",
  serviceName: "com.amazonaws.us-east-1.s3",
  vpcEndpointType: "Gateway",
  routeTableIds: ["rtb-1"],
  policy: doc(ownAccount),
});
const iface = factory(ENDPOINT, "sqs-endpoint", {
  vpcId: "vpc-123",
  serviceName: "com.amazonaws.us-east-1.sqs",
  vpcEndpointType: "Interface",
  subnetIds: ["subnet-1"],
  policy: doc(ownAccount),
});

describe("VPC endpoint policy", () => {
  complies({
    rule: "vpc-endpoint-policy-not-full-access",
    title: "a gateway and an interface endpoint limited to this account's principals",
    resources: [gateway(), iface()],
  });
  complies({
    rule: "vpc-endpoint-policy-not-full-access",
    title: "a policy naming its actions and buckets",
    resources: [
      gateway({
        policy: doc({
          Effect: "Allow",
          Principal: "*",
          Action: ["s3:GetObject", "s3:PutObject"],
          Resource: "arn:aws:s3:::huntaze-*/*",
        }),
      }),
    ],
  });
  complies({
    rule: "vpc-endpoint-policy-not-full-access",
    title: "no inline policy but an aws.ec2.VpcEndpointPolicy limited to the account",
    resources: [
      gateway({ policy: undefined }),
      {
        ...factory(ENDPOINT_POLICY, "s3-endpoint-policy", { vpcEndpointId: "s3-endpoint", policy: doc(ownAccount) })(),
        propertyDependencies: { vpcEndpointId: ["s3-endpoint"] },
      },
    ],
  });
  complies({
    rule: "vpc-endpoint-policy-not-full-access",
    title: "a Gateway Load Balancer endpoint (no policy to set)",
    resources: [iface({ vpcEndpointType: "GatewayLoadBalancer", policy: undefined })],
  });
  complies({
    rule: "vpc-endpoint-policy-not-full-access",
    title: "an endpoint to a PrivateLink endpoint service (always full access, no policy to set)",
    resources: [iface({ serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718", policy: undefined })],
  });
  complies({
    rule: "vpc-endpoint-policy-not-full-access",
    title: "a service listed in exemptServices",
    resources: [iface({ serviceName: "com.amazonaws.us-east-1.example-svc", policy: undefined })],
    config: { "vpc-endpoint-policy-not-full-access": { exemptServices: ["example-svc"] } },
  });
  violates({
    rule: "vpc-endpoint-policy-not-full-access",
    title: "the same service when not exempted",
    resources: [iface({ serviceName: "com.amazonaws.us-east-1.example-svc", policy: undefined })],
    message: /has no policy/,
  });
  complies({
    rule: "vpc-endpoint-policy-not-full-access",
    title: "a policy unknown during preview",
    resources: [iface({ policy: UNKNOWN_STRING })],
  });
  violates({
    rule: "vpc-endpoint-policy-not-full-access",
    title: "a gateway endpoint without a policy (the full-access default; the type defaults to Gateway)",
    resources: [gateway({ policy: undefined, vpcEndpointType: undefined })],
    message: /has no policy: AWS attaches the full-access default/,
  });
  violates({
    rule: "vpc-endpoint-policy-not-full-access",
    title: "an interface endpoint with the full-access policy written out",
    resources: [iface({ policy: doc(fullAccess) })],
    message: /allows every action on every resource to Principal "\*"/,
  });
  violates({
    rule: "vpc-endpoint-policy-not-full-access",
    title: "a full-access aws.ec2.VpcEndpointPolicy replacing a limited inline one",
    resources: [
      gateway(),
      {
        ...factory(ENDPOINT_POLICY, "s3-endpoint-policy", {
          vpcEndpointId: "s3-endpoint",
          policy: doc({ ...fullAccess, Principal: { AWS: "*" }, Action: "s3:*" }),
        })(),
        propertyDependencies: { vpcEndpointId: ["s3-endpoint"] },
      },
    ],
    message: /allows every action/,
  });
});
