/**
 * Regenerates the generated sections of the documentation from the code, in
 * place, between marker comments:
 *
 *   <!-- generated:<name>:start -->
 *   ...generated text...
 *   <!-- generated:<name>:end -->
 *
 * docs/MODEL.md holds `coefficients` (src/model/coefficients.ts), `defaults`
 * and `ranges` (the scenario grammar's defaults and the range of every
 * number, src/scenario/grammar.ts), and three
 * tables of the server model (src/server/): `synapse-costs` (the Synapse
 * cost of each operation and the worker kind that handles it),
 * `calibration` (published measurements beside their re-run on the model,
 * src/server/calibration.ts), `profiles` (each implementation's CPU factor
 * and memory model), `server-coefficients` (SERVER_COEFFICIENTS) and
 * `components` (the component profiles and COMPONENT_COEFFICIENTS,
 * src/server/components.ts);
 * `call-coefficients` (src/model/sfu.ts CALL_COEFFICIENTS);
 * docs/OUTPUT.md holds `metrics`
 * (src/model/metrics.ts). Everything outside the
 * markers is written by hand and left alone. test/docs/docs.test.ts fails when
 * a generated section differs from what this script produces, so the
 * documentation cannot drift from the code.
 *
 * Usage: `npm run docs` rewrites the files; `npm run docs -- --check` only
 * reports out-of-date files and exits with status 1 if there are any.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from '../src/cli/schema.js';
import { COEFFICIENTS, type CoefficientName } from '../src/model/coefficients.js';
import { METRICS } from '../src/model/metrics.js';
import { CALL_COEFFICIENTS } from '../src/model/sfu.js';
import { buildRhythm } from '../src/model/rhythm.js';
import { validateScenario } from '../src/scenario/validate.js';
import type { Scenario } from '../src/scenario/grammar.js';
import { replicationShare, sendBenchmark } from '../src/server/calibration.js';
import { OPS, PROFILES, type Op, type ServerProfile } from '../src/server/profiles.js';
import { COMPONENT_COEFFICIENTS, componentProfiles, type Term } from '../src/server/components.js';
import { SEND_BENCHMARK_2026, SERVER_COEFFICIENTS } from '../src/server/server-coefficients.js';
import { SYNAPSE_WORKER_FOR } from '../src/server/topology.js';

/** Repository root (this file lives in scripts/). */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The opening and closing marker comments of a generated section. */
export function markers(name: string): { start: string; end: string } {
  return { start: `<!-- generated:${name}:start -->`, end: `<!-- generated:${name}:end -->` };
}

/** A Markdown table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** A Markdown table from a header and rows of cells (already formatted). */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A number as written in the tables: thousands separators, no floating-point noise. */
function num(x: number, significant?: number): string {
  const v = significant === undefined ? x : Number(x.toPrecision(significant));
  return v.toLocaleString('en-US', { maximumFractionDigits: 10 });
}

/** A JSON value for a table cell, in code quotes. */
function code(value: unknown): string {
  return `\`${JSON.stringify(value)}\``;
}

/**
 * Table of every model coefficient: name, value, unit, meaning, trust label
 * and source, in the order of src/model/coefficients.ts.
 * @example coefficientsTable().split('\n')[0] // '| Name | Value | Unit | Meaning | Trust | Source |'
 */
export function coefficientsTable(): string {
  const rows = (Object.keys(COEFFICIENTS) as CoefficientName[]).map((name) => {
    const c = COEFFICIENTS[name];
    return [`\`${name}\``, num(c.value), c.unit, c.what, c.trust, c.source];
  });
  return table(['Name', 'Value', 'Unit', 'Meaning', 'Trust', 'Source'], rows);
}

/**
 * Table of every coefficient of the server model (SERVER_COEFFICIENTS in
 * src/server/server-coefficients.ts), in the same layout as the model's coefficients.
 */
/**
 * Table of the calls' coefficients (src/model/sfu.ts CALL_COEFFICIENTS),
 * with their trust labels and sources, in the file's order.
 * @example callCoefficientsTable().split('\n')[0] // '| Name | Value | Unit | Meaning | Trust | Source |'
 */
