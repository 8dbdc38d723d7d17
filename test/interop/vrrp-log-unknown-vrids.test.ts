// global `log_unknown_vrids`, ours and keepalived 2.2.7 on the same LAN as another virtual router
// (keepalived, VRID 22): with the keyword each of its adverts is logged as an unknown VRID, in
// keepalived's words; without it neither daemon says anything about them (ours still counts them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVrrpLab, delay, readStats, scratchDir, startKeepalived, startOurs, vrrpConfig, type Director, type LabHost, type VrrpLab } from '../support/vrrp-lab.js';

const SUBNET = 192;
const LINE = 'Unknown VRID(22) received on interface(eth0). ignoring...';

describe('log_unknown_vrids, ours and keepalived 2.2.7', () => {
  let lab: VrrpLab;
  let neighbour: Director;
  const daemons: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('uv', SUBNET, 2, 'kuv');
    neighbour = startKeepalived(lab.directors[1]!, vrrpConfig([{ vrid: 22, vip: `10.${SUBNET}.0.122/24`, priority: 100, state: 'MASTER', advertInt: 0.1, version: 3 }]), scratchDir('uv-nb'));
    daemons.push(neighbour);
  });

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    lab?.destroy();
  });

  /** How many unknown-VRID lines a daemon logged in 1.5 s next to the VRID 22 router. */
  async function linesLogged(start: (h: LabHost, conf: string, scratch: string) => Director, logThem: boolean, tag: string): Promise<{ lines: number; daemon: Director }> {
    const config = vrrpConfig([{ vrid: 21, vip: `10.${SUBNET}.0.121/24`, priority: 100, advertInt: 0.1, version: 3 }], logThem ? ['log_unknown_vrids'] : []);
    const daemon = start(lab.directors[0]!, config, scratchDir(`uv-${tag}`));
    daemons.push(daemon);
    await delay(1500);
    const lines = daemon.log().split(LINE).length - 1;
    return { lines, daemon };
  }

  it('logs each advert of an unknown VRID with the keyword, nothing without it', async () => {
    for (const logThem of [true, false]) {
      const theirs = await linesLogged(startKeepalived, logThem, `ka-${logThem}`);
      await theirs.daemon.stop();
      const ours = await linesLogged(startOurs, logThem, `ours-${logThem}`);
      const stats = await readStats(ours.daemon);
      await ours.daemon.stop();
      // ~10 adverts a second from the neighbour: one line each, or none.
      if (logThem) {
        expect(theirs.lines).toBeGreaterThan(5);
        expect(ours.lines).toBeGreaterThan(5);
      } else {
        expect([theirs.lines, ours.lines]).toEqual([0, 0]);
        expect(ours.daemon.log()).not.toContain('unknown-vrid');
      }
      expect(stats.sockets['eth0/ipv4/multicast']!.drops['unknown-vrid']).toBeGreaterThan(5);
    }
  });
});
