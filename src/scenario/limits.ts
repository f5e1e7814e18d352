/**
 * Values of the scenario grammar that code outside it needs at run time
 * (limits, defaults, the implementations, the currencies), in a module
 * without zod: the model, the cost layer and the experiments import them from
 * here, so a worker thread that only simulates (a replication, a sweep's job)
 * does not load the grammar and zod (about a quarter of a second of CPU at
 * each start). grammar.ts uses and re-exports them.
 */

/** Local users: ten times the largest Matrix deployments published (a few hundred thousand to a million accounts). */
export const MAX_USERS = 10_000_000;

/** Participants of one call: the largest room of LiveKit's benchmark (3,000 listeners of an audio room, matrix-2026.md §7.2); a call must fit on one SFU node. */
export const MAX_CALL_PARTICIPANTS = 3000;

/** Default CPU ceiling of the recommendation (run.server.targets.cpuUtilization): the headroom every sized process and component keeps. */
export const DEFAULT_CPU_UTILIZATION = 0.7;
/** Default extra bandwidth over the p95 bin (run.server.targets.bandwidthHeadroom): 1 is twice the p95. */
export const DEFAULT_BANDWIDTH_HEADROOM = 1;

/**
 * Homeserver implementations (docs/MODEL.md sections 19 and 21). Synapse Pro
 * is Synapse with Element's proprietary Rust workers: its differences are
 * vendor claims, so it is never a default, only a choice.
 */
export const IMPLEMENTATIONS = ['synapse', 'synapse-pro', 'dendrite', 'tuwunel', 'continuwuity'] as const;
export type Implementation = (typeof IMPLEMENTATIONS)[number];
/**
 * Implementations that run as Synapse does, one main process with or without
 * workers (run.server.deployment, run.server.workers); the others run as one
 * multi-threaded process on run.server.cores (src/server/profiles.ts,
 * `multiThreaded`; test/scenario/cross-field.test.ts holds the two together).
 */
export const WORKER_IMPLEMENTATIONS: readonly Implementation[] = ['synapse', 'synapse-pro'];

/**
 * ISO 4217 codes accepted for `cost.currency`, in rates and in price
 * catalogs. Declared here, with the rest of what a user may write, so the
 * cost layer takes them from the grammar and not the other way round.
 */
export const CURRENCIES = [
  'EUR',
  'USD',
  'GBP',
  'CHF',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'CAD',
  'AUD',
  'JPY',
  'NZD',
  'HUF',
  'RON',
  'BGN',
  'ISK',
  'INR',
  'SGD',
  'HKD',
  'CNY',
  'BRL',
  'MXN',
  'ZAR',
  'KRW',
  'ILS',
  'TRY',
] as const;
