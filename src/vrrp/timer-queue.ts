// One deadline queue for every VRRP timer of a process, behind a single Node timer armed for the
// earliest deadline. Why: at 50 instances, one Node timer each woke the process ~50 times a
// second and each wake-up of an otherwise idle process cost ~0.2 ms of CPU on a loaded 2-core host
// (measured: 50 adverts/s from 50 timers 0.97 % CPU, from one timer 0.16 %). Every entry due at a
// wake-up runs in that wake-up and sees the same `now` (the batch's start), so instances whose
// timers were armed in one batch keep identical deadlines and their adverts keep leaving together.
// The lateness of each wake-up is recorded: it is the process's event-loop lag as far as VRRP is
// concerned, measured without a periodic sampler (which itself woke the process 20 times a second).
// Node's timers count whole milliseconds on a loop clock cached at the start of each loop turn, so
// a wake-up lands up to ~1 ms either side of a sub-millisecond deadline. Entries scheduled as
// `precise` (a backup's master-down timer: at advert_int 0.01 its whole Skew_Time is ~6 ms) wake
// the process about a millisecond early and sleep out the rest of the deadline on the spot
// (a PreciseSleeper: by default Atomics.wait, a futex sleep with a sub-millisecond timeout; the
// daemon passes the addon's nanosleep with minimal timer slack, which ends within ~0.05 ms), so that
// they run within microseconds of it; they fire rarely (only when a master is lost), unlike the
// advert timers, which keep the cheap whole-millisecond wake-ups. Sleeping, not spinning: on a busy
// host a process that spins through its time slice is preempted (measured: 3 ms lost after a 2 ms
// spin at load 3 on 2 cores); only the sleep's overshoot is watched on the clock.
// A precise entry may bring its own DeadlineWaiter for that last stretch: a backup's master-down
// timer hands it to the addon, which waits in C and sends the take-over advert at the deadline.
import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from '../common/latency-histogram.js';

/** A scheduled callback; pass it to cancel(). */
export interface QueuedTimer {
  readonly dueMs: number;
}

/** Blocks the thread for about `ms`, ending up to `overshootMs` late (that last stretch is watched on the clock). */
export interface PreciseSleeper {
  readonly sleep: (ms: number) => void;
  readonly overshootMs: number;
}

/** What Atomics.wait sleeps on: nothing ever notifies it, the timeout ends the sleep. */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** Atomics.wait: ends 0.15-0.4 ms late (measured). */
const ATOMICS_SLEEPER: PreciseSleeper = { sleep: (ms) => Atomics.wait(SLEEPER, 0, 0, ms), overshootMs: 0.3 };

/**
 * Watches the clock until `dueMs`. A function of its own: a loop that runs long enough gets compiled
 * on the spot by V8 (OSR), and the wake-up around it should not run on that code (seen with the
 * loop inline: up to 0.3 ms between the deadline and the timer's callback).
 */
function watchClockUntil(now: () => number, dueMs: number): number {
  let at = now();
  while (at < dueMs) at = now();
  return at;
}

/** A precise entry's Node timer wakes this long before its deadline (see the header). */
const PRECISE_LEAD_MS = 1;
/** The longest wait done on the spot before a precise entry (a wake-up earlier than this re-arms). */
const PRECISE_WAIT_LIMIT_MS = PRECISE_LEAD_MS + 2.5;
/**
 * A long Node timer can wake a few milliseconds late (measured: 203 ms for 200 on a loaded host),
 * so a precise entry further away first wakes this share of the distance early, then once more
 * close by (a short timer is accurate).
 */
const PRECISE_APPROACH_SHARE = 0.03;

/**
 * Takes over the last stretch before a precise entry's deadline `dueMs` (the queue's clock, under
 * PRECISE_WAIT_LIMIT_MS away): returns true when it has blocked until the deadline itself (acting
 * there, e.g. the addon sending the take-over advert), false to leave the wait to the sleeper.
 */
export type DeadlineWaiter = (dueMs: number) => boolean;

interface Entry extends QueuedTimer {
  readonly sequence: number;
  readonly precise: boolean;
  readonly waitOut: DeadlineWaiter | undefined;
  readonly run: (nowMs: number, dueMs: number) => void;
  cancelled: boolean;
}

export interface TimerQueueOptions {
  /** Monotonic milliseconds (default performance.now()). */
  readonly now?: () => number;
  /**
   * Called once for a wake-up that ran later than lateThresholdMs (default 20), with how many
   * timers it ran: one log line for a stalled loop, not one per instance (50 lines of JSON at each
   * late wake-up was itself the largest CPU cost of an idle daemon on a loaded host).
   */
  readonly onLateWake?: (latenessMs: number, timers: number) => void;
  readonly lateThresholdMs?: number;
  /** How precise entries sleep out their last milliseconds (default Atomics.wait). */
  readonly preciseSleeper?: PreciseSleeper;
}

