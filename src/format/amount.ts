/**
 * An amount of money without its currency: two decimals and thousands
 * separators, as in the cost tables.
 *
 * @param x an amount, in any currency.
 * @example formatAmount(1313.949) // '1,313.95'
 */
export function formatAmount(x: number): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
