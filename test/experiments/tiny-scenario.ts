/**
 * The tiny closed server the sweep tests run (sweep, sweep-resume,
 * sweep-threads): 20 users in four rooms of five, three hours in hourly
 * bins, so a whole sweep takes a few seconds.
 */
export const tiny = {
  name: 'tiny',
  description: 'A tiny closed server for sweep tests.',
  population: { users: 20 },
  rooms: { kinds: [{ name: 'group', count: 4, members: { kind: 'deterministic', value: 5 } }] },
  run: { days: 0.125, replications: 2, binMinutes: 60 },
};
