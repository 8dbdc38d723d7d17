// vrrp_strict / no_accept against keepalived 2.2.7: director d0 runs keepalived, then our daemon,
// with the same config (vrrp_strict; an IPv4 instance with two VIPs and an excluded one, an IPv6
// instance, and an `accept` instance). While MASTER, `nft list ruleset` in d0 must be the same for
// both (keepalived's `table ip|ip6 keepalived` with the VIPs in its `vips` sets), the client must not
// reach the strict VIPs but must reach the accept one; when a higher-priority keepalived on d1 takes
// the IPv4 instance, its VIPs leave the set (same ruleset again); after SIGTERM no table is left.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVrrpLab, delay, hasAddress, pingOnce, removeScratchDirs, scratchDir, startKeepalived, startOurs, waitFor, type Director, type LabHost, type VrrpLab } from '../support/vrrp-lab.js';

const SUBNET = 184;
const V4_VIP = `10.${SUBNET}.0.100`;
const V6_VIP = `fd00:${SUBNET}::100`;
const OPEN_VIP = `10.${SUBNET}.0.110`;

const instance = (name: string, vrid: number, priority: number, vips: readonly string[], extra: readonly string[] = []): string => [
  `vrrp_instance ${name} {`, '  interface eth0', `  virtual_router_id ${vrid}`, `  priority ${priority}`, '  advert_int 0.1', '  version 3',
  ...extra.map((l) => `  ${l}`), '  virtual_ipaddress {', ...vips.map((v) => `    ${v}`), '  }', '}', '',
].join('\n');

const SUBJECT = ['global_defs {', '  vrrp_strict', '}', '',
  instance('V4', 61, 100, [`${V4_VIP}/24`, `10.${SUBNET}.0.101/24`], ['virtual_ipaddress_excluded {', `  10.${SUBNET}.0.102/24`, '}']),
  instance('V6', 62, 100, [`${V6_VIP}/64`]),
  instance('OPEN', 63, 100, [`${OPEN_VIP}/24`], ['accept']),
].join('\n');
const PEER = instance('V4', 61, 200, [`${V4_VIP}/24`, `10.${SUBNET}.0.101/24`], ['virtual_ipaddress_excluded {', `  10.${SUBNET}.0.102/24`, '}']);

function ruleset(h: LabHost): string {
  return spawnSync('ip', ['netns', 'exec', h.namespace, 'nft', 'list', 'ruleset'], { encoding: 'utf8' }).stdout;
}

interface Observed {
  readonly master: string;
  readonly backup: string;
  readonly stopped: string;
  readonly reachable: Record<string, boolean>;
}

describe('vrrp_strict / no_accept nftables rules, against keepalived 2.2.7', () => {
  let lab: VrrpLab;
  const daemons: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('na', SUBNET, 2, 'kna');
  });

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    lab?.destroy();
    removeScratchDirs();
  });

  /** The ruleset once it stops changing (nft runs after the VIPs are in place). */
  async function settledRuleset(h: LabHost, mustContain: string): Promise<string> {
    let last = '';
    await waitFor(() => {
      const now = ruleset(h);
      const stable = now === last && now.includes(mustContain);
      last = now;
      return stable;
    }, 5000, `a stable ruleset holding ${mustContain}`, 100);
    return last;
  }

  async function observe(start: (h: LabHost, conf: string, scratch: string) => Director, tag: string): Promise<Observed> {
    const d0 = lab.directors[0]!;
    const subject = start(d0, SUBJECT, scratchDir(`na-${tag}`));
    daemons.push(subject);
    for (const vip of [V4_VIP, V6_VIP, OPEN_VIP]) await waitFor(() => hasAddress(d0.namespace, vip), 10_000, `${tag}: ${vip} on d0`);
    const master = await settledRuleset(d0, V6_VIP);
    const reachable = Object.fromEntries([V4_VIP, V6_VIP, OPEN_VIP].map((vip) => [vip, pingOnce(lab, vip)]));
    const peer = startKeepalived(lab.directors[1]!, PEER, scratchDir(`na-peer-${tag}`));
    daemons.push(peer);
    await waitFor(() => !hasAddress(d0.namespace, V4_VIP), 10_000, `${tag}: the peer took V4`);
    let backup = '';
    await waitFor(() => !(backup = ruleset(d0)).includes(V4_VIP), 5000, `${tag}: V4's VIPs left the set`, 50);
    await delay(300);
    backup = ruleset(d0);
    await subject.stop();
    await peer.stop();
    return { master, backup, stopped: ruleset(d0), reachable };
  }

  it('installs, empties and removes the same rules as keepalived; strict VIPs unreachable, accept VIP reachable', async () => {
    const theirs = await observe(startKeepalived, 'ka');
    const ours = await observe(startOurs, 'ours');
    // What keepalived does, so that the comparison means something.
    expect(theirs.master).toContain('table ip keepalived');
    expect(theirs.master).toContain('table ip6 keepalived');
    expect(theirs.master).toMatch(/elements = \{ 10\.184\.0\.100, 10\.184\.0\.101,\s+10\.184\.0\.102 \}/);
    expect(theirs.reachable).toEqual({ [V4_VIP]: false, [V6_VIP]: false, [OPEN_VIP]: true });
    expect(theirs.backup).toContain(V6_VIP);
    expect(theirs.stopped).toBe('');
    expect(ours).toEqual(theirs);
  });
});
