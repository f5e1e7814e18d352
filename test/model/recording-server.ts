/**
 * Homeservers for mechanism tests: they record what the workload asks of
 * them and do nothing else, so a test can check the units submitted per
 * operation against a hand computation.
 */
import type { Simulation } from '../../src/engine/simulation.js';
import { QuantileSketch } from '../../src/engine/quantile-sketch.js';
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
  /** The waits (s) of the operations submitted with one (a send waiting on a policy server), in order. */
  readonly waits: { op: Op; seconds: number }[] = [];
  readonly replicatingWorkers = 0;
  submit(op: Op, units: number, _shard?: number, _key?: number, waitSeconds = 0): void {
    this.units.set(op, (this.units.get(op) ?? 0) + units);
    this.calls.set(op, (this.calls.get(op) ?? 0) + 1);
    if (waitSeconds > 0) this.waits.push({ op, seconds: waitSeconds });
  }
  whenDone(_op: Op, _fn: (key: number) => void): void {}
  countPersisted(): void {}
  replicate(): void {}
  finish(): ServerResult {
    return emptyServerResult();
  }
}

/**
 * Records like RecordingServer, and completes every operation someone waits
 * on (`whenDone`) `delaySeconds` after it is submitted, as a server with
 * that service time and no queue would.
 */
export class DelayedServer extends RecordingServer {
  private readonly callbacks = new Map<Op, (key: number) => void>();
  private readonly pending: { op: Op; key: number }[] = [];
  private readonly handler: number;
  constructor(
    private readonly sim: Simulation,
    private readonly delaySeconds: number,
  ) {
    super();
    this.handler = sim.handler(() => {
      const job = this.pending.shift()!;
      this.callbacks.get(job.op)?.(job.key);
    });
  }
  override submit(op: Op, units: number, _shard = 0, key = 0): void {
    super.submit(op, units);
    if (!this.callbacks.has(op)) return;
    this.pending.push({ op, key });
    this.sim.schedule(this.delaySeconds, this.handler);
  }
  override whenDone(op: Op, fn: (key: number) => void): void {
    this.callbacks.set(op, fn);
  }
}
