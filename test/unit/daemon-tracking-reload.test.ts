// The pure decisions of a tracker/notify reload: when to rebuild, which trackers restart, and
// which up/down state a kept instance keeps.
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { TrackerLog } from '../../src/daemon/status-trackers.js';
import { changedTrackerNames, mergeTrackerStatuses, trackingPlanKey } from '../../src/daemon/tracking-reload.js';
import { planTracking } from '../../src/vrrp/trackers/from-config.js';

const plan = (text: string) => planTracking(loadConfigText(text, 'keepalived.conf', { system: null }).config);

const config = (options: { script?: string; weight?: number; notify?: string; file?: string } = {}) => `vrrp_script chk {
  script "${options.script ?? '/bin/true'}"
  interval 1
}
track_file tf {
  file ${options.file ?? '/run/tf'}
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  priority 100
  track_script {
    chk${options.weight === undefined ? '' : ` weight ${options.weight}`}
  }
  track_file {
    tf
  }
${options.notify === undefined ? '' : `  notify_master "${options.notify}"\n`}  virtual_ipaddress {
    10.0.0.1/24
  }
}
`;

describe('tracking reload', () => {
  it('the same text gives the same key; a notify or script change gives another', () => {
    expect(trackingPlanKey(plan(config()))).toBe(trackingPlanKey(plan(config())));
    expect(trackingPlanKey(plan(config({ notify: '/bin/echo m' })))).not.toBe(trackingPlanKey(plan(config())));
    expect(trackingPlanKey(plan(config({ script: '/bin/false' })))).not.toBe(trackingPlanKey(plan(config())));
    expect(trackingPlanKey(plan(config({ weight: -20 })))).not.toBe(trackingPlanKey(plan(config())));
  });

  it('names only trackers whose own definition changed, not those whose weight changed', () => {
    expect([...changedTrackerNames(plan(config()), plan(config({ script: '/bin/false' })))]).toEqual(['chk']);
    expect([...changedTrackerNames(plan(config()), plan(config({ file: '/run/other' })))]).toEqual(['tf']);
    expect([...changedTrackerNames(plan(config()), plan(config({ weight: -20 })))]).toEqual([]);
    expect([...changedTrackerNames(plan(config()), plan(config({ notify: '/bin/echo m' })))]).toEqual([]);
  });

  it('a kept instance keeps the state of unchanged trackers, takes new weights, restarts changed ones and drops removed ones', () => {
    const current = [
      { name: 'chk', weight: 0, reverse: false, up: false },
      { name: 'tf', weight: 1, reverse: false, up: false },
      { name: 'gone', weight: 0, reverse: false, up: false },
    ];
    const fresh = [
      { name: 'chk', weight: -20, reverse: false, up: true },
      { name: 'tf', weight: 1, reverse: false, up: true },
      { name: 'new', weight: 5, reverse: false, up: true },
    ];
    expect(mergeTrackerStatuses(current, fresh, new Set(['tf', 'new', 'gone']))).toEqual([
      { name: 'chk', weight: -20, reverse: false, up: false },
      { name: 'tf', weight: 1, reverse: false, up: true },
      { name: 'new', weight: 5, reverse: false, up: true },
    ]);
  });

  it('the status log keeps since-times of trackers whose state did not change, and forgets removed ones', () => {
    const log = new TrackerLog();
    log.record('VI_1', { name: 'chk', weight: -20, reverse: false, up: false }, 1_000);
    log.record('VI_1', { name: 'gone', weight: 0, reverse: false, up: true }, 1_000);
    log.replace('VI_1', [{ name: 'chk', weight: -30, reverse: false, up: false }, { name: 'new', weight: 5, reverse: false, up: true }], 9_000);
    expect(log.of('VI_1')).toEqual([
      { status: { name: 'chk', weight: -30, reverse: false, up: false }, sinceMs: 1_000 },
      { status: { name: 'new', weight: 5, reverse: false, up: true }, sinceMs: 9_000 },
    ]);
  });
});
