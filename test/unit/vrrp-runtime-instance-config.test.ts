// The mapping from the typed keepalived Config to the reducer's InstanceConfig and the runtime's
// spec: intervals in ms, garp settings, unicast, auth, VIPs/excluded/routes/rules, vmac, sync groups.
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { instanceDefinitions } from '../../src/vrrp/instance-config.js';
import { advertInterfaceName } from '../../src/vrrp/runtime/spec.js';

function definitions(text: string, expectedErrors: string[] = []) {
  const { config, diagnostics } = loadConfigText(text, 'test.conf', { system: null });
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(expectedErrors);
  return instanceDefinitions(config);
}

describe('instanceDefinitions', () => {
  it('maps a v3 multicast instance with garp settings, routes and rules', () => {
    const [d] = definitions(`
global_defs {
  vrrp_garp_master_delay 2
  vrrp_garp_lower_prio_repeat 3
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 150
  advert_int 0.1
  version 3
  preempt_delay 4
  garp_master_refresh 30
  virtual_ipaddress {
    10.0.0.100/24 dev eth1 label eth1:vip
    10.0.0.101
  }
  virtual_ipaddress_excluded {
    192.0.2.7/32
  }
  virtual_routes {
    192.0.2.0/24 via 10.0.0.1 table 100
  }
  virtual_rules {
    from 10.0.0.100 table 100
  }
}
`);
    expect(d!.config).toMatchObject({
      name: 'VI_1', vrid: 51, version: 3, family: 'ipv4', basePriority: 150, advertIntervalMs: 100, preempt: true,
      preemptDelayMs: 4000, initialState: 'BACKUP', primaryAddress: '', downTimerAdverts: 3,
      garp: { masterRepeat: 5, masterDelayMs: 2000, masterRefreshMs: 30_000, masterRefreshRepeat: 1, lowerPrioRepeat: 3, lowerPrioDelayMs: 2000 },
    });
    expect(d!.spec.interfaceName).toBe('eth0');
    expect(d!.spec.unicastPeers).toEqual([]);
    expect(d!.spec.multicastGroup).toBe('224.0.0.18');
    expect(d!.spec.virtualAddresses).toEqual([
      { link: 'eth1', address: '10.0.0.100', prefixLength: 24, label: 'eth1:vip' },
      { link: 'eth0', address: '10.0.0.101', prefixLength: 32 },
    ]);
    expect(d!.spec.excludedAddresses).toEqual([{ link: 'eth0', address: '192.0.2.7', prefixLength: 32 }]);
    expect(d!.spec.virtualRoutes).toEqual([{ destination: '192.0.2.0/24', family: 'inet', gateway: '10.0.0.1', table: 100 }]);
    expect(d!.spec.virtualRules).toEqual([{ family: 'inet', from: '10.0.0.100', table: 100 }]);
  });

  it('maps v2 unicast with PASS authentication, nopreempt and source checking', () => {
    const [d] = definitions(`
global_defs {
  vrrp_check_unicast_src
}
vrrp_instance VI_2 {
  state BACKUP
  nopreempt
  interface eth0
  virtual_router_id 52
  priority 100
  advert_int 2
  authentication {
    auth_type PASS
    auth_pass longpassword
  }
  unicast_src_ip 10.0.0.2
  unicast_peer {
    10.0.0.3
    10.0.0.4
  }
  virtual_ipaddress {
    10.0.0.102/24
  }
}
`);
    expect(d!.config).toMatchObject({ version: 2, advertIntervalMs: 2000, preempt: false, primaryAddress: '10.0.0.2' });
    expect(d!.spec).toMatchObject({ unicastPeers: ['10.0.0.3', '10.0.0.4'], sourceAddress: '10.0.0.2', checkUnicastSource: true, password: 'longpass' });
  });

  it('marks auth_type AH with its key for version 2, and drops authentication for version 3 as keepalived does', () => {
    const [v2, v3] = definitions(`
vrrp_instance VI_AH {
  interface eth0
  virtual_router_id 53
  version 2
  authentication {
    auth_type AH
    auth_pass secret
  }
  virtual_ipaddress {
    10.0.0.103
  }
}
vrrp_instance VI_V3 {
  interface eth0
  virtual_router_id 54
  version 3
  authentication {
    auth_type AH
    auth_pass secret
  }
  virtual_ipaddress {
    10.0.0.104
  }
}
`);
    expect(v2!.spec).toMatchObject({ ahAuthentication: true, password: 'secret' });
    expect(v3!.spec.ahAuthentication).toBeUndefined();
    expect(v3!.spec.password).toBeUndefined();
  });

  it('sends from the base interface with vmac_xmit_base, and forces it for unicast peers as keepalived does', () => {
    const [plain, xmit, unicast] = definitions(`
vrrp_instance VI_P {
  interface eth0
  virtual_router_id 61
  use_vmac
  virtual_ipaddress {
    10.0.0.161
  }
}
vrrp_instance VI_X {
  interface eth0
  virtual_router_id 62
  use_vmac
  vmac_xmit_base
  virtual_ipaddress {
    10.0.0.162
  }
}
vrrp_instance VI_U {
  interface eth0
  virtual_router_id 63
  use_vmac
  unicast_peer {
    10.0.0.3
  }
  virtual_ipaddress {
    10.0.0.163
  }
}
`);
    expect(plain!.spec.vmacXmitBase).toBeUndefined();
    expect(advertInterfaceName(plain!.spec)).toBe('vrrp.61');
    expect(xmit!.spec).toMatchObject({ interfaceName: 'vrrp.62', baseInterfaceName: 'eth0', vmacXmitBase: true });
    expect(advertInterfaceName(xmit!.spec)).toBe('eth0');
    expect(xmit!.spec.virtualAddresses[0]!.link).toBe('vrrp.62');
    expect(unicast!.spec.vmacXmitBase).toBe(true);
    expect(advertInterfaceName(unicast!.spec)).toBe('eth0');
  });

  it('defaults the lower-priority GARP burst to the global garp_master settings, not the instance ones (keepalived 2.2.7 dump)', () => {
    const [plain, own] = definitions(`
vrrp_instance VI_A {
  interface eth0
  virtual_router_id 55
  garp_master_delay 2
  garp_master_repeat 3
  virtual_ipaddress {
    10.0.0.105
  }
}
vrrp_instance VI_B {
  interface eth0
  virtual_router_id 56
  garp_lower_prio_delay 7
  garp_lower_prio_repeat 1
  virtual_ipaddress {
    10.0.0.106
  }
}
`);
    expect(plain!.config.garp).toMatchObject({ masterDelayMs: 2000, masterRepeat: 3, lowerPrioDelayMs: 5000, lowerPrioRepeat: 5 });
    expect(own!.config.garp).toMatchObject({ lowerPrioDelayMs: 7000, lowerPrioRepeat: 1 });
    const [fromGlobal] = definitions(`
global_defs {
  vrrp_garp_master_delay 2
  vrrp_garp_master_repeat 3
}
vrrp_instance VI_C {
  interface eth0
  virtual_router_id 57
  virtual_ipaddress {
    10.0.0.107
  }
}
`);
    expect(fromGlobal!.config.garp).toMatchObject({ lowerPrioDelayMs: 2000, lowerPrioRepeat: 3 });
  });

  it('puts VIPs on the VMAC interface, names sync groups, maps IPv6 to v3 and skips an instance without VRID', () => {
    const defs = definitions(`
vrrp_sync_group G1 {
  group {
    VI_6
  }
}
vrrp_instance VI_6 {
  interface eth0
  virtual_router_id 60
  use_vmac
  virtual_ipaddress {
    fd00::60/64
  }
}
vrrp_instance NO_VRID {
  interface eth0
  virtual_ipaddress {
    10.0.0.9
  }
}
`, ['KTS_MISSING_REQUIRED']);
    expect(defs.map((d) => d.config.name)).toEqual(['VI_6']);
    const [d] = defs;
    expect(d!.syncGroup).toBe('G1');
    expect(d!.config).toMatchObject({ version: 3, family: 'ipv6' });
    expect(d!.spec).toMatchObject({ interfaceName: 'vrrp.60', baseInterfaceName: 'eth0', vmac: { name: 'vrrp.60' }, multicastGroup: 'ff02::12' });
    expect(d!.spec.virtualAddresses).toEqual([{ link: 'vrrp.60', address: 'fd00::60', prefixLength: 64, nodad: true }]);
  });

  it('names VMACs PREFIX.VRID with global vmac_prefix (keepalived 2.2.7: vmac_prefix kv gives kv.51)', () => {
    const [d] = definitions(`global_defs {
  vmac_prefix kv
}
vrrp_instance VI {
  interface eth0
  virtual_router_id 51
  use_vmac
  virtual_ipaddress {
    10.0.0.51/24
  }
}
`);
    expect(d!.spec).toMatchObject({ interfaceName: 'kv.51', baseInterfaceName: 'eth0', vmac: { name: 'kv.51' } });
    const [long] = definitions(`global_defs {\n  vmac_prefix averyveryverylongprefix\n}\nvrrp_instance VI {\n  interface eth0\n  virtual_router_id 76\n  use_vmac\n  virtual_ipaddress {\n    10.0.0.76/24\n  }\n}\n`);
    expect(long!.spec.vmac).toEqual({ name: 'averyveryver.76' }); // cut to 15 characters, as keepalived
  });

  it('keeps an instance in FAULT for unicast_fault_no_peer without peers, and ignores the primary link with dont_track_primary', () => {
    const [noPeer, withPeer] = definitions(`vrrp_instance A {
  interface eth0
  virtual_router_id 1
  unicast_fault_no_peer
  dont_track_primary
  virtual_ipaddress {
    10.0.0.1/24
  }
}
vrrp_instance B {
  interface eth0
  virtual_router_id 2
  unicast_fault_no_peer
  unicast_peer {
    10.0.0.9
  }
  virtual_ipaddress {
    10.0.0.2/24
  }
}
`);
    expect(noPeer!.spec).toMatchObject({ faultWithoutPeers: true, ignorePrimaryLink: true });
    expect(withPeer!.spec.faultWithoutPeers).toBeUndefined();
    expect(withPeer!.spec.ignorePrimaryLink).toBeUndefined();
  });
});
