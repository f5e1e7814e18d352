import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { cliMessages } from '../../src/cli/messages.js';
import { MAX_BACKLOG, MAX_SERVERS, MAX_TOTAL_CUSTOMERS, type QueueReport } from '../../src/cli/queue.js';
import { DISTRIBUTION_FORMS, DistributionSpecError } from '../../src/engine/distribution-parse.js';
import { EXIT } from '../../src/errors.js';

const run = async (...args: string[]) => {
  const io = memoryIo();
  const code = await main(['node', 'mxsim', ...args], io);
  return { code, ...io };
};

test('mxsim --help lists every command with a description and examples', async () => {
  const r = await run('--help');
  assert.equal(r.code, EXIT.ok);
  for (const cmd of ['run', 'cost', 'validate', 'schema', 'queue']) assert.match(r.stdout, new RegExp(`\\n  ${cmd}\\b`));
  assert.match(r.stdout, /Examples:/);
  const q = await run('queue', '--help');
  assert.match(q.stdout, /Example:\n {2}mxsim queue --servers 4/);
});

test('queue --json prints one object with the documented fields', async () => {
  const r = await run('queue', '--servers', '2', '--arrival', 'exp:1.6', '--service', 'exp:1', '--customers', '20000', '--replications', '3', '--seed', '1', '--json');
  assert.equal(r.code, EXIT.ok, r.stderr);
  const j = JSON.parse(r.stdout) as QueueReport;
  assert.equal(j.model, 'M/M/2');
  for (const key of ['servers', 'customers', 'replications', 'seed', 'events', 'wallSeconds', 'eventsPerSecond']) assert.ok(key in j, key);
  for (const key of ['wq', 'wqCi95', 'w', 'lq', 'l', 'utilization']) assert.ok(key in j.simulated, key);
  assert.ok(j.analytic);
  for (const key of ['wq', 'w', 'lq', 'l', 'utilization'] as const) assert.equal(typeof j.analytic[key], 'number');
  // Erlang C for c = 2, a = 1.6: C = 0.7111..., Wq = C / (2 - 1.6) = 1.7778 s.
  assert.ok(Math.abs(j.analytic.wq - 1.7777777) < 1e-4);
  assert.ok(!('wqCi95' in j));
  assert.equal(j.simulated.wqCi95.length, 2);
});

test('queue table shows simulated, CI, analytic and relative error', async () => {
  const r = await run('queue', '--servers', '1', '--arrival', 'exp:0.5', '--service', 'det:1', '--customers', '20000', '--replications', '2');
  assert.equal(r.code, EXIT.ok);
  assert.match(r.stdout, /M\/D\/1 queue/);
  assert.match(r.stdout, /Pollaczek-Khinchine/);
  assert.match(r.stdout, /rel\. error/);
});

test('a bad distribution spec names the option, the spec and every accepted form', async () => {
  const r = await run('queue', '--arrival', 'foo:1', '--service', 'lognormal:1');
  assert.equal(r.code, EXIT.usage);
  const problems = [
    { option: '--arrival', message: new DistributionSpecError('foo:1', 'unknown kind "foo"').message },
    { option: '--service', message: new DistributionSpecError('lognormal:1', 'lognormal takes 2 parameters (lognormal:MEAN,CV), got 1').message },
  ];
  assert.equal(r.stderr, cliMessages.error('distribution.spec', cliMessages.badDistributions(problems)));
  for (const form of DISTRIBUTION_FORMS) assert.ok(r.stderr.includes(form), form);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
});

test('bad numbers are refused with the option and value', async () => {
  const r = await run('queue', '--servers', 'two');
  assert.equal(r.code, EXIT.usage);
  assert.ok(r.stderr.includes(cliMessages.expectedIntegerBetween('--servers', 1, MAX_SERVERS, 'two')), r.stderr);
  // A billion servers took over 4 GB before the bound.
  const many = await run('queue', '--servers', '1000000000', '--customers', '100');
  assert.equal(many.code, EXIT.usage);
  assert.ok(many.stderr.includes(cliMessages.expectedIntegerBetween('--servers', 1, MAX_SERVERS, '1000000000')), many.stderr);
  const empty = await run('queue', '--seed', '');
  assert.equal(empty.code, EXIT.usage);
  assert.ok(empty.stderr.includes(cliMessages.expectedNonEmpty('--seed')), empty.stderr);
  const u = await run('queue', '--frobnicate');
  assert.equal(u.code, EXIT.usage);
  assert.match(u.stderr, /unknown option '--frobnicate'/);
});

test('runs too long, or an unstable backlog too large for memory, are refused before they start (run.too-large, exit 2)', async () => {
  const long = await run('queue', '--customers', '100000000', '--replications', '100');
  assert.equal(long.code, EXIT.usage);
  // (1e8 + 1e7 warm-up) x 100 replications.
  assert.ok(long.stderr.includes(cliMessages.queueTooLarge(11_000_000_000, MAX_TOTAL_CUSTOMERS)), long.stderr);
  const backlog = await run('queue', '--arrival', 'exp:2', '--service', 'exp:1', '--customers', '100000000');
  assert.equal(backlog.code, EXIT.usage);
  // Load 2: half of the 1.1e8 customers are still waiting at the end.
  assert.ok(backlog.stderr.includes(cliMessages.queueBacklog(55_000_000, MAX_BACKLOG)), backlog.stderr);
});

test('distribution specs that cannot be drawn from are refused: a cv out of range, draws that are not finite or negative', async () => {
  for (const spec of ['lognormal:1,1e300', 'gamma:1,1e-300', 'normal:1,1', 'det:1e13']) {
    const r = await run('queue', '--service', spec, '--customers', '100');
    assert.equal(r.code, EXIT.usage, spec);
    assert.match(r.stderr, /^mxsim: error\[distribution\.spec\]: --service: bad distribution/, spec);
  }
});

test('load >= 1 is an error unless --customers bounds the run, then a warning', async () => {
  const r = await run('queue', '--arrival', 'exp:2', '--service', 'exp:1');
  assert.equal(r.code, EXIT.usage);
  const unstable = cliMessages.unstableQueue(2, 2, 1);
  assert.equal(r.stderr, cliMessages.error('queue.unstable', cliMessages.boundTheRun(unstable)));
  const w = await run('queue', '--arrival', 'exp:2', '--service', 'exp:1', '--customers', '2000', '--replications', '2', '--json');
  assert.equal(w.code, EXIT.ok);
  assert.equal(w.stderr, cliMessages.unstableWarning(unstable));
  assert.equal((JSON.parse(w.stdout) as QueueReport).analytic, null);
});
