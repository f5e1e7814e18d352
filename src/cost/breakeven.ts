/**
 * When self-hosting becomes cheaper than a SaaS plan.
 *
 * Month: the first month m at which the cumulative self-host cost (setup
 * included) is at or below the cumulative SaaS cost. When both monthly costs
 * are constant (no growth, no storage growth, no host change) the lines are
 * straight and the crossing has a closed form:
 *
 *   setup + a m = b m   =>   m* = setup / (b - a)   (b > a; never when b <= a)
 *
 * where a is the self-host monthly cost and b the SaaS monthly cost; the first
 * whole month is ceil(m*). Otherwise the cumulative series are scanned.
 *
 * Users: the smallest user count N from which self-hosting's monthly cost
 * (month 1 of a deployment sized for N users, setup excluded) stays at or
 * below the SaaS cost for N users, up to 100 x the scenario's users. Hosts and
 * labour come in steps, so self-host cost per user falls with scale but not
 * smoothly; the scan uses a 1% grid and refines by bisection between the last
 * grid point above and the first below. With linear costs, self(N) = F + v N
 * against p N, the closed form is N* = F / (p - v).
 */

/** m* = setup / (saas - self), or null when SaaS is not dearer per month. 0 when there is no setup and SaaS is dearer. */
export function breakEvenMonthLinear(setup: number, selfMonthly: number, saasMonthly: number): number | null {
  if (!(saasMonthly > selfMonthly)) return setup <= 0 && saasMonthly === selfMonthly ? 0 : null;
  return Math.max(0, setup) / (saasMonthly - selfMonthly);
}

/** N* = fixed / (pricePerUser - selfPerUser), or null when SaaS is not dearer per user. */
export function breakEvenUsersLinear(fixed: number, selfPerUser: number, pricePerUser: number): number | null {
  if (!(pricePerUser > selfPerUser)) return null;
  return Math.max(0, fixed) / (pricePerUser - selfPerUser);
}

/** First month (1-based) where selfCum <= saasCum, or null. */
export function firstMonthCheaper(selfCumulative: readonly number[], saasCumulative: readonly number[]): number | null {
  for (const [i, self] of selfCumulative.entries()) {
    const saas = saasCumulative[i];
    if (saas !== undefined && self <= saas + 1e-9) return i + 1;
  }
  return null;
}

/** True when every value equals the first (to a cent fraction). */
export function isConstant(values: readonly number[]): boolean {
  const [first] = values;
  return first === undefined || values.every((v) => Math.abs(v - first) < 1e-9);
}

/**
 * Smallest N in [1, maxUsers] from which `diff(N) = self(N) - saas(N) <= 0`
 * holds on the grid up to maxUsers; null when it does not hold at maxUsers.
 * `diff` is evaluated on a geometric grid (ratio `step`), then bisected.
 */
export function breakEvenUsersScan(diff: (n: number) => number, maxUsers: number, step = 1.01): number | null {
  const grid: number[] = [];
  for (let n = 1; n < maxUsers; n = Math.max(n + 1, Math.ceil(n * step))) grid.push(n);
  grid.push(Math.ceil(maxUsers));
  // The last grid point where diff > 0, and the grid point after it.
  let lo: number | null = null;
  let hi: number | null = null;
  for (const n of grid) {
    if (diff(n) > 1e-9) {
      lo = n;
      hi = null;
    } else if (lo !== null && hi === null) hi = n;
  }
  if (lo === null) return 1;
  if (hi === null) return null;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (diff(mid) > 1e-9) lo = mid;
    else hi = mid;
  }
  return hi;
}
