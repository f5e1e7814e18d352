/**
 * The bad-input corpus: inputs of every kind, for every command, that mxsim
 * must refuse with one `mxsim: error[<code>]:` message naming the path or the
 * option, with the exit code of docs/ERRORS.md, quickly, without a stack
 * trace and without leaving anything behind (and a few valid controls, so
 * the harness is seen to pass what it should).
 *
 * Each case is data: the arguments, the files to create in a fresh folder
 * and what must happen. An argument that starts with `@/` names a path in
 * that folder (the harness makes it absolute). The harness that runs a case
 * and judges its outcome is ./harness.ts; test/robustness/corpus.full.test.ts runs
 * every case in-process, `scripts/corpus.ts` in a child process each.
 *
 * The expectations are what the tool should do, not what it does today.
 */
import { readFileSync } from 'node:fs';
import { STORAGE_CATEGORIES } from '../../src/model/metrics.js';

export type CorpusCommand = 'run' | 'cost' | 'compare' | 'validate' | 'schema' | 'queue' | '(none)';

/** The input classes of the corpus (the failures are grouped by them). */
export const INPUT_CLASSES = [
  'json',
  'duplicate-keys',
  'types',
  'numbers',
  'unknown-fields',
  'set',
  'options',
  'output',
  'files',
  'catalog',
  'run-folder',
  'queue',
  'valid',
] as const;
export type InputClass = (typeof INPUT_CLASSES)[number];

/** A file's content; a function for large content, made only when the case runs. */
export type FileSpec = string | Uint8Array | { lazy: () => string | Uint8Array } | { dir: true };

/** Text that must appear in the output; an array is a choice (any one of them). */
export type Mention = string | readonly string[];

export interface CorpusCase {
  /** Unique, `<command>/<class>/<what>`. */
  id: string;
  command: CorpusCommand;
  class: InputClass;
  /** What the input is, in a few words. */
  what: string;
  /** The arguments after `mxsim`; `@/x` is the path x in the case's folder. */
  argv: string[];
  /** Files to create (relative paths; parents are made). */
  files?: Record<string, FileSpec>;
  /** Folders (relative) made read-only before the run; such a case is skipped when running as root. */
  readOnly?: string[];
  expect: {
    /** Exit codes that are right (never 1; 0 only for a valid input). */
    exit: readonly number[];
    /** Each must appear on stderr (stdout too for an exit 0): the path, option or file at fault. */
    mentions?: readonly Mention[];
    /** The largest stderr that is right, bytes (default DEFAULT_MAX_STDERR). */
    maxStderr?: number;
  };
  /** Wall-clock bound in-process, ms (default DEFAULT_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** Refusing an input takes milliseconds; this leaves room for a loaded machine. */
export const DEFAULT_TIMEOUT_MS = 3000;
/** A refusal is a few lines: 64 KiB is far above any message and far below an input echoed back. */
export const DEFAULT_MAX_STDERR = 64 * 1024;
/** Cases that write or read MiB. */
const HUGE_TIMEOUT_MS = 15_000;

// ---------------------------------------------------------------------------
// Fixtures

/** A valid scenario small enough to simulate in about a second (as test/cli/run.test.ts's). */
export const TINY = {
  name: 'tiny',
  description: 'A tiny closed server for the robustness corpus.',
  population: { users: 30 },
  rooms: { kinds: [{ name: 'group', count: 5, members: { kind: 'deterministic', value: 6 } }] },
  run: { days: 0.25, replications: 1, binMinutes: 60 },
};

/** A deep copy of `base` with the field at `path` ("a.b[0].c") set to `value`, or removed when `value` is DROP. */
export const DROP: unique symbol = Symbol('drop');
export function edit(base: unknown, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base) as Record<string, unknown>;
  const segments = [...path.matchAll(/[^.[\]]+/g)].map((m) => (/^\d+$/.test(m[0]) ? Number(m[0]) : m[0]));
  let node: Record<PropertyKey, unknown> = copy;
  for (const seg of segments.slice(0, -1)) {
    if (node[seg] === undefined || node[seg] === null || typeof node[seg] !== 'object') node[seg] = {};
    node = node[seg] as Record<PropertyKey, unknown>;
  }
  const last = segments.at(-1);
  if (last === undefined) throw new Error(`empty path ${path}`);
  if (value === DROP) delete node[last];
  else node[last] = value;
  return copy;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);
const tinyWith = (path: string, value: unknown) => json(edit(TINY, path, value));
/** A number that appears nowhere else in TINY's text: replaced by raw JSON text. */
const SENTINEL = 987654321.125;
/** TINY's text with the value at `path` replaced by the text `raw` (JSON that a value cannot say, such as 1e999). */
const tinyRaw = (path: string, raw: string) => tinyWith(path, SENTINEL).replace(String(SENTINEL), raw);
/** TINY's text with `"key": <raw>` inserted into the object at `path` ("" for the root, where it comes first). */
function tinyInsertRaw(path: string, key: string, raw: string): string {
  const marker = '"__mxsim_corpus_marker__"';
  const text = json(path === '' ? { __mxsim_corpus_marker__: 0, ...TINY } : edit(TINY, `${path}.__mxsim_corpus_marker__`, 0));
  return text.replace(`${marker}: 0`, `${JSON.stringify(key)}: ${raw}`);
}
const utf8 = (text: string) => new TextEncoder().encode(text);
const concatBytes = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const deepArray = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);

/** mxsim's version, which `mxsim run` writes as the first field of summary.json. */
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
/**
 * A real summary.json: team-50's golden (test/golden/team-50/summary.json)
 * with the `mxsim` version field put back first, as `mxsim run` writes it
 * (the golden leaves it out so a release does not move it).
 */
const GOLDEN_SUMMARY_TEXT = JSON.stringify(
  { mxsim: VERSION, ...(JSON.parse(readFileSync(new URL('../golden/team-50/summary.json', import.meta.url), 'utf8')) as object) },
  null,
  2,
);
const GOLDEN_SUMMARY = JSON.parse(GOLDEN_SUMMARY_TEXT) as { world: { users: number }; storage: { horizonMonths: number }; replications: number };
const TEAM_50_TEXT = readFileSync(new URL('../../scenarios/team-50.json', import.meta.url), 'utf8');

/** data/storage-horizon.csv for the golden summary: its users every month, storage growing by a constant amount. */
export function storageHorizonCsv(months = GOLDEN_SUMMARY.storage.horizonMonths, users = GOLDEN_SUMMARY.world.users): string {
  const header = ['month', 'users', ...STORAGE_CATEGORIES.map((c) => `${c}_bytes`), 'total_bytes'];
  const rows = Array.from({ length: months + 1 }, (_, m) => {
    const bytes = STORAGE_CATEGORIES.map(() => 1_000_000 * (m + 1));
    return [m, users, ...bytes, bytes.reduce((a, b) => a + b, 0)].join(',');
  });
  return [header.join(','), ...rows].join('\n') + '\n';
}

const REPLICATIONS_HEADER =
  'replication,seed,events,peak_online_share,messages,fed_pdus_out,fed_transactions_out,fed_bytes_out,client_bytes_out,storage_bytes_added,fed_latency_p99_s';
function replicationsCsv(): string {
  const rows = Array.from({ length: GOLDEN_SUMMARY.replications }, (_, r) => `${r},1/${r},${30000 + r},0.3,${1200 + r},0,0,0,${4e7 + r},${2e6 + r},`);
  return [REPLICATIONS_HEADER, ...rows].join('\n') + '\n';
}

