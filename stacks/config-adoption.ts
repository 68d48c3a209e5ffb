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

/** A URN, or a type token, one space and a physical name. */
export const ALLOW_REPLACE_PATTERN =
  /^(urn:pulumi:[^\s]+::[^\s]+::[^\s]+::[^\s]+|[a-z0-9-]+:[A-Za-z0-9/]+:[A-Za-z0-9]+ \S+)$/;

/** Reads `huntaze:adoption`; problems land in `c.problems`. */
export function readAdoptionConfig(c: ConfigReader): AdoptionConfig {
  const a = c.object("adoption", { optional: true });
  const allowReplace = a?.has("allowReplace")
    ? a.stringList("allowReplace", {
        pattern: ALLOW_REPLACE_PATTERN,
        describe: 'resource: its URN, or "<type token> <physical name>"',
      })
    : [];
  a?.rejectUnknownKeys();
  return { allowReplace };
}
