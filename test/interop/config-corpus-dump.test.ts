// Values, not just exit codes: keepalived 2.2.7 runs briefly with -d in a namespace and dumps what
// it made of a config this project writes; the typed model must hold the same per-instance values
// (version, state, VRID, priority, rounded advert interval, preempt, GARP settings, VIPs, unicast
// peers, tracked script weights) and the same vrrp_script settings.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

const NAMESPACE = `ktscs-dump-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'ktscs-dump-'));

const CONFIG = `global_defs {
  router_id DUMP
  vrrp_garp_master_delay 3
}
vrrp_script chk {
  script "/bin/true"
  interval 3
  weight -7
  fall 2
  rise 4
}
vrrp_instance VI_A {
  state BACKUP
  interface eth0
  virtual_router_id 10
  priority 150
  advert_int 2.4
  nopreempt
  garp_master_repeat 4
  garp_master_refresh 30
  authentication {
    auth_type PASS
    auth_pass 12345678
  }
  virtual_ipaddress {
    10.0.0.1/24 dev eth0 label eth0:1
    10.0.0.3/32 dev eth1
  }
  track_script {
    chk
  }
}
vrrp_instance VI_B {
  state MASTER
  interface eth0
  virtual_router_id 11
  priority 255
  version 3
  advert_int 0.456
  garp_master_delay 7
  unicast_src_ip 10.0.0.5
  unicast_peer {
    10.0.0.6
    10.0.0.7 min_ttl 250
  }
  virtual_ipaddress {
    10.0.0.2
  }
  track_script {
    chk weight 20
  }
}
vrrp_instance VI_D {
  interface eth1
  virtual_router_id 13
  priority 90
  strict_mode
  garp_master_refresh 15
  garp_master_refresh_repeat 3
  virtual_ipaddress {
    10.0.1.1/24
  }
  virtual_ipaddress_excluded {
    10.0.2.1/24 dev eth0
  }
  track_interface {
    eth0 weight -30
  }
}
vrrp_instance VI_E {
  interface eth1
  virtual_router_id 14
  no_accept
  virtual_ipaddress {
    10.0.3.1
  }
}
vrrp_instance VI_C {
  interface eth1
  virtual_router_id 12
  advert_int 0.4
  virtual_ipaddress {
    2001:db8::10/64
  }
}
`;

interface InstanceView {
  version?: string;
  state?: string;
  interface?: string;
  vrid?: string;
  priority?: string;
  advert?: number;
  preempt?: string;
  accept?: string;
  garp: string[];
  vips: string[];
  peers: string[];
  scripts: string[];
}

/** Reads the instance sections of keepalived's -d output. */
function keepalivedView(file: string): { instances: Record<string, InstanceView>; script: Record<string, string>; output: string } {
  const run = spawnSync('ip', ['netns', 'exec', NAMESPACE, 'timeout', '-s', 'INT', '3', 'keepalived', '-n', '-l', '-D', '-d', '--vrrp', '-f', file,
    '-p', join(dir, 'k.pid'), '-r', join(dir, 'v.pid'), '-c', join(dir, 'c.pid')], { encoding: 'utf8', timeout: 20_000 });
  const output = `${run.stdout}${run.stderr}`;
  const instances: Record<string, InstanceView> = {};
  const script: Record<string, string> = {};
  let current: InstanceView | undefined;
  let list: 'vips' | 'peers' | 'scripts' | undefined;
  let inScript = false;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/^.*?\d{4}: /, '');
    const start = /^ VRRP Instance = (\S+)$/.exec(line);
    if (start) {
      current = instances[start[1]!] = { garp: [], vips: [], peers: [], scripts: [] };
      inScript = false;
      continue;
    }
    if (/^ VRRP Script = chk$/.test(line)) {
      current = undefined;
      inScript = true;
      continue;
    }
    if (/^-+</.test(line)) {
      current = undefined;
      inScript = false;
    }
    const field = /^\s+([^=:]+?) = (.*)$/.exec(line);
    if (inScript && field && ['Interval', 'Weight', 'Rise', 'Fall'].includes(field[1]!)) script[field[1]!] = field[2]!;
    if (!current) continue;
    if (/^\s{3}Virtual IP \(\d+\):$/.test(line)) list = 'vips';
    else if (/^\s{3}Unicast Peer :$/.test(line)) list = 'peers';
    else if (/^\s{3}Tracked scripts :$/.test(line)) list = 'scripts';
    else if (list && /^\s{5}\S/.test(line)) current[list].push(line.trim().replace(/ preferred_lft forever$/, ''));
    else if (/^\s{3}\S/.test(line)) list = undefined;
    if (!field || list) continue;
    const [, key, value] = field as unknown as [string, string, string];
    if (key === 'VRRP Version') current.version = value;
    if (key === 'Wantstate') current.state = value;
    if (key === 'Interface') current.interface = value;
    if (key === 'Virtual Router ID') current.vrid = value;
    if (key === 'Priority') current.priority = value;
    if (key === 'Preempt') current.preempt = value;
    if (key === 'Accept') current.accept = value;
    if (key === 'Advert interval') current.advert = value.endsWith('milli-sec') ? parseInt(value, 10) / 1000 : parseInt(value, 10);
    if (key.startsWith('Gratuitous ARP') && !key.includes('lower')) current.garp.push(`${key} = ${value}`);
  }
  return { instances, script, output };
}

function ourView(file: string): { instances: Record<string, InstanceView>; script: Record<string, string> } {
  const { config } = loadConfig(file, { system: null });
  const instances: Record<string, InstanceView> = {};
  for (const vi of config.vrrpInstances) {
    instances[vi.name] = {
      version: String(vi.version),
      state: vi.initialState,
      interface: vi.interface,
      vrid: String(vi.virtualRouterId),
      priority: String(vi.priority),
      advert: vi.advertInterval,
      preempt: vi.preempt ? 'enabled' : 'disabled',
      accept: vi.accept ? 'enabled' : 'disabled',
      garp: [
        `Gratuitous ARP delay = ${vi.garp.masterDelay}`,
        `Gratuitous ARP repeat = ${vi.garp.masterRepeat}`,
        `Gratuitous ARP refresh = ${vi.garp.masterRefresh}`,
        `Gratuitous ARP refresh repeat = ${vi.garp.masterRefreshRepeat}`,
      ],
      vips: vi.virtualAddresses.map((a) => {
        const full = a.family === 'inet' ? 32 : 128;
        const prefix = a.prefixLength === full ? '' : `/${a.prefixLength}`;
        return `${a.address}${prefix} dev ${a.dev ?? vi.interface} scope ${a.scope ?? 'global'}${a.label ? ` label ${a.label}` : ''}`;
      }),
      peers: vi.unicastPeers.map((p) => `${p.address} min_ttl ${p.minTtl ?? 0} max_ttl ${p.maxTtl ?? 255}`),
      scripts: vi.trackScripts.map((t) => `${t.name} weight ${t.weight ?? config.vrrpScripts.find((s) => s.name === t.name)?.weight ?? 0}`),
    };
  }
  const chk = config.vrrpScripts.find((s) => s.name === 'chk')!;
  return { instances, script: { Interval: `${chk.interval} sec`, Weight: String(chk.weight), Rise: String(chk.rise), Fall: String(chk.fall) } };
}

describe("typed model against keepalived's -d dump", () => {
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', NAMESPACE]);
    for (const name of ['eth0', 'eth1']) execFileSync('ip', ['-n', NAMESPACE, 'link', 'add', name, 'type', 'bridge']);
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NAMESPACE]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the values keepalived uses', () => {
    const file = join(dir, 'keepalived.conf');
    writeFileSync(file, CONFIG);
    const theirs = keepalivedView(file);
    expect(Object.keys(theirs.instances), theirs.output).toEqual(['VI_A', 'VI_B', 'VI_D', 'VI_E', 'VI_C']);
    const ours = ourView(file);
    expect(ours.instances).toEqual(theirs.instances);
    expect(ours.script).toEqual(theirs.script);
    // The cases that make this test worth having: rounding, inheritance, the owner dropping weights.
    expect(ours.instances['VI_A']!.advert).toBe(2);
    expect(ours.instances['VI_B']!.advert).toBe(0.46);
    expect(ours.instances['VI_C']).toMatchObject({ version: '3', advert: 0.4 });
    expect(ours.instances['VI_B']!.scripts).toEqual([]);
  });
});
