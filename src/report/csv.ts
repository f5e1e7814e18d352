/** CSV text from rows: RFC 4180 quoting where a field needs it, numbers as JavaScript prints them. */
export type Cell = string | number | null;

function field(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** @example toCsv(['a', 'b'], [[1, 'x,y']]) // 'a,b\n1,"x,y"\n' */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}
