/**
 * Numbers as people read them, one function per file, shared by the CLI,
 * the reports and the cost tables so a figure reads the same everywhere.
 * Imports only src/numeric/.
 */
export { formatAmount } from './amount.js';
export { formatBytes } from './bytes.js';
export { formatCount } from './count.js';
export { formatMilliseconds, formatSeconds } from './milliseconds.js';
export { formatMoney } from './money.js';
export { formatNumber } from './number.js';
export { formatShare } from './share.js';
export { formatWholeMoney } from './whole-money.js';
