// Configs this project writes, one per behaviour, each checked by Debian's `keepalived -t` and by
// `keepalived-ts -t` in the same namespace (with eth0 and eth1): the exit statuses must agree.
// This pins each diagnostic that changes the exit status to what keepalived 2.2.7 really does.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const NAMESPACE = `ktscs-written-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'ktscs-written-'));

const vi = (body: string, name = 'VI_1', vrid = 51) =>
  `vrrp_instance ${name} {\n interface eth0\n virtual_router_id ${vrid}\n priority 100\n virtual_ipaddress {\n  10.0.0.1/24\n }\n${body}\n}\n`;
const vs = (body: string, check = 'TCP_CHECK {\n connect_timeout 3\n }') =>
  `virtual_server 10.0.0.1 80 {\n delay_loop 6\n${body}\n real_server 10.0.0.2 80 {\n weight 1\n ${check}\n }\n}\n`;
const lvs = ' lb_algo rr\n lb_kind DR\n protocol TCP';

/** Root-owned copies of /bin/true with these modes, made in beforeAll, for script security. */
const SCRIPT_MODES = { 'script-755': 0o755, 'script-775': 0o775, 'script-757': 0o757 } as const;
const secured = (script: keyof typeof SCRIPT_MODES) =>
  `global_defs {\n enable_script_security\n script_user root\n}\nvrrp_script s {\n script "${join(dir, script)}"\n}\n` + vi(' track_script {\n  s\n }');

