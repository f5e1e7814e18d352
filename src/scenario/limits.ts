/**
 * Numbers of the scenario grammar that the simulation itself needs, in a
 * module without zod: the model imports them from here, so a worker thread
 * or process that only simulates does not load the grammar and zod (about a
 * quarter of a second of CPU at each start). grammar.ts re-exports them.
 */

/** Local users: ten times the largest Matrix deployments published (a few hundred thousand to a million accounts). */
export const MAX_USERS = 10_000_000;

/** Participants of one call: the largest room of LiveKit's benchmark (3,000 listeners of an audio room, matrix-2026.md §7.2); a call must fit on one SFU node. */
export const MAX_CALL_PARTICIPANTS = 3000;

/** Default CPU ceiling of the recommendation (run.server.targets.cpuUtilization): the headroom every sized process and component keeps. */
export const DEFAULT_CPU_UTILIZATION = 0.7;
/** Default extra bandwidth over the p95 bin (run.server.targets.bandwidthHeadroom): 1 is twice the p95. */
export const DEFAULT_BANDWIDTH_HEADROOM = 1;
