/**
 * SVG ids made unique per chart: a string function of its own, so that a
 * page built without drawing charts does not load Vega (report/vega.ts).
 */

/**
 * Make the element ids of an SVG unique to one chart (`prefix-...`), so
 * several SVGs inlined in one HTML page cannot resolve each other's clip
 * paths or gradients.
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/\b(xlink:href|href)="#([^"]+)"/g, (_, attr: string, id: string) => `${attr}="#${prefix}-${id}"`);
}
