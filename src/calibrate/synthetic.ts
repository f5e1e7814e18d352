/**
 * Synthetic Synapse-like metrics with known costs, as a Prometheus
 * `query_range` answer: what the recovery tests fit back, and a worked
 * example for docs/CALIBRATE.md. One process (job "synapse") or several
 * (`jobOf`, each class on one): each
 * operation class's rate follows a daily sinusoid of its own phase with
 * independent lognormal jitter per step; the CPU counter grows by the
 * operations' costs, the idle CPU and normal noise; memory is a base plus
 * bytes per client waiting on /sync, plus noise.
 */
import seedrandom from 'seedrandom';
import { CACHE_BYTES_METRIC, CPU_METRIC, LISTENERS_METRIC, MEMORY_METRIC, OP_CLASSES, PERSISTED_COUNTER, REQUEST_METRICS } from './classes.js';

export interface SyntheticOptions {
  /** First sample, s since the epoch. */
  start: number;
  stepSeconds: number;
  /** Samples (intervals + 1). */
  samples: number;
  /** True CPU per operation, ms, and mean rate, operations/s, by class name (classes left out are not exported). */
  classes: Record<string, { cpuMs: number; meanRate: number; amplitude?: number; jitterCv?: number }>;
  idleCores: number;
  /** Standard deviation of the CPU rate's noise per interval, cores. */
  noiseCores: number;
  /** The counters restart from zero just before this sample (a process restart), holding that interval's increase alone; null: never. */
  resetAt: number | null;
  /**
   * Memory: a base per process, bytes per listener, noise; and, when `cacheBytes` is given, the caches' estimated
   * bytes (synapse_util_caches_cache_size_bytes, one cache) growing linearly from `start` by `perSample`, resident at
   * mxsim's fragmentation factor (`cacheResidentFactor`).
   */
  memory: {
    baseBytes: number;
    bytesPerListener: number;
    meanListeners: number;
    noiseBytes: number;
    cacheBytes?: { start: number; perSample: number; cacheResidentFactor: number };
  } | null;
  /** The process (job label) that counts and does each class's work (default "synapse"); each process has the idle CPU and its own noise. */
  jobOf?: Record<string, string>;
  seed: string;
}

interface Result {
  metric: Record<string, string>;
  values: [number, string][];
}

/** The query_range answer holding every series. */
export function syntheticQueryRange(o: SyntheticOptions): { status: 'success'; data: { resultType: 'matrix'; result: Result[] } } {
  const rand = seedrandom.alea(o.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const lognormal = (cv: number) => {
    const s2 = Math.log(1 + cv * cv);
    return Math.exp(Math.sqrt(s2) * normal() - s2 / 2);
  };
  const labelsOf = (job: string) => ({ job, instance: `${job}:9000` });
  const labels = labelsOf('synapse');
  const names = Object.keys(o.classes);
  const jobOf = (name: string) => o.jobOf?.[name] ?? 'synapse';
  const jobs = [...new Set(['synapse', ...names.map(jobOf)])];
  const counts = names.map(() => 0);
  const cpu = jobs.map(() => 0);
  const series = new Map<string, Result>();
  const push = (key: string, metric: Record<string, string>, t: number, v: number) => {
    const r = series.get(key) ?? { metric, values: [] };
    series.set(key, r);
    r.values.push([t, String(v)]);
  };
  const phase = (k: number) => (2 * Math.PI * k) / Math.max(1, names.length);
  for (let i = 0; i < o.samples; i++) {
    const t = o.start + i * o.stepSeconds;
    // A restart: the counters start again from zero, so they hold this interval's increase alone.
    if (i === o.resetAt) {
      counts.fill(0);
      cpu.fill(0);
    }
    if (i > 0) {
      const work = jobs.map(() => (o.idleCores / jobs.length) * o.stepSeconds + normal() * o.noiseCores * o.stepSeconds);
      names.forEach((name, k) => {
        const c = o.classes[name]!;
        const rate = c.meanRate * (1 + (c.amplitude ?? 0.6) * Math.sin((2 * Math.PI * t) / 86400 + phase(k))) * lognormal(c.jitterCv ?? 0.3);
        const n = Math.round(rate * o.stepSeconds);
        counts[k]! += n;
        work[jobs.indexOf(jobOf(name))]! += (n * c.cpuMs) / 1000;
      });
      work.forEach((w, j) => (cpu[j]! += Math.max(0, w)));
    }
    jobs.forEach((job, j) => push(`cpu/${job}`, { __name__: CPU_METRIC, ...labelsOf(job) }, t, cpu[j]!));
    names.forEach((name, k) => {
      const c = OP_CLASSES.find((x) => x.name === name);
      if (c === undefined) throw new Error(`no operation class ${name}`);
      const l = labelsOf(jobOf(name));
      if (c.servlets !== undefined) push(name, { __name__: REQUEST_METRICS[0]!, ...l, method: 'GET', servlet: c.servlets[0]!, tag: '' }, t, counts[k]!);
      else push(name, { __name__: `${c.counter!}_total`, ...l }, t, counts[k]!);
    });
    // Events persisted: the sends and the PDUs received, on the process that persists them (main here).
    const persisted = names.reduce((sum, name, k) => (name === 'send' || name === 'fedIn' ? sum + counts[k]! : sum), 0);
    if (names.includes('send') || names.includes('fedIn')) push('persisted', { __name__: `${PERSISTED_COUNTER}_total`, ...labels }, t, persisted);
    if (o.memory !== null) {
      const m = o.memory;
      const listeners = Math.round(m.meanListeners * (1 + 0.5 * Math.sin((2 * Math.PI * t) / 86400)) * lognormal(0.1));
      push('listeners', { __name__: LISTENERS_METRIC, ...labels }, t, listeners);
      const cache = m.cacheBytes === undefined ? 0 : Math.round(m.cacheBytes.start + m.cacheBytes.perSample * i);
      if (m.cacheBytes !== undefined) push('caches', { __name__: CACHE_BYTES_METRIC, ...labels, name: 'getEvent' }, t, cache);
      const resident = m.baseBytes * jobs.length + m.bytesPerListener * listeners + cache * (m.cacheBytes?.cacheResidentFactor ?? 0);
      push('memory', { __name__: MEMORY_METRIC, ...labels }, t, Math.round(resident + normal() * m.noiseBytes));
    }
  }
  return { status: 'success', data: { resultType: 'matrix', result: [...series.values()] } };
}
