// Address events under a running daemon, as keepalived 2.2.7 behaves (measured): an interface with
// no IPv4 address at start keeps the instance in FAULT until one is added, then it goes BACKUP and
// on to MASTER; losing the address in use while another remains moves the adverts to that one
// without a state change; losing the last one is a FAULT (VIPs removed) until an address returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import {
  createVrrpLab, delay, hasAddress, scratchDir, sh, startOurs, vrrpConfig, waitFor, type Director, type VrrpLab,
} from '../support/vrrp-lab.js';

/** Source addresses of the VRRP adverts the client hears during `ms`. */
async function advertSources(namespace: string, ms: number): Promise<string[]> {
  const tcpdump = spawn('ip', ['netns', 'exec', namespace, 'tcpdump', '-l', '-n', '-i', 'eth0', 'ip proto 112'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  tcpdump.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  await delay(ms);
  tcpdump.kill('SIGTERM');
  await new Promise((resolve) => tcpdump.once('close', resolve));
  return [...out.matchAll(/IP (\S+) > 224\.0\.0\.18/g)].map((m) => m[1]!);
}

describe('the daemon follows the interface\'s addresses', () => {
  let lab: VrrpLab;
  const running: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('ad', 176, 1, 'kvf');
  });

  afterAll(async () => {
    await Promise.all(running.map((d) => d.stop()));
    lab?.destroy();
  });

  it('FAULT without an address at start, MASTER once one is added; moves to the next address; FAULT when none is left', async () => {
    const host = lab.directors[0]!;
    const ns = host.namespace;
    const vip = '10.178.0.100';
    sh('ip', ['-n', ns, '-4', 'addr', 'flush', 'dev', 'eth0']);
    const daemon = startOurs(host, vrrpConfig([{ vrid: 40, priority: 150, vip: `${vip}/24`, version: 3, advertInt: 0.1 }]), scratchDir('ad'));
    running.push(daemon);
    await waitFor(() => daemon.log().includes('Entering FAULT STATE'), 15_000, 'FAULT with no IPv4 address');
    await delay(1000);
    expect(hasAddress(ns, vip)).toBe(false);
    expect(daemon.log()).not.toContain('Entering MASTER STATE');

    sh('ip', ['-n', ns, 'addr', 'add', `${host.ipv4}/24`, 'dev', 'eth0']);
    await waitFor(() => hasAddress(ns, vip), 3000, 'MASTER with its VIP once an address was added');
    // The log reaches us through a pipe, possibly after the VIP did.
    await waitFor(() => /Entering BACKUP STATE[\s\S]*Entering MASTER STATE/.test(daemon.log()), 2000, 'BACKUP then MASTER in the log');
    expect(await advertSources(lab.client.namespace, 500)).toContain(host.ipv4);

    sh('ip', ['-n', ns, 'addr', 'add', '10.177.0.10/24', 'dev', 'eth0']);
    const transitions = daemon.log().split('Entering').length;
    sh('ip', ['-n', ns, 'addr', 'del', `${host.ipv4}/24`, 'dev', 'eth0']);
    await waitFor(() => daemon.log().includes('advertising from 10.177.0.10'), 3000, 'the switch to the remaining address');
    const sources = await advertSources(lab.client.namespace, 500);
    expect(sources.length).toBeGreaterThan(2);
    expect(new Set(sources)).toEqual(new Set(['10.177.0.10']));
    expect(daemon.log().split('Entering').length).toBe(transitions);
    expect(hasAddress(ns, vip)).toBe(true);

    sh('ip', ['-n', ns, 'addr', 'del', '10.177.0.10/24', 'dev', 'eth0']);
    await waitFor(() => !hasAddress(ns, vip), 3000, 'the VIP removed in FAULT');
    await waitFor(() => /^ FAULT STATE/.test(daemon.log().split('Entering').at(-1)!), 2000, 'the FAULT log line');

    sh('ip', ['-n', ns, 'addr', 'add', `${host.ipv4}/24`, 'dev', 'eth0']);
    await waitFor(() => hasAddress(ns, vip), 3000, 'MASTER again once an address is back');
  });

  it('a VIP deleted behind the MASTER\'s back: BACKUP with priority 0, then MASTER again with the VIP back (as keepalived)', async () => {
    const host = lab.directors[0]!;
    const ns = host.namespace;
    const vip = '10.176.0.141';
    const daemon = startOurs(host, vrrpConfig([{ vrid: 41, priority: 150, vip: `${vip}/24`, version: 3, advertInt: 0.1 }]), scratchDir('ad'));
    running.push(daemon);
    await waitFor(() => hasAddress(ns, vip), 15_000, 'MASTER with its VIP');
    await waitFor(() => daemon.log().includes('(VI_41) Entering MASTER STATE'), 2000, 'the MASTER log line');
    sh('ip', ['-n', ns, 'addr', 'del', `${vip}/24`, 'dev', 'eth0']);
    await waitFor(() => daemon.log().includes('VIP 10.176.0.141 was removed from eth0 by someone else'), 2000, 'the removal noticed');
    await waitFor(() => hasAddress(ns, vip), 2000, 'the VIP back after a new election');
    await waitFor(() => daemon.log().split('(VI_41) Entering').length === 5, 2000, 'BACKUP, MASTER, BACKUP, MASTER');
    expect(daemon.log().split('(VI_41) Entering').slice(1).map((part) => part.split(' ')[1])).toEqual(['BACKUP', 'MASTER', 'BACKUP', 'MASTER']);
    await daemon.stop();
    expect(hasAddress(ns, vip)).toBe(false);
  });
});
