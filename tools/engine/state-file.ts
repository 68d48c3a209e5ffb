import * as fs from "node:fs";
import { specialSecretSig, specialSigKey } from "../../lib/pulumi-internals";
import type { RecordedResource } from "./recorder";
import { type PlainObject, type PlainValue, wrapSecret } from "./secrets";

// A `pulumi stack export` file (deployment version 3) turned into the same resource records the
// preview produces, so a deployed stack is audited by the same pack over the same protocol.
// Secrets come encoded: `{ <sig>: <secret sig>, ciphertext }` (or `plaintext` with --show-secrets).
// Ciphertext cannot be read offline; it stays a secret whose value is unknown to the rules.

export class StateFileError extends Error {}

export interface StackState {
  readonly stack: string;
  /** The project named in the URNs (`urn:pulumi:<stack>::<project>::...`). */
  readonly project: string;
  readonly resources: RecordedResource[];
  readonly outputs: PlainObject;
}

const ENCRYPTED = "[encrypted in the state file]";

function decode(value: unknown): PlainValue {
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[specialSigKey] === specialSecretSig) {
      if (typeof obj.plaintext === "string") {
        try {
          return wrapSecret(decode(JSON.parse(obj.plaintext)));
        } catch {
          return wrapSecret(obj.plaintext);
        }
      }
      if ("value" in obj) return wrapSecret(decode(obj.value));
      return wrapSecret(ENCRYPTED);
    }
    const out: PlainObject = {};
    for (const [k, v] of Object.entries(obj)) out[k] = decode(v);
    return out;
  }
  return (value ?? null) as PlainValue;
}

interface ExportedResource {
  urn?: unknown;
  type?: unknown;
  custom?: boolean;
  id?: string;
  parent?: string;
  inputs?: unknown;
  outputs?: unknown;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  provider?: string;
  protect?: boolean;
  ignoreChanges?: string[];
  additionalSecretOutputs?: string[];
  aliases?: unknown[];
  delete?: boolean;
}

export function parseStackExport(text: string, source = "state file"): StackState {
  let doc: { version?: unknown; deployment?: { resources?: unknown } };
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new StateFileError(`${source} is not JSON: ${(e as Error).message}`);
  }
  if (doc?.version !== 3) {
    throw new StateFileError(
      `${source}: expected a \`pulumi stack export\` document with "version": 3, got version ${JSON.stringify(doc?.version)}`,
    );
  }
  const raw = doc.deployment?.resources ?? [];
  if (!Array.isArray(raw)) throw new StateFileError(`${source}: deployment.resources must be a list`);
  const problems: string[] = [];
  const resources: RecordedResource[] = [];
  let stack = "unknown";
  let project = "unknown";
  let outputs: PlainObject = {};
  raw.forEach((r: ExportedResource, i) => {
    if (typeof r?.urn !== "string" || typeof r?.type !== "string") {
      problems.push(`resource #${i} has no urn or type`);
      return;
    }
    // Resources pending deletion are not part of the stack the pack should judge.
    if (r.delete) return;
    if (r.type === "pulumi:pulumi:Stack") {
      stack = r.urn.split("::")[0]?.replace("urn:pulumi:", "") ?? stack;
      project = r.urn.split("::")[1] ?? project;
      outputs = decode(r.outputs ?? {}) as PlainObject;
      return;
    }
    if (r.type.startsWith("pulumi:providers:")) return;
    const name = r.urn.split("::").pop() ?? r.urn;
    resources.push({
      urn: r.urn,
      type: r.type,
      name,
      parent: r.parent,
      custom: r.custom ?? true,
      id: r.id,
      inputs: decode(r.inputs ?? {}) as PlainObject,
      outputs: decode(r.outputs ?? {}) as PlainObject,
      dependencies: r.dependencies ?? [],
      propertyDependencies: r.propertyDependencies ?? {},
      provider: r.provider,
      options: {
        protect: r.protect ?? false,
        ignoreChanges: r.ignoreChanges ?? [],
        deleteBeforeReplace: false,
        additionalSecretOutputs: r.additionalSecretOutputs ?? [],
        aliases: (r.aliases ?? []).filter((a): a is string => typeof a === "string"),
      },
    });
  });
  if (problems.length)
    throw new StateFileError(
      `${source}: ${problems.slice(0, 10).join("; ")}${problems.length > 10 ? ` (+${problems.length - 10} more)` : ""}`,
    );
  return { stack, project, resources, outputs };
}

export function readStackExport(file: string): StackState {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new StateFileError(`cannot read state file ${file}`);
  }
  return parseStackExport(text, file);
}

/**
 * The inverse, for tests and benchmarks: resources as `pulumi stack export` would write them, with
 * every secret encoded as ciphertext (its plaintext is never written).
 */
export function toStackExport(stack: string, resources: RecordedResource[], outputs: PlainObject = {}): unknown {
  const encode = (value: PlainValue): unknown => {
    if (Array.isArray(value)) return value.map(encode);
    if (value !== null && typeof value === "object") {
      if (value[specialSigKey] === specialSecretSig)
        return { [specialSigKey]: specialSecretSig, ciphertext: "AAABAOfflineCiphertextNotTheSecret" };
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
    }
    return value;
  };
  // The project is the one the resources' URNs name, as in a real export.
  const project = resources.find((r) => r.urn.startsWith("urn:pulumi:"))?.urn.split("::")[1] ?? "offline";
  const stackUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-11-22T00:00:00Z", magic: "", version: "v3.200.0" },
      resources: [
        { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: encode(outputs) },
        ...resources
          .filter((r) => r.type !== "pulumi:pulumi:Stack")
          .map((r) => ({
            urn: r.urn,
            custom: r.custom,
            id: r.id,
            type: r.type,
            inputs: encode(r.inputs),
            outputs: encode(r.outputs),
            parent: r.parent ?? stackUrn,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            additionalSecretOutputs: r.options.additionalSecretOutputs,
          })),
      ],
    },
  };
}
