// dont_track_primary against keepalived 2.2.7: d0 (priority 200, dont_track_primary) is MASTER over a
// keepalived backup on d1. With d0's link down keepalived stays MASTER (its adverts fail with
// ENETUNREACH) while d1 takes over as well; once the link is back d0 wins again. Our daemon on d0
// must do the same (it counts the failed sends instead of logging each one), never entering FAULT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVrrpLab, delay, nsRun, removeScratchDirs, scratchDir, startKeepalived, startOurs, vipHolders, waitFor, type Director, type LabHost, type VrrpLab } from '../support/vrrp-lab.js';

const SUBNET = 185;
const VIP = `10.${SUBNET}.0.100`;
const config = (priority: number, extra: readonly string[]): string => [
  'vrrp_instance VI {', '  interface eth0', '  virtual_router_id 71', `  priority ${priority}`, '  advert_int 0.1', '  version 3',
  ...extra.map((l) => `  ${l}`), '  virtual_ipaddress {', `    ${VIP}/24`, '  }', '}', '',
].join('\n');

describe('dont_track_primary, against keepalived 2.2.7', () => {
  let lab: VrrpLab;
  const daemons: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('dt', SUBNET, 2, 'kdt');
  });

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    lab?.destroy();
    removeScratchDirs();
  });

  async function run(start: (h: LabHost, conf: string, scratch: string) => Director, tag: string): Promise<{ holders: number[][]; log: string }> {
    const d0 = lab.directors[0]!;
    const backup = startKeepalived(lab.directors[1]!, config(100, []), scratchDir(`dt-b-${tag}`));
    const subject = start(d0, config(200, ['dont_track_primary']), scratchDir(`dt-a-${tag}`));
    daemons.push(backup, subject);
    await waitFor(() => vipHolders(lab, VIP).join() === '0', 10_000, `${tag}: d0 MASTER alone`);
    await delay(500);
    const holders = [vipHolders(lab, VIP)];
    nsRun(d0.namespace, 'ip', 'link', 'set', 'eth0', 'down');
    await delay(1500);
    holders.push(vipHolders(lab, VIP));
    nsRun(d0.namespace, 'ip', 'link', 'set', 'eth0', 'up');
    await delay(1500);
    holders.push(vipHolders(lab, VIP));
    await subject.stop();
    await backup.stop();
    return { holders, log: subject.log() };
  }

  it('a MASTER whose link goes down stays MASTER and wins again when the link is back', async () => {
    const theirs = await run(startKeepalived, 'ka');
    const ours = await run(startOurs, 'ours');
    expect(theirs.holders).toEqual([[0], [0, 1], [0]]);
    expect(theirs.log).toContain('send advert error 101');
    expect(ours.holders).toEqual(theirs.holders);
    expect(ours.log).not.toContain('FAULT');
    expect(ours.log.split('Entering MASTER STATE').length - 1).toBe(1);
  });
});
