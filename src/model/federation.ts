/**
 * Outbound federation: one queue per remote server, one transaction in flight
 * per destination, each transaction at most 50 PDUs and 100 EDUs, built from
 * whatever queued while the previous one was in flight, so batching grows
 * with latency as it does in Synapse's per_destination_queue.py.
 *
 * A destination that fails is retried with exponential back-off (10 min,
 * doubling, at most a week: synapse/util/retryutils.py:289-299 with the
 * defaults of config_documentation.md:1368-1372); once it has been failing
 * for an hour it is in catch-up (per_destination_queue.py:74-75, 410-442)
 * and, when it answers again, gets only the latest event of each room rather
 * than the backlog.
 *
 * Connections are pooled and closed after two minutes idle
 * (synapse/http/federation/matrix_federation_agent.py:132-135): a
 * transaction to a server not talked to for that long first opens a new
 * connection, a TCP and a TLS handshake, which costs the federation sender
 * CPU and the transaction two more round trips.
 *
 * The transaction is built when the previous one is acknowledged, then waits
 * for the federation sender's CPU before it goes on the wire. While the
 * sender is saturated, that wait grows and so does what queues meanwhile:
 * the next transactions carry more PDUs each.
 */
import type { Distribution } from '../engine/distributions.js';
import type { RandomSource } from '../engine/random.js';
import type { HandlerId, Simulation } from '../engine/simulation.js';
import { QuantileSketch } from '../engine/quantile-sketch.js';
import { K } from './coefficients.js';
import { M, type Counters } from './metrics.js';
import type { Homeserver } from './homeserver.js';
import { newTrustCounters, PDU_ENCRYPTED, PDU_OTHER, PDU_PLAINTEXT, PDU_STATE, type PduKind, type TrustCounters } from './trust-boundary.js';

export const DEST_HEALTHY = 0;
export const DEST_SLOW = 1;
export const DEST_DOWN = 2;

const MAX_PDUS = K.maxPdusPerTransaction;
const MAX_EDUS = K.maxEdusPerTransaction;
const MAX_RECEIPT_EDUS = K.maxReceiptEdusPerTransaction;
const DEVICE_LIST_RESERVED = K.deviceListReservedEduSlots;
const PRESENCE_PER_EDU = K.presenceUsersPerEdu;

/** Pending work for one destination; created on first use. */
class DestinationQueue {
  // PDUs: ring buffer of (enqueue time, room, bytes).
  times = new Float64Array(64);
  rooms = new Int32Array(64);
  bytes = new Float64Array(64);
  head = 0;
  length = 0;
  /** Users with a pending presence update (coalesced per user). */
  readonly presence = new Set<number>();
  /** Rooms with pending receipts (one EDU per room) and the receipts in them. */
  readonly receiptRooms = new Set<number>();
  receipts = 0;
  /** Users with a pending device-list update. */
  readonly deviceLists = new Set<number>();
  toDeviceEdus = 0;
  toDeviceBytes = 0;
  typing = 0;
  /** In catch-up: rooms with events the destination has not seen. */
  readonly catchUpRooms = new Set<number>();
  // The transaction in flight.
  readonly sentTimes = new Float64Array(MAX_PDUS);
  sentPdus = 0;
  sentCatchUpPdus = 0;
  sentBytes = 0;
  sentEdus = new Float64Array(5); // presence, receipt, typing, to-device, device-list

  hasWork(catchUp: boolean): boolean {
    return (
      (catchUp ? this.catchUpRooms.size > 0 : this.length > 0) ||
      this.presence.size > 0 ||
      this.receiptRooms.size > 0 ||
      this.deviceLists.size > 0 ||
      this.toDeviceEdus > 0 ||
      this.typing > 0
    );
  }