/**
 * A run folder as `mxsim run` writes it, with the files `cost` and `compare`
 * read: summary.json, scenario.json, data/storage-horizon.csv and
 * data/replications.csv. `changes` replaces (or, with null, removes) files.
 */
export function runFolder(prefix: string, changes: Record<string, FileSpec | null> = {}): Record<string, FileSpec> {
  const files: Record<string, FileSpec | null> = {
    'summary.json': GOLDEN_SUMMARY_TEXT,
    'scenario.json': TEAM_50_TEXT,
    'data/storage-horizon.csv': storageHorizonCsv(),
    'data/replications.csv': replicationsCsv(),
    ...changes,
  };
  const out: Record<string, FileSpec> = {};
  for (const [path, content] of Object.entries(files)) if (content !== null) out[`${prefix}/${path}`] = content;
  return out;
}
/** The golden summary with the field at `path` set (or removed with DROP). */
const summaryWith = (path: string, value: unknown) => json(edit(JSON.parse(GOLDEN_SUMMARY_TEXT), path, value));

/** A compute catalog row's columns (data/prices/compute.csv's header). */
const COMPUTE_HEADER = 'provider,region,instance,vcpu,ram_gib,price_hour,price_month,currency,vat_included,billing,source,as_of,status,notes';
const computeRow = (o: Partial<Record<'provider' | 'region' | 'instance' | 'vcpu' | 'ram_gib' | 'price_month' | 'currency', string>> = {}) =>
  [
    o.provider ?? 'Acme',
    o.region ?? 'r1',
    o.instance ?? 'small',
    o.vcpu ?? '2',
    o.ram_gib ?? '4',
    '',
    o.price_month ?? '20',
    o.currency ?? 'USD',
    'false',
    'monthly',
    'a quote',
    '2026-01',
    'ok',
    '',
  ].join(',');
const catalog = (...rows: string[]) => [COMPUTE_HEADER, ...rows].join('\n') + '\n';

// ---------------------------------------------------------------------------
// Case builders

const cases: CorpusCase[] = [];
function add(c: CorpusCase): void {
  cases.push(c);
}

const RUN_OUT = ['--out', '@/out', '--quiet'];

type ScenarioContent = FileSpec;
interface ScenarioBad {
  key: string;
  class: InputClass;
  what: string;
  content: ScenarioContent;
  mentions: readonly Mention[];
  exit?: readonly number[];
  timeoutMs?: number;
  /** Also through `mxsim cost FILE` and `mxsim compare`. */
  everyCommand?: boolean;
  /** Through `mxsim run` only (the huge files: one command is enough, and cheaper). */
  runOnly?: boolean;
  maxStderr?: number;
}

/**
 * A bad scenario file, given to `mxsim run` and `mxsim validate` (and, with
 * `everyCommand`, to `mxsim cost` and as the second input of `mxsim compare`).
 */
function badScenario(b: ScenarioBad): void {
  const exit = b.exit ?? [3];
  const common = { class: b.class, what: b.what, timeoutMs: b.timeoutMs };
  const expect = { exit, mentions: ['s.json', ...b.mentions], maxStderr: b.maxStderr };
  add({ ...common, id: `run/${b.class}/${b.key}`, command: 'run', argv: ['run', '@/s.json', ...RUN_OUT], files: { 's.json': b.content }, expect });
  if (b.runOnly) return;
  add({ ...common, id: `validate/${b.class}/${b.key}`, command: 'validate', argv: ['validate', '@/s.json'], files: { 's.json': b.content }, expect });
  if (b.everyCommand) {
    add({ ...common, id: `cost/${b.class}/${b.key}`, command: 'cost', argv: ['cost', '@/s.json'], files: { 's.json': b.content }, expect });
    add({
      ...common,
      id: `compare/${b.class}/${b.key}`,
      command: 'compare',
      argv: ['compare', '@/ok.json', '@/s.json', '--out', '@/out', '--quiet'],
      files: { 'ok.json': json(TINY), 's.json': b.content },
      expect,
    });
  }
}

// ---------------------------------------------------------------------------
// Malformed JSON

const tinyText = json(TINY);
badScenario({ key: 'empty-file', class: 'json', what: 'an empty file', content: '', mentions: [], everyCommand: true });
badScenario({ key: 'whitespace-only', class: 'json', what: 'only spaces and newlines', content: '  \n\t\n  ', mentions: [] });
badScenario({ key: 'truncated', class: 'json', what: 'cut off in the middle of a field name', content: tinyText.slice(0, 60), mentions: ['line'], everyCommand: true });
badScenario({ key: 'trailing-comma-object', class: 'json', what: 'a comma after the last field', content: tinyText.replace(/\n}$/, ',\n}'), mentions: ['line'] });
badScenario({
  key: 'trailing-comma-array',
  class: 'json',
  what: 'a comma after the last room kind',
  content: tinyText.replace('"value": 6\n        }\n      }', '"value": 6\n        }\n      },'),
  mentions: ['line'],
});
badScenario({ key: 'comment', class: 'json', what: 'a // comment before the object', content: `// my scenario\n${tinyText}`, mentions: ['line 1'] });
badScenario({ key: 'single-quotes', class: 'json', what: "'single-quoted' field names", content: tinyText.replaceAll('"name"', "'name'"), mentions: ['line'] });
badScenario({ key: 'open-brackets-10000', class: 'json', what: '10,000 [ and nothing else', content: '['.repeat(10_000), mentions: ['line 1'], everyCommand: true });
badScenario({ key: 'open-objects-10000', class: 'json', what: '10,000 {"a": and nothing else', content: '{"a":'.repeat(10_000), mentions: ['line 1'] });
badScenario({ key: 'deep-array-5000', class: 'json', what: 'a 5,000-deep array as the whole file (valid JSON)', content: deepArray(5000), mentions: [], everyCommand: true });
badScenario({
  key: 'deep-array-in-field',
  class: 'json',
  what: 'population.users a 5,000-deep array',
  content: tinyRaw('population.users', deepArray(5000)),
  mentions: ['population.users'],
});
badScenario({
  key: 'deep-array-100000',
  runOnly: true,
  class: 'json',
  what: 'population.users a 100,000-deep array',
  content: { lazy: () => tinyRaw('population.users', deepArray(100_000)) },
  mentions: ['population.users'],
});
badScenario({
  key: 'deep-object-unknown-key',
  class: 'json',
  what: 'an unknown field holding a 5,000-deep object',
  content: tinyInsertRaw('', 'extra', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)),
  mentions: ['extra'],
});
badScenario({
  key: 'bom-then-invalid-field',
  class: 'json',
  what: 'a byte-order mark, then users -1',
  content: `\uFEFF${tinyWith('population.users', -1)}`,
  mentions: ['population.users'],
});
badScenario({
  key: 'bom-then-truncated',
  class: 'json',
  what: 'a byte-order mark, then a truncated object',
  content: `\uFEFF{"name": "tiny",\n  "population": {`,
  mentions: ['line 2'],
});
badScenario({ key: 'two-boms', class: 'json', what: 'two byte-order marks', content: `\uFEFF\uFEFF${tinyText}`, mentions: ['line 1'] });
badScenario({ key: 'nul-in-string', class: 'json', what: 'a NUL byte inside the name', content: tinyText.replace('"tiny"', '"ti\u0000ny"'), mentions: ['line'] });
badScenario({
  key: 'nul-between-tokens',
  class: 'json',
  what: 'a NUL byte between two fields',
  content: tinyText.replace('"description"', '\u0000"description"'),
  mentions: ['line'],
});
badScenario({ key: 'all-nul', class: 'json', what: '1 KiB of NUL bytes', content: new Uint8Array(1024), mentions: [] });
badScenario({
  key: 'invalid-utf8-name',
  class: 'json',
  what: 'bytes 0xFF 0xFE (not UTF-8) inside the name',
  content: concatBytes(utf8(tinyText.slice(0, tinyText.indexOf('tiny'))), new Uint8Array([0xff, 0xfe]), utf8(tinyText.slice(tinyText.indexOf('tiny')))),
  mentions: ['UTF-8'],
});
badScenario({
  key: 'invalid-utf8-description',
  class: 'json',
  what: 'a byte 0xC3 0x28 (not UTF-8) inside the description: today it silently becomes U+FFFD',
  content: concatBytes(utf8(tinyText.slice(0, tinyText.indexOf('A tiny'))), new Uint8Array([0xc3, 0x28]), utf8(tinyText.slice(tinyText.indexOf('A tiny')))),
  mentions: ['UTF-8'],
});
badScenario({
  key: 'utf16',
  class: 'json',
  what: 'the scenario saved as UTF-16 LE with its byte-order mark',
  content: concatBytes(new Uint8Array([0xff, 0xfe]), new Uint8Array(Buffer.from(tinyText, 'utf16le'))),
  mentions: [],
});
badScenario({
  key: 'huge-whitespace',
  runOnly: true,
  class: 'json',
  what: '16 MiB of spaces, then a truncated object',
  content: { lazy: () => ' '.repeat(16 * 1024 * 1024) + '{"name": ' },
  // Refused by its size (over 10 MiB) before it is parsed.
  mentions: ['bytes'],
  timeoutMs: HUGE_TIMEOUT_MS,
});
badScenario({
  key: 'huge-array',
  runOnly: true,
  class: 'json',
  what: 'hourlyWeights of 500,000 numbers (4 MiB as written)',
  content: {
    lazy: () =>
      tinyWith(
        'population.rhythm.hourlyWeights',
        Array.from({ length: 500_000 }, () => 1),
      ),
  },
  mentions: ['population.rhythm.hourlyWeights'],
  timeoutMs: HUGE_TIMEOUT_MS,
});
badScenario({
  key: 'huge-string',
  runOnly: true,
  class: 'json',
  what: 'a name of 8 MiB',
  content: { lazy: () => tinyWith('name', 'x'.repeat(8 * 1024 * 1024)) },
  mentions: ['name'],
  timeoutMs: HUGE_TIMEOUT_MS,
});