export function callCoefficientsTable(): string {
  const rows = Object.entries(CALL_COEFFICIENTS).map(([name, c]) => [`\`${name}\``, num(c.value, 6), c.unit, c.what, c.trust, c.source]);
  return table(['Name', 'Value', 'Unit', 'Meaning', 'Trust', 'Source'], rows);
}

export function serverCoefficientsTable(): string {
  const rows = Object.entries(SERVER_COEFFICIENTS).map(([name, c]) => [`\`${name}\``, num(c.value), c.unit, c.what, c.trust, c.source]);
  return table(['Name', 'Value', 'Unit', 'Meaning', 'Trust', 'Source'], rows);
}

/**
 * What one unit of each operation is (the `units` of ServerModel.submit). A
 * Record over Op, so an operation added to OPS does not compile until it is
 * described here.
 */
export const OP_UNITS: Record<Op, string> = {
  send: 'online device in the room (delivery through /sync)',
  syncNews: '/sync response with news',
  syncTimeout: 'empty /sync response at the timeout',
  presence: 'remote server sharing a room with the user',
  receipt: 'read receipt',
  typing: 'typing notification',
  toDevice: 'recipient device',
  deviceList: "remote server sharing a room with the user (0 for a remote user's change applied here)",
  mediaUpload: 'MiB uploaded',
  thumbnail: 'image thumbnailed',
  mediaDownload: 'MiB served',
  push: 'push notification',
  fedOut: 'PDU or EDU in the transaction',
  fedIn: 'PDU (an EDU counts 0.1)',
  fedJoin: 'state or auth event handled by one phase of a partial-state join',
  replication: 'event persisted (charged to each worker)',
  urlPreview: 'preview',
  slidingSync: 'sliding-sync response (each connection of a device)',
  initialSync: 'room of the account',
  pushRules: 'local member evaluated',
  keysQuery: '/keys/query request',
  notificationFetch: 'request of a phone woken by a push',
  keyBackup: 'room key backed up',
  fedInTransaction: 'inbound transaction, or request we make for missing events or state',
  fedConnect: 'new outbound connection (TLS handshake)',
  stateRes: 'event of the full conflicted set (conflicted state and auth-chain difference)',
  stateLoad: 'state entry loaded and compared (state maps, /state_ids ids)',
  deviceResync: 'device of the remote user',
  login: 'password hashed (1 for a password login, 0 with single sign-on)',
  purge: "event deleted by a history purge (pieces of a room's transaction)",
  backup: 'second of a database dump (one PostgreSQL backend reading)',
  searchIndex: 'unencrypted message indexed for search (event_search row)',
  search: 'event_search row matched by a search (ranked and counted)',
  delayedEvent: 'delayed-event request of a call participant served by main (its leave scheduled, sent or cancelled)',
  delayedEventRestart: "restart of a call participant's delayed leave (its heartbeat, every 5 s), served by any worker",
};

/**
 * Table of Synapse's cost per operation (PROFILES.synapse.cost): CPU and
 * database time per operation and per unit, and the Synapse worker kind that
 * handles the operation in a worker deployment, in the order of OPS.
 * @example synapseCostsTable().split('\n')[0] // '| Operation | One unit | CPU ms | ...'
 */
export function synapseCostsTable(): string {
  const cost = PROFILES.synapse.cost({ roomsPerUser: ROOMS_PER_USER_EXAMPLE });
  const rows = OPS.map((op) => {
    const c = cost[op];
    return [
      `\`${op}\``,
      OP_UNITS[op],
      num(c.cpuMs),
      num(c.cpuMsPerUnit),
      num(c.dbMs),
      num(c.dbMsPerUnit),
      num(c.waitMs),
      `${num(c.range.low, 3)}-${num(c.range.high, 3)}`,
      `\`${SYNAPSE_WORKER_FOR[op]}\``,
    ];
  });
  return [
    `For an account in ${ROOMS_PER_USER_EXAMPLE} rooms (the /sync costs grow with the rooms of the account, section 20). The range is the low and high value as multiples of the typical one.`,
    '',
    table(['Operation', 'One unit', 'CPU ms', 'CPU ms per unit', 'Database ms', 'Database ms per unit', 'Wait ms', 'Range', 'Synapse worker kind'], rows),
  ].join('\n');
}

