/**
 * Numerics shared by every layer: one small pure function per file, each
 * with its units, an example and where its method comes from. Nothing here
 * imports from another folder of the project, so any layer may use it.
 */
export { binIndex } from './bin-index.js';
export { logGamma } from './log-gamma.js';
export { roundDecimals } from './round-decimals.js';
export { roundSignificant } from './round-significant.js';
export { standardNormal } from './standard-normal.js';