// ---------------------------------------------------------------------------
// Duplicate keys: JSON.parse keeps the last one silently; the file is ambiguous.

badScenario({
  key: 'description-twice',
  class: 'duplicate-keys',
  what: 'description given twice (both valid)',
  content: tinyInsertRaw('', 'description', '"an earlier description"'),
  mentions: ['description'],
  everyCommand: true,
});
badScenario({
  key: 'users-twice',
  class: 'duplicate-keys',
  what: 'population.users given twice, 30 then 50',
  content: tinyInsertRaw('population', 'users', '50'),
  mentions: ['population.users'],
});
badScenario({
  key: 'count-twice',
  class: 'duplicate-keys',
  what: 'rooms.kinds[0].count given twice',
  content: tinyText.replace('"count": 5', '"count": 500,\n          "count": 5'),
  mentions: ['rooms.kinds[0].count'],
});
badScenario({
  key: 'object-twice',
  class: 'duplicate-keys',
  what: 'features given twice as objects',
  content: tinyInsertRaw('', 'features', '{"presence": false}').replace(/\n}$/, ',\n  "features": {"typing": false}\n}'),
  mentions: ['features'],
});
badScenario({
  key: 'proto-twice',
  class: 'duplicate-keys',
  what: '"__proto__" given twice',
  content: tinyInsertRaw('', '__proto__', '{"a": 1}').replace('"__proto__": {"a": 1}', '"__proto__": {"a": 1},\n  "__proto__": {"b": 2}'),
  mentions: ['__proto__'],
});

// ---------------------------------------------------------------------------
// Wrong types, missing fields

const types: [string, string, unknown, string][] = [
  ['users-string', 'population.users', '30', 'population.users'],
  ['users-bool', 'population.users', true, 'population.users'],
  ['users-null', 'population.users', null, 'population.users'],
  ['population-null', 'population', null, 'population'],
  ['population-array', 'population', [], 'population'],
  ['kinds-object', 'rooms.kinds', {}, 'rooms.kinds'],
  ['members-string', 'rooms.kinds[0].members', '6', 'rooms.kinds[0].members'],
  ['members-no-kind', 'rooms.kinds[0].members', { value: 6 }, 'rooms.kinds[0].members'],
  ['members-unknown-kind', 'rooms.kinds[0].members', { kind: 'nope', value: 6 }, 'rooms.kinds[0].members.kind'],
  ['presence-string', 'features.presence', 'yes', 'features.presence'],
  ['seed-object', 'run.seed', {}, 'run.seed'],
  ['seed-fraction', 'run.seed', 1.5, 'run.seed'],
  ['name-number', 'name', 123, 'name'],
  ['name-path', 'name', '../../etc', 'name'],
  ['description-empty', 'description', '', 'description'],
  ['classes-string', 'population.classes', 'heavy', 'population.classes'],
  ['federation-mode', 'federation.mode', 'half', 'federation.mode'],
  ['implementation', 'run.server.implementation', 'matrix', 'run.server.implementation'],
  ['rates-string', 'cost.rates', 'USD:EUR=0.9', 'cost.rates'],
];
for (const [key, path, value, mention] of types) {
  badScenario({ key, class: 'types', what: `${path} = ${JSON.stringify(value)}`, content: tinyWith(path, value), mentions: [mention], everyCommand: key === 'users-string' });
}
for (const field of ['name', 'population', 'rooms']) {
  badScenario({ key: `missing-${field}`, class: 'types', what: `no ${field}`, content: json(edit(TINY, field, DROP)), mentions: [field] });
}
for (const [key, raw] of [
  ['root-null', 'null'],
  ['root-array', '[]'],
  ['root-number', '42'],
  ['root-string', '"tiny"'],
] as const) {
  badScenario({ key, class: 'types', what: `the whole file is ${raw}`, content: raw, mentions: [] });
}

// ---------------------------------------------------------------------------
// Out-of-range and absurd numbers. Absurd but in the grammar (1e12 users,
// 0.001-minute bins, 1e9 reactions per message) would simulate for hours:
// a pre-flight check must refuse them before anything runs.

