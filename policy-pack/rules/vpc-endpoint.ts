import { vpc } from "../lib/aws-types";
import { asArray, hasUnknown, type Resource, refersTo, show, stackPolicy } from "../lib/inspect";
import { isPublicAllow, parsePolicy, type Statement } from "../lib/policy-document";
import type { HuntazePolicy } from "../rule";

// The policy AWS attaches when an endpoint is created without one ("Control access to VPC endpoints
// using endpoint policies", Default endpoint policy,
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html):
// { "Statement": [{ "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*" }] }.
// An endpoint without a policy is therefore judged as that full-access policy.

/** Endpoint types that take a policy; a Gateway Load Balancer endpoint has none to set. */
const POLICY_TYPES = ["Gateway", "Interface"];

/** An Allow of every action on every resource to anyone, with no condition pinning the caller. */
function fullAccess(st: Statement): boolean {
  const anyAction = st.actions.some((a) => a === "*" || /^[a-z0-9-]+:\*$/i.test(a));
  return isPublicAllow(st) && anyAction && st.resources.includes("*");
}

function policyOf(endpoint: Resource, policies: Resource[]): unknown {
  const attached = policies.find((p) => refersTo(p, "vpcEndpointId", endpoint));
  return attached ? attached.props.policy : endpoint.props.policy;
}

const notFullAccess = stackPolicy({
  name: "vpc-endpoint-policy-not-full-access",
  summary:
    'Gateway and interface VPC endpoints have a policy (inline or aws.ec2.VpcEndpointPolicy) that does not allow every action on every resource to Principal "*" without a condition; no policy at all is AWS\'s full-access default and fails (unlike Prowler vpc_endpoint_connections_trust_boundaries, which skips an endpoint without a policy document); endpoints to PrivateLink endpoint services, always full access, and services listed in exemptServices are not judged',
  // Advisory: identity and resource policies still apply; the endpoint policy is the data-perimeter
  // layer that keeps other accounts' credentials from using the network path.
  enforcementLevel: "advisory",
  references: {
    catalogue: [],
    fsbp: [],
    checkov: [],
    beyondCatalogue:
      "VPC endpoints are not in the catalogue (rows 75-79 cover security groups); their policy is the network's data perimeter",
  },
  resourceTypes: [...vpc.endpoint, ...vpc.endpointPolicy],
  configSchema: {
    properties: {
      exemptServices: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          'Service name suffixes (e.g. "ecr.dkr" for com.amazonaws.<region>.ecr.dkr) of AWS services that support no endpoint policy.',
      },
    },
  },
  check: (s) => {
    const exempt = asArray(s.config.exemptServices).map(String);
    const policies = s.ofType(vpc.endpointPolicy);
    for (const endpoint of s.ofType(vpc.endpoint)) {
      // The provider's default type is Gateway (aws.ec2.VpcEndpoint vpcEndpointType).
      const type = endpoint.props.vpcEndpointType ?? "Gateway";
      if (hasUnknown(type)) {
        s.unknown(`vpcEndpointType of ${endpoint.name}`);
        continue;
      }
      if (!POLICY_TYPES.includes(String(type))) continue;
      // An endpoint to a PrivateLink endpoint service (com.amazonaws.vpce.<region>.vpce-svc-...) is
      // always full access: "When you create a VPC endpoint for an endpoint service other than an AWS
      // service, we allow full access to the endpoint" (same page, Considerations). Neither can a
      // policy be set for an AWS service without endpoint-policy support: list it in exemptServices.
      const service = endpoint.props.serviceName;
      if (hasUnknown(service)) {
        s.unknown(`serviceName of ${endpoint.name}`);
        continue;
      }
      const serviceName = typeof service === "string" ? service : "";
      if (serviceName.startsWith("com.amazonaws.vpce.") || exempt.some((e) => serviceName.endsWith(`.${e}`))) continue;
      const policy = policyOf(endpoint, policies);
      if (hasUnknown(policy)) {
        s.unknown(`policy of ${endpoint.name}`);
        continue;
      }
      const statements = parsePolicy(policy);
      if (statements === null) s.report(endpoint, `endpoint ${endpoint.name}'s policy is not valid JSON`);
      else if (statements === undefined)
        s.report(
          endpoint,
          `endpoint ${endpoint.name} (${show(endpoint.props.serviceName)}) has no policy: AWS attaches the full-access default (Principal "*", Action "*", Resource "*"); allow only this account's principals, e.g. a condition on aws:PrincipalAccount`,
        );
      else if (statements.some(fullAccess))
        s.report(
          endpoint,
          `endpoint ${endpoint.name}'s policy allows every action on every resource to Principal "*" without a condition: pin the callers (aws:PrincipalAccount / aws:PrincipalOrgID) or the resources`,
        );
    }
  },
});

export const vpcEndpointPolicies: HuntazePolicy[] = [notFullAccess];
