/**
 * The future event list: a binary min-heap ordered by (time, sequence number).
 * The sequence number is the order of scheduling, so events at the same time
 * run in the order they were scheduled (STYLE.md convention 3).
 *
 * Records live in one Float64Array, four numbers each (time, sequence,
 * handler, argument), so a record moves as four adjacent numbers, one array
 * is checked and loaded instead of four, and scheduling and popping allocate
 * nothing once the array has grown to the simulation's peak size. Cancellation is lazy: a cancelled sequence number is
 * remembered and skipped when it reaches the top.
 *
 * The tie-break costs one comparison in the common case: a new record's
 * sequence number is larger than every other in the heap, so sifting it up
 * stops at the first parent with time <= its own without reading sequences;
 * sifting down reads sequences only when two times are equal.
 */
export class EventList {
  // Record k is heap[4k .. 4k+3] = (time, seq, handler, arg). Every index read
  // with `!` below is below 4 * count (the top, 0..3, only while count > 0),
  // and 4 * count is at most the array's length.
  private heap = new Float64Array(4 * 1024);
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
    if (4 * this.count === this.heap.length) this.grow();
    const seq = this.nextSeq++;
    // Sift up from the new leaf, moving parents down into the hole.
    // Every record in the heap has a smaller sequence number than `seq`, so a
    // parent at the same time comes first: the loop stops at pt <= time.
    const heap = this.heap;
    let i = 4 * this.count++;
    while (i > 0) {
      const parent = (((i >> 2) - 1) >> 1) << 2;
      const pt = heap[parent]!;
      if (pt <= time) break;
      heap[i] = pt;
      heap[i + 1] = heap[parent + 1]!;
      heap[i + 2] = heap[parent + 2]!;
      heap[i + 3] = heap[parent + 3]!;
      i = parent;
    }
    heap[i] = time;
    heap[i + 1] = seq;
    heap[i + 2] = handler;
    heap[i + 3] = arg;
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
    const heap = this.heap;
    for (;;) {
      if (this.count === 0) return false;
      const time = heap[0]!;
      if (time > limit) return false;
      this.popped[0] = time;
      this.popped[1] = heap[3]!;
      this.poppedHandler = heap[2]! | 0;
      if (this.cancelledCount === 0) {
        this.removeTop();
        return true;
      }
      const seq = heap[1]!;
      this.removeTop();
      if (!this.cancelled.delete(seq)) return true;
      this.cancelledCount--;
    }
  }

  /** Time of the earliest pending record, or Infinity when none. */
  peekTime(): number {
    while (this.count > 0 && this.cancelledCount > 0 && this.cancelled.has(this.heap[1]!)) {
      this.cancelled.delete(this.heap[1]!);
      this.cancelledCount--;
      this.removeTop();
    }
    return this.count === 0 ? Infinity : this.heap[0]!;
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
    const heap = this.heap;
    for (let i = 0; i < this.count; i++) if (heap[4 * i + 1] === seq) return true;
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
    const heap = this.heap;
    const end = 4 * last;
    const time = heap[end]!;
    const seq = heap[end + 1]!;
    const handler = heap[end + 2]!;
    const arg = heap[end + 3]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 4; // record index 2k + 1, times 4
      if (child >= end) break;
      let ct = heap[child]!;
      const right = child + 4;
      if (right < end) {
        const rt = heap[right]!;
        // Sequences are read only on a tie of times.
        if (rt < ct || (rt === ct && heap[right + 1]! < heap[child + 1]!)) {
          child = right;
          ct = rt;
        }
      }
      if (time < ct || (time === ct && seq < heap[child + 1]!)) break;
      heap[i] = ct;
      heap[i + 1] = heap[child + 1]!;
      heap[i + 2] = heap[child + 2]!;
      heap[i + 3] = heap[child + 3]!;
      i = child;
    }
    heap[i] = time;
    heap[i + 1] = seq;
    heap[i + 2] = handler;
    heap[i + 3] = arg;
  }

  private grow(): void {
    const bigger = new Float64Array(this.heap.length * 2);
    bigger.set(this.heap);
    this.heap = bigger;
  }
}
