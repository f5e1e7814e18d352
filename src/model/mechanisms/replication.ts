/**
 * The replication stream: every second, the homeserver's processes that
 * follow it are charged for the events persisted in that second (Synapse
 * workers; nothing for a single process).
 */
import type { ReplicationState } from '../state.js';

/** How often workers are charged for the replication stream, s. */
const REPLICATION_TICK_SECONDS = 1;

export class ReplicationStream {
  private readonly hTick: number;

  constructor(private readonly st: ReplicationState) {
    this.hTick = st.sim.handler(() => this.tick());
  }

  startClocks(): void {
    if (this.st.server.replicatingWorkers > 0) this.st.sim.schedule(REPLICATION_TICK_SECONDS, this.hTick);
  }

  private tick(): void {
    this.st.server.replicate(this.st.persistedSinceTick);
    this.st.persistedSinceTick = 0;
    this.st.sim.schedule(REPLICATION_TICK_SECONDS, this.hTick);
  }
}
