// The support markers of the keyword tables must match what the daemon does: `-t` must not say
// "parsed but keepalived-ts does not act on it yet" (KTS_NOT_IMPLEMENTED) for a keyword the VRRP
// or checker process reads, and must still say it for one nothing reads.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configTestExitCode } from '../../src/cli/config-test.js';
import { loadConfig } from '../../src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'kts-kwsupport-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `keepalived-ts -t -f FILE` reads and reports for this config text, without the live system. */
function configTest(text: string) {
  const file = join(dir, `keepalived-${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(file, text);
  const { config, diagnostics } = loadConfig(file, { system: null });
  return { config, diagnostics, exitCode: configTestExitCode(diagnostics), notImplemented: diagnostics.filter((d) => d.code === 'KTS_NOT_IMPLEMENTED').map((d) => d.message) };
}

// Every keyword here is read by src/vrrp (instance-config.ts, trackers/from-config.ts) or by
// src/daemon/process-priority.ts.
const VRRP = `
global_defs {
  vrrp_garp_lower_prio_delay 5
  vrrp_garp_lower_prio_repeat 2
  vrrp_lower_prio_no_advert
  vrrp_higher_prio_send_advert
  vrrp_down_timer_adverts 4
  vrrp_priority -10
  vrrp_rt_priority 10
  checker_priority -5
  checker_rt_priority 5
}
vrrp_script chk {
  script /bin/true
}
vrrp_track_process proc {
  process /usr/sbin/haproxy -f
  param_match partial
  weight -10
  quorum 1
  quorum_max 4
  delay 1
  fork_delay 1
  terminate_delay 1
  full_command
}
track_file maint {
  file /run/maint
  init_file 0 overwrite
}
vrrp_instance A {
  interface eth0
  virtual_router_id 51
  priority 100
  virtual_ipaddress {
    10.0.0.1
  }
  use_vmac
  vmac_xmit_base
  down_timer_adverts 4
  garp_lower_prio_delay 5
  garp_lower_prio_repeat 2
  lower_prio_no_advert
  higher_prio_send_advert
  notify_master_rx_lower_pri /bin/true
  track_process {
    proc
  }
}
vrrp_instance B {
  interface eth0
  virtual_router_id 52
  priority 100
  virtual_ipaddress {
    10.0.0.2
  }
}
vrrp_sync_group G {
  group {
    A
    B
  }
  track_interface {
    eth1
  }
  track_script {
    chk
  }
  track_file {
    maint
  }
  track_process {
    proc
  }
  sync_group_tracking_weight
}
`;

// Read by src/lvs/desired.ts (the checker process's IPVS table), src/daemon/check-process.ts
// (ha_suspend) and src/check/from-config.ts (SSL).
const LVS = `
SSL {
  password secret
  ca /etc/ssl/ca.pem
  certificate /etc/ssl/client.pem
  key /etc/ssl/client.key
}
virtual_server 10.0.0.1 80 {
  lvs_sched sh
  sh-port
  sh-fallback
  flag-3
  ops
  ha_suspend
  persistence_engine sip
  sorry_server 10.0.0.9 80
  sorry_server_lvs_method DR
  real_server 10.0.0.2 80 {
    uthreshold 100
    lthreshold 10
  }
}
virtual_server fwmark 5 {
  ip_family inet6
  lvs_sched mh
  mh-port
  mh-fallback
  flag-1
  flag-2
  real_server 2001:db8::2 80 {
  }
}
`;

describe('keyword support markers', () => {
  it('-t does not report VRRP keywords the VRRP process acts on as not implemented', () => {
    const { config, notImplemented, exitCode } = configTest(VRRP);
    expect(notImplemented).toEqual([]);
    expect(config.vrrpInstances.map((i) => i.name)).toEqual(['A', 'B']);
    expect(config.vrrpInstances[0]!.settings['down_timer_adverts']).toBe(4);
    expect(config.trackProcesses.map((p) => p.name)).toEqual(['proc']);
    expect(exitCode).toBe(0);
  });
  it('-t does not report virtual server, real server and SSL keywords the checker acts on as not implemented', () => {
    const { config, notImplemented } = configTest(LVS);
    expect(notImplemented).toEqual([]);
    expect(config.virtualServers).toHaveLength(2);
    expect(config.virtualServers[0]!.realServers[0]!.settings['uthreshold']).toBe(100);
  });
  it('still reports, once, a keyword nothing acts on, and keeps it in settings', () => {
    const instance = (name: string, vrid: number) => `vrrp_instance ${name} {\n interface eth0\n virtual_router_id ${vrid}\n virtual_ipaddress {\n  10.0.0.1\n }\n smtp_alert\n}\n`;
    const { config, notImplemented, exitCode } = configTest(instance('A', 51) + instance('B', 52));
    expect(notImplemented).toEqual([expect.stringContaining('smtp_alert')]);
    expect(config.vrrpInstances[0]!.settings['smtp_alert']).toBeDefined();
    expect(exitCode).toBe(0);
  });
});
