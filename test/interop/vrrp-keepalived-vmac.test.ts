// use_vmac with unicast peers, and use_vmac with vmac_xmit_base, against keepalived 2.2.7 both ways
// round. Measured on keepalived: unicast with use_vmac forces vmac_xmit_base; adverts then leave
// from the base interface with its own MAC (multicast or unicast), while the VIP lives on the VMAC
// (vrrp.VRID) and the GARPs carry the virtual MAC 00:00:5e:00:01:VRID. Ours must look the same on
// the wire: every advert the client hears comes from a director's base MAC, the client resolves the
// VIP to the virtual MAC, and the VIP follows a SIGTERM failover and the preemption back.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVrrpLab, pingOnce, readStats, scratchDir, sh, startKeepalived, startOurs, vrrpConfig, waitFor,
  type Director, type LabHost, type VrrpLab,
} from '../support/vrrp-lab.js';

const macOf = (host: LabHost, link = 'eth0'): string => /link\/ether (\S+)/.exec(sh('ip', ['-n', host.namespace, 'link', 'show', link]))![1]!;

type Heard = { mac: string; source: string; destination: string };

/** Source MAC, source and destination of the VRRP adverts from `source` seen on `link` (at least 5, or what came in `ms`). */
async function capturedAdverts(namespace: string, link: string, source: string, ms: number): Promise<Heard[]> {
  const tcpdump = spawn('ip', ['netns', 'exec', namespace, 'tcpdump', '-l', '-e', '-n', '-i', link, `ip proto 112 and src host ${source}`], { stdio: ['ignore', 'pipe', 'ignore'] });
  const closed = new Promise((resolve) => tcpdump.once('close', resolve));
  let out = '';
  tcpdump.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  const parse = (): Heard[] => [...out.matchAll(/ (\S+) > \S+, ethertype IPv4.*?: (\S+) > (\S+): VRRP/g)].map((m) => ({ mac: m[1]!, source: m[2]!, destination: m[3]! }));
  await waitFor(() => parse().length >= 5, ms, 'adverts', 50).catch(() => undefined);
  tcpdump.kill('SIGTERM');
  await closed;
  return parse();
}

describe('use_vmac with unicast peers and with vmac_xmit_base, ours and keepalived 2.2.7', () => {
  let lab: VrrpLab;
  let vrid = 50;
  const started: Director[] = [];

  beforeAll(() => {
    // The bridge and the client see the directors' frames; the VMACs need ARP settings per director.
    lab = createVrrpLab('vx', 179, 2, 'kvf');
  });

  afterAll(async () => {
    await Promise.all(started.map((d) => d.stop()));
    lab?.destroy();
  });

  for (const mode of ['unicast', 'vmac_xmit_base'] as const) {
    for (const oursHigh of [true, false]) {
      it(`${mode}: ${oursHigh ? 'ours master, keepalived backup' : 'keepalived master, ours backup'}`, async () => {
        const id = vrid++;
        const vip = `10.179.0.${id}`;
        const vmac = `00:00:5e:00:01:${id.toString(16).padStart(2, '0')}`;
        const [oursHost, theirsHost] = lab.directors as [LabHost, LabHost];
        const config = (self: LabHost, other: LabHost, isOurs: boolean): string => vrrpConfig([{
          vrid: id, vip: `${vip}/24`, priority: isOurs === oursHigh ? 150 : 100, version: 3, advertInt: 0.1,
          extra: mode === 'unicast' ? ['use_vmac'] : ['use_vmac', 'vmac_xmit_base'],
          ...(mode === 'unicast' ? { unicast: { src: self.ipv4, peers: [other.ipv4] } } : {}),
        }]);
        let theirs = startKeepalived(theirsHost, config(theirsHost, oursHost, false), scratchDir('vx-ka'));
        let ours = startOurs(oursHost, config(oursHost, theirsHost, true), scratchDir('vx-ours'));
        started.push(theirs, ours);
        const high = oursHigh ? 0 : 1;
        const low = 1 - high;
        const holds = (index: number): boolean => sh('ip', ['-n', lab.directors[index]!.namespace, '-o', 'addr', 'show']).split('\n')
          .some((line) => line.includes(`vrrp.${id}`) && line.includes(` ${vip}/`));
        const holders = (): number[] => [0, 1].filter(holds);
        try {
          await waitFor(() => holders().join() === String(high), 15_000, `the VIP on director ${high}'s VMAC`);
          await waitFor(() => pingOnce(lab, vip), 3000, 'the client to reach the VIP');
          // The VMAC must be what the client learns from our GARPs and ARP replies. (Not asserted for
          // keepalived's side: its replies to the client can leave from the base interface with the
          // VIP as ARP sender, since it leaves the base's arp_announce alone, and the client may learn that.)
          if (oursHigh) expect(sh('ip', ['-n', lab.client.namespace, 'neigh', 'show', vip])).toContain(vmac);
          // Every advert leaves from the master's base interface with its own MAC (unicast: to the peer).
          const master = lab.directors[high]!;
          const heard = await capturedAdverts(lab.bridgeNamespace, master.port, master.ipv4, 5000);
          expect(heard.length).toBeGreaterThan(2);
          const destination = mode === 'unicast' ? lab.directors[low]!.ipv4 : '224.0.0.18';
          expect(new Set(heard.map((a) => `${a.mac} ${a.source} ${a.destination}`))).toEqual(new Set([`${macOf(master)} ${master.ipv4} ${destination}`]));
          await waitFor(() => ours.log().includes('Entering'), 10_000, 'our daemon to start');
          const stats = await readStats(ours);
          expect(stats.instances[`VI_${id}`]!['drops']).toEqual({});
          // Ours as the first master may have heard nothing yet (a backup that never was master
          // sends no advert): checked after the preemption back instead.
          if (!oursHigh) expect(stats.instances[`VI_${id}`]!['advertsReceived'] as number).toBeGreaterThan(0);

          if (oursHigh) await ours.stop();
          else await theirs.stop();
          await waitFor(() => holders().join() === String(low), 3000, `director ${low} to take over`);
          await waitFor(() => pingOnce(lab, vip), 3000, 'the client to reach the VIP after the failover');
          if (!oursHigh) expect(sh('ip', ['-n', lab.client.namespace, 'neigh', 'show', vip])).toContain(vmac);

          if (oursHigh) started.push(ours = startOurs(oursHost, config(oursHost, theirsHost, true), scratchDir('vx-ours')));
          else started.push(theirs = startKeepalived(theirsHost, config(theirsHost, oursHost, false), scratchDir('vx-ka')));
          await waitFor(() => holders().join() === String(high), 15_000, `director ${high} to preempt back`);
          // Measured race, the same whichever side preempts: the new master's first GARP requests
          // can reach the old master while it still holds the VIP on its own VMAC (same virtual
          // MAC); its kernel answers them from that VMAC and the bridge learns the virtual MAC on
          // the old master's port. The second GARP burst (garp_master_delay, 5 s) moves it back.
          await waitFor(() => pingOnce(lab, vip), 9000, 'the client to reach the VIP after preemption');
          if (oursHigh) {
            const after = await readStats(ours);
            expect(after.instances[`VI_${id}`]!['drops']).toEqual({});
            expect(after.instances[`VI_${id}`]!['advertsReceived'] as number).toBeGreaterThan(0);
          }
        } finally {
          await Promise.all([ours.stop(), theirs.stop()]);
        }
        expect(holders()).toEqual([]);
      });
    }
  }
});
