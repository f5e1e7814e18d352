/**
 * Docs that run: every command in README.md's `sh` blocks is run, in order,
 * in a fresh folder that holds the shipped scenarios cut down to a small size
 * (so the whole README costs seconds, not the minutes of the full scenarios),
 * after the run `npm start` makes, as a new user would type them right after
 * `npm ci && npm start`. Each must exit 0. About 30 s on two cores, so it
 * runs in npm run test:full (CI runs both suites); the quoted outputs are
 * compared with the full-size commands in readme.full.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { EXIT } from '../../src/errors.js';
import { REDUCED } from '../model/scenario-laws.js';
import { quotedOutputs, readmeCommands, shellWords } from './readme-commands.js';

const README = readFileSync('README.md', 'utf8');
const SCENARIOS = 'scenarios';

/** A shipped scenario cut to at most 200 users, a quarter day in hourly bins, 2 replications, the saturation extrapolated. */
function reduced(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  const r = REDUCED[name];
  assert.ok(r, `no reduced size for ${name} in test/model/scenario-laws.ts`);
  const population = spec.population as { users: number };
  const users = Math.min(r.users, 200);
  const factor = users / population.users;
  const rooms = spec.rooms as { kinds: { count?: number; members?: { kind: string; value?: number } }[] };
  for (const kind of rooms.kinds) {
    if (kind.count !== undefined && factor < 1) kind.count = Math.max(1, Math.round(kind.count * factor));
    if (kind.members?.kind === 'deterministic' && (kind.members.value ?? 0) > users) kind.members.value = users;
  }
  population.users = users;
  const run = (spec.run ?? {}) as Record<string, unknown>;
  spec.run = { ...run, days: 0.25, binMinutes: 60, replications: 2, server: { ...(run.server ?? {}), saturation: 'linear' } };
  // Incidents move into the 6 hours left: each at 01:00 for at most an hour.
  const timeline = (spec.timeline ?? []) as { at: { day: number; hour: number }; durationMinutes?: number; users?: number }[];
  for (const incident of timeline) {
    incident.at = { day: 1, hour: 1 };
    // A restore has no stated duration (it lasts what its copy takes).
    if (incident.durationMinutes !== undefined) incident.durationMinutes = Math.min(incident.durationMinutes, 60);
    if (incident.users !== undefined) incident.users = Math.max(1, Math.round(incident.users * factor));
  }
  return spec;
}

const cwd = mkdtempSync(join(tmpdir(), 'mxsim-readme-'));
const home = process.cwd();
after(() => {
  process.chdir(home);
  rmSync(cwd, { recursive: true, force: true });
});

test('every command in the README runs and exits 0, right after npm start (shipped scenarios at a small size)', async () => {
  mkdirSync(join(cwd, SCENARIOS));
  for (const file of readdirSync(SCENARIOS).filter((f) => f.endsWith('.json'))) {
    const spec = JSON.parse(readFileSync(join(SCENARIOS, file), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(cwd, SCENARIOS, file), JSON.stringify(reduced(file.replace(/\.json$/, ''), spec), null, 2));
  }
  process.chdir(cwd);
  const mxsim = async (args: string[]) => {
    const io = memoryIo();
    const code = await main(['node', 'mxsim', ...args], io);
    return { code, ...io };
  };
  // What `npm start` leaves behind (package.json "start").
  const start = JSON.parse(readFileSync(join(home, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const startArgs = shellWords(start.scripts.start).slice(2);
  const started = await mxsim([...startArgs, '--quiet']);
  assert.equal(started.code, EXIT.ok, `npm start (${startArgs.join(' ')}): ${started.stderr}`);

  const commands = readmeCommands(README);
  const run = commands.filter((c) => c.program === 'mxsim');
  assert.ok(run.length >= 8, `only ${run.length} mxsim commands found in README.md`);
  for (const c of run) {
    const args = c.args.flatMap((a) => (a.includes('*') ? glob(a) : [a]));
    const r = await mxsim(args);
    assert.equal(r.code, EXIT.ok, `README.md:${c.line}: ${c.text}\nexit ${r.code}\n${r.stderr}`);
    if (c.stdoutTo) {
      // A redirect into the home folder goes to a stand-in home inside the test folder.
      const to = c.stdoutTo.startsWith('~/') ? join(cwd, 'home', c.stdoutTo.slice(2)) : c.stdoutTo;
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, r.stdout);
    }
    if (args.includes('--json')) assert.doesNotThrow(() => JSON.parse(r.stdout), `README.md:${c.line}: --json output is not JSON`);
  }
  // The npm commands are the ones CI runs itself (.ci/run: npm ci, npm test, npm run test:full, npm start).
  for (const c of commands.filter((x) => x.program === 'npm')) {
    assert.ok(['ci', 'start', 'test', 'run'].includes(c.args[0] ?? ''), `README.md:${c.line}: npm ${c.args.join(' ')} is not a command CI runs`);
  }
  // Every quoted output's command is a valid command line too.
  for (const q of quotedOutputs(README)) assert.ok(q.args.length > 0, `README.md:${q.line}`);
});

/** `dir/*.json`, sorted, as a shell expands it (only a `*` in the last part). */
function glob(pattern: string): string[] {
  const slash = pattern.lastIndexOf('/');
  const dir = slash < 0 ? '.' : pattern.slice(0, slash);
  const re = new RegExp(
    `^${pattern
      .slice(slash + 1)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')}$`,
  );
  return readdirSync(dir)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => (slash < 0 ? f : `${dir}/${f}`));
}
