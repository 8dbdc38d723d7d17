// A VIP deleted by hand under a MASTER, in a vrrp_sync_group of two and alone, with keepalived
// 2.2.7 as the backup director. Measured on keepalived as the master first: the member gives
// mastership up (BACKUP, priority 0 sent, its VIPs removed), the group follows it to BACKUP, and
// after only its own Skew_Time (41 ms here; 0.41 s at advert_int 1) it is MASTER again with the
// group, before the backup's longer skew runs out: the backup never holds a VIP. Then the same
// with our daemon as the master: the same transitions, the backup never takes over, and the VIPs
// are back no later than keepalived's plus one advert interval.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVrrpLab, delay, hasAddress, removeScratchDirs, scratchDir, sh, startKeepalived, startOurs, vrrpConfig,
  type Director, type VrrpLab,
} from '../support/vrrp-lab.js';

const INTERVAL_MS = 100;

interface Outcome {
  /** (holders of VIP A) (holders of VIP B) each time they changed, with ms since the deletion. */
  readonly timeline: readonly string[];
  /** ms from the deletion until the master held both VIPs again. */
  readonly backAfterMs: number;
  readonly masterTransitions: readonly string[];
  readonly backupLog: string;
}

describe('a VIP deleted under a MASTER, alone and in a sync group, ours and keepalived 2.2.7', () => {
  let lab: VrrpLab;
  let vrid = 80;
  const started: Director[] = [];
  const measured = new Map<string, Outcome>();

  beforeAll(() => {
    lab = createVrrpLab(`sg${process.pid % 100_000}`, 163, 2, 'kvt');
  });

  afterAll(async () => {
    await Promise.all(started.map((d) => d.stop()));
    lab?.destroy();
    removeScratchDirs();
    console.log('VIP A deleted under the master:', Object.fromEntries([...measured].map(([k, o]) => [k, { back: Math.round(o.backAfterMs), timeline: o.timeline, transitions: o.masterTransitions }])));
  });

  const transitions = (log: string): string[] => [...log.matchAll(/\((VI_[AB])\) Entering (\w+) STATE/g)].map((m) => `${m[1]} ${m[2]}`);

  async function deleteUnderMaster(masterIsOurs: boolean, grouped: boolean): Promise<Outcome> {
    const a = vrid++;
    const b = vrid++;
    const vipA = `10.163.0.${a}`;
    const vipB = `10.163.0.${b}`;
    const config = (priority: number): string => [
      vrrpConfig([
        { name: 'VI_A', vrid: a, vip: `${vipA}/24`, priority, version: 3, advertInt: INTERVAL_MS / 1000 },
        { name: 'VI_B', vrid: b, vip: `${vipB}/24`, priority, version: 3, advertInt: INTERVAL_MS / 1000 },
      ]),
      ...(grouped ? ['vrrp_sync_group G {', '  group {', '    VI_A', '    VI_B', '  }', '}', ''] : []),
    ].join('\n');
    const [d0, d1] = [lab.directors[0]!, lab.directors[1]!];
    const master = (masterIsOurs ? startOurs : startKeepalived)(d0, config(150), scratchDir('sg-m'));
    const backup = startKeepalived(d1, config(100), scratchDir('sg-b'));
    started.push(master, backup);
    const holders = (): string => [vipA, vipB].map((vip) => [d0, d1].map((d, i) => (hasAddress(d.namespace, vip) ? `d${i}` : '')).join('') || '-').join(' ');
    try {
      const startedAt = performance.now();
      while (holders() !== 'd0 d0' && performance.now() - startedAt < 15_000) await delay(20);
      expect(holders()).toBe('d0 d0');
      await delay(1000);
      const mark = master.log().length;
      const backupMark = backup.log().length;
      sh('ip', ['-n', d0.namespace, 'addr', 'del', `${vipA}/24`, 'dev', 'eth0']);
      const deletedAt = performance.now();
      const timeline: string[] = [];
      let backAfterMs = Number.POSITIVE_INFINITY;
      let last = 'd0 d0';
      while (performance.now() - deletedAt < 2000) {
        const now = holders();
        const at = performance.now() - deletedAt;
        if (now !== last) timeline.push(`${now} @${Math.round(at)}`);
        if (now === 'd0 d0' && last !== 'd0 d0') backAfterMs = at;
        last = now;
        await delay(2);
      }
      return { timeline, backAfterMs, masterTransitions: transitions(master.log().slice(mark)), backupLog: backup.log().slice(backupMark) };
    } finally {
      await Promise.all([master.stop(), backup.stop()]);
    }
  }

  for (const grouped of [true, false]) {
    const kind = grouped ? 'in a sync group' : 'alone';
    const expected = grouped ? ['VI_A BACKUP', 'VI_B BACKUP', 'VI_A MASTER', 'VI_B MASTER'] : ['VI_A BACKUP', 'VI_A MASTER'];

    it(`keepalived master, ${kind}: BACKUP with priority 0, MASTER again after its skew, the backup never takes over`, async () => {
      const theirs = await deleteUnderMaster(false, grouped);
      measured.set(`keepalived ${kind}`, theirs);
      expect(theirs.masterTransitions).toEqual(expected);
      expect(theirs.timeline.some((entry) => entry.includes('d1'))).toBe(false);
      expect(theirs.backupLog).toContain('(VI_A) Backup received priority 0 advertisement');
      expect(theirs.backAfterMs).toBeLessThan(3 * INTERVAL_MS);
    });

    it(`our master, ${kind}: the same transitions, the backup never takes over, VIPs back as soon as keepalived's`, async () => {
      const ours = await deleteUnderMaster(true, grouped);
      measured.set(`ours ${kind}`, ours);
      const theirs = measured.get(`keepalived ${kind}`);
      expect(theirs).toBeDefined();
      expect(ours.masterTransitions).toEqual(expected);
      expect(ours.timeline.some((entry) => entry.includes('d1'))).toBe(false);
      expect(ours.backupLog).toContain('(VI_A) Backup received priority 0 advertisement');
      expect(ours.backupLog).not.toMatch(/invalid|bad|error/i);
      expect(ours.backAfterMs).toBeLessThan(theirs!.backAfterMs + INTERVAL_MS);
    });
  }
});