  push(time: number, room: number, bytes: number): void {
    if (this.length === this.times.length) {
      const n = this.times.length * 2;
      const t = new Float64Array(n);
      const r = new Int32Array(n);
      const b = new Float64Array(n);
      for (let i = 0; i < this.length; i++) {
        const j = (this.head + i) % this.times.length;
        t[i] = this.times[j]!;
        r[i] = this.rooms[j]!;
        b[i] = this.bytes[j]!;
      }
      this.times = t;
      this.rooms = r;
      this.bytes = b;
      this.head = 0;
    }
    const tail = (this.head + this.length) % this.times.length;
    this.times[tail] = time;
    this.rooms[tail] = room;
    this.bytes[tail] = bytes;
    this.length++;
  }
}

export interface FederationOptions {
  servers: number;
  downShare: number;
  slowShare: number;
  slowFactor: number;
  /** One-way latency to a server, ms. */
  latencyMs: Distribution;
  /** Time a remote server takes to accept a transaction, ms. */
  processingMs: Distribution;
}

/** Take up to `n` members out of a set, in insertion order; returns how many. */
function takeFromSet(set: Set<number>, n: number): number {
  // Empty and whole-set takes are the common cases; clear() on an empty set still reallocates.
  if (n <= 0 || set.size === 0) return 0;
  if (n >= set.size) {
    const all = set.size;
    set.clear();
    return all;
  }
  let taken = 0;
  for (const x of set) {
    if (taken >= n) break;
    set.delete(x);
    taken++;
  }
  return taken;
}

export class FederationSender {
  readonly status: Uint8Array;
  /** One-way latency of each destination, s (drawn once: servers sit at a distance). */
  readonly latencySeconds: Float64Array;
  /** Persisted until acknowledged by the remote server, s. */
  readonly deliveryLatency = new QuantileSketch();
  maxPdusInTransaction = 0;
  maxEdusInTransaction = 0;
  /** Times a transaction was started while another was in flight (must stay 0). */
  overlappingTransactions = 0;
  /** Destinations that received at least one transaction. */
  destinationsReached = 0;
  /** Transactions that failed (unreachable destination), over the run. */
  failedAttempts = 0;

  private readonly queues: (DestinationQueue | undefined)[];
  private readonly inFlight: Uint8Array;
  private readonly waitingRetry: Uint8Array;
  private readonly catchUp: Uint8Array;
  private readonly reached: Uint8Array;
  private readonly backoff: Float64Array;
  /** When the connection to each destination was last used, s (-Infinity: none open). */
  private readonly lastUsed: Float64Array;
  /** Whether the transaction in flight to each destination opened a new connection. */
  private readonly connecting: Uint8Array;
  private readonly doneHandler: HandlerId;
  private readonly failHandler: HandlerId;
  private readonly retryHandler: HandlerId;
  /** Destinations down for an incident of the timeline (mechanisms/incidents.ts), on top of `status`. */
  private readonly outage: Uint8Array;
  /** Destinations back from an outage whose first request to us wakes their queue (Synapse resets their back-off). */
  private readonly wakeOnInbound: Uint8Array;
  /** Generation of each destination's pending retry: a retry scheduled before a wake-up is stale. */
  private readonly retryGeneration: Float64Array;
  /**
   * Per destination, over the run: PDUs queued for it, PDUs acknowledged by
   * it (a catch-up PDU counts one), and PDUs folded into catch-up (each room
   * in catch-up is sent once, with its latest event; the remote fetches the
   * earlier ones itself). What was queued and is none of these is still
   * queued: `backlogOf` (the conservation test/model/incidents.test.ts checks).
   */
  readonly pdusQueued: Float64Array;
  readonly pdusAcknowledged: Float64Array;
  readonly pdusFolded: Float64Array;
  /** What was queued for each destination, by kind (trust-boundary.ts). */
  readonly trust: TrustCounters;
  /** Optional per-PDU delivery hook (incident windows): destination, seconds from persisted to acknowledged. */
  onDelivered: ((dest: number, seconds: number) => void) | null = null;

