/**
 * One call on a LiveKit SFU (Element Call / MatrixRTC), as a pure model:
 * what each participant publishes (Element Call's default streams and their
 * simulcast layers), which layer each subscriber receives, the bits and
 * packets into and out of the SFU, the CPU that costs, and how calls are
 * packed on SFU nodes, one call never split across nodes ("each room must
 * fit within a single node", LiveKit's benchmark page; matrix-2026.md §7.2).
 *
 * Every figure is in CALL_COEFFICIENTS with its source and trust label
 * (the labels of src/model/coefficients.ts); docs/MODEL.md, "Calls", lists
 * them with the fit of the CPU per packet.
 */
import { coefficient as c, type Coefficient } from './coefficients.js';

/**
 * LiveKit's published benchmark on one GCP c2-standard-16 (16 vCPU), as
 * copied on 2025-08-13 (docs.livekit.io self-hosting/benchmark;
 * matrix-2026.md §7.2, bench): packets and bytes a second into and out of
 * the SFU and its CPU use, for its three configurations. The SFU's CPU is
 * fitted on all three (`fitSfuCpu`; test/model/sfu.test.ts checks it).
 */
export const LIVEKIT_BENCHMARK = [
  { name: 'large audio room', vcpu: 16, cpuShare: 0.8, packetsIn: 305, packetsOut: 959_156, bytesIn: 7_300, bytesOut: 23e6 },
  { name: 'large meeting', vcpu: 16, cpuShare: 0.85, packetsIn: 51_068, packetsOut: 762_749, bytesIn: 50e6, bytesOut: 93e6 },
  { name: 'livestreaming', vcpu: 16, cpuShare: 0.92, packetsIn: 246, packetsOut: 560_962, bytesIn: 233_000, bytesOut: 531e6 },
] as const;

/** One benchmark row: CPU use, packets and bytes a second both ways. */
export type SfuBenchmarkRow = { vcpu: number; cpuShare: number; packetsIn: number; packetsOut: number; bytesIn: number; bytesOut: number };

/**
 * The SFU's CPU as a part per packet and a part per byte it handles
 * (received or sent): busy cores = a x packets + b x bytes. Every packet
 * costs its routing, its RTP header rewrite and a socket call; every byte
 * its SRTP decryption or encryption and copy ("a significant amount of work
 * in decryption and encryption, packet processing, and data forwarding",
 * LiveKit's benchmark page). Least squares through the origin on the
 * relative errors (each row counts alike, whatever its CPU): the normal
 * equations of (x_i / y_i) . (a, b) = 1, solved by Cramer's rule. On the
 * three rows it gives a = 13.4 µs a packet and b = 13.9 ns a byte; packets
 * alone (one part) could not fit the livestream's large packets and the
 * audio room's small ones together (0.64 and 1.25 of the measured).
 */
export function fitSfuCpu(rows: readonly SfuBenchmarkRow[] = LIVEKIT_BENCHMARK): { perPacket: number; perByte: number } {
  let pp = 0;
  let pb = 0;
  let bb = 0;
  let p1 = 0;
  let b1 = 0;
  for (const r of rows) {
    const y = r.vcpu * r.cpuShare;
    const p = (r.packetsIn + r.packetsOut) / y;
    const b = (r.bytesIn + r.bytesOut) / y;
    pp += p * p;
    pb += p * b;
    bb += b * b;
    p1 += p;
    b1 += b;
  }
  const det = pp * bb - pb * pb;
  return { perPacket: (p1 * bb - b1 * pb) / det, perByte: (pp * b1 - pb * p1) / det };
}

const SFU_FIT = fitSfuCpu();

