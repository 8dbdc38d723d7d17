// Every VRRP-only file in conf.examples runs in the lab as shipped, with keepalived on its
// directors: the lab reads directors, LANs and the VIP from the file, and a crash of the master
// moves the VIP to the backup. (The virtual_server examples need IPVS: see the vm tier.)
import { describe, expect, it } from 'vitest';
import { CLEAN, runLabCli, settledLeftovers } from './lab-support.js';

const EXAMPLES: Record<string, { primary: string; vip: string }> = {
  'master-backup.conf': { primary: 'lb1', vip: '192.0.2.100' },
  'dual-master.conf': { primary: 'lb1', vip: '192.0.2.101' },
  'track-script.conf': { primary: 'lb1', vip: '192.0.2.100' },
  'unicast.conf': { primary: 'lb1', vip: '10.0.0.100' },
  'ipv6-vrrpv3.conf': { primary: 'lb1', vip: 'fd00:0:0:1::100' },
  'sync-group.conf': { primary: 'gw1', vip: '192.0.2.1' },
};

describe('conf.examples in the lab with keepalived', () => {
  for (const [file, expected] of Object.entries(EXAMPLES)) {
    it(`${file}: the VIP moves to the backup when the master crashes`, async () => {
      const run = await runLabCli(['--impl', 'keepalived', '--config', `conf.examples/${file}`, '--scenario', 'crash']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`${expected.primary} keepalived prio 150 (primary)`);
      expect(run.stdout).toContain(`VIP ${expected.vip}`);
      expect(run.stdout).toMatch(/^crash\s+1\/1\s+\d+\.\d+ s\s+\d+\.\d+ s\s.*ok/m);
      expect(await settledLeftovers()).toEqual(CLEAN);
    });
  }
});
