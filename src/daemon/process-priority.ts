// keepalived's vrrp_priority / checker_priority (nice value) and vrrp_rt_priority /
// checker_rt_priority (SCHED_RR) for the VRRP and checker processes: on a busy machine a VRRP
// process that waits for a CPU sends late adverts and its backups fail over for nothing, and a
// checker's checks start late. Node cannot call sched_setscheduler, so the real-time class is set with
// util-linux's chrt on every thread of the process. Failures are reported, never fatal.
import { spawnSync } from 'node:child_process';
import { setPriority } from 'node:os';
import type { Settings } from '../config/model.js';
import type { Logger } from '../common/logger.js';

export function applyVrrpProcessPriority(globalSettings: Settings, logger: Logger): void {
  applyProcessPriority(globalSettings, 'vrrp', 'VRRP', logger);
}

/** checker_priority and checker_rt_priority for the checker process: thousands of checks a second start late on a CPU they must wait for. */
export function applyCheckerProcessPriority(globalSettings: Settings, logger: Logger): void {
  applyProcessPriority(globalSettings, 'checker', 'Checker', logger);
}

function applyProcessPriority(globalSettings: Settings, prefix: 'vrrp' | 'checker', name: string, logger: Logger): void {
  const nice = globalSettings[`${prefix}_priority`];
  if (typeof nice === 'number') {
    try {
      setPriority(nice);
      logger.info(`${name} process nice value set to ${nice} (${prefix}_priority)`);
    } catch (error) {
      logger.warn({ err: error }, `cannot set ${prefix}_priority ${nice}: ${(error as Error).message}`);
    }
  }
  const realtime = globalSettings[`${prefix}_rt_priority`];
  if (typeof realtime === 'number') {
    const result = spawnSync('chrt', ['--all-tasks', '--rr', '--pid', String(realtime), String(process.pid)], { encoding: 'utf8' });
    if (result.status === 0) logger.info(`${name} process scheduled SCHED_RR priority ${realtime} (${prefix}_rt_priority)`);
    else logger.warn(`cannot set ${prefix}_rt_priority ${realtime}: ${result.error?.message ?? result.stderr.trim()}`);
  }
}
