const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * Bytes for people, in binary units (1 KiB = 1024 B): three significant
 * figures or so (2 decimals below 10, 1 below 100, none above).
 *
 * @param bytes a size or a traffic volume, in bytes.
 * @example formatBytes(1536) // '1.50 KiB'
 * @example formatBytes(3 * 1024 ** 3) // '3.00 GiB'
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  let v = Math.abs(bytes);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const text = u === 0 ? String(Math.round(v)) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${bytes < 0 ? '-' : ''}${text} ${UNITS[u]}`;
}
