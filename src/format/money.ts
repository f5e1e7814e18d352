import { formatAmount } from './amount.js';

/**
 * An amount of money with its currency, to the cent: every figure in mxsim
 * keeps its currency (src/cost/currency.ts), so it is always printed with it.
 *
 * @param x an amount in `currency`.
 * @param currency an ISO 4217 code, e.g. 'USD'.
 * @example formatMoney(1313.949, 'USD') // '1,313.95 USD'
 */
export function formatMoney(x: number, currency: string): string {
  return `${formatAmount(x)} ${currency}`;
}