const numbers: [string, string, unknown, Mention, string?][] = [
  ['users-1e999', 'population.users', 'RAW:1e999', 'population.users'],
  ['users-negative', 'population.users', -1, 'population.users'],
  ['users-zero', 'population.users', 0, 'population.users'],
  ['users-fraction', 'population.users', 1.5, 'population.users'],
  ['users-1e12', 'population.users', 1e12, 'population.users', 'a trillion users'],
  ['users-unsafe-integer', 'population.users', 'RAW:12345678901234567890', 'population.users'],
  ['users-NaN-string', 'population.users', 'NaN', 'population.users'],
  ['users-Infinity-string', 'population.users', 'Infinity', 'population.users'],
  ['users-1e3-string', 'population.users', '1e3', 'population.users'],
  ['bin-0.001-minutes', 'run.binMinutes', 0.001, 'run.binMinutes', '0.001-minute bins (1.4 million bins a day)'],
  ['bin-zero', 'run.binMinutes', 0, 'run.binMinutes'],
  ['reactions-1e9', 'behaviour.reactionsPerMessage', 1e9, 'behaviour.reactionsPerMessage', 'a billion reactions per message'],
  ['replications-1e6', 'run.replications', 1e6, 'run.replications'],
  ['room-count-1e9', 'rooms.kinds[0].count', 1e9, 'rooms.kinds[0].count', 'a billion rooms'],
  ['members-1e9', 'rooms.kinds[0].members.value', 1e9, 'rooms.kinds[0].members', 'rooms of a billion members'],
  ['messages-1e12', 'population.classes', [{ name: 'all', share: 1, messagesPerDay: 1e12 }], 'population.classes[0].messagesPerDay', 'a trillion messages per user per day'],
  ['message-bytes-1e300', 'behaviour.messageBytes', { kind: 'deterministic', value: 1e300 }, 'behaviour.messageBytes', 'messages of 1e300 bytes'],
  ['session-cv-1e308', 'population.sessionMinutes', { kind: 'lognormal', mean: 45, cv: 1e308 }, 'population.sessionMinutes'],
  ['mobile-share-1.5', 'population.mobileDeviceShare', 1.5, 'population.mobileDeviceShare'],
  ['growth-3', 'population.growthPerMonth', 3, 'population.growthPerMonth'],
  ['horizon-zero', 'run.horizonMonths', 0, 'run.horizonMonths'],
  ['horizon-1e6', 'run.horizonMonths', 1e6, 'run.horizonMonths'],
  ['days-zero', 'run.days', 0, 'run.days'],
  ['hourly-weights-zero', 'population.rhythm.hourlyWeights', Array.from({ length: 24 }, () => 0), 'population.rhythm.hourlyWeights', 'no activity in any hour'],
  ['class-shares-half', 'population.classes', [{ name: 'all', share: 0.5, messagesPerDay: 5 }], 'population.classes'],
  ['uniform-min-above-max', 'rooms.kinds[0].members', { kind: 'uniform', min: 10, max: 3 }, 'rooms.kinds[0].members'],
  ['empirical-weights-zero', 'rooms.kinds[0].members', { kind: 'empirical', values: [2, 3], weights: [0, 0] }, 'rooms.kinds[0].members'],
  ['empirical-empty', 'rooms.kinds[0].members', { kind: 'empirical', values: [] }, 'rooms.kinds[0].members.values'],
  ['timezone-negative', 'population.rhythm.timeZoneSpreadHours', -1, 'population.rhythm.timeZoneSpreadHours'],
  ['peak-online-zero', 'population.peakOnlineShare', 0, 'population.peakOnlineShare'],
  ['cpu-target-zero', 'run.server.targets.cpuUtilization', 0, 'run.server.targets.cpuUtilization'],
  ['workers-501', 'run.server.workers.sync', 501, 'run.server.workers.sync'],
  ['media-max-1e999', 'features.mediaMaxBytes', 'RAW:1e999', 'features.mediaMaxBytes'],
  ['seed-1e308', 'run.seed', 1e308, 'run.seed'],
  ['remote-servers-1e9', 'federation', { mode: 'open', remoteServers: 1e9 }, 'federation.remoteServers', 'a billion remote servers'],
  // A year at 1,000 replications is valid: mxsim run refuses it before it starts as run.too-large (exit 2) and
  // mxsim validate warns, both naming the input that drives it (test/analysis/preflight.test.ts).
];
for (const [key, path, value, mention, what] of numbers) {
  const content = typeof value === 'string' && value.startsWith('RAW:') ? tinyRaw(path, value.slice(4)) : tinyWith(path, value);
  badScenario({
    key,
    class: 'numbers',
    what: what ?? `${path} = ${typeof value === 'string' && value.startsWith('RAW:') ? value.slice(4) : JSON.stringify(value)}`,
    content,
    mentions: [mention],
    everyCommand: key === 'users-1e12' || key === 'reactions-1e9',
  });
}

// ---------------------------------------------------------------------------
// Unknown fields, prototype keys

const unknownFields: [string, string, string, string, Mention][] = [
  ['root-typo', '', 'nmae', '"tiny"', 'nmae'],
  ['nested-typo', 'population', 'usres', '30', 'population.usres'],
  ['feature-typo', 'features', 'presense', 'false', 'features.presense'],
  ['room-kind-field', 'rooms.kinds[0]', 'colour', '"red"', 'rooms.kinds[0].colour'],
  ['proto-root', '', '__proto__', '{"polluted": 1}', '__proto__'],
  ['proto-nested', 'population', '__proto__', '{"users": 5}', 'population.__proto__'],
  ['constructor', '', 'constructor', '{"prototype": {"x": 1}}', 'constructor'],
  ['prototype', 'features', 'prototype', '{}', 'features.prototype'],
  ['toString', '', 'toString', '1', 'toString'],
  ['hasOwnProperty', 'population', 'hasOwnProperty', '1', 'population.hasOwnProperty'],
  ['empty-key', '', '', '1', '""'],
  ['escape-in-key', '', '\u001b[31mred', '1', 'red'],
];
for (const [key, path, field, raw, mention] of unknownFields) {
  const content = path.startsWith('rooms.kinds[0]')
    ? tinyText.replace('"name": "group"', `${JSON.stringify(field)}: ${raw},\n          "name": "group"`)
    : tinyInsertRaw(path, field, raw);
  badScenario({
    key,
    class: 'unknown-fields',
    what: `an unknown field ${JSON.stringify(path === '' ? field : `${path}.${field}`)}`,
    content,
    mentions: [mention],
    everyCommand: key === 'proto-root',
  });
}

// ---------------------------------------------------------------------------
// --set abuse (on a valid scenario)

const sets: [string, string, Mention[], number[]?][] = [
  ['proto-polluted', '__proto__.polluted=1', ['--set', '__proto__']],
  ['proto-toString', '__proto__.toString=1', ['--set', '__proto__']],
  ['proto-itself', '__proto__=1', ['--set', '__proto__']],
  ['constructor-prototype', 'constructor.prototype.x=1', ['--set', 'constructor']],
  ['nested-proto', 'population.__proto__.users=5', ['--set', '__proto__']],
  ['array-item-proto', 'rooms.kinds[0].__proto__.count=1', ['--set', '__proto__']],
  ['nested-constructor', 'population.constructor.prototype.y=2', ['--set', 'constructor']],
  ['unknown-path', 'nosuch.path=1', ['nosuch']],
  ['into-a-number', 'population.users.x=1', ['population.users']],
  ['index-out-of-range', 'rooms.kinds[5].count=1', ['rooms.kinds[5]']],
  ['index-huge', 'rooms.kinds[99999999999999999999].count=1', ['rooms.kinds']],
  ['index-negative', 'rooms.kinds[-1].count=1', ['--set']],
  ['empty', '', ['--set']],
  ['equals-only', '=', ['--set']],
  ['no-path', '=1', ['--set']],
  ['no-equals', 'population.users', ['--set', 'population.users']],
  ['empty-value', 'population.users=', ['population.users']],
  ['value-1e999', 'population.users=1e999', ['population.users']],
  ['value-NaN', 'population.users=NaN', ['population.users']],
  ['value-1e12', 'population.users=1e12', ['population.users']],
  ['population-null', 'population=null', ['population']],
  ['kinds-empty', 'rooms.kinds=[]', ['rooms.kinds']],
  ['replications-1e6', 'run.replications=1000000', ['run.replications']],
  ['deep-value', `population.users=${deepArray(5000)}`, ['population.users']],
  ['long-path', `${'a.'.repeat(2_000)}b=1`, [['--set', '\n  a: ']]],
  ['name-traversal', 'name=../../etc', ['name']],
  ['bool-string', 'features.presence=yes', ['features.presence']],
];
for (const [key, set, mentions, exit] of sets) {
  const what = `--set ${JSON.stringify(set.length > 60 ? `${set.slice(0, 57)}...` : set)}`;
  add({
    id: `run/set/${key}`,
    command: 'run',
    class: 'set',
    what,
    argv: ['run', '@/s.json', '--set', set, ...RUN_OUT],
    files: { 's.json': tinyText },
    expect: { exit: exit ?? [2, 3], mentions },
  });
}
for (const [key, set] of [
  ['proto-polluted', '__proto__.polluted=1'],
  ['proto-itself', '__proto__=1'],
  ['constructor-prototype', 'constructor.prototype.x=1'],
  ['index-out-of-range', 'rooms.kinds[5].count=1'],
] as const) {
  add({
    id: `validate/set/${key}`,
    command: 'validate',
    class: 'set',
    what: `--set ${set}`,
    argv: ['validate', '@/s.json', '--set', set],
    files: { 's.json': tinyText },
    expect: { exit: [2, 3], mentions: ['--set'] },
  });
}
add({
  id: 'compare/set/proto-polluted',
  command: 'compare',
  class: 'set',
  what: '--set __proto__.polluted=1 on two scenario files',
  argv: ['compare', '@/a.json', '@/b.json', '--set', '__proto__.polluted=1', '--out', '@/out', '--quiet'],
  files: { 'a.json': tinyText, 'b.json': tinyWith('name', 'tiny-b') },
  expect: { exit: [2, 3], mentions: ['--set', '__proto__'] },
});

