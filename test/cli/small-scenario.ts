/**
 * The tiny closed server the command-line tests run (run, main, capacity):
 * 30 users in five rooms of six, six hours in one-hour bins.
 */
export const small = {
  name: 'tiny',
  description: 'A tiny closed server for CLI tests.',
  population: { users: 30 },
  rooms: { kinds: [{ name: 'group', count: 5, members: { kind: 'deterministic', value: 6 } }] },
  run: { days: 0.25, replications: 2, binMinutes: 60 },
};