  constructor(
    private readonly sim: Simulation,
    private readonly counters: Counters,
    private readonly o: FederationOptions,
    rng: RandomSource,
    private readonly processingRng: RandomSource,
    private readonly server: Homeserver | null = null,
  ) {
    server?.whenDone('fedOut', (dest) => this.transmit(dest));
    const n = o.servers;
    this.status = new Uint8Array(n);
    this.latencySeconds = new Float64Array(n);
    for (let d = 0; d < n; d++) {
      const x = rng();
      this.status[d] = x < o.downShare ? DEST_DOWN : x < o.downShare + o.slowShare ? DEST_SLOW : DEST_HEALTHY;
      this.latencySeconds[d] = o.latencyMs.sample(rng) / 1000;
    }
    this.queues = new Array<DestinationQueue | undefined>(n);
    this.inFlight = new Uint8Array(n);
    this.waitingRetry = new Uint8Array(n);
    this.catchUp = new Uint8Array(n);
    this.reached = new Uint8Array(n);
    this.backoff = new Float64Array(n);
    this.lastUsed = new Float64Array(n).fill(-Infinity);
    this.connecting = new Uint8Array(n);
    this.outage = new Uint8Array(n);
    this.pdusQueued = new Float64Array(n);
    this.pdusAcknowledged = new Float64Array(n);
    this.pdusFolded = new Float64Array(n);
    this.trust = newTrustCounters(n);
    this.wakeOnInbound = new Uint8Array(n);
    this.retryGeneration = new Float64Array(n);
    this.doneHandler = sim.handler((dest) => this.done(dest));
    this.failHandler = sim.handler((dest) => this.fail(dest));
    // The argument is generation x servers + destination.
    this.retryHandler = sim.handler((arg) => {
      const dest = arg % n;
      if ((arg - dest) / n !== this.retryGeneration[dest]) return; // woken meanwhile
      this.waitingRetry[dest] = 0;
      this.send(dest);
    });
  }

  /** Whether `dest` answers now (not down for the run, nor for an incident). */
  reachable(dest: number): boolean {
    return this.status[dest] !== DEST_DOWN && this.outage[dest] === 0;
  }

  /** An incident takes `dest` down: transactions to it fail until `bringUp`. */
  takeDown(dest: number): void {
    this.outage[dest] = 1;
    this.wakeOnInbound[dest] = 0;
  }

  /**
   * `dest` answers again. Its queue still waits out its back-off, unless the
   * server talks to us first: Synapse resets the back-off of a server that
   * sends an authenticated request and wakes its queue
   * (federation/transport/server/_base.py `_reset_retry_timings`,
   * notifier.py `notify_remote_server_up`), see `inboundFrom`.
   */
  bringUp(dest: number): void {
    this.outage[dest] = 0;
    this.wakeOnInbound[dest] = 1;
  }

  /** This server is down (an outage): nothing is sent until `resume`; what queues meanwhile waits. */
  private paused = false;

  pause(): void {
    this.paused = true;
  }

  /** This server is back: every destination with work and no transaction in flight or back-off sends. */
  resume(): void {
    this.paused = false;
    for (let d = 0; d < this.queues.length; d++) if (this.queues[d] && !this.inFlight[d] && !this.waitingRetry[d]) this.send(d);
  }

  /** Whether `dest` is down for an incident (its users cannot send either). */
  inOutage(dest: number): boolean {
    return this.outage[dest] === 1;
  }

  /** A request from `origin` reached us: a destination back from an outage is woken at once. */
  inboundFrom(origin: number): void {
    if (this.wakeOnInbound[origin] === 0) return;
    this.backoff[origin] = 0;
    // A failing attempt still in flight would set the back-off again: the next request wakes it instead.
    if (this.waitingRetry[origin]) {
      this.wakeOnInbound[origin] = 0;
      this.waitingRetry[origin] = 0;
      this.retryGeneration[origin]!++;
      this.send(origin);
    }
  }

