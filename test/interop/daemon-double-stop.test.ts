// A second SIGTERM while the daemon is stopping, as a service manager or an impatient operator
// sends: keepalived 2.2.7 (measured) ignores it and stops as usual, exit status 0, pid files
// removed, VIP gone. Ours must do the same (it used to die of the second signal, exit 143, with
// its pid file left behind).
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVrrpLab, delay, hasAddress, scratchDir, startKeepalived, startOurs, vrrpConfig, waitFor, type Director, type LabHost, type VrrpLab } from '../support/vrrp-lab.js';

const SUBNET = 191;
const VIP = `10.${SUBNET}.0.100`;

describe('a second SIGTERM during the stop, ours and keepalived 2.2.7', () => {
  let lab: VrrpLab;
  const daemons: Director[] = [];

  beforeAll(() => {
    lab = createVrrpLab('ds', SUBNET, 1, 'kds');
  });

  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    lab?.destroy();
  });

  /** Exit status, pid files left and whether the VIP stayed, after two SIGTERMs 2 ms apart. */
  async function stopTwice(start: (h: LabHost, conf: string, scratch: string) => Director, tag: string): Promise<{ status: number | null; pidFiles: string[]; vip: boolean }> {
    const host = lab.directors[0]!;
    const scratch = scratchDir(`ds-${tag}`);
    const daemon = start(host, vrrpConfig([{ vrid: 81, vip: `${VIP}/24`, priority: 150, state: 'MASTER', version: 3, advertInt: 0.1 }]), scratch);
    daemons.push(daemon);
    await waitFor(() => hasAddress(host.namespace, VIP), 10_000, `${tag}: the VIP`);
    const [parent] = daemon.pids();
    process.kill(parent!, 'SIGTERM');
    await delay(2);
    process.kill(parent!, 'SIGTERM');
    const status = await Promise.race([daemon.exited, delay(8000).then(() => -1)]);
    return { status, pidFiles: readdirSync(scratch).filter((name) => name.endsWith('.pid')), vip: hasAddress(host.namespace, VIP) };
  }

  it('stops as after one: exit 0, no pid file left, VIP removed', async () => {
    const theirs = await stopTwice(startKeepalived, 'ka');
    expect(theirs).toEqual({ status: 0, pidFiles: [], vip: false });
    expect(await stopTwice(startOurs, 'ours')).toEqual(theirs);
  });
});
