import * as v from "valibot";
import {
  observedClusterFields as cluster,
  hardenedDatabaseFields as db,
  databaseThresholdFields as dbThresholds,
  distinctServicesRule,
  fieldRule,
  instanceClassRules,
  list,
  logGroupFields,
  scalingFields,
  serviceFields,
  strictObject,
  tasksRule,
} from "../components/specs";
import type { ConfigReader } from "./validation";

// `huntaze:ecs` (ObservedCluster: the seeds' clusters and their services) and `huntaze:database`
// (HardenedDatabase: the existing RDS PostgreSQL instance), read against the components' specs
// (components/specs/observed-cluster.ts, hardened-database.ts): every format, range, default and
// rule is the component's. Both optional: a stack without them watches no cluster and touches no
// database. The only rules of the stack's own are the ones that depend on its environment.

/**
 * Both stacks share the account, so names carry the environment: every database identifier, and the
 * cluster names of any stack but production (which keeps the seeds' cluster names).
 */
function carriesEnvironment(environment: string, what: string, exempt: boolean) {
  return {
    allowed: `${what} containing "${environment}" (both stacks share the account)`,
    holds: (name: string) => exempt || name.includes(environment),
  };
}

const serviceBase = strictObject({
  name: serviceFields.name,
  taskDefinition: serviceFields.taskDefinition,
  /** @default huntaze:network.privateSubnetIds */
  subnetIds: v.optional(serviceFields.subnetIds),
  /** @default huntaze:network.appSecurityGroupIds */
  securityGroupIds: v.optional(serviceFields.securityGroupIds),
  minTasks: scalingFields.minTasks,
  maxTasks: scalingFields.maxTasks,
});
/** A `huntaze:ecs` service: the component's service fields, its scaling's minTasks and maxTasks. */
export const EcsServiceSpec = v.pipe(serviceBase, tasksRule<v.InferOutput<typeof serviceBase>>());

/** A `huntaze:ecs` cluster's log group: the component's log group fields. */
export const EcsLogGroupSpec = strictObject(logGroupFields);

/** A `huntaze:ecs` cluster: the component's clusterName (as `name`), containerInsights, services, logGroups. */
export const ecsClusterFields = {
  name: cluster.clusterName,
  containerInsights: cluster.containerInsights,
  services: v.optional(list(EcsServiceSpec)),
  // The component's default (`/ecs/<name>`) applies when left out.
  logGroups: v.optional(list(EcsLogGroupSpec)),
};

/** `huntaze:ecs` for a stack of `environment`. */
export function ecsSectionSpec(environment: string) {
  const base = strictObject(ecsClusterFields);
  type Cluster = v.InferOutput<typeof base>;
  const env = carriesEnvironment(environment, "a cluster name", environment === "production");
  const clusterSpec = v.pipe(
    base,
    distinctServicesRule<Cluster>(),
    fieldRule<Cluster>(["name"], "name", env.allowed, (c) => env.holds(c.name)),
  );
  const section = strictObject({ clusters: v.optional(list(clusterSpec)) });
  type Section = v.InferOutput<typeof section>;
  return v.pipe(
    section,
    fieldRule<Section>(["clusters.$.name"], "clusters", "clusters with distinct names", (s) => {
      const names = (s.clusters ?? []).map((c) => c.name);
      return new Set(names).size === names.length;
    }),
  );
}

/** `huntaze:database.alarms`: the component's thresholds of the same names. */
export const DatabaseAlarmsSpec = strictObject({
  cpuPercent: dbThresholds.cpuPercent,
  freeableMemoryBytes: dbThresholds.freeableMemoryBytes,
  connectionsPercent: dbThresholds.connectionsPercent,
});

/** `huntaze:database.performanceInsights`: `kmsKeyId` is the component's performanceInsightsKmsKeyId. */
export const DatabasePerformanceInsightsSpec = strictObject({ kmsKeyId: db.performanceInsightsKmsKeyId });

export const databaseFields = {
  identifier: db.identifier,
  instanceClass: db.instanceClass,
  engineVersion: db.engineVersion,
  logMinDurationStatementMs: db.logMinDurationStatementMs,
  maxConnections: db.maxConnections,
  multiAz: db.multiAz,
  applyImmediately: db.applyImmediately,
  performanceInsights: v.optional(DatabasePerformanceInsightsSpec),
  alarms: v.optional(DatabaseAlarmsSpec),
};

/** `huntaze:database` for a stack of `environment`: the component's fields and instance class rules. */
export function databaseSectionSpec(environment: string) {
  const base = strictObject(databaseFields);
  type Database = v.InferOutput<typeof base>;
  const env = carriesEnvironment(environment, "an identifier", false);
  return v.pipe(
    base,
    ...instanceClassRules<Database>(),
    fieldRule<Database>(["identifier"], "identifier", env.allowed, (d) => env.holds(d.identifier)),
  );
}

export type EcsClusterConfig = NonNullable<v.InferOutput<ReturnType<typeof ecsSectionSpec>>["clusters"]>[number];
type DatabaseSection = v.InferOutput<ReturnType<typeof databaseSectionSpec>>;
/** `huntaze:database`, its `performanceInsights.kmsKeyId` under the component's argument name. */
export type DatabaseConfig = Omit<DatabaseSection, "performanceInsights"> & {
  readonly performanceInsightsKmsKeyId?: string;
};

export interface ObservabilityConfig {
  readonly clusters: EcsClusterConfig[];
  readonly database?: DatabaseConfig;
}

/** Reads `huntaze:ecs` and `huntaze:database` from the namespace reader `c`. */
export function readObservabilityConfig(c: ConfigReader, environment: string): ObservabilityConfig {
  const ecs = c.spec("ecs", v.optional(ecsSectionSpec(environment)));
  const section = c.spec("database", v.optional(databaseSectionSpec(environment)));
  if (!section) return { clusters: ecs?.clusters ?? [] };
  const { performanceInsights, ...database } = section;
  return {
    clusters: ecs?.clusters ?? [],
    database: { ...database, performanceInsightsKmsKeyId: performanceInsights?.kmsKeyId },
  };
}