/** Rooms per user of the example in the cost table. */
const ROOMS_PER_USER_EXAMPLE = 20;

const MIB = 1024 * 1024;

/** The name of a coefficient of SERVER_COEFFICIENTS, found by identity. */
function serverCoefficientName(x: ServerProfile['cpuFactor']): string {
  const found = Object.entries(SERVER_COEFFICIENTS).find(([, c]) => c === x);
  if (!found) throw new Error(`not a server coefficient: ${x.what}`);
  return found[0];
}

/**
 * Two tables of the implementation profiles (PROFILES): how each runs and its
 * two factors on Synapse's costs (the send path, and everything else), with
 * their ranges and the coefficients that hold their sources; then the
 * parameters of its memory model.
 */
export function profilesTables(): string {
  const profiles = Object.entries(PROFILES);
  const factor = (x: ServerProfile['cpuFactor'], range: ServerProfile['cpuFactorRange']) =>
    `${num(x.value, 3)} (${num(x.value * range.low, 2)}-${num(x.value * range.high, 2)}), \`${serverCoefficientName(x)}\`, ${x.trust}`;
  const cpu = table(
    ['Implementation', 'Name', 'Processes', 'Database', 'Send-path factor (range), coefficient, trust', 'Factor on everything else (range), coefficient, trust', 'Service time cv'],
    profiles.map(([id, p]) => [
      `\`${id}\``,
      p.name,
      p.multiThreaded ? 'one multi-threaded process on `cores` cores' : 'one-core processes (main, and workers)',
      p.postgres ? 'PostgreSQL on `databaseCores` cores' : "embedded RocksDB, on the server's cores",
      factor(p.sendPathFactor, p.sendPathFactorRange),
      factor(p.cpuFactor, p.cpuFactorRange),
      num(p.cpuCv),
    ]),
  );
  const memory = table(
    [
      'Implementation',
      'Idle process (MiB)',
      'Caches',
      'Caches when full (MiB)',
      'Caches per core (MiB)',
      'RocksDB (MiB)',
      'RocksDB per core (MiB)',
      'Per online device (kB)',
      'Per active room (kB)',
      'Per event downloaded while joining (kB)',
    ],
    profiles.map(([id, p]) => [
      `\`${id}\``,
      num(p.memory.processBaseBytes / MIB, 3),
      p.memory.caches,
      num(p.memory.cacheBytesWhenFull / MIB, 3),
      num(p.memory.cacheBytesPerCore / MIB, 3),
      num(p.memory.storeBytes / MIB, 3),
      num(p.memory.storeBytesPerCore / MIB, 3),
      num(p.memory.bytesPerOnlineDevice / 1000, 3),
      num(p.memory.bytesPerActiveRoom / 1000, 3),
      num(p.memory.joinBytesPerStateEvent / 1000, 3),
    ]),
  );
  return [
    "How each implementation runs and what it costs relative to Synapse. A send's own CPU, database time and waits (the send path, all the 2026 benchmark measured) are Synapse's times the send-path factor; every other cost, a send's deliveries to online devices included, is Synapse's times the other factor, which no benchmark covers. The ranges are carried to `recommendation.band`. The service time cv is the coefficient of variation of the random factor on each operation's service time (section 20). Sources: section 30.",
    '',
    cpu,
    '',
    "The memory model of each implementation (section 22; kB = 1,000 bytes, MiB = 2^20 bytes). Caches: `per-process`, Synapse's own sizing of each process's caches (section 22; 190 MiB when all are full); `shared`, the same held once by `main` for all processes (Synapse Pro, vendor claim); `budget`, one budget of the fixed part plus the part per core, filled as Synapse's caches would be.",
    '',
    memory,
  ].join('\n');
}

