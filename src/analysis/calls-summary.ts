/**
 * The calls' figures of the summary (`summary.json` `traffic.calls`,
 * docs/OUTPUT.md), from the calls mechanism's counters (mechanisms/calls.ts)
 * and the SFU's node packing (src/model/sfu.ts). Used by the summary and by
 * the bill of materials (src/analysis/bill.ts).
 */
import { M } from '../model/metrics.js';
import { sfuNodesFor } from '../model/sfu.js';
import type { ReplicationResult } from '../model/simulate.js';
import type { Scenario } from '../scenario/grammar.js';
import { quantileOf } from '../server/sizing.js';
import { stat, type Stat } from './stat.js';

/**
 * Calls on a LiveKit SFU. The P95s are over the run's bins of each
 * replication (a bin's mean), then averaged over replications; `sfuNodes`
 * packs the calls going on at the moment the SFU's cores peaked, one call a
 * node at most, on nodes of `sfuNodeVcpu` at the scenario's target
 * utilisation (src/model/sfu.ts).
 */
export interface CallsSummary {
  callsPerDay: Stat;
  concurrentCallsP95: Stat;
  participantsP95: Stat;
  sfuIngressMbpsP95: Stat;
  sfuEgressMbpsP95: Stat;
  /** Media the SFU sent to participants per simulated day, bytes: internet egress (a relayed participant's media leaves through TURN, the same bytes). */
  sfuEgressBytesPerDay: Stat;
  /** Media relayed through TURN over media into and out of the SFU. */
  turnShare: Stat;
  turnMbpsP95: Stat;
  sfuCoresP95: Stat;
  sfuCoresPeak: Stat;
  sfuNodes: Stat;
  sfuNodeVcpu: number;
  /** Calls at the peak larger than one node at the target (each on a node of its own, beyond the target). */
  oversizedCalls: Stat;
  memberEventsPerDay: Stat;
  heartbeatsPerDay: Stat;
  keyMessagesPerDay: Stat;
}

/** The calls' figures of the summary, or undefined when calls are off (summary.json then has no `traffic.calls`). */
export function summarizeCalls(s: Scenario, results: readonly ReplicationResult[]): CallsSummary | undefined {
  if (s.calls.callsPerUserPerDay <= 0) return undefined;
  const days = s.run.days;
  const bin = s.run.binMinutes * 60;
  const pick = (f: (r: ReplicationResult) => number) => stat(results.map(f));
  const perDay = (id: keyof typeof M) => pick((r) => r.counters.total(M[id]) / days);
  /** p95 over bins of a per-bin total divided by the bin width, times `factor`. */
  const p95 = (id: keyof typeof M, factor = 1) => pick((r) => quantileOf(r.counters.series(M[id]), 0.95) * (factor / bin));
  const toMbps = 8 / 1e6;
  const packings = results.map((r) => sfuNodesFor(r.calls?.peakCallCores ?? [], s.calls.sfuNodeVcpu, s.calls.sfuTargetUtilization));
  return {
    callsPerDay: perDay('calls.started'),
    concurrentCallsP95: p95('calls.call_seconds'),
    participantsP95: p95('calls.participant_seconds'),
    sfuIngressMbpsP95: p95('calls.sfu_bytes_in', toMbps),
    sfuEgressMbpsP95: p95('calls.sfu_bytes_out', toMbps),
    sfuEgressBytesPerDay: perDay('calls.sfu_bytes_out'),
    turnShare: pick((r) => {
      const media = r.counters.total(M['calls.sfu_bytes_in']) + r.counters.total(M['calls.sfu_bytes_out']);
      return media > 0 ? Math.min(1, r.counters.total(M['calls.turn_bytes']) / media) : 0;
    }),
    turnMbpsP95: p95('calls.turn_bytes', toMbps),
    sfuCoresP95: p95('calls.sfu_core_seconds'),
    sfuCoresPeak: pick((r) => r.calls?.peakCores ?? 0),
    sfuNodes: stat(packings.map((p) => p.nodes)),
    sfuNodeVcpu: s.calls.sfuNodeVcpu,
    oversizedCalls: stat(packings.map((p) => p.oversized.length)),
    memberEventsPerDay: perDay('calls.member_events'),
    heartbeatsPerDay: perDay('calls.heartbeats'),
    keyMessagesPerDay: perDay('calls.key_messages'),
  };
}
