/**
 * The replication stream: every second, the homeserver's processes that
 * follow it are charged for the rows written to it in that second: events,
 * typing, receipts, presence, to-device and device-list updates (Element's
 * figure counts "messages, typing notifications, membership changes etc";
 * Synapse workers only, nothing for a single process).
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
    this.st.sim.schedule(REPLICATION_TICK_SECONDS, this.hTick);
  }

  private tick(): void {
    this.st.server.replicate(this.st.streamRowsSinceTick);
    this.st.streamRowsSinceTick = 0;
    this.st.sim.schedule(REPLICATION_TICK_SECONDS, this.hTick);
  }
}
