import type { HuntazePolicy } from "./rule";
import { cloudtrailPolicies } from "./rules/cloudtrail";
import { cloudwatchPolicies } from "./rules/cloudwatch";
import { configPolicies } from "./rules/config";
import { costexplorerPolicies } from "./rules/costexplorer";
import { dynamodbPolicies } from "./rules/dynamodb";
import { ec2Policies } from "./rules/ec2";
import { ecsPolicies } from "./rules/ecs";
import { ecsTaskDefinitionPolicies } from "./rules/ecs-task-definition";
import { elasticachePolicies } from "./rules/elasticache";
import { guarddutyPolicies } from "./rules/guardduty";
import { kmsPolicies } from "./rules/kms";
import { lambdaPolicies } from "./rules/lambda";
import { rdsPolicies } from "./rules/rds";
import { rdsClusterPolicies } from "./rules/rds-cluster";
import { s3Policies } from "./rules/s3";
import { s3AccountPolicies } from "./rules/s3-account";
import { secretsmanagerPolicies } from "./rules/secretsmanager";
import { securityBaselinePolicies } from "./rules/security-baseline";
import { securityhubPolicies } from "./rules/securityhub";
import { snsPolicies } from "./rules/sns";
import { sqsPolicies } from "./rules/sqs";
import { vpcEndpointPolicies } from "./rules/vpc-endpoint";

const byService: HuntazePolicy[] = [
  ...elasticachePolicies,
  ...s3Policies,
  ...s3AccountPolicies,
  ...dynamodbPolicies,
  ...sqsPolicies,
  ...snsPolicies,
  ...lambdaPolicies,
  ...ecsPolicies,
  ...cloudwatchPolicies,
  ...kmsPolicies,
  ...secretsmanagerPolicies,
  ...rdsPolicies,
  ...cloudtrailPolicies,
  ...guarddutyPolicies,
  ...ec2Policies,
  ...securityBaselinePolicies,
  ...rdsClusterPolicies,
  ...ecsTaskDefinitionPolicies,
  ...securityhubPolicies,
  ...vpcEndpointPolicies,
  ...configPolicies,
  ...costexplorerPolicies,
];

function firstRow(p: HuntazePolicy): number {
  return p.references.catalogue.length ? Math.min(...p.references.catalogue) : Number.MAX_SAFE_INTEGER;
}

/**
 * Every rule of the pack, in catalogue order (by first catalogue row; the sort is stable, so rules
 * sharing a row keep their file order). Plain data: tests and tools load it without a server.
 */
export const allPolicies: HuntazePolicy[] = [...byService].sort(
  // Rules beyond the catalogue (no rows) come last.
  (a, b) => firstRow(a) - firstRow(b),
);
