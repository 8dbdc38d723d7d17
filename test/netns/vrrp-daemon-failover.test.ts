// Two of our daemons as directors in namespaces joined by a bridge, a client that pings the VIP:
// election, SIGTERM (priority 0: the backup takes over after Skew_Time), kill -9 of the whole
// master tree, link down, stale VIP cleanup when the crashed master starts again, and GARPs that
// move the client's ARP entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVrrpLab, delay, pingOnce, scratchDir, sh, startOurs, vipHolders, vrrpConfig, waitFor, type Director, type VrrpLab,
} from '../support/vrrp-lab.js';

const VIP = '10.62.0.100';
const ADVERT_INT = 0.1;
const config = (priority: number): string => vrrpConfig([{ vrid: 62, priority, vip: `${VIP}/24`, version: 3, advertInt: ADVERT_INT }]);

function macOf(lab: VrrpLab, index: number): string {
  return /link\/ether ([0-9a-f:]+)/.exec(sh('ip', ['-n', lab.directors[index]!.namespace, 'link', 'show', 'eth0']))![1]!;
}

function clientNeighbourMac(lab: VrrpLab): string | undefined {
  return /lladdr ([0-9a-f:]+)/.exec(sh('ip', ['-n', lab.client.namespace, 'neigh', 'show', VIP]))?.[1];
}

describe('our daemon against our daemon', () => {
  let lab: VrrpLab;
  const running: Director[] = [];
  const start = (index: number, priority: number): Director => {
    const d = startOurs(lab.directors[index]!, config(priority), scratchDir(`d${index}`));
    running.push(d);
    return d;
  };

  beforeAll(() => {
    lab = createVrrpLab('fo', 62, 2);
  });

  afterAll(async () => {
    await Promise.all(running.map((d) => d.stop()));
    lab?.destroy();
  });

  it('elects the higher priority, moves the VIP on SIGTERM, kill -9 and link down, and cleans up a stale VIP', async () => {
    const master = start(0, 150);
    const backup = start(1, 100);
    await waitFor(() => vipHolders(lab, VIP).join() === '0', 10_000, 'the VIP on director 0');
    await delay(500);
    expect(vipHolders(lab, VIP)).toEqual([0]);
    expect(pingOnce(lab, VIP)).toBe(true);
    expect(clientNeighbourMac(lab)).toBe(macOf(lab, 0));

    // SIGTERM: priority 0, the backup takes over after its Skew_Time (100 ms × 156/256 ≈ 61 ms).
    const stopped = master.stop();
    const takeover = await waitFor(() => vipHolders(lab, VIP).join() === '1', 3000, 'the VIP on director 1 after SIGTERM');
    await stopped;
    expect(takeover).toBeLessThan(1000);
    expect(master.log()).toContain('(VI_62) Stopped');
    await waitFor(() => backup.log().includes('(VI_62) Entering MASTER STATE'), 2000, 'the MASTER log line');
    await waitFor(() => clientNeighbourMac(lab) === macOf(lab, 1), 2000, 'the client ARP entry to follow the GARP');
    expect(pingOnce(lab, VIP)).toBe(true);

    // The higher priority comes back and preempts.
    const restarted = start(0, 150);
    await waitFor(() => vipHolders(lab, VIP).join() === '0', 10_000, 'preemption back to director 0');

    // kill -9 of the whole master tree: the VIP stays on the dead master, the backup takes it
    // after Master_Down_Interval; restarting the crashed one removes its stale VIP first.
    await restarted.crash();
    await waitFor(() => vipHolders(lab, VIP).includes(1), 3000, 'director 1 to take the VIP after kill -9');
    expect(vipHolders(lab, VIP)).toEqual([0, 1]);
    const again = start(0, 150);
    await waitFor(() => again.log().includes('removing stale VIP'), 10_000, 'stale VIP cleanup');
    await waitFor(() => vipHolders(lab, VIP).join() === '0', 10_000, 'director 0 master again');
    await delay(300);
    expect(vipHolders(lab, VIP)).toEqual([0]);
    await waitFor(() => pingOnce(lab, VIP), 3000, 'the client to reach the VIP');

    // Link down on the master: it goes FAULT and drops the VIP; the backup takes over.
    lab.setLink(lab.directors[0]!, false);
    await waitFor(() => vipHolders(lab, VIP).join() === '1', 3000, 'director 1 after link down');
    await waitFor(() => again.log().includes('(VI_62) Entering FAULT STATE'), 1000, 'FAULT');
    await waitFor(() => pingOnce(lab, VIP), 3000, 'the client to reach the VIP on director 1');
    lab.setLink(lab.directors[0]!, true);
    await waitFor(() => vipHolders(lab, VIP).join() === '0', 5000, 'director 0 back after link up');
  });
});
