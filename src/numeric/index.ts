/**
 * Numerics shared by every layer: one small pure function per file, each
 * with its units, an example and where its method comes from. Nothing here
 * imports from another folder of the project, so any layer may use it.
 */
export { binIndex } from './bin-index.js';
export { binomial } from './binomial.js';
export { logGamma } from './log-gamma.js';
export { roundDecimals } from './round-decimals.js';
export { roundSignificant } from './round-significant.js';
export { searchCumulative } from './search-cumulative.js';
export { standardNormal } from './standard-normal.js';
export { firstInvalidUtf8 } from './utf8.js';
