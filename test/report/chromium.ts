/**
 * Whether the tests that need a browser run, skip or fail.
 *
 * The browser tests drive Debian's Chromium (package `chromium`, at
 * /usr/bin/chromium) through playwright-core, which downloads no browser of
 * its own. `npm test` must pass on a machine with only Node.js and `npm ci`,
 * so without Chromium those tests are skipped, with the reason printed. In
 * CI a missing browser must not pass silently: when `CI` is `true` (set by
 * most CI services and by .ci/run) or `MXSIM_REQUIRE_CHROMIUM` is `1`, its
 * absence fails the tests instead.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where Debian's chromium package installs the browser. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export type ChromiumDecision = { run: true; executablePath: string } | { run: false; skip: string } | { run: false; fail: string };

type Env = Record<string, string | undefined>;

/** True when a missing Chromium must fail the tests: `CI=true` or `MXSIM_REQUIRE_CHROMIUM=1`. */
export function chromiumRequired(env: Env): boolean {
  return env.CI === 'true' || env.MXSIM_REQUIRE_CHROMIUM === '1';
}

/** /usr/bin/chromium, else the first `chromium` on PATH; undefined when there is none. */
export function findChromium(env: Env, exists: (path: string) => boolean = existsSync): string | undefined {
  if (exists(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'chromium');
    if (exists(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Run the browser tests with the Chromium found, skip them (with the reason)
 * or fail them (when Chromium is required and absent).
 *
 * @example
 * const chromium = chromiumDecision(process.env);
 * test('...', { skip: 'skip' in chromium ? chromium.skip : false }, async () => { ... });
 */
export function chromiumDecision(env: Env, exists: (path: string) => boolean = existsSync): ChromiumDecision {
  const path = findChromium(env, exists);
  if (path !== undefined) return { run: true, executablePath: path };
  const where = `no Chromium at ${DEBIAN_CHROMIUM} or as chromium on PATH`;
  const install = 'apt-get update && apt-get install -y --no-install-recommends chromium fonts-dejavu-core';
  if (chromiumRequired(env)) {
    const why = env.CI === 'true' ? 'CI=true' : 'MXSIM_REQUIRE_CHROMIUM=1';
    return { run: false, fail: `${where}, and ${why} requires the browser tests to run; install it: ${install}` };
  }
  return { run: false, skip: `${where}; to run the browser tests: ${install}` };
}
