/**
 * Calls: MatrixRTC (Element Call) on a LiveKit SFU (docs/MODEL.md, "Calls").
 *
 * Calls start along the daily and weekly rhythm, `calls.callsPerUserPerDay`
 * per user on a weekly-average day: a Poisson process per time zone at its
 * peak rate, thinned to the zone's activity (as sessions.ts starts
 * sessions). Each call has an initiator drawn among the zone's users (an
 * online one if 16 draws find one), a room
 * of theirs picked by activity (retried a few times for one with room for
 * the call's participants, else the call is cut to the room's local
 * members), a number of participants and a duration drawn from the
 * scenario, and what each participant publishes (camera, screen share) and
 * whether its media goes through TURN.
 *
 * Each participant is a process: it joins within `joinSpreadSeconds` of the
 * call's start and leaves within as long before its end.
 * - Homeserver: on join and on leave a call membership state event, persisted
 *   and fanned out like any state event; a delayed-event request on join
 *   (the leave scheduled), one every `heartbeatSeconds` while in the call
 *   (restarts, charged on a 10-second clock as participant-seconds / 5), one
 *   on leave (the leave sent); and the call's encryption keys as to-device
 *   messages, one device a participant: on a join, the joiner's key to each
 *   participant already there and each of theirs to the joiner; on a leave,
 *   each one remaining makes a new key and sends it to every other one left.
 * - SFU: the call's load (sfu.ts `callLoad`) is recomputed on every join and
 *   leave; calls, participants, bits in and out, packets, TURN bits and
 *   cores are time-weighted per bin and written to the counters at the end;
 *   the calls going on when the SFU's cores peak are kept for the packing on
 *   nodes.
 *
 * The mechanism draws from a stream of its own ('calls'), made only when
 * calls are on, and starts no process or clock when they are off: a
 * scenario without calls runs exactly as before.
 */
import { BinnedTimeWeighted } from '../../engine/binned-stats.js';
import type { Distribution } from '../../engine/distributions.js';
import type { RandomSource } from '../../engine/random.js';
import { searchCumulative } from '../../numeric/search-cumulative.js';
import { MAX_CALL_PARTICIPANTS } from '../../scenario/limits.js';
import { K } from '../coefficients.js';
import { M } from '../metrics.js';
import { CALL_COEFFICIENTS as C, callLoad, type CallLoad, type Publisher } from '../sfu.js';
import type { ReplicationState } from '../state.js';
import { toDistribution } from '../world.js';

/** Seconds between the charges of the heartbeats to the homeserver. */
const HEARTBEAT_TICK_SECONDS = 10;
/** Users of the zone drawn for an online initiator. */
const INITIATOR_TRIES = 16;
/** Rooms of the initiator tried for one with room for the call's participants. */
const ROOM_TRIES = 8;
/** Participant index bits in an event argument (call id x PARTICIPANT_SLOTS + participant). */
const PARTICIPANT_SLOTS = 4096;

/** What the calls of one replication left for the summary (null when calls are off). */
export interface CallsResult {
  /** Cores of each call going on at the moment the SFU's cores peaked (for packing on nodes). */
  peakCallCores: number[];
  /** That peak, cores. */
  peakCores: number;
  /** Calls started, and participant joins, over the run. */
  callsStarted: number;
  joins: number;
}

interface Call {
  room: number;
  initiator: number;
  publishers: Publisher[];
  /** 1 while each participant is in the call. */
  inCall: Uint8Array;
  joined: number;
  /** Participants who have not left yet. */
  remaining: number;
  load: CallLoad;
}

interface ZoneProcess {
  zone: number;
  users: Int32Array;
  /** Call starts a second at the peak of the rhythm. */
  maxRate: number;
}

const NO_LOAD: CallLoad = { ingressBps: 0, egressBps: 0, packetsInPerSecond: 0, packetsOutPerSecond: 0, turnBps: 0, cores: 0 };

export class Calls {
  readonly enabled: boolean;
  private readonly rng: RandomSource | null;
  private readonly zones: ZoneProcess[] = [];
  private readonly duration: Distribution | null;
  private readonly participants: Distribution | null;
  private readonly calls: (Call | undefined)[] = [];
  private readonly free: number[] = [];
  private readonly active = new Set<number>();
  // Totals now, and their time-weighted series.
  private callsNow = 0;
  private participantsNow = 0;
  private total: CallLoad = { ...NO_LOAD };
  private readonly series: Record<'calls' | 'participants' | 'ingress' | 'egress' | 'packets' | 'turn' | 'cores', BinnedTimeWeighted> | null;
  /** Participant-seconds since the last heartbeat charge, and when they were last brought up to date. */
  private participantSeconds = 0;
  private participantSecondsAt = 0;
  private ticks = 0;
  private peakCores = 0;
  private peakCallCores: number[] = [];
  private callsStarted = 0;
  private joins = 0;
  private readonly hArrival: number;
  private readonly hJoin: number;
  private readonly hLeave: number;
  private readonly hTick: number;

