import type { HuntazePolicy } from "./rule";
import { cloudwatchPolicies } from "./rules/cloudwatch";
import { ec2Policies } from "./rules/ec2";
import { elasticachePolicies } from "./rules/elasticache";
import { kmsPolicies } from "./rules/kms";
import { lambdaPolicies } from "./rules/lambda";
import { s3Policies } from "./rules/s3";
import { secretsmanagerPolicies } from "./rules/secretsmanager";
import { snsPolicies } from "./rules/sns";
import { sqsPolicies } from "./rules/sqs";

/** Every rule of the pack, in catalogue order. Plain data: tests and tools load it without a server. */
export const allPolicies: HuntazePolicy[] = [
  ...elasticachePolicies, // 1-8, + replication group / security group join
  ...s3Policies, // 9, 11-20
  ...sqsPolicies, // 26-29
  ...snsPolicies, // 30-32
  ...lambdaPolicies, // 33-39
  ...cloudwatchPolicies, // 49-51
  ...kmsPolicies, // 52-55
  ...secretsmanagerPolicies, // 56-57
  ...ec2Policies, // 75-79
];
