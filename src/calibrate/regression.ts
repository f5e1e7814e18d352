/**
 * Robust non-negative linear regression with an intercept, and the
 * diagnostics the fit needs: Huber's M-estimator by iteratively reweighted
 * least squares, coefficients held at zero or above, and variance inflation
 * factors to find the columns the data cannot tell apart.
 *
 * Huber IRLS (Huber 1964; Holland and Welsch 1977, "Robust regression using
 * iteratively reweighted least-squares"): with residuals r_i and the scale
 * s = MAD(r) / 0.6745, weight each point w_i = min(1, k / |r_i / s|) with
 * k = 1.345 (95% efficiency under normal errors), solve the weighted least
 * squares, and repeat until the coefficients settle.
 *
 * Non-negativity: an active set. Solve on the free columns; while one is
 * negative, pin the most negative at zero and solve again (the
 * Lawson-Hanson idea without its re-admission step: a pinned column stays
 * pinned for this solve, and is free again at the next IRLS iteration).
 */

/** Huber's tuning constant: 95% efficiency at the normal (Holland and Welsch 1977). */
export const HUBER_K = 1.345;
/** MAD of a normal sample over its standard deviation. */
const MAD_NORMAL = 0.6745;
const MAX_ITERATIONS = 50;
const TOLERANCE = 1e-9;

/**
 * Weighted least squares of y on the columns `cols` (an intercept first
 * when `intercept`), by the normal equations with each column scaled to unit
 * norm and a Cholesky factorisation. Returns null when singular.
 */
function weightedLeastSquares(cols: readonly Float64Array[], y: Float64Array, w: Float64Array): number[] | null {
  const p = cols.length;
  const n = y.length;
  const scale = cols.map((c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += w[i]! * c[i]! * c[i]!;
    return s > 0 ? Math.sqrt(s) : 1;
  });
  const a = Array.from({ length: p }, () => new Float64Array(p));
  const b = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const cj = cols[j]!;
    for (let k = 0; k <= j; k++) {
      const ck = cols[k]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i]! * cj[i]! * ck[i]!;
      a[j]![k] = a[k]![j] = s / (scale[j]! * scale[k]!);
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += w[i]! * cj[i]! * y[i]!;
    b[j] = s / scale[j]!;
  }
  // Cholesky: a = L L^T.
  const l = Array.from({ length: p }, () => new Float64Array(p));
  for (let j = 0; j < p; j++) {
    let d = a[j]![j]!;
    for (let k = 0; k < j; k++) d -= l[j]![k]! ** 2;
    if (!(d > 1e-12)) return null;
    l[j]![j] = Math.sqrt(d);
    for (let i = j + 1; i < p; i++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = s / l[j]![j]!;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * z[k]!;
    z[i] = s / l[i]![i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return Array.from(x, (v, j) => v / scale[j]!);
}

/**
 * Non-negative weighted least squares by the active set above; columns that
 * cannot be solved are pinned at zero. Also fits the pre-flight estimate
 * (scripts/fit-preflight.ts).
 */
export function nonNegative(cols: readonly Float64Array[], y: Float64Array, w: Float64Array): number[] {
  const free = cols.map(() => true);
  for (;;) {
    const idx = free.flatMap((f, j) => (f ? [j] : []));
    const beta = new Array<number>(cols.length).fill(0);
    if (idx.length === 0) return beta;
    const sol = weightedLeastSquares(
      idx.map((j) => cols[j]!),
      y,
      w,
    );
    if (sol === null) {
      // Singular: pin the last free column and try again (callers drop collinear columns first).
      free[idx[idx.length - 1]!] = false;
      continue;
    }
    idx.forEach((j, k) => (beta[j] = sol[k]!));
    let worst = -1;
    for (const j of idx) if (beta[j]! < 0 && (worst < 0 || beta[j]! < beta[worst]!)) worst = j;
    if (worst < 0) return beta;
    free[worst] = false;
  }
}

function median(xs: ArrayLike<number>): number {
  const s = Array.from(xs).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface RobustFit {
  /** Coefficients in the order of the columns given (the intercept first). */
  beta: number[];
  residuals: Float64Array;
  /** The robust scale of the residuals, MAD / 0.6745. */
  scale: number;
  iterations: number;
}

/** Huber IRLS with non-negative coefficients (see the module header). The first column is usually all ones (the intercept). */
export function huberFit(cols: readonly Float64Array[], y: Float64Array): RobustFit {
  const n = y.length;
  const w = new Float64Array(n).fill(1);
  let beta = nonNegative(cols, y, w);
  const residuals = new Float64Array(n);
  let scale = 0;
  let iterations = 0;
  const residualsOf = (b: number[]) => {
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < cols.length; j++) f += b[j]! * cols[j]![i]!;
      residuals[i] = y[i]! - f;
    }
  };
  for (; iterations < MAX_ITERATIONS; iterations++) {
    residualsOf(beta);
    scale = median(residuals.map(Math.abs)) / MAD_NORMAL;
    if (!(scale > 0)) break;
    for (let i = 0; i < n; i++) {
      const u = Math.abs(residuals[i]! / scale);
      w[i] = u <= HUBER_K ? 1 : HUBER_K / u;
    }
    const next = nonNegative(cols, y, w);
    const change = next.reduce((m, v, j) => Math.max(m, Math.abs(v - beta[j]!) / Math.max(1e-12, Math.abs(beta[j]!))), 0);
    beta = next;
    if (change < TOLERANCE) break;
  }
  residualsOf(beta);
  return { beta, residuals, scale, iterations };
}

/** R^2 = 1 - SS_residual / SS_total (about y's mean); 0 when y is constant. */
export function rSquared(y: ArrayLike<number>, residuals: ArrayLike<number>): number {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]! / n;
  let tot = 0;
  let res = 0;
  for (let i = 0; i < n; i++) {
    tot += (y[i]! - mean) ** 2;
    res += residuals[i]! ** 2;
  }
  return tot > 0 ? 1 - res / tot : 0;
}

/** Sample standard deviation. */
export function sd(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i]! / n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i]! - mean) ** 2;
  return Math.sqrt(s / (n - 1));
}

/**
 * The variance inflation factor of column j among `cols` (no intercept
 * column; each is centred here): 1 / (1 - R^2_j), R^2_j of column j regressed
 * on the others by ordinary least squares. Infinity when it is a combination
 * of them.
 */
export function varianceInflation(cols: readonly Float64Array[], j: number): number {
  const centre = (c: Float64Array) => {
    let m = 0;
    for (const v of c) m += v / c.length;
    return c.map((v) => v - m);
  };
  const y = centre(cols[j]!);
  const others = cols.filter((_, k) => k !== j).map(centre);
  if (others.length === 0) return 1;
  const w = new Float64Array(y.length).fill(1);
  const beta = weightedLeastSquares(others, y, w);
  if (beta === null) return Infinity;
  const res = y.map((v, i) => v - others.reduce((s, c, k) => s + beta[k]! * c[i]!, 0));
  const r2 = rSquared(y, res);
  return r2 >= 1 - 1e-12 ? Infinity : 1 / (1 - r2);
}
