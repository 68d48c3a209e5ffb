import type { HuntazePolicy } from "./rule";
import { s3Policies } from "./rules/s3";

/** Every rule of the pack, in catalogue order. Plain data: tests and tools load it without a server. */
export const allPolicies: HuntazePolicy[] = [...s3Policies];
