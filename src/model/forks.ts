/**
 * When concurrent sending forks a room's event graph, in closed form.
 *
 * Every server sets an event's prev_events to its room's forward extremities
 * (spec, Server-Server API, "PDUs"). An event of another server that the
 * sender has not received yet is not among them, and once both events are
 * everywhere the room has two forward extremities: a fork. The next event
 * merges them; if the two branches hold different state, the homeserver must
 * run state resolution (synapse/storage/controllers/persist_events.py:1236-1270,
 * synapse/state/v2.py). Seen from our server, a fork shows when an inbound
 * event arrives that its sender created without one of the events we hold.
 *
 * Windows. With `d_in` the time an event of server j takes to reach us and
 * `d_out` the time one of ours takes to reach j (one-way latency plus the
 * receiver's processing), an inbound event created by j at t and arriving at
 * t + d_in misses
 * - a local event created in (t - d_out, t + d_in), a window of d_in + d_out
 *   before the arrival (later local events already point at it);
 * - an event of a third server k that reached us before it and reached j only
 *   after t: with k as far from j as we are, one that reached us in the d_out
 *   before the arrival.
 *
 * Events in a window are a Poisson process of rate λ (the room's rate from
 * those servers), so the chance that at least one falls in a window of w is
 * `1 - exp(-λ w)`: the fork probability. The model tests forks on the events
 * it simulated (mechanisms/state-resolution.ts); this closed form is what
 * that yields on average, and what the model draws from for events it cannot
 * see, those still in flight to us.
 */

/**
 * Chance that at least one event of a Poisson process of `ratePerSecond`
 * falls in a window of `windowSeconds`: 1 - exp(-λ w).
 * @example forkProbability(1, 0.2) // 0.18127 (1 - e^-0.2)
 */
export function forkProbability(ratePerSecond: number, windowSeconds: number): number {
  return -Math.expm1(-ratePerSecond * windowSeconds);
}

/** The windows of the file header, s, for an inbound event of a server. */
export interface ForkWindows {
  /** Local events created this long before the arrival were not seen by the sender. */
  local: number;
  /** Events of third servers that reached us this long before the arrival were not seen by the sender. */
  thirdParty: number;
}

/**
 * The fork windows of an inbound event from a server `latencySeconds` away
 * (one way), whose events we accept in `ourProcessingSeconds` and which
 * accepts ours in `theirProcessingSeconds`.
 * @example forkWindows(0.05, 0.15, 0.1) // { local: 0.35, thirdParty: 0.2 }
 */
export function forkWindows(latencySeconds: number, theirProcessingSeconds: number, ourProcessingSeconds: number): ForkWindows {
  const dIn = latencySeconds + ourProcessingSeconds;
  const dOut = latencySeconds + theirProcessingSeconds;
  return { local: dIn + dOut, thirdParty: dOut };
}

/**
 * The window in which an event of a third server k, created before the
 * sender j's event, has reached j but not us yet: the inbound event's
 * prev_events then name an event we lack, and Synapse asks j for it with
 * /get_missing_events (synapse/handlers/federation_event.py:300-345).
 *
 * The three hops (k to us, k to j, j to us) each take a one-way latency L
 * plus the receiver's processing, taken as exponential with mean P (the
 * scenario's remoteProcessingMs is lognormal with cv 1 by default, the cv of
 * an exponential); k is as far from j as from us. The window is
 * E[(d_k - d_kj - d_j)+] = E[(E_k - L - E_kj - E_j)+]. For y >= 0,
 * E[(E_k - y)+] = P e^(-y/P) (memorylessness), and E[e^(-E/P)] = 1/2 for an
 * exponential of mean P, so the window is P e^(-L/P) / 4.
 * @example gapWindowSeconds(0.1, 0.2) // 0.030327 (0.2 e^-0.5 / 4)
 */
export function gapWindowSeconds(latencySeconds: number, processingSeconds: number): number {
  if (processingSeconds <= 0) return 0;
  return (processingSeconds * Math.exp(-latencySeconds / processingSeconds)) / 4;
}
