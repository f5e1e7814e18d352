/**
 * The worker thread of InProcessRunner (./harness.ts). For each request it
 * either runs `mxsim` in-process (`main` with `memoryIo`) or validates and
 * simulates a scenario's text (pipeline steps 1 to 8, without the CLI), and
 * answers with what came of it and which properties of the built-in
 * prototypes the request added or replaced (`--set __proto__.x=1` must not
 * reach them). It puts the prototypes back before answering; the runner
 * then replaces the worker all the same.
 */
import { parentPort } from 'node:worker_threads';
import { memoryIo } from '../../src/cli/io.js';
import { main, VERSION } from '../../src/cli/main.js';
import { runPipeline } from '../../src/pipeline.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import type { SimulateResult, WorkerMessage, WorkerReply } from './harness.js';

const port = parentPort;
if (port === null) throw new Error('corpus-worker.ts runs in a worker thread (see InProcessRunner)');

const PROTOTYPES: [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
  ['Number.prototype', Number.prototype],
];

type Descriptors = Map<PropertyKey, PropertyDescriptor>;
const descriptors = (o: object): Descriptors => new Map(Reflect.ownKeys(o).map((k) => [k, Reflect.getOwnPropertyDescriptor(o, k) as PropertyDescriptor]));
const same = (a: PropertyDescriptor, b: PropertyDescriptor) => a.value === b.value && a.get === b.get && a.set === b.set;

/** The names of what changed on each prototype since `before`, each put back as it was. */
function restorePrototypes(before: Descriptors[]): string[] {
  const changed: string[] = [];
  PROTOTYPES.forEach(([name, proto], i) => {
    const was = before[i] ?? new Map<PropertyKey, PropertyDescriptor>();
    for (const [key, now] of descriptors(proto)) {
      const old = was.get(key);
      if (old !== undefined && same(old, now)) continue;
      changed.push(`${name}.${String(key)}`);
      if (old === undefined) Reflect.deleteProperty(proto, key);
      else Reflect.defineProperty(proto, key, old);
    }
  });
  return changed;
}

/**
 * Where a summary holds NaN or an infinity. NaN is how a summary says "no
 * data" for a latency percentile with no samples (src/analysis/summarize.ts:
 * no federation deliveries, or no local sends to time, here and in the
 * verification's `localSendMs`), so those are not listed.
 */
const NO_DATA = /(deliveryLatencySeconds|federationDelivery|localSend)\.|verification\.localSendMs$/;
function nonFinite(value: unknown, path: string, out: string[]): string[] {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) && !(Number.isNaN(value) && NO_DATA.test(path))) out.push(`${path} = ${value}`);
  } else if (Array.isArray(value)) value.forEach((x, i) => nonFinite(x, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object') for (const [k, x] of Object.entries(value)) nonFinite(x, path === '' ? k : `${path}.${k}`, out);
  return out;
}

async function simulate(text: string, verify: boolean, render: boolean): Promise<Omit<SimulateResult, 'polluted'>> {
  try {
    const loaded = loadScenarioText(text, 'fuzz.json');
    const { run, files } = await runPipeline(loaded, { overrides: [], version: VERSION, verify, render });
    return { error: null, nonFinite: nonFinite(run.summary, '', []), files: [...(files?.keys() ?? [])], events: run.results.reduce((n, r) => n + r.events, 0) };
  } catch (e) {
    return { error: e instanceof Error ? (e.stack ?? e.message) : String(e), nonFinite: [], files: [], events: 0 };
  }
}

async function handle(m: WorkerMessage): Promise<WorkerReply> {
  const before = PROTOTYPES.map(([, p]) => descriptors(p));
  if (m.kind === 'simulate') {
    const result = await simulate(m.text, m.verify, m.render);
    return { id: m.id, kind: 'simulate', ...result, polluted: restorePrototypes(before) };
  }
  const io = memoryIo();
  let exit: number | 'crash';
  let detail: string | undefined;
  try {
    exit = await main(['node', 'mxsim', ...m.argv], io);
  } catch (e) {
    // main catches everything; reaching here is itself a finding.
    exit = 'crash';
    detail = `main threw: ${e instanceof Error ? e.message : 'a non-Error'}`;
  }
  const polluted = restorePrototypes(before);
  return {
    id: m.id,
    kind: 'main',
    exit,
    stdout: io.stdout.slice(0, m.keepChars),
    stderr: io.stderr.slice(0, m.keepChars),
    stderrBytes: Buffer.byteLength(io.stderr),
    polluted,
    detail,
  };
}

port.on('message', (m: WorkerMessage) => {
  void handle(m).then((reply) => port.postMessage(reply));
});
port.postMessage({ ready: true } satisfies WorkerReply);
