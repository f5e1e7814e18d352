/**
 * Remote traffic: what remote users do in rooms shared with local users.
 * Their messages (with typing, receipts, key rotations and media), membership
 * churn and presence arrive in transactions from their servers and are
 * delivered to local devices like local events; local users also join big
 * rooms hosted elsewhere (mechanisms/joins.ts). All are Poisson processes at
 * constant rates; rooms are picked by their remote activity, and what falls
 * in a room this server has not joined yet (a kind's joinAt) is dropped.
 * Each inbound PDU is checked for forks and gaps (mechanisms/state-resolution.ts).
 */
import { binomial } from '../../numeric/binomial.js';
import { searchCumulative } from '../../numeric/search-cumulative.js';
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import type { RandomSource } from '../../engine/random.js';
import type { ReplicationState } from '../state.js';

/** What one spam event of a wave is. */
export type SpamKind = 'join' | 'message' | 'media' | 'invite';

export class RemoteTraffic {
  /**
   * Cumulative remote message rate (per s) and remote members over the rooms
   * with remote members (`w.fedRooms`): a room without any has no weight, so
   * leaving it out picks the same rooms with the same draws.
   */
  private readonly messageCum: Float64Array;
  private readonly memberCum: Float64Array;
  /** Rooms hosted elsewhere that local users may join. */
  private readonly hostedRemotely: number[] = [];
  /** Share of remote posts that carry media (as for local users). */
  private readonly mediaShare: number;
  /** Until when each origin's inbound transaction is in flight, s (-Infinity: none yet). */
  private readonly inboundBusyUntil: Float64Array;
  /** Remote events (messages and state) per second in each room with remote members (by `w.roomFedIndex`). */
  private readonly remoteEventRate: Float64Array;
  private readonly starts: (() => void)[] = [];

  constructor(private readonly st: ReplicationState) {
    const { s, w } = st;
    const fed = w.fedRooms.length;
    this.messageCum = new Float64Array(fed);
    this.memberCum = new Float64Array(fed);
    this.remoteEventRate = new Float64Array(fed);
    let cumMsg = 0;
    let cumMem = 0;
    for (let f = 0; f < fed; f++) {
      const r = w.fedRooms[f]!;
      const kind = s.rooms.kinds[w.roomKind[r]!]!;
      const remote = w.roomRemoteMembers[r]!;
      const perMember = kind.remoteMessagesPerMemberPerDay ?? s.federation.remoteMessagesPerMemberPerDay;
      this.messageCum[f] = cumMsg += (remote * perMember) / 86400;
      this.memberCum[f] = cumMem += remote;
      this.remoteEventRate[f] = (remote * (perMember + s.federation.remoteMemberChurnPerDay)) / 86400;
      if (kind.hostedRemotely && kind.joinAt === undefined) this.hostedRemotely.push(r);
    }
    this.inboundBusyUntil = new Float64Array(w.remoteServers).fill(-Infinity);
    const classes = s.population.classes;
    const messagesPerDay = classes.reduce((sum, cl) => sum + cl.share * cl.messagesPerDay, 0);
    const mediaPerDay = classes.reduce((sum, cl) => sum + cl.share * cl.mediaUploadsPerDay, 0);
    this.mediaShare = messagesPerDay > 0 ? mediaPerDay / (messagesPerDay + mediaPerDay) : 0;

    if (w.rooms > 0) {
      const remoteMembers = cumMem;
      this.starts.push(st.poisson(cumMsg, () => this.message()));
      this.starts.push(st.poisson((remoteMembers * s.federation.remoteMemberChurnPerDay) / 86400, () => this.churn()));
      if (s.features.presence) {
        // Remote users online re-send presence every 25 min; each also changes state a few times a day.
        const presenceRate = s.behaviour.presenceChangesPerOnlineHour / 3600;
        const perRemoteMember = s.federation.remoteOnlineShare * (1 / K.presenceResendSeconds + presenceRate);
        this.starts.push(st.poisson(remoteMembers * perRemoteMember, () => this.presence(), false));
      }
    }
    if (this.hostedRemotely.length > 0) this.starts.push(st.poisson(s.federation.publicRoomJoinsPerDay / 86400, () => this.publicRoomJoin()));
  }

  start(): void {
    for (const start of this.starts) start();
  }

  /** Remote events (messages and state) per second in room r (0 in a room without remote members). */
  remoteEventsPerSecond(r: number): number {
    const f = this.st.w.roomFedIndex[r]!;
    return f >= 0 ? this.remoteEventRate[f]! : 0;
  }