export class TimerQueue {
  /** How late each wake-up ran relative to the earliest deadline it served. */
  readonly wakeLateness = new LatencyHistogram();
  wakeUps = 0;
  readonly #now: () => number;
  readonly #options: TimerQueueOptions;
  readonly #heap: Entry[] = [];
  #sequence = 0;
  #handle: NodeJS.Timeout | undefined;
  #armedForMs = Number.POSITIVE_INFINITY;

  constructor(options: TimerQueueOptions = {}) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  now(): number {
    return this.#now();
  }

  /**
   * Runs `run(nowMs, dueMs)` at monotonic time dueMs or as soon after as the loop allows;
   * `precise`: not a millisecond after it either (the process waits out the last millisecond,
   * through `waitOut` when given and willing).
   */
  schedule(dueMs: number, run: (nowMs: number, dueMs: number) => void, precise = false, waitOut?: DeadlineWaiter): QueuedTimer {
    const entry: Entry = { dueMs, sequence: this.#sequence++, precise, waitOut, run, cancelled: false };
    this.#push(entry);
    if (dueMs < this.#armedForMs) this.#arm(entry);
    return entry;
  }

  /** The entry stays in the heap until it comes up (cheaper than a removal); it never runs. */
  cancel(timer: QueuedTimer): void {
    (timer as Entry).cancelled = true;
  }

  /** Stops the Node timer and forgets every entry. */
  clear(): void {
    if (this.#handle) clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#armedForMs = Number.POSITIVE_INFINITY;
    this.#heap.length = 0;
  }

  #arm(entry: Entry): void {
    if (this.#handle) clearTimeout(this.#handle);
    this.#armedForMs = entry.dueMs;
    // Node rounds to whole milliseconds on a cached loop clock: ceil so that the wake-up is not
    // early, or for a precise entry floor a millisecond ahead so that it is (the rest is waited out).
    const remainingMs = entry.dueMs - this.#now();
    const delayMs = entry.precise ? Math.floor(remainingMs * (1 - PRECISE_APPROACH_SHARE) - PRECISE_LEAD_MS) : Math.ceil(remainingMs);
    this.#handle = setTimeout(() => this.#wake(), Math.max(0, delayMs));
  }

  #wake(): void {
    this.#handle = undefined;
    this.#armedForMs = Number.POSITIVE_INFINITY;
    let now = this.#now();
    this.#dropCancelledTop();
    const first = this.#heap[0];
    if (first?.precise && first.dueMs > now && first.dueMs - now <= PRECISE_WAIT_LIMIT_MS) {
      if (first.waitOut?.(first.dueMs) !== true) {
        const sleeper = this.#options.preciseSleeper ?? ATOMICS_SLEEPER;
        // The sleep ends up to overshootMs late: it stops that much early, the clock does the rest.
        const sleepMs = first.dueMs - now - sleeper.overshootMs;
        if (sleepMs > 0) sleeper.sleep(sleepMs);
      }
      now = watchClockUntil(this.#now, first.dueMs);
    }
    if (first !== undefined && first.dueMs <= now) {
      this.wakeUps++;
      const latenessMs = now - first.dueMs;
      this.wakeLateness.observe(latenessMs);
      // Collect before running: an entry armed by a callback for a deadline already passed waits
      // for the next wake-up instead of looping here.
      const due: Entry[] = [];
      while (this.#heap[0] !== undefined && this.#heap[0].dueMs <= now) {
        const entry = this.#pop();
        if (!entry.cancelled) due.push(entry);
      }
      if (latenessMs > (this.#options.lateThresholdMs ?? 20)) this.#options.onLateWake?.(latenessMs, due.length);
      for (const entry of due) {
        if (entry.cancelled) continue; // cancelled by an earlier callback of this batch
        entry.cancelled = true;
        entry.run(now, entry.dueMs);
      }
    }
    this.#dropCancelledTop();
    const next = this.#heap[0];
    if (next !== undefined && next.dueMs < this.#armedForMs) this.#arm(next);
  }

  #dropCancelledTop(): void {
    while (this.#heap[0]?.cancelled) this.#pop();
  }

  // ---- binary min-heap on (dueMs, sequence) ----------------------------------------------------

  static #before(a: Entry, b: Entry): boolean {
    return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.sequence < b.sequence);
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!TimerQueue.#before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): Entry {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && TimerQueue.#before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && TimerQueue.#before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}
