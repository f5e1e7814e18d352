/**
 * `mxsim init`: write a new scenario file from a few answers, given as flags
 * (`mxsim init --users 5000 --federation closed --currency EUR --out my.json`)
 * or, on a terminal without them, asked one by one.
 *
 * The scenario is a shipped one (scenarios/company-2000.json, BASE_SCENARIO)
 * scaled to the answers: room counts in proportion to the users, a room of
 * everyone kept a room of everyone, room sizes capped at the users, federation
 * closed everywhere it appears or opened to the servers asked for. No
 * defaults are repeated here: what the answers do not touch is the shipped
 * scenario's, or the grammar's. Each answer is checked by the grammar's rule
 * for its field (src/scenario/validate.ts `fieldProblems`), every bad one
 * listed at once (exit 2), and the file is validated before it is written;
 * it starts with "$schema", the path of the shipped schema from where the
 * file is written, as scenarios/*.json do.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { MxsimError, withContext } from '../errors.js';
import { CURRENCIES, IMPLEMENTATIONS, WORKER_IMPLEMENTATIONS } from '../scenario/grammar.js';
import { loadScenarioText } from '../scenario/load.js';
import { fieldProblems } from '../scenario/validate.js';
import type { Io } from './io.js';
import { cliMessages as msg } from './messages.js';

/** The shipped scenario `init` starts from, relative to the package root. */
export const BASE_SCENARIO = 'scenarios/company-2000.json';
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCHEMA_FILE = resolve(PACKAGE_ROOT, 'schema/scenario.schema.json');

/** The answers, as the user wrote them (flags or typed answers); undefined: the base scenario's. */
export interface InitAnswers {
  name?: string;
  users?: string;
  /** `closed`, `open`, `open:N` or N (an allow-list of N partner servers). */
  federation?: string;
  /** `on` or `off`: new private rooms encrypted. */
  encryption?: string;
  /** Share of devices that are phones, 0 to 1. */
  mobileShare?: string;
  /** Share of phones on Simplified Sliding Sync (Element X), 0 to 1. */
  slidingSync?: string;
  implementation?: string;
  currency?: string;
}

export interface InitCommandOptions extends InitAnswers {
  out?: string;
  force?: boolean;
}

/** The answers' keys with their flags, in the order questions are asked. */
export const QUESTIONS: readonly { key: keyof InitAnswers; flag: string; question: string }[] = [
  { key: 'users', flag: '--users', question: 'How many user accounts?' },
  { key: 'federation', flag: '--federation', question: 'Federation: closed, open, or the number of partner servers?' },
  { key: 'encryption', flag: '--encryption', question: 'New private rooms end-to-end encrypted (on/off)?' },
  { key: 'mobileShare', flag: '--mobile-share', question: 'Share of devices that are phones (0 to 1)?' },
  { key: 'slidingSync', flag: '--sliding-sync', question: 'Share of phones on Element X / Simplified Sliding Sync (0 to 1)?' },
  { key: 'implementation', flag: '--implementation', question: `Homeserver (${IMPLEMENTATIONS.join(', ')})?` },
  { key: 'currency', flag: '--currency', question: 'Currency of the costs (ISO 4217, e.g. EUR)?' },
  { key: 'name', flag: '--name', question: 'Scenario name?' },
];

type Federation = { mode: 'closed' } | { mode: 'open' | 'allowList'; servers: number | undefined };

/** The checked answers. */
interface Checked {
  name?: string;
  users?: number;
  federation?: Federation;
  encryption?: boolean;
  mobileShare?: number;
  slidingSync?: number;
  implementation?: string;
  currency?: string;
}

const toNumber = (text: string) => (text.trim() === '' ? NaN : Number(text.replace(/_/g, '')));

