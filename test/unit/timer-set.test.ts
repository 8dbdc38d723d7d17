import { describe, expect, it } from 'vitest';
import { TimerSet, monotonicNowMs } from '../../src/vrrp/timer-set.js';
import { LatencyHistogram } from '../../src/common/latency-histogram.js';

describe('named monotonic timers', () => {
  it('fires each name once, the latest arming wins, cancel prevents firing', async () => {
    const fired: string[] = [];
    const timers = new TimerSet<'advert' | 'masterDown'>({ onFire: (name) => fired.push(name) });
    const now = monotonicNowMs();
    timers.arm('advert', now + 50);
    timers.arm('advert', now + 10); // re-arm replaces
    timers.arm('masterDown', now + 20);
    timers.cancel('masterDown');
    await new Promise((r) => setTimeout(r, 80));
    expect(fired).toEqual(['advert']);
    expect(timers.lateness.count).toBe(1);
  });

  it('counts lateness when the loop was blocked past the due time', async () => {
    const timers = new TimerSet<'advert'>({ onFire: () => {}, lateThresholdMs: 20 });
    timers.arm('advert', monotonicNowMs() + 5);
    const until = monotonicNowMs() + 60;
    while (monotonicNowMs() < until) { /* hold the loop */ }
    await new Promise((r) => setTimeout(r, 10));
    expect(timers.lateness.maxMs).toBeGreaterThan(40);
    expect(timers.lateCount).toBe(1);
  });
});

describe('latency histogram', () => {
  it('bounds quantiles from above and exports cumulative buckets', () => {
    const h = new LatencyHistogram([1, 10, 100]);
    for (const v of [0.5, 0.7, 5, 50, 500]) h.observe(v);
    expect(h.quantileUpperBoundMs(0.4)).toBe(1);
    expect(h.quantileUpperBoundMs(0.6)).toBe(10);
    expect(h.quantileUpperBoundMs(1)).toBe(500);
    expect(h.cumulative().map((b) => b.count)).toEqual([2, 3, 4, 5]);
    expect(h.maxMs).toBe(500);
  });
});
