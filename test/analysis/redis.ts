/**
 * Whether the tests that need a Redis server run, skip or fail, as
 * test/report/chromium.ts decides for Chromium: they start Debian's
 * `redis-server` (package redis-server) on a free port of 127.0.0.1. Without
 * it they are skipped with the reason, unless `CI=true` or
 * `MXSIM_REQUIRE_REDIS=1`, where its absence fails them.
 */
import { serverDecision, type ServerDecision } from '../fixtures/local-server.js';

export type RedisDecision = ServerDecision;

/** Where Debian's redis-server package installs the server. */
export const DEBIAN_REDIS = '/usr/bin/redis-server';

export function redisDecision(env: Record<string, string | undefined>, exists?: (path: string) => boolean): RedisDecision {
  return serverDecision(
    { executable: 'redis-server', debianPath: DEBIAN_REDIS, debianPackage: 'redis-server', requireVariable: 'MXSIM_REQUIRE_REDIS', tests: 'the job queue tests' },
    env,
    exists,
  );
}
