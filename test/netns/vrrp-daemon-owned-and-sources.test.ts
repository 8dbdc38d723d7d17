// What a MASTER owns beyond its VIPs, in the real kernel: virtual_ipaddress_excluded, virtual_routes
// and virtual_rules are there while MASTER and gone after it leaves; and check_unicast_src: unicast
// adverts from an address that is not a unicast_peer are dropped and counted, never obeyed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVrrpLab, delay, hasAddress, readStats, scratchDir, sh, startOurs, vrrpConfig, waitFor, type Director, type VrrpLab,
} from '../support/vrrp-lab.js';

describe('what a MASTER owns, and unicast source checks', () => {
  let lab: VrrpLab;
  const running: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('ow', 180, 2, 'kvf');
  });

  afterAll(async () => {
    await Promise.all(running.map((d) => d.stop()));
    lab?.destroy();
  });

  it('adds excluded VIPs, virtual routes and rules on MASTER and removes them when it stops', async () => {
    const host = lab.directors[0]!;
    const ns = host.namespace;
    const daemon = startOurs(host, vrrpConfig([{
      vrid: 31, priority: 150, vip: '10.180.0.131/24', version: 3, advertInt: 0.1,
      extra: [
        'virtual_ipaddress_excluded {', '  192.0.2.31/32', '}',
        'virtual_routes {', '  198.51.100.0/24 via 10.180.0.1 table 131', '  203.0.113.0/24 dev eth0', '}',
        'virtual_rules {', '  from 10.180.0.131 table 131', '}',
      ],
    }]), scratchDir('ow'));
    running.push(daemon);
    await waitFor(() => hasAddress(ns, '10.180.0.131'), 15_000, 'MASTER with its VIP');
    await waitFor(() => sh('ip', ['-n', ns, 'rule', 'show']).includes('from 10.180.0.131 lookup 131'), 2000, 'the virtual rule');
    expect(hasAddress(ns, '192.0.2.31')).toBe(true);
    expect(sh('ip', ['-n', ns, 'route', 'show', 'table', '131'])).toContain('198.51.100.0/24 via 10.180.0.1 dev eth0');
    expect(sh('ip', ['-n', ns, 'route', 'show'])).toContain('203.0.113.0/24 dev eth0');

    await daemon.stop();
    expect(hasAddress(ns, '10.180.0.131')).toBe(false);
    expect(hasAddress(ns, '192.0.2.31')).toBe(false);
    expect(sh('ip', ['-n', ns, 'route', 'show', 'table', '131'])).toBe('');
    expect(sh('ip', ['-n', ns, 'route', 'show'])).not.toContain('203.0.113.0/24');
    expect(sh('ip', ['-n', ns, 'rule', 'show'])).not.toContain('lookup 131');
  });

  it('check_unicast_src: a stranger\'s higher-priority unicast adverts are dropped and counted, a listed peer is heard', async () => {
    const [d0, d1] = lab.directors as [typeof lab.directors[0], typeof lab.directors[0]];
    const stranger = lab.client;
    const vip = '10.180.0.132';
    const instance = (priority: number, src: string, peers: string[], check: boolean): string => vrrpConfig([{
      vrid: 32, priority, vip: `${vip}/24`, version: 3, advertInt: 0.1, unicast: { src, peers }, ...(check ? { extra: ['check_unicast_src'] } : {}),
    }]);
    const guarded = startOurs(d0, instance(150, d0.ipv4, [d1.ipv4], true), scratchDir('ow-g'));
    const peer = startOurs(d1, instance(100, d1.ipv4, [d0.ipv4], false), scratchDir('ow-p'));
    running.push(guarded, peer);
    await waitFor(() => hasAddress(d0.namespace, vip) && !hasAddress(d1.namespace, vip), 15_000, 'the guarded director MASTER, its peer BACKUP');
    const intruder = startOurs(stranger, instance(200, stranger.ipv4, [d0.ipv4], false), scratchDir('ow-s'));
    running.push(intruder);
    await waitFor(() => intruder.log().includes('Entering MASTER STATE'), 15_000, 'the stranger to advertise as MASTER');
    await delay(1000);
    expect(hasAddress(d0.namespace, vip)).toBe(true);
    const stats = await readStats(guarded);
    const instanceStats = stats.instances['VI_32']!;
    expect(instanceStats['state']).toBe('MASTER');
    expect((instanceStats['drops'] as Record<string, number>)['unknown-unicast-source']).toBeGreaterThan(5);

    // The listed peer is heard: stopping the guarded director hands the VIP to it, not to anyone else.
    await intruder.stop();
    await guarded.stop();
    await waitFor(() => hasAddress(d1.namespace, vip), 3000, 'the listed peer to take over');
    await peer.stop();
  });
});
