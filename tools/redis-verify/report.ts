// Pure verdicts and report formatting: what counts as lost, what the exit code is, and how the
// result is printed. No I/O here.

/** What one source key looks like on one server. `pttl`: -1 no TTL, -2 gone, else milliseconds. */
export interface KeyState {
  type: string;
  pttl: number;
  /** Content digest; absent when not read (key gone, or types already differ). */
  digest?: string;
}

export type KeyVerdict =
  | { kind: "same" }
  | { kind: "vanished" }
  | { kind: "missing" }
  | { kind: "different"; reason: "type" | "ttl" | "content" };

/**
 * Compares a key's state on the source and the target. Only TTL *presence* is compared: the
 * exact remaining time moves between the two reads and after a restore.
 */
export function judgeKey(source: KeyState, target: KeyState): KeyVerdict {
  // Expired or deleted on the source since SCAN returned it: nothing to compare.
  if (source.type === "none" || source.pttl === -2) return { kind: "vanished" };
  if (target.type === "none" || target.pttl === -2) return { kind: "missing" };
  if (source.type !== target.type) return { kind: "different", reason: "type" };
  if (source.pttl >= 0 !== target.pttl >= 0) return { kind: "different", reason: "ttl" };
  if (source.digest !== target.digest) return { kind: "different", reason: "content" };
  return { kind: "same" };
}

/** Keys printed the way redis-cli does: printable ASCII as is, other bytes as \xNN. */
export function displayKey(key: Buffer): string {
  let out = "";
  for (const byte of key) {
    if (byte === 0x5c) out += "\\\\";
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return out;
}

export const SAMPLE_LIMIT = 20;

export interface DifferentSample {
  key: string;
  reason: "type" | "ttl" | "content";
}

export interface VerifyCounts {
  /** Source keys compared (SCAN results that still existed on the source). */
  compared: number;
  missing: number;
  different: number;
  extra: number;
  /** Source keys gone between SCAN and the read (expired or deleted): not compared. */
  vanished: number;
  /** Keys returned by SCAN. SCAN may return a key twice while a table is rehashing. */
  sourceKeys: number;
  targetKeys: number;
}

export interface VerifyReport extends VerifyCounts {
  seconds: number;
  samples: { missing: string[]; different: DifferentSample[]; extra: string[] };
}

/** Collects counts and at most {@link SAMPLE_LIMIT} distinct sample names per kind. */
export class ReportBuilder {
  readonly counts: VerifyCounts = {
    compared: 0,
    missing: 0,
    different: 0,
    extra: 0,
    vanished: 0,
    sourceKeys: 0,
    targetKeys: 0,
  };
  private readonly missingSamples = new Set<string>();
  private readonly differentSamples = new Map<string, DifferentSample>();
  private readonly extraSamples = new Set<string>();

  record(key: Buffer, verdict: KeyVerdict): void {
    if (verdict.kind === "vanished") {
      this.counts.vanished++;
      return;
    }
    this.counts.compared++;
    if (verdict.kind === "missing") {
      this.counts.missing++;
      if (this.missingSamples.size < SAMPLE_LIMIT) this.missingSamples.add(displayKey(key));
    } else if (verdict.kind === "different") {
      this.counts.different++;
      if (this.differentSamples.size < SAMPLE_LIMIT) {
        const name = displayKey(key);
        this.differentSamples.set(name, { key: name, reason: verdict.reason });
      }
    }
  }

  recordExtra(key: Buffer): void {
    this.counts.extra++;
    if (this.extraSamples.size < SAMPLE_LIMIT) this.extraSamples.add(displayKey(key));
  }

  build(seconds: number): VerifyReport {
    return {
      ...this.counts,
      seconds: Math.round(seconds * 1000) / 1000,
      samples: {
        missing: [...this.missingSamples],
        different: [...this.differentSamples.values()],
        extra: [...this.extraSamples],
      },
    };
  }
}

export const EXIT_OK = 0;
export const EXIT_LOST = 1;
export const EXIT_USAGE = 2;

/**
 * 0 when nothing was lost or changed. Extra keys on the target are normal after a cutover (the
 * application already writes there), so they fail the run only with --strict.
 */
export function exitCodeFor(report: VerifyCounts, strict: boolean): number {
  if (report.missing > 0 || report.different > 0) return EXIT_LOST;
  if (strict && report.extra > 0) return EXIT_LOST;
  return EXIT_OK;
}

export function keysPerSecond(keys: number, seconds: number): number {
  return seconds > 0 ? Math.round(keys / seconds) : keys;
}

export function formatJson(report: VerifyReport, extra: Record<string, unknown> = {}): string {
  const { compared, missing, different, extra: extraKeys, vanished, sourceKeys, targetKeys, seconds, samples } = report;
  return JSON.stringify({
    compared,
    missing,
    different,
    extra: extraKeys,
    vanished,
    sourceKeys,
    targetKeys,
    seconds,
    ...extra,
    samples,
  });
}

export function formatText(report: VerifyReport, context: { source: string; target: string; strict: boolean }): string {
  const lines = [
    `source: ${context.source}`,
    `target: ${context.target}`,
    `compared ${report.compared} source keys in ${report.seconds.toFixed(1)} s (${keysPerSecond(report.sourceKeys + report.targetKeys, report.seconds)} keys/s scanned)`,
    `source keys: ${report.sourceKeys}   target keys: ${report.targetKeys}   vanished during the run: ${report.vanished}`,
    `missing:   ${report.missing}`,
    `different: ${report.different}`,
    `extra:     ${report.extra}${report.extra > 0 && !context.strict ? " (not a failure without --strict)" : ""}`,
  ];
  const sample = (title: string, names: string[], total: number) => {
    if (names.length === 0) return;
    lines.push(`${title} (${names.length < total ? `first ${names.length} of ${total}` : `${total}`}):`);
    for (const name of names) lines.push(`  ${name}`);
  };
  sample("missing on the target", report.samples.missing, report.missing);
  sample(
    "different on the target",
    report.samples.different.map((d) => `${d.key}  [${d.reason}]`),
    report.different,
  );
  sample("extra on the target", report.samples.extra, report.extra);
  const code = exitCodeFor(report, context.strict);
  lines.push(
    code === EXIT_OK
      ? "result: OK, nothing missing or different"
      : report.missing > 0 || report.different > 0
        ? "result: FAILED, keys are missing or different on the target"
        : "result: FAILED (--strict), the target has keys the source does not",
  );
  return `${lines.join("\n")}\n`;
}
