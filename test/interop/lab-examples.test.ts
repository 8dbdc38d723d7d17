// Every conf.examples file with a VRRP instance runs in the lab as shipped, with keepalived on its
// directors: the lab reads directors, LANs and the VIP from the file, and a crash of the master
// moves the VIP to the backup. On a kernel without IPVS the virtual_server examples run VRRP only
// (-P), which the progress lines say.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLEAN, runLabCli, settledLeftovers } from './lab-support.js';

const EXAMPLES: Record<string, { primary: string; vip: string }> = {
  'master-backup.conf': { primary: 'lb1', vip: '192.0.2.100' },
  'dual-master.conf': { primary: 'lb1', vip: '192.0.2.101' },
  'track-script.conf': { primary: 'lb1', vip: '192.0.2.100' },
  'unicast.conf': { primary: 'lb1', vip: '10.0.0.100' },
  'ipv6-vrrpv3.conf': { primary: 'lb1', vip: 'fd00:0:0:1::100' },
  'sync-group.conf': { primary: 'gw1', vip: '192.0.2.1' },
  'lvs-dr-http.conf': { primary: 'lb1', vip: '192.0.2.100' },
  'lvs-nat.conf': { primary: 'lb1', vip: '192.0.2.100' },
  'fwmark-persistence.conf': { primary: 'lb1', vip: '192.0.2.100' },
  'sorry-server.conf': { primary: 'lb1', vip: '192.0.2.100' },
};
const WITH_VIRTUAL_SERVERS = new Set(['lvs-dr-http.conf', 'lvs-nat.conf', 'fwmark-persistence.conf', 'sorry-server.conf']);

describe('conf.examples in the lab with keepalived', () => {
  for (const [file, expected] of Object.entries(EXAMPLES)) {
    it(`${file}: the VIP moves to the backup when the master crashes`, async () => {
      const run = await runLabCli(['--impl', 'keepalived', '--config', `conf.examples/${file}`, '--scenario', 'crash']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`${expected.primary} keepalived prio 150 (primary)`);
      expect(run.stdout).toContain(`VIP ${expected.vip}`);
      expect(run.stdout).toMatch(/^crash\s+1\/1\s+\d+\.\d+ s\s+\d+\.\d+ s\s.*ok/m);
      if (WITH_VIRTUAL_SERVERS.has(file) && !existsSync('/proc/net/ip_vs')) expect(run.stderr).toContain('the daemons run VRRP only (-P)');
      expect(await settledLeftovers()).toEqual(CLEAN);
    });
  }
});
