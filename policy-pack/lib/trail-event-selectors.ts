// Whether a CloudTrail trail's event selectors record every read and write management event, the
// condition of FSBP CloudTrail.1 ("at least one multi-Region trail that captures read and write
// management events"). Pure, like judgements.ts: the audit passes GetEventSelectors' answer; a
// policy rule can pass a Trail's eventSelectors / advancedEventSelectors mapped to the same shape.

/** A classic event selector (EventSelectors), in plain form. AWS's defaults: All, true. */
export interface ClassicEventSelector {
  /** ReadOnly | WriteOnly | All; undefined reads as All (the API's default). */
  readonly readWriteType?: string;
  /** undefined reads as true (the API's default). */
  readonly includeManagementEvents?: boolean;
  readonly excludeManagementEventSources?: readonly string[];
}

/** One condition of an advanced event selector: the event matches when it satisfies every operator given. */
export interface FieldSelector {
  readonly field: string;
  readonly equals?: readonly string[];
  readonly startsWith?: readonly string[];
  readonly endsWith?: readonly string[];
  readonly notEquals?: readonly string[];
  readonly notStartsWith?: readonly string[];
  readonly notEndsWith?: readonly string[];
}

export interface AdvancedEventSelector {
  readonly name?: string;
  readonly fieldSelectors: readonly FieldSelector[];
}

/** A trail has either classic or advanced selectors, never both (GetEventSelectors returns one kind). */
export type TrailEventSelectors =
  | { readonly kind: "classic"; readonly selectors: readonly ClassicEventSelector[] }
  | { readonly kind: "advanced"; readonly selectors: readonly AdvancedEventSelector[] };

interface Coverage {
  readonly reads: boolean;
  readonly writes: boolean;
  /** Why this selector does not record every management event, when it does not. */
  readonly gap?: string;
}

const nonEmpty = (v: readonly string[] | undefined): v is readonly string[] => v !== undefined && v.length > 0;

/** Whether `value` satisfies every operator of `f` (CloudTrail ANDs the operators of one field). */
function admits(f: FieldSelector, value: string): boolean {
  if (nonEmpty(f.equals) && !f.equals.includes(value)) return false;
  if (nonEmpty(f.startsWith) && !f.startsWith.some((p) => value.startsWith(p))) return false;
  if (nonEmpty(f.endsWith) && !f.endsWith.some((p) => value.endsWith(p))) return false;
  if (f.notEquals?.includes(value)) return false;
  if (f.notStartsWith?.some((p) => value.startsWith(p))) return false;
  if (f.notEndsWith?.some((p) => value.endsWith(p))) return false;
  return true;
}

/** A field restricted by a positive operator (Equals, StartsWith, EndsWith) keeps only what matches. */
const restricts = (f: FieldSelector) => nonEmpty(f.equals) || nonEmpty(f.startsWith) || nonEmpty(f.endsWith);

function classicCoverage(s: ClassicEventSelector, i: number): Coverage {
  const where = `EventSelectors[${i}]`;
  if (s.includeManagementEvents === false)
    return { reads: false, writes: false, gap: `${where}: IncludeManagementEvents is false` };
  const type = s.readWriteType ?? "All";
  const reads = type === "All" || type === "ReadOnly";
  const writes = type === "All" || type === "WriteOnly";
  return { reads, writes, gap: reads && writes ? undefined : `${where}: ReadWriteType is ${type}` };
}

function advancedCoverage(s: AdvancedEventSelector, i: number): Coverage {
  const where = s.name ? `advanced selector "${s.name}"` : `AdvancedEventSelectors[${i}]`;
  const category = s.fieldSelectors.find((f) => f.field === "eventCategory");
  if (!category || !admits(category, "Management") || !restricts(category))
    return { reads: false, writes: false, gap: `${where}: no eventCategory = Management` };
  const readOnly = s.fieldSelectors.find((f) => f.field === "readOnly");
  const reads = !readOnly || admits(readOnly, "true");
  const writes = !readOnly || admits(readOnly, "false");
  // On management selectors the other fields (eventSource) may only exclude (NotEquals); a positive
  // operator keeps only some services' events.
  const narrowing = s.fieldSelectors.find((f) => !["eventCategory", "readOnly"].includes(f.field) && restricts(f));
  if (narrowing)
    return { reads: false, writes: false, gap: `${where}: records only the events whose ${narrowing.field} matches` };
  if (reads && writes) return { reads, writes };
  return {
    reads,
    writes,
    gap: `${where}: readOnly = ${reads ? "true" : "false"} (only ${reads ? "read" : "write"} events)`,
  };
}

/**
 * Undefined when the selectors, together, record read and write management events; otherwise what
 * is missing and which selector falls short. Excluded event sources (e.g. kms.amazonaws.com) do
 * not fail the check, as for CloudTrail.1; `managementEventExclusions` lists them.
 */
export function managementEventsProblem(selectors: TrailEventSelectors): string | undefined {
  const coverage =
    selectors.kind === "classic" ? selectors.selectors.map(classicCoverage) : selectors.selectors.map(advancedCoverage);
  if (!coverage.length)
    return `the trail has no ${selectors.kind === "advanced" ? "advanced " : ""}event selector: it records no management events`;
  const reads = coverage.some((c) => c.reads);
  const writes = coverage.some((c) => c.writes);
  if (reads && writes) return undefined;
  const missing = !reads && !writes ? "read and write" : reads ? "write" : "read";
  const gaps = coverage.flatMap((c) => (c.gap ? [c.gap] : []));
  return `${missing} management events are not recorded (${gaps.join("; ")})`;
}

/** The event sources a trail's management selectors leave out (ExcludeManagementEventSources, eventSource NotEquals). */
export function managementEventExclusions(selectors: TrailEventSelectors): string[] {
  const found =
    selectors.kind === "classic"
      ? selectors.selectors.flatMap((s) =>
          s.includeManagementEvents === false ? [] : [...(s.excludeManagementEventSources ?? [])],
        )
      : selectors.selectors.flatMap((s) =>
          s.fieldSelectors.filter((f) => f.field === "eventSource").flatMap((f) => [...(f.notEquals ?? [])]),
        );
  return [...new Set(found)];
}
