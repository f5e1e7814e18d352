/**
 * What `mxsim capacity` says to its user: the problems with its options, each
 * naming the option and the value as written, and the sentences of its
 * results. One module, so the wording is in one place.
 */
import { formatCount } from '../format/index.js';

const users = (n: number) => formatCount(n);
const quoted = (v: string) => JSON.stringify(v);

export const capacityMessages = {
  /** The first line of a usage error listing several problems. */
  problems: (n: number) => `${n} problem${n === 1 ? '' : 's'} with the options of mxsim capacity:`,
  noMode: () => 'give one of --hardware SPEC (the most users a machine holds), --users N (the cheapest deployment for N users) or --table N,N,... (a reference table)',
  twoModes: (given: readonly string[]) => `give only one of --hardware, --users and --table, got ${given.join(' and ')}`,
  hardwareUnknownKey: (key: string, part: string) => `--hardware: expected cores=N or ramGiB=N, got ${quoted(part)}${key === '' ? '' : ` (unknown key ${quoted(key)})`}`,
  hardwareRepeatedKey: (key: string, part: string) => `--hardware: ${key} given twice, got ${quoted(part)}`,
  hardwareBadValue: (key: string, what: string, max: number, value: string) => `--hardware: ${key} expected ${what} up to ${formatCount(max)}, got ${quoted(value)}`,
  hardwareMissingKey: (key: string, spec: string) => `--hardware: ${key}=N missing, got ${quoted(spec)} (e.g. cores=16,ramGiB=64, or an instance name such as CCX43)`,
  unknownInstance: (name: string, nearest: readonly string[]) =>
    `--hardware: no instance ${quoted(name)} in the compute catalogs${nearest.length > 0 ? `; the closest: ${nearest.join(', ')}` : ''} (or give cores=N,ramGiB=N)`,
  badCount: (option: string, min: number, max: number, value: string) => `${option}: expected an integer from ${formatCount(min)} to ${formatCount(max)}, got ${quoted(value)}`,
  badTableEntry: (value: string, min: number, max: number, list: string) =>
    `--table: expected user counts from ${formatCount(min)} to ${formatCount(max)} separated by commas, got ${quoted(value)} in ${quoted(list)}`,
  repeatedTableEntry: (n: number, list: string) => `--table: ${formatCount(n)} users given twice, in ${quoted(list)}`,
  unknownImplementation: (name: string, known: readonly string[]) => `--implementations: expected names from ${known.join(', ')}, got ${quoted(name)}`,
  implementationsWithHardware: (value: string) =>
    `--implementations: only with --users or --table (--hardware runs the scenario's own implementation, run.server.implementation), got ${quoted(value)}`,
  outWithoutTable: (value: string) => `--out: only with --table, got ${quoted(value)}`,
  badSeed: (rule: string, value: string) => `--seed: expected ${rule}, got ${value}`,

  // Results.
  noFailure: (lo: number) => `the targets were still met at ${users(lo)} users, the largest tried: the machine holds at least that many`,
  noneHeld: (hi: number) => `no user count held, down to ${users(hi)} users: the scenario does not fit this machine`,
  shortfallTargets: (at: number, mechanism: string, n: number, of: number) =>
    `targets: at ${users(at)} users the recommendation cannot meet its targets on any machine: ${mechanism} (${n} of ${of} replications)`,
  shortfallResource: (
    resource: 'cores' | 'RAM',
    at: number,
    f: { cores: string; databaseCores: string; ram: string; byComponent: string; component: string },
    h: { cores: number; ramGiB: number },
    n: number,
    of: number,
  ) => {
    const most =
      f.component === 'postgres'
        ? 'the database (PostgreSQL)'
        : `the ${f.component} process${f.component === 'main' || f.component === 'server' || f.component === 'monolith' ? '' : 'es'}`;
    const pg = f.databaseCores === '0' ? '' : ` (PostgreSQL's ${f.databaseCores} included)`;
    const where = `by load, p95 CPU over the ceiling: ${f.byComponent}; most in ${most}`;
    return resource === 'cores'
      ? `cores: at ${users(at)} users the recommended deployment takes ${f.cores} cores${pg} of the ${h.cores}; ${where}; RAM ${f.ram} GiB of ${h.ramGiB} (${n} of ${of} replications)`
      : `RAM: at ${users(at)} users the recommended deployment takes ${f.ram} GiB of the ${h.ramGiB}; cores ${f.cores}${pg} of ${h.cores}, ${where} (${n} of ${of} replications)`;
  },
  costOptionWithHardware: (option: string, value: string) => `${option}: only with --users or --table (--hardware prices nothing), got ${quoted(value)}`,
};
