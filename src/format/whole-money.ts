import { formatCount } from './count.js';

/**
 * An amount of money in whole units with its currency, for chart labels
 * where cents are noise.
 *
 * @param x an amount in `currency`.
 * @param currency an ISO 4217 code, e.g. 'USD'.
 * @example formatWholeMoney(44598.6, 'USD') // '44,599 USD'
 */
export function formatWholeMoney(x: number, currency: string): string {
  return `${formatCount(x)} ${currency}`;
}