export const CALL_COEFFICIENTS = {
  sfuBaseRamMiB: c(
    500,
    'MiB',
    'resident memory of an idle LiveKit SFU node (range 200-1,000)',
    'estimate',
    'a Go server with its signalling, Redis client and embedded TURN; LiveKit publishes no memory figure (matrix-2026.md section 7.2 gives CPU only)',
  ),
  sfuRamMiBPerParticipant: c(
    4,
    'MiB',
    'memory per participant in a call on the node: the packet buffers of its tracks, sent and received (range 1-10)',
    'estimate',
    'pion keeps a few hundred packets of about 1,100 bytes per track for retransmission (NACK) and jitter, a few tracks per participant: about 1-4 MiB',
  ),
  cameraLowKbps: c(160, 'kbit/s', 'camera simulcast layer 180p', 'code', 'element-call src/config/ConfigOptions.ts DEFAULT_CONFIG (matrix-2026.md §7.1)'),
  cameraMidKbps: c(450, 'kbit/s', 'camera simulcast layer 360p', 'code', 'element-call src/config/ConfigOptions.ts DEFAULT_CONFIG (matrix-2026.md §7.1)'),
  cameraHighKbps: c(1700, 'kbit/s', 'camera top layer 720p (VP8, 30 fps)', 'code', 'element-call src/config/ConfigOptions.ts DEFAULT_CONFIG (matrix-2026.md §7.1)'),
  screenHighKbps: c(5000, 'kbit/s', 'screen share top layer 1080p (VP8, 30 fps)', 'code', 'element-call src/config/ConfigOptions.ts DEFAULT_CONFIG (matrix-2026.md §7.1)'),
  screenLowKbps: c(
    1250,
    'kbit/s',
    'screen share simulcast layer at half resolution',
    'estimate',
    "LiveKit's default screen-share simulcast is one layer at half resolution (matrix-2026.md §7.1); its bitrate taken as the top layer's scaled with the pixels, 5,000 / 4",
  ),
  audioKbps: c(
    32,
    'kbit/s',
    'one published microphone (Opus)',
    'code',
    'LiveKit client presets: speech 20, music 32 kbit/s (livekit/client-sdk-js src/room/track/options.ts; matrix-2026.md §7.1); the larger taken, no silence suppression',
  ),
  audioPacketsPerSecond: c(50, 'packets/s', 'packets of one audio stream', 'code', 'Opus frames of 20 ms, the WebRTC default packetisation: 1 / 0.020 s'),
  videoPacketBytes: c(
    980,
    'B',
    'mean size of one video packet (RTP payload and headers)',
    'derived',
    "LiveKit benchmark, large meeting (matrix-2026.md §7.2): 50 MB/s in over 51,068 packets/s in = 979 B (livestreaming: 233 kB/s over 246 packets/s = 947 B); under WebRTC's ~1,200-byte packet limit. A stream's packets/s = its bitrate / (8 x 980 B)",
  ),
  sfuCpuSecondsPerPacket: c(
    SFU_FIT.perPacket,
    'CPU-s',
    'SFU CPU per packet received or sent (its routing, header rewrite and socket call)',
    'bench',
    'fitted with sfuCpuSecondsPerByte on the three rows of LiveKit\'s benchmark (16 vCPU at 80%, 85% and 92%: large audio room, large meeting, livestreaming; matrix-2026.md §7.2): least squares through the origin on the relative errors; the rows are reproduced at 1.03, 0.95 and 1.01; band 0.5x-2x (the maintainers: "not as efficient as it used to be", livekit/livekit#3285)',
  ),
  sfuCpuSecondsPerByte: c(
    SFU_FIT.perByte,
    'CPU-s',
    'SFU CPU per byte received or sent (SRTP decryption or encryption and copy)',
    'bench',
    "fitted with sfuCpuSecondsPerPacket on the three rows of LiveKit's benchmark (see there)",
  ),
  sfuCpuBandFactor: c(2, 'x', 'band on the SFU CPU per packet, each way', 'anecdote', 'livekit/livekit#3285 and #3041: the benchmark may be out of date (matrix-2026.md §7.2)'),
  oneToOneTiles: c(
    1,
    'tiles',
    'other cameras up to which a subscriber receives the 720p layer',
    'estimate',
    'a 1:1 call or a spotlight shows the other camera large: the top layer',
  ),
  midLayerMaxTiles: c(
    4,
    'tiles',
    'other cameras up to which a subscriber receives the 360p layer (beyond: 180p)',
    'estimate',
    "a grid of 2 to 4 tiles on a 1080p screen gives tiles of about 960 x 540 or less; LiveKit's adaptive stream picks the layer nearest the tile, 360p; smaller tiles take 180p",
  ),
  maxVisibleTiles: c(25, 'tiles', 'other cameras a subscriber receives video of at once', 'estimate', "a 5 x 5 grid; LiveKit's adaptive stream pauses video of tiles off screen"),
  joinSpreadSeconds: c(
    60,
    's',
    'participants join over this long from the start of a call, and leave over this long before its end',
    'estimate',
    'people arrive and hang up within about a minute',
  ),
  heartbeatSeconds: c(
    5,
    's',
    'interval of the delayed leave event restarts (heartbeat) of each participant',
    'docs',
    'element-call docs/self_hosting.md: "heart-beat is every 5 seconds" (matrix-2026.md §7.1)',
  ),
  memberEventPduBytes: c(
    900,
    'B',
    'one call membership state event (org.matrix.msc3401.call.member: call, device, focus, expiry)',
    'estimate',
    "a state event with the membership's focus and device fields; Synapse's JSON of a member event is ~700 B",
  ),
  keyMessageBytes: c(
    600,
    'B',
    'one to-device message carrying a call encryption key (Olm-encrypted)',
    'estimate',
    'an Olm message with a 16-byte media key, its index and the call id: smaller than a Megolm room key message',
  ),
} as const satisfies Record<string, Coefficient>;

