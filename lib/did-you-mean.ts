// "Did you mean" for typos in config keys, rule names and command-line flags: the closest allowed
// name by edit distance, offered only when it is close enough to be a plausible typo.

/**
 * Edit distance, case-insensitive: Levenshtein (insertions, deletions, substitutions) plus the
 * transposition of two adjacent letters as one edit (optimal string alignment), the commonest typo.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? 0;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(s.length, t.length);
}

/**
 * The allowed name closest to `given`, when at most a third of its length (at least 1, at most 3
 * edits) away; undefined when nothing is that close. Ties go to the first in `allowed`.
 */
export function closest(given: string, allowed: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(given.length / 3)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of allowed) {
    const d = editDistance(given, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** " (did you mean X?)" for the closest allowed name, or "" when none is close. */
export function didYouMean(
  given: string,
  allowed: Iterable<string>,
  show: (name: string) => string = (n) => n,
): string {
  const match = closest(given, allowed);
  return match === undefined ? "" : ` (did you mean ${show(match)}?)`;
}
