import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountAdministration } from "./policy-statements";

/** Where a key lives: the statements of its policy are built from these. */
export interface KeyScope {
  readonly accountId: string;
  readonly region: string;
}

/** One IAM policy statement, as plain data. */
export type PolicyStatement = Record<string, unknown>;

/**
 * The key policy every component key carries: the account administers it (IAM in the account
 * decides who may use it, so the key can never be locked out), then the component's own
 * service statements. Pure: the components' tests call it directly.
 */
export function keyPolicy(
  scope: KeyScope,
  statements: readonly PolicyStatement[],
  administration: PolicyStatement = accountAdministration(scope.accountId),
): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [administration, ...statements] });
}

export interface ComponentKeyArgs {
  /** What the key encrypts, shown in the console. */
  readonly description: pulumi.Input<string>;
  /**
   * The service statements of the key policy, after the account administration statement.
   * Receives the account and region the key is created in.
   * @default - no statement beyond the account administration (IAM policies grant every use)
   */
  readonly statements?: (scope: KeyScope) => pulumi.Input<PolicyStatement[]>;
  /**
   * The first statement of the key policy, replacing the account's `kms:*`: for a key whose data
   * use must go only through AWS services (`kms:ViaService`), an administration statement without
   * the cryptographic actions. It must keep the key manageable by the account.
   * @default - `accountAdministration`: the account may do everything (IAM decides who)
   */
  readonly administration?: (scope: KeyScope) => PolicyStatement;
  /**
   * An alias name without the `alias/` prefix. Aliases are unique per account and region: include
   * the environment.
   * @default - no alias
   */
  readonly alias?: pulumi.Input<string>;
  /** @default 30 - the longest waiting period, so a mistaken deletion can be cancelled */
  readonly deletionWindowInDays?: number;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * The one way a component creates a customer-managed KMS key: rotation on, a 30-day deletion
 * window, an explicit key policy (never the implicit default) and an optional alias. Children are
 * named `${name}` and `${name}-alias`.
 */
export function createComponentKey(
  name: string,
  args: ComponentKeyArgs,
  opts: pulumi.CustomResourceOptions,
): aws.kms.Key {
  const accountId = aws.getCallerIdentityOutput({}, opts).accountId;
  const region = aws.getRegionOutput({}, opts).region;
  const statements = pulumi
    .all([accountId, region])
    .apply(([account, reg]) => pulumi.output(args.statements?.({ accountId: account, region: reg }) ?? []));
  const key = new aws.kms.Key(
    name,
    {
      description: args.description,
      enableKeyRotation: true,
      deletionWindowInDays: args.deletionWindowInDays ?? 30,
      policy: pulumi.all([accountId, region, statements]).apply(([account, reg, st]) => {
        const scope = { accountId: account, region: reg };
        return keyPolicy(scope, st as PolicyStatement[], args.administration?.(scope));
      }),
      tags: args.tags,
    },
    opts,
  );
  if (args.alias !== undefined) {
    new aws.kms.Alias(`${name}-alias`, { name: pulumi.interpolate`alias/${args.alias}`, targetKeyId: key.keyId }, opts);
  }
  return key;
}