/** Element's replication figures: busy share of a worker at 40 events/s, Python (Synapse) and Rust (Synapse Pro, under 3%). */
const REPLICATION_SHARE_REPORTED = { synapse: 0.25, 'synapse-pro': 0.03 } as const;
const REPLICATION_EVENTS_PER_SECOND = 40;

/**
 * The published measurements next to the same experiments re-run on the
 * model (src/server/calibration.ts), so the fit can be seen and re-checked.
 */
export function calibrationTable(): string {
  const rows: string[][] = [];
  const synapseModel = sendBenchmark('synapse', 1);
  for (const implementation of ['synapse', 'dendrite', 'tuwunel', 'continuwuity'] as const) {
    const measured = SEND_BENCHMARK_2026[implementation];
    const sequential = sendBenchmark(implementation, 1);
    rows.push([`2026 send benchmark, sequential sends/s, \`${implementation}\``, num(measured.sequential), num(sequential, 3)]);
    if (implementation !== 'synapse') {
      rows.push([
        `2026 send benchmark, sequential sends/s relative to Synapse's, \`${implementation}\``,
        num(measured.sequential / SEND_BENCHMARK_2026.synapse.sequential, 3),
        num(sequential / synapseModel, 3),
      ]);
    }
    rows.push([`2026 send benchmark, 10 concurrent clients, sends/s, \`${implementation}\``, num(measured.concurrent), num(sendBenchmark(implementation, 10), 3)]);
  }
  for (const implementation of ['synapse', 'synapse-pro'] as const) {
    rows.push([
      `Busy share of a worker following replication at ${REPLICATION_EVENTS_PER_SECOND} events/s, \`${implementation}\``,
      `${implementation === 'synapse-pro' ? 'under ' : ''}${num(REPLICATION_SHARE_REPORTED[implementation] * 100)}%`,
      `${num(replicationShare(REPLICATION_EVENTS_PER_SECOND, 3600, 'replication', implementation) * 100, 2)}%`,
    ]);
  }
  return table(['Experiment', 'Published', 'Model'], rows);
}

/**
 * Table of every per-bin metric: id (the CSV column), unit and meaning, in
 * the order of METRICS in src/model/metrics.ts.
 */
export function metricsTable(): string {
  return table(
    ['Metric id', 'Unit', 'Meaning'],
    METRICS.map((m) => [`\`${m.id}\``, m.unit, m.what]),
  );
}

/** The smallest scenario the grammar accepts, with every default filled in. */
function defaultScenario(): Scenario {
  const result = validateScenario({
    name: 'defaults',
    description: 'grammar defaults',
    population: { users: 1 },
    rooms: { kinds: [{ name: 'room', count: 1, members: { kind: 'deterministic', value: 1 } }] },
  });
  if (!result.ok) throw new Error(`the default scenario does not validate: ${JSON.stringify(result.problems)}`);
  return result.scenario;
}

interface JsonSchemaNode {
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
}

/** Fields shown in their own tables rather than in the list of defaults. */
const OWN_TABLE = new Set(['population.classes', 'population.rhythm.hourlyWeights', 'population.rhythm.weekdayWeights']);

/** Every field of the scenario grammar that has a default: path, default, description. */
function grammarDefaults(): [string, unknown, string][] {
  const out: [string, unknown, string][] = [];
  const walk = (node: JsonSchemaNode, path: string): void => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const p = path === '' ? key : `${path}.${key}`;
      const d = child.default;
      const emptyObject = d !== null && typeof d === 'object' && !Array.isArray(d) && Object.keys(d).length === 0;
      if ('default' in child && !emptyObject && !OWN_TABLE.has(p)) out.push([p, d, child.description ?? '']);
      walk(child, p);
    }
    if (node.items) walk(node.items, `${path}[]`);
    for (const alt of node.anyOf ?? []) walk(alt, path);
  };
  walk(scenarioJsonSchema(), '');
  return out;
}