// ---------------------------------------------------------------------------
// Options

const runOptions: [string, string[], Mention[]][] = [
  ['seed-empty', ['--seed', ''], ['--seed']],
  // '--seed =1+1' is a valid seed: it runs, and the CSV files write it as text ('=1+1), never as a formula (test/report/csv.test.ts).
  ['replications-zero', ['--replications', '0'], ['--replications']],
  ['replications-negative', ['--replications', '-1'], ['--replications']],
  ['replications-1e6', ['--replications', '1e6'], ['--replications']],
  ['replications-huge', ['--replications', '99999999999999999999'], ['--replications']],
  ['replications-1001', ['--replications', '1001'], ['--replications']],
  ['replications-fraction', ['--replications', '1.5'], ['--replications']],
  ['replications-word', ['--replications', 'abc'], ['--replications']],
  ['replications-empty', ['--replications', ''], ['--replications']],
  ['unknown-option', ['--frobnicate'], ['--frobnicate']],
  ['rate-zero', ['--rate', 'USD:EUR=0'], ['--rate']],
  ['rate-1e999', ['--rate', 'USD:EUR=1e999'], ['--rate']],
  ['rate-garbage', ['--rate', 'x'], ['--rate']],
  ['prices-no-value', ['--prices'], ['--prices']],
  ['set-no-value', ['--set'], ['--set']],
];
for (const [key, opts, mentions] of runOptions) {
  // The options come after --out, so an option without its value is the last word.
  add({
    id: `run/options/${key}`,
    command: 'run',
    class: 'options',
    what: opts.map((o) => (o === '' ? "''" : o)).join(' '),
    argv: ['run', '@/s.json', ...RUN_OUT, ...opts],
    files: { 's.json': tinyText },
    expect: { exit: [2], mentions },
  });
}
add({ id: 'run/options/no-scenario', command: 'run', class: 'options', what: 'no scenario argument', argv: ['run', ...RUN_OUT], expect: { exit: [2], mentions: ['scenario'] } });
add({
  id: 'run/options/two-scenarios',
  command: 'run',
  class: 'options',
  what: 'two scenario arguments',
  argv: ['run', '@/s.json', '@/s.json', ...RUN_OUT],
  files: { 's.json': tinyText },
  expect: { exit: [2], mentions: [['argument', 's.json']] },
});
add({
  id: '(none)/options/unknown-command',
  command: '(none)',
  class: 'options',
  what: 'an unknown command',
  argv: ['frobnicate'],
  expect: { exit: [2], mentions: ['frobnicate'] },
});
add({ id: '(none)/options/no-command', command: '(none)', class: 'options', what: 'no command at all', argv: [], expect: { exit: [2], mentions: ['command'] } });

const RUN_DIR = runFolder('run');
const costOptions: [string, string[], Mention[]][] = [
  ['horizon-1000', ['--horizon-months', '1000'], ['--horizon-months']],
  ['horizon-zero', ['--horizon-months', '0'], ['--horizon-months']],
  ['horizon-1e999', ['--horizon-months', '1e999'], ['--horizon-months']],
  ['cores-zero', ['--cores', '0'], ['--cores']],
  ['cores-negative', ['--cores', '-1'], ['--cores']],
  ['cores-1e999', ['--cores', '1e999'], ['--cores']],
  ['cores-1e12', ['--cores', '1e12'], ['--cores']],
  ['ram-NaN', ['--ram-gib', 'NaN'], ['--ram-gib']],
  ['processes-zero', ['--processes', '0'], ['--processes']],
  ['labour-rate-infinity', ['--labour-rate', 'Infinity'], ['--labour-rate']],
  ['currency-unknown', ['--currency', 'XXX'], [['--currency', 'XXX']]],
  ['currency-empty', ['--currency', ''], ['--currency']],
  ['rate-negative', ['--rate', 'USD:EUR=-1'], ['--rate']],
  ['vat-maybe', ['--vat', 'maybe'], ['--vat']],
  ['provider-formula', ['--provider', '=HYPERLINK("x")'], ['--provider']],
  ['use-nothing', ['--use', 'nothing'], ['--use']],
  ['only-prices-alone', ['--only-prices'], [['--only-prices', '--prices']]],
];
for (const [key, opts, mentions] of costOptions) {
  add({
    id: `cost/options/${key}`,
    command: 'cost',
    class: 'options',
    what: opts.map((o) => (o === '' ? "''" : o)).join(' '),
    argv: ['cost', '@/run', ...opts],
    files: RUN_DIR,
    expect: { exit: [2], mentions },
  });
}
add({
  id: 'cost/options/scenario-horizon-1000',
  command: 'cost',
  class: 'options',
  what: 'a scenario with --horizon-months 1000',
  argv: ['cost', '@/s.json', '--horizon-months', '1000'],
  files: { 's.json': tinyText },
  expect: { exit: [2], mentions: ['--horizon-months'] },
});
const compareOptions: [string, string[], Mention[]][] = [
  ['replications-zero', ['--replications', '0'], ['--replications']],
  ['replications-1e6', ['--replications', '1e6'], ['--replications']],
  ['seed-empty', ['--seed', ''], ['--seed']],
];
for (const [key, opts, mentions] of compareOptions) {
  add({
    id: `compare/options/${key}`,
    command: 'compare',
    class: 'options',
    what: opts.map((o) => (o === '' ? "''" : o)).join(' '),
    argv: ['compare', '@/a.json', '@/b.json', '--out', '@/out', '--quiet', ...opts],
    files: { 'a.json': tinyText, 'b.json': tinyWith('name', 'tiny-b') },
    expect: { exit: [2], mentions },
  });
}
add({
  id: 'compare/options/one-input',
  command: 'compare',
  class: 'options',
  what: 'only one input',
  argv: ['compare', '@/run', '--out', '@/out'],
  files: RUN_DIR,
  expect: { exit: [2], mentions: [['input', 'compare']] },
});
add({ id: 'validate/options/no-file', command: 'validate', class: 'options', what: 'no file', argv: ['validate'], expect: { exit: [2], mentions: ['file'] } });
add({
  id: 'schema/options/extra-argument',
  command: 'schema',
  class: 'options',
  what: 'an extra argument',
  argv: ['schema', 'extra'],
  expect: { exit: [2], mentions: [['extra', 'argument']] },
});
add({
  id: 'schema/options/unknown-option',
  command: 'schema',
  class: 'options',
  what: 'an unknown option',
  argv: ['schema', '--out', 'x.json'],
  expect: { exit: [2], mentions: ['--out'] },
});

