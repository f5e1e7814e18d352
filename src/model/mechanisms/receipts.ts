/**
 * Read receipts: each local member with the room open reads a new event with
 * a probability; receipts go to the room's online devices and, as EDUs, to
 * every remote server in the room, unless they are private (m.read.private,
 * features.privateReadReceipts), which go to the reader's own devices only
 * (the model still delivers them to the room's online devices). Receipt rows are upserted per (room, user),
 * so their storage saturates at one row per membership.
 */
import { binomial } from '../../numeric/binomial.js';
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import type { ReplicationState } from '../state.js';

export class Receipts {
  private rows = 0;
  /** One row per (room, member), local and remote. */
  readonly rowsMax: number;

  constructor(private readonly st: ReplicationState) {
    const w = st.w;
    let remoteMembersTotal = 0;
    for (let r = 0; r < w.rooms; r++) remoteMembersTotal += w.roomRemoteMembers[r]!;
    this.rowsMax = w.userRoom.length + remoteMembersTotal;
  }

  /** Receipts from the local members of room r who have it open (`readersOnline`). Draws from 'actions'. */
  read(r: number, readersOnline: number): void {
    const st = this.st;
    if (!st.s.features.readReceipts || readersOnline <= 0) return;
    const readers = binomial(readersOnline, st.s.behaviour.readReceiptShare, st.rActions);
    if (readers === 0) return;
    st.count(M['m.receipt'], readers);
    st.streamRowsSinceTick += readers;
    st.server.submit('receipt', readers, r);
    st.count(M['client.bytes_in'], readers * (K.httpRequestBytes + K.receiptRequestBodyBytes));
    st.deliverToRoom(r, readers * K.receiptEduBytes, true);
    this.addRows(readers);
    st.m.push.afterReceipts(r, readers);
    // Private receipts (m.read.private) stay on this server: not sent over federation.
    const fed = st.s.features.privateReadReceipts ? null : st.fed;
    if (fed) {
      const [from, to] = st.destinationsOf(r);
      for (let i = 0; i < readers; i++) {
        for (let x = from; x < to; x++) fed.enqueueReceipt(st.w.roomDest[x]!, r);
      }
    }
  }

  /** Receipt rows are upserted per (room, user): new rows saturate towards the memberships. */
  addRows(receipts: number): void {
    if (this.rowsMax <= 0) return;
    const fresh = receipts * Math.max(0, 1 - this.rows / this.rowsMax);
    this.rows += fresh;
    this.st.addStorage(M['storage.receipts'], fresh * K.receiptRowBytes);
  }
}
