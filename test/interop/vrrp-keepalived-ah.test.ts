// auth_type AH (VRRPv2, IPsec AH with HMAC-MD5-96) in our daemon against Debian's keepalived
// 2.2.7, both ways round: election, failover on SIGTERM and on kill -9, preemption back after a
// restart (our AH sequence numbers start again at 1), no line in keepalived's log about a bad
// packet or an IPSEC-AH failure, and no advert of keepalived's dropped on our side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVrrpLab, delay, pingOnce, readStats, scratchDir, startKeepalived, startOurs, vipHolders, vrrpConfig, waitFor,
  type Director, type VrrpLab,
} from '../support/vrrp-lab.js';

/** keepalived's log lines for adverts it rejected, AH failures included. */
const KEEPALIVED_BAD_PACKET = /packet too|invalid TTL|wrong version|auth, expecting|invalid passwd|IPSEC-AH|interval mismatch|Invalid packet type|unexpected ip number count|ip_tot_len mismatch|received an invalid|expected \d+ VIPs/i;

const authentication = (password: string): string[] => ['authentication {', '  auth_type AH', `  auth_pass ${password}`, '}'];

describe('auth_type AH between our daemon and keepalived 2.2.7', () => {
  let lab: VrrpLab;
  let vrid = 70;
  const started: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('ah', 172, 2, 'kvf');
  });

  afterAll(async () => {
    await Promise.all(started.map((d) => d.stop()));
    lab?.destroy();
  });

  for (const oursHigh of [true, false]) {
    for (const fault of ['sigterm', 'kill'] as const) {
      it(`${oursHigh ? 'ours master, keepalived backup' : 'keepalived master, ours backup'}: election, ${fault} failover, preemption back`, async () => {
        const id = vrid++;
        const vip = `10.172.0.${id}`;
        const config = (isOurs: boolean): string => vrrpConfig([{
          vrid: id, vip: `${vip}/24`, priority: isOurs === oursHigh ? 150 : 100, version: 2, advertInt: 1, extra: authentication('ah-lab'),
        }]);
        const oursScratch = scratchDir('ah-ours');
        const theirsScratch = scratchDir('ah-ka');
        let theirLog = '';
        let theirs = startKeepalived(lab.directors[1]!, config(false), theirsScratch);
        let ours = startOurs(lab.directors[0]!, config(true), oursScratch);
        started.push(theirs, ours);
        const high = oursHigh ? 0 : 1;
        const low = 1 - high;
        try {
          await waitFor(() => vipHolders(lab, vip).join() === String(high), 12_000, `the VIP on director ${high}`);
          await delay(2500);
          expect(vipHolders(lab, vip)).toEqual([high]);
          await waitFor(() => pingOnce(lab, vip), 3000, 'the client to reach the VIP');
          const stats = await readStats(ours);
          expect(stats.instances[`VI_${id}`]!['drops']).toEqual({});
          // A backup that never was master sends nothing: ours may win the first election before
          // keepalived's master-down timer ends and have heard no advert yet. Ours as the master is
          // checked after the preemption back, having heard keepalived's adverts as a backup first.
          if (!oursHigh) expect(stats.instances[`VI_${id}`]!['advertsReceived'] as number).toBeGreaterThan(0);
          expect(stats.instances[`VI_${id}`]!['state']).toBe(oursHigh ? 'MASTER' : 'BACKUP');

          const highDirector = oursHigh ? ours : theirs;
          if (fault === 'sigterm') await highDirector.stop();
          else await highDirector.crash();
          await waitFor(() => vipHolders(lab, vip).includes(low), 6000, `director ${low} to take over`);
          await waitFor(() => pingOnce(lab, vip), 3000, 'the client to reach the VIP after the failover');

          if (oursHigh) {
            ours = startOurs(lab.directors[0]!, config(true), oursScratch);
            started.push(ours);
          } else {
            theirLog += theirs.log();
            theirs = startKeepalived(lab.directors[1]!, config(false), theirsScratch);
            started.push(theirs);
          }
          await waitFor(() => vipHolders(lab, vip).join() === String(high), 15_000, `director ${high} to preempt back`).catch((error: Error) => {
            throw new Error(`${error.message}\nkeepalived:\n${theirs.log()}\nours:\n${ours.log()}`);
          });
          await delay(2500);
          expect(vipHolders(lab, vip)).toEqual([high]);
          await waitFor(() => pingOnce(lab, vip), 3000, 'the client to reach the VIP after preemption');
          // A restarted peer's first advert may still carry a number below the running count (keepalived
          // drops those too: "sequence number ... already processed"); anything else is a failure.
          const after = await readStats(ours);
          const { 'ah-replayed-sequence': replayed = 0, ...otherDrops } = after.instances[`VI_${id}`]!['drops'] as Record<string, number>;
          expect(otherDrops).toEqual({});
          expect(replayed).toBeLessThanOrEqual(2);
          expect(after.instances[`VI_${id}`]!['advertsReceived'] as number).toBeGreaterThan(0);
        } finally {
          await Promise.all([ours.stop(), theirs.stop()]);
        }
        const bad = (theirLog + theirs.log()).split('\n').filter((line) => KEEPALIVED_BAD_PACKET.test(line));
        expect(bad).toEqual([]);
        expect(vipHolders(lab, vip)).toEqual([]);
      });
    }
  }

  it('a wrong AH key is dropped on both sides as an authentication failure: each becomes MASTER', async () => {
    const id = vrid++;
    const vip = `10.172.0.${id}`;
    const config = (password: string, priority: number): string => vrrpConfig([{
      vrid: id, vip: `${vip}/24`, priority, version: 2, advertInt: 1, extra: authentication(password),
    }]);
    const theirs = startKeepalived(lab.directors[1]!, config('right', 100), scratchDir('ah-ka'));
    const ours = startOurs(lab.directors[0]!, config('wrong', 150), scratchDir('ah-ours'));
    started.push(theirs, ours);
    try {
      await waitFor(() => vipHolders(lab, vip).join() === '0,1', 12_000, 'both directors to hold the VIP');
      await delay(1500);
      const stats = await readStats(ours);
      // Counted on the AH socket set, and on the instance whose key was tried (keepalived's auth_failure).
      expect(stats.sockets['eth0/ipv4/multicast/ah']!.drops['auth-mismatch']).toBeGreaterThan(0);
      expect((stats.instances[`VI_${id}`]!['drops'] as Record<string, number>)['auth-mismatch']).toBeGreaterThan(0);
      expect(stats.instances[`VI_${id}`]!['advertsReceived']).toBe(0);
      expect(theirs.log()).toMatch(/IPSEC-AH|auth/i);
    } finally {
      await Promise.all([ours.stop(), theirs.stop()]);
    }
  });
});
