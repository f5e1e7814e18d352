/**
 * From a Vega-Lite spec to pictures, in Node and offline: vega-lite compiles
 * the spec to Vega, vega renders it headless to an SVG string (text widths
 * are estimated, so the same spec gives the same SVG on every machine), and
 * resvg rasterises the SVG to PNG with the machine's own fonts.
 *
 * Nothing here touches the network: the specs carry their data inline and
 * the Vega loader refuses to load anything.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { parse, resetSVGDefIds, View, type Loader } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { isBold, textWidth } from './text-metrics.js';

/** Font resvg uses for any family it cannot find (fonts-dejavu-core on Debian). */
export const DEFAULT_FONT = 'DejaVu Sans';

/** A Vega-Lite or Vega problem, with the chart it came from. */
export class ChartError extends Error {
  constructor(
    readonly chart: string,
    message: string,
  ) {
    super(`chart ${chart}: ${message}`);
    this.name = 'ChartError';
  }
}

/** A Vega logger that keeps warnings (and throws nothing). */
function collectingLogger(warnings: string[]) {
  let level = 2; // vega.Warn
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: unknown[]) {
      warnings.push(`error: ${text(args)}`);
      return logger;
    },
    warn(...args: unknown[]) {
      warnings.push(text(args));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

/** A Vega loader that loads nothing: report charts must carry their data inline. */
const refuse = (what: string): Promise<never> => Promise.reject(new Error(`charts load nothing at run time (asked for ${what})`));
const offlineLoader = {
  load: refuse,
  sanitize: refuse,
  http: refuse,
  file: refuse,
} as unknown as Loader;

export interface RenderedSvg {
  svg: string;
  /** Warnings from vega-lite and vega (none expected for the report's charts). */
  warnings: string[];
}

/** Compile a Vega-Lite spec to Vega; throws ChartError when vega-lite rejects it. */
export function compileSpec(spec: TopLevelSpec, name = 'chart', warnings: string[] = []) {
  try {
    return compile(structuredClone(spec), { logger: collectingLogger(warnings) }).spec;
  } catch (e) {
    throw new ChartError(name, (e as Error).message);
  }
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

/**
 * Vega measures text with a canvas when there is one and otherwise guesses
 * 0.8 em a character; this plugs in DejaVu Sans' own widths instead (the hook
 * vl-convert uses), the same on every machine.
 */
function useFontMetrics(): void {
  // Vega passes one line of a text mark: a string, or a number or nothing as the mark's datum gives it.
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: string | number | boolean | null | undefined) => number } }).textMetrics;
  metrics.width = (item, text) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const line = text == null ? '' : String(text).trim();
    const width = textWidth(line, size, isBold(item.fontWeight));
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}

/** Render a Vega-Lite spec to a standalone SVG document. */
export async function renderSvg(spec: TopLevelSpec, name = 'chart'): Promise<RenderedSvg> {
  const warnings: string[] = [];
  // vega-lite and vega annotate the data objects they are given: both work on copies.
  const vg = compileSpec(spec, name, warnings);
  useFontMetrics();
  // Clip-path and gradient ids count up from a global counter: start each chart afresh.
  resetSVGDefIds();
  const view = new View(parse(vg), { renderer: 'none', loader: offlineLoader, logger: collectingLogger(warnings), logLevel: 2 });
  try {
    const svg = await view.toSVG();
    return { svg, warnings };
  } catch (e) {
    throw new ChartError(name, (e as Error).message);
  } finally {
    view.finalize();
  }
}

/**
 * Rasterise an SVG to PNG at `zoom` times its size (2 gives crisp images on
 * high-density screens and in README files). Fonts come from the system.
 */
export function svgToPng(svg: string, zoom = 2): Uint8Array {
  return new Uint8Array(rasterize(svg, zoom).asPng());
}

/** The rasterised image (PNG bytes with `asPng()`, RGBA with `pixels`, `width`, `height`). */
export function rasterize(svg: string, zoom = 2) {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    font: { loadSystemFonts: true, defaultFontFamily: DEFAULT_FONT, sansSerifFamily: DEFAULT_FONT },
    background: 'white',
  });
  return resvg.render();
}

export { prefixSvgIds } from './svg-ids.js';
