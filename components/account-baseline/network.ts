import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Baseline } from "./context";

// Network: the S3 and DynamoDB gateway endpoints, so that traffic stays off the NAT gateway (seed 003
// §10.1), usable only by this account's principals.

/**
 * Policy of the S3 and DynamoDB gateway endpoints: only this account's principals may use them (an
 * identity perimeter). Without a policy AWS attaches the full-access default ("Control access to VPC
 * endpoints using endpoint policies", https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html),
 * so stolen credentials of any account could move data out through our network path. A gateway
 * endpoint's Principal must be "*"; the caller is named by a condition (same page, "Principals for
 * gateway endpoints"). aws:PrincipalAccount is the global condition key of the calling principal's
 * account ("AWS global condition context keys", IAM User Guide). ECR image layers come from an
 * AWS-owned bucket but are fetched with the task's own role, so they still pass; anonymous reads of
 * public buckets (e.g. OS package mirrors on S3) do not, which no workload here makes.
 */
export function gatewayEndpointPolicy(accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ThisAccountPrincipalsOnly",
        Effect: "Allow",
        Principal: "*",
        Action: "*",
        Resource: "*",
        Condition: { StringEquals: { "aws:PrincipalAccount": accountId } },
      },
    ],
  });
}

/** A gateway endpoint per service on the route tables (none without route tables); their ids. */
export function createGatewayEndpoints({ name, parent, s, accountId, region }: Baseline): pulumi.Output<string>[] {
  const endpoints = s.gatewayEndpoints;
  if (!endpoints || endpoints.routeTableIds.length === 0) return [];
  return ["s3", "dynamodb"].map(
    (service) =>
      new aws.ec2.VpcEndpoint(
        `${name}-${service}-endpoint`,
        {
          vpcId: endpoints.vpcId,
          serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Gateway",
          routeTableIds: [...endpoints.routeTableIds],
          policy: accountId.apply(gatewayEndpointPolicy),
          tags: { ...s.tags, Name: `${s.namePrefix}-${service}` },
        },
        { parent },
      ).id,
  );
}
