// The typed Config built from a config text: values, defaults, kept settings, cross-checks,
// system checks (through a fake SystemView) and the -t exit status.
import { describe, expect, it } from 'vitest';
import { configTestExitCode } from '../../src/cli/config-test.js';
import { loadConfigText } from '../../src/config/load.js';
import type { SystemView } from '../../src/config/validate-system.js';

const load = (text: string, system: SystemView | null = null) => loadConfigText(text, '/etc/keepalived/test.conf', { system, configId: 'node' });
const codesOf = (text: string, system: SystemView | null = null) => load(text, system).diagnostics.map((d) => d.code);

const FULL = `
global_defs {
  router_id LB1
  vrrp_garp_master_delay 2
  enable_script_security
  script_user nobody
}
vrrp_script chk_haproxy {
  script "/usr/bin/pgrep haproxy"
  interval 2
  weight -20
  fall 2
}
track_file maint { file /run/maint }
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 150
  advert_int 1
  nopreempt
  authentication {
    auth_type PASS
    auth_pass secret123456
  }
  unicast_src_ip 10.0.0.2
  unicast_peer {
    10.0.0.3
  }
  virtual_ipaddress {
    10.0.0.100/24 dev eth0 label eth0:vip
  }
  virtual_ipaddress_excluded {
    2001:db8::100
  }
  virtual_routes {
    10.9.0.0/16 via 10.0.0.1 dev eth0
  }
  track_script {
    chk_haproxy weight -30
  }
  track_file {
    maint weight 1 reverse
  }
  track_interface {
    eth1 weight 10
  }
  notify_master "/etc/keepalived/master.sh arg" root
  garp_master_refresh 60
  use_vmac
}
vrrp_sync_group G1 {
  group {
    VI_1
  }
}
virtual_server_group WEB {
  10.0.0.100 80
  10.0.0.101-110 80
  fwmark 5
}
virtual_server group WEB {
  delay_loop 6
  lb_algo wrr
  lb_kind DR
  protocol TCP
  persistence_timeout
  sorry_server 10.0.1.9 80
  quorum 2
  real_server 10.0.1.1 80 {
    weight 3
    inhibit_on_failure
    HTTP_GET {
      url {
        path /health
        status_code 200-299
      }
      connect_timeout 2.5
      retry 2
    }
    MISC_CHECK {
      misc_path "/usr/local/bin/check.sh 10.0.1.1"
      misc_dynamic
    }
  }
}
static_routes {
  10.8.0.0/16 via 10.0.0.1 dev eth0
}
`;

