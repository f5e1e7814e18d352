/**
 * Tiered prices with a free allowance and a base fee, as storage and egress
 * are sold.
 *
 * Tiers are ranges of the month's total quantity: a tier starting at
 * `fromGiB` prices the GiB from there to the next tier's start. The free
 * allowance covers the first `freeGiB` of the total (so it eats into the
 * first tier). A base fee is charged in any month with a quantity above 0.
 *
 * @example
 * // 0.09 up to 10 TiB, 0.085 above, first 100 GiB free: 1,000 GiB cost 900 x 0.09 = 81
 * ladderCost({ tiers: [{ fromGiB: 0, price: 0.09 }, { fromGiB: 10240, price: 0.085 }], freeGiB: 100, baseMonth: 0 }, 1000) // 81
 */
export interface Tier {
  fromGiB: number;
  /** Price per GiB (per GiB-month for storage), in the report currency. */
  price: number;
}

export interface Ladder {
  /** Sorted by fromGiB, the first starting at 0. */
  tiers: Tier[];
  freeGiB: number;
  baseMonth: number;
}

export function ladderCost(ladder: Ladder, quantityGiB: number): number {
  if (!(quantityGiB > 0)) return 0;
  let cost = ladder.baseMonth;
  const tiers = ladder.tiers;
  for (const [i, tier] of tiers.entries()) {
    const from = Math.max(tier.fromGiB, ladder.freeGiB);
    const to = Math.min(quantityGiB, tiers[i + 1]?.fromGiB ?? Infinity);
    if (to > from) cost += (to - from) * tier.price;
  }
  return cost;
}

/** The price of the first billable GiB (used to compare products and for backups). */
export function firstPrice(ladder: Ladder): number {
  return ladder.tiers[0]?.price ?? 0;
}