/**
 * The scenario defaults that are modelling assumptions: the activity classes
 * (with the peak-online probability and online time they imply), the daily
 * and weekly rhythm, and every other field with a default.
 */
export function defaultsTables(): string {
  const s = defaultScenario();
  const rhythm = buildRhythm(s);
  const classes = table(
    [
      'Class',
      'Share of users',
      'Online propensity',
      'Messages per day',
      'Media uploads per day',
      'Chance online at peak (derived)',
      'Online hours per day (derived)',
      'Messages per online hour (derived)',
    ],
    s.population.classes.map((c, i) => {
      const hours = rhythm.onlineSecondsPerDay[i]! / 3600;
      return [
        c.name,
        num(c.share),
        num(c.onlinePropensity),
        num(c.messagesPerDay),
        num(c.mediaUploadsPerDay),
        num(rhythm.peakOnlineProbability[i]!, 3),
        num(hours, 3),
        hours > 0 ? num(c.messagesPerDay / hours, 3) : '-',
      ];
    }),
  );
  const hourly = s.population.rhythm.hourlyWeights;
  const hourMax = Math.max(...hourly);
  const hours = table(
    ['Local hour', ...hourly.map((_, h) => String(h).padStart(2, '0'))],
    [
      ['Weight', ...hourly.map((w) => num(w))],
      ['Relative to peak', ...hourly.map((w) => num(w / hourMax, 3))],
    ],
  );
  const weekly = s.population.rhythm.weekdayWeights;
  const days = table(['Day', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], [['Weight', ...weekly.map((w) => num(w))]]);
  const others = table(
    ['Field', 'Default', 'Meaning'],
    grammarDefaults().map(([path, value, what]) => [`\`${path}\``, code(value), what]),
  );
  return [
    `Default activity classes (\`population.classes\`), with the peak share of users online \`population.peakOnlineShare\` = ${num(s.population.peakOnlineShare)}. The derived columns are what the rhythm model (below) makes of them: the chance that a user of the class is online at the busiest hour, the mean time online per weekly-average day (${num(rhythm.meanActivityPerWeek, 4)} x 24 h x that chance), and the resulting rate of messages while online.`,
    '',
    classes,
    '',
    'Default daily rhythm (`population.rhythm.hourlyWeights`), in local time:',
    '',
    hours,
    '',
    'Default weekly rhythm (`population.rhythm.weekdayWeights`):',
    '',
    days,
    '',
    'Every other field with a default (`[]` marks a field of each element of a list):',
    '',
    others,
  ].join('\n');
}

/** A JSON Schema node as `mxsim schema` prints it, with what the ranges table reads. */
interface RangeNode {
  type?: string;
  description?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  const?: unknown;
  properties?: Record<string, RangeNode>;
  items?: RangeNode;
  anyOf?: RangeNode[];
  oneOf?: RangeNode[];
}

/** `[0, 1]`, `(0, 366]`, `[0, 24)`: a number's range in interval notation. */
function interval(n: RangeNode): string {
  const lo = n.minimum !== undefined ? `[${num(n.minimum)}` : n.exclusiveMinimum !== undefined ? `(${num(n.exclusiveMinimum)}` : '(-inf';
  const hi = n.maximum !== undefined ? `${num(n.maximum)}]` : n.exclusiveMaximum !== undefined ? `${num(n.exclusiveMaximum)})` : 'inf)';
  return `${lo}, ${hi}`;
}

/** `1 to 255 items`: a list's length. */
function itemCount(n: RangeNode): string {
  if (n.minItems !== undefined && n.minItems === n.maxItems) return `${num(n.minItems)} items`;
  return `${num(n.minItems ?? 0)} to ${n.maxItems === undefined ? 'any number of' : num(n.maxItems)} items`;
}

/**
 * Every number a scenario can hold, with its range (src/scenario/grammar.ts,
 * through the JSON Schema): each numeric field, the length of each list of
 * numbers or objects and the range of its numbers, and each distribution's ranges (its values, means and
 * bounds share one maximum, in the field's unit).
 */