  /** PDUs queued for `dest` and not yet acknowledged (rooms waiting for catch-up count one each). */
  backlogOf(dest: number): number {
    const q = this.queues[dest];
    return q ? q.length + q.catchUpRooms.size + (this.inFlight[dest] ? q.sentPdus + q.sentCatchUpPdus : 0) : 0;
  }

  /** Whether `dest` is in catch-up (failing for more than an hour: only the latest event of each room will be sent). */
  inCatchUp(dest: number): boolean {
    return this.catchUp[dest] === 1;
  }

  /** A PDU of `room` for `dest`; `kind` is what the destination can read of it (trust-boundary.ts). */
  enqueuePdu(dest: number, room: number, bytes: number, kind: PduKind = PDU_OTHER): void {
    const q = this.queue(dest);
    this.pdusQueued[dest]!++;
    const t = this.trust;
    t.pdus[dest]!++;
    if (kind === PDU_PLAINTEXT) t.plaintextEvents[dest]!++;
    else if (kind === PDU_ENCRYPTED) t.encryptedEvents[dest]!++;
    else if (kind === PDU_STATE) t.stateEvents[dest]!++;
    if (this.catchUp[dest]) {
      if (q.catchUpRooms.has(room)) this.pdusFolded[dest]!++;
      else q.catchUpRooms.add(room);
    } else q.push(this.sim.now, room, bytes);
    this.kick(dest);
  }

  enqueuePresence(dest: number, user: number): void {
    this.trust.presenceUpdates[dest]!++;
    this.queue(dest).presence.add(user);
    this.kick(dest);
  }

  enqueueReceipt(dest: number, room: number): void {
    const q = this.queue(dest);
    this.trust.receipts[dest]!++;
    q.receiptRooms.add(room);
    q.receipts++;
    this.kick(dest);
  }

  enqueueTyping(dest: number, count: number): void {
    this.trust.typing[dest]! += count;
    if (this.waitingRetry[dest]) return; // typing is ephemeral: not kept for a failing server
    this.queue(dest).typing += count;
    this.kick(dest);
  }

  enqueueToDevice(dest: number, bytes: number): void {
    const q = this.queue(dest);
    this.trust.toDeviceMessages[dest]!++;
    q.toDeviceEdus++;
    q.toDeviceBytes += bytes;
    this.kick(dest);
  }

  enqueueDeviceList(dest: number, user: number): void {
    this.trust.deviceListUpdates[dest]!++;
    this.queue(dest).deviceLists.add(user);
    this.kick(dest);
  }

  /** PDUs queued and not yet acknowledged, over all destinations. */
  backlogPdus(): number {
    let n = 0;
    for (let d = 0; d < this.queues.length; d++) {
      const q = this.queues[d];
      if (q) n += q.length + q.catchUpRooms.size + (this.inFlight[d] ? q.sentPdus + q.sentCatchUpPdus : 0);
    }
    return n;
  }

  /** The back-off `dest` is waiting out after its last failure, s (0 while it answers). */
  backoffSeconds(dest: number): number {
    return this.backoff[dest]!;
  }

  private queue(dest: number): DestinationQueue {
    let q = this.queues[dest];
    if (q === undefined) this.queues[dest] = q = new DestinationQueue();
    return q;
  }

  private kick(dest: number): void {
    if (!this.inFlight[dest] && !this.waitingRetry[dest]) this.send(dest);
  }

