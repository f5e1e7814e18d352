/** The golden summary and fingerprint of team-50 (test/golden/golden.ts says how they work). */
import { goldenTest } from './golden.js';

goldenTest('team-50');
