/**
 * Catalog rows grouped by a key, in the order each key first appears. Every
 * group has at least one row, and its type says so: `group[0]` is a row.
 *
 * @example groupBy(rows, (r) => `${r.vendor}/${r.plan}`)
 */
export function groupBy<T>(rows: Iterable<T>, key: (row: T) => string): Map<string, [T, ...T[]]> {
  const groups = new Map<string, [T, ...T[]]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
