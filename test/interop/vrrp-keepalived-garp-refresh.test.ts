// `garp_master_refresh` / `garp_master_refresh_repeat`: while MASTER the daemon re-sends gratuitous
// ARPs (IPv4) or unsolicited neighbour advertisements (IPv6) for its VIP every N seconds. The same
// config runs under Debian's keepalived 2.2.7 and under ours, alone in a director namespace;
// tcpdump in the client namespace records every announcement for the VIP, and the bursts (when,
// how many) must be the same for both daemons.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bursts, lineTimeMs, watchWire, type Burst } from '../support/wire-watch.js';
import {
  createVrrpLab, delay, hasAddress, removeScratchDirs, scratchDir, startKeepalived, startOurs, vrrpConfig, waitFor,
  type Director, type VrrpLab,
} from '../support/vrrp-lab.js';

const WATCH_MS = 7_600;

describe('garp_master_refresh on the wire, ours and keepalived 2.2.7', () => {
  let lab: VrrpLab;
  let vrid = 70;
  const started: Director[] = [];
  const seen = new Map<string, Burst[]>();

  beforeAll(() => {
    lab = createVrrpLab(`gr${process.pid % 100_000}`, 162, 1, 'kvt');
  });

  afterAll(async () => {
    await Promise.all(started.map((d) => d.stop()));
    lab?.destroy();
    removeScratchDirs();
  });

  /** GARP (IPv4) or unsolicited NA (IPv6) bursts for the VIP during WATCH_MS from the daemon's start. */
  async function announcementBursts(which: 'ours' | 'keepalived', family: 4 | 6): Promise<Burst[]> {
    const id = vrid++;
    const vip = family === 4 ? `10.162.0.${id}` : `fd00:162::${id}`;
    const config = vrrpConfig([{
      vrid: id, vip: family === 4 ? `${vip}/24` : `${vip}/64`, priority: 150, version: 3, advertInt: 0.1,
      extra: ['garp_master_delay 5', 'garp_master_repeat 4', 'garp_master_refresh 2', 'garp_master_refresh_repeat 3'],
    }]);
    const host = lab.directors[0]!;
    const filter = family === 4 ? `arp and arp[24:4] = 0x0aa200${id.toString(16).padStart(2, '0')}` : 'icmp6 and ip6[40] == 136';
    const watch = await watchWire(lab.client.namespace, 'eth0', filter);
    const daemon = (which === 'ours' ? startOurs : startKeepalived)(host, config, scratchDir(`gr-${which}`));
    started.push(daemon);
    try {
      await waitFor(() => hasAddress(host.namespace, vip), 15_000, 'MASTER with the VIP');
      await delay(WATCH_MS);
    } finally {
      await daemon.stop();
    }
    const lines = await watch.stop();
    const escaped = vip.replaceAll('.', '\\.');
    const announcement = family === 4
      ? new RegExp(`Request who-has ${escaped} (\\(ff:ff:ff:ff:ff:ff\\) )?tell ${escaped},`)
      : new RegExp(`> ff02::1: ICMP6, neighbor advertisement, tgt is ${escaped},`);
    expect(lines.filter((line) => !announcement.test(line))).toEqual([]);
    const result = bursts(lines.map(lineTimeMs), 300);
    seen.set(`${which} IPv${family}`, result);
    return result;
  }

  for (const family of [4, 6] as const) {
    const what = family === 4 ? 'GARP' : 'unsolicited NA';
    it(`IPv${family} keepalived: the master burst, then refresh_repeat ${what}s every refresh seconds (and the delayed burst)`, async () => {
      const theirs = await announcementBursts('keepalived', family);
      console.log(`keepalived IPv${family} ${what} bursts:`, JSON.stringify(theirs.map((b) => [Math.round(b.atMs), b.count])));
      expect(theirs[0]!.count).toBe(4);
      expect(theirs.filter((b) => b.count === 3).length).toBeGreaterThanOrEqual(3);
    });

    it(`IPv${family} ours: the same ${what} bursts at the same times`, async () => {
      const ours = await announcementBursts('ours', family);
      console.log(`our IPv${family} ${what} bursts:`, JSON.stringify(ours.map((b) => [Math.round(b.atMs), b.count])));
      const theirs = seen.get(`keepalived IPv${family}`);
      expect(theirs).toBeDefined();
      expect(ours.map((b) => b.count)).toEqual(theirs!.map((b) => b.count));
      ours.forEach((burst, i) => expect(Math.abs(burst.atMs - theirs![i]!.atMs), `burst ${i}`).toBeLessThan(150));
    });
  }
});