export function rangesTable(): string {
  const rows: string[][] = [];
  const walk = (node: RangeNode, path: string): void => {
    const options = node.oneOf ?? node.anyOf ?? [];
    const tagged = options.length > 0 && options.every((o) => o.properties?.kind?.const !== undefined);
    if (tagged && !options.some((o) => o.properties?.kind?.const === 'deterministic')) {
      // A list of kinds that are not distributions (the timeline's incidents): each kind's fields under its name.
      for (const o of options) {
        for (const [key, child] of Object.entries(o.properties ?? {})) if (key !== 'kind') walk(child, `${path} (${String(o.properties?.kind?.const)}).${key}`);
      }
      return;
    }
    if (tagged) {
      const param = (kind: string, field: string) => options.find((o) => o.properties?.kind?.const === kind)?.properties?.[field];
      const value = param('deterministic', 'value');
      const cv = param('lognormal', 'cv');
      const alpha = param('pareto', 'alpha');
      const values = param('empirical', 'values');
      const parts = [
        value && `values, means and bounds ${interval(value)}`,
        cv && `cv ${interval(cv)}`,
        alpha && `pareto alpha ${interval(alpha)}`,
        values && `empirical: ${itemCount(values)}`,
      ].filter((x): x is string => typeof x === 'string');
      rows.push([`\`${path}\``, 'distribution', parts.join('; '), node.description ?? '']);
      return;
    }
    const numeric = [node, ...options].filter((o) => o.type === 'number' || o.type === 'integer');
    if (numeric.length > 0) {
      const n = numeric[0]!;
      const others = options.filter((o) => !numeric.includes(o)).map((o) => o.type ?? '');
      rows.push([`\`${path}\``, [n.type ?? '', ...others].join(' or '), interval(n), node.description ?? '']);
      return;
    }
    if (node.type === 'array' && node.items && node.items.type !== 'string') {
      const items = node.items;
      const itemNumeric = items.type === 'number' || items.type === 'integer';
      rows.push([`\`${path}\``, 'list', itemNumeric ? `${itemCount(node)}, each ${interval(items)}` : itemCount(node), node.description ?? '']);
      if (!itemNumeric) walk(items, `${path}[]`);
      return;
    }
    for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, path === '' ? key : `${path}.${key}`);
  };
  walk(scenarioJsonSchema(), '');
  return table(['Field', 'Type', 'Range', 'Meaning'], rows);
}

/**
 * The component profiles (src/server/components.ts) as the default scenario
 * switches them: software, default, instances, fixed footprint, variable
 * terms and database; then every component coefficient.
 */
export function componentsTable(): string {
  const s = defaultScenario();
  const termText = (t: Term, unit: string) => `${num(t.perUnit, 4)} ${unit} x ${Array.isArray(t.input) ? t.input.join(' x ') : String(t.input)} (${t.what})`;
  const terms = (ts: readonly Term[], unit: string) => (ts.length === 0 ? '-' : ts.map((t) => termText(t, unit)).join('; '));
  const rows = componentProfiles(s.components).map((p) => {
    const db = p.database;
    return [
      `\`${p.kind}\``,
      `${p.name} (${p.software})`,
      p.enabled ? 'on' : 'off',
      `${p.minInstances}${p.maxCoresPerInstance === null ? '' : `, at most ${p.maxCoresPerInstance} core each`}`,
      `${num(p.fixed.cores)} cores, ${num(p.fixed.ramMiB)} MiB, ${num(p.fixed.diskGiB)} GiB`,
      terms(p.cpu, 'CPU ms/s'),
      [terms(p.ram, 'MiB'), terms(p.bandwidth, 'Mbit/s')].filter((x) => x !== '-').join('; ') || '-',
      db === null
        ? '-'
        : `${db.name}: ${num(db.fixedCores)} cores, ${num(db.fixedRamMiB, 4)} MiB + ${num(db.connectionsPerInstance)} connections x ${num(db.ramMiBPerConnection)} MiB per instance, ${num(db.fixedDiskGiB)} GiB; CPU ${terms(db.cpu, 'ms/s')}; disk ${terms(db.disk, 'GiB')}`,
      p.leftOut,
    ];
  });
  const profiles = table(['Component', 'Software', 'Default', 'Instances', 'Fixed per instance', 'CPU', 'Memory and network', 'Own database', 'Left out'], rows);
  const coefficients = table(
    ['Name', 'Value', 'Unit', 'Meaning', 'Trust', 'Source'],
    Object.entries(COMPONENT_COEFFICIENTS).map(([name, c]) => [`\`${name}\``, num(c.value), c.unit, c.what, c.trust, c.source]),
  );
  return `${profiles}\n\n${coefficients}`;
}

