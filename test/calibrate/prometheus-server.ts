/**
 * Whether the tests that need a Prometheus server run, skip or fail, as
 * test/analysis/redis.ts decides for Redis: they start Debian's `prometheus`
 * (package prometheus) on a free port of 127.0.0.1. Without it they are
 * skipped with the reason, unless `CI=true` or `MXSIM_REQUIRE_PROMETHEUS=1`,
 * where its absence fails them.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type PrometheusDecision = { run: true; executablePath: string } | { run: false; skip: string } | { run: false; fail: string };

type Env = Record<string, string | undefined>;

/** Where Debian's prometheus package installs the server. */
export const DEBIAN_PROMETHEUS = '/usr/bin/prometheus';

export function prometheusDecision(env: Env, exists: (path: string) => boolean = existsSync): PrometheusDecision {
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter((d) => d !== '')
    .map((d) => join(d, 'prometheus'))
    .find(exists);
  const path = exists(DEBIAN_PROMETHEUS) ? DEBIAN_PROMETHEUS : onPath;
  if (path !== undefined) return { run: true, executablePath: path };
  const where = `no prometheus at ${DEBIAN_PROMETHEUS} or on PATH`;
  const install = 'apt-get update && apt-get install -y --no-install-recommends prometheus';
  if (env.CI === 'true' || env.MXSIM_REQUIRE_PROMETHEUS === '1') {
    const why = env.CI === 'true' ? 'CI=true' : 'MXSIM_REQUIRE_PROMETHEUS=1';
    return { run: false, fail: `${where}, and ${why} requires the live calibration tests to run; install it: ${install}` };
  }
  return { run: false, skip: `${where}; to run the live calibration tests: ${install}` };
}