/** name → config text. Expected statuses come from keepalived itself at run time. */
const CASES: Record<string, string> = {
  'empty file': '',
  'minimal instance': vi(''),
  'unknown keyword': vi(' virtual_routerid 5'),
  'unknown block': 'global_defs {\n foo {\n  router_id x\n }\n}\n',
  'priority out of range': vi(' priority 0'),
  'extra argument ignored': vi(' priority 10 20'),
  'duplicate setting': vi(' priority 50\n priority 60'),
  'invalid boolean': vi(' smtp_alert maybe'),
  'v2 sub-second advert_int': vi(' advert_int 0.5'),
  'v3 sub-second advert_int': vi(' advert_int 0.5\n version 3'),
  'missing virtual_router_id': 'vrrp_instance X {\n interface eth0\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n',
  'missing interface': 'vrrp_instance X {\n virtual_router_id 5\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n',
  'interface absent': vi('').replace('interface eth0', 'interface eth9'),
  'no VIPs': 'vrrp_instance X {\n interface eth0\n virtual_router_id 5\n}\n',
  'nopreempt with MASTER': vi(' state MASTER\n nopreempt'),
  'nopreempt with BACKUP': vi(' state BACKUP\n nopreempt'),
  'VRID collision': vi('') + vi('', 'VI_2'),
  'same VRID unicast to other peers': vi(' unicast_src_ip 10.0.0.5\n unicast_peer {\n  10.0.0.6\n }') + vi(' unicast_src_ip 10.0.0.5\n unicast_peer {\n  10.0.0.7\n }', 'VI_2'),
  'same VRID unicast to the same peer': vi(' unicast_src_ip 10.0.0.5\n unicast_peer {\n  10.0.0.6\n }') + vi(' unicast_src_ip 10.0.0.5\n unicast_peer {\n  10.0.0.6\n }', 'VI_2'),
  'same VRID unicast and multicast': vi(' unicast_src_ip 10.0.0.5\n unicast_peer {\n  10.0.0.6\n }') + vi('', 'VI_2'),
  'same VRID other multicast group': vi(' mcast_dst_ip 224.0.0.19') + vi('', 'VI_2'),
  'same VRID other interface': vi('') + vi('', 'VI_2').replace('interface eth0', 'interface eth1'),
  'duplicate instance name': vi('') + vi('', 'VI_1', 52),
  'unicast peer other family': vi(' unicast_src_ip 10.0.0.5\n unicast_peer {\n  2001:db8::1\n }'),
  'unicast_src_ip without peers': vi(' unicast_src_ip 10.0.0.5'),
  'empty unicast_peer block': vi(' unicast_peer {\n }'),
  'check_unicast_src without peers': vi(' check_unicast_src'),
  'unicast_fault_no_peer': vi(' unicast_src_ip 10.0.0.5\n unicast_fault_no_peer'),
  'unicast peers ok': vi(' unicast_src_ip 10.0.0.5\n unicast_peer {\n  10.0.0.6\n }'),
  'bad VIP': vi('').replace('10.0.0.1/24', '10.0.0.300'),
  'missing track script': vi(' track_script {\n  nope\n }'),
  'vrrp_script without script': 'vrrp_script s {\n interval 2\n}\n' + vi(' track_script {\n  s\n }'),
  'unused vrrp_script': 'vrrp_script s {\n script "/bin/true"\n}\n' + vi(''),
  'script without security': 'vrrp_script s {\n script "/bin/true"\n}\n' + vi(' track_script {\n  s\n }'),
  'missing notify script': vi(' notify_master /nonexistent/notify.sh'),
  'notify without security': vi(' notify_master /bin/true'),
  'security with unknown default user': 'global_defs {\n enable_script_security\n}\nvrrp_script s {\n script "/bin/true"\n}\n' + vi(' track_script {\n  s\n }'),
  'security with root user': 'global_defs {\n enable_script_security\n script_user root\n}\nvrrp_script s {\n script "/bin/true"\n}\n' + vi(' track_script {\n  s\n }'),
  'legacy sync group members': vi('') + 'vrrp_sync_group G {\n VI_1\n}\n',
  'sync group of one': vi('') + 'vrrp_sync_group G {\n group {\n  VI_1\n }\n}\n',
  'v3 advert_int off the 10 ms grid': vi(' version 3\n advert_int 0.456'),
  'v3 advert_int on the 10 ms grid': vi(' version 3\n advert_int 0.45'),
  'address owner with a weighted tracker': vi(' track_interface {\n  eth1 weight 5\n }').replace('priority 100', 'priority 255'),
  'address owner with an unweighted tracker': vi(' track_interface {\n  eth1\n }').replace('priority 100', 'priority 255'),
  'tracked interface weight 254': vi(' track_interface {\n  eth1 weight 254\n }'),
  'tracked interface weight 253': vi(' track_interface {\n  eth1 weight -253\n }'),
  'track_file weight 254': 'track_file f {\n file /tmp/x\n}\n' + vi(' track_file {\n  f weight 254\n }'),
  'preempt_delay with nopreempt': vi(' nopreempt\n preempt_delay 10'),
  'preempt_delay with MASTER': vi(' state MASTER\n preempt_delay 10'),
  'weighted trackers in a sync group': vi(' track_interface {\n  eth1 weight 5\n }') + vi('', 'VI_2', 52) + 'vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n',
  'weighted trackers allowed in a sync group': vi(' track_interface {\n  eth1 weight 5\n }') + vi('', 'VI_2', 52) + 'vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n sync_group_tracking_weight\n}\n',
  'sync group of two': vi('') + vi('', 'VI_2', 52) + 'vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n',
  'vrrp_script program missing': 'vrrp_script s {\n script "/nonexistent/check"\n}\n' + vi(''),
  'vrrp_script without any instance': 'vrrp_script s {\n script "/bin/true"\n}\n',
  'empty virtual_server_group': 'virtual_server_group G {\n}\n' + vs(lvs).replace('10.0.0.1 80', 'group G'),
  'removed keyword lvs_id': 'global_defs {\n lvs_id LVS1\n}\n',
  'parsed-only keywords': vi(' promote_secondaries\n use_vmac') + 'global_defs {\n vrrp_priority -5\n lvs_flush\n}\n',
  'strict with auth': 'global_defs {\n vrrp_strict\n}\n' + vi(' authentication {\n  auth_type PASS\n  auth_pass x\n }'),
  'AH with MASTER': vi(' state MASTER\n authentication {\n  auth_type AH\n  auth_pass x\n }'),
  'garp interval 0': 'global_defs {\n vrrp_garp_interval 0\n}\n',
  'virtual route without dev': vi(' virtual_routes {\n  10.9.0.0/16 via 10.0.0.254\n }'),
  'virtual route gw': vi(' virtual_routes {\n  10.9.0.0/16 gw 10.0.0.254 dev eth0\n }'),
  'rule without preference': vi(' virtual_rules {\n  from 10.0.0.0/24 table 5\n }'),
  'rule with preference': vi(' virtual_rules {\n  from 10.0.0.0/24 table 5 preference 100\n }'),
  'virtual server complete': vs(lvs),
  'virtual server no lb_kind': vs(' lb_algo rr\n protocol TCP'),
  'virtual server aliases and nb_get_retry': vs(lvs, 'HTTP_GET {\n url {\n path /\n status_code 200\n }\n nb_get_retry 3\n }'),
  'fwmark with protocol': vs(lvs).replace('10.0.0.1 80', 'fwmark 1'),
  'missing virtual_server_group': vs(lvs).replace('10.0.0.1 80', 'group NOPE'),
  'virtual_server_group': 'virtual_server_group G {\n 10.0.0.1 80\n 10.0.0.10-20 80\n}\n' + vs(lvs).replace('10.0.0.1 80', 'group G'),
  'misc check without security': vs(lvs, 'MISC_CHECK {\n misc_path "/bin/true"\n }'),
  'unclosed block': 'global_defs {\n router_id x\n',
  'tracked interface absent': vi(' track_interface {\n  eth9\n }'),
  'VIP dev absent': vi('').replace('10.0.0.1/24', '10.0.0.1/24 dev eth9'),
  'static address dev absent': 'static_ipaddress {\n 10.0.0.5/24 dev eth9\n}\n',
  'static address without dev': 'static_ipaddress {\n 10.0.0.5/24\n}\n',
  'unicast_src_ip other family': vi(' unicast_src_ip 2001:db8::1\n unicast_peer {\n  10.0.0.3\n }'),
  'unicast_ttl without peers': vi(' unicast_ttl 5'),
  'auth_pass over 8 characters': vi(' authentication {\n  auth_type PASS\n  auth_pass 123456789012\n }'),
  'state in lower case': vi(' state master'),
  'boolean in upper case': vi(' smtp_alert ON'),
  'version 4': vi(' version 4'),
  'large garp_master_delay': vi(' garp_master_delay 300'),
  'advert_int too large': vi(' advert_int 300'),
  'VRID 0': vi('').replace('virtual_router_id 51', 'virtual_router_id 0'),
  'priority 255 as BACKUP': vi(' state BACKUP').replace('priority 100', 'priority 255'),
  'vrrp_script weight out of range': 'vrrp_script s {\n script "/nonexistent"\n weight 300\n}\n' + vi(''),
  'track_script weight out of range': vi(' track_script {\n  s weight 300\n }'),
  'scheduler in upper case': vs(lvs.replace('rr', 'RR')),
  'method in lower case': vs(lvs.replace('DR', 'dr')),
  'protocol in lower case': vs(lvs.replace('TCP', 'tcp')),
  'unknown protocol': vs(lvs.replace('TCP', 'ICMP')),
  'delay_loop 0': vs(lvs + '\n delay_loop 0'),
  'real server weight 70000': vs(lvs).replace('weight 1', 'weight 70000'),
  'persistence_timeout 0': vs(lvs + '\n persistence_timeout 0'),
  'persistence_timeout alone': vs(lvs + '\n persistence_timeout'),
  'virtual server without real servers': 'virtual_server 10.0.0.1 80 {\n lb_algo rr\n lb_kind DR\n protocol TCP\n}\n',
  'connect_timeout 0': vs(lvs, 'TCP_CHECK {\n connect_timeout 0\n }'),
  'connect_port 70000': vs(lvs, 'TCP_CHECK {\n connect_port 70000\n }'),
  'negative retry': vs(lvs, 'TCP_CHECK {\n retry -1\n }'),
  'TUN with gue': vs(lvs.replace('DR', 'TUN type gue port 6080')),
  'virtual server without protocol': vs(' lb_algo rr\n lb_kind DR'),
  'quorum above total weight': vs(lvs + '\n quorum 5'),
  'hysteresis equal to quorum': vs(lvs + '\n quorum 1\n hysteresis 1'),
  'real server weight 0': vs(lvs).replace('weight 1', 'weight 0'),
  'vrrp_script fractional interval': 'vrrp_script s {\n script "/nonexistent"\n interval 0.5\n}\n' + vi(''),
  'smtp_connect_timeout too large': 'global_defs {\n smtp_connect_timeout 65535\n}\n',
  'vrrp_startup_delay 0': 'global_defs {\n vrrp_startup_delay 0\n}\n',
  'vrrp_garp_master_repeat large': 'global_defs {\n vrrp_garp_master_repeat 99999\n}\n',
  'checker retry 0 and bind_port 0': vs(lvs, 'TCP_CHECK {\n retry 0\n bind_port 0\n }'),
  'real server retry 0': vs(lvs).replace('weight 1', 'weight 1\n retry 0'),
  'misc_timeout 0': vs(lvs, 'MISC_CHECK {\n misc_path /nonexistent\n misc_timeout 0\n }'),
  'root script 755 under script security': secured('script-755'),
  'root script group-writable by root group': secured('script-775'),
  'root script world-writable': secured('script-757'),
  'lvs_sync_daemon_interface in an instance': vi(' lvs_sync_daemon_interface eth0'),
  'global_tracking in a sync group': vi('') + vi('', 'VI_2', 52) + 'vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n global_tracking\n}\n',
  'vrrp_track_file old name': 'vrrp_track_file F {\n file /tmp/x\n}\n',
  'silent aliases': 'global_defs {\n lvs_flush_onstop\n lvs_process_name x\n enable_snmp_keepalived\n vrrp_rlimit_rtime 1000\n}\n',
  'keyword newer than 2.2.7': 'global_defs {\n state_dump_file /tmp/state\n}\n',
  'instance keyword newer than 2.2.7': vi(' owner_ignore_adverts'),
  'promote_secondaries with use_vmac': vi(' use_vmac\n promote_secondaries'),
};