  /**
   * Count one inbound PDU or EDU from `origin`, batching into the origin's
   * transaction in flight. A new transaction costs the federation reader its
   * own work (fedInTransaction), and comes on a new connection when the
   * origin's last one has been idle longer than the pool keeps it (Synapse's
   * agent at both ends); TLS ends in front of the homeserver, so the
   * handshake costs bytes here and no homeserver CPU.
   */
  inbound(origin: number, bytes: number, pdus: number, edus: number): void {
    const st = this.st;
    const now = st.sim.now;
    st.fed?.inboundFrom(origin);
    const busyUntil = this.inboundBusyUntil[origin]!;
    if (now >= busyUntil) {
      st.count(M['fed.in.transactions'], 1);
      bytes += K.transactionOverheadBytes;
      if (now - busyUntil > K.idleConnectionSeconds) {
        st.count(M['fed.in.connections'], 1);
        bytes += K.tlsHandshakeBytes;
      }
      st.server.submit('fedInTransaction', 1, origin);
      this.inboundBusyUntil[origin] = now + 2 * (st.fed ? st.fed.latencySeconds[origin]! : 0) + K.inboundTransactionProcessingSeconds;
    }
    st.count(M['fed.in.bytes'], bytes);
    st.server.submit('fedIn', pdus + K.inboundEduCostShare * edus, origin);
    if (pdus) st.server.countPersisted(pdus);
    if (pdus) st.count(M['fed.in.pdus'], pdus);
    if (edus) st.count(M['fed.in.edus'], edus);
    // Inbound EDUs (typing, receipts, presence, device lists) are written to the replication stream too; PDUs through persist().
    st.streamRowsSinceTick += edus;
  }

  /** A room picked by the weights in `cum` (over `w.fedRooms`). Draws from 'remote'. */
  private pickRoom(cum: Float64Array): number {
    return this.st.w.fedRooms[searchCumulative(cum, 0, cum.length, this.st.rRemote() * cum[cum.length - 1]!)]!;
  }

  /** A remote server in room r. Draws from 'remote'. */
  private originOf(r: number): number {
    const [from, to] = this.st.destinationsOf(r);
    return this.st.w.roomDest[from + Math.floor(this.st.rRemote() * (to - from))]!;
  }

  /** A remote user's message in a shared room. */
  private message(): void {
    const st = this.st;
    const { s, w } = st;
    const r = this.pickRoom(this.messageCum);
    if (!w.roomJoined[r]) return;
    const origin = this.originOf(r);
    if (st.fed?.inOutage(origin)) return; // its server is down for an incident: its users cannot send
    const encrypted = w.roomEncrypted[r] === 1;
    const body = st.messageBytes.sample(st.rRemote);
    const extra = Math.max(0, body - K.envelopeBodyBytes) * (encrypted ? K.megolmCiphertextFactor : 1);
    const pduBytes = (encrypted ? K.encryptedPduBytes : K.pduBytes) + extra;
    // Remote typing and the remote readers' receipts come with it.
    const typing = s.features.typing ? s.behaviour.typingNotificationsPerMessage : 0;
    const remoteReaders = s.features.readReceipts ? binomial(Math.round(w.roomRemoteMembers[r]! * s.federation.remoteOnlineShare), s.behaviour.readReceiptShare, st.rRemote) : 0;
    this.inbound(origin, pduBytes + typing * K.typingEduBytes + remoteReaders * K.receiptEduBytes, 1, Math.ceil(typing) + Math.min(remoteReaders, 1));
    st.count(M['remote.message'], 1);
    st.m.stateResolution.inboundPdu(r, origin, false);
    st.persist(r, pduBytes, false);
    st.m.search.index(r, body);
    st.deliverToRoom(r, (encrypted ? K.encryptedSyncEventBytes : K.syncEventBytes) + extra, true);
    if (typing) st.deliverToRoom(r, typing * K.typingEduBytes, false);
    if (remoteReaders) {
      st.deliverToRoom(r, remoteReaders * K.receiptEduBytes, false);
      st.m.receipts.addRows(remoteReaders);
    }
    st.m.push.forEvent(r, true);
    if (encrypted && st.rRemote() < 1 / st.s.e2ee.rotationPeriodMessages) st.m.e2ee.remoteRotation(r, origin);
    if (st.rRemote() < this.mediaShare) st.m.media.remoteMedia(r);
    st.m.receipts.read(r, st.onlineUsers[r]!);
  }

