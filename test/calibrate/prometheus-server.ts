/**
 * Whether the tests that need a Prometheus server run, skip or fail, as
 * test/analysis/redis.ts decides for Redis: they start Debian's `prometheus`
 * (package prometheus) on a free port of 127.0.0.1. Without it they are
 * skipped with the reason, unless `CI=true` or `MXSIM_REQUIRE_PROMETHEUS=1`,
 * where its absence fails them.
 */
import { serverDecision, type ServerDecision } from '../fixtures/local-server.js';

/** Where Debian's prometheus package installs the server. */
export const DEBIAN_PROMETHEUS = '/usr/bin/prometheus';

export function prometheusDecision(env: Record<string, string | undefined>, exists?: (path: string) => boolean): ServerDecision {
  return serverDecision(
    {
      executable: 'prometheus',
      debianPath: DEBIAN_PROMETHEUS,
      debianPackage: 'prometheus',
      requireVariable: 'MXSIM_REQUIRE_PROMETHEUS',
      tests: 'the live calibration tests',
    },
    env,
    exists,
  );
}
