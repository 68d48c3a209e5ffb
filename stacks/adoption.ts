import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  entryFor,
  INVENTORY_FILE_ENV,
  type Inventory,
  InventoryError,
  indexInventory,
  inventoryPath,
  physicalNameInputs,
  readInventory,
  STATEFUL_TYPES,
} from "../lib/inventory";
import { knownOutputValue } from "../lib/pulumi-internals";

// Taking over what production already runs (README "Moving from Terraform"): the one place the
// program adopts what the stack's inventory holds. A stack-level resource transform (Pulumi's own
// way to set options on every resource, components' children included, without widening their
// args) gives each custom resource whose type and physical name the inventory holds:
//   - `import: <entry.importId>`: Pulumi reads the existing resource instead of creating it;
//   - `protect: true`: a rename or removal in the program cannot delete production's resource;
//   - `retainOnDelete: true` for stateful types (data): leaving Pulumi never deletes it.
// Without an inventory file nothing is adopted and every resource is a create, as before.

/**
 * The inventory file of `stack`: `$HUNTAZE_INVENTORY_FILE` (set by the offline engine's --inventory
 * and by tests; empty means none), else inventory/<stack>.json under the project directory (where
 * `pulumi up` runs the program) when it exists.
 */
export function stackInventoryFile(stack: string, projectDir = process.cwd()): string | undefined {
  const fromEnv = process.env[INVENTORY_FILE_ENV];
  if (fromEnv !== undefined) return fromEnv === "" ? undefined : path.resolve(projectDir, fromEnv);
  const file = path.resolve(projectDir, inventoryPath(stack));
  return fs.existsSync(file) ? file : undefined;
}

/** Reads a string input, awaiting it when the engine passed it as an output (undefined when unknown). */
async function plainString(value: unknown): Promise<string | undefined> {
  if (typeof value === "string") return value;
  if (pulumi.Output.isInstance(value)) {
    const v = await knownOutputValue(value);
    return typeof v === "string" ? v : undefined;
  }
  return undefined;
}

/** The transform that adopts what `inventory` holds (exported for tests; adoptExisting registers it). */
export function adoptionTransform(inventory: Inventory): pulumi.ResourceTransform {
  const index = indexInventory(inventory);
  return async (args) => {
    if (!args.custom) return undefined;
    const inputs: Record<string, unknown> = {};
    for (const key of physicalNameInputs(args.type)) inputs[key] = await plainString(args.props[key]);
    const entry = entryFor(index, args.type, inputs, inventory.accountId);
    if (entry === undefined) return undefined;
    return {
      props: args.props,
      opts: {
        ...args.opts,
        import: entry.importId,
        protect: true,
        ...(STATEFUL_TYPES.has(args.type) ? { retainOnDelete: true } : {}),
      } as pulumi.CustomResourceOptions,
    };
  };
}

/**
 * Registers the adoption transform for the running stack when it has an inventory; returns the
 * inventory (undefined: nothing adopted). Call before any resource is created.
 */
export function adoptExisting(stack = pulumi.getStack(), projectDir = process.cwd()): Inventory | undefined {
  const file = stackInventoryFile(stack, projectDir);
  if (file === undefined) return undefined;
  const inventory = readInventory(file);
  if (inventory.stack !== stack)
    throw new InventoryError(
      `is the inventory of stack "${inventory.stack}", not of "${stack}": adopting another stack's resources would take them over twice`,
      file,
    );
  pulumi.runtime.registerResourceTransform(adoptionTransform(inventory));
  return inventory;
}
