/**
 * Closed forms from queueing theory, used to check the engine (`mxsim queue`)
 * and, later, to sanity-check the server model. All times in seconds, rates
 * per second.
 */

/** Steady-state means of a queue: waits in seconds, lengths in jobs. */
export interface QueueMeans {
  /** Mean wait in queue, s. */
  wq: number;
  /** Mean time in system (wait + service), s. */
  w: number;
  /** Mean number waiting. */
  lq: number;
  /** Mean number in system. */
  l: number;
  /** Mean fraction of servers busy, 0..1. */
  utilization: number;
}

/**
 * Erlang C: probability that an arriving job waits in an M/M/c queue with
 * offered load `a = lambda / mu` erlangs (a < c). Computed through the Erlang B
 * recursion B(k) = a B(k-1) / (k + a B(k-1)), which is stable for large c
 * (Kleinrock, Queueing Systems vol. 1, 1975, sec. 3.5;
 * C = c B / (c - a (1 - B))).
 * @example erlangC(1, 0.5) // 0.5, since P(wait) = rho for M/M/1
 */
export function erlangC(servers: number, offeredLoadErlangs: number): number {
  const c = servers;
  const a = offeredLoadErlangs;
  if (!(a >= 0 && a < c)) throw new RangeError(`Erlang C needs 0 <= load < servers (${c}), got ${a}`);
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return (c * b) / (c - a * (1 - b));
}

/**
 * M/M/c steady state: Poisson arrivals at `arrivalRate`, exponential service
 * at `serviceRate` per server, `servers` servers. Wq = C(c, a) / (c mu - lambda).
 * @example mmc(0.8, 1, 1).wq // 4 = rho / (mu - lambda)
 */
export function mmc(arrivalRate: number, serviceRate: number, servers: number): QueueMeans {
  const a = arrivalRate / serviceRate;
  const wq = erlangC(servers, a) / (servers * serviceRate - arrivalRate);
  return littleLaw(arrivalRate, wq, 1 / serviceRate, servers);
}

/**
 * M/G/1 steady state by the Pollaczek-Khinchine formula:
 * Wq = lambda E[S^2] / (2 (1 - rho)), E[S^2] = Var[S] + E[S]^2
 * (Kleinrock 1975, eq. 5.105).
 * @example mg1(0.5, 1, 0).wq // 0.5: M/D/1 at rho = 0.5 waits half the M/M/1 wait
 */
export function mg1(arrivalRate: number, serviceMean: number, serviceVariance: number): QueueMeans {
  const rho = arrivalRate * serviceMean;
  if (!(rho >= 0 && rho < 1)) throw new RangeError(`M/G/1 needs 0 <= load < 1, got ${rho}`);
  const secondMoment = serviceVariance + serviceMean * serviceMean;
  const wq = (arrivalRate * secondMoment) / (2 * (1 - rho));
  return littleLaw(arrivalRate, wq, serviceMean, 1);
}

/** Fill W, Lq and L from Wq by Little's law (L = lambda W). */
function littleLaw(arrivalRate: number, wq: number, serviceMean: number, servers: number): QueueMeans {
  const w = wq + serviceMean;
  return {
    wq,
    w,
    lq: arrivalRate * wq,
    l: arrivalRate * w,
    utilization: (arrivalRate * serviceMean) / servers,
  };
}
