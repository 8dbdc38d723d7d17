// The pure core of health checking: how one checker's up/down state follows its results, and
// how a real server's health follows its checkers. keepalived's rules, from keepalived.conf(5):
// - a checker starts up, or down with alpha;
// - a failure of an up checker is retried `retry` times, delay_before_retry apart; the next
//   failure takes it down (so down after retry + 1 consecutive failures);
// - but a checker assumed up at start whose very first check fails goes down at once, without
//   retries (measured: keepalived 2.2.7 removes a server never seen alive on its first failure);
// - one success brings a down checker up (recoverAfter successes for multi-url HTTP checks);
//   checks of a down checker are delay_loop apart;
// - a real server is up only while all its checkers are up.
import type { CheckResult, CheckTiming } from './types.js';

export interface CheckerHealth {
  readonly up: boolean;
  /** Consecutive failures since the last success (or since start). */
  readonly failures: number;
  /** Consecutive successes of a down checker on its way up. */
  readonly successes?: number;
  /** At least one check has finished. */
  readonly checked?: boolean;
  /** Last dynamic weight (MISC_CHECK misc_dynamic) or weight adjustment (FILE_CHECK dynamic). */
  readonly weight?: number;
  readonly weightDelta?: number;
  readonly reason: string;
}

export function initialCheckerHealth(timing: CheckTiming): CheckerHealth {
  return { up: !timing.alpha, failures: 0, reason: timing.alpha ? 'alpha: down until a check succeeds' : 'assumed up at start' };
}

export interface CheckerStep {
  /** The same object as the input when nothing changed. */
  readonly health: CheckerHealth;
  /** The checker went up or down with this result. */
  readonly changed: boolean;
  /** When to run the next check, after this one finished. */
  readonly nextDelayMs: number;
}

export function stepChecker(health: CheckerHealth, result: CheckResult, timing: CheckTiming): CheckerStep {
  if (result.ok) {
    // The steady state (an up checker passing again) keeps its health object: callers skip work on identity.
    if (health.up && health.checked && health.failures === 0 && health.successes === undefined && health.reason === result.reason && health.weight === result.weight && health.weightDelta === result.weightDelta) {
      return { health, changed: false, nextDelayMs: timing.delayLoopMs };
    }
    const successes = (health.successes ?? 0) + 1;
    if (!health.up && successes < (timing.recoverAfter ?? 1)) {
      return { health: { ...health, failures: 0, successes, checked: true }, changed: false, nextDelayMs: timing.delayLoopMs };
    }
    const next: CheckerHealth = {
      up: true,
      failures: 0,
      checked: true,
      reason: result.reason,
      ...(result.weight !== undefined ? { weight: result.weight } : {}),
      ...(result.weightDelta !== undefined ? { weightDelta: result.weightDelta } : {}),
    };
    return { health: next, changed: !health.up, nextDelayMs: timing.delayLoopMs };
  }
  const failures = health.failures + 1;
  if (health.up && health.checked && failures <= timing.retry) {
    return { health: { ...health, failures }, changed: false, nextDelayMs: timing.delayBeforeRetryMs };
  }
  return { health: { up: false, failures, successes: 0, checked: true, reason: result.reason }, changed: health.up, nextDelayMs: timing.delayLoopMs };
}

export interface ServerHealth {
  readonly up: boolean;
  /** IPVS weight to use: a misc_dynamic weight if any, else the configured one, plus FILE_CHECK adjustments. */
  readonly weight: number;
  readonly reason: string;
}

export function serverHealth(checkers: readonly CheckerHealth[], configuredWeight: number): ServerHealth {
  const down = checkers.find((checker) => !checker.up);
  let weight = configuredWeight;
  for (const checker of checkers) if (checker.weight !== undefined) weight = checker.weight;
  for (const checker of checkers) weight += checker.weightDelta ?? 0;
  if (down) return { up: false, weight, reason: down.reason };
  return { up: true, weight, reason: checkers.length === 0 ? 'no checkers' : (checkers[checkers.length - 1]?.reason ?? '') };
}
