// A fixed-bucket histogram for small latencies (timer lateness, event-loop lag, check times):
// constant memory, no allocation per sample, Prometheus-style cumulative buckets on export.

export const DEFAULT_LATENCY_BUCKETS_MS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000] as const;

export class LatencyHistogram {
  readonly bucketsMs: readonly number[];
  readonly #counts: Float64Array;
  #count = 0;
  #sum = 0;
  #max = 0;

  constructor(bucketsMs: readonly number[] = DEFAULT_LATENCY_BUCKETS_MS) {
    this.bucketsMs = bucketsMs;
    this.#counts = new Float64Array(bucketsMs.length + 1);
  }

  observe(valueMs: number): void {
    let i = 0;
    while (i < this.bucketsMs.length && valueMs > this.bucketsMs[i]!) i++;
    this.#counts[i]!++;
    this.#count++;
    this.#sum += valueMs;
    if (valueMs > this.#max) this.#max = valueMs;
  }

  get count(): number { return this.#count; }
  get sumMs(): number { return this.#sum; }
  get maxMs(): number { return this.#max; }

  /** Upper bound of the bucket holding quantile q (0..1): an over-estimate, never an under-estimate. */
  quantileUpperBoundMs(q: number): number {
    if (this.#count === 0) return 0;
    const target = Math.ceil(q * this.#count);
    let seen = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      seen += this.#counts[i]!;
      if (seen >= target) return i < this.bucketsMs.length ? this.bucketsMs[i]! : this.#max;
    }
    return this.#max;
  }

  /** Cumulative counts per upper bound (`le`), the last being +Inf. */
  cumulative(): { le: number; count: number }[] {
    let running = 0;
    const out: { le: number; count: number }[] = [];
    for (let i = 0; i < this.#counts.length; i++) {
      running += this.#counts[i]!;
      out.push({ le: i < this.bucketsMs.length ? this.bucketsMs[i]! : Number.POSITIVE_INFINITY, count: running });
    }
    return out;
  }
}
