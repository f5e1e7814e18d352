/**
 * Homeservers for mechanism tests: they record what the workload asks of
 * them and do nothing else, so a test can check the units submitted per
 * operation against a hand computation.
 */
import { QuantileSketch } from '../../src/engine/stats.js';
import { OPS, type Homeserver, type Op, type ServerResult } from '../../src/model/homeserver.js';

/** A server result with nothing measured. */
export function emptyServerResult(): ServerResult {
  const none = new Float64Array(0);
  const byOp = Object.fromEntries(OPS.map((op) => [op, 0])) as Record<Op, number>;
  return {
    processes: [],
    database: null,
    offeredByWorkerKind: {},
    databaseOfferedByBin: none,
    localSendLatency: new QuantileSketch(),
    localSendLatencyByBin: [],
    eventsPersistedByBin: none,
    streamRowsByBin: none,
    cpuSecondsByOp: byOp,
    databaseSecondsByOp: byOp,
  };
}

/** Records the units and the number of submissions per operation; completes nothing. */
export class RecordingServer implements Homeserver {
  readonly units = new Map<Op, number>();
  readonly calls = new Map<Op, number>();
  readonly replicatingWorkers = 0;
  submit(op: Op, units: number): void {
    this.units.set(op, (this.units.get(op) ?? 0) + units);
    this.calls.set(op, (this.calls.get(op) ?? 0) + 1);
  }
  whenDone(): void {}
  countPersisted(): void {}
  replicate(): void {}
  finish(): ServerResult {
    return emptyServerResult();
  }
}