/** A number for the field at `path`, or the field's rule as the problem (the value as written). */
function numberField(flag: string, text: string, path: readonly string[], problems: string[]): number | undefined {
  const n = toNumber(text);
  const found = fieldProblems(path, Number.isFinite(n) ? n : text);
  if (found.length === 0) return n;
  for (const p of found) problems.push(msg.optionExpected(flag, p.rule, JSON.stringify(text)));
  return undefined;
}

function textField(flag: string, text: string, path: readonly string[], problems: string[]): string | undefined {
  const found = fieldProblems(path, text);
  if (found.length === 0) return text;
  for (const p of found) problems.push(msg.optionExpected(flag, p.rule, JSON.stringify(text)));
  return undefined;
}

function federationAnswer(text: string, problems: string[]): Federation | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'closed') return { mode: 'closed' };
  const open = /^open(?::(.*))?$/.exec(t);
  const count = open ? open[1] : t;
  if (open && count === undefined) return { mode: 'open', servers: undefined };
  const n = toNumber(count ?? '');
  if (Number.isInteger(n) && n >= 1 && fieldProblems(['federation', 'remoteServers'], n).length === 0) return { mode: open ? 'open' : 'allowList', servers: n };
  problems.push(msg.initFederation(text));
  return undefined;
}

/** Every answer checked; every bad one listed at once (`usage`, exit 2). */
export function checkAnswers(a: InitAnswers): Checked {
  const problems: string[] = [];
  const c: Checked = {};
  if (a.users !== undefined) c.users = numberField('--users', a.users, ['population', 'users'], problems);
  if (a.federation !== undefined) c.federation = federationAnswer(a.federation, problems);
  if (a.encryption !== undefined) {
    const e = a.encryption.trim().toLowerCase();
    if (['on', 'yes', 'true'].includes(e)) c.encryption = true;
    else if (['off', 'no', 'false'].includes(e)) c.encryption = false;
    else problems.push(msg.optionExpected('--encryption', 'on or off', JSON.stringify(a.encryption)));
  }
  if (a.mobileShare !== undefined) c.mobileShare = numberField('--mobile-share', a.mobileShare, ['population', 'mobileDeviceShare'], problems);
  if (a.slidingSync !== undefined) c.slidingSync = numberField('--sliding-sync', a.slidingSync, ['clients', 'mobileSlidingSyncShare'], problems);
  if (a.implementation !== undefined) c.implementation = textField('--implementation', a.implementation.trim(), ['run', 'server', 'implementation'], problems);
  if (a.currency !== undefined) c.currency = textField('--currency', a.currency.trim().toUpperCase(), ['cost', 'currency'], problems);
  if (a.name !== undefined) c.name = textField('--name', a.name, ['name'], problems);
  if (problems.length > 0) throw new MxsimError('usage', problems.join('\n'));
  return c;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A room-size distribution with every size field capped at the users (a room cannot hold more). */
function capMembers(members: unknown, users: number): unknown {
  if (!isObject(members)) return members;
  const out: Json = { ...members };
  for (const key of ['value', 'min', 'max']) if (typeof out[key] === 'number' && out[key] > users) out[key] = users;
  return out;
}

/** The base scenario (parsed JSON) with the answers applied. */
export function buildScenario(base: Json, c: Checked, defaultName: string): Json {
  const s = structuredClone(base);
  const population = (s['population'] ?? {}) as Json;
  const baseUsers = typeof population['users'] === 'number' ? population['users'] : 1;
  const users = c.users ?? baseUsers;
  const factor = users / baseUsers;
  population['users'] = users;
  if (c.mobileShare !== undefined) population['mobileDeviceShare'] = c.mobileShare;
  s['population'] = population;

  const rooms = (s['rooms'] ?? {}) as Json;
  const kinds = Array.isArray(rooms['kinds']) ? (rooms['kinds'] as Json[]) : [];
  const closed = c.federation?.mode === 'closed';
  rooms['kinds'] = kinds.map((kind) => {
    const k: Json = { ...kind };
    const members = k['members'];
    // A room of everyone (its size is the base's users) stays a room of everyone.
    const everyone = isObject(members) && members['kind'] === 'deterministic' && members['value'] === baseUsers;
    if (everyone) k['members'] = { ...members, value: users };
    else {
      if (typeof k['count'] === 'number') k['count'] = Math.max(1, Math.round(k['count'] * factor));
      k['members'] = capMembers(members, users);
    }
    if (closed) for (const key of ['remoteMemberShare', 'hostedRemotely', 'localMembers', 'remoteServers', 'joinAt']) delete k[key];
    return k;
  });
  s['rooms'] = rooms;

  if (c.federation !== undefined) {
    const f = isObject(s['federation']) ? { ...s['federation'] } : {};
    if (c.federation.mode === 'closed') s['federation'] = { mode: 'closed' };
    else s['federation'] = { ...f, mode: c.federation.mode, ...(c.federation.servers === undefined ? {} : { remoteServers: c.federation.servers }) };
  }
  if (c.encryption !== undefined) s['features'] = { ...(isObject(s['features']) ? s['features'] : {}), encryptionByDefault: c.encryption };
  if (c.slidingSync !== undefined) s['clients'] = { ...(isObject(s['clients']) ? s['clients'] : {}), mobileSlidingSyncShare: c.slidingSync };
  if (c.implementation !== undefined) {
    const run = isObject(s['run']) ? { ...s['run'] } : {};
    const server = isObject(run['server']) ? { ...run['server'] } : {};
    server['implementation'] = c.implementation;
    // Workers are a Synapse layout; the others run as one multi-threaded process.
    if (!(WORKER_IMPLEMENTATIONS as readonly string[]).includes(c.implementation)) {
      delete server['deployment'];
      delete server['workers'];
    }
    run['server'] = server;
    s['run'] = run;
  }
  if (c.currency !== undefined) s['cost'] = { ...(isObject(s['cost']) ? s['cost'] : {}), currency: c.currency };
  const fed = s['federation'] as Json | undefined;
  const fedText =
    !isObject(fed) || fed['mode'] === 'closed' || fed['mode'] === undefined
      ? 'closed federation'
      : `${fed['mode'] === 'open' ? 'open' : 'allow-list'} federation with ${typeof fed['remoteServers'] === 'number' ? fed['remoteServers'] : 0} remote servers`;
  s['name'] = c.name ?? defaultName;
  s['description'] = msg.initDescription(users, fedText, BASE_SCENARIO);
  // "$schema" first, as in scenarios/*.json.
  const { $schema: _, ...rest } = s;
  return { $schema: '', ...rest };
}

/** A scenario name from the output file's name, or "my-server" when it cannot be one. */
export function nameFromFile(out: string): string {
  const stem = basename(out).replace(/\.json$/i, '');
  return fieldProblems(['name'], stem).length === 0 ? stem : 'my-server';
}

/** Ask each question not answered by a flag; an empty answer keeps the base scenario's value. Re-asks until the answer is valid. */
async function askAll(given: InitAnswers, ask: (question: string) => Promise<string>, io: Io): Promise<InitAnswers> {
  const answers: InitAnswers = { ...given };
  for (const q of QUESTIONS) {
    if (answers[q.key] !== undefined) continue;
    for (;;) {
      const text = (await ask(`${q.question} (Enter: as in ${BASE_SCENARIO}) `)).trim();
      if (text === '') break;
      try {
        checkAnswers({ [q.key]: text });
        answers[q.key] = text;
        break;
      } catch (e) {
        if (!(e instanceof MxsimError)) throw e;
        io.err(`${e.message}\n`);
      }
    }
  }
  return answers;
}

/** The console's question-and-answer, on stderr so stdout keeps only the result. */
async function terminalAsk(): Promise<{ ask: (q: string) => Promise<string>; close: () => void }> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return { ask: (q) => rl.question(q), close: () => rl.close() };
}

