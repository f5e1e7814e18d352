/**
 * The future event list: a binary min-heap ordered by (time, sequence number).
 * The sequence number is the order of scheduling, so events at the same time
 * run in the order they were scheduled (STYLE.md convention 3).
 *
 * Records live in parallel typed arrays (time, sequence, handler, argument), so
 * scheduling and popping allocate nothing once the arrays have grown to the
 * simulation's peak size. Cancellation is lazy: a cancelled sequence number is
 * remembered and skipped when it reaches the top.
 *
 * The tie-break costs one comparison in the common case: a new record's
 * sequence number is larger than every other in the heap, so sifting it up
 * stops at the first parent with time <= its own without reading sequences;
 * sifting down reads sequences only when two times are equal.
 */
export class EventList {
  // Every index read with `!` below is less than `count` (the top, 0, only
  // while count > 0), and `count` is at most the arrays' length.
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private handlers = new Int32Array(1024);
  private args = new Float64Array(1024);
  private count = 0;
  private nextSeq = 0;
  private readonly cancelled = new Set<number>();
  /** `cancelled.size`, kept as a plain field so the pop path reads no Set. */
  private cancelledCount = 0;

  /**
   * Time and argument of the record taken by the last successful `pop()`, in
   * a typed array: a number field written on every event would be a new heap
   * number on every write wherever the compiler cannot keep it unboxed.
   */
  readonly popped = new Float64Array(2);
  /** Handler of the record taken by the last successful `pop()`. */
  poppedHandler = 0;

  /** Time of the record taken by the last successful `pop()`. */
  get poppedTime(): number {
    return this.popped[0]!;
  }

  /** Argument of the record taken by the last successful `pop()`. */
  get poppedArg(): number {
    return this.popped[1]!;
  }

  /** Events scheduled and neither run nor cancelled. */
  get size(): number {
    return this.count - this.cancelled.size;
  }

  /**
   * Insert a record; O(log n). Returns its sequence number, which is also the
   * handle for `cancel`.
   */
  push(time: number, handler: number, arg: number): number {
    if (this.count === this.times.length) this.grow();
    const seq = this.nextSeq++;
    // Sift up from the new leaf, moving parents down into the hole.
    // Every record in the heap has a smaller sequence number than `seq`, so a
    // parent at the same time comes first: the loop stops at pt <= time.
    let i = this.count++;
    const times = this.times;
    const seqs = this.seqs;
    const handlers = this.handlers;
    const args = this.args;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt <= time) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      handlers[i] = handlers[parent]!;
      args[i] = args[parent]!;
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    handlers[i] = handler;
    args[i] = arg;
    return seq;
  }

  /**
   * Remove the earliest record, skipping cancelled ones, and expose it through
   * `poppedTime`, `poppedHandler` and `poppedArg`. Returns false when empty.
   */
  pop(): boolean {
    return this.popUntil(Infinity);
  }

  /**
   * Like `pop`, but only when the earliest record's time is <= `limit`: the
   * run loop's one call per event.
   */
  popUntil(limit: number): boolean {
    for (;;) {
      if (this.count === 0) return false;
      const time = this.times[0]!;
      if (time > limit) return false;
      this.popped[0] = time;
      this.popped[1] = this.args[0]!;
      this.poppedHandler = this.handlers[0]!;
      if (this.cancelledCount === 0) {
        this.removeTop();
        return true;
      }
      const seq = this.seqs[0]!;
      this.removeTop();
      if (!this.cancelled.delete(seq)) return true;
      this.cancelledCount--;
    }
  }

  /** Time of the earliest pending record, or Infinity when none. */
  peekTime(): number {
    while (this.count > 0 && this.cancelledCount > 0 && this.cancelled.has(this.seqs[0]!)) {
      this.cancelled.delete(this.seqs[0]!);
      this.cancelledCount--;
      this.removeTop();
    }
    return this.count === 0 ? Infinity : this.times[0]!;
  }

  /**
   * Cancel a scheduled record by its sequence number. Returns false when it is
   * not pending (already run, already cancelled, or never issued).
   * O(n): it checks the record is still in the heap. Code that invalidates
   * events often (a timer reset on every message) should carry a generation
   * number in the argument and ignore stale events instead.
   */
  cancel(seq: number): boolean {
    if (this.cancelled.has(seq) || !this.contains(seq)) return false;
    this.cancelled.add(seq);
    this.cancelledCount++;
    return true;
  }

  /** True when `seq` is still in the heap and not cancelled. */
  contains(seq: number): boolean {
    if (this.cancelled.has(seq)) return false;
    const seqs = this.seqs;
    for (let i = 0; i < this.count; i++) if (seqs[i] === seq) return true;
    return false;
  }

  clear(): void {
    this.count = 0;
    this.cancelled.clear();
    this.cancelledCount = 0;
  }

  private removeTop(): void {
    const last = --this.count;
    if (last === 0) return;
    const times = this.times;
    const seqs = this.seqs;
    const handlers = this.handlers;
    const args = this.args;
    const time = times[last]!;
    const seq = seqs[last]!;
    const handler = handlers[last]!;
    const arg = args[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      let ct = times[child]!;
      const right = child + 1;
      if (right < last) {
        const rt = times[right]!;
        // Sequences are read only on a tie of times.
        if (rt < ct || (rt === ct && seqs[right]! < seqs[child]!)) {
          child = right;
          ct = rt;
        }
      }
      if (time < ct || (time === ct && seq < seqs[child]!)) break;
      times[i] = ct;
      seqs[i] = seqs[child]!;
      handlers[i] = handlers[child]!;
      args[i] = args[child]!;
      i = child;
    }
    times[i] = time;
    seqs[i] = seq;
    handlers[i] = handler;
    args[i] = arg;
  }

  private grow(): void {
    const n = this.times.length * 2;
    const grow64 = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.times = grow64(this.times);
    this.seqs = grow64(this.seqs);
    this.args = grow64(this.args);
    const h = new Int32Array(n);
    h.set(this.handlers);
    this.handlers = h;
  }
}
