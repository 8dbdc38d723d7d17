// An IPv6 instance whose link-local address changes under a running MASTER, measured on Debian's
// keepalived 2.2.7 and then on ours, alone in a director namespace, tcpdump in the client
// namespace recording the adverts' source addresses. Phases: the kernel's link-local; a new
// link-local added and the old one deleted; no link-local at all; another one added; the first one
// re-added and the other deleted. For each
// phase: where the adverts come from, whether the VIP is held, and the state the daemon logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchWire } from '../support/wire-watch.js';
import {
  createVrrpLab, delay, hasAddress, removeScratchDirs, scratchDir, sh, startKeepalived, startOurs, vrrpConfig, waitFor,
  type Director, type VrrpLab,
} from '../support/vrrp-lab.js';

interface Phase {
  readonly name: string;
  /** Distinct advert source addresses, with the phase's link-local written as `new` / `kernel`. */
  readonly sources: readonly string[];
  readonly adverts: number;
  readonly vipHeld: boolean;
  readonly lastState: string;
  /** Every state the daemon entered so far. */
  readonly states: string;
}

describe('IPv6 link-local source changes under a MASTER, ours and keepalived 2.2.7', () => {
  let lab: VrrpLab;
  let vrid = 90;
  const started: Director[] = [];
  const measured = new Map<string, readonly Phase[]>();

  beforeAll(() => {
    lab = createVrrpLab(`ll${process.pid % 100_000}`, 164, 1, 'kvt');
  });

  afterAll(async () => {
    await Promise.all(started.map((d) => d.stop()));
    lab?.destroy();
    removeScratchDirs();
    console.log('IPv6 link-local phases:', JSON.stringify(Object.fromEntries(measured), null, 1));
  });

  const linkLocals = (namespace: string): string[] =>
    [...sh('ip', ['-n', namespace, '-6', '-o', 'addr', 'show', 'dev', 'eth0', 'scope', 'link']).matchAll(/inet6 (fe80::[0-9a-f:]+)\//g)].map((m) => m[1]!);

  async function phases(which: 'ours' | 'keepalived'): Promise<Phase[]> {
    const id = vrid++;
    const vip = `fd00:164::${id}`;
    const host = lab.directors[0]!;
    const ns = host.namespace;
    // Each run starts from the kernel's own link-local (the previous run may have replaced it).
    for (const address of linkLocals(ns)) sh('ip', ['-n', ns, '-6', 'addr', 'del', `${address}/64`, 'dev', 'eth0']);
    sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'down']);
    sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
    await waitFor(() => linkLocals(ns).length === 1, 5000, 'the kernel\'s link-local');
    const kernelLinkLocal = linkLocals(ns)[0]!;
    const name = (address: string): string => (address === kernelLinkLocal ? 'kernel' : address === 'fe80::aa:1' ? 'new' : address === 'fe80::aa:2' ? 'readded' : address);
    const config = vrrpConfig([{ vrid: id, vip: `${vip}/64`, priority: 150, version: 3, advertInt: 0.1 }]);
    const daemon = (which === 'ours' ? startOurs : startKeepalived)(host, config, scratchDir(`ll-${which}`));
    started.push(daemon);
    const result: Phase[] = [];
    const observe = async (phaseName: string): Promise<void> => {
      await delay(1000);
      const watch = await watchWire(lab.client.namespace, 'eth0', 'ip6 proto 112');
      await delay(600);
      const lines = await watch.stop();
      const sources = lines.flatMap((line) => /IP6 (\S+) > ff02::12/.exec(line)?.[1] ?? []);
      const states = [...daemon.log().matchAll(/Entering (\w+) STATE/g)].map((m) => m[1]!);
      result.push({ name: phaseName, sources: [...new Set(sources.map(name))].sort(), adverts: sources.length, vipHeld: hasAddress(ns, vip), lastState: states.at(-1) ?? 'none', states: states.join(' > ') });
    };
    try {
      await waitFor(() => hasAddress(ns, vip), 15_000, 'MASTER with the IPv6 VIP');
      await observe('kernel link-local');
      sh('ip', ['-n', ns, '-6', 'addr', 'add', 'fe80::aa:1/64', 'dev', 'eth0', 'nodad']);
      sh('ip', ['-n', ns, '-6', 'addr', 'del', `${kernelLinkLocal}/64`, 'dev', 'eth0']);
      await observe('replaced by fe80::aa:1');
      sh('ip', ['-n', ns, '-6', 'addr', 'del', 'fe80::aa:1/64', 'dev', 'eth0']);
      await observe('no link-local');
      sh('ip', ['-n', ns, '-6', 'addr', 'add', 'fe80::aa:2/64', 'dev', 'eth0', 'nodad']);
      await observe('fe80::aa:2 added');
      sh('ip', ['-n', ns, '-6', 'addr', 'add', `${kernelLinkLocal}/64`, 'dev', 'eth0', 'nodad']);
      sh('ip', ['-n', ns, '-6', 'addr', 'del', 'fe80::aa:2/64', 'dev', 'eth0']);
      await observe('the kernel\'s link-local re-added, fe80::aa:2 deleted');
    } finally {
      await daemon.stop();
    }
    measured.set(which, result);
    return result;
  }

  it('keepalived: adverts follow the link-local that is there', async () => {
    const theirs = await phases('keepalived');
    expect(theirs[0]).toMatchObject({ sources: ['kernel'], vipHeld: true, lastState: 'MASTER' });
    expect(theirs[1]!.sources).toContain('new');
    expect(theirs[3]!.sources).toContain('readded');
    expect(theirs[4]!.sources).toContain('kernel');
  });

  it('ours: the same sources, VIP and state in every phase', async () => {
    const ours = await phases('ours');
    const theirs = measured.get('keepalived');
    expect(theirs).toBeDefined();
    expect(ours.map(({ adverts: _, ...phase }) => phase)).toEqual(theirs!.map(({ adverts: _, ...phase }) => phase));
    // Adverts keep their 100 ms cadence whenever a link-local exists (~6 in each 600 ms window).
    for (const phase of [ours[0]!, ours[1]!, ours[3]!, ours[4]!]) expect(phase.adverts, phase.name).toBeGreaterThanOrEqual(4);
  });
});
