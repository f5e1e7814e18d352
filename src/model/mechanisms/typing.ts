/** Typing notifications: to the room's online devices and, as EDUs, to every remote server in the room. */
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import type { ReplicationState } from '../state.js';

export class Typing {
  constructor(private readonly st: ReplicationState) {}

  /** `notifications` typing notifications in room r. */
  notify(r: number, notifications: number): void {
    const st = this.st;
    st.count(M['m.typing'], notifications);
    st.streamRowsSinceTick += notifications;
    st.server.submit('typing', notifications, r);
    st.deliverToRoom(r, K.typingEduBytes * notifications, true);
    const fed = st.fed;
    if (fed) {
      const [from, to] = st.destinationsOf(r);
      for (let x = from; x < to; x++) fed.enqueueTyping(st.w.roomDest[x]!, notifications);
    }
  }
}
