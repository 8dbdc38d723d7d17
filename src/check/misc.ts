// MISC_CHECK: run misc_path's argv (no shell, as keepalived does) in its own process
// group (as script_user when uid/gid are set), without blocking the loop. Past misc_timeout the
// whole group gets SIGTERM, then SIGKILL a second later if it is still there, and the check fails.
import { spawn } from 'node:child_process';
import { runBounded, errorReason } from './bounded.js';
import { judgeMiscExit } from './misc-exit.js';
import type { CheckResult, MiscCheckSpec, RealServerTarget } from './types.js';

const KILL_GRACE_MS = 1000;

export function checkMisc(spec: MiscCheckSpec, _target: RealServerTarget, signal: AbortSignal): Promise<CheckResult> {
  return runBounded(
    spec.timeoutMs,
    signal,
    (settle) => {
      const [program, ...args] = spec.argv;
      if (program === undefined) {
        settle(false, 'misc_path is empty');
        return () => undefined;
      }
      const child = spawn(program, args, {
        detached: true,
        stdio: 'ignore',
        ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
        ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
      });
      let exited = false;
      child.once('error', (error) => settle(false, errorReason(error)));
      child.once('exit', (code, exitSignal) => {
        exited = true;
        const verdict = judgeMiscExit(code, exitSignal, spec.dynamic ?? false);
        settle(verdict.ok, verdict.reason, verdict.weight !== undefined ? { weight: verdict.weight } : undefined);
      });
      return () => {
        if (exited || child.pid === undefined) return;
        const group = -child.pid;
        killGroup(group, 'SIGTERM');
        setTimeout(() => {
          if (!exited) killGroup(group, 'SIGKILL');
        }, KILL_GRACE_MS).unref();
      };
    },
    `misc_timeout (${spec.timeoutMs} ms) expired`,
  );
}

function killGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(group, signal);
  } catch {
    // The group is already gone.
  }
}