/** Write the scenario; `ask` is the terminal's (or a test's) question-and-answer, used only when no answer was given as a flag. */
export async function initCommandAction(o: InitCommandOptions, io: Io, ask?: (question: string) => Promise<string>): Promise<string> {
  const out = o.out ?? 'scenario.json';
  const given = Object.fromEntries(QUESTIONS.filter((q) => o[q.key] !== undefined).map((q) => [q.key, o[q.key]])) as InitAnswers;
  checkAnswers(given); // bad flags are refused before any question
  if (out.trim() === '') throw new MxsimError('output.invalid', msg.expectedNonEmpty('--out'));
  if (existsSync(out) && statSync(out).isDirectory()) throw new MxsimError('output.invalid', msg.initOutIsFolder(out));
  if (existsSync(out) && o.force !== true) throw new MxsimError('output.exists', msg.initExists(out));
  if (!existsSync(dirname(resolve(out)))) throw new MxsimError('output.invalid', msg.initNoFolder(out));
  let answers = given;
  if (Object.keys(given).length === 0 && (ask !== undefined || io.interactive === true)) {
    const terminal = ask === undefined ? await terminalAsk() : null;
    try {
      answers = await askAll(given, ask ?? (terminal as { ask: (q: string) => Promise<string> }).ask, io);
    } finally {
      terminal?.close();
    }
  }
  const base = JSON.parse(readFileSync(resolve(PACKAGE_ROOT, BASE_SCENARIO), 'utf8')) as Json;
  const scenario = buildScenario(base, checkAnswers(answers), nameFromFile(out));
  scenario['$schema'] = relative(dirname(resolve(out)), SCHEMA_FILE)
    .split(sep)
    .join('/');
  const text = JSON.stringify(scenario, null, 2) + '\n';
  try {
    loadScenarioText(text, out);
  } catch (e) {
    if (e instanceof MxsimError) throw withContext(e, msg.initInvalid());
    throw e;
  }
  try {
    writeFileSync(out, text, { flag: o.force === true ? 'w' : 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new MxsimError('output.exists', msg.initExists(out));
    throw new MxsimError('output.unwritable', msg.cannotWrite(out, e instanceof Error ? e.message : String(e)));
  }
  io.out(msg.initWrote(out, scenario['name'] as string));
  return out;
}

export function initCommand(io: Io): Command {
  const cmd = new Command('init')
    .description(`write a new scenario file from a few answers (flags, or questions on a terminal), based on ${BASE_SCENARIO}`)
    .option('--out <file>', 'scenario file to write (default: scenario.json)')
    .option('--force', 'replace the file if it exists')
    .option('--users <n>', 'user accounts')
    .option('--federation <mode>', 'closed, open, open:N (N remote servers) or N (an allow-list of N partner servers)')
    .option('--encryption <on|off>', 'new private rooms end-to-end encrypted')
    .option('--mobile-share <share>', 'share of devices that are phones, 0 to 1')
    .option('--sliding-sync <share>', 'share of phones on Element X (Simplified Sliding Sync), 0 to 1')
    .option('--implementation <name>', `homeserver: ${IMPLEMENTATIONS.join(', ')}`)
    .option('--currency <code>', `currency of the costs (ISO 4217: ${CURRENCIES.slice(0, 4).join(', ')}, ...)`)
    .option('--name <name>', "scenario name (default: the file's name)")
    .addHelpText(
      'after',
      "\nWithout answer flags on a terminal, init asks each question (Enter keeps the base scenario's value).\n\nExamples:\n  mxsim init --users 5000 --federation closed --currency EUR --out my.json\n  mxsim init --users 800 --federation 3 --implementation continuwuity --out small.json\n",
    )
    .action(async function (this: Command) {
      await initCommandAction(this.opts<InitCommandOptions>(), io);
    });
  return cmd;
}