// ---------------------------------------------------------------------------
// The output folder: never half-written, never a stray folder, never a user's folder deleted

const outputCases: {
  key: string;
  what: string;
  command: 'run' | 'compare';
  out: string;
  force?: boolean;
  files?: Record<string, FileSpec>;
  exit: number[];
  mentions: Mention[];
  readOnly?: string[];
}[] = [
  { key: 'out-empty', what: "--out ''", command: 'run', out: '', exit: [2], mentions: ['--out'] },
  {
    key: 'out-under-file',
    what: '--out under a regular file',
    command: 'run',
    out: '@/notes.txt/out',
    files: { 'notes.txt': 'my notes\n' },
    exit: [2, 3],
    mentions: ['notes.txt'],
  },
  { key: 'out-under-dev-null', what: '--out /dev/null/out', command: 'run', out: '/dev/null/out', exit: [2, 3], mentions: ['/dev/null'] },
  { key: 'out-is-file', what: '--out an existing regular file', command: 'run', out: '@/notes.txt', files: { 'notes.txt': 'my notes\n' }, exit: [2], mentions: ['notes.txt'] },
  {
    key: 'out-is-file-force',
    what: '--out an existing regular file, with --force',
    command: 'run',
    out: '@/notes.txt',
    force: true,
    files: { 'notes.txt': 'my notes\n' },
    exit: [2, 4],
    mentions: ['notes.txt'],
  },
  {
    key: 'out-non-report-force',
    what: '--out an existing folder that is not a report, with --force (must not be deleted)',
    command: 'run',
    out: '@/mine',
    force: true,
    files: { 'mine/thesis.tex': '\\documentclass{article}\n', 'mine/data/figures.csv': 'a,b\n1,2\n' },
    exit: [2, 4],
    mentions: ['mine'],
  },
  { key: 'out-is-case-folder-force', what: '--out the folder holding the scenario, with --force', command: 'run', out: '@/', force: true, exit: [2, 4], mentions: ['--out'] },
  {
    key: 'out-read-only-parent',
    what: '--out in a read-only folder',
    command: 'run',
    out: '@/locked/out',
    files: { 'locked/.keep': '' },
    readOnly: ['locked'],
    exit: [2, 3],
    mentions: ['locked'],
  },
  { key: 'out-empty', what: "--out ''", command: 'compare', out: '', exit: [2], mentions: ['--out'] },
  {
    key: 'out-under-file',
    what: '--out under a regular file',
    command: 'compare',
    out: '@/notes.txt/out',
    files: { 'notes.txt': 'my notes\n' },
    exit: [2, 3],
    mentions: ['notes.txt'],
  },
  {
    key: 'out-non-report-force',
    what: '--out an existing folder that is not a report, with --force (must not be deleted)',
    command: 'compare',
    out: '@/mine',
    force: true,
    files: { 'mine/thesis.tex': '\\documentclass{article}\n' },
    exit: [2, 4],
    mentions: ['mine'],
  },
];
for (const o of outputCases) {
  const inputs: { argv: string[]; files: Record<string, FileSpec> } =
    o.command === 'run' ? { argv: ['run', '@/s.json'], files: { 's.json': tinyText } } : { argv: ['compare', '@/a', '@/b'], files: { ...runFolder('a'), ...runFolder('b') } };
  add({
    id: `${o.command}/output/${o.key}`,
    command: o.command,
    class: 'output',
    what: o.what,
    argv: [...inputs.argv, '--out', o.out, '--quiet', ...(o.force ? ['--force'] : [])],
    files: { ...inputs.files, ...o.files },
    readOnly: o.readOnly,
    expect: { exit: o.exit, mentions: o.mentions },
  });
}

// ---------------------------------------------------------------------------
// Files named that are not there, or not files

add({
  id: 'run/files/missing',
  command: 'run',
  class: 'files',
  what: 'a scenario that does not exist',
  argv: ['run', '@/nope.json', ...RUN_OUT],
  expect: { exit: [3], mentions: ['nope.json'] },
});
add({
  id: 'run/files/directory',
  command: 'run',
  class: 'files',
  what: 'a folder as the scenario',
  argv: ['run', '@/adir', ...RUN_OUT],
  files: { 'adir/x': '' },
  expect: { exit: [3], mentions: ['adir'] },
});
add({
  id: 'validate/files/missing',
  command: 'validate',
  class: 'files',
  what: 'a file that does not exist',
  argv: ['validate', '@/nope.json'],
  expect: { exit: [3], mentions: ['nope.json'] },
});
add({
  id: 'validate/files/directory',
  command: 'validate',
  class: 'files',
  what: 'a folder',
  argv: ['validate', '@/adir'],
  files: { 'adir/x': '' },
  expect: { exit: [3], mentions: ['adir'] },
});
add({
  id: 'validate/files/one-bad-of-two',
  command: 'validate',
  class: 'files',
  what: 'a valid file and an invalid one',
  argv: ['validate', '@/ok.json', '@/bad.json'],
  files: { 'ok.json': tinyText, 'bad.json': tinyWith('population.users', -1) },
  expect: { exit: [3], mentions: ['bad.json', 'population.users'] },
});
add({ id: 'cost/files/missing', command: 'cost', class: 'files', what: 'a run folder that does not exist', argv: ['cost', '@/nope'], expect: { exit: [3], mentions: ['nope'] } });
add({
  id: 'cost/files/missing-json',
  command: 'cost',
  class: 'files',
  what: 'a scenario file that does not exist',
  argv: ['cost', '@/nope.json'],
  expect: { exit: [3], mentions: ['nope.json'] },
});
add({
  id: 'cost/files/text-file',
  command: 'cost',
  class: 'files',
  what: 'a text file that is neither a run folder nor a scenario',
  argv: ['cost', '@/run.txt'],
  files: { 'run.txt': 'not a run\n' },
  expect: { exit: [3], mentions: ['run.txt'] },
});
add({
  id: 'compare/files/missing',
  command: 'compare',
  class: 'files',
  what: 'a second input that does not exist',
  argv: ['compare', '@/a', '@/nope', '--out', '@/out'],
  files: runFolder('a'),
  expect: { exit: [3], mentions: ['nope'] },
});

// ---------------------------------------------------------------------------
// Price catalogs (--prices), through `mxsim cost RUN_DIR` and, checked before simulating, `mxsim run`

