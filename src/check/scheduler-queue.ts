// The checker scheduler's single deadline queue: a binary min-heap of entries ordered by due time,
// first in first out among equal times. Intrusive (each entry keeps its heap position), so
// queueing, re-queueing and removing a checker allocate nothing; one timer for the earliest
// entry replaces a timer per checker. Pure: no clock, no timers.

export interface QueueEntry {
  /** When the entry is due (ms on the caller's clock). Set by push(). */
  dueMs: number;
  /** Position in the heap, -1 while not queued. Owned by the queue. */
  heapIndex: number;
  /** Push order, for FIFO among equal due times. Owned by the queue. */
  sequence: number;
}

export class DeadlineQueue<T extends QueueEntry> {
  readonly #heap: T[] = [];
  #pushes = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** The entry due first, or undefined when empty. */
  peek(): T | undefined {
    return this.#heap[0];
  }

  /** Queues `entry` due at `dueMs` (moving it if already queued). */
  push(entry: T, dueMs: number): void {
    if (entry.heapIndex >= 0) this.remove(entry);
    entry.dueMs = dueMs;
    entry.sequence = this.#pushes++;
    entry.heapIndex = this.#heap.length;
    this.#heap.push(entry);
    this.#up(entry.heapIndex);
  }

  /** Takes out the entry due first. */
  pop(): T | undefined {
    const first = this.#heap[0];
    if (first !== undefined) this.remove(first);
    return first;
  }

  /** Takes `entry` out if it is queued. */
  remove(entry: T): void {
    const index = entry.heapIndex;
    if (index < 0 || this.#heap[index] !== entry) return;
    entry.heapIndex = -1;
    const last = this.#heap.pop()!;
    if (last === entry) return;
    this.#heap[index] = last;
    last.heapIndex = index;
    this.#down(index);
    this.#up(last.heapIndex);
  }

  #before(a: T, b: T): boolean {
    return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.sequence < b.sequence);
  }

  #up(index: number): void {
    const heap = this.#heap;
    const entry = heap[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (!this.#before(entry, parent)) break;
      heap[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    heap[index] = entry;
    entry.heapIndex = index;
  }

  #down(index: number): void {
    const heap = this.#heap;
    const entry = heap[index]!;
    const half = heap.length >> 1;
    while (index < half) {
      let childIndex = 2 * index + 1;
      let child = heap[childIndex]!;
      const right = heap[childIndex + 1];
      if (right !== undefined && this.#before(right, child)) {
        childIndex++;
        child = right;
      }
      if (!this.#before(child, entry)) break;
      heap[index] = child;
      child.heapIndex = index;
      index = childIndex;
    }
    heap[index] = entry;
    entry.heapIndex = index;
  }
}