const C = CALL_COEFFICIENTS;

/** What one participant publishes. */
export interface Publisher {
  /** Microphone published (default true; false: a listener, as the subscribers of LiveKit's benchmark). */
  audio?: boolean;
  /** Camera on. */
  camera: boolean;
  /** Shares the screen. */
  screen: boolean;
  /** Its media goes through TURN (both ways). */
  relayed: boolean;
}

/** A camera layer a subscriber receives: 0 = 180p, 1 = 360p, 2 = 720p. */
export type CameraLayer = 0 | 1 | 2;

/** Bitrate of each camera layer, kbit/s, lowest first. */
export const CAMERA_LAYERS_KBPS: readonly number[] = [C.cameraLowKbps.value, C.cameraMidKbps.value, C.cameraHighKbps.value];
/** Bitrate of each screen-share layer, kbit/s, lowest first. */
export const SCREEN_LAYERS_KBPS: readonly number[] = [C.screenLowKbps.value, C.screenHighKbps.value];

/**
 * The camera layer a subscriber receives when it shows `tiles` other
 * cameras, and whether a screen share is on (then the share takes the
 * screen and cameras become thumbnails at 180p): one camera at 720p, up to
 * `midLayerMaxTiles` at 360p, more at 180p (estimates, CALL_COEFFICIENTS).
 */
export function cameraLayerFor(tiles: number, screenShareOn: boolean): CameraLayer {
  if (screenShareOn) return 0;
  if (tiles <= C.oneToOneTiles.value) return 2;
  if (tiles <= C.midLayerMaxTiles.value) return 1;
  return 0;
}

/** Packets a second of a video stream of `kbps`. */
export const videoPacketsPerSecond = (kbps: number): number => (kbps * 1000) / (8 * C.videoPacketBytes.value);

/** One call's load on the SFU, at one moment. */
export interface CallLoad {
  /** Bits a second into the SFU (what the publishers send) and out of it (what the subscribers receive). */
  ingressBps: number;
  egressBps: number;
  packetsInPerSecond: number;
  packetsOutPerSecond: number;
  /** Bits a second the relayed participants send and receive through TURN. */
  turnBps: number;
  /** SFU CPU, cores (`sfuCpuSecondsPerPacket` x packets in and out + `sfuCpuSecondsPerByte` x bytes in and out). */
  cores: number;
}

/**
 * The SFU load of one call of `publishers` (each participant publishes and
 * subscribes). Ingress: each publisher sends audio (unless `audio` is
 * false), and every simulcast
 * layer of its camera and screen share (LiveKit's dynacast, which pauses
 * layers nobody watches, is left out: an upper bound). Egress: each
 * subscriber receives every other participant's audio, the screen shares at
 * their top layer, and the cameras of up to `maxVisibleTiles` others at the
 * layer `cameraLayerFor` picks. `layer`, when given, forces the camera layer
 * of every subscriber (for the laws of the tests).
 */
