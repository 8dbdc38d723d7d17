// keepalived's vrrp_priority (nice value) and vrrp_rt_priority (SCHED_RR) for the VRRP process:
// on a busy machine a VRRP process that waits for a CPU sends late adverts and its backups fail
// over for nothing. Node cannot call sched_setscheduler, so the real-time class is set with
// util-linux's chrt on every thread of the process. Failures are reported, never fatal.
import { spawnSync } from 'node:child_process';
import { setPriority } from 'node:os';
import type { Settings } from '../config/model.js';
import type { Logger } from '../common/logger.js';

export function applyVrrpProcessPriority(globalSettings: Settings, logger: Logger): void {
  const nice = globalSettings['vrrp_priority'];
  if (typeof nice === 'number') {
    try {
      setPriority(nice);
      logger.info(`VRRP process nice value set to ${nice} (vrrp_priority)`);
    } catch (error) {
      logger.warn({ err: error }, `cannot set vrrp_priority ${nice}: ${(error as Error).message}`);
    }
  }
  const realtime = globalSettings['vrrp_rt_priority'];
  if (typeof realtime === 'number') {
    const result = spawnSync('chrt', ['--all-tasks', '--rr', '--pid', String(realtime), String(process.pid)], { encoding: 'utf8' });
    if (result.status === 0) logger.info(`VRRP process scheduled SCHED_RR priority ${realtime} (vrrp_rt_priority)`);
    else logger.warn(`cannot set vrrp_rt_priority ${realtime}: ${result.error?.message ?? result.stderr.trim()}`);
  }
}