  /** Build and start the next transaction for `dest`, if it has work. */
  private send(dest: number): void {
    if (this.paused) return;
    const q = this.queue(dest);
    const catchUp = this.catchUp[dest] === 1;
    if (!q.hasWork(catchUp)) return;
    if (this.inFlight[dest]) this.overlappingTransactions++;
    this.inFlight[dest] = 1;
    // A failing attempt takes nothing off the queues.
    q.sentPdus = 0;
    q.sentCatchUpPdus = 0;
    if (this.status[dest] === DEST_DOWN || this.outage[dest] === 1) {
      this.sim.schedule(K.failedAttemptSeconds, this.failHandler, dest);
      return;
    }

    let bytes = K.transactionOverheadBytes;
    // A connection idle for longer than the pool keeps it is closed: open a new one.
    const fresh = this.sim.now - this.lastUsed[dest]! > K.idleConnectionSeconds;
    this.connecting[dest] = fresh ? 1 : 0;
    if (fresh) {
      bytes += K.tlsHandshakeBytes;
      this.server?.submit('fedConnect', 1, dest);
    }
    // PDUs: in catch-up the latest event of each room, else the oldest queued first.
    if (catchUp) {
      // Catch-up sends the latest event of one room per transaction.
      const n = takeFromSet(q.catchUpRooms, 1);
      q.sentCatchUpPdus = n;
      bytes += n * K.pduBytes;
      if (q.catchUpRooms.size === 0) this.catchUp[dest] = 0;
    } else {
      const n = Math.min(MAX_PDUS, q.length);
      for (let i = 0; i < n; i++) {
        const j = (q.head + i) % q.times.length;
        q.sentTimes[i] = q.times[j]!;
        bytes += q.bytes[j]!;
      }
      q.head = (q.head + n) % q.times.length;
      q.length -= n;
      q.sentPdus = n;
    }

    // EDUs in Synapse's order (per_destination_queue.py): one presence EDU of at
    // most 50 users, at most 5 receipt EDUs, to-device messages leaving 10 slots
    // for device-list updates, the device-list updates, then the rest (typing).
    let budget = MAX_EDUS;
    const presenceUsers = Math.min(q.presence.size, PRESENCE_PER_EDU);
    const presenceEdus = presenceUsers > 0 ? 1 : 0;
    if (presenceUsers > 0) takeFromSet(q.presence, presenceUsers);
    bytes += presenceUsers * K.presenceEduBytes;
    budget -= presenceEdus;

    const receiptEdus = Math.min(MAX_RECEIPT_EDUS, q.receiptRooms.size);
    if (receiptEdus > 0) {
      const receipts = Math.round((q.receipts * receiptEdus) / q.receiptRooms.size);
      takeFromSet(q.receiptRooms, receiptEdus);
      q.receipts -= receipts;
      if (q.receiptRooms.size === 0) q.receipts = 0;
      bytes += receipts * K.receiptEduBytes;
      budget -= receiptEdus;
    }

    const toDeviceEdus = Math.min(q.toDeviceEdus, Math.max(0, budget - DEVICE_LIST_RESERVED));
    if (toDeviceEdus > 0) {
      const share = toDeviceEdus / q.toDeviceEdus;
      const b = q.toDeviceBytes * share;
      bytes += b;
      q.toDeviceBytes -= b;
      q.toDeviceEdus -= toDeviceEdus;
      budget -= toDeviceEdus;
    }

    const deviceListEdus = Math.min(q.deviceLists.size, budget);
    if (deviceListEdus > 0) takeFromSet(q.deviceLists, deviceListEdus);
    bytes += deviceListEdus * K.deviceListUpdateBytes;
    budget -= deviceListEdus;

    const typingEdus = Math.min(q.typing, budget);
    q.typing -= typingEdus;
    bytes += typingEdus * K.typingEduBytes;
    budget -= typingEdus;

    const edus = MAX_EDUS - budget;
    const pdus = q.sentPdus + q.sentCatchUpPdus;
    if (pdus > this.maxPdusInTransaction) this.maxPdusInTransaction = pdus;
    if (edus > this.maxEdusInTransaction) this.maxEdusInTransaction = edus;
    q.sentBytes = bytes;
    q.sentEdus[0] = presenceEdus;
    q.sentEdus[1] = receiptEdus;
    q.sentEdus[2] = typingEdus;
    q.sentEdus[3] = toDeviceEdus;
    q.sentEdus[4] = deviceListEdus;

    // The federation sender builds and signs the transaction, then it goes on the wire.
    if (this.server) this.server.submit('fedOut', pdus + edus, dest, dest);
    else this.transmit(dest);
  }