const catalogs: [string, string, FileSpec, Mention[], boolean?][] = [
  ['empty', 'an empty file', '', ['p.csv'], true],
  ['header-only', 'the header and no row', catalog(), ['p.csv'], true],
  ['misspelt-column', 'a column "regoin"', catalog(computeRow()).replace('region', 'regoin'), ['p.csv', 'regoin'], true],
  ['column-twice', 'the column region twice', catalog(computeRow()).replace('region,', 'region,region,').replace('Acme,r1,', 'Acme,r1,r1,'), ['p.csv', 'region'], true],
  ['zero-vcpu', 'a row with 0 vCPU', catalog(computeRow({ vcpu: '0' })), ['p.csv:2', 'vcpu'], true],
  ['negative-price', 'a negative price', catalog(computeRow({ price_month: '-20' })), ['p.csv:2', 'price_month'], true],
  ['price-1e999', 'a price of 1e999', catalog(computeRow({ price_month: '1e999' })), ['p.csv:2', 'price_month']],
  ['price-NaN', 'a price NaN', catalog(computeRow({ price_month: 'NaN' })), ['p.csv:2', 'price_month']],
  // A provider named =HYPERLINK("x") is accepted: every CSV mxsim writes makes such a cell text ('=HYPERLINK...), and HTML escapes it.
  ['zero-ram', 'a row with 0 GiB RAM', catalog(computeRow({ ram_gib: '0' })), ['p.csv:2', 'ram_gib']],
  ['vcpu-1e9', 'a row with a billion vCPU', catalog(computeRow({ vcpu: '1000000000' })), ['p.csv:2', 'vcpu']],
  ['unknown-currency', 'currency XXX', catalog(computeRow({ currency: 'XXX' })), ['p.csv:2', 'currency']],
  ['unknown-kind', 'a header of no known catalog', 'a,b,c\n1,2,3\n', ['p.csv']],
  ['too-many-fields', 'a row with two fields too many', catalog(computeRow() + ',x,y'), ['p.csv:2']],
  ['unterminated-quote', 'a quote that never closes', catalog(computeRow({ instance: '"small' })), ['p.csv']],
  ['binary', 'random bytes', new Uint8Array(Array.from({ length: 512 }, (_, i) => (i * 151 + 7) % 256)), ['p.csv']],
  [
    'invalid-utf8',
    'bytes that are not UTF-8 in a provider name',
    concatBytes(utf8(`${COMPUTE_HEADER}\nAc`), new Uint8Array([0xff]), utf8(computeRow().slice(2) + '\n')),
    ['p.csv', 'UTF-8'],
  ],
  ['nul-byte', 'a NUL byte in a field', catalog(computeRow({ instance: 'sm\u0000all' })), ['p.csv']],
];
for (const [key, what, content, mentions, viaRun] of catalogs) {
  add({
    id: `cost/catalog/${key}`,
    command: 'cost',
    class: 'catalog',
    what,
    argv: ['cost', '@/run', '--prices', '@/p.csv'],
    files: { ...RUN_DIR, 'p.csv': content },
    expect: { exit: [3], mentions },
  });
  if (viaRun) {
    add({
      id: `run/catalog/${key}`,
      command: 'run',
      class: 'catalog',
      what,
      argv: ['run', '@/s.json', '--prices', '@/p.csv', ...RUN_OUT],
      files: { 's.json': tinyText, 'p.csv': content },
      expect: { exit: [3], mentions },
    });
  }
}
add({
  id: 'cost/catalog/missing',
  command: 'cost',
  class: 'catalog',
  what: 'a --prices file that does not exist',
  argv: ['cost', '@/run', '--prices', '@/p.csv'],
  files: RUN_DIR,
  expect: { exit: [3], mentions: ['p.csv'] },
});
add({
  id: 'run/catalog/missing',
  command: 'run',
  class: 'catalog',
  what: 'a --prices file that does not exist',
  argv: ['run', '@/s.json', '--prices', '@/p.csv', ...RUN_OUT],
  files: { 's.json': tinyText },
  expect: { exit: [3], mentions: ['p.csv'] },
});
add({
  id: 'cost/catalog/directory',
  command: 'cost',
  class: 'catalog',
  what: 'a folder as --prices',
  argv: ['cost', '@/run', '--prices', '@/pdir'],
  files: { ...RUN_DIR, 'pdir/x.csv': catalog(computeRow()) },
  expect: { exit: [3], mentions: ['pdir'] },
});

// ---------------------------------------------------------------------------
// Run folders read by `mxsim cost RUN_DIR` and `mxsim compare A B`

const runFolders: [string, string, Record<string, FileSpec | null>, Mention[], ('cost' | 'compare')[]][] = [
  [
    'empty-folder',
    'an empty folder',
    { 'summary.json': null, 'scenario.json': null, 'data/storage-horizon.csv': null, 'data/replications.csv': null, 'data/.keep': '' },
    ['summary.json'],
    ['cost', 'compare'],
  ],
  ['no-summary', 'no summary.json', { 'summary.json': null }, ['summary.json'], ['cost', 'compare']],
  ['summary-null', 'summary.json is null', { 'summary.json': 'null' }, ['summary.json'], ['cost', 'compare']],
  ['summary-array', 'summary.json is []', { 'summary.json': '[]' }, ['summary.json'], ['cost', 'compare']],
  ['summary-empty-object', 'summary.json is {}', { 'summary.json': '{}' }, ['summary.json'], ['cost', 'compare']],
  ['summary-string', 'summary.json is a string', { 'summary.json': '"a run"' }, ['summary.json'], ['cost', 'compare']],
  ['summary-truncated', 'summary.json cut off', { 'summary.json': GOLDEN_SUMMARY_TEXT.slice(0, 500) }, ['summary.json'], ['cost', 'compare']],
  ['summary-deep', 'summary.json a 5,000-deep array', { 'summary.json': deepArray(5000) }, ['summary.json'], ['cost', 'compare']],
  [
    'no-recommendation',
    'summary.json without its recommendation',
    { 'summary.json': summaryWith('recommendation', DROP) },
    ['summary.json', ['recommendation', '--cores']],
    ['cost', 'compare'],
  ],
  ['no-traffic', 'summary.json without its traffic', { 'summary.json': summaryWith('traffic', DROP) }, ['summary.json', 'traffic'], ['cost', 'compare']],
  ['zero-days', 'summary.json simulatedDays 0', { 'summary.json': summaryWith('simulatedDays', 0) }, ['summary.json', 'simulatedDays'], ['cost', 'compare']],
  ['replications-negative', 'summary.json replications -1', { 'summary.json': summaryWith('replications', -1) }, ['summary.json', 'replications'], ['cost', 'compare']],
  ['replications-string', 'summary.json replications "3"', { 'summary.json': summaryWith('replications', '3') }, ['summary.json', 'replications'], ['compare']],
  ['users-negative', 'summary.json world.users -5', { 'summary.json': summaryWith('world.users', -5) }, ['summary.json', 'users'], ['cost', 'compare']],
  ['horizon-zero', 'summary.json storage.horizonMonths 0', { 'summary.json': summaryWith('storage.horizonMonths', 0) }, ['summary.json', 'horizonMonths'], ['cost']],
  ['scenario-null', 'scenario.json is null', { 'scenario.json': 'null' }, ['scenario.json'], ['cost']],
  ['scenario-array', 'scenario.json is []', { 'scenario.json': '[]' }, ['scenario.json'], ['cost']],
  ['scenario-string', 'scenario.json is a string', { 'scenario.json': '"team-50"' }, ['scenario.json'], ['cost']],
  ['scenario-truncated', 'scenario.json cut off', { 'scenario.json': TEAM_50_TEXT.slice(0, 200) }, ['scenario.json'], ['cost']],
  [
    'scenario-bad-currency',
    'scenario.json cost.currency XXX',
    { 'scenario.json': json(edit(JSON.parse(TEAM_50_TEXT), 'cost.currency', 'XXX')) },
    ['scenario.json', 'cost.currency'],
    ['cost'],
  ],
  ['no-storage-horizon', 'no data/storage-horizon.csv', { 'data/storage-horizon.csv': null }, ['storage-horizon.csv'], ['cost']],
  ['storage-horizon-empty', 'data/storage-horizon.csv empty', { 'data/storage-horizon.csv': '' }, ['storage-horizon.csv'], ['cost', 'compare']],
  [
    'storage-horizon-header-only',
    'data/storage-horizon.csv with its header only',
    { 'data/storage-horizon.csv': storageHorizonCsv().split('\n')[0] + '\n' },
    ['storage-horizon.csv'],
    ['cost', 'compare'],
  ],
  [
    'storage-horizon-words',
    'data/storage-horizon.csv of words, not numbers',
    { 'data/storage-horizon.csv': storageHorizonCsv().replace(/\n0,50,/, '\nzero,fifty,') },
    ['storage-horizon.csv'],
    ['cost', 'compare'],
  ],
  ['storage-horizon-short', 'data/storage-horizon.csv of 3 months for a 36-month horizon', { 'data/storage-horizon.csv': storageHorizonCsv(3) }, ['storage-horizon.csv'], ['cost']],
  [
    'replications-csv-words',
    'data/replications.csv of words, not numbers',
    { 'data/replications.csv': `${REPLICATIONS_HEADER}\n0,1/0,many,high,lots,0,0,0,big,huge,\n` },
    ['replications.csv'],
    ['compare'],
  ],
  ['replications-csv-empty', 'data/replications.csv empty', { 'data/replications.csv': '' }, ['replications.csv'], ['compare']],
  [
    'client-csv-words',
    'data/client.csv of words, not numbers',
    { 'data/client.csv': 'bin_start_s,time,online.users,client.bytes_out\nzero,Mon 00:00,some,lots\n' },
    ['client.csv'],
    ['compare'],
  ],
];
add({
  id: 'compare/run-folder/no-version',
  command: 'compare',
  class: 'run-folder',
  what: 'summary.json without its "mxsim" version field (compared, or refused: not a crash)',
  argv: ['compare', '@/a', '@/run', '--out', '@/out', '--quiet'],
  files: { ...runFolder('a'), ...runFolder('run', { 'summary.json': summaryWith('mxsim', DROP) }) },
  expect: { exit: [0, 3], mentions: [] },
  timeoutMs: 20_000,
});
for (const [key, what, changes, mentions, commands] of runFolders) {
  for (const command of commands) {
    const files = command === 'cost' ? runFolder('run', changes) : { ...runFolder('a'), ...runFolder('run', changes) };
    const argv = command === 'cost' ? ['cost', '@/run'] : ['compare', '@/a', '@/run', '--out', '@/out', '--quiet'];
    add({ id: `${command}/run-folder/${key}`, command, class: 'run-folder', what, argv, files, expect: { exit: [3], mentions: ['run', ...mentions] } });
  }
}