  /**
   * One event of a spam wave from a remote server (mechanisms/incidents.ts),
   * from one of the servers of a room drawn by its remote members, drawn from
   * `rng` (none when that room is not joined yet: false):
   * - a `join` (state) or a `message` into that room, checked and stored as
   *   any remote event; a `media` message is also fetched and thumbnailed
   *   when a local member looks (Media `remoteMedia`);
   * - an `invite` of a local user drawn at random (a direct /invite request):
   *   stored as an outlier (no room state here), shown in the user's /sync
   *   and pushed to their phones (the default rule notifies every invite).
   * `checked`: a policy server or antispam module is asked first, one request
   * from this server each. `filtered` (it caught the event) keeps it from
   * local devices, pushes and media fetches (soft-failed); a caught invite is
   * rejected and not stored.
   */
  spamEvent(kind: SpamKind, checked: boolean, filtered: boolean, rng: RandomSource): boolean {
    const st = this.st;
    const w = st.w;
    const total = this.memberCum[this.memberCum.length - 1] ?? 0;
    if (total <= 0) return false;
    const r = w.fedRooms[searchCumulative(this.memberCum, 0, this.memberCum.length, rng() * total)]!;
    if (!w.roomJoined[r]) return false;
    const [from, to] = st.destinationsOf(r);
    if (to === from) return false;
    const origin = w.roomDest[from + Math.floor(rng() * (to - from))]!;
    const state = kind !== 'message' && kind !== 'media';
    const bytes = state ? K.stateEventBytes : kind === 'media' ? K.pduBytes + K.mediaEventContentBytes : K.pduBytes;
    this.inbound(origin, bytes, 1, 0);
    st.count(state ? M['remote.state'] : M['remote.message'], 1);
    // A protected room's events are checked as they are stored (persist); an invite is not stored in a room here.
    if (checked && (kind === 'invite' || !st.policyRoom[r])) st.server.submit('fedInTransaction', 1, origin);
    if (kind === 'invite') {
      if (filtered || w.users === 0) return true;
      const u = Math.floor(rng() * w.users);
      st.streamRowsSinceTick++;
      st.addStorage(M['storage.eventJson'], bytes);
      st.addStorage(M['storage.eventRows'], K.eventRowBytes + K.eventAuxiliaryBytes);
      // The invited user's online devices, on average: one /sync answer each, with the invite's stripped state.
      const devices = st.totalOnlineDevices / w.users;
      st.count(M['client.sync_deliveries'], devices);
      st.count(M['client.bytes_out'], devices * K.stateEventBytes * K.stateEventSyncFactor);
      st.wake(devices, st.totalOnlineSliding / w.users, u);
      st.m.push.forInvite(u);
      return true;
    }
    st.m.stateResolution.inboundPdu(r, origin, state);
    st.persist(r, bytes, state);
    if (filtered) return true;
    st.deliverToRoom(r, state ? K.stateEventBytes * K.stateEventSyncFactor : K.syncEventBytes + (kind === 'media' ? K.mediaEventContentBytes : 0), true);
    if (!state) st.m.push.forEvent(r, true);
    if (kind === 'media') st.m.media.remoteMedia(r, rng);
    return true;
  }

  /** A remote member joins, leaves or changes profile: a state event from elsewhere. */
  private churn(): void {
    const st = this.st;
    const r = this.pickRoom(this.memberCum);
    if (!st.w.roomJoined[r]) return;
    const origin = this.originOf(r);
    if (st.fed?.inOutage(origin)) return;
    this.inbound(origin, K.stateEventBytes, 1, 0);
    st.count(M['remote.state'], 1);
    st.m.stateResolution.inboundPdu(r, origin, true);
    // A leave, a join or a profile change, equally likely (estimate): a leave rotates local senders' Megolm sessions, a join has them shared.
    const x = st.rE2ee();
    if (x < 1 / 3) st.m.e2ee.memberLeft(r);
    else if (x < 2 / 3) st.m.e2ee.devicesAdded(r, st.s.population.devicesPerUser);
    st.persist(r, K.stateEventBytes, true);
    st.deliverToRoom(r, K.stateEventBytes * K.stateEventSyncFactor, true);
  }

  /** A remote user's presence update reaching the local users who share a room. */
  private presence(): void {
    const r = this.pickRoom(this.memberCum);
    if (!this.st.w.roomJoined[r]) return;
    const origin = this.originOf(r);
    if (this.st.fed?.inOutage(origin)) return;
    this.inbound(origin, K.presenceEduBytes, 0, 1);
    this.st.m.presence.fromRemote(r);
  }

  /** A local user joins a big remote room at random (federation.publicRoomJoinsPerDay): a partial-state join. */
  private publicRoomJoin(): void {
    const st = this.st;
    st.m.joins.join(this.hostedRemotely[Math.floor(st.rRemote() * this.hostedRemotely.length)]!);
  }
}
