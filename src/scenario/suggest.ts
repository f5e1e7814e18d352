/**
 * "Did you mean ...?" for misspelt field names: the optimal string alignment
 * distance (Damerau-Levenshtein where a transposition of two neighbouring
 * letters counts as one edit, and no substring is edited twice).
 */

/**
 * Optimal string alignment distance between `a` and `b`: insertions,
 * deletions, substitutions and transpositions of adjacent characters each
 * cost 1. Case-sensitive; `closest` compares lower-cased names.
 */
export function osaDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Rows i - 2, i - 1 and i of d, where d[i][j] = distance between a[0..i)
  // and b[0..j); each has m + 1 entries and every index below is at most m.
  let before = new Int32Array(m + 1);
  let previous = Int32Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const row = new Int32Array(m + 1);
    row[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, before[j - 2]! + 1);
      }
      row[j] = best;
    }
    before = previous;
    previous = row;
  }
  return previous[m]!;
}

/** The largest distance at which a name is still suggested for `word`. */
export function suggestionThreshold(word: string): number {
  return Math.max(2, Math.floor(word.length / 3));
}

/**
 * The candidate closest to `word`, or undefined when none is close enough
 * (distance <= max(2, length / 3)). Case is ignored, so a name differing only
 * in case is at distance 0. Ties go to the earlier candidate.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const limit = suggestionThreshold(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = osaDistance(w, c.toLowerCase());
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
