/**
 * The rule for the browser tests (./chromium.ts), on made-up machines: run
 * when Chromium is found, skip with the reason when it is absent, fail when
 * it is absent and CI=true or MXSIM_REQUIRE_CHROMIUM=1.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromiumDecision, chromiumRequired, DEBIAN_CHROMIUM } from './chromium.js';

/** A file system holding exactly `paths`. */
const holding =
  (...paths: string[]) =>
  (p: string) =>
    paths.includes(p);

test("Debian's /usr/bin/chromium is used first, else chromium on PATH", () => {
  assert.deepEqual(chromiumDecision({ PATH: '/opt/bin:/usr/local/bin' }, holding(DEBIAN_CHROMIUM, '/opt/bin/chromium')), {
    run: true,
    executablePath: DEBIAN_CHROMIUM,
  });
  assert.deepEqual(chromiumDecision({ PATH: '/opt/bin::/usr/local/bin' }, holding('/usr/local/bin/chromium')), {
    run: true,
    executablePath: '/usr/local/bin/chromium',
  });
});

test('without Chromium the tests skip, saying what is missing and how to install it', () => {
  const d = chromiumDecision({ PATH: '/usr/bin:/bin' }, holding());
  assert.ok('skip' in d, JSON.stringify(d));
  assert.match(d.skip, /no Chromium at \/usr\/bin\/chromium or as chromium on PATH/);
  assert.match(d.skip, /apt-get install .*chromium/);
  // Other values of CI do not count: CI services set it to "true".
  for (const env of [{ CI: 'false' }, { CI: '' }, { MXSIM_REQUIRE_CHROMIUM: '0' }, {}]) {
    assert.equal(chromiumRequired(env), false, JSON.stringify(env));
    assert.ok('skip' in chromiumDecision(env, holding()), JSON.stringify(env));
  }
});

test('without Chromium under CI=true or MXSIM_REQUIRE_CHROMIUM=1 the tests fail, naming the setting', () => {
  const ci = chromiumDecision({ CI: 'true' }, holding());
  assert.ok('fail' in ci, JSON.stringify(ci));
  assert.match(ci.fail, /CI=true requires the browser tests to run/);
  const required = chromiumDecision({ MXSIM_REQUIRE_CHROMIUM: '1' }, holding());
  assert.ok('fail' in required, JSON.stringify(required));
  assert.match(required.fail, /MXSIM_REQUIRE_CHROMIUM=1 requires the browser tests to run/);
  // Required and present: run.
  assert.deepEqual(chromiumDecision({ CI: 'true' }, holding(DEBIAN_CHROMIUM)), { run: true, executablePath: DEBIAN_CHROMIUM });
});