function run(command: string, args: string[]): number {
  return spawnSync('ip', ['netns', 'exec', NAMESPACE, command, ...args], { encoding: 'utf8', timeout: 30_000 }).status ?? -1;
}

describe('written configs: -t exit status agrees with keepalived', () => {
  beforeAll(() => {
    for (const [name, mode] of Object.entries(SCRIPT_MODES)) {
      copyFileSync('/bin/true', join(dir, name));
      chmodSync(join(dir, name), mode);
    }
    execFileSync('ip', ['netns', 'add', NAMESPACE]);
    for (const name of ['eth0', 'eth1']) {
      execFileSync('ip', ['-n', NAMESPACE, 'link', 'add', name, 'type', 'bridge']);
      execFileSync('ip', ['-n', NAMESPACE, 'link', 'set', name, 'up']);
    }
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NAMESPACE]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('covers every exit status keepalived gives for -t', () => {
    const statuses = ['minimal instance', 'unknown keyword', 'script without security'].map((name, i) => {
      const file = join(dir, `probe-${i}.conf`);
      writeFileSync(file, CASES[name]!);
      return run('keepalived', ['-t', '-f', file]);
    });
    expect(statuses).toEqual([0, 5, 6]);
  });

  it('both append the report to FILE with --config-test=FILE and read the config from -f', () => {
    const file = join(dir, 'report-case.conf');
    writeFileSync(file, CASES['unknown keyword']!);
    const theirs = run('keepalived', [`--config-test=${join(dir, 'theirs.log')}`, '-f', file]);
    const ours = run(process.execPath, [join(ROOT, 'bin/keepalived-ts'), `--config-test=${join(dir, 'ours.log')}`, '-f', file]);
    expect(ours).toBe(theirs);
    expect(readFileSync(join(dir, 'theirs.log'), 'utf8')).toMatch(/Unknown keyword 'virtual_routerid'/);
    expect(readFileSync(join(dir, 'ours.log'), 'utf8')).toMatch(/unknown keyword 'virtual_routerid'.*KTS_UNKNOWN_KEYWORD/);
  });

  Object.entries(CASES).forEach(([name, text], index) => {
    it(name, () => {
      const file = join(dir, `case-${index}.conf`);
      writeFileSync(file, text);
      const theirs = run('keepalived', ['-t', '-f', file]);
      const ours = run(process.execPath, [join(ROOT, 'bin/keepalived-ts'), '-t', '-f', file]);
      expect(ours, `keepalived exits ${theirs}`).toBe(theirs);
    });
  });
});