export function callLoad(
  publishers: readonly Publisher[],
  layer?: CameraLayer,
  cpuSecondsPerPacket = C.sfuCpuSecondsPerPacket.value,
  cpuSecondsPerByte = C.sfuCpuSecondsPerByte.value,
): CallLoad {
  const audioBps = C.audioKbps.value * 1000;
  const audioPps = C.audioPacketsPerSecond.value;
  const cameraSendKbps = CAMERA_LAYERS_KBPS.reduce((a, b) => a + b, 0);
  const screenSendKbps = SCREEN_LAYERS_KBPS.reduce((a, b) => a + b, 0);
  const screenTopKbps = SCREEN_LAYERS_KBPS[SCREEN_LAYERS_KBPS.length - 1]!;
  let cameras = 0;
  let screens = 0;
  let microphones = 0;
  for (const p of publishers) {
    if (p.camera) cameras++;
    if (p.screen) screens++;
    if (p.audio !== false) microphones++;
  }
  const speaks = (p: Publisher) => (p.audio === false ? 0 : 1);
  // What each participant sends, bits/s and packets/s.
  const sentBps = (p: Publisher) => speaks(p) * audioBps + (p.camera ? cameraSendKbps * 1000 : 0) + (p.screen ? screenSendKbps * 1000 : 0);
  const sentPps = (p: Publisher) =>
    speaks(p) * audioPps +
    (p.camera ? CAMERA_LAYERS_KBPS.reduce((a, k) => a + videoPacketsPerSecond(k), 0) : 0) +
    (p.screen ? SCREEN_LAYERS_KBPS.reduce((a, k) => a + videoPacketsPerSecond(k), 0) : 0);
  let ingressBps = 0;
  let packetsIn = 0;
  let egressBps = 0;
  let packetsOut = 0;
  let turnBps = 0;
  for (const s of publishers) {
    const sent = sentBps(s);
    ingressBps += sent;
    packetsIn += sentPps(s);
    // Others' cameras and screen shares this subscriber sees.
    const otherCameras = cameras - (s.camera ? 1 : 0);
    const otherScreens = screens - (s.screen ? 1 : 0);
    const tiles = Math.min(otherCameras, C.maxVisibleTiles.value);
    const cameraKbps = CAMERA_LAYERS_KBPS[layer ?? cameraLayerFor(tiles, screens > 0)]!;
    const otherMicrophones = microphones - speaks(s);
    const receivedBps = otherMicrophones * audioBps + tiles * cameraKbps * 1000 + otherScreens * screenTopKbps * 1000;
    egressBps += receivedBps;
    packetsOut += otherMicrophones * audioPps + tiles * videoPacketsPerSecond(cameraKbps) + otherScreens * videoPacketsPerSecond(screenTopKbps);
    if (s.relayed) turnBps += sent + receivedBps;
  }
  return {
    ingressBps,
    egressBps,
    packetsInPerSecond: packetsIn,
    packetsOutPerSecond: packetsOut,
    turnBps,
    cores: cpuSecondsPerPacket * (packetsIn + packetsOut) + (cpuSecondsPerByte * (ingressBps + egressBps)) / 8,
  };
}

/** Calls packed on SFU nodes. */
export interface Packing {
  /** Nodes used. */
  nodes: number;
  /** Cores used on each node. */
  nodeCores: number[];
  /** Node of each call (index into the input). */
  nodeOf: number[];
  /** Calls larger than one node, each alone on its own (flagged: that node runs beyond its target). */
  oversized: number[];
}

/**
 * Pack calls (each its cores) on nodes of `nodeCapacity` cores, one call
 * never split across nodes: first-fit decreasing (Johnson 1973: at most
 * 11/9 OPT + 6/9 bins). A call larger than a node gets a node of its own
 * and is listed in `oversized`.
 */
export function packCallsOnNodes(callCores: readonly number[], nodeCapacity: number): Packing {
  if (!(nodeCapacity > 0)) throw new RangeError(`node capacity must be > 0 cores, got ${nodeCapacity}`);
  const order = callCores.map((_, i) => i).sort((a, b) => callCores[b]! - callCores[a]! || a - b);
  const nodeCores: number[] = [];
  const nodeOf = new Array<number>(callCores.length).fill(-1);
  const oversized: number[] = [];
  for (const i of order) {
    const x = callCores[i]!;
    if (x > nodeCapacity) {
      oversized.push(i);
      nodeOf[i] = nodeCores.length;
      nodeCores.push(x);
      continue;
    }
    let k = 0;
    while (k < nodeCores.length && (nodeCores[k]! > nodeCapacity || nodeCores[k]! + x > nodeCapacity)) k++;
    if (k === nodeCores.length) nodeCores.push(0);
    nodeCores[k]! += x;
    nodeOf[i] = k;
  }
  return { nodes: nodeCores.length, nodeCores, nodeOf, oversized: oversized.sort((a, b) => a - b) };
}

/** SFU nodes of `nodeVcpu` vCPU at `targetUtilization` for calls of `callCores` cores each (at least one node when there is a call). */
export function sfuNodesFor(callCores: readonly number[], nodeVcpu: number, targetUtilization: number): Packing {
  return packCallsOnNodes(callCores, nodeVcpu * targetUtilization);
}
