import { ecs, rds } from "../../../policy-pack/lib/aws-types";
import type { CoveredType } from "./covered-type";

// aws.rds.Cluster and ECS task definition volumes: `supported_resources` of each cited check in
// bridgecrewio/checkov checkov/terraform/checks/resource/aws/<Check>.py.

export const types: CoveredType[] = [
  // AuroraEncryption.py
  { check: "CKV_AWS_96", terraform: "aws_rds_cluster", pulumi: rds.cluster },
  // RDSDeletionProtection.py
  { check: "CKV_AWS_139", terraform: "aws_rds_cluster", pulumi: rds.cluster },
  // RDSClusterIAMAuthentication.py
  { check: "CKV_AWS_162", terraform: "aws_rds_cluster", pulumi: rds.cluster },
  // RDSClusterAuroraBacktrack.py
  { check: "CKV_AWS_326", terraform: "aws_rds_cluster", pulumi: rds.cluster },
  // ECSTaskDefinitionEFSVolumeEncryption.py
  { check: "CKV_AWS_97", terraform: "aws_ecs_task_definition", pulumi: ecs.taskDefinition },
];
