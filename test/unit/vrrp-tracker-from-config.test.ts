// planTracking on parsed keepalived configs: which trackers run, with which weights per instance,
// and which notify scripts and FIFOs are set up.
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { planTracking } from '../../src/vrrp/trackers/from-config.js';

const plan = (text: string) => planTracking(loadConfigText(text, 'keepalived.conf', { system: null }).config);

const instance = (name: string, vrid: number, body: string, priority = 100) => `vrrp_instance ${name} {
  interface eth0
  virtual_router_id ${vrid}
  priority ${priority}
${body}
  virtual_ipaddress {
    10.0.0.${vrid}/24
  }
}
`;

describe('planTracking', () => {
  it('maps a vrrp_script with its timings, user and per-instance weights; untracked scripts do not run', () => {
    const p = plan(`vrrp_script chk {
  script "/etc/k/chk.sh 'a b'"
  interval 2
  timeout 3
  weight -20 reverse
  rise 2
  fall 3
  user nobody nogroup
  init_fail
}
vrrp_script idle {
  script /bin/true
}
${instance('VI_1', 1, '  track_script {\n    chk\n  }')}
${instance('VI_2', 2, '  track_script {\n    chk weight 7\n  }')}`);
    expect(p.scripts).toEqual([{
      name: 'chk',
      script: { command: "/etc/k/chk.sh 'a b'", user: 'nobody', group: 'nogroup' },
      intervalMs: 2000,
      timeoutMs: 3000,
      rise: 2,
      fall: 3,
      initFail: true,
      links: [{ instance: 'VI_1', weight: -20, reverse: true }, { instance: 'VI_2', weight: 7, reverse: false }],
    }]);
    expect(p.problems).toEqual([]);
  });

  it('defaults the timeout to the interval', () => {
    const p = plan(`vrrp_script chk {\n  script /bin/true\n  interval 5\n}\n${instance('VI_1', 1, '  track_script {\n    chk\n  }')}`);
    expect(p.scripts[0]).toMatchObject({ intervalMs: 5000, timeoutMs: 5000, rise: 1, fall: 1, initFail: false });
  });

  it('maps track_interface (weight 0 by default), track_file (its own weight, init_file) and track_process', () => {
    const p = plan(`track_file tf {
  file /run/tf
  weight 5 reverse
  init_file 7 overwrite
}
track_file plain {
  file /run/plain
}
vrrp_track_process haproxy {
  process /usr/sbin/haproxy -f "/etc/h a.cfg"
  param_match initial
  weight 10
  quorum 2
  quorum_max 3
  fork_delay 0.5
  terminate_delay 1.5
  full_command
}
vrrp_track_process nginx {
  process nginx
  delay 2
}
${instance('VI_1', 1, '  track_interface {\n    eth1\n    eth2 weight -30 reverse\n  }\n  track_file {\n    tf\n    plain weight 2\n  }\n  track_process {\n    haproxy\n    nginx weight -5\n  }')}`);
    expect(p.interfaces).toEqual([
      { name: 'eth1', links: [{ instance: 'VI_1', weight: 0, reverse: false }] },
      { name: 'eth2', links: [{ instance: 'VI_1', weight: -30, reverse: true }] },
    ]);
    expect(p.files).toEqual([
      { name: 'tf', path: '/run/tf', initFile: { value: 7, overwrite: true }, links: [{ instance: 'VI_1', weight: 5, reverse: true }] },
      { name: 'plain', path: '/run/plain', links: [{ instance: 'VI_1', weight: 2, reverse: false }] },
    ]);
    expect(p.processes).toEqual([
      {
        name: 'haproxy',
        spec: { command: ['/usr/sbin/haproxy', '-f', '/etc/h a.cfg'], paramMatch: 'initial', fullCommand: true, quorum: 2, quorumMax: 3 },
        forkDelayMs: 500,
        terminateDelayMs: 1500,
        links: [{ instance: 'VI_1', weight: 10, reverse: false }],
      },
      { name: 'nginx', spec: { command: ['nginx'], fullCommand: false, quorum: 1, quorumMax: Infinity }, forkDelayMs: 2000, terminateDelayMs: 2000, links: [{ instance: 'VI_1', weight: -5, reverse: false }] },
    ]);
  });

  it('drops weighted trackers of sync group members (as keepalived 2.2.7) and applies group lines to every member', () => {
    const p = plan(`vrrp_script chk {\n  script /bin/true\n  weight -10\n}
vrrp_script gchk {\n  script /bin/false\n}
vrrp_sync_group G {
  group {
    VI_1
    VI_2
  }
  track_script {
    gchk
  }
  track_interface {
    eth9 weight 10
  }
}
${instance('VI_1', 1, '  track_script {\n    chk\n  }\n  track_interface {\n    eth1\n  }')}
${instance('VI_2', 2, '')}`);
    expect(p.scripts.map((s) => [s.name, s.links])).toEqual([['gchk', [{ instance: 'VI_1', weight: 0, reverse: false }, { instance: 'VI_2', weight: 0, reverse: false }]]]);
    expect(p.interfaces).toEqual([
      { name: 'eth1', links: [{ instance: 'VI_1', weight: 0, reverse: false }] },
      { name: 'eth9', links: [{ instance: 'VI_1', weight: 10, reverse: false }, { instance: 'VI_2', weight: 10, reverse: false }] },
    ]);
    expect(p.problems).toEqual(['(VI_1) ignoring track_script chk with weights due to sync group G']);
  });

  it('keeps weighted member trackers with sync_group_tracking_weight', () => {
    const p = plan(`vrrp_script chk {\n  script /bin/true\n  weight -10\n}
vrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n  sync_group_tracking_weight\n}
${instance('VI_1', 1, '  track_script {\n    chk\n  }')}
${instance('VI_2', 2, '')}`);
    expect(p.scripts[0]!.links).toEqual([{ instance: 'VI_1', weight: -10, reverse: false }]);
  });

  it('maps notify scripts of instances and groups, notify_master_rx_lower_pri and both FIFOs', () => {
    const p = plan(`global_defs {
  notify_fifo /run/a.fifo
  vrrp_notify_fifo /run/b.fifo nobody
  vrrp_notify_fifo_script "/etc/k/reader.sh -v" nobody
}
vrrp_sync_group G {
  group {
    VI_1
  }
  notify "/etc/k/g.sh x"
  notify_master /etc/k/gm.sh
}
${instance('VI_1', 1, '  notify_master "/etc/k/m.sh a" root\n  notify_stop /etc/k/s.sh\n  notify /etc/k/n.sh\n  notify_master_rx_lower_pri "/etc/k/rx.sh 1" nobody')}`);
    expect(p.notify.fifos).toEqual([{ path: '/run/a.fifo' }, { path: '/run/b.fifo', owner: { user: 'nobody' }, script: { command: '/etc/k/reader.sh -v', user: 'nobody' } }]);
    expect(p.notify.instances.get('VI_1')).toEqual({
      master: { command: '/etc/k/m.sh a', user: 'root' },
      stop: { command: '/etc/k/s.sh' },
      any: { command: '/etc/k/n.sh' },
      masterRxLowerPri: { command: '/etc/k/rx.sh 1', user: 'nobody' },
    });
    expect(p.notify.groups.get('G')).toEqual({ master: { command: '/etc/k/gm.sh' }, any: { command: '/etc/k/g.sh x' } });
  });

  it('reports a tracked name that is not defined', () => {
    const p = plan(instance('VI_1', 1, '  track_script {\n    nosuch\n  }'));
    expect(p.scripts).toEqual([]);
    expect(p.problems).toEqual([expect.stringMatching(/nosuch is not defined/)]);
  });

  it('reports priority changes for instances with notify_priority_changes: own keyword, else the sync group\'s, else the global one', () => {
    const groups = `vrrp_sync_group G_ON {
  group {
    GA
  }
  notify_priority_changes
}
vrrp_sync_group G_OFF {
  group {
    GB
    GC
  }
  notify_priority_changes false
}
`;
    const instances = instance('GA', 1, '') + instance('GB', 2, '') + instance('GC', 3, '  notify_priority_changes') + instance('SOLO', 4, '') + instance('OFF', 5, '  notify_priority_changes false');
    expect([...plan(groups + instances).notify.priorityChanges].sort()).toEqual(['GA', 'GC']);
    const everywhere = `global_defs {\n  vrrp_notify_priority_changes\n}\n${groups}${instances}`;
    expect([...plan(everywhere).notify.priorityChanges].sort()).toEqual(['GA', 'GC', 'SOLO']);
  });
});
