// Runs one check's I/O under a deadline and an abort signal and turns every ending (success,
// failure, error, timeout, abort) into a CheckResult exactly once. Checkers build on this so
// none of them can reject, hang past their timeout or leak a socket or timer.
import type { CheckResult } from './types.js';

export interface Settle {
  (ok: boolean, reason: string, extra?: Pick<CheckResult, 'weight' | 'weightDelta'>): void;
}

/**
 * `start` begins the I/O, calls `settle` when it knows the outcome and returns the cleanup that
 * closes its sockets or processes (always called, once, after the outcome is known).
 */
export function runBounded(
  timeoutMs: number,
  signal: AbortSignal,
  start: (settle: Settle) => () => void,
  timeoutReason = `timeout after ${timeoutMs} ms`,
): Promise<CheckResult> {
  const startedAt = performance.now();
  return new Promise((resolve) => {
    let done = false;
    let cleanup: (() => void) | undefined;
    const settle: Settle = (ok, reason, extra) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve({ ok, reason, latencyMs: performance.now() - startedAt, ...extra });
      // Cleanup may run before start() has returned it; then it runs right after.
      if (cleanup) runCleanup(cleanup);
    };
    const onAbort = (): void => settle(false, 'aborted');
    const timer = setTimeout(() => settle(false, timeoutReason), timeoutMs);
    if (signal.aborted) {
      settle(false, 'aborted');
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      cleanup = start(settle);
    } catch (error) {
      settle(false, errorReason(error));
    }
    if (done && cleanup) runCleanup(cleanup);
  });
}

function runCleanup(cleanup: () => void): void {
  try {
    cleanup();
  } catch {
    // A close that fails leaves nothing for the check to report.
  }
}

/** "connect ECONNREFUSED 127.0.0.1:80" style text for any thrown value. */
export function errorReason(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
