import { specialSecretSig, specialSigKey, unknownValue } from "../../lib/pulumi-internals";

// Values in Pulumi's wire form: a secret is { [specialSigKey]: specialSecretSig, value }, an unknown
// (computed during preview) is a sentinel string. Everything the engine prints goes through here,
// so no renderer can print a secret by accident.

export type PlainValue = null | boolean | number | string | PlainValue[] | PlainObject;
export interface PlainObject {
  [key: string]: PlainValue;
}

export const SECRET_MASK = "[secret]";
export const UNKNOWN_MARK = "[unknown until apply]";

export function wrapSecret(value: PlainValue | undefined): PlainObject {
  if (isSecret(value)) return value as PlainObject;
  return { [specialSigKey]: specialSecretSig, value: value ?? null };
}

export function isSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as PlainObject)[specialSigKey] === specialSecretSig;
}

/** A copy of `value` safe to print: secrets masked, unknowns marked, resource references shown by URN. */
export function maskSecrets(value: PlainValue | undefined): PlainValue {
  if (value === undefined) return null;
  if (value === unknownValue) return UNKNOWN_MARK;
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value !== null && typeof value === "object") {
    if (isSecret(value)) return SECRET_MASK;
    const sig = value[specialSigKey];
    if (typeof sig === "string") {
      // Resource reference or output value: show the referenced URN (or the plain value), never internals.
      if (typeof value.urn === "string") return value.urn;
      if ("value" in value) return maskSecrets(value.value);
      return UNKNOWN_MARK;
    }
    const out: PlainObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskSecrets(v);
    return out;
  }
  return value;
}

/** Every secret string in `value`, so tests and the engine can assert none of them was printed. */
export function collectSecretStrings(value: PlainValue | undefined, into: Set<string> = new Set()): Set<string> {
  if (value === null || value === undefined || typeof value !== "object") return into;
  if (Array.isArray(value)) {
    for (const v of value) collectSecretStrings(v, into);
    return into;
  }
  if (isSecret(value)) {
    const inner = value.value;
    if (typeof inner === "string" && inner.length > 0) into.add(inner);
    else collectSecretStrings(inner, into);
    return into;
  }
  for (const v of Object.values(value)) collectSecretStrings(v, into);
  return into;
}
