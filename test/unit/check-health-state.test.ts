import { describe, expect, it } from 'vitest';
import { initialCheckerHealth, serverHealth, stepChecker, type CheckerHealth } from '../../src/check/health-state.js';
import { resolveTiming } from '../../src/check/defaults.js';
import type { CheckResult, CheckTiming } from '../../src/check/types.js';

const timing: CheckTiming = { delayLoopMs: 6000, retry: 2, delayBeforeRetryMs: 1000, warmupMs: 0, alpha: false };
const fail: CheckResult = { ok: false, reason: 'refused', latencyMs: 1 };
const pass: CheckResult = { ok: true, reason: 'fine', latencyMs: 1 };

function run(health: CheckerHealth, results: CheckResult[], t = timing) {
  const steps = [];
  for (const result of results) {
    const step = stepChecker(health, result, t);
    steps.push(step);
    health = step.health;
  }
  return steps;
}

describe('checker state follows keepalived rules', () => {
  it('starts up, or down with alpha', () => {
    expect(initialCheckerHealth(timing).up).toBe(true);
    expect(initialCheckerHealth({ ...timing, alpha: true }).up).toBe(false);
  });

  it('an up checker goes down on the (retry + 1)th consecutive failure, retrying delay_before_retry apart', () => {
    const steps = run(initialCheckerHealth(timing), [pass, fail, fail, fail]);
    expect(steps.map((s) => [s.health.up, s.changed, s.nextDelayMs])).toEqual([
      [true, false, 6000],
      [true, false, 1000],
      [true, false, 1000],
      [false, true, 6000],
    ]);
  });

  it('a checker assumed up whose very first check fails goes down at once (keepalived 2.2.7, measured)', () => {
    const steps = run(initialCheckerHealth(timing), [fail]);
    expect(steps[0]).toMatchObject({ changed: true, nextDelayMs: 6000, health: { up: false } });
  });

  it('a success between failures resets the count', () => {
    const steps = run(initialCheckerHealth(timing), [pass, fail, fail, pass, fail, fail]);
    expect(steps.every((s) => s.health.up)).toBe(true);
  });

  it('after recovering, failures are retried again', () => {
    const alpha = { ...timing, alpha: true };
    const steps = run(initialCheckerHealth(alpha), [pass, fail], alpha);
    expect(steps[1]).toMatchObject({ changed: false, nextDelayMs: 1000, health: { up: true } });
  });

  it('retry 0 goes down on the first failure', () => {
    const steps = run(initialCheckerHealth({ ...timing, retry: 0 }), [fail], { ...timing, retry: 0 });
    expect(steps[0]!.changed).toBe(true);
  });

  it('a down checker comes up on the first success and stays down (delay_loop apart) while failing', () => {
    const alpha = { ...timing, alpha: true };
    const steps = run(initialCheckerHealth(alpha), [fail, fail, pass], alpha);
    expect(steps.map((s) => [s.health.up, s.changed, s.nextDelayMs])).toEqual([
      [false, false, 6000],
      [false, false, 6000],
      [true, true, 6000],
    ]);
  });
});

describe('multi-url HTTP recovery (no fast_recovery)', () => {
  it('a down checker needs recoverAfter consecutive successes, delay_loop apart; a failure restarts the count', () => {
    const slow = { ...timing, alpha: true, recoverAfter: 3 };
    const steps = run(initialCheckerHealth(slow), [pass, pass, fail, pass, pass, pass, pass], slow);
    expect(steps.map((s) => [s.health.up, s.changed, s.nextDelayMs])).toEqual([
      [false, false, 6000],
      [false, false, 6000],
      [false, false, 6000],
      [false, false, 6000],
      [false, false, 6000],
      [true, true, 6000],
      [true, false, 6000],
    ]);
  });
});

describe('steady state', () => {
  const steadyTiming = { delayLoopMs: 1000, retry: 1, delayBeforeRetryMs: 500, warmupMs: 0, alpha: false };
  it('an up checker passing again keeps the same health object; any difference makes a new one', () => {
    const first = stepChecker(initialCheckerHealth(steadyTiming), { ok: true, reason: 'connected', latencyMs: 1 }, steadyTiming).health;
    const again = stepChecker(first, { ok: true, reason: 'connected', latencyMs: 2 }, steadyTiming);
    expect(again).toEqual({ health: first, changed: false, nextDelayMs: 1000 });
    expect(again.health).toBe(first);
    expect(stepChecker(first, { ok: true, reason: 'status 204', latencyMs: 2 }, steadyTiming).health).not.toBe(first);
    expect(stepChecker(first, { ok: true, reason: 'connected', latencyMs: 2, weight: 4 }, steadyTiming).health).toMatchObject({ weight: 4 });
  });
});

describe('real server health', () => {
  const up: CheckerHealth = { up: true, failures: 0, reason: 'ok' };
  it('is up only while every checker is up', () => {
    expect(serverHealth([up, up], 3)).toEqual({ up: true, weight: 3, reason: 'ok' });
    expect(serverHealth([up, { up: false, failures: 2, reason: 'refused' }], 3)).toMatchObject({ up: false, reason: 'refused' });
  });

  it('misc_dynamic sets the weight, FILE_CHECK dynamic adds to it', () => {
    expect(serverHealth([{ ...up, weight: 10 }], 3).weight).toBe(10);
    expect(serverHealth([{ ...up, weight: 10 }, { ...up, weightDelta: -4 }], 3).weight).toBe(6);
    expect(serverHealth([{ ...up, weightDelta: 5 }], 3).weight).toBe(8);
  });
});

describe('keepalived timing defaults', () => {
  it('retry, delay_before_retry and warmup defaults depend on the checker', () => {
    expect(resolveTiming('TCP_CHECK')).toEqual({ delayLoopMs: 60_000, retry: 1, delayBeforeRetryMs: 1000, warmupMs: 60_000, alpha: false });
    expect(resolveTiming('HTTP_GET', { delayLoopMs: 6000 }).delayBeforeRetryMs).toBe(3000);
    expect(resolveTiming('DNS_CHECK', { delayLoopMs: 6000 })).toMatchObject({ retry: 3, delayBeforeRetryMs: 6000 });
    expect(resolveTiming('MISC_CHECK').retry).toBe(0);
  });

  it('checker settings win over real server, which win over virtual server', () => {
    const timing = resolveTiming('TCP_CHECK', { retry: 5 }, { retry: 2, delayLoopMs: 2000, alpha: true }, { delayLoopMs: 9000, warmupMs: 0 });
    expect(timing).toEqual({ delayLoopMs: 2000, retry: 5, delayBeforeRetryMs: 1000, warmupMs: 0, alpha: true });
  });
});
