// use_vmac and IPv6 link-locals, ours against Debian's keepalived 2.2.7 (measured first). keepalived
// gives a VMAC no link-local of its own: an IPv4 VMAC has no IPv6 address, an IPv6 VMAC carries the
// base interface's link-local, so IPv6 adverts leave from the director's own link-local (not from
// one derived from the virtual MAC, which every director would share), and a BACKUP's VMACs send
// nothing at all (no MLD report, no router solicitation, no IGMP report) that would teach a switch
// the virtual MAC on the backup's port. Checked for each daemon as the backup of a keepalived
// master (frames entering the bridge from the backup's port) and as a master of its own, whose
// base link-local is then replaced: the VMAC's copy and the adverts follow it.
// Not matched yet: keepalived's nftables rules also move the VMACs' IGMP/MLD membership reports
// (for 224.0.0.18 / ff02::12 and the link-local's solicited-node group) onto the base interface;
// ours still leave from the VMAC, so for ours only those reports are tolerated.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVrrpLab, delay, hasAddress, removeScratchDirs, scratchDir, sh, startKeepalived, startOurs, vrrpConfig, waitFor,
  type Director, type VrrpLab,
} from '../support/vrrp-lab.js';

const VIRTUAL_MACS = ['00:00:5e:00:01:15', '00:00:5e:00:02:16'];