/** The generated sections: which file, which marker, and what goes between the markers. */
export const GENERATED_SECTIONS: readonly { file: string; marker: string; content: () => string }[] = [
  { file: 'docs/MODEL.md', marker: 'defaults', content: defaultsTables },
  { file: 'docs/MODEL.md', marker: 'ranges', content: rangesTable },
  { file: 'docs/MODEL.md', marker: 'coefficients', content: coefficientsTable },
  { file: 'docs/MODEL.md', marker: 'synapse-costs', content: synapseCostsTable },
  { file: 'docs/MODEL.md', marker: 'calibration', content: calibrationTable },
  { file: 'docs/MODEL.md', marker: 'profiles', content: profilesTables },
  { file: 'docs/MODEL.md', marker: 'server-coefficients', content: serverCoefficientsTable },
  { file: 'docs/MODEL.md', marker: 'components', content: componentsTable },
  { file: 'docs/MODEL.md', marker: 'call-coefficients', content: callCoefficientsTable },
  { file: 'docs/OUTPUT.md', marker: 'metrics', content: metricsTable },
];

/**
 * `text` with the section between the markers of `marker` replaced by
 * `content` (one blank line on each side). Throws when the markers are
 * missing, repeated or out of order.
 * @example regenerate('a\n<!-- generated:x:start -->\nold\n<!-- generated:x:end -->\n', 'x', 'new')
 * // 'a\n<!-- generated:x:start -->\n\nnew\n\n<!-- generated:x:end -->\n'
 */
export function regenerate(text: string, marker: string, content: string): string {
  const { start, end } = markers(marker);
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`markers ${start} and ${end} not found`);
  if (text.indexOf(start, from + 1) >= 0 || text.indexOf(end, to + 1) >= 0) throw new Error(`markers for "${marker}" appear more than once`);
  if (to < from) throw new Error(`${end} comes before ${start}`);
  return `${text.slice(0, from + start.length)}\n\n${content.trim()}\n\n${text.slice(to)}`;
}

/** The text between the markers of `marker`, trimmed; throws when they are missing. */
export function generatedSection(text: string, marker: string): string {
  const { start, end } = markers(marker);
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`markers ${start} and ${end} not found`);
  return text.slice(from + start.length, to).trim();
}

/**
 * Regenerate every generated section of the files under `root`. Returns the
 * files whose text changed; writes them unless `check` is set.
 */
export async function regenerateAll(root: string = ROOT, check = false): Promise<string[]> {
  const changed: string[] = [];
  const files = [...new Set(GENERATED_SECTIONS.map((g) => g.file))];
  for (const file of files) {
    const path = resolve(root, file);
    const before = await readFile(path, 'utf8');
    let after = before;
    for (const g of GENERATED_SECTIONS) if (g.file === file) after = regenerate(after, g.marker, g.content());
    if (after !== before) {
      changed.push(file);
      if (!check) await writeFile(path, after);
    }
  }
  return changed;
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const check = process.argv.includes('--check');
  const changed = await regenerateAll(ROOT, check);
  if (changed.length === 0) {
    process.stdout.write('docs: generated sections are up to date\n');
  } else if (check) {
    process.stderr.write(`docs: out of date (run npm run docs): ${changed.join(', ')}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`docs: updated ${changed.join(', ')}\n`);
  }
}
