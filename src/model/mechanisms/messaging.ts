/**
 * What online users do: a Poisson stream of acts per session, split by rate
 * into presence changes, media uploads, messages, edits, reactions and
 * redactions. A message is typed, encrypted if the room is, persisted and
 * fanned out, pushed, previewed, and read by those who have the room open.
 *
 * Follow one message: `act` -> `sendMessage` -> `ReplicationState.persistAndFanOut`
 * (storage, /sync deliveries, one PDU per remote server) -> FederationSender
 * (transactions) -> Counters (per-bin series) -> summary.
 */
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import type { ReplicationState } from '../state.js';

export class Messaging {
  /** Per user class, while online, per second. */
  private readonly messageRate: number[];
  readonly mediaRate: number[];
  private readonly actionRate: number[];
  private readonly hAct: number;

  constructor(private readonly st: ReplicationState) {
    const { s, rhythm } = st;
    const classes = s.population.classes;
    const b = s.behaviour;
    const presenceRate = s.features.presence ? b.presenceChangesPerOnlineHour / 3600 : 0;
    // A class's daily messages spread over its online time.
    const perOnlineSecond = (perDay: number, i: number) => {
      const online = rhythm.onlineSecondsPerDay[i] ?? 0;
      return online > 0 ? perDay / online : 0;
    };
    this.messageRate = classes.map((cl, i) => perOnlineSecond(cl.messagesPerDay, i));
    this.mediaRate = classes.map((cl, i) => perOnlineSecond(cl.mediaUploadsPerDay, i));
    const perMessage = 1 + b.reactionsPerMessage + b.editsPerMessage + b.redactionsPerMessage;
    this.actionRate = classes.map((_, i) => this.messageRate[i]! * perMessage + this.mediaRate[i]! + presenceRate);
    this.hAct = st.sim.handler((token) => this.act(token));
  }

  /** A session began: its first act. */
  startActing(u: number, token: number): void {
    const rate = this.actionRate[this.st.w.userClass[u]!]!;
    if (rate > 0) this.st.sim.schedule(this.st.exp(rate, this.st.rActions), this.hAct, token);
  }

  private act(token: number): void {
    const st = this.st;
    const u = st.m.sessions.userOf(token);
    if (u < 0) return;
    const cls = st.w.userClass[u]!;
    const rate = this.actionRate[cls]!;
    st.sim.schedule(st.exp(rate, st.rActions), this.hAct, token);
    // The server is down: the client keeps the act and makes it on return, up to keptActsPerUser a user.
    if (st.down) {
      const kept = (this.keptByUser.get(u) ?? 0) + 1;
      this.keptByUser.set(u, kept);
      if (kept <= st.keptActsPerUser) this.deferredUsers.push(u);
      else this.actsNotMade++;
      return;
    }
    this.actNow(u);
  }

  /** Users whose acts came while the server was down, one entry an act, in order. */
  readonly deferredUsers: number[] = [];
  /** Acts each user's client kept during the current outage, and the acts not made beyond them. */
  readonly keptByUser = new Map<number, number>();
  actsNotMade = 0;

  /** What user u does now: a presence change, an upload, or an event in one of its rooms. */
  actNow(u: number): void {
    const st = this.st;
    const cls = st.w.userClass[u]!;
    const rate = this.actionRate[cls]!;

    const b = st.s.behaviour;
    let x = st.rActions() * rate;
    const msg = this.messageRate[cls]!;
    if ((x -= st.m.presence.ratePerSecond) < 0) return st.m.presence.change(u);
    if ((x -= this.mediaRate[cls]!) < 0) return st.m.media.upload(u);
    const j = st.pickMembership(u);
    if (j < 0) return;
    const r = st.w.userRoom[j]!;
    if ((x -= msg) < 0) return this.sendMessage(u, j, r, 1);
    if ((x -= msg * b.editsPerMessage) < 0) return this.sendMessage(u, j, r, 2);
    if ((x -= msg * b.reactionsPerMessage) < 0) {
      st.persistAndFanOut(r, M['m.reaction'], K.reactionPduBytes, K.reactionPduBytes * K.annotationSyncFactor, false);
      st.count(M['client.bytes_in'], K.httpRequestBytes + K.reactionRequestBodyBytes);
      st.m.push.forEvent(r, false, 'annotation');
      return;
    }
    st.persistAndFanOut(r, M['m.room.redaction'], K.reactionPduBytes, K.reactionPduBytes * K.annotationSyncFactor, false);
    st.count(M['client.bytes_in'], K.httpRequestBytes + K.redactionRequestBodyBytes);
  }

  /**
   * A text message (bodyFactor 1) or an edit (2: new content plus fallback).
   * Typing comes first, then the event, then the receipts of those reading.
   */
  private sendMessage(u: number, j: number, r: number, bodyFactor: number): void {
    const st = this.st;
    const s = st.s;
    const encrypted = st.w.roomEncrypted[r] === 1;
    const body = st.messageBytes.sample(st.rActions) * bodyFactor + (st.rActions() < s.behaviour.replyShare ? K.replyFallbackBytes : 0);
    const cipherFactor = encrypted ? K.megolmCiphertextFactor : 1;
    const extra = Math.max(0, body - K.envelopeBodyBytes) * cipherFactor;
    if (s.features.typing && s.behaviour.typingNotificationsPerMessage > 0) {
      // A whole number of notifications with the configured mean.
      const mean = s.behaviour.typingNotificationsPerMessage;
      const n = Math.floor(mean) + (st.rActions() < mean - Math.floor(mean) ? 1 : 0);
      if (n > 0) st.m.typing.notify(r, n);
    }
    if (encrypted) st.m.e2ee.beforeSend(u, j, r);
    st.persistAndFanOut(
      r,
      encrypted ? M['m.room.encrypted'] : M['m.room.message'],
      (encrypted ? K.encryptedPduBytes : K.pduBytes) + extra,
      (encrypted ? K.encryptedSyncEventBytes : K.syncEventBytes) + extra,
      false,
    );
    st.count(M['client.bytes_in'], K.httpRequestBytes + K.bodyEnvelopeBytes + body * cipherFactor);
    // Indexed for search in an unencrypted room (an edit's new content is indexed as its own event).
    st.m.search.index(r, body);
    // Edits notify only where the server cannot tell them apart (encrypted rooms; .m.rule.suppress_edits).
    st.m.push.forEvent(r, false, bodyFactor === 1 ? 'message' : 'annotation');
    if (s.features.urlPreviews && st.rActions() < s.behaviour.urlPreviewShare && !encrypted) st.m.media.urlPreview(r);
    st.m.receipts.read(r, st.onlineUsers[r]! - 1);
  }
}