  constructor(private readonly st: ReplicationState) {
    const spec = st.s.calls;
    this.enabled = spec.callsPerUserPerDay > 0;
    this.rng = this.enabled ? st.sim.random('calls') : null;
    this.duration = this.enabled ? toDistribution(spec.durationMinutes) : null;
    this.participants = this.enabled ? toDistribution(spec.participants) : null;
    this.series = this.enabled
      ? {
          calls: new BinnedTimeWeighted(st.binSeconds, st.horizonSeconds),
          participants: new BinnedTimeWeighted(st.binSeconds, st.horizonSeconds),
          ingress: new BinnedTimeWeighted(st.binSeconds, st.horizonSeconds),
          egress: new BinnedTimeWeighted(st.binSeconds, st.horizonSeconds),
          packets: new BinnedTimeWeighted(st.binSeconds, st.horizonSeconds),
          turn: new BinnedTimeWeighted(st.binSeconds, st.horizonSeconds),
          cores: new BinnedTimeWeighted(st.binSeconds, st.horizonSeconds),
        }
      : null;
    if (this.enabled) {
      const w = st.w;
      const byZone = new Map<number, number[]>();
      for (let u = 0; u < w.users; u++) {
        const z = w.userZone[u]!;
        let list = byZone.get(z);
        if (!list) byZone.set(z, (list = []));
        list.push(u);
      }
      // The rhythm's mean over a week is meanActivityPerWeek: thinning the peak rate by it gives callsPerUserPerDay on a weekly-average day.
      const mean = st.rhythm.meanActivityPerWeek;
      for (const [zone, users] of [...byZone.entries()].sort(([a], [b]) => a - b)) {
        if (mean > 0) this.zones.push({ zone, users: Int32Array.from(users), maxRate: (users.length * spec.callsPerUserPerDay) / 86400 / mean });
      }
    }
    this.hArrival = st.sim.handler((z) => this.arrival(z));
    this.hJoin = st.sim.handler((arg) => this.join(arg));
    this.hLeave = st.sim.handler((arg) => this.leave(arg));
    this.hTick = st.sim.handler(() => this.tick());
  }

  start(): void {
    const rng = this.rng;
    if (!rng) return;
    this.zones.forEach((p, i) => this.st.sim.schedule(this.st.exp(p.maxRate, rng), this.hArrival, i));
  }

  startClocks(): void {
    if (this.enabled) this.st.sim.schedule(HEARTBEAT_TICK_SECONDS, this.hTick);
  }

  /** A candidate call start in zone process z, thinned to the rhythm. */
  private arrival(z: number): void {
    const st = this.st;
    const rng = this.rng!;
    const p = this.zones[z]!;
    st.sim.schedule(st.exp(p.maxRate, rng), this.hArrival, z);
    if (rng() >= st.rhythm.relativeActivity(st.sim.now, p.zone)) return;
    // An online user of the zone if a few draws find one, else the last drawn (called on a phone, say).
    let u = p.users[Math.floor(rng() * p.users.length)]!;
    for (let i = 1; i < INITIATOR_TRIES && !st.m.sessions.isOnline(u); i++) u = p.users[Math.floor(rng() * p.users.length)]!;
    this.startCall(u);
  }

  /** A room of u picked by activity, or -1 when u is in none yet. */
  private pickRoom(u: number): number {
    const w = this.st.w;
    const from = w.userRoomStart[u]!;
    const to = w.userRoomStart[u + 1]!;
    if (to === from || w.userRoomCumWeight[to - 1] === 0) return -1;
    return w.userRoom[searchCumulative(w.userRoomCumWeight, from, to, this.rng!() * w.userRoomCumWeight[to - 1]!)]!;
  }

