/** The golden summary and fingerprint of company-2000, a whole scenario at full size (test/golden/golden.ts says how they work). */
import { goldenTest } from './golden.js';

goldenTest('company-2000');
