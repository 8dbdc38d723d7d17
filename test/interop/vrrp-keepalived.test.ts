// Our daemon and Debian's keepalived 2.2.7 as the two directors of one virtual router, both ways
// round: election, failover on SIGTERM, kill -9 and link down, preemption back, nopreempt,
// preempt_delay, dual master, unicast, v2 and v3, IPv4 and IPv6, at advert_int 1, 0.1 and 0.01.
// After every scenario the VIP is on exactly one director, the client reaches it, keepalived
// logged no bad packet from us and we counted no drop of keepalived's adverts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVrrpLab, delay, pingOnce, sh, readStats, scratchDir, startKeepalived, startOurs, vipHolders, vrrpConfig, waitFor,
  type Director, type InstanceText, type LabHost, type VrrpLab,
} from '../support/vrrp-lab.js';

/** keepalived's log lines for adverts it rejected (from its receive checks). */
const KEEPALIVED_BAD_PACKET = /packet too|invalid TTL|wrong version|auth, expecting|invalid passwd|IPSEC-AH|interval mismatch|Invalid packet type|unexpected ip number count|ip_tot_len mismatch|icast packet but received|expected \d+ VIPs|not present in MASTER advert|not a unicast peer/;

function badPacketLines(log: string): string[] {
  return log.split('\n').filter((line) => KEEPALIVED_BAD_PACKET.test(line));
}

type Fault = 'sigterm' | 'kill' | 'link';

interface Case {
  readonly name: string;
  readonly version: 2 | 3;
  readonly advertInt: number;
  readonly family: 'ipv4' | 'ipv6';
  readonly unicast?: boolean;
  readonly password?: string;
  readonly fault: Fault;
}

const CASES: readonly Case[] = [
  { name: 'v2 advert_int 1 PASS, SIGTERM', version: 2, advertInt: 1, family: 'ipv4', password: 'lab', fault: 'sigterm' },
  { name: 'v3 0.1, kill -9', version: 3, advertInt: 0.1, family: 'ipv4', fault: 'kill' },
  { name: 'v3 0.1, link down', version: 3, advertInt: 0.1, family: 'ipv4', fault: 'link' },
  { name: 'v3 0.1 unicast, SIGTERM', version: 3, advertInt: 0.1, family: 'ipv4', unicast: true, fault: 'sigterm' },
  { name: 'v2 1 unicast, kill -9', version: 2, advertInt: 1, family: 'ipv4', unicast: true, fault: 'kill' },
  { name: 'v3 0.1 IPv6, SIGTERM', version: 3, advertInt: 0.1, family: 'ipv6', fault: 'sigterm' },
  { name: 'v3 0.1 IPv6, link down', version: 3, advertInt: 0.1, family: 'ipv6', fault: 'link' },
  { name: 'v3 0.01, kill -9', version: 3, advertInt: 0.01, family: 'ipv4', fault: 'kill' },
  { name: 'v3 0.01, SIGTERM', version: 3, advertInt: 0.01, family: 'ipv4', fault: 'sigterm' },
  { name: 'v3 0.01, link down', version: 3, advertInt: 0.01, family: 'ipv4', fault: 'link' },
];