describe('typed Config', () => {
  const { config, diagnostics } = load(FULL);

  it('loads a full config without errors', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
  it('reads global_defs with defaults for what is not given', () => {
    expect(config.global).toMatchObject({ routerId: 'LB1', vrrpGarpMasterDelay: 2, vrrpGarpMasterRepeat: 5, enableScriptSecurity: true, scriptUser: { user: 'nobody' }, vrrpVersion: 2 });
  });
  it('reads a vrrp_instance with every VRRP setting', () => {
    const vi = config.vrrpInstances[0]!;
    expect(vi).toMatchObject({
      name: 'VI_1', initialState: 'BACKUP', interface: 'eth0', virtualRouterId: 51, priority: 150, advertInterval: 1, version: 2, family: 'inet',
      preempt: false, authentication: { type: 'PASS', password: 'secret12' }, unicastSourceIp: '10.0.0.2',
      unicastPeers: [{ address: '10.0.0.3', family: 'inet' }],
      virtualAddresses: [{ address: '10.0.0.100', prefixLength: 24, dev: 'eth0', label: 'eth0:vip' }],
      excludedAddresses: [{ address: '2001:db8::100', family: 'inet6' }],
      virtualRoutes: [{ destination: '10.9.0.0', via: '10.0.0.1', dev: 'eth0' }],
      trackScripts: [{ name: 'chk_haproxy', weight: -30, reverse: false }],
      trackFiles: [{ name: 'maint', weight: 1, reverse: true }],
      trackInterfaces: [{ name: 'eth1', weight: 10 }],
      notify: { master: { command: '/etc/keepalived/master.sh arg', user: 'root' } },
      garp: { masterDelay: 2, masterRepeat: 5, masterRefresh: 60, masterRefreshRepeat: 1 },
      useVmac: [], accept: true, strict: false,
    });
  });
  it('keeps every given keyword in settings, and reports none the daemon acts on', () => {
    expect(config.vrrpInstances[0]!.settings['use_vmac']).toEqual([]);
    expect(diagnostics.filter((d) => d.code === 'KTS_NOT_IMPLEMENTED')).toEqual([]);
  });
  it('reads scripts, track files and sync groups', () => {
    expect(config.vrrpScripts[0]).toMatchObject({ name: 'chk_haproxy', script: { command: '/usr/bin/pgrep haproxy' }, interval: 2, weight: -20, fall: 2, rise: 1 });
    expect(config.trackFiles[0]).toMatchObject({ name: 'maint', file: '/run/maint', weight: 1 });
    expect(config.vrrpSyncGroups[0]).toMatchObject({ name: 'G1', members: ['VI_1'] });
  });
  it('reads virtual servers with groups, sorry server, quorum, real servers and checkers', () => {
    expect(config.virtualServerGroups[0]!.members).toHaveLength(3);
    const vs = config.virtualServers[0]!;
    expect(vs).toMatchObject({
      service: { kind: 'group', group: 'WEB' }, scheduler: 'wrr', forwarding: 'DR', protocol: 'TCP', persistenceTimeout: 360, delayLoop: 6, quorum: 2,
      sorryServer: { kind: 'address', address: '10.0.1.9', port: 80 },
    });
    const rs = vs.realServers[0]!;
    expect(rs).toMatchObject({ address: '10.0.1.1', port: 80, weight: 3, inhibitOnFailure: true });
    expect(rs.checkers.map((c) => c.kind)).toEqual(['HTTP_GET', 'MISC_CHECK']);
    expect(rs.checkers[0]).toMatchObject({ connectTimeout: 2.5, retry: 2, urls: [{ path: '/health', statusCodes: ['200-299'] }] });
    expect(rs.checkers[1]).toMatchObject({ miscPath: { command: '/usr/local/bin/check.sh 10.0.1.1' }, miscDynamic: true });
  });
  it('reads static routes', () => {
    expect(config.staticRoutes).toEqual([expect.objectContaining({ destination: '10.8.0.0', dev: 'eth0' })]);
  });
  it('serialises to JSON (what -d prints)', () => {
    expect(JSON.parse(JSON.stringify(config)).vrrpInstances[0].name).toBe('VI_1');
  });
});

const vi = (name: string, body: string) => `vrrp_instance ${name} {\n${body}\n}\n`;
const basic = (name: string, extra = '', vrid = 51, iface = 'eth0') =>
  vi(name, ` interface ${iface}\n virtual_router_id ${vrid}\n virtual_ipaddress {\n  10.0.0.1\n }\n${extra}`);

describe('VRRP semantics', () => {
  it('rounds a v2 advert_int to whole seconds and keeps 10 ms steps in v3', () => {
    const v2 = load(basic('A', ' advert_int 0.5'));
    expect(v2.config.vrrpInstances[0]!.advertInterval).toBe(1);
    expect(v2.diagnostics.map((d) => d.code)).toEqual(['KTS_ADVERT_INT_ROUNDED']);
    const v3 = load(basic('A', ' advert_int 0.456\n version 3'));
    expect(v3.config.vrrpInstances[0]!.advertInterval).toBe(0.46);
    expect(v3.diagnostics.map((d) => d.code)).toEqual(['KTS_ADVERT_INT_ROUNDED']);
    expect(load(basic('A', ' advert_int 0.45\n version 3')).diagnostics).toEqual([]);
  });
  it('forces IPv6 instances to version 3', () => {
    const text = vi('A', ' interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n  2001:db8::1\n }');
    expect(load(text).config.vrrpInstances[0]).toMatchObject({ family: 'inet6', version: 3 });
  });
  it('requires virtual_router_id and interface', () => {
    expect(codesOf(vi('A', ' virtual_ipaddress {\n  10.0.0.1\n }'))).toEqual(['KTS_MISSING_REQUIRED', 'KTS_MISSING_REQUIRED']);
  });
  it('warns about an instance without VIPs unless no_virtual_ipaddress says so', () => {
    expect(codesOf(vi('A', ' interface eth0\n virtual_router_id 5'))).toEqual(['KTS_NO_VIPS']);
    expect(codesOf(vi('A', ' interface eth0\n virtual_router_id 5\n no_virtual_ipaddress'))).toEqual(['KTS_NOT_IN_KEEPALIVED_227']);
  });
  it('ignores promote_secondaries with use_vmac, saying so like keepalived', () => {
    expect(codesOf(basic('A', ' use_vmac\n promote_secondaries')).filter((c) => c !== 'KTS_NOT_IMPLEMENTED')).toEqual(['KTS_IGNORED_SETTING']);
  });
  it('truncates auth_pass to 8 characters, saying so', () => {
    const { config, diagnostics } = load(basic('A', ' authentication {\n  auth_type PASS\n  auth_pass 1234567890\n }'));
    expect(diagnostics.map((d) => d.code)).toEqual(['KTS_VALUE_TRUNCATED']);
    expect(config.vrrpInstances[0]!.authentication).toEqual({ type: 'PASS', password: '12345678' });
  });
  it('ignores VIPs of the other family and unicast settings that cannot apply', () => {
    const mixed = load(vi('A', ' interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n  10.0.0.1\n  2001:db8::5\n }'));
    expect(mixed.diagnostics.map((d) => d.code)).toEqual(['KTS_ADDRESS_FAMILY']);
    expect(mixed.config.vrrpInstances[0]!.virtualAddresses.map((a) => a.address)).toEqual(['10.0.0.1']);
    expect(codesOf(basic('A', ' unicast_src_ip 2001:db8::1\n unicast_peer {\n  10.0.0.3\n }'))).toEqual(['KTS_UNICAST_FAMILY']);
    expect(codesOf(basic('A', ' unicast_ttl 5'))).toEqual(['KTS_UNICAST_NO_PEERS']);
    expect(codesOf(basic('A', ' unicast_src_ip 10.0.0.5'))).toEqual(['KTS_UNICAST_NO_PEERS']);
    expect(codesOf(basic('A', ' unicast_peer {\n }'))).toEqual(['KTS_UNICAST_NO_PEERS']);
    expect(codesOf(basic('A', ' unicast_src_ip 10.0.0.5\n unicast_fault_no_peer')).filter((c) => c !== 'KTS_NOT_IMPLEMENTED')).toEqual([]);
  });
  it('reads weights of vrrp_script within -253..253 with reverse', () => {
    const ok = load('vrrp_script s {\n script /bin/true\n weight -253 reverse\n}\n');
    expect(ok.config.vrrpScripts[0]).toMatchObject({ weight: -253, weightReverse: true });
    expect(codesOf('vrrp_script s {\n script /bin/true\n weight 300\n}\n')).toEqual(['KTS_OUT_OF_RANGE']);
    expect(codesOf('vrrp_script s {\n script /bin/true\n weight 3 sideways\n}\n')).toEqual(['KTS_INVALID_VALUE']);
  });
  it('drops weighted trackers of the address owner, as keepalived', () => {
    const script = 'vrrp_script s {\n script /bin/true\n weight 2\n}\n';
    const owner = load(script + basic('A', ' priority 255\n track_script {\n  s\n }\n track_interface {\n  eth1\n  eth2 weight 3\n }'));
    expect(owner.diagnostics.map((d) => d.code)).toEqual(['KTS_IGNORED_SETTING', 'KTS_IGNORED_SETTING']);
    expect(owner.config.vrrpInstances[0]!.trackScripts).toEqual([]);
    expect(owner.config.vrrpInstances[0]!.trackInterfaces.map((t) => t.name)).toEqual(['eth1']);
  });
  it('cuts tracked script and interface weights of ±254 to ±253, but not track_file ones', () => {
    const text = 'track_file f {\n file /tmp/x\n}\n' + basic('A', ' track_interface {\n  eth1 weight -254\n }\n track_file {\n  f weight 254\n }');
    const { config, diagnostics } = load(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['KTS_VALUE_TRUNCATED']);
    expect(config.vrrpInstances[0]!.trackInterfaces[0]!.weight).toBe(-253);
    expect(config.vrrpInstances[0]!.trackFiles[0]!.weight).toBe(254);
  });
  it('clears preempt_delay with state MASTER', () => {
    expect(codesOf(basic('A', ' state MASTER\n preempt_delay 10'))).toEqual(['KTS_IGNORED_SETTING']);
    expect(load(basic('A', ' state MASTER\n preempt_delay 10')).config.vrrpInstances[0]!.preemptDelay).toBe(0);
    expect(load(basic('A', ' preempt_delay 10')).config.vrrpInstances[0]!.preemptDelay).toBe(10);
    const withNopreempt = load(basic('A', ' nopreempt\n preempt_delay 10'));
    expect(withNopreempt.diagnostics.map((d) => d.code)).toEqual(['KTS_IGNORED_SETTING']);
    expect(withNopreempt.config.vrrpInstances[0]!.preemptDelay).toBe(0);
    expect(codesOf(basic('A', ' state BACKUP\n preempt_delay 10'))).toEqual([]);
  });
  it('ignores weighted trackers of sync group members unless the group allows them', () => {
    const script = 'vrrp_script s {\n script /bin/true\n weight 2\n}\n';
    const group = (extra = '') => `vrrp_sync_group G {\n group {\n  A\n  B\n }\n${extra}}\n`;
    const members = basic('A', ' track_script {\n  s\n }\n track_interface {\n  eth1 weight 5\n  eth2\n }') + basic('B', '', 52);
    expect(codesOf(script + members + group())).toEqual(['KTS_IGNORED_SETTING', 'KTS_IGNORED_SETTING']);
    expect(codesOf(script + members + group(' sync_group_tracking_weight\n'))).toEqual([]);
    expect(codesOf(script.replace('weight 2', 'weight 0') + basic('A', ' track_script {\n  s\n }') + basic('B', '', 52) + group())).toEqual([]);
  });
  it('clears nopreempt with state MASTER', () => {
    const { config, diagnostics } = load(basic('A', ' state MASTER\n nopreempt'));
    expect(diagnostics.map((d) => d.code)).toEqual(['KTS_NOPREEMPT_MASTER']);
    expect(config.vrrpInstances[0]!.preempt).toBe(true);
  });
  it('finds VRID collisions per interface and family only', () => {
    expect(codesOf(basic('A') + basic('B'))).toEqual(['KTS_VRID_CONFLICT']);
    expect(codesOf(basic('A') + basic('B', '', 51, 'eth1'))).toEqual([]);
    expect(codesOf(basic('A') + basic('B', '', 52))).toEqual([]);
  });
  it('lets instances share a VRID when they cannot hear each other, as keepalived does', () => {
    const unicast = (name: string, peer: string, src = '10.0.0.5') => basic(name, ` unicast_src_ip ${src}\n unicast_peer {\n  ${peer}\n }`);
    expect(codesOf(unicast('A', '10.0.0.6') + unicast('B', '10.0.0.7'))).toEqual([]);
    expect(codesOf(unicast('A', '10.0.0.6') + unicast('B', '10.0.0.6'))).toEqual(['KTS_VRID_CONFLICT']);
    expect(codesOf(unicast('A', '10.0.0.6') + unicast('B', '10.0.0.6', '10.0.0.4'))).toEqual([]);
    expect(codesOf(unicast('A', '10.0.0.6') + basic('B'))).toEqual([]);
    expect(codesOf(basic('A', ' mcast_dst_ip 224.0.0.19') + basic('B'))).toEqual(['KTS_NOT_IMPLEMENTED']);
    expect(codesOf(basic('A', ' mcast_dst_ip 224.0.0.19') + basic('B', ' mcast_dst_ip 224.0.0.19'))).toEqual(['KTS_NOT_IMPLEMENTED', 'KTS_VRID_CONFLICT']);
  });
  it('refuses a second instance of the same name', () => {
    expect(codesOf(basic('A') + basic('A', '', 52))).toEqual(['KTS_DUPLICATE_NAME']);
  });
  it('skips unicast peers of the other family', () => {
    const { config, diagnostics } = load(basic('A', ' unicast_peer {\n  2001:db8::1\n }'));
    expect(diagnostics.map((d) => d.code)).toEqual(['KTS_UNICAST_FAMILY', 'KTS_UNICAST_NO_PEERS']);
    expect(config.vrrpInstances[0]!.unicastPeers).toEqual([]);
  });
  it('reports strict-mode conflicts like the shipped default config', () => {
    const text = 'global_defs {\n vrrp_strict\n}\n' + basic('A', ' state MASTER\n authentication {\n  auth_type PASS\n  auth_pass x\n }');
    expect(codesOf(text)).toEqual(['KTS_STRICT_CONFLICT', 'KTS_STRICT_CONFLICT']);
    expect(load(text).diagnostics.map((d) => d.severity)).toEqual(['warning', 'warning']);
    expect(load(text).config.vrrpInstances[0]!.accept).toBe(false);
  });
  it('runs a strict-mode conflict as keepalived 2.2.7 does: no authentication, MASTER starts as BACKUP', () => {
    const text = 'global_defs {\n vrrp_strict\n}\n' + basic('A', ' state MASTER\n authentication {\n  auth_type PASS\n  auth_pass x\n }');
    const instance = load(text).config.vrrpInstances[0]!;
    expect(instance.authentication).toBeUndefined();
    expect(instance.initialState).toBe('BACKUP');
    expect(load('global_defs {\n vrrp_strict\n}\n' + basic('A', ' state MASTER\n priority 255')).config.vrrpInstances[0]!.initialState).toBe('MASTER');
  });
  it('warns, without failing -t, about unicast peers in strict mode (keepalived 2.2.7 is silent)', () => {
    const text = 'global_defs {\n vrrp_strict\n}\n' + basic('A', ' unicast_peer {\n  10.0.0.2\n }');
    expect(codesOf(text)).toEqual(['KTS_STRICT_UNICAST']);
  });
  it('warns, at the keyword and without failing -t, about an nftables name nft could not read as a plain identifier', () => {
    const text = (name: string) => `global_defs {\n nftables ${name}\n}\n` + basic('A', ' no_accept');
    const [warning] = load(text('"x; flush ruleset"')).diagnostics;
    expect(warning).toMatchObject({ code: 'KTS_NFTABLES_NAME', severity: 'warning', file: '/etc/keepalived/test.conf', line: 2, col: 2 });
    expect(configTestExitCode(load(text('"x; flush ruleset"')).diagnostics)).toBe(0);
    expect(codesOf(text('lb_filter.v4'))).toEqual([]);
    expect(codesOf(text('4table'))).toEqual(['KTS_NFTABLES_NAME']);
  });
  it('refuses AH authentication with state MASTER', () => {
    expect(codesOf(basic('A', ' state MASTER\n authentication {\n  auth_type AH\n  auth_pass x\n }'))).toEqual(['KTS_AUTH_AH_MASTER']);
  });
  it('cannot track a virtual route without dev', () => {
    expect(codesOf(basic('A', ' virtual_routes {\n  10.9.0.0/16 via 10.0.0.254\n }'))).toEqual(['KTS_ROUTE_UNTRACKED']);
    expect(codesOf(basic('A', ' virtual_routes {\n  10.9.0.0/16 via 10.0.0.254 no_track\n }'))).toEqual([]);
  });
});

describe('references', () => {
  it('reports tracked scripts, files and processes that do not exist', () => {
    const text = basic('A', ' track_script {\n  nope\n }\n track_file {\n  nofile\n }');
    expect(codesOf(text)).toEqual(['KTS_UNDEFINED_REFERENCE', 'KTS_UNDEFINED_REFERENCE']);
  });
  it('drops a vrrp_script without a script, so tracking it fails', () => {
    const text = 'vrrp_script s {\n interval 2\n}\n' + basic('A', ' track_script {\n  s\n }');
    expect(codesOf(text)).toEqual(['KTS_SCRIPT_WITHOUT_COMMAND', 'KTS_UNDEFINED_REFERENCE']);
  });
  it('reports sync groups with the legacy member list and unknown members', () => {
    expect(codesOf(basic('A') + 'vrrp_sync_group G {\n A\n}\n')).toEqual(['KTS_SYNC_GROUP_BARE_MEMBER', 'KTS_EMPTY_SYNC_GROUP']);
    expect(load(basic('A') + 'vrrp_sync_group G {\n A\n}\n').diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    expect(codesOf(basic('A') + 'vrrp_sync_group G {\n group {\n  A\n  B\n }\n}\n')).toEqual(['KTS_UNDEFINED_REFERENCE']);
    expect(codesOf(basic('A') + 'vrrp_sync_group G {\n group {\n  A\n }\n}\n')).toEqual(['KTS_SYNC_GROUP_SINGLE']);
  });
  it('reports a virtual_server naming a missing group, and defaulted method/scheduler', () => {
    const rs = ' real_server 10.0.0.2 80 {\n  weight 1\n }\n';
    expect(codesOf(`virtual_server group NOPE {\n lvs_sched rr\n lvs_method NAT\n protocol TCP\n${rs}}\n`)).toEqual(['KTS_VS_GROUP_UNDEFINED']);
    expect(codesOf(`virtual_server_group G {\n}\nvirtual_server group G {\n lvs_sched rr\n lvs_method NAT\n protocol TCP\n${rs}}\n`)).toEqual(['KTS_EMPTY_VS_GROUP', 'KTS_VS_GROUP_UNDEFINED']);
    expect(codesOf(`virtual_server 10.0.0.1 80 {\n protocol TCP\n${rs}}\n`)).toEqual(['KTS_VS_DEFAULTED']);
    expect(codesOf(`virtual_server fwmark 1 {\n lvs_sched rr\n lvs_method DR\n protocol TCP\n${rs}}\n`)).toEqual(['KTS_VS_FWMARK_PROTOCOL']);
    expect(codesOf('virtual_server 10.0.0.1 80 {\n lvs_sched rr\n lvs_method DR\n protocol TCP\n}\n')).toEqual(['KTS_VS_NO_REAL_SERVERS']);
    const udp = load(`virtual_server 10.0.0.1 53 {\n lvs_sched rr\n lvs_method DR\n${rs}}\n`);
    expect(udp.diagnostics.map((d) => d.code)).toEqual(['KTS_VS_DEFAULTED']);
    expect(udp.config.virtualServers[0]!.protocol).toBe('UDP');
  });
  it('reads lvs_method and scheduler words exactly as keepalived (case matters), protocol in any case', () => {
    const rs = ' real_server 10.0.0.2 80 {\n  weight 1\n }\n';
    expect(codesOf(`virtual_server 10.0.0.1 80 {\n lvs_sched RR\n lvs_method DR\n${rs}}\n`)).toEqual(['KTS_INVALID_VALUE', 'KTS_VS_DEFAULTED']);
    expect(codesOf(`virtual_server 10.0.0.1 80 {\n lvs_sched rr\n lvs_method dr\n${rs}}\n`)).toEqual(['KTS_INVALID_VALUE', 'KTS_VS_DEFAULTED']);
    const tun = load(`virtual_server 10.0.0.1 80 {\n lvs_sched rr\n lvs_method TUN type gue port 6080\n protocol udp\n${rs}}\n`);
    expect(tun.diagnostics).toEqual([]);
    expect(tun.config.virtualServers[0]).toMatchObject({ forwarding: 'TUN type gue port 6080', protocol: 'UDP' });
  });
  it('lowers a quorum above the total weight and a hysteresis not below quorum, like keepalived', () => {
    const service = (settings: string, weight = 1) =>
      `virtual_server 10.0.0.1 80 {\n lvs_sched rr\n lvs_method DR\n protocol TCP\n${settings}\n real_server 10.0.0.2 80 {\n  weight ${weight}\n }\n}\n`;
    expect(codesOf(service(' quorum 3'))).toEqual(['KTS_QUORUM_ADJUSTED']);
    expect(codesOf(service(' quorum 2\n hysteresis 2', 5))).toEqual(['KTS_QUORUM_ADJUSTED']);
    expect(codesOf(service(' quorum 2\n hysteresis 1', 5))).toEqual([]);
    expect(codesOf(service('', 0))).toEqual(['KTS_QUORUM_ADJUSTED', 'KTS_QUORUM_ADJUSTED']);
  });
  it('ignores an HTTP_GET without url', () => {
    const text = 'virtual_server 10.0.0.1 80 {\n lvs_sched rr\n lvs_method DR\n protocol TCP\n real_server 10.0.0.2 80 {\n  HTTP_GET {\n   connect_timeout 3\n  }\n }\n}\n';
    expect(codesOf(text)).toEqual(['KTS_CHECKER_NO_URL']);
  });
});

/** A fake machine: eth0 exists, lo is loopback, scripts live in a map of path → ownership. */
function fakeSystem(files: Record<string, { uid: number; mode: number; gid?: number }>, users: Record<string, number> = { root: 0, nobody: 65534 }): SystemView {
  return {
    interfaceExists: (name) => name === 'eth0' || name === 'lo',
    isLoopback: (name) => name === 'lo',
    findExecutable: (command) => (command in files ? command : undefined),
    stat: (path) => (files[path] ? { uid: files[path]!.uid, gid: files[path]!.gid ?? 0, mode: files[path]!.mode } : { uid: 0, gid: 0, mode: 0o40755 }),
    userId: (user) => users[user],
  };
}

describe('system checks', () => {
  const script = 'vrrp_script chk {\n script "/usr/local/bin/chk arg"\n}\n';
  const tracked = basic('A', ' track_script {\n  chk\n }');
  it('reports interfaces that do not exist and loopback interfaces', () => {
    expect(codesOf(basic('A', '', 51, 'eth9'), fakeSystem({}))).toEqual(['KTS_INTERFACE_MISSING']);
    expect(codesOf(basic('A', ' track_interface {\n  eth7\n }'), fakeSystem({}))).toEqual(['KTS_INTERFACE_MISSING']);
    expect(codesOf(basic('A').replace('10.0.0.1', '10.0.0.1 dev eth8'), fakeSystem({}))).toEqual(['KTS_INTERFACE_MISSING']);
    const stat = load('static_ipaddress {\n 10.0.0.5/24 dev eth9\n}\n', fakeSystem({})).diagnostics;
    expect(stat).toEqual([expect.objectContaining({ code: 'KTS_INTERFACE_MISSING', line: 2, col: 2 })]);
    expect(codesOf(basic('A', '', 51, 'lo'), fakeSystem({}))).toEqual(['KTS_INTERFACE_LOOPBACK']);
  });
  it('wants script security once scripts exist, even vrrp_scripts no instance tracks', () => {
    const withScript = fakeSystem({ '/usr/local/bin/chk': { uid: 0, mode: 0o100755 } });
    expect(codesOf(script + tracked, withScript)).toEqual(['KTS_SCRIPT_SECURITY']);
    expect(codesOf(script + basic('A'), withScript)).toEqual(['KTS_SCRIPT_SECURITY']);
    expect(codesOf(basic('A', ' notify_master /usr/local/bin/chk'), withScript)).toEqual(['KTS_SCRIPT_SECURITY']);
  });
  it('ignores vrrp_scripts when no vrrp_instance runs', () => {
    expect(codesOf(script, fakeSystem({ '/usr/local/bin/chk': { uid: 0, mode: 0o100755 } }))).toEqual([]);
  });
  it('disables a missing vrrp_script loudly but drops a missing notify script quietly, like keepalived', () => {
    expect(codesOf(script + tracked, fakeSystem({}))).toEqual(['KTS_VRRP_SCRIPT_NOT_FOUND']);
    expect(codesOf(basic('A', ' notify_master /nonexistent'), fakeSystem({}))).toEqual(['KTS_SCRIPT_NOT_FOUND']);
  });
  it('needs the script user to exist (default keepalived_script)', () => {
    const system = fakeSystem({ '/usr/local/bin/chk': { uid: 0, mode: 0o100755 } });
    expect(codesOf('global_defs {\n enable_script_security\n}\n' + script + tracked, system)).toEqual(['KTS_SCRIPT_USER_UNKNOWN']);
    expect(codesOf('global_defs {\n enable_script_security\n script_user nobody\n}\n' + script + tracked, system)).toEqual([]);
  });
  it('refuses root scripts that non-root users can change', () => {
    const global = 'global_defs {\n enable_script_security\n script_user root\n}\n';
    const writable = fakeSystem({ '/usr/local/bin/chk': { uid: 0, mode: 0o100777 } });
    expect(codesOf(global + script + tracked, writable)).toEqual(['KTS_SCRIPT_INSECURE']);
    const foreign = fakeSystem({ '/usr/local/bin/chk': { uid: 1000, mode: 0o100755 } });
    expect(codesOf(global + script + tracked, foreign)).toEqual(['KTS_SCRIPT_INSECURE']);
    const safe = fakeSystem({ '/usr/local/bin/chk': { uid: 0, mode: 0o100755 } });
    expect(codesOf(global + script + tracked, safe)).toEqual([]);
    const rootGroupWritable = fakeSystem({ '/usr/local/bin/chk': { uid: 0, gid: 0, mode: 0o100775 } });
    expect(codesOf(global + script + tracked, rootGroupWritable)).toEqual([]);
    const staffWritable = fakeSystem({ '/usr/local/bin/chk': { uid: 0, gid: 50, mode: 0o100775 } });
    expect(codesOf(global + script + tracked, staffWritable)).toEqual(['KTS_SCRIPT_INSECURE']);
    const inStickyTmp = fakeSystem({ '/tmp/chk': { uid: 0, mode: 0o100755 }, '/tmp': { uid: 0, mode: 0o41777 } });
    expect(codesOf(global + script.replace('/usr/local/bin/chk', '/tmp/chk') + tracked, inStickyTmp)).toEqual([]);
  });
});

describe('-t exit status', () => {
  const at = { file: 'f', line: 1, col: 1 };
  it('is 0 without keepalived-reported problems, 5 with, 6 for script security, 3 for an unreadable file', () => {
    expect(configTestExitCode([])).toBe(0);
    expect(configTestExitCode([{ ...at, severity: 'warning', code: 'KTS_NOT_IMPLEMENTED', message: '' }])).toBe(0);
    expect(configTestExitCode([{ ...at, severity: 'warning', code: 'KTS_VS_DEFAULTED', message: '' }])).toBe(5);
    expect(configTestExitCode([{ ...at, severity: 'error', code: 'KTS_UNCLOSED_BLOCK', message: '' }])).toBe(5);
    expect(configTestExitCode([{ ...at, severity: 'error', code: 'KTS_UNKNOWN_KEYWORD', message: '' }, { ...at, severity: 'error', code: 'KTS_SCRIPT_SECURITY', message: '' }])).toBe(6);
    expect(configTestExitCode([{ ...at, severity: 'error', code: 'KTS_FILE_UNREADABLE', message: '' }])).toBe(3);
  });
});
