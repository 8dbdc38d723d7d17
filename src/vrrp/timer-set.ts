// Named one-shot timers on the monotonic clock for the VRRP shell: the reducer says "arm
// masterDown at t" or "cancel advert", and this turns that into Node timers. It measures how late
// each timer fires (the cause of keepalived's most reported false failovers) and reports
// lateness above a threshold, so an operator can see when the event loop was held up.
import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from '../common/latency-histogram.js';

/** Milliseconds on a monotonic clock (never jumps with wall-clock changes). */
export function monotonicNowMs(): number {
  return performance.now();
}

export interface TimerSetOptions<Name extends string> {
  readonly onFire: (name: Name, dueMs: number, nowMs: number) => void;
  /** Called when a timer fires later than lateThresholdMs. */
  readonly onLate?: (name: Name, latenessMs: number) => void;
  readonly lateThresholdMs?: number;
  readonly now?: () => number;
}

export class TimerSet<Name extends string> {
  readonly lateness = new LatencyHistogram();
  readonly #timers = new Map<Name, { handle: NodeJS.Timeout; dueMs: number }>();
  readonly #options: TimerSetOptions<Name>;
  readonly #now: () => number;
  lateCount = 0;

  constructor(options: TimerSetOptions<Name>) {
    this.#options = options;
    this.#now = options.now ?? monotonicNowMs;
  }

  /** (Re)arms `name` to fire at monotonic time dueMs; an earlier arming of the same name is replaced. */
  arm(name: Name, dueMs: number): void {
    this.cancel(name);
    const delay = Math.max(0, dueMs - this.#now());
    const handle = setTimeout(() => this.#fire(name, dueMs), delay);
    this.#timers.set(name, { handle, dueMs });
  }

  cancel(name: Name): void {
    const timer = this.#timers.get(name);
    if (!timer) return;
    clearTimeout(timer.handle);
    this.#timers.delete(name);
  }

  cancelAll(): void {
    for (const name of [...this.#timers.keys()]) this.cancel(name);
  }

  dueAt(name: Name): number | undefined {
    return this.#timers.get(name)?.dueMs;
  }

  #fire(name: Name, dueMs: number): void {
    this.#timers.delete(name);
    const now = this.#now();
    // setTimeout has 1 ms granularity and may fire up to ~1 ms early relative to performance.now().
    const latenessMs = Math.max(0, now - dueMs);
    this.lateness.observe(latenessMs);
    if (latenessMs > (this.#options.lateThresholdMs ?? 20)) {
      this.lateCount++;
      this.#options.onLate?.(name, latenessMs);
    }
    this.#options.onFire(name, dueMs, now);
  }
}