describe('our daemon with keepalived 2.2.7 as the other director', () => {
  let lab: VrrpLab;
  let vridCounter = 80;
  const all: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('ka', 64, 2);
  });

  afterAll(async () => {
    await Promise.all(all.map((d) => d.stop()));
    lab?.destroy();
  });

  const vipFor = (family: 'ipv4' | 'ipv6', vrid: number): string => (family === 'ipv4' ? `10.64.0.${vrid}` : `fd00:64::${vrid}`);
  const addressOf = (h: LabHost, family: 'ipv4' | 'ipv6'): string => (family === 'ipv4' ? h.ipv4 : h.ipv6);

  /** director 0 runs ours, director 1 keepalived; returns a starter for each. */
  function pair(instancesFor: (self: LabHost, other: LabHost, isOurs: boolean) => InstanceText[]) {
    const [oursHost, theirsHost] = lab.directors as [LabHost, LabHost];
    const oursScratch = scratchDir('ours');
    const theirsScratch = scratchDir('ka');
    let theirLog = '';
    const directors: { ours?: Director; theirs?: Director } = {};
    const track = (d: Director): Director => {
      all.push(d);
      return d;
    };
    return {
      startOurs: () => (directors.ours = track(startOurs(oursHost, vrrpConfig(instancesFor(oursHost, theirsHost, true)), oursScratch))),
      startTheirs: () => {
        if (directors.theirs) theirLog += directors.theirs.log();
        return (directors.theirs = track(startKeepalived(theirsHost, vrrpConfig(instancesFor(theirsHost, oursHost, false)), theirsScratch)));
      },
      directors,
      theirBadPackets: () => badPacketLines(theirLog + (directors.theirs?.log() ?? '')),
      async stopAll() {
        await Promise.all([directors.ours?.stop(), directors.theirs?.stop()]);
      },
    };
  }

  for (const c of CASES) {
    for (const oursHigh of [true, false]) {
      it(`${c.name}: ${oursHigh ? 'ours master, keepalived backup' : 'keepalived master, ours backup'}`, async () => {
        const vrid = vridCounter++;
        const vip = vipFor(c.family, vrid);
        const prefix = c.family === 'ipv4' ? 24 : 64;
        const p = pair((self, other, isOurs) => [{
          vrid, vip: `${vip}/${prefix}`, priority: isOurs === oursHigh ? 150 : 100, version: c.version, advertInt: c.advertInt,
          ...(c.password === undefined ? {} : { password: c.password }),
          ...(c.unicast ? { unicast: { src: addressOf(self, c.family), peers: [addressOf(other, c.family)] } } : {}),
        }]);
        const high = oursHigh ? 0 : 1;
        const low = 1 - high;
        const patience = c.advertInt * 1000 * 4 + 3000;
        const startHigh = (): Director => (oursHigh ? p.startOurs() : p.startTheirs());
        // At 10 ms on a loaded machine a backup (keepalived's own as much as ours: 14-28 blips per
        // 30 s measured at load 8-12) now and then misses Master_Down by a few ms and is MASTER for
        // one advert; what must hold is that the VIP settles on the master again at once.
        const settled = (): Promise<number> =>
          waitFor(() => vipHolders(lab, vip).join() === String(high), c.advertInt < 0.1 ? 500 : 0, `the VIP on director ${high} alone`);
        try {
          p.startTheirs();
          p.startOurs();
          await waitFor(() => vipHolders(lab, vip).join() === String(high), patience + 5000, `the VIP on director ${high}`);
          const ours = p.directors.ours!;
          await waitFor(() => ours.log().includes('Entering'), 10_000, 'our daemon to start');
          await delay(Math.max(300, c.advertInt * 5000));
          await settled();
          await waitFor(() => pingOnce(lab, vip), 3000, 'the client to reach the VIP');
          const before = await readStats(ours);
          expect(before.instances[`VI_${vrid}`]!['drops']).toEqual({});
          // A backup that never was master sends nothing: when ours wins the first election before
          // keepalived's master-down timer ends (both start as BACKUP), ours has heard no advert
          // yet. Ours as the backup must have heard keepalived's; ours as the master is checked
          // after the preemption below, having heard keepalived's adverts as a backup first.
          if (!oursHigh) expect(before.instances[`VI_${vrid}`]!['advertsReceived'] as number).toBeGreaterThan(0);

          const highDirector = oursHigh ? p.directors.ours! : p.directors.theirs!;
          if (c.fault === 'sigterm') await highDirector.stop();
          else if (c.fault === 'kill') await highDirector.crash();
          else lab.setLink(lab.directors[high]!, false);
          await waitFor(() => vipHolders(lab, vip).includes(low), patience, `director ${low} to take over`);
          if (c.fault !== 'kill') await waitFor(() => vipHolders(lab, vip).join() === String(low), 2000, `only director ${low} holds the VIP`);
          await waitFor(() => pingOnce(lab, vip), 3000, 'the client to reach the VIP after the failover');

          if (c.fault === 'link') lab.setLink(lab.directors[high]!, true);
          else startHigh();
          await waitFor(() => vipHolders(lab, vip).join() === String(high), patience + 10_000, `director ${high} to preempt back`)
            .catch((error: Error) => {
              throw new Error(`${error.message}; holders ${vipHolders(lab, vip).join()}\nkeepalived:\n${p.directors.theirs?.log()}\nours:\n${p.directors.ours?.log()}`);
            });
          await delay(Math.max(300, c.advertInt * 5000));
          await settled();
          await waitFor(() => pingOnce(lab, vip), 3000, 'the client to reach the VIP after preemption').catch((error: Error) => {
            const macs = lab.directors.map((d) => /link\/ether (\S+)/.exec(sh('ip', ['-n', d.namespace, 'link', 'show', 'eth0']))?.[1]).join(' ');
            throw new Error(`${error.message}; client neigh: ${sh('ip', ['-n', lab.client.namespace, 'neigh', 'show'])} directors: ${macs}; holders ${vipHolders(lab, vip).join()}\nours:\n${p.directors.ours?.log().split('\n').filter((l) => l.includes('Entering') || l.includes('Stopped')).join('\n')}\nkeepalived:\n${p.directors.theirs?.log().split('\n').filter((l) => /Entering|gratuitous|GARP/i.test(l)).join('\n')}`);
          });
          // (Its drops are not checked again: a link-down case counts its failed sends there.)
          if (oursHigh) expect((await readStats(p.directors.ours!)).instances[`VI_${vrid}`]!['advertsReceived'] as number).toBeGreaterThan(0);
        } finally {
          await p.stopAll();
        }
        expect(p.theirBadPackets()).toEqual([]);
        expect(vipHolders(lab, vip)).toEqual([]);
      });
    }
  }

  for (const oursHigh of [true, false]) {
    it(`nopreempt: the higher priority joining later stays BACKUP (${oursHigh ? 'ours' : 'keepalived'} higher)`, async () => {
      const vrid = vridCounter++;
      const vip = vipFor('ipv4', vrid);
      const p = pair((_self, _other, isOurs) => [{ vrid, vip: `${vip}/24`, priority: isOurs === oursHigh ? 150 : 100, version: 3, advertInt: 0.1, nopreempt: true }]);
      const high = oursHigh ? 0 : 1;
      try {
        const lowDirector = oursHigh ? p.startTheirs() : p.startOurs();
        await waitFor(() => vipHolders(lab, vip).join() === String(1 - high), 10_000, 'the lower priority alone to become MASTER');
        const highDirector = oursHigh ? p.startOurs() : p.startTheirs();
        await waitFor(() => /Entering BACKUP STATE/.test(highDirector.log()), 10_000, 'the higher priority to start as BACKUP');
        await delay(1500);
        expect(vipHolders(lab, vip)).toEqual([1 - high]);
        await lowDirector.stop();
        await waitFor(() => vipHolders(lab, vip).join() === String(high), 3000, 'the higher priority to take over when the master leaves');
      } finally {
        await p.stopAll();
      }
      expect(p.theirBadPackets()).toEqual([]);
    });

    it(`preempt_delay 1: the higher priority waits before preempting (${oursHigh ? 'ours' : 'keepalived'} higher)`, async () => {
      const vrid = vridCounter++;
      const vip = vipFor('ipv4', vrid);
      const p = pair((_self, _other, isOurs) => [{ vrid, vip: `${vip}/24`, priority: isOurs === oursHigh ? 150 : 100, version: 3, advertInt: 0.1, preemptDelay: 1 }]);
      const high = oursHigh ? 0 : 1;
      try {
        if (oursHigh) p.startTheirs();
        else p.startOurs();
        await waitFor(() => vipHolders(lab, vip).join() === String(1 - high), 10_000, 'the lower priority alone to become MASTER');
        // Timed from the spawn: the delay runs from the instance's start, which comes after it. (Timed
        // from the test reading the BACKUP log line, a loaded host made it look short: the line
        // reached the test late.) Without the delay the take-over comes at start-up + ~0.34 s.
        const spawned = performance.now();
        const highDirector = oursHigh ? p.startOurs() : p.startTheirs();
        await waitFor(() => /Entering BACKUP STATE/.test(highDirector.log()), 10_000, 'the higher priority to start as BACKUP');
        await waitFor(() => vipHolders(lab, vip).join() === String(high), 10_000, 'the higher priority to preempt after the delay');
        expect(performance.now() - spawned).toBeGreaterThan(1000);
      } finally {
        await p.stopAll();
      }
      expect(p.theirBadPackets()).toEqual([]);
    });
  }

  it('dual master: two VRIDs with opposite priorities, one VIP on each director; SIGTERM moves both to keepalived', async () => {
    const a = vridCounter++;
    const b = vridCounter++;
    const vipA = vipFor('ipv4', a);
    const vipB = vipFor('ipv4', b);
    const p = pair((_self, _other, isOurs) => [
      { vrid: a, vip: `${vipA}/24`, priority: isOurs ? 150 : 100, version: 3, advertInt: 0.1 },
      { vrid: b, vip: `${vipB}/24`, priority: isOurs ? 100 : 150, version: 3, advertInt: 0.1 },
    ]);
    try {
      p.startTheirs();
      const ours = p.startOurs();
      await waitFor(() => vipHolders(lab, vipA).join() === '0' && vipHolders(lab, vipB).join() === '1', 10_000, 'one VIP on each director');
      await delay(500);
      expect([vipHolders(lab, vipA), vipHolders(lab, vipB)]).toEqual([[0], [1]]);
      await ours.stop();
      await waitFor(() => vipHolders(lab, vipA).join() === '1', 3000, 'keepalived to take the first VIP');
      expect(vipHolders(lab, vipB)).toEqual([1]);
    } finally {
      await p.stopAll();
    }
    expect(p.theirBadPackets()).toEqual([]);
  });
});