  /** Draw a call of user u and schedule its participants' joins and leaves. */
  private startCall(u: number): void {
    const st = this.st;
    const rng = this.rng!;
    const spec = st.s.calls;
    let n = Math.min(MAX_CALL_PARTICIPANTS, PARTICIPANT_SLOTS, Math.max(2, Math.round(this.participants!.sample(rng))));
    const seconds = Math.max(1, this.duration!.sample(rng) * 60);
    // A room of the initiator with room for everyone, else the largest of those tried, the call cut to its local members (at least 2).
    let room = -1;
    for (let i = 0; i < ROOM_TRIES; i++) {
      const r = this.pickRoom(u);
      if (r < 0) break;
      if (room < 0 || st.w.roomLocalMembers[r]! > st.w.roomLocalMembers[room]!) room = r;
      if (st.w.roomLocalMembers[r]! >= n) break;
    }
    if (room < 0) return;
    n = Math.max(2, Math.min(n, st.w.roomLocalMembers[room]!));
    const audioOnly = rng() < spec.audioOnlyCallShare;
    const screen = rng() < spec.screenShareShare;
    const publishers: Publisher[] = [];
    for (let k = 0; k < n; k++) {
      publishers.push({ camera: !audioOnly && rng() < spec.cameraShare, screen: screen && k === 0, relayed: rng() < spec.turnShare });
    }
    const id = this.free.pop() ?? this.calls.length;
    this.calls[id] = { room, initiator: u, publishers, inCall: new Uint8Array(n), joined: 0, remaining: n, load: NO_LOAD };
    this.callsStarted++;
    st.count(M['calls.started'], 1);
    // Joins within the spread from the start (the initiator first), leaves within as long before the end.
    const spread = Math.min(C.joinSpreadSeconds.value, seconds / 2);
    for (let k = 0; k < n; k++) {
      const joinAt = k === 0 ? 0 : rng() * spread;
      const leaveAt = seconds - rng() * spread;
      st.sim.schedule(joinAt, this.hJoin, id * PARTICIPANT_SLOTS + k);
      st.sim.schedule(Math.max(joinAt, leaveAt), this.hLeave, id * PARTICIPANT_SLOTS + k);
    }
  }

  /** Bring the participant-seconds up to now (before the participants change). */
  private accrue(): void {
    const now = this.st.sim.now;
    this.participantSeconds += this.participantsNow * (now - this.participantSecondsAt);
    this.participantSecondsAt = now;
  }

  private join(arg: number): void {
    const id = Math.floor(arg / PARTICIPANT_SLOTS);
    const k = arg - id * PARTICIPANT_SLOTS;
    const call = this.calls[id]!;
    // A leave handled at the same instant, before the join, would leave the participant out: the join is skipped.
    if (call.inCall[k] === 2) return;
    this.accrue();
    const already = call.joined;
    call.inCall[k] = 1;
    call.joined++;
    this.joins++;
    this.participantsNow++;
    if (already === 0) {
      this.callsNow++;
      this.active.add(id);
    }
    this.membershipEvent(call);
    // Keys: the joiner's to each one there (one request), each one's to the joiner.
    this.keys(call, already > 0 ? [already, ...new Array<number>(already).fill(1)] : []);
    this.reload(id, call);
  }

  private leave(arg: number): void {
    const id = Math.floor(arg / PARTICIPANT_SLOTS);
    const k = arg - id * PARTICIPANT_SLOTS;
    const call = this.calls[id]!;
    const wasIn = call.inCall[k] === 1;
    call.inCall[k] = 2;
    call.remaining--;
    if (wasIn) {
      this.accrue();
      call.joined--;
      this.participantsNow--;
      this.membershipEvent(call);
      // Each one left makes a new key and sends it to every other one left.
      const left = call.joined;
      this.keys(call, left > 1 ? new Array<number>(left).fill(left - 1) : []);
      this.reload(id, call);
    }
    if (call.remaining === 0) {
      if (call.joined === 0 && this.active.delete(id)) this.callsNow--;
      this.setTotals();
      this.calls[id] = undefined;
      this.free.push(id);
    }
  }

  /**
   * A participant joined or left: the membership state event in the call's
   * room and one delayed-event request (the leave scheduled, or sent).
   */
  private membershipEvent(call: Call): void {
    const st = this.st;
    if (st.down) return;
    const bytes = C.memberEventPduBytes.value;
    st.persistAndFanOut(call.room, M['calls.member_events'], bytes, bytes, true);
    st.count(M['client.bytes_in'], 2 * K.httpRequestBytes + bytes);
    st.server.submit('delayedEvent', 1, call.initiator);
  }

