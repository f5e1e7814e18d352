/**
 * Whether the tests that need a Redis server run, skip or fail, as
 * test/report/chromium.ts decides for Chromium: they start Debian's
 * `redis-server` (package redis-server) on a free port of 127.0.0.1. Without
 * it they are skipped with the reason, unless `CI=true` or
 * `MXSIM_REQUIRE_REDIS=1`, where its absence fails them.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type RedisDecision = { run: true; executablePath: string } | { run: false; skip: string } | { run: false; fail: string };

type Env = Record<string, string | undefined>;

/** Where Debian's redis-server package installs the server. */
export const DEBIAN_REDIS = '/usr/bin/redis-server';

export function redisDecision(env: Env, exists: (path: string) => boolean = existsSync): RedisDecision {
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter((d) => d !== '')
    .map((d) => join(d, 'redis-server'))
    .find(exists);
  const path = exists(DEBIAN_REDIS) ? DEBIAN_REDIS : onPath;
  if (path !== undefined) return { run: true, executablePath: path };
  const where = `no redis-server at ${DEBIAN_REDIS} or on PATH`;
  const install = 'apt-get update && apt-get install -y --no-install-recommends redis-server';
  if (env.CI === 'true' || env.MXSIM_REQUIRE_REDIS === '1') {
    const why = env.CI === 'true' ? 'CI=true' : 'MXSIM_REQUIRE_REDIS=1';
    return { run: false, fail: `${where}, and ${why} requires the job queue tests to run; install it: ${install}` };
  }
  return { run: false, skip: `${where}; to run the job queue tests: ${install}` };
}