  /**
   * The transaction of `dest` goes over the network; acknowledged after a
   * round trip and the remote's processing, and the handshakes first on a
   * new connection.
   */
  private transmit(dest: number): void {
    const slow = this.status[dest] === DEST_SLOW ? this.o.slowFactor : 1;
    const roundTrips = 1 + (this.connecting[dest] ? K.connectionSetupRoundTrips : 0);
    const seconds = (2 * roundTrips * this.latencySeconds[dest]! + this.o.processingMs.sample(this.processingRng) / 1000) * slow;
    this.sim.schedule(seconds, this.doneHandler, dest);
  }

  private done(dest: number): void {
    const q = this.queue(dest);
    const now = this.sim.now;
    const c = this.counters;
    for (let i = 0; i < q.sentPdus; i++) this.deliveryLatency.add(now - q.sentTimes[i]!);
    if (this.onDelivered) for (let i = 0; i < q.sentPdus; i++) this.onDelivered(dest, now - q.sentTimes[i]!);
    const edus = q.sentEdus[0]! + q.sentEdus[1]! + q.sentEdus[2]! + q.sentEdus[3]! + q.sentEdus[4]!;
    c.add(M['fed.out.pdus'], now, q.sentPdus + q.sentCatchUpPdus);
    this.pdusAcknowledged[dest]! += q.sentPdus + q.sentCatchUpPdus;
    c.add(M['fed.out.catchup_pdus'], now, q.sentCatchUpPdus);
    c.add(M['fed.out.edus'], now, edus);
    c.add(M['fed.out.edus.presence'], now, q.sentEdus[0]!);
    c.add(M['fed.out.edus.receipt'], now, q.sentEdus[1]!);
    c.add(M['fed.out.edus.typing'], now, q.sentEdus[2]!);
    c.add(M['fed.out.edus.to_device'], now, q.sentEdus[3]!);
    c.add(M['fed.out.edus.device_list'], now, q.sentEdus[4]!);
    c.add(M['fed.out.transactions'], now, 1);
    c.add(M['fed.out.bytes'], now, q.sentBytes);
    if (this.connecting[dest]) c.add(M['fed.out.connections'], now, 1);
    this.lastUsed[dest] = now;
    if (this.status[dest] === DEST_SLOW) {
      c.add(M['fed.out.transactions.slow'], now, 1);
      c.add(M['fed.out.bytes.slow'], now, q.sentBytes);
    }
    if (!this.reached[dest]) {
      this.reached[dest] = 1;
      this.destinationsReached++;
    }
    this.backoff[dest] = 0;
    this.inFlight[dest] = 0;
    this.send(dest);
  }

  private fail(dest: number): void {
    const now = this.sim.now;
    const q = this.queue(dest);
    this.counters.add(M['fed.out.failed_attempts'], now, 1);
    this.failedAttempts++;
    this.lastUsed[dest] = -Infinity;
    const b = this.backoff[dest]!;
    this.backoff[dest] = b === 0 ? K.retryMinSeconds : Math.min(K.retryMaxSeconds, b * K.retryMultiplier);
    q.typing = 0;
    if (!this.catchUp[dest] && this.backoff[dest] > K.catchUpAfterSeconds) {
      // Back-off past an hour: drop the backlog and the ephemeral EDUs; remember
      // only which rooms have news.
      this.catchUp[dest] = 1;
      const before = q.catchUpRooms.size;
      for (let i = 0; i < q.length; i++) q.catchUpRooms.add(q.rooms[(q.head + i) % q.times.length]!);
      this.pdusFolded[dest]! += q.length - (q.catchUpRooms.size - before);
      q.head = 0;
      q.length = 0;
      q.presence.clear();
      q.receiptRooms.clear();
      q.receipts = 0;
    }
    this.inFlight[dest] = 0;
    this.waitingRetry[dest] = 1;
    this.sim.schedule(this.backoff[dest], this.retryHandler, this.retryGeneration[dest]! * this.o.servers + dest);
  }
}
