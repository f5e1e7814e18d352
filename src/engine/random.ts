/**
 * Seeded random streams. One generator per named concern, derived from the run
 * seed as `${seed}/${name}`, so adding a stream never changes another stream's
 * draws (STYLE.md convention 2).
 */
import seedrandom from 'seedrandom';

/** A source of uniform numbers in [0, 1). Passed in, never taken from a global. */
export type RandomSource = () => number;

/**
 * A seeded generator for one named stream.
 * xor4096 (Brent's xorgens, period 2^4096-1) is seedrandom's recommended
 * long-period generator; `.double()` gives 53 bits of resolution rather than 32,
 * which keeps -log(u) tails and tiny probabilities honest.
 *
 * @example createStream('1', 'arrivals')() // the same number on every run
 */
export function createStream(seed: string | number, name: string): RandomSource {
  const prng = seedrandom.xor4096(`${seed}/${name}`);
  // eslint-disable-next-line @typescript-eslint/unbound-method -- xor4096's double reads its closure, not `this`; a wrapper would cost a call per draw
  return prng.double;
}

/** All the named streams of one simulation run, created on first use. */
export class RandomStreams {
  private readonly streams = new Map<string, RandomSource>();

  constructor(readonly seed: string | number) {}

  /** The stream for `name`; the same function on every call with that name. */
  stream(name: string): RandomSource {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = createStream(this.seed, name);
      this.streams.set(name, s);
    }
    return s;
  }
}
