/**
 * Push notifications by the spec's default rules (spec client-server API,
 * push rules; synapse rust/src/push/base_rules.rs): every message in every
 * room notifies every other member (`.m.rule.message`, `.m.rule.encrypted`,
 * with sound in rooms of two), except in rooms a member set to mentions-only
 * (the scenario's muted share; rooms of two are never muted), where only a
 * mention notifies, and only in plaintext: the server cannot see mentions in
 * ciphertext. Reactions and edits do not notify in plaintext rooms
 * (`.m.rule.reaction`, `.m.rule.suppress_edits`) but do in encrypted ones,
 * where the server sees only `m.room.encrypted`.
 *
 * Synapse evaluates the rules of every local member but the sender for each
 * event (push/bulk_push_rule_evaluator.py), writes one push-action row per
 * notified member (kept a day), and pushes to every pusher (one per phone) of
 * each notified member, online or not. A read receipt makes the pusher
 * recompute the badge and push it (push/httppusher.py:180-199). A phone woken
 * by a push fetches the event from the homeserver (matrix-2026.md §1.3).
 * The recipients' own servers push to remote members: only local ones count.
 */
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import type { ReplicationState } from '../state.js';

export class Push {
  /** Pushers (phones) per local user. */
  private readonly pushersPerUser: number;
  /** Share of local memberships set to mentions-only, per room kind. */
  private readonly mutedByKind: Float64Array;

  constructor(private readonly st: ReplicationState) {
    const s = st.s;
    const w = st.w;
    let phones = 0;
    for (let u = 0; u < w.users; u++) phones += w.userMobileV2[u]! + w.userMobileSliding[u]!;
    this.pushersPerUser = w.users > 0 ? phones / w.users : 0;
    this.mutedByKind = Float64Array.from(s.rooms.kinds, (kind) => kind.mutedShare ?? s.behaviour.mutedRoomShare);
  }

  /** Share of room r's local members who set it to mentions-only. */
  private muted(r: number): number {
    const w = this.st.w;
    return w.roomLocalMembers[r]! + w.roomRemoteMembers[r]! <= 2 ? 0 : this.mutedByKind[w.roomKind[r]!]!;
  }

  /**
   * The push rules of one event in room r, sent by a local user or (`fromRemote`)
   * a remote one. `kind` is 'message' (a message or media), or 'annotation'
   * (a reaction or an edit, which notify only in encrypted rooms).
   */
  forEvent(r: number, fromRemote: boolean, kind: 'message' | 'annotation' = 'message'): void {
    const st = this.st;
    const w = st.w;
    const local = w.roomLocalMembers[r]!;
    const members = local + w.roomRemoteMembers[r]!;
    const recipients = fromRemote ? local : local - 1;
    if (recipients <= 0) return;
    st.server.submit('pushRules', recipients, r);
    st.count(M['push.evaluations'], recipients);
    const encrypted = w.roomEncrypted[r] === 1;
    if (kind === 'annotation' && !encrypted) return;
    const muted = this.muted(r);
    // A mention names one member; it is a local recipient with probability recipients / (members - 1).
    const mentionedMuted = kind === 'message' && !encrypted && members > 2 ? st.s.behaviour.mentionShare * (recipients / (members - 1)) * muted : 0;
    const notified = recipients * (1 - muted) + mentionedMuted;
    if (notified <= 0) return;
    st.count(M['push.actions'], notified);
    st.addStorage(M['storage.pushActions'], notified * K.pushActionRowBytes);
    this.push(r, notified * this.pushersPerUser, true);
  }

  /** An invite of local user u from another server: the default rule `.m.rule.invite_for_me` notifies each of the user's pushers. */
  forInvite(u: number): void {
    const st = this.st;
    st.server.submit('pushRules', 1, u);
    st.count(M['push.evaluations'], 1);
    st.count(M['push.actions'], 1);
    st.addStorage(M['storage.pushActions'], K.pushActionRowBytes);
    this.push(u, this.pushersPerUser, true);
  }

  /** `readers` local members read room r: each pusher of those with notifications there gets a badge update. */
  afterReceipts(r: number, readers: number): void {
    const pushes = readers * (1 - this.muted(r)) * this.pushersPerUser;
    if (pushes <= 0) return;
    this.st.count(M['push.badge'], pushes);
    this.push(r, pushes, false);
  }

  /** `pushes` requests to the push gateway; those carrying an event make the phone fetch it. */
  private push(r: number, pushes: number, fetch: boolean): void {
    const st = this.st;
    st.server.submit('push', pushes, r);
    st.count(M['push.notifications'], pushes);
    st.count(M['push.bytes'], pushes * K.pushRequestBytes);
    if (!fetch) return;
    const fetches = pushes * K.pushFetchesPerPush;
    st.server.submit('notificationFetch', fetches, r);
    st.count(M['push.fetches'], fetches);
    st.count(M['client.bytes_in'], fetches * K.httpRequestBytes);
    st.count(M['client.bytes_out'], fetches * (K.httpResponseOverheadBytes + K.initialSyncBytesPerRoom));
  }
}
