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
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
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
  it('runs at most maxInFlight checks at once, in due order, and spreads checks started late together over their lateness', async () => {
    const { run, starts } = scripted({ slow: (n) => ({ ok: true, takesMs: n === 1 ? 300 : 0 }), a: () => ({ ok: true }), b: () => ({ ok: true }) });
    const picks = [0, 0.1, 0.2];
    const scheduler = new CheckScheduler({ onChange: () => undefined, runCheck: run, maxInFlight: 1, random: () => picks.shift() ?? 0.5 });
    const t0 = performance.now();
    const warm = { ...timing, warmupMs: 1000 };
    scheduler.add({ target: target('slow'), checks: [{ spec: tcp, timing: warm }] });
    scheduler.add({ target: target('b'), checks: [{ spec: tcp, timing: warm }] });
    scheduler.add({ target: target('a'), checks: [{ spec: tcp, timing: warm }] });
    await vi.advanceTimersByTimeAsync(1450);
    // b was due at 100 and a at 200, but slow held the only slot until 300: both start then, b
    // first, and their next checks come delay_loop plus half (random 0.5) of their lateness later.
    expect(starts['b']!.map((t) => Math.round(t - t0))).toEqual([300, 1400]);
    expect(starts['a']!.map((t) => Math.round(t - t0))).toEqual([300, 1350]);
    expect(scheduler.startDrift.maxMs).toBe(200);
    scheduler.stop();
  });

  it('starts at most maxStartsPerTurn due checks per turn and the rest right after', async () => {
    const { run, starts } = scripted(Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`s${i}`, () => ({ ok: true, takesMs: 50 })])));
    const scheduler = new CheckScheduler({ onChange: () => undefined, runCheck: run, maxStartsPerTurn: 3 });
    for (let i = 0; i < 7; i++) scheduler.add({ target: target(`s${i}`), checks: [{ spec: tcp, timing }] });
    const started = (): number => Object.values(starts).flat().length;
    await vi.advanceTimersToNextTimerAsync();
    expect(started()).toBe(3);
    await vi.advanceTimersToNextTimerAsync();
    expect(started()).toBe(6);
    await vi.advanceTimersToNextTimerAsync();
    expect(started()).toBe(7);
    expect(scheduler.inFlight).toBe(7);
    scheduler.stop();
  });

  it('keeps the last historyLength results, oldest first', async () => {
    const { run } = scripted({ a: (n) => ({ ok: n % 3 !== 0 }) });
    const scheduler = new CheckScheduler({ onChange: () => undefined, runCheck: run, historyLength: 4 });
    scheduler.add({ target: target('a'), checks: [{ spec: tcp, timing: { ...timing, delayBeforeRetryMs: 1000, retry: 5 } }] });
    await vi.advanceTimersByTimeAsync(6500);
    const history = scheduler.history('a');
    expect(history.map((h) => h.ok)).toEqual([true, true, false, true]);
    expect(history.map((h) => Math.round(h.atMs - history[0]!.atMs))).toEqual([0, 1000, 2000, 3000]);
    expect(history.every((h) => h.kind === 'TCP_CHECK' && h.reason === (h.ok ? 'ok' : 'refused'))).toBe(true);
    scheduler.stop();
  });
  it('checks held up together (a stall) do not stay bunched: their next starts spread over the hold-up', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `s${i}`);
    const { run, starts } = scripted({ blocker: (n) => ({ ok: true, takesMs: n === 1 ? 300 : 0 }), ...Object.fromEntries(ids.map((id) => [id, () => ({ ok: true })])) });
    let seed = 1;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const scheduler = new CheckScheduler({ onChange: () => undefined, runCheck: run, maxInFlight: 1, random });
    const t0 = performance.now();
    scheduler.add({ target: target('blocker'), checks: [{ spec: tcp, timing }] });
    // All due within the blocker's 300 ms: each waits for it, then all start in the same instant.
    for (const id of ids) scheduler.add({ target: target(id), checks: [{ spec: tcp, timing: { ...timing, warmupMs: 300 } }] });
    await vi.advanceTimersByTimeAsync(1700);
    const first = ids.map((id) => Math.round(starts[id]![0]! - t0));
    expect(new Set(first)).toEqual(new Set([300]));
    const second = ids.map((id) => starts[id]![1]! - t0);
    const perWindow = new Map<number, number>();
    for (const at of second) perWindow.set(Math.floor(at / 10), (perWindow.get(Math.floor(at / 10)) ?? 0) + 1);
    expect(Math.min(...second)).toBeGreaterThanOrEqual(1300);
    expect(Math.max(...second) - Math.min(...second)).toBeGreaterThan(150);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(15);
    scheduler.stop();
  });
});
