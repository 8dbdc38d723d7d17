// Named one-shot timers of one VRRP instance on the monotonic clock: the reducer says "arm
// masterDown at t" or "cancel advert", and this keeps one entry per name in the process's shared
// TimerQueue (one Node timer for every instance). It measures how late each timer fires (the cause
// of keepalived's most reported false failovers) and counts firings later than a threshold; the
// shared queue logs a late wake-up once for all the timers it ran.
import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from '../common/latency-histogram.js';
import { TimerQueue, type DeadlineWaiter, type QueuedTimer } from './timer-queue.js';

/** Milliseconds on a monotonic clock (never jumps with wall-clock changes). */
export function monotonicNowMs(): number {
  return performance.now();
}

export interface TimerSetOptions<Name extends string> {
  /** nowMs is the start of the wake-up that ran the timer: the same for every timer it ran. */
  readonly onFire: (name: Name, dueMs: number, nowMs: number) => void;
  /** Firings later than this are counted in lateCount (default 20 ms). */
  readonly lateThresholdMs?: number;
  /** The process's shared queue (default: a queue of this set's own). */
  readonly queue?: TimerQueue;
  /** Timers that must not run even a millisecond late (TimerQueue's `precise`). */
  readonly precise?: ReadonlySet<Name>;
  /** Waits out a precise timer's last stretch itself (TimerQueue's DeadlineWaiter), per timer. */
  readonly waitOut?: (name: Name, dueMs: number) => boolean;
}

export class TimerSet<Name extends string> {
  readonly lateness = new LatencyHistogram();
  readonly #timers = new Map<Name, QueuedTimer>();
  /** One queue callback per name, made once: arming is per advert, a closure each time was garbage. */
  readonly #runners = new Map<Name, (nowMs: number, dueMs: number) => void>();
  readonly #waiters = new Map<Name, DeadlineWaiter>();
  readonly #options: TimerSetOptions<Name>;
  readonly #queue: TimerQueue;
  lateCount = 0;

  constructor(options: TimerSetOptions<Name>) {
    this.#options = options;
    this.#queue = options.queue ?? new TimerQueue();
  }

  /** (Re)arms `name` to fire at monotonic time dueMs; an earlier arming of the same name is replaced. */
  arm(name: Name, dueMs: number): void {
    this.cancel(name);
    let runner = this.#runners.get(name);
    if (runner === undefined) {
      runner = (nowMs, due) => this.#fire(name, due, nowMs);
      this.#runners.set(name, runner);
    }
    const precise = this.#options.precise?.has(name) ?? false;
    this.#timers.set(name, this.#queue.schedule(dueMs, runner, precise, precise ? this.#waiter(name) : undefined));
  }

  cancel(name: Name): void {
    const timer = this.#timers.get(name);
    if (!timer) return;
    this.#queue.cancel(timer);
    this.#timers.delete(name);
  }

  cancelAll(): void {
    for (const name of [...this.#timers.keys()]) this.cancel(name);
  }

  dueAt(name: Name): number | undefined {
    return this.#timers.get(name)?.dueMs;
  }

  #waiter(name: Name): DeadlineWaiter | undefined {
    const waitOut = this.#options.waitOut;
    if (waitOut === undefined) return undefined;
    let waiter = this.#waiters.get(name);
    if (waiter === undefined) {
      waiter = (dueMs) => waitOut(name, dueMs);
      this.#waiters.set(name, waiter);
    }
    return waiter;
  }

  #fire(name: Name, dueMs: number, nowMs: number): void {
    this.#timers.delete(name);
    const latenessMs = nowMs - dueMs;
    this.lateness.observe(latenessMs);
    if (latenessMs > (this.#options.lateThresholdMs ?? 20)) this.lateCount++;
    this.#options.onFire(name, dueMs, nowMs);
  }
}
