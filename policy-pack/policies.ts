import type { HuntazePolicy } from "./rule";
import { ec2Policies } from "./rules/ec2";
import { elasticachePolicies } from "./rules/elasticache";
import { s3Policies } from "./rules/s3";

/** Every rule of the pack, in catalogue order. Plain data: tests and tools load it without a server. */
export const allPolicies: HuntazePolicy[] = [...elasticachePolicies, ...s3Policies, ...ec2Policies];