// ---------------------------------------------------------------------------
// mxsim queue

const queues: [string, string[], number[], Mention[]][] = [
  ['servers-1e9', ['--servers', '1000000000', '--customers', '100'], [0, 2], []],
  ['servers-zero', ['--servers', '0'], [2], ['--servers']],
  ['servers-negative', ['--servers', '-1'], [2], ['--servers']],
  ['servers-1e999', ['--servers', '1e999'], [2], ['--servers']],
  ['arrival-rate-zero', ['--arrival', 'exp:0'], [2], ['--arrival']],
  ['service-rate-zero', ['--service', 'exp:0'], [2], ['--service']],
  ['arrival-negative', ['--arrival', 'exp:-1'], [2], ['--arrival']],
  ['arrival-NaN', ['--arrival', 'exp:NaN'], [2], ['--arrival']],
  ['arrival-1e999', ['--arrival', 'exp:1e999'], [2], ['--arrival']],
  ['arrival-unknown-kind', ['--arrival', 'nope'], [2], ['--arrival']],
  ['arrival-empty', ['--arrival', ''], [2], ['--arrival']],
  ['zero-times', ['--arrival', 'det:0', '--service', 'det:0', '--customers', '100'], [2], ['--arrival']],
  ['zipf-1e9', ['--service', 'zipf:1000000000,1', '--customers', '100'], [0, 2], []],
  ['empirical-empty', ['--service', 'empirical:;'], [2], ['--service']],
  ['customers-zero', ['--customers', '0'], [2], ['--customers']],
  ['customers-1e12', ['--customers', '1000000000000'], [2], ['--customers']],
  ['replications-one', ['--replications', '1'], [2], ['--replications']],
  ['replications-1e9', ['--replications', '1000000000', '--customers', '10'], [2], ['--replications']],
  ['warmup-negative', ['--warmup', '-1'], [2], ['--warmup']],
  ['warmup-1e12', ['--warmup', '1000000000000', '--customers', '10'], [2], ['--warmup']],
  ['seed-empty', ['--seed', ''], [2], ['--seed']],
  ['unstable-unbounded', ['--arrival', 'exp:2', '--service', 'exp:1'], [2], [['--customers', 'load']]],
];
for (const [key, opts, exit, mentions] of queues) {
  add({ id: `queue/queue/${key}`, command: 'queue', class: 'queue', what: opts.map((o) => (o === '' ? "''" : o)).join(' '), argv: ['queue', ...opts], expect: { exit, mentions } });
}

// ---------------------------------------------------------------------------
// Valid controls: the harness must pass these (exit 0)

add({ id: 'schema/valid/schema', command: 'schema', class: 'valid', what: 'the JSON Schema', argv: ['schema'], expect: { exit: [0], mentions: ['"$schema"'] } });
add({ id: '(none)/valid/version', command: '(none)', class: 'valid', what: '--version', argv: ['--version'], expect: { exit: [0], mentions: ['0.'] } });
add({
  id: 'validate/valid/tiny',
  command: 'validate',
  class: 'valid',
  what: 'a valid scenario',
  argv: ['validate', '@/s.json'],
  files: { 's.json': tinyText },
  expect: { exit: [0], mentions: ['ok'] },
});
add({
  id: 'validate/valid/bom',
  command: 'validate',
  class: 'valid',
  what: 'a valid scenario with a byte-order mark',
  argv: ['validate', '@/s.json'],
  files: { 's.json': `\uFEFF${tinyText}` },
  expect: { exit: [0], mentions: ['ok'] },
});
add({
  id: 'cost/valid/run-folder',
  command: 'cost',
  class: 'valid',
  what: 'the run-folder fixture',
  argv: ['cost', '@/run'],
  files: RUN_DIR,
  expect: { exit: [0], mentions: ['Self-hosting'] },
});
add({
  id: 'cost/valid/prices-bom-crlf',
  command: 'cost',
  class: 'valid',
  what: 'a --prices catalog with a byte-order mark and CRLF line ends',
  argv: ['cost', '@/run', '--prices', '@/p.csv'],
  files: { ...RUN_DIR, 'p.csv': `\uFEFF${catalog(computeRow()).replaceAll('\n', '\r\n')}` },
  expect: { exit: [0], mentions: ['Self-hosting'] },
});
add({
  id: 'queue/valid/small',
  command: 'queue',
  class: 'valid',
  what: 'an M/M/1 queue of 1,000 customers',
  argv: ['queue', '--customers', '1000', '--replications', '2'],
  expect: { exit: [0], mentions: ['M/M/1'] },
});

/** Every case, in a stable order. */
export const CORPUS: readonly CorpusCase[] = cases;