  /** To-device key messages: one request per entry, to that many participants' call devices. */
  private keys(call: Call, requests: number[]): void {
    const st = this.st;
    if (st.down || requests.length === 0) return;
    let all = 0;
    for (const recipients of requests) {
      st.server.submit('toDevice', recipients, call.initiator);
      all += recipients;
    }
    st.streamRowsSinceTick += requests.length;
    st.count(M['calls.key_messages'], all);
    st.count(M['client.bytes_in'], requests.length * K.httpRequestBytes + all * C.keyMessageBytes.value);
    st.count(M['client.bytes_out'], all * C.keyMessageBytes.value);
    st.count(M['client.sync_deliveries'], all);
  }

  /** The call's SFU load from the participants in it now, and the totals. */
  private reload(id: number, call: Call): void {
    const inCall: Publisher[] = [];
    for (let k = 0; k < call.publishers.length; k++) if (call.inCall[k] === 1) inCall.push(call.publishers[k]!);
    const load = inCall.length > 0 ? callLoad(inCall) : NO_LOAD;
    const t = this.total;
    t.ingressBps += load.ingressBps - call.load.ingressBps;
    t.egressBps += load.egressBps - call.load.egressBps;
    t.packetsInPerSecond += load.packetsInPerSecond - call.load.packetsInPerSecond;
    t.packetsOutPerSecond += load.packetsOutPerSecond - call.load.packetsOutPerSecond;
    t.turnBps += load.turnBps - call.load.turnBps;
    t.cores += load.cores - call.load.cores;
    call.load = load;
    if (call.joined === 0 && this.active.delete(id)) this.callsNow--;
    this.setTotals();
    // The calls going on at the SFU's peak, for packing them on nodes.
    if (t.cores > this.peakCores * (1 + 1e-12)) {
      this.peakCores = t.cores;
      this.peakCallCores = [...this.active].map((i) => this.calls[i]!.load.cores);
    }
  }

  private setTotals(): void {
    const s = this.series!;
    const now = this.st.sim.now;
    const t = this.total;
    s.calls.set(now, this.callsNow);
    s.participants.set(now, this.participantsNow);
    // Sums of differences drift by rounding: never below 0.
    s.ingress.set(now, Math.max(0, t.ingressBps));
    s.egress.set(now, Math.max(0, t.egressBps));
    s.packets.set(now, Math.max(0, t.packetsInPerSecond + t.packetsOutPerSecond));
    s.turn.set(now, Math.max(0, t.turnBps));
    s.cores.set(now, Math.max(0, t.cores));
  }

  /** Charge the heartbeats of the last tick: participant-seconds / heartbeatSeconds restarts. */
  private tick(): void {
    const st = this.st;
    st.sim.schedule(HEARTBEAT_TICK_SECONDS, this.hTick);
    this.accrue();
    const restarts = this.participantSeconds / C.heartbeatSeconds.value;
    this.participantSeconds = 0;
    if (restarts <= 0 || st.down) return;
    st.count(M['calls.heartbeats'], restarts);
    st.server.submit('delayedEventRestart', restarts, this.ticks++);
    st.count(M['client.bytes_in'], restarts * K.httpRequestBytes);
    st.count(M['client.bytes_out'], restarts * K.httpResponseOverheadBytes);
  }

  /** End of the run: the per-bin series into the counters, and what the summary needs (null when calls are off). */
  finish(): CallsResult | null {
    const s = this.series;
    if (!s) return null;
    const st = this.st;
    const end = st.horizonSeconds;
    // Heartbeats since the last tick are counted, not charged (the run is over; the clock stands at the horizon).
    this.accrue();
    if (this.participantSeconds > 0) st.count(M['calls.heartbeats'], this.participantSeconds / C.heartbeatSeconds.value);
    this.participantSeconds = 0;
    const bin = st.binSeconds;
    const write = (series: BinnedTimeWeighted, metric: number, factor: number) => {
      series.finish(end);
      const means = series.means();
      for (let b = 0; b < means.length; b++) {
        const v = means[b]!;
        if (v > 0) st.c.add(metric, b * bin, v * bin * factor);
      }
    };
    write(s.calls, M['calls.call_seconds'], 1);
    write(s.participants, M['calls.participant_seconds'], 1);
    write(s.ingress, M['calls.sfu_bytes_in'], 1 / 8);
    write(s.egress, M['calls.sfu_bytes_out'], 1 / 8);
    write(s.packets, M['calls.sfu_packets'], 1);
    write(s.turn, M['calls.turn_bytes'], 1 / 8);
    write(s.cores, M['calls.sfu_core_seconds'], 1);
    return { peakCallCores: this.peakCallCores, peakCores: this.peakCores, callsStarted: this.callsStarted, joins: this.joins };
  }
}
