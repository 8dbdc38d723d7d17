// `keepalived-ts lab --scenario partition` with its generated config, which sets
// `higher_prio_send_advert`: after every heal the winner sends a GARP and the client is back on it
// within a second (before, the lab allowed the client up to 75 s for its ARP entry to expire).
// Ours on both directors, and keepalived 2.2.7 on the primary with ours as the loser (--peer).
// Runs of other lab tests may overlap, so this test checks only its own run's report.
import { describe, expect, it } from 'vitest';
import { runLabCli } from './lab-support.js';

interface PartitionRun { readonly recoverySeconds: number; readonly clientBackSeconds: number; readonly garpSeconds?: number }

const FAST = ['--vrrp-version', '3', '--advert-int', '0.1', '--scenario', 'partition', '--repeat', '3', '--json'];

describe('the lab\'s partition scenario with higher_prio_send_advert', () => {
  for (const peer of [[], ['--peer', 'keepalived']] as const) {
    const who = peer.length === 0 ? 'ours on both directors' : 'keepalived primary, ours loses';
    it(`${who}: the client is back on the winner within a second of every heal`, async () => {
      const run = await runLabCli([...peer, ...FAST]);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as { results: { scenario: string; runs: PartitionRun[]; failures: string[] }[] };
      const partition = report.results.find((r) => r.scenario === 'partition')!;
      expect(partition.failures).toEqual([]);
      expect(partition.runs).toHaveLength(3);
      for (const measured of partition.runs) {
        expect(measured.clientBackSeconds).toBeGreaterThanOrEqual(measured.recoverySeconds);
        expect(measured.clientBackSeconds).toBeLessThan(1);
      }
      console.log(`${who}: client back after healing (s):`, partition.runs.map((r) => r.clientBackSeconds));
    });
  }
});
