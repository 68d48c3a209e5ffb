// Terraform attribute names and shapes → the input property names and shapes of @pulumi/aws v7.
//
// Terraform writes every nested block as a list (a block declared with max_items = 1 is a list of
// one), names in snake_case, and repeated blocks in the singular ("attribute", "notification").
// The Pulumi provider bridge maps them onto the resource's *Args: camelCase names, a max-1 block
// becomes an object (e.g. `ttl?: Input<inputs.dynamodb.TableTtl>`), a repeated block keeps a list
// under its plural name (`attributes?: Input<Input<inputs.dynamodb.TableAttribute>[]>`). Source:
// node_modules/@pulumi/aws/<service>/<resource>.d.ts (`export interface <Resource>Args`) and
// node_modules/@pulumi/aws/types/input.d.ts; tests/tools/inventory/terraform.test.ts checks every
// converted top-level name against the Args interface of the installed @pulumi/aws.

import { SECRET_ATTRIBUTES } from "../../lib/inventory";

/** A nested block: `one` (max_items = 1) becomes an object, otherwise a list of objects. */
export interface Block {
  readonly name?: string;
  readonly one?: boolean;
  readonly fields: Fields;
}

/**
 * How to carry one Terraform attribute over: `true` keeps its value under the camelCase name, a
 * string keeps it under that name, a Block converts a nested block. Attributes not listed are
 * computed-only or not managed by the program and are left out ("not recorded").
 */
export type Field = true | string | Block;
export type Fields = Readonly<Record<string, Field>>;

export const camelCase = (snake: string): string => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Terraform writes "" and null for an unset optional attribute: neither is recorded. */
const unset = (v: unknown): boolean => v === null || v === undefined || v === "";

function convertBlock(value: unknown, block: Block): unknown {
  const items = (Array.isArray(value) ? value : [value])
    .filter(isObject)
    .map((item) => convertFields(item, block.fields));
  if (block.one) return items[0];
  return items.length ? items : undefined;
}

/** Converts the listed attributes of `attributes`; never carries a SECRET_ATTRIBUTES name. */
export function convertFields(attributes: Readonly<Record<string, unknown>>, fields: Fields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [tfName, field] of Object.entries(fields)) {
    const value = attributes[tfName];
    if (unset(value)) continue;
    const name =
      typeof field === "string" ? field : field === true ? camelCase(tfName) : (field.name ?? camelCase(tfName));
    if (SECRET_ATTRIBUTES.has(name)) continue;
    const converted = typeof field === "object" ? convertBlock(value, field) : value;
    if (converted !== undefined) out[name] = converted;
  }
  return out;
}

/** `names` → `{ name: true, ... }`, for the long flat lists. */
export const plain = (...names: string[]): Record<string, true> => Object.fromEntries(names.map((n) => [n, true]));
