/**
 * The federation backlog, sampled ten times a bin: PDUs queued for remote
 * servers (their maximum per bin is reported).
 */
import { BinnedTimeWeighted } from '../../engine/binned-stats.js';
import type { ReplicationState } from '../state.js';

/** Samples per bin. */
const SAMPLES_PER_BIN = 10;

export class FederationBacklog {
  private readonly series: BinnedTimeWeighted;
  private readonly hSample: number;

  constructor(private readonly st: ReplicationState) {
    this.series = new BinnedTimeWeighted(st.binSeconds, st.horizonSeconds);
    this.hSample = st.sim.handler(() => this.sample());
  }

  startClocks(): void {
    this.st.sim.schedule(0, this.hSample);
  }

  private sample(): void {
    const st = this.st;
    if (st.fed) this.series.set(st.sim.now, st.fed.backlogPdus());
    const step = st.binSeconds / SAMPLES_PER_BIN;
    if (st.sim.now + step < st.horizonSeconds) st.sim.schedule(step, this.hSample);
  }

  /** Queued PDUs per bin (maximum). */
  finish(): Float64Array {
    const now = this.st.sim.now;
    if (this.st.fed) this.series.set(now, this.st.fed.backlogPdus());
    this.series.finish(now);
    return this.series.maxes().map((x) => (Number.isFinite(x) ? x : 0));
  }
}
