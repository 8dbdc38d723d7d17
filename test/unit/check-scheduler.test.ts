// The scheduler shell on a virtual clock, with scripted checkers standing in for the network.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckScheduler, type HealthChange } from '../../src/check/scheduler.js';
import type { CheckResult, CheckTiming, CheckerSpec, RealServerTarget } from '../../src/check/types.js';

const tcp: CheckerSpec = { kind: 'TCP_CHECK', connectTimeoutMs: 1000 };
const timing: CheckTiming = { delayLoopMs: 1000, retry: 2, delayBeforeRetryMs: 300, warmupMs: 0, alpha: false };
const target = (id: string): RealServerTarget => ({ id, address: '192.0.2.1', port: 80, weight: 5 });

function scripted(results: Record<string, (n: number) => { ok: boolean; takesMs?: number }>) {
  const starts: Record<string, number[]> = {};
  const run = (_spec: CheckerSpec, t: RealServerTarget, signal: AbortSignal): Promise<CheckResult> => {
    const list = (starts[t.id] ??= []);
    list.push(performance.now());
    const outcome = results[t.id]!(list.length);
    const takesMs = outcome.takesMs;
    if (!takesMs) return Promise.resolve({ ok: outcome.ok, reason: outcome.ok ? 'ok' : 'refused', latencyMs: 0 });
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ ok: outcome.ok, reason: outcome.ok ? 'ok' : 'refused', latencyMs: takesMs }), takesMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve({ ok: false, reason: 'aborted', latencyMs: 0 });
      });
    });
  };
  return { run, starts };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CheckScheduler', () => {
  it('takes a server seen up down after retry + 1 failures, delay_before_retry apart, then checks every delay_loop', async () => {
    const changes: HealthChange[] = [];
    const { run, starts } = scripted({ a: (n) => ({ ok: n === 1 }) });
    const scheduler = new CheckScheduler({ onChange: (c) => changes.push(c), runCheck: run });
    scheduler.add({ target: target('a'), checks: [{ spec: tcp, timing }] });
    await vi.advanceTimersByTimeAsync(2700);
    const t0 = starts['a']![0]!;
    expect(starts['a']!.map((t) => Math.round(t - t0))).toEqual([0, 1000, 1300, 1600, 2600]);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ state: 'down', reason: 'refused' });
    expect(scheduler.health('a')?.up).toBe(false);
    expect(scheduler.history('a').length).toBe(5);
    scheduler.stop();
  });

  it('alpha starts down and comes up on the first success', async () => {
    const changes: HealthChange[] = [];
    const { run } = scripted({ a: (n) => ({ ok: n >= 2 }) });
    const scheduler = new CheckScheduler({ onChange: (c) => changes.push(c), runCheck: run });
    scheduler.add({ target: target('a'), checks: [{ spec: tcp, timing: { ...timing, alpha: true } }] });
    expect(scheduler.health('a')?.up).toBe(false);
    await vi.advanceTimersByTimeAsync(1500);
    expect(changes).toEqual([{ target: target('a'), state: 'up', weight: 5, reason: 'ok' }]);
    scheduler.stop();
  });

  it('a slow check does not delay the checks of other servers', async () => {
    const { run, starts } = scripted({ slow: () => ({ ok: true, takesMs: 10_000 }), fast: () => ({ ok: true }) });
    const scheduler = new CheckScheduler({ onChange: () => undefined, runCheck: run });
    scheduler.add({ target: target('slow'), checks: [{ spec: tcp, timing }] });
    scheduler.add({ target: target('fast'), checks: [{ spec: tcp, timing }] });
    await vi.advanceTimersByTimeAsync(5500);
    expect(starts['slow']).toHaveLength(1);
    expect(starts['fast']).toHaveLength(6);
    expect(scheduler.inFlight).toBe(1);
    scheduler.stop();
  });

  it('warmup spreads the first check over [0, warmup)', async () => {
    const { run, starts } = scripted({ a: () => ({ ok: true }) });
    const scheduler = new CheckScheduler({ onChange: () => undefined, runCheck: run, random: () => 0.5 });
    const t0 = performance.now();
    scheduler.add({ target: target('a'), checks: [{ spec: tcp, timing: { ...timing, warmupMs: 800 } }] });
    await vi.advanceTimersByTimeAsync(399);
    expect(starts['a']).toBeUndefined();
    await vi.advanceTimersByTimeAsync(2);
    expect(starts['a']![0]! - t0).toBe(400);
    scheduler.stop();
  });

  it('a server is down while any of its checkers is down; removing it aborts its checks', async () => {
    const changes: HealthChange[] = [];
    const { run } = scripted({ a: (n) => ({ ok: n % 2 === 1 || n > 6, takesMs: 50 }) });
    const scheduler = new CheckScheduler({ onChange: (c) => changes.push(c), runCheck: run });
    const noRetry = { ...timing, retry: 0 };
    scheduler.add({ target: target('a'), checks: [{ spec: tcp, timing: noRetry }, { spec: tcp, timing: noRetry }] });
    await vi.advanceTimersByTimeAsync(60);
    expect(changes.map((c) => c.state)).toEqual(['down']);
    scheduler.remove('a');
    expect(scheduler.health('a')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(5000);
    expect(changes).toHaveLength(1);
  });
});
