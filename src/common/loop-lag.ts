// Event-loop lag as the process sees it (perf_hooks' histogram, sampled every resolutionMs):
// exported as a metric and logged when it exceeds a threshold.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface LoopLagSnapshot {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export class LoopLagMonitor {
  readonly #histogram: IntervalHistogram;

  constructor(resolutionMs = 10) {
    this.#histogram = monitorEventLoopDelay({ resolution: resolutionMs });
    this.#histogram.enable();
  }

  snapshot(): LoopLagSnapshot {
    const h = this.#histogram;
    return { p50Ms: h.percentile(50) / 1e6, p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6 };
  }

  reset(): void {
    this.#histogram.reset();
  }

  stop(): void {
    this.#histogram.disable();
  }
}
