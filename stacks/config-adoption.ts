import { ADOPTION_CONFIG_KEY, ALLOW_REPLACE_PATTERN } from "../lib/inventory";
import type { ConfigReader } from "./validation";

// `huntaze:adoption` (optional): what the preview may let through when it adopts existing resources
// (README "Moving from Terraform"). The program adopts from the inventory (stacks/adoption.ts); the
// offline engine refuses to replace an adopted stateful resource (its data would be lost) unless
// this stack's config names it here, deliberately, one resource at a time.

export interface AdoptionConfig {
  /**
   * Adopted stateful resources the stack may replace: each a URN, or "<type token> <physical name>"
   * (e.g. "aws:dynamodb/table:Table huntaze-ai-costs-production"). @default - none
   */
  readonly allowReplace: readonly string[];
}

/** Reads `huntaze:adoption`; problems land in `c.problems`. */
export function readAdoptionConfig(c: ConfigReader): AdoptionConfig {
  const a = c.object(ADOPTION_CONFIG_KEY, { optional: true });
  const allowReplace = a?.has("allowReplace")
    ? a.stringList("allowReplace", {
        pattern: ALLOW_REPLACE_PATTERN,
        describe: 'resource: its URN, or "<type token> <physical name>"',
      })
    : [];
  a?.rejectUnknownKeys();
  return { allowReplace };
}
