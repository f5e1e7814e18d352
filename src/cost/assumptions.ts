/**
 * The assumptions a cost report lists: every setting the figures rest on,
 * its value and where it came from (given, the run, a catalog, or an mxsim
 * estimate).
 */
import { roundSignificant } from '../numeric/index.js';
import { HOURS_PER_MONTH } from './catalog-schema.js';
import { round4, type Assumption } from './cost-report.js';
import type { StatedRate, UsedRate } from './currency.js';
import type { CostInputs } from './inputs.js';
import { HOURS_PER_YEAR } from './labour.js';
import { DB_SHARE } from './options.js';
import type { Billing } from './saas.js';
import type { SelfHostSettings } from './selfhost.js';

export function assumptions(
  inputs: CostInputs,
  s: SelfHostSettings,
  currency: string,
  vat: boolean,
  billing: Billing,
  rates: readonly StatedRate[],
  used: readonly UsedRate[] = [],
): Assumption[] {
  const l = s.labour;
  const est = 'mxsim estimate';
  const dbSource =
    inputs.databaseCores !== undefined
      ? 'run recommendation (databaseCores; RAM: databaseRamGiB, or the recommended RAM split in proportion to cores), unless given'
      : `${est}: ${DB_SHARE} x the homeserver's unless given`;
  const out: Assumption[] = [
    { name: 'report currency', value: currency, source: 'given (--currency, cost.currency) or the labour wage row\u2019s currency' },
    {
      name: 'exchange rates',
      value:
        used.length > 0
          ? used
              .map(
                (r) =>
                  `1 ${r.from} = ${roundSignificant(r.rate, 6)} ${r.to} (${r.reference ? `${r.inverse ? 'inverse of the ' : ''}${r.stated}` : `stated ${r.stated}${r.inverse ? ', inverted' : ''}`})`,
              )
              .join('; ')
          : rates.length > 0
            ? `${rates.map((r) => r.stated).join(', ')} (stated; nothing converted)`
            : 'none (nothing converted)',
      source:
        'given (--rate, cost.rates) for their pair, else the reference rates of data/prices/exchange_rates.csv (ECB, dated; cross rates through EUR); --no-default-rates uses stated rates only',
    },
    { name: 'VAT basis', value: vat ? 'VAT included' : 'excl. VAT', source: 'rows of the other basis are not compared' },
    { name: 'months priced', value: `1..${inputs.horizonMonths}, each at its end state (users, storage, egress, hosts)`, source: est },
    { name: 'users', value: `${inputs.users} at month 0, x(1 + ${roundSignificant(inputs.growthPerMonth, 6)})^m`, source: 'run (scenario growth, or the storage projection)' },
    {
      name: 'homeserver need at month 0',
      value: `${round4(inputs.cores)} cores, ${round4(inputs.ramGiB)} GiB RAM, ${inputs.processes} process(es), ${inputs.deployment}; scales with users`,
      source: 'run recommendation or --cores/--ram-gib',
    },
    { name: 'database placement', value: s.database, source: 'given (--managed-db / --db) or default same-host' },
    { name: 'PostgreSQL need at month 0', value: `${round4(s.dbCores)} cores, ${round4(s.dbRamGiB)} GiB RAM; scales with users`, source: dbSource },
    { name: 'block storage headroom', value: `${s.blockHeadroom} x used`, source: est },
    {
      name: 'backups',
      value: `${s.backupCopies} copies of the self-run database (and of media kept on block storage) at the snapshot price, else the block price; managed databases include theirs`,
      source: est,
    },
    { name: 'hourly prices', value: `price_month = price_hour x ${HOURS_PER_MONTH} where the source gives hourly only`, source: 'data/prices/README.md' },
    { name: 'GB and GiB', value: 'per-GB prices applied per GiB', source: 'the sources do not tell GB from GiB (shared reference README)' },
    {
      name: 'egress',
      value: `${round4(inputs.egressGiBPerMonth)} GiB at month 0 (client + federation + media out), scales with users`,
      source: 'run (weekly-average day x days per month)',
    },
    { name: 'labour rate', value: `${l.rate.toFixed(2)} ${currency} per hour`, source: l.rateSource },
    {
      name: 'labour hours per month',
      value:
        l.fixedHours !== null
          ? `${l.fixedHours} (given)`
          : `${l.baseHours} + ${l.hoursPerThousandUsers} per 1,000 users + ${l.hoursPerExtraProcess} per extra process + ${l.selfRunDbHours} when PostgreSQL is self-run`,
      source: l.fixedHours !== null ? 'given (--labour-hours)' : `base: ${l.baseHoursSource}; the rest: ${est}`,
    },
    {
      name: 'setup hours (once, month 1)',
      value: `${l.setupHours} + ${l.setupHoursPerExtraProcess} per extra process + ${l.setupSelfRunDbHours} when PostgreSQL is self-run`,
      source: est,
    },
    { name: 'yearly wage to hourly', value: `/ ${HOURS_PER_YEAR} h`, source: '40 h x 52 weeks' },
    { name: 'SaaS billing', value: billing, source: 'given (--billing) or default annual; plans with one price use it as given' },
    { name: 'SaaS seats', value: 'ceil(users), at least the plan minimum', source: est },
  ];
  if (l.cited.length > 0) out.push({ name: 'labour rows used', value: l.cited.map((c) => `${c.file}:${c.line} ${c.item}`).join('; '), source: 'labour catalog' });
  return out;
}