/** tcpdump -e lines of the frames arriving on `link` in `namespace` (a bridge port: sent by the host behind it), for `ms` after `during`. */
async function frames(namespace: string, link: string, filter: string, ms: number, during: () => Promise<void>): Promise<string[]> {
  const tcpdump = spawn('ip', ['netns', 'exec', namespace, 'tcpdump', '-l', '-e', '-n', '-Q', 'in', '-i', link, filter], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  tcpdump.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  tcpdump.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
  const closed = new Promise((resolve) => tcpdump.once('close', resolve));
  await waitFor(() => err.includes('listening on'), 5000, 'tcpdump to listen');
  await during();
  await delay(ms);
  tcpdump.kill('SIGINT');
  await closed;
  return out.split('\n').filter((line) => line.trim() !== '');
}

describe('use_vmac link-locals and silence on a BACKUP, ours and keepalived 2.2.7', () => {
  let lab: VrrpLab;
  const started: Director[] = [];
  const seen = new Map<string, { backupFrames: string[]; advertSources: string[]; vmacLinkLocals: string[]; afterChange: string[] }>();

  beforeAll(() => {
    lab = createVrrpLab(`vl${process.pid % 100_000}`, 168, 2, 'kvt');
  });

  afterAll(async () => {
    await Promise.all(started.map((d) => d.stop()));
    lab?.destroy();
    removeScratchDirs();
    console.log('use_vmac:', JSON.stringify(Object.fromEntries(seen), null, 1));
  });

  const config = (priority: number): string => vrrpConfig([
    { name: 'VI_4', vrid: 21, vip: '10.168.0.100/24', priority, version: 3, advertInt: 0.1, extra: ['use_vmac'] },
    { name: 'VI_6', vrid: 22, vip: 'fd00:168::100/64', priority, version: 3, advertInt: 0.1, extra: ['use_vmac'] },
  ]);
  const linkLocalsOf = (namespace: string, link: string): string[] =>
    [...sh('ip', ['-n', namespace, '-6', '-o', 'addr', 'show', 'dev', link, 'scope', 'link']).matchAll(/inet6 (fe80::[0-9a-f:]+)\//g)].map((m) => m[1]!);

  for (const which of ['keepalived', 'ours'] as const) {
    const silence = which === 'keepalived' ? 'stay silent' : 'send only membership reports';
    it(`${which}: a BACKUP's VMACs ${silence}; as MASTER, IPv6 adverts come from the director's own link-local, and follow it`, async () => {
      const [d0, d1] = [lab.directors[0]!, lab.directors[1]!];
      const start = which === 'ours' ? startOurs : startKeepalived;
      const master = startKeepalived(d0, config(200), scratchDir('vl-m'));
      started.push(master);
      let backup: Director | undefined;
      let backupFrames: string[];
      try {
        await waitFor(() => hasAddress(d0.namespace, '10.168.0.100') && hasAddress(d0.namespace, 'fd00:168::100'), 15_000, 'the keepalived master with both VIPs');
        const filter = VIRTUAL_MACS.map((mac) => `ether src ${mac}`).join(' or ');
        backupFrames = await frames(lab.bridgeNamespace, d1.port, filter, 3000, async () => {
          backup = start(d1, config(100), scratchDir(`vl-${which}`));
          started.push(backup);
          await waitFor(() => (backup!.log().match(/Entering BACKUP STATE/g) ?? []).length >= 2, 15_000, 'both backup instances in BACKUP');
        });
        expect(linkLocalsOf(d1.namespace, 'vrrp.21')).toEqual([]);
        expect(linkLocalsOf(d1.namespace, 'vrrp.22')).toEqual(linkLocalsOf(d1.namespace, 'eth0'));
      } finally {
        await Promise.all([backup?.stop(), master.stop()]);
      }

      // The same daemon alone as MASTER on d1: where its IPv6 adverts come from.
      const alone = start(d1, config(200), scratchDir(`vl-${which}-m`));
      started.push(alone);
      let advertSources: string[];
      let vmacLinkLocals: string[];
      let afterChange: string[];
      const kernelLinkLocal = linkLocalsOf(d1.namespace, 'eth0')[0]!;
      const advertSourcesNow = async (): Promise<string[]> => {
        const adverts = await frames(lab.bridgeNamespace, d1.port, 'ip6 proto 112', 600, async () => undefined);
        expect(adverts.length).toBeGreaterThanOrEqual(3);
        return [...new Set(adverts.flatMap((line) => / (fe80::[0-9a-f:]+) > ff02::12:/.exec(line)?.[1] ?? []))];
      };
      try {
        await waitFor(() => hasAddress(d1.namespace, 'fd00:168::100'), 15_000, `${which} MASTER with the IPv6 VIP`);
        advertSources = await advertSourcesNow();
        vmacLinkLocals = linkLocalsOf(d1.namespace, 'vrrp.22');
        expect(advertSources).toEqual([kernelLinkLocal]);
        // The base interface's link-local replaced under the running MASTER: the VMAC follows it.
        sh('ip', ['-n', d1.namespace, '-6', 'addr', 'add', 'fe80::bb:1/64', 'dev', 'eth0', 'nodad']);
        sh('ip', ['-n', d1.namespace, '-6', 'addr', 'del', `${kernelLinkLocal}/64`, 'dev', 'eth0']);
        await delay(1000);
        afterChange = await advertSourcesNow();
        expect(afterChange).toEqual(['fe80::bb:1']);
        expect(linkLocalsOf(d1.namespace, 'vrrp.22')).toEqual(['fe80::bb:1']);
      } finally {
        await alone.stop();
        if (!linkLocalsOf(d1.namespace, 'eth0').includes(kernelLinkLocal)) sh('ip', ['-n', d1.namespace, '-6', 'addr', 'add', `${kernelLinkLocal}/64`, 'dev', 'eth0', 'nodad']);
        if (linkLocalsOf(d1.namespace, 'eth0').includes('fe80::bb:1')) sh('ip', ['-n', d1.namespace, '-6', 'addr', 'del', 'fe80::bb:1/64', 'dev', 'eth0']);
      }
      seen.set(which, { backupFrames, advertSources, vmacLinkLocals, afterChange });
      if (which === 'keepalived') {
        expect(backupFrames).toEqual([]);
      } else {
        expect(backupFrames.filter((line) => !/igmp v3 report|multicast listener report/.test(line))).toEqual([]);
        expect(backupFrames.filter((line) => line.includes('fe80::200:5eff:'))).toEqual([]);
      }
    });
  }
});
