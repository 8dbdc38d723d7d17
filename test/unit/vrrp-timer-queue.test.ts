import { describe, expect, it } from 'vitest';
import { TimerQueue } from '../../src/vrrp/timer-queue.js';
import { TimerSet, monotonicNowMs } from '../../src/vrrp/timer-set.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Waits for a condition (a loaded host may run timers late), failing after two seconds. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in 2 s');
    await sleep(5);
  }
}

describe('shared VRRP timer queue', () => {
  it('runs every entry due at a wake-up in that wake-up, with one shared now, in deadline then arming order', async () => {
    const queue = new TimerQueue();
    const runs: { name: string; now: number }[] = [];
    const due = queue.now() + 15;
    for (const name of ['b', 'a', 'c']) queue.schedule(due, (now) => runs.push({ name, now }));
    queue.schedule(due - 5, (now) => runs.push({ name: 'early', now }));
    await until(() => runs.length === 4);
    expect(runs.map((r) => r.name)).toEqual(['early', 'b', 'a', 'c']);
    expect(new Set(runs.slice(1).map((r) => r.now)).size).toBe(1);
    expect(runs[1]!.now).toBeGreaterThanOrEqual(due);
    expect(queue.wakeUps).toBeLessThanOrEqual(2); // one when the host ran the first wake-up late
  });

  it('never runs a cancelled entry, also when an earlier entry of the same batch cancels it', async () => {
    const queue = new TimerQueue();
    const runs: string[] = [];
    const due = queue.now() + 5;
    const second = queue.schedule(due, () => runs.push('second'));
    queue.schedule(due - 1, () => {
      runs.push('first');
      queue.cancel(second);
    });
    queue.schedule(due, () => runs.push('third'));
    const dropped = queue.schedule(due, () => runs.push('dropped'));
    queue.cancel(dropped);
    await until(() => runs.includes('third'));
    await sleep(20);
    expect(runs).toEqual(['first', 'third']);
  });

  it('records how late a wake-up ran when the loop was held up and reports it once for all its timers', async () => {
    const reports: { latenessMs: number; timers: number }[] = [];
    const queue = new TimerQueue({ lateThresholdMs: 20, onLateWake: (latenessMs, timers) => reports.push({ latenessMs, timers }) });
    let ran = 0;
    for (let i = 0; i < 3; i++) queue.schedule(queue.now() + 2, () => ran++);
    const holdUntil = monotonicNowMs() + 40;
    while (monotonicNowMs() < holdUntil) { /* hold the loop */ }
    await until(() => ran === 3);
    expect(queue.wakeLateness.count).toBe(1);
    expect(queue.wakeLateness.maxMs).toBeGreaterThan(30);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.timers).toBe(3);
    expect(reports[0]!.latenessMs).toBeGreaterThan(30);
  });

  it('keeps the sets of many instances on one wake-up when they arm the same deadline', async () => {
    const queue = new TimerQueue();
    const fired: number[] = [];
    const due = queue.now() + 10;
    const sets = Array.from({ length: 50 }, (_, i) => new TimerSet<'advert'>({ queue, onFire: () => fired.push(i) }));
    for (const set of sets) set.arm('advert', due);
    sets[7]!.arm('advert', due + 1000); // re-arming replaces the first deadline
    await until(() => fired.length >= 49);
    await sleep(20);
    expect(fired).toHaveLength(49);
    expect(fired).not.toContain(7);
    expect(queue.wakeUps).toBe(1);
    queue.clear();
  });

  it('runs a precise entry at its sub-millisecond deadline, never before it', async () => {
    const queue = new TimerQueue();
    const lateness: number[] = [];
    for (let i = 0; i < 9; i++) {
      const due = queue.now() + 6.09; // Skew_Time of priority 100 at advert_int 0.01
      await new Promise<void>((resolve) => queue.schedule(due, (now) => {
        lateness.push(now - due);
        resolve();
      }, true));
    }
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
    // Whole-millisecond wake-ups land anywhere up to ~1 ms after such a deadline (median ~0.5 ms).
    expect([...lateness].sort((a, b) => a - b)[4]).toBeLessThan(0.2);
  });

  it('sleeps out a precise entry\'s last stretch with the given sleeper, stopping its overshoot early', async () => {
    const sleeps: number[] = [];
    const queue = new TimerQueue({ preciseSleeper: { sleep: (ms) => sleeps.push(ms), overshootMs: 0.25 } });
    const due = queue.now() + 12.4;
    let ranAt: number | undefined;
    queue.schedule(due, (now) => { ranAt = now; }, true);
    await until(() => ranAt !== undefined);
    expect(ranAt).toBeGreaterThanOrEqual(due);
    // One sleep (none if a loaded host woke the queue only after the deadline), for what was left
    // at the wake-up less the overshoot: never more than the wait limit.
    expect(sleeps.length).toBeLessThanOrEqual(1);
    for (const ms of sleeps) expect(ms > 0 && ms <= 3.5 - 0.25).toBe(true);
  });

  it('hands a precise entry\'s last stretch to its waiter, which may wait out the deadline itself or decline', async () => {
    const sleeps: number[] = [];
    const queue = new TimerQueue({ preciseSleeper: { sleep: (ms) => sleeps.push(ms), overshootMs: 0.25 } });
    const asked: { dueMs: number; at: number }[] = [];
    const waitItself = (dueMs: number): boolean => {
      asked.push({ dueMs, at: queue.now() });
      while (queue.now() < dueMs) { /* as the addon does, in C */ }
      return true;
    };
    let due = queue.now() + 12.4;
    let ranAt: number | undefined;
    queue.schedule(due, (now) => { ranAt = now; }, true, waitItself);
    await until(() => ranAt !== undefined);
    expect(ranAt).toBeGreaterThanOrEqual(due);
    // Asked once with the deadline, from within the wait limit (unless a loaded host woke the
    // queue only after it); the queue's own sleeper stayed idle.
    expect(asked.length).toBeLessThanOrEqual(1);
    for (const { dueMs, at } of asked) {
      expect(dueMs).toBe(due);
      expect(dueMs - at).toBeLessThanOrEqual(3.5);
    }
    expect(sleeps).toEqual([]);

    // Declining (false) leaves the wait to the sleeper, as for an entry without a waiter.
    due = queue.now() + 12.4;
    ranAt = undefined;
    let declined = 0;
    queue.schedule(due, (now) => { ranAt = now; }, true, () => (declined++, false));
    await until(() => ranAt !== undefined);
    expect(ranAt).toBeGreaterThanOrEqual(due);
    expect(sleeps.length).toBe(declined);

    // A waiter on an ordinary entry is never asked.
    let askedOrdinary = 0;
    ranAt = undefined;
    queue.schedule(queue.now() + 5, (now) => { ranAt = now; }, false, () => (askedOrdinary++, true));
    await until(() => ranAt !== undefined);
    expect(askedOrdinary).toBe(0);
  });
});
